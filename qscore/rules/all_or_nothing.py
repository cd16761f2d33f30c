"""All-or-nothing: full points when a yes/no item is met, none otherwise.
e.g. 未成立党建工作领导小组扣1分; 未按期换届扣3分."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np

from .base import Rule, RuleContext, Scored, as_float, fmt


class AllOrNothing(Rule):
    type: Literal["all_or_nothing"]
    field: str
    expect: bool = True  # the answer that earns the points (false for "发生重大事故")

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}：{answer}，得{max}分",
        "deducted": "{label}：{answer}，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "answer")

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def score(self, ctx: RuleContext) -> Scored:
        value = as_float(ctx.values[self.field])
        met = value == (1.0 if self.expect else 0.0)
        answer = np.where(value == 1.0, "是", "否").astype(object)
        return Scored(
            points=np.where(met, ctx.points, 0.0),
            vars={"label": ctx.labels[self.field], "answer": answer},
            inputs=ctx.labels[self.field] + "=" + answer,
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        want = "是" if self.expect else "否"
        return f"{labels[self.field]}为“{want}”得{fmt(points)}分，否则不得分"
