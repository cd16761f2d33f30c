from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLE = ROOT / "samples" / "returns-2024.xlsx"
RUBRIC = ROOT / "rubrics" / "city-2024.yaml"


@pytest.fixture(scope="session")
def city_rubric():
    from qscore.rubric import load_rubric

    return load_rubric(RUBRIC)


@pytest.fixture(scope="session")
def sample(city_rubric):
    from qscore.assessment import assess
    from qscore.reader import read_returns

    return assess(city_rubric, read_returns([SAMPLE], city_rubric), as_of=dt.date(2025, 1, 20))
