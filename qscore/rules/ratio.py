"""Ratio and threshold: a rate (a field, or numerator ÷ denominator) scored one of three ways.

- linear:    full points at `full_at`, none at `zero_at`, in proportion between;
- steps:     `deduct` for each `per` below `target` (e.g. 每低5个百分点扣0.5分);
- threshold: full points at or above `at_least`, else `otherwise` (e.g. 满意率低于90%扣2分).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..model_base import Points, Positive, Strict
from .base import Rule, RuleContext, Scored, as_float, fmt, pct, percent, snap


class Linear(Strict):
    zero_at: float
    full_at: float


class Steps(Strict):
    target: float
    per: Positive
    deduct: Positive
    partial: bool = False  # count a part of `per` as a whole step (不足按一档计)


class Threshold(Strict):
    at_least: float
    otherwise: Points = 0.0


class Ratio(Rule):
    type: Literal["ratio"]
    field: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    linear: Linear | None = None
    steps: Steps | None = None
    threshold: Threshold | None = None
    when_no_denominator: Literal["full", "zero"] = "full"  # 应收为0时视为达标

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}：{rate}，得{points}分",
        "deducted": "{label}：{rate}（{standard}），得{points}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "rate", "standard")

    @model_validator(mode="after")
    def _one_way(self) -> Ratio:
        modes = [m for m in (self.linear, self.steps, self.threshold) if m is not None]
        if len(modes) != 1:
            raise ValueError("give exactly one of `linear`, `steps`, `threshold`")
        if (self.field is None) == (self.numerator is None or self.denominator is None):
            raise ValueError("give either `field` (a rate) or both `numerator` and `denominator`")
        if self.linear and self.linear.full_at == self.linear.zero_at:
            raise ValueError("linear.full_at must differ from linear.zero_at")
        return self

    def fields(self) -> tuple[str, ...]:
        if self.field:
            return (self.field,)
        return (self.numerator or "", self.denominator or "")

    def _label(self, labels: Mapping[str, str]) -> str:
        if self.field:
            return labels[self.field]
        return f"{labels[self.numerator or '']}占{labels[self.denominator or '']}比例"

    def score(self, ctx: RuleContext) -> Scored:
        if self.field:
            rate = as_float(ctx.values[self.field])
            no_base = np.zeros(len(rate), dtype=bool)
        else:
            num_ = as_float(ctx.values[self.numerator or ""])
            den = as_float(ctx.values[self.denominator or ""])
            no_base = den == 0
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(no_base, 1.0 if self.when_no_denominator == "full" else 0.0, num_ / den)
        r = snap(rate)
        full = ctx.points
        if self.linear:
            lo, hi = self.linear.zero_at, self.linear.full_at
            points = full * np.clip((r - lo) / (hi - lo), 0.0, 1.0)
            standard = f"{pct(hi)}得满分，{pct(lo)}及以下不得分"
        elif self.steps:
            s = self.steps
            short = np.clip(snap(s.target - r), 0.0, None) / s.per
            n = np.ceil(snap(short)) if s.partial else np.floor(snap(short))
            points = full - n * s.deduct
            standard = f"目标{pct(s.target)}，每低{pct(s.per)}扣{fmt(s.deduct)}分"
        else:
            t = self.threshold
            assert t is not None
            points = np.where(r >= snap(np.float64(t.at_least)), full, min(t.otherwise, full))
            standard = f"未达到{pct(t.at_least)}"
        label = self._label(ctx.labels)
        rate_text = percent(rate)
        if not self.field:
            rate_text = np.where(no_base, "（应为0，视为" + ("达标" if self.when_no_denominator == "full" else "不达标") + "）",
                                 rate_text).astype(object)
        return Scored(
            points=points,
            vars={"label": label, "rate": rate_text, "standard": standard},
            inputs=label + "=" + rate_text,
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        label = self._label(labels)
        if self.linear:
            return (f"{label}达到{pct(self.linear.full_at)}得{fmt(points)}分，"
                    f"{pct(self.linear.zero_at)}及以下不得分，其间按比例计分")
        if self.steps:
            s = self.steps
            return f"{label}目标{pct(s.target)}，每低{pct(s.per)}扣{fmt(s.deduct)}分，扣完为止"
        t = self.threshold
        assert t is not None
        return f"{label}达到{pct(t.at_least)}得{fmt(points)}分，否则得{fmt(t.otherwise)}分"
