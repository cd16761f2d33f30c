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


def _col(frame: pd.DataFrame, name: str) -> list[object]:
    return [_clean(v) for v in frame[name].tolist()]


def assessment_dict(a: Assessment, stamp: Stamp) -> dict[str, object]:
    r = a.rubric
    u = a.units
    p = a.points  # sorted by unit in return order, so each unit's rows are one slice
    counts = p.groupby("code", sort=False, observed=False)["seq"].size().reindex(u.index).fillna(0).astype(int)
    ends = np.cumsum(counts.to_numpy())
    item_rows = list(zip(p["indicator"].tolist(), p["item"].tolist(), p["kind"].tolist(),
                         [d or None for d in p["dimension"].tolist()], p["inputs"].tolist(), _col(p, "points"),
                         _col(p, "max"), p["reason"].tolist(), p["source"].tolist(), strict=True))
    keys = ("indicator", "name", "kind", "dimension", "inputs", "points", "max", "reason", "source")
    lists: dict[str, list[dict[str, object]]] = {}
    for code, key, name, why, deadline in zip(a.lists["code"], a.lists["list"], a.lists["list_name"],
                                              a.lists["reason"], a.lists["deadline"], strict=True):
        lists.setdefault(code, []).append({"list": key, "name": name, "reason": why, "deadline": deadline or None})
    part_cols = {pt.key: (_col(u, f"part:{pt.key}"), _col(u, f"weighted:{pt.key}")) for pt in r.effective_parts}
    columns = {c: _col(u, c) for c in ("name", "category_name", "category", "total", "rank", "category_rank",
                                       "grade", "threshold_grade", "quota_demoted", "vetoed", "vetoes",
                                       "bonus", "deduction")}
    veto_lists = u["veto_list"].tolist()
    units = []
    start = 0
    for i, code in enumerate(u.index.tolist()):
        end = int(ends[i])
        units.append({
            "code": code, "name": columns["name"][i], "category": columns["category_name"][i],
            "category_key": columns["category"][i], "total": columns["total"][i], "rank": columns["rank"][i],
            "category_rank": columns["category_rank"][i], "grade": columns["grade"][i],
            "threshold_grade": columns["threshold_grade"][i], "quota_demoted": bool(columns["quota_demoted"][i]),
            "vetoed": bool(columns["vetoed"][i]), "vetoes": list(veto_lists[i]),
            "parts": {k: {"score": v[0][i], "weighted": v[1][i]} for k, v in part_cols.items()},
            "bonus": columns["bonus"][i], "deduction": columns["deduction"][i],
            "lists": lists.get(code, []),
            "items": [dict(zip(keys, row, strict=True)) for row in item_rows[start:end]],
        })
        start = end
    not_scored = [{"code": c, "name": n, "category": k, "reasons": why} for c, n, k, why in zip(
        a.not_scored["code"], a.not_scored["name"], a.not_scored["category"], a.not_scored["reasons"], strict=True)]
    return {"meta": stamp.as_dict(), "title": r.title, "year": r.year, "decimals": r.decimals, "units": units,
            "not_scored": not_scored}


def render_json(a: Assessment, stamp: Stamp) -> str:
    # compact: with `indent` json falls back to its pure-Python encoder (about 10x slower here)
    return json.dumps(assessment_dict(a, stamp), ensure_ascii=False, separators=(",", ":")) + "\n"
