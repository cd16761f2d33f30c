"""Graded levels: a text level chosen from a list gives its points.
e.g. 台账资料 规范3分/较规范2分/不规范1分/无0分; A/B/C/D."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from ..model_base import Points
from .base import Rule, RuleContext, Scored, fmt


class Levels(Rule):
    type: Literal["levels"]
    field: str
    levels: dict[str, Points] = Field(min_length=1)

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}为“{value}”，得{points}分",
        "deducted": "{label}为“{value}”，得{points}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "value")

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def score(self, ctx: RuleContext) -> Scored:
        value = ctx.values[self.field].astype(object).to_numpy()
        # The reader has already refused levels not in the list, so the map is total.
        points = ctx.values[self.field].map(self.levels).to_numpy(dtype=float, na_value=np.nan)
        return Scored(
            points=points,
            vars={"label": ctx.labels[self.field], "value": value},
            inputs=ctx.labels[self.field] + "=" + value.astype(str).astype(object),
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        return f"{labels[self.field]}：" + "；".join(f"{k}得{fmt(v)}分" for k, v in self.levels.items())
