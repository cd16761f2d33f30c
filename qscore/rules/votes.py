"""Vote-based: counts per grade × coefficients ÷ valid votes, times the item's points.
e.g. 述职评议 好1.0/较好0.8/一般0.6/差0；“不了解”不计入有效票."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from .base import Rule, RuleContext, Scored, as_float, fmt, num, percent


class Votes(Rule):
    type: Literal["votes"]
    counts: dict[str, float] = Field(min_length=1)  # field key -> coefficient (0..1)

    templates: ClassVar[Mapping[str, str]] = {
        "full": "有效票{valid}张（{detail}），得票率{rate}，得{points}分",
        "deducted": "有效票{valid}张（{detail}），得票率{rate}，得{points}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("valid", "detail", "rate")

    def fields(self) -> tuple[str, ...]:
        return tuple(self.counts)

    def score(self, ctx: RuleContext) -> Scored:
        counts = {k: as_float(ctx.values[k]) for k in self.counts}
        valid = np.sum(list(counts.values()), axis=0) if counts else np.zeros(ctx.size)
        weighted = np.sum([c * self.counts[k] for k, c in counts.items()], axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(valid > 0, weighted / valid, 0.0)
        detail: np.ndarray = np.full(ctx.size, "", dtype=object)
        for i, (k, c) in enumerate(counts.items()):
            detail = detail + ("、" if i else "") + ctx.labels[k] + num(c) + "票"
        return Scored(
            points=ctx.points * rate,
            vars={"valid": num(valid), "detail": detail, "rate": percent(rate)},
            inputs=detail,
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        coef = "、".join(f"{labels[k]}×{fmt(v)}" for k, v in self.counts.items())
        return f"按有效票加权计分（{coef}），再乘以{fmt(points)}分"
