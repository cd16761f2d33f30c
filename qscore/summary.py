"""Summary figures of an assessment (pure): per category and overall."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .assessment import Assessment
from .conditions import evaluate
from .rounding import round_scalar


@dataclass(frozen=True)
class Summary:
    by_category: pd.DataFrame  # category name -> units, mean, grade counts
    indices: pd.DataFrame  # index name -> units meeting, rate
    top: pd.DataFrame
    bottom: pd.DataFrame
    list_counts: pd.Series
    units: int
    mean: float


def mean_half_up(values: pd.Series, decimals: int) -> float:
    return round_scalar(float(values.sum()) / len(values), decimals) if len(values) else float("nan")


def summarise(a: Assessment, n: int = 5) -> Summary:
    r = a.rubric
    u = a.units
    rows = []
    for c in r.categories:
        sub = u[u["category"] == c.key]
        row = {"category": c.name, "units": len(sub), "mean": mean_half_up(sub["total"], r.decimals)}
        for g in r.grade_names:
            row[g] = int((sub["grade"] == g).sum())
        rows.append(row)
    total_row = {"category": "合计", "units": len(u), "mean": mean_half_up(u["total"], r.decimals)}
    for g in r.grade_names:
        total_row[g] = int((u["grade"] == g).sum())
    rows.append(total_row)
    by_cat = pd.DataFrame(rows)
    idx_rows = []
    for index in r.indices:
        hit = evaluate(index.when, a.facts)
        idx_rows.append({"index": index.name, "units": int(hit.sum()),
                         "rate": round_scalar(100 * hit.mean(), 1) if len(hit) else np.nan})
    cols = ["name", "category_name", "total", "rank", "grade"]
    ordered = u.sort_values(["rank"], kind="stable")
    return Summary(
        by_category=by_cat, indices=pd.DataFrame(idx_rows, columns=["index", "units", "rate"]),
        top=ordered.head(n)[cols], bottom=ordered.tail(n)[cols],
        list_counts=a.lists.groupby("list_name", sort=False).size() if len(a.lists) else pd.Series(dtype=int),
        units=len(u), mean=mean_half_up(u["total"], r.decimals),
    )
