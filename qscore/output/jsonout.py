"""`--format json`: the assessment for machines, derived from the points table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..assessment import Assessment
from .stamp import Stamp


def _clean(v: object) -> object:
    if isinstance(v, float | np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def assessment_dict(a: Assessment, stamp: Stamp) -> dict[str, object]:
    r = a.rubric
    u = a.units
    items_by_unit = {code: g for code, g in a.points.groupby("code", sort=False)}
    lists_by_unit = {code: g for code, g in a.lists.groupby("code", sort=False)} if len(a.lists) else {}
    units = []
    for code, row in u.iterrows():
        g = items_by_unit.get(code, pd.DataFrame(columns=a.points.columns))
        lst = lists_by_unit.get(code)
        units.append({
            "code": code, "name": row["name"], "category": row["category_name"],
            "category_key": row["category"], "total": _clean(row["total"]), "rank": _clean(row["rank"]),
            "category_rank": _clean(row["category_rank"]), "grade": row["grade"],
            "threshold_grade": row["threshold_grade"], "quota_demoted": bool(row["quota_demoted"]),
            "vetoed": bool(row["vetoed"]), "vetoes": [x for x in row["vetoes"].split("、") if x],
            "parts": {p.key: {"score": _clean(row[f"part:{p.key}"]), "weighted": _clean(row[f"weighted:{p.key}"])}
                      for p in r.effective_parts},
            "bonus": _clean(row["bonus"]), "deduction": _clean(row["deduction"]),
            "lists": [] if lst is None else [
                {"list": k, "name": n, "reason": why, "deadline": d or None}
                for k, n, why, d in zip(lst["list"], lst["list_name"], lst["reason"], lst["deadline"], strict=True)],
            "items": [
                {"indicator": ind, "name": item, "kind": kind, "dimension": dim or None, "inputs": inputs,
                 "points": _clean(pts), "max": _clean(mx), "reason": why, "source": src}
                for ind, item, kind, dim, inputs, pts, mx, why, src in zip(
                    g["indicator"], g["item"], g["kind"], g["dimension"], g["inputs"], g["points"], g["max"],
                    g["reason"], g["source"], strict=True)],
        })
    return {"meta": stamp.as_dict(), "title": r.title, "year": r.year, "decimals": r.decimals, "units": units}


def render_json(a: Assessment, stamp: Stamp) -> str:
    return json.dumps(assessment_dict(a, stamp), ensure_ascii=False, indent=1) + "\n"
