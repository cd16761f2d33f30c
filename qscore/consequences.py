"""Vetoes, grade caps and the named lists (通报表扬, 通报批评, 约谈, 问责, 限期整改)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .conditions import Facts, evaluate
from .rounding import format_plain, format_points
from .rubric import Rubric
from .templates_text import fill

LIST_COLUMNS = ("code", "name", "category", "list", "list_name", "reason", "deadline")


def matched_lists(conds: list[tuple[str, np.ndarray]], n: int) -> list[list[str]]:
    """Per unit, the names of the rules that matched, as a list (names may contain 、)."""
    out: list[list[str]] = [[] for _ in range(n)]
    for name, mask in conds:
        for i in np.flatnonzero(mask):
            out[i].append(name)
    return out


def matched_names(conds: list[tuple[str, np.ndarray]], n: int) -> np.ndarray:
    """Per unit, the names of the rules that matched, joined with 、 for display."""
    return np.array(["、".join(x) for x in matched_lists(conds, n)], dtype=object)


def vetoes_and_caps(rubric: Rubric, facts: Facts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                           list[list[str]]]:
    """(vetoed mask, veto names joined, best grade index allowed, cap names, veto names as lists)."""
    n = len(facts.total)
    veto_hits = [(v.name, evaluate(v.when, facts)) for v in rubric.vetoes]
    vetoed = np.zeros(n, dtype=bool)
    for _, m in veto_hits:
        vetoed |= m
    best = np.zeros(n, dtype=int)
    cap_hits = []
    names = rubric.grade_names
    for cap in rubric.grade_caps:
        m = evaluate(cap.when, facts)
        best = np.where(m, np.maximum(best, names.index(cap.grade)), best)
        cap_hits.append((f"{cap.name}（最高评为“{cap.grade}”）", m))
    return vetoed, matched_names(veto_hits, n), best, matched_names(cap_hits, n), matched_lists(veto_hits, n)


def deduction_summary(points: pd.DataFrame, codes: pd.Index) -> pd.Series:
    """Per unit in `codes`: 「支委会扣1.5分；党课扣1分」 from the item rows that lost points."""
    items = points[(points["kind"] == "item") & (points["points"] < points["max"]) & points["code"].isin(codes)]
    text = items["item"] + "扣" + format_plain((items["max"] - items["points"]).round(9)) + "分"
    joined = text.groupby(items["code"].astype(object), sort=False).agg("；".join)
    return joined.reindex(codes).fillna("无")


def build_lists(rubric: Rubric, facts: Facts, units: pd.DataFrame, points: pd.DataFrame,
                as_of: dt.date | None) -> pd.DataFrame:
    frames = []
    for order, rule in enumerate(rubric.lists):
        mask = evaluate(rule.when, facts)
        if not mask.any():
            continue
        sub = units[mask]
        values: dict[str, object] = {
            "name": sub["name"].to_numpy(dtype=object), "code": sub.index.to_numpy(dtype=object),
            "category": sub["category_name"].to_numpy(dtype=object),
            "total": format_points(sub["total"].to_numpy(), rubric.decimals).astype(object),
            "grade": sub["grade"].to_numpy(dtype=object),
            "place": sub["rank"].astype(str).to_numpy(dtype=object),
            "category_place": sub["category_rank"].astype(str).to_numpy(dtype=object),
            "category_size": sub["category_size"].astype(str).to_numpy(dtype=object),
            "vetoes": sub["vetoes"].to_numpy(dtype=object), "list": rule.name,
        }
        if "{deductions}" in rule.reason:
            values["deductions"] = deduction_summary(points, sub.index).to_numpy(dtype=object)
        if rule.deadline:
            deadline = rule.deadline
        elif rule.within_days:
            deadline = ((as_of + dt.timedelta(days=rule.within_days)).isoformat() if as_of
                        else f"通报印发之日起{rule.within_days}日内")
        else:
            deadline = ""
        frames.append(pd.DataFrame({
            "code": sub.index.to_numpy(dtype=object), "name": sub["name"].to_numpy(dtype=object),
            "category": sub["category_name"].to_numpy(dtype=object), "list": rule.key,
            "list_name": rule.name, "reason": fill(rule.reason, values, len(sub)), "deadline": deadline,
            "_order": order, "_place": sub["rank"].to_numpy(),
        }))
    if not frames:
        return pd.DataFrame(columns=list(LIST_COLUMNS))
    out = pd.concat(frames, ignore_index=True).sort_values(["_order", "_place", "code"], kind="stable")
    return out.drop(columns=["_order", "_place"]).reset_index(drop=True)
