"""Where the bundled rubric and sample live: inside the wheel (qscore/_bundled) when
installed, or at the top of the source tree when run from a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
DEFAULT_RUBRIC_NAME = "city-2024.yaml"


def bundled_dir(name: str) -> Path:
    for candidate in (_HERE / "_bundled" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def default_rubric() -> Path:
    return bundled_dir("rubrics") / DEFAULT_RUBRIC_NAME
