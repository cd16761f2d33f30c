"""Conditions in a rubric (veto items, grade caps, lists, indices): a small declarative
grammar of YAML mappings, evaluated as vectorised boolean masks. Nothing is executed.

    {grade: 差}                         {grade_in: [一般, 差]}
    {total_below: 60}                   {total_at_least: 90}
    {top: 5}  {bottom: 3}               (place within the unit's category)
    {vetoed: true}
    {field: secretary_prosecuted, is: true}
    {field: years_without_recruit, at_least: 3}
    {field: standardisation, in: [达标]}
    {indicator: dues, lost_at_least: 1}  (points lost on an indicator)
    {part: daily, below: 80}             {dimension: org_life, below: 20}
    {all: [...]}  {any: [...]}  {not: {...}}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from .model_base import Strict

SUBJECTS = ("all", "any", "not_", "grade", "grade_in", "total_below", "total_at_least",
            "top", "bottom", "vetoed", "field", "indicator", "part", "dimension")
COMPARISONS = ("is_", "in_", "at_least", "at_most", "above", "below", "lost_at_least")


class Condition(Strict):
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    grade: str | None = None
    grade_in: tuple[str, ...] | None = None
    total_below: float | None = None
    total_at_least: float | None = None
    top: int | None = Field(default=None, ge=1)
    bottom: int | None = Field(default=None, ge=1)
    vetoed: bool | None = None
    field: str | None = None
    indicator: str | None = None
    part: str | None = None
    dimension: str | None = None
    is_: bool | str | float | None = Field(default=None, alias="is")
    in_: tuple[str | float, ...] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None
    below: float | None = None
    lost_at_least: float | None = None

    @model_validator(mode="after")
    def _shape(self) -> Condition:
        subjects = [s for s in SUBJECTS if getattr(self, s) is not None]
        if len(subjects) != 1:
            names = ", ".join(s.rstrip("_") for s in subjects) or "none"
            raise ValueError(
                "a condition needs exactly one of grade, grade_in, total_below, total_at_least, "
                f"top, bottom, vetoed, field, indicator, part, dimension, all, any, not (found: {names})"
            )
        comps = [c for c in COMPARISONS if getattr(self, c) is not None]
        subject = subjects[0]
        if subject in ("field", "indicator", "part", "dimension"):
            if len(comps) != 1:
                raise ValueError(
                    f"`{subject}: {getattr(self, subject)}` needs exactly one test: "
                    "is, in, at_least, at_most, above, below (or lost_at_least for an indicator)"
                )
            if comps[0] == "lost_at_least" and subject != "indicator":
                raise ValueError("lost_at_least applies to an indicator only")
            if subject != "field" and comps[0] in ("is_", "in_"):
                raise ValueError(f"a {subject} is a score: compare it with at_least/at_most/above/below")
        elif comps:
            raise ValueError(f"`{comps[0].rstrip('_')}` only goes with field, indicator, part or dimension")
        return self

    @property
    def subject(self) -> str:
        return next(s for s in SUBJECTS if getattr(self, s) is not None)

    def walk(self) -> Iterator[Condition]:
        yield self
        for child in (*(self.all or ()), *(self.any or ())):
            yield from child.walk()
        if self.not_ is not None:
            yield from self.not_.walk()

    def describe(self, names: Mapping[str, Mapping[str, str]] | None = None) -> str:
        """Plain Chinese, for notices and `rubric show`; `names` maps a kind (field,
        indicator, part, dimension) and key to its display name (Rubric.display_names)."""
        s = self.subject
        if s in ("all", "any"):
            joiner = "且" if s == "all" else "或"
            return joiner.join(c.describe(names) for c in getattr(self, s))
        if s == "not_":
            return f"非（{self.not_.describe(names)}）" if self.not_ else ""
        if s == "grade":
            return f"等次为“{self.grade}”"
        if s == "grade_in":
            return "等次为" + "或".join(f"“{g}”" for g in self.grade_in or ())
        if s == "total_below":
            return f"总分低于{self.total_below:g}分"
        if s == "total_at_least":
            return f"总分达到{self.total_at_least:g}分"
        if s == "top":
            return f"本类别前{self.top}名"
        if s == "bottom":
            return f"本类别后{self.bottom}名"
        if s == "vetoed":
            return "被一票否决" if self.vetoed else "未被一票否决"
        comp = next(c for c in COMPARISONS if getattr(self, c) is not None)
        value = getattr(self, comp)
        key = getattr(self, s)
        subject = (names or {}).get(s, {}).get(key, key)
        words = {"is_": "为", "at_least": "不低于", "at_most": "不高于", "above": "高于",
                 "below": "低于", "lost_at_least": "扣分不少于"}
        if comp == "in_":
            return f"{subject}为" + "或".join(f"“{v}”" for v in value)
        if isinstance(value, bool):
            return f"{subject}为“{'是' if value else '否'}”"
        if isinstance(value, str):
            return f"{subject}为“{value}”"
        unit = "分" if s != "field" else ""
        return f"{subject}{words[comp]}{value:g}{unit}"


Condition.model_rebuild()


@dataclass(frozen=True)
class Facts:
    """What conditions can look at, one row per unit (all indexed by unit code)."""

    fields: pd.DataFrame           # typed field values
    indicator_points: pd.DataFrame  # unit x indicator key -> points (NaN where it does not apply)
    indicator_max: pd.DataFrame
    parts: pd.DataFrame            # unit x part key -> part score on its own scale
    dimensions: pd.DataFrame       # unit x dimension key -> points
    total: pd.Series
    grade: pd.Series | None = None
    vetoed: pd.Series | None = None
    category_place: pd.Series | None = None
    category_size: pd.Series | None = None


def _compare(values: pd.Series, cond: Condition) -> np.ndarray:
    if cond.is_ is not None:
        target: Any = cond.is_
        if isinstance(target, bool):
            return (values.astype(float) == (1.0 if target else 0.0)).to_numpy()
        return (values.astype(object) == target).to_numpy()
    if cond.in_ is not None:
        return values.isin(list(cond.in_)).to_numpy()
    v = np.round(values.to_numpy(dtype=float, na_value=np.nan), 9)
    with np.errstate(invalid="ignore"):
        if cond.at_least is not None:
            return v >= cond.at_least
        if cond.at_most is not None:
            return v <= cond.at_most
        if cond.above is not None:
            return v > cond.above
        if cond.below is not None:
            return v < cond.below
    raise AssertionError("validated: one comparison")


def evaluate(cond: Condition, facts: Facts) -> np.ndarray:
    """Boolean mask over facts.total's index."""
    s = cond.subject
    n = len(facts.total)
    if s == "all":
        out = np.ones(n, dtype=bool)
        for c in cond.all or ():
            out &= evaluate(c, facts)
        return out
    if s == "any":
        out = np.zeros(n, dtype=bool)
        for c in cond.any or ():
            out |= evaluate(c, facts)
        return out
    if s == "not_":
        assert cond.not_ is not None
        return ~evaluate(cond.not_, facts)
    if s in ("grade", "grade_in"):
        if facts.grade is None:
            raise ValueError("grade is not known yet")
        grades = [cond.grade] if s == "grade" else list(cond.grade_in or ())
        return facts.grade.isin(grades).to_numpy()
    if s == "total_below":
        return np.round(facts.total.to_numpy(dtype=float), 9) < (cond.total_below or 0)
    if s == "total_at_least":
        return np.round(facts.total.to_numpy(dtype=float), 9) >= (cond.total_at_least or 0)
    if s in ("top", "bottom"):
        if facts.category_place is None or facts.category_size is None:
            raise ValueError("places are not known yet")
        place = facts.category_place.to_numpy()
        if s == "top":
            return place <= (cond.top or 0)
        # bottom N: a place among the last N (a shared place counts if any of it is there)
        return place > facts.category_size.to_numpy() - (cond.bottom or 0)
    if s == "vetoed":
        if facts.vetoed is None:
            raise ValueError("vetoes are not known yet")
        return facts.vetoed.to_numpy() == bool(cond.vetoed)
    key = getattr(cond, s)
    if s == "field":
        return _compare(facts.fields[key], cond)
    if s == "indicator":
        pts = facts.indicator_points[key]
        if cond.lost_at_least is not None:
            lost = (facts.indicator_max[key] - pts).to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                return np.round(lost, 9) >= cond.lost_at_least
        return _compare(pts, cond)
    table = facts.parts if s == "part" else facts.dimensions
    return _compare(table[key], cond)


def condition_refs(cond: Condition) -> Mapping[str, set[str]]:
    """Keys a condition refers to, by kind, for load-time checks."""
    refs: dict[str, set[str]] = {k: set() for k in ("field", "indicator", "part", "dimension", "grade")}
    for c in cond.walk():
        for kind in ("field", "indicator", "part", "dimension"):
            if getattr(c, kind) is not None:
                refs[kind].add(getattr(c, kind))
        if c.grade is not None:
            refs["grade"].add(c.grade)
        refs["grade"].update(c.grade_in or ())
    return refs
