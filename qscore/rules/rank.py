"""Rank-based: points by place within a group (places share on equal values, 1, 2, 2, 4),
or in proportion to the best value of the group.
e.g. 前5名分别得60/57/54/51/48分; 第一名得6分，其余按与第一名的比例得分."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..model_base import Points
from .base import Rule, RuleContext, Scored, fmt, num


class Rank(Rule):
    type: Literal["rank"]
    field: str
    order: Literal["desc", "asc"] = "desc"  # desc: a higher value is better
    within: Literal["category", "all"] = "category"
    places: tuple[Points, ...] | None = None
    others: Points = 0.0  # points for places beyond the list
    proportional: bool = False

    templates: ClassVar[Mapping[str, str]] = {
        "full": "{label}：{value}，{scope}第{place}名，得{points}分",
        "deducted": "{label}：{value}，{scope}第{place}名（共{size}个），得{points}分，扣{lost}分",
    }
    variables: ClassVar[tuple[str, ...]] = ("label", "value", "place", "size", "scope", "best")

    @model_validator(mode="after")
    def _one_way(self) -> Rank:
        if (self.places is None) == (not self.proportional):
            raise ValueError("give either `places: [...]` or `proportional: true`")
        if self.proportional and self.order != "desc":
            raise ValueError("`proportional` needs order: desc (a share of the best, highest value)")
        return self

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def score(self, ctx: RuleContext) -> Scored:
        value = ctx.values[self.field].astype(float)
        group = ctx.group if self.within == "category" else ctx.group.map(lambda _: "")
        place = value.groupby(group.to_numpy()).rank(method="min", ascending=self.order == "asc")
        size = group.map(group.value_counts()).to_numpy()
        best = value.groupby(group.to_numpy()).transform("max").to_numpy(dtype=float)
        v = value.to_numpy(dtype=float)
        if self.proportional:
            with np.errstate(divide="ignore", invalid="ignore"):
                points = np.where(best > 0, ctx.points * v / best, 0.0)
        else:
            table = np.array((*(self.places or ()), self.others), dtype=float)
            idx = np.minimum(place.to_numpy(dtype=int) - 1, len(table) - 1)
            points = table[idx]
        scope = "本类别" if self.within == "category" else "全部单位中"
        return Scored(
            points=points,
            vars={"label": ctx.labels[self.field], "value": num(v), "place": num(place),
                  "size": num(size), "scope": scope, "best": num(best)},
            inputs=ctx.labels[self.field] + "=" + num(v),
        )

    def describe(self, labels: Mapping[str, str], points: float) -> str:
        scope = "在本类别内" if self.within == "category" else "在全部单位中"
        how = "从高到低" if self.order == "desc" else "从低到高"
        if self.proportional:
            return f"{labels[self.field]}{scope}最高者得{fmt(points)}分，其余按与最高者的比例得分"
        pts = "/".join(fmt(p) for p in self.places or ())
        return f"{labels[self.field]}{scope}{how}排名，前{len(self.places or ())}名依次得{pts}分，其余得{fmt(self.others)}分"
