"""`assess`: the whole pipeline as one pure function, and the Assessment it returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .conditions import Facts
from .consequences import build_lists, vetoes_and_caps
from .engine import score, totals
from .errors import InputError
from .ranking import apply_quotas, competition_places, rank_keys, threshold_grades
from .returns import Returns
from .rubric import Rubric

NOT_SCORED_COLUMNS = ["code", "name", "category", "reasons"]


@dataclass(frozen=True)
class Assessment:
    """The result of an assessment. `points` is the one long table every output is
    derived from; `units` and `lists` are derived from it, never edited."""

    rubric: Rubric
    returns: Returns
    points: pd.DataFrame  # one row per unit x indicator (plus rescale/weight/bonus/... rows)
    units: pd.DataFrame  # one row per unit: subtotals, total, places, grade, veto
    lists: pd.DataFrame  # one row per unit on each named list
    facts: Facts  # what conditions saw (fields, indicator points, parts, grades, places)
    as_of: dt.date | None = None
    not_scored: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_SCORED_COLUMNS))
    """Units left out with --skip-invalid, with why: code, name, category, reasons."""

    def unit(self, key: str) -> str:
        """The code of the unit whose code or exact name is `key`; KeyError if none."""
        if key in self.units.index:
            return key
        hits = self.units.index[self.units["name"] == key]
        if len(hits) == 1:
            return str(hits[0])
        raise KeyError(key)


def _facts(rubric: Rubric, returns: Returns, points: pd.DataFrame, table: pd.DataFrame) -> Facts:
    codes = returns.units.index
    items = points[points["kind"] == "item"]
    ind_pts = items.pivot_table(index="code", columns="indicator", values="points", aggfunc="sum").reindex(codes)
    ind_max = items.pivot_table(index="code", columns="indicator", values="max", aggfunc="sum").reindex(codes)
    for key in rubric.indicators:
        if key not in ind_pts:
            ind_pts[key] = np.nan
            ind_max[key] = np.nan
    parts = pd.DataFrame({p.key: table[f"part:{p.key}"] for p in rubric.effective_parts})
    dims = pd.DataFrame({d.key: table[f"dimension:{d.key}"] for d in rubric.dimensions})
    return Facts(fields=returns.units, indicator_points=ind_pts, indicator_max=ind_max,
                 parts=parts, dimensions=dims, total=table["total"])


def assess(rubric: Rubric, returns: Returns, as_of: dt.date | None = None,
           not_scored: pd.DataFrame | None = None) -> Assessment:
    """Score, rank and grade every unit, and draw up the lists.

    Refuses (InputError) returns with errors: a unit must never be scored on a value
    that could not be read. `as_of` dates the deadlines of lists (e.g. 30 days from it).
    `not_scored` lists units the caller left out (and why), to be shown in every output.
    """
    if returns.errors:
        raise InputError(f"{len(returns.errors)} problem(s) in the returns; run `qscore validate`",
                         returns.errors)
    if len(returns.units) == 0:
        raise InputError("no unit found in the returns: each needs a row under the header "
                         f"(a 「{rubric.unit.code.label}」 column), or a form with its code above the items")
    points = score(rubric, returns)
    table = totals(rubric, returns, points)
    facts = _facts(rubric, returns, points, table)
    for key in rubric.indicators:
        table[f"indicator:{key}"] = facts.indicator_points[key]

    vetoed, veto_names, best_allowed, cap_names, veto_lists = vetoes_and_caps(rubric, facts)
    table["vetoed"] = vetoed
    table["vetoes"] = veto_names
    table["veto_list"] = pd.Series(veto_lists, index=table.index, dtype=object)
    table["caps"] = cap_names

    keys = rank_keys(rubric, table, returns.units)
    table["rank"] = competition_places(keys)
    table["category_rank"] = competition_places(keys, table["category"])
    table["category_size"] = table["category"].map(table["category"].value_counts()).astype(int)

    names = rubric.grade_names
    by_threshold = threshold_grades(rubric, table["total"])
    idx = np.maximum(by_threshold, best_allowed)
    idx = np.where(vetoed, len(names) - 1, idx)
    scope = table["category"] if rubric.grades.quota_scope == "category" else pd.Series("", index=table.index)
    place = table["category_rank"] if rubric.grades.quota_scope == "category" else table["rank"]
    idx, demoted = apply_quotas(rubric, idx, place, scope)
    table["threshold_grade"] = np.array(names, dtype=object)[by_threshold]
    table["grade"] = np.array(names, dtype=object)[idx]
    table["quota_demoted"] = demoted

    facts = Facts(**{**facts.__dict__, "grade": table["grade"], "vetoed": table["vetoed"],
                     "category_place": table["category_rank"], "category_size": table["category_size"]})
    lists = build_lists(rubric, facts, table, points, as_of)
    on_lists = lists.groupby("code", sort=False)["list_name"].agg("、".join) if len(lists) else pd.Series(dtype=object)
    table["lists"] = on_lists.reindex(table.index).fillna("")
    extra = {} if not_scored is None else {"not_scored": not_scored.reset_index(drop=True)}
    return Assessment(rubric=rubric, returns=returns, points=points, units=table, lists=lists,
                      facts=facts, as_of=as_of, **extra)
