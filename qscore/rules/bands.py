"""Graded bands on a number: the first band whose threshold the value reaches gives the points.
e.g. 支部党员大会每季度召开（≥4次）得5分，每半年（≥2次）得2分，不定期（≥1次）得1分，未召开不得分."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..model_base import Points, Strict
from .base import Rule, RuleContext, Scored, as_float, fmt, num, snap


class Band(Strict):
    at_least: float
    points: Points


class Bands(Rule):
    type: Literal["bands"]
    field: str
    bands: tuple[Band, ...]
    otherwise: Points = 0.0  # points when the value reaches no band

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}：{value}，得{points}分",
        "deducted": "{label}：{value}（{band}），得{points}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "value", "band")

    @model_validator(mode="after")
    def _descending(self) -> Bands:
        limits = [b.at_least for b in self.bands]
        if not limits:
            raise ValueError("bands needs at least one band, e.g. [{at_least: 4, points: 5}]")
        if limits != sorted(limits, reverse=True) or len(set(limits)) != len(limits):
            raise ValueError("bands must be listed from the highest `at_least` down, each once")
        return self

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def score(self, ctx: RuleContext) -> Scored:
        value = snap(as_float(ctx.values[self.field]))
        conditions = [value >= snap(np.float64(b.at_least)) for b in self.bands]
        points = np.select(conditions, [b.points for b in self.bands], self.otherwise)
        band = np.select(conditions, [f"达到{fmt(b.at_least)}档" for b in self.bands],
                         f"不足{fmt(self.bands[-1].at_least)}").astype(object)
        return Scored(
            points=points,
            vars={"label": ctx.labels[self.field], "value": num(value), "band": band},
            inputs=ctx.labels[self.field] + "=" + num(value),
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        parts = [f"≥{fmt(b.at_least)}得{fmt(b.points)}分" for b in self.bands]
        parts.append(f"其余得{fmt(self.otherwise)}分")
        return f"{labels[self.field]}：" + "；".join(parts)
