"""The scoring engine: rubric + returns -> one long table of points -> totals.

A pure function of its inputs: no files, clock or terminal. Every rule is scored for all
units at once (vectorised); the only Python loops run over indicators, parts and groups.

Exactness: each row's points are rounded half-up to the rubric's decimals before they are
added; a part rescaled for 不涉及 items and a weighted part are rounded after the
arithmetic, and the difference is itself a row (kind `rescale`, `weight`), so every
unit's total is exactly the sum of its rows and every published table adds up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .returns import Returns
from .rounding import format_plain, round_half_up
from .rubric import Rubric
from .rules import RuleContext
from .templates_text import fill

POINT_COLUMNS = ("code", "kind", "part", "dimension", "indicator", "item", "inputs",
                 "points", "max", "reason", "source", "seq")
"""kind: item | na (不涉及) | rescale | weight | bonus | deduction | cap | floor"""


def _num(x: np.ndarray) -> np.ndarray:
    return format_plain(x)


def _rows(code, kind, part="", dimension="", indicator="", item="", inputs="", points=0.0, mx=0.0,
          reason="", source="", seq=0) -> pd.DataFrame:
    n = len(code)
    return pd.DataFrame({
        "code": np.asarray(code, dtype=object), "kind": kind, "part": part, "dimension": dimension,
        "indicator": indicator, "item": item,
        "inputs": np.broadcast_to(np.asarray(inputs, dtype=object), (n,)),
        "points": np.broadcast_to(np.asarray(points, dtype=float), (n,)),
        "max": np.broadcast_to(np.asarray(mx, dtype=float), (n,)),
        "reason": np.broadcast_to(np.asarray(reason, dtype=object), (n,)),
        "source": np.broadcast_to(np.asarray(source, dtype=object), (n,)), "seq": seq,
    })


def _join_sources(returns: Returns, fields: tuple[str, ...], mask: np.ndarray) -> np.ndarray:
    """The cells a row was computed from: 「a.xlsx › 述职评议 › D9、E9」; records counted
    in list tables keep their row numbers; fields with no record add nothing."""
    parts = [pd.Series(returns.sources[f].to_numpy(dtype=object)[mask]) for f in fields]
    if len(parts) == 1:
        return parts[0].to_numpy(dtype=object)
    split = [p.str.rpartition(" › ") for p in parts]
    out = parts[0].copy()
    prev_prefix = split[0][0]
    for p, sp in zip(parts[1:], split[1:], strict=True):
        empty_out = (out == "") | out.str.endswith("无记录")
        empty_p = (p == "") | p.str.endswith("无记录")
        same = sp[0] == prev_prefix
        joined = np.where(same, out + "、" + sp[2], out + "；" + p)
        out = pd.Series(np.where(empty_p, out, np.where(empty_out, p, joined)), dtype=object)
        prev_prefix = pd.Series(np.where(empty_p, prev_prefix, sp[0]), dtype=object)
    return out.to_numpy(dtype=object)


def score_items(rubric: Rubric, returns: Returns) -> pd.DataFrame:
    """One row per unit and applicable indicator (kind item or na)."""
    d = rubric.decimals
    units = returns.units
    cat = units["category"].to_numpy(dtype=object)
    labels = rubric.field_labels
    frames = []
    for seq, (dim, ind) in enumerate(rubric.iter_indicators()):
        applies = np.ones(len(units), dtype=bool) if ind.categories is None else np.isin(cat, list(ind.categories))
        fields = ind.rule.fields()
        is_na = returns.na[list(fields)].to_numpy().any(axis=1) & applies if ind.allow_na else np.zeros(len(units), bool)
        scored = applies & ~is_na
        part = rubric.part_of(dim)
        if scored.any():
            sub = units.loc[scored]
            ctx = RuleContext(values={f: sub[f] for f in fields}, group=sub["category"],
                              points=ind.points, labels=labels)
            res = ind.rule.score(ctx)
            pts = round_half_up(np.clip(res.points, 0.0, ind.points), d)
            lost = round_half_up(ind.points - pts, d)
            values = {"name": ind.name, "points": _num(pts), "max": _num(np.full(len(pts), ind.points)),
                      "lost": _num(lost), **res.vars}
            full = fill(ind.reasons.full or ind.rule.templates["full"], values, len(pts))
            deducted = fill(ind.reasons.deducted or ind.rule.templates["deducted"], values, len(pts))
            frames.append(_rows(sub.index, "item", part, dim.key, ind.key, ind.name, res.inputs, pts,
                                ind.points, np.where(lost > 0, deducted, full),
                                _join_sources(returns, fields, scored), seq))
        if is_na.any():
            reason = f"不涉及：该项{ind.points:g}分不计入满分，所在部分按比例折算"
            frames.append(_rows(units.index[is_na], "na", part, dim.key, ind.key, ind.name, "不涉及", 0.0,
                                ind.points, reason, _join_sources(returns, fields, is_na), seq))
    if not frames:
        return _rows([], "item")
    return pd.concat(frames, ignore_index=True)


def _adjustments(rubric: Rubric, returns: Returns, section: str, sign: float, seq0: int) -> list[pd.DataFrame]:
    d = rubric.decimals
    adj = getattr(rubric, section)
    units = returns.units
    n = len(units)
    verb = "加" if sign > 0 else "扣"
    groups_total = np.zeros(n)
    frames = []
    for g, group in enumerate(adj.groups):
        counts = np.stack([units[t.field].to_numpy(dtype=float, na_value=0.0) for t in group.tiers])
        tier_pts = np.array([t.points for t in group.tiers])
        labels = [t.label or rubric.fields[t.field].label for t in group.tiers]
        if group.mode == "highest":
            hit = counts > 0
            pts = np.where(hit, tier_pts[:, None], 0.0).max(axis=0)
            best = np.where(hit, tier_pts[:, None], -1.0).argmax(axis=0)
            why = np.array(labels, dtype=object)[best] + f"，{verb}" + _num(pts) + "分（就高不累计）"
        else:
            pts = (counts * tier_pts[:, None]).sum(axis=0)
            why = np.full(n, "", dtype=object)
            for i, label in enumerate(labels):
                part = np.where(counts[i] > 0, label + _num(counts[i]) + "次（每次" + f"{tier_pts[i]:g}分）", "")
                why = np.where((why != "") & (part != ""), why + "、", why) + part
            why = why + f"，{verb}" + _num(pts) + "分"
        if group.cap is not None:
            over = pts > group.cap
            why = np.where(over, why + f"，本项最多{verb}{group.cap:g}分", why)
            pts = np.minimum(pts, group.cap)
        pts = round_half_up(pts, d)
        groups_total += pts
        hit = pts > 0
        if hit.any():
            src = _join_sources(returns, tuple(t.field for t in group.tiers), hit)
            frames.append(_rows(units.index[hit], "bonus" if section == "bonuses" else "deduction",
                                indicator=group.key, item=group.name, points=sign * pts[hit],
                                reason=why[hit], source=src, seq=seq0 + g))
    if adj.cap is not None:
        over = round_half_up(groups_total, d) > adj.cap
        if over.any():
            excess = round_half_up(groups_total[over] - adj.cap, d)
            reason = (f"{'加分' if sign > 0 else '扣分'}合计" + _num(groups_total[over]) +
                      f"分，超过上限{adj.cap:g}分，按{adj.cap:g}分计")
            frames.append(_rows(units.index[over], "cap", indicator=f"{section}_cap",
                                item="加分上限" if sign > 0 else "扣分上限", points=-sign * excess,
                                reason=reason, seq=seq0 + len(adj.groups)))
    return frames


def score(rubric: Rubric, returns: Returns) -> pd.DataFrame:
    """The long table of points: items, then per-part rescaling and weighting, bonuses,
    deductions and caps. Sorted by unit (in return order) and then by rubric order."""
    d = rubric.decimals
    items = score_items(rubric, returns)
    codes = returns.units.index
    frames = [items]
    counted = items[items["kind"] == "item"]
    n_ind = len(rubric.indicators)
    raw = counted.pivot_table(index="code", columns="part", values="points", aggfunc="sum").reindex(codes)
    cap_max = counted.pivot_table(index="code", columns="part", values="max", aggfunc="sum").reindex(codes)
    weighted = len(rubric.effective_parts) > 1 or any(
        p.weight != 1 or rubric.part_scale(p) != rubric.total for p in rubric.effective_parts)
    for k, part in enumerate(rubric.effective_parts):
        scale = rubric.part_scale(part)
        subtotal = round_half_up(raw.get(part.key, pd.Series(0.0, index=codes)).fillna(0.0).to_numpy(), d)
        applicable = cap_max.get(part.key, pd.Series(0.0, index=codes)).fillna(0.0).to_numpy()
        rescale = np.round(applicable, 9) < np.round(scale, 9)
        score_ = subtotal.copy()
        if rescale.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                scaled = round_half_up(np.where(applicable > 0, subtotal * scale / applicable, 0.0), d)
            diff = round_half_up(scaled - subtotal, d)
            why = (f"{part.name}有不涉及指标，满分按" + _num(applicable) + f"分计，折算为{scale:g}分制：" +
                   _num(subtotal) + f"×{scale:g}÷" + _num(applicable) + "=" + _num(scaled))
            frames.append(_rows(codes[rescale], "rescale", part.key, indicator=f"{part.key}_rescale",
                                item=f"{part.name}折算", points=diff[rescale], reason=why[rescale],
                                seq=n_ind + k))
            score_ = np.where(rescale, scaled, subtotal)
        if weighted:
            contribution = round_half_up(score_ * part.weight * rubric.total / scale, d)
            factor = f"×{part.weight * 100:g}%" if scale == rubric.total else f"÷{scale:g}×{rubric.total:g}×{part.weight * 100:g}%"
            why = f"{part.name}得分" + _num(score_) + factor + "=" + _num(contribution) + "，计入总分"
            frames.append(_rows(codes, "weight", part.key, indicator=f"{part.key}_weight",
                                item=f"{part.name}加权", points=round_half_up(contribution - score_, d),
                                reason=why, seq=n_ind + len(rubric.effective_parts) + k))
    seq = n_ind + 2 * len(rubric.effective_parts)
    frames += _adjustments(rubric, returns, "bonuses", 1.0, seq)
    frames += _adjustments(rubric, returns, "deductions", -1.0, seq + 100)
    table = pd.concat([f for f in frames if len(f)], ignore_index=True)
    if rubric.floor is not None:
        total = round_half_up(table.groupby("code", sort=False)["points"].sum().reindex(codes).to_numpy(), d)  # noqa: E501
        low = total < rubric.floor
        if low.any():
            table = pd.concat([table, _rows(codes[low], "floor", indicator="floor", item="保底",
                                            points=round_half_up(rubric.floor - total[low], d),
                                            reason=f"总分不低于{rubric.floor:g}分", seq=seq + 300)],
                              ignore_index=True)
    # `code` is categorical in return order: grouping by it is fast and keeps units in that order
    table["code"] = pd.Categorical(table["code"], categories=codes)
    table = table.sort_values(["code", "seq"], kind="stable").reset_index(drop=True)
    return table


def totals(rubric: Rubric, returns: Returns, points: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: part, dimension and adjustment subtotals and the total, all sums of
    rows of `points` (rounded, so they add up exactly)."""
    d = rubric.decimals
    codes = returns.units.index
    out = pd.DataFrame(index=codes)
    out["name"] = returns.units["name"]
    out["category"] = returns.units["category"]
    out["category_name"] = out["category"].map(rubric.category_names)
    counted = points[points["kind"].isin(["item", "rescale"])]
    by_part = counted.pivot_table(index="code", columns="part", values="points", aggfunc="sum")
    weight_rows = points[points["kind"] == "weight"].pivot_table(index="code", columns="part",
                                                                 values="points", aggfunc="sum")
    for part in rubric.effective_parts:
        score_ = by_part.get(part.key, pd.Series(dtype=float)).reindex(codes).fillna(0.0)
        out[f"part:{part.key}"] = round_half_up(score_.to_numpy(), d)
        w = weight_rows.get(part.key, pd.Series(dtype=float)).reindex(codes).fillna(0.0)
        out[f"weighted:{part.key}"] = round_half_up(score_.to_numpy() + w.to_numpy(), d)
    items = points[points["kind"] == "item"]
    by_dim = items.pivot_table(index="code", columns="dimension", values="points", aggfunc="sum")
    for dim in rubric.dimensions:
        out[f"dimension:{dim.key}"] = round_half_up(
            by_dim.get(dim.key, pd.Series(dtype=float)).reindex(codes).to_numpy(dtype=float), d)
    for kind, col in (("bonus", "bonus"), ("deduction", "deduction")):
        rows = points[points["kind"].isin([kind]) | ((points["kind"] == "cap") &
                      points["indicator"].eq("bonuses_cap" if kind == "bonus" else "deductions_cap"))]
        out[col] = round_half_up(rows.groupby("code")["points"].sum().reindex(codes).fillna(0.0).to_numpy(), d)
    out["total"] = round_half_up(points.groupby("code", sort=False)["points"].sum().reindex(codes).to_numpy(), d)
    return out
