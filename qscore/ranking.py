"""Places and grades.

Places follow the published (rounded) total and then the rubric's tie-break chain; units
equal on the whole chain share a place (1, 2, 2, 4). Grades come from thresholds, then
grade caps and vetoes, then quotas: at most floor(n × quota) units of a category get a
band; the rest fall to the next band in place order. A tie across the quota boundary is
settled by the rubric's `quota_ties`: `include` grants the band to every unit sharing the
last place inside the quota (the quota may then be exceeded by those ties only);
`exclude` grants it to none of them (the quota is never exceeded).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .rubric import Rubric


def competition_places(keys: pd.DataFrame, group: pd.Series | None = None) -> pd.Series:
    """Standard competition ranking (1, 2, 2, 4) over the key columns in priority order, all
    'smaller is better' (negate a column where higher is better). NaN keys rank last."""
    n = len(keys)
    if n == 0:
        return pd.Series([], index=keys.index, dtype=int)
    cols = [np.nan_to_num(np.round(keys[c].to_numpy(dtype=float), 9), nan=np.inf) for c in keys.columns]
    g = np.zeros(n, dtype=np.int64) if group is None else pd.factorize(group.to_numpy(), sort=True)[0]
    # index position last, for a deterministic order among equals (they share a place anyway)
    order = np.lexsort((np.arange(n), *reversed(cols), g))
    sorted_cols = [c[order] for c in cols]
    gs = g[order]
    new_group = np.r_[True, gs[1:] != gs[:-1]]
    differs = new_group.copy()
    for c in sorted_cols:
        differs[1:] |= c[1:] != c[:-1]
    pos = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    place_sorted = np.maximum.accumulate(np.where(differs, pos, 0)) - group_start + 1
    places = np.empty(n, dtype=np.int64)
    places[order] = place_sorted
    return pd.Series(places, index=keys.index)


def rank_keys(rubric: Rubric, table: pd.DataFrame, fields: pd.DataFrame) -> pd.DataFrame:
    """The ranking keys as 'smaller is better' columns: vetoed units last (if the rubric says
    so), then the total, then the rubric's tie-break chain."""
    keys = pd.DataFrame(index=table.index)
    if rubric.ranking.vetoed_last:
        keys["vetoed"] = table["vetoed"].to_numpy(dtype=float)
    keys["total"] = -table["total"].to_numpy(dtype=float)
    for i, key in enumerate(rubric.ranking.tie_break):
        kind, ref = key.ref
        if kind == "field":
            values = fields[ref].astype(float)
        elif kind == "indicator":
            values = table[f"indicator:{ref}"]
        else:
            values = table[f"{kind}:{ref}"]
        sign = -1.0 if key.order == "desc" else 1.0
        keys[f"k{i}"] = sign * values.to_numpy(dtype=float)
    return keys


def threshold_grades(rubric: Rubric, total: pd.Series) -> np.ndarray:
    """Index into rubric.grades.bands of the band each total reaches (0 is the best)."""
    bands = rubric.grades.bands
    t = np.round(total.to_numpy(dtype=float), 9)
    conditions = [t >= b.min for b in bands[:-1] if b.min is not None]
    return np.select(conditions, list(range(len(conditions))), len(bands) - 1)


def apply_quotas(rubric: Rubric, idx: np.ndarray, places: pd.Series, scope: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Demote units beyond each band's quota, band by band from the top. Returns the new
    indices and a mask of the units demoted by a quota."""
    idx = idx.copy()
    demoted = np.zeros(len(idx), dtype=bool)
    place = places.to_numpy()
    sizes = scope.map(scope.value_counts()).to_numpy()
    groups = scope.to_numpy()
    for b, band in enumerate(rubric.grades.bands):
        if band.quota is None:
            continue
        for g in pd.unique(groups):
            in_group = groups == g
            cand = np.flatnonzero(in_group & (idx == b))
            allowed = math.floor(sizes[cand[0]] * band.quota + 1e-9) if len(cand) else 0
            if len(cand) <= allowed:
                continue
            cand = cand[np.argsort(place[cand], kind="stable")]
            keep = np.zeros(len(cand), dtype=bool)
            keep[:allowed] = True
            if allowed > 0 and place[cand[allowed]] == place[cand[allowed - 1]]:
                boundary = place[cand[allowed - 1]]
                tied = place[cand] == boundary
                keep = (place[cand] < boundary) | (tied if rubric.grades.quota_ties == "include" else False)
            out = cand[~keep]
            idx[out] = b + 1
            demoted[out] = True
    return idx, demoted
