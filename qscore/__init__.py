"""qscore: quantitative assessment of grassroots party organisations.

    import qscore
    rubric = qscore.load_rubric("rubrics/city-2024.yaml")
    returns = qscore.read_returns(["samples/returns-2024.xlsx"], rubric)
    result = qscore.assess(rubric, returns)
    result.units      # one row per unit: subtotals, total, places, grade
    result.points     # one row per unit and indicator: points, maximum, reason, source cell
    result.lists      # units on 通报表扬 / 通报批评 / 约谈 / 问责 / 限期整改
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

# Exports are imported on first use (PEP 562) so that `qscore --help` does not pay for pandas.
_EXPORTS = {
    "Assessment": "assessment", "assess": "assessment", "InputError": "errors", "QscoreError": "errors",
    "RubricError": "errors", "read_returns": "reader", "Returns": "returns",
    "returns_from_records": "returns", "Rubric": "rubric", "load_rubric": "rubric", "parse_rubric": "rubric",
}

if TYPE_CHECKING:
    from .assessment import Assessment, assess
    from .errors import InputError, QscoreError, RubricError
    from .reader import read_returns
    from .returns import Returns, returns_from_records
    from .rubric import Rubric, load_rubric, parse_rubric


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'qscore' has no attribute {name!r}")


__all__ = [
    "Assessment", "InputError", "QscoreError", "Returns", "Rubric", "RubricError", "__version__",
    "assess", "load_rubric", "parse_rubric", "read_returns", "returns_from_records",
]
