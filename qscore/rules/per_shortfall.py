"""Per-shortfall: a required count; each one missing costs `step`, down to zero (扣完为止).
e.g. 支委会每月召开1次，每少1次扣0.5分."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np

from ..model_base import Positive
from .base import Rule, RuleContext, Scored, as_float, fmt, num


class PerShortfall(Rule):
    type: Literal["per_shortfall"]
    field: str
    required: Positive
    step: Positive

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}：应{required}次，实际{actual}次，达到要求",
        "deducted": "{label}：应{required}次，实际{actual}次，少{missing}次，每少1次扣{step}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "required", "actual", "missing", "step")

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def score(self, ctx: RuleContext) -> Scored:
        actual = as_float(ctx.values[self.field])
        missing = np.clip(self.required - actual, 0.0, None)
        return Scored(
            points=ctx.points - missing * self.step,
            vars={
                "label": ctx.labels[self.field],
                "required": fmt(self.required),
                "actual": num(actual),
                "missing": num(missing),
                "step": fmt(self.step),
            },
            inputs=ctx.labels[self.field] + "=" + num(actual),
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        return (f"{labels[self.field]}应达{fmt(self.required)}次，每少1次扣{fmt(self.step)}分，"
                f"扣完{fmt(points)}分为止")
