"""Per-incident: each finding costs `step`, up to `cap` (by default the item's points).
e.g. 党务公开不及时每次扣1分."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np

from ..model_base import Positive
from .base import Rule, RuleContext, Scored, as_float, fmt, num


class PerIncident(Rule):
    type: Literal["per_incident"]
    field: str
    step: Positive
    cap: Positive | None = None

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}：0次，不扣分",
        "deducted": "{label}：{count}次，每次扣{step}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "count", "step")

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def score(self, ctx: RuleContext) -> Scored:
        count = as_float(ctx.values[self.field])
        cap = ctx.points if self.cap is None else min(self.cap, ctx.points)
        deducted = np.minimum(count * self.step, cap)
        return Scored(
            points=ctx.points - deducted,
            vars={"label": ctx.labels[self.field], "count": num(count), "step": fmt(self.step)},
            inputs=ctx.labels[self.field] + "=" + num(count),
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        cap = points if self.cap is None else min(self.cap, points)
        return f"{labels[self.field]}每次扣{fmt(self.step)}分，最多扣{fmt(cap)}分"
