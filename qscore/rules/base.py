"""What every rule type shares: its input (RuleContext), its output (Scored), its base class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..model_base import Strict
from ..rounding import format_plain

FloatArray = npt.NDArray[np.float64]
TextArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class RuleContext:
    """The units one indicator scores (already restricted to its categories and to
    units for which it applies), their field values, and the indicator's maximum."""

    values: Mapping[str, pd.Series]
    group: pd.Series  # category key of each unit: the group rank rules rank within
    points: float
    labels: Mapping[str, str]

    @property
    def size(self) -> int:
        return len(self.group)


@dataclass(frozen=True)
class Scored:
    """Raw points (the engine clips them to [0, max] and rounds half-up) and the
    values a reason template may quote, each an array of text or one text for all."""

    points: FloatArray
    vars: Mapping[str, TextArray | str] = field(default_factory=dict)
    inputs: TextArray | str = ""


class Rule(Strict):
    """Base class of rule types. A subclass sets `type` (its name in YAML), the
    reason templates and the variables they may use, and implements `score`."""

    templates: ClassVar[Mapping[str, str]] = {}
    variables: ClassVar[tuple[str, ...]] = ()

    def fields(self) -> tuple[str, ...]:
        """Keys of the fields this rule reads."""
        raise NotImplementedError

    def score(self, ctx: RuleContext) -> Scored:
        raise NotImplementedError

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        """The rule in plain Chinese, for `rubric show` and the form's instructions."""
        raise NotImplementedError


def num(values: npt.ArrayLike) -> TextArray:
    return format_plain(values)


def percent(values: npt.ArrayLike) -> TextArray:
    """0.955 -> '95.5%' (two decimals at most: 0.693333 -> '69.33%')."""
    return np.char.add(format_plain(np.round(np.asarray(values, dtype=float) * 100, 2)).astype(str), "%").astype(object)


def pct(value: float) -> str:
    return str(percent([value])[0])


def fmt(value: float) -> str:
    return str(format_plain([value])[0])


def as_float(series: pd.Series) -> FloatArray:
    return np.asarray(series.to_numpy(dtype=float, na_value=np.nan), dtype=np.float64)


def snap(x: FloatArray) -> FloatArray:
    """Compare rates and counts after removing binary noise (0.1*3 >= 0.3 must hold)."""
    return np.round(x, 9)
