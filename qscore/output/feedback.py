"""Per-unit feedback (反馈单): for each unit its total, places, grade, every point lost with
its reason and source cell, and each dimension against its category's average.

`feedback_tables` is the pure view (three DataFrames derived from the points table);
the HTML pages and the workbook are renderings of it, so a feedback sheet can never
disagree with the ranking.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..rounding import format_points_text, round_half_up
from .notice import date_text, environment, get_template, render
from .safety import file_name
from .stamp import Stamp
from .tables import KIND_NAMES, KIND_NAMES_EN, remarks

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN", "title": "{year}年度基层党建工作量化考核反馈单", "all_title": "{year}年度考核反馈单",
        "code": "单位代码", "name": "单位名称", "category": "类别", "total": "总分", "place": "名次",
        "category_place": "第{place}名（共{size}个）", "overall_place": "全部第{place}名（共{size}个）",
        "place_line": "{category}：{place}；{overall}", "kind_open": "（", "kind_close": "）",
        "grade": "等次", "remarks": "说明", "composition": "得分构成", "part": "部分", "score": "得分",
        "weight": "权重", "weighted": "计入总分", "bonus": "加分", "deduction": "扣分",
        "dimensions": "各维度得分与本类别平均", "dimension": "维度", "max": "满分", "mean": "本类别平均",
        "gap": "与平均相比", "above": "高{v}分", "below": "低{v}分", "equal": "持平",
        "lost": "失分及加扣分明细", "item": "项目", "inputs": "填报情况", "points": "得分", "lost_points": "失分",
        "reason": "计分说明", "source": "数据来源", "kind": "类型", "none_lost": "无失分项。",
        "lists": "列入名单", "list": "名单", "deadline": "期限", "none_lists": "未列入任何名单。",
        "list_reason": "原因", "na": "不涉及",
        "na_note": "有不涉及项目的维度满分相应减少；本类别平均按各单位得分率计算，折合为本单位满分下的分数。",
        "stamp": "qscore {qscore}；考核办法 {rubric} 第{version}版；考核日期 {date}",
        "contents": "目录", "units": "共{n}个单位",
        "sheet_units": "反馈单", "sheet_lost": "失分明细", "lost_count": "失分项数",
        "lost_total": "失分合计（未加权）", "not_scored": "未予计分", "sheet_not_scored": "未计分单位",
        "not_scored_note": "该单位填报有误，未予计分。请按以下问题改正后重新报送：", "workbook_title": "{year}年度考核反馈单",
    },
    "en": {
        "html_lang": "en", "title": "Assessment feedback {year}", "all_title": "Assessment feedback {year}",
        "code": "Code", "name": "Unit", "category": "Category", "total": "Total", "place": "Place",
        "category_place": "{place} of {size}", "overall_place": "{place} of {size} overall",
        "place_line": "{category}: {place}; {overall}", "kind_open": "(", "kind_close": ")",
        "grade": "Grade", "remarks": "Remarks", "composition": "Composition of the total", "part": "Part",
        "score": "Score", "weight": "Weight", "weighted": "Counted", "bonus": "Bonus", "deduction": "Deduction",
        "dimensions": "Dimensions against the category average", "dimension": "Dimension", "max": "Maximum",
        "mean": "Category average", "gap": "Against the average", "above": "{v} above", "below": "{v} below",
        "equal": "level", "lost": "Points lost, bonuses and deductions", "item": "Item", "inputs": "Reported",
        "points": "Points", "lost_points": "Lost", "reason": "Reason", "source": "Source", "kind": "Kind",
        "none_lost": "No points lost.", "lists": "Lists", "list": "List", "deadline": "Deadline",
        "list_reason": "Why", "na": "n/a",
        "na_note": "Where an item does not apply, the dimension's maximum is smaller; the category average is "
                   "taken as a share of each unit's maximum and shown at this unit's maximum.",
        "none_lists": "On no list.", "stamp": "qscore {qscore}; rubric {rubric} version {version}; date {date}",
        "contents": "Contents", "units": "{n} units",
        "sheet_units": "Feedback", "sheet_lost": "Points lost",
        "lost_count": "Items with points lost", "lost_total": "Points lost (before weighting)",
        "not_scored": "Not scored", "sheet_not_scored": "Not scored",
        "not_scored_note": "The returns of this unit had errors and it was not scored. Correct these and send them again:", "workbook_title": "Assessment feedback {year}",
    },
}
NOTES = ("na", "rescale", "bonus", "deduction", "cap", "floor")  # rows shown whatever their points


@dataclass(frozen=True)
class FeedbackTables:
    units: pd.DataFrame  # one row per unit, in place order: code, name, category, total, places, grade, remarks
    dimensions: pd.DataFrame  # unit x dimension: points, max, category mean, gap
    lost: pd.DataFrame  # items that lost points and the rows of NOTES, in the measure's order: what, why, where


def short_sources(sources: pd.Series) -> pd.Series:
    """Sources with each file named without its folders: a unit's sheet shows “returns.xlsx ›
    自评表 › K4”, not where the department keeps its files."""
    def short(text: str) -> str:
        return "；".join(" › ".join([PurePath(seg.split(" › ")[0]).name, *seg.split(" › ")[1:]]) if " › " in seg
                        else seg for seg in str(text).split("；"))

    uniques = {v: short(v) for v in pd.unique(sources.astype(str))}
    return sources.astype(str).map(uniques)


def feedback_tables(a: Assessment, lang: str = "zh") -> FeedbackTables:
    """The feedback of every unit as three tables; numbers stay numbers (rounded half-up)."""
    r = a.rubric
    d = r.decimals
    order = {c.key: i for i, c in enumerate(r.categories)}
    u = a.units.iloc[np.lexsort((a.units["category_rank"].to_numpy(), a.units["category"].map(order).to_numpy()))]
    units = pd.DataFrame({
        "code": u.index, "name": u["name"].to_numpy(), "category": u["category_name"].to_numpy(),
        "category_key": u["category"].to_numpy(), "total": u["total"].to_numpy(), "rank": u["rank"].to_numpy(),
        "size": len(u), "category_rank": u["category_rank"].to_numpy(),
        "category_size": u["category_size"].to_numpy(), "grade": u["grade"].to_numpy(),
        "remarks": remarks(u, lang).to_numpy(), "bonus": u["bonus"].to_numpy(), "deduction": u["deduction"].to_numpy(),
    })
    for p in r.effective_parts:
        units[f"part:{p.key}"] = u[f"part:{p.key}"].to_numpy()
        units[f"weighted:{p.key}"] = u[f"weighted:{p.key}"].to_numpy()

    items = a.points[a.points["kind"] == "item"]
    dim_max = items.pivot_table(index="code", columns="dimension", values="max", aggfunc="sum", observed=True)
    frames = []
    for dim in r.dimensions:
        top = dim_max[dim.key].reindex(u.index) if dim.key in dim_max else pd.Series(np.nan, index=u.index)
        applies = top.notna() & (top > 0)
        pts = u[f"dimension:{dim.key}"].where(applies)
        # The category average over the units the dimension applies to, rounded as published.
        # Averaged as a share of each unit's maximum and shown at this unit's maximum: where an
        # item is 不涉及 a unit's maximum is smaller, and its points compare with that share.
        # Where every unit has the same maximum this is the plain mean of the points.
        rate_sum = (pts / top).groupby(u["category"]).transform("sum")
        counts = applies.groupby(u["category"]).transform("sum")
        mean = pd.Series(round_half_up(rate_sum / counts.where(counts > 0) * top, d), index=u.index)
        frames.append(pd.DataFrame({"code": u.index, "dimension": dim.name, "points": pts.to_numpy(),
                                    "max": top.to_numpy(), "mean": mean.to_numpy()})[applies.to_numpy()])
    dims = pd.concat(frames) if frames else pd.DataFrame(columns=["code", "dimension", "points", "max", "mean"])
    # one unit's dimensions together, in the measure's order
    pos = pd.Series(np.arange(len(u)), index=u.index)
    dims = dims.assign(_u=dims["code"].map(pos).to_numpy(), _d=np.repeat(np.arange(len(frames)),
                                                                         [len(f) for f in frames]))
    dims = dims.sort_values(["_u", "_d"], kind="stable").drop(columns=["_u", "_d"]).reset_index(drop=True)
    dims["gap"] = round_half_up(dims["points"].to_numpy(dtype=float) - dims["mean"].to_numpy(dtype=float), d)

    p = a.points
    kinds = p["kind"].astype(str)
    lost_mask = ((kinds == "item") & (p["points"] < p["max"])) | kinds.isin(NOTES)
    lost = p[lost_mask.to_numpy()]
    lost_points = np.where(lost["kind"].astype(str) == "item", lost["max"] - lost["points"], np.nan)
    lost = pd.DataFrame({
        "code": lost["code"].astype(str).to_numpy(), "kind": lost["kind"].astype(str).to_numpy(),
        "item": lost["item"].to_numpy(), "inputs": lost["inputs"].to_numpy(), "points": lost["points"].to_numpy(),
        "max": lost["max"].to_numpy(), "lost": round_half_up(lost_points, d), "reason": lost["reason"].to_numpy(),
        "source": short_sources(lost["source"]).to_numpy(), "_u": lost["code"].astype(str).map(pos).to_numpy(),
        "_s": lost["seq"].to_numpy(),
    }).sort_values(["_u", "_s"], kind="stable").drop(columns=["_u", "_s"]).reset_index(drop=True)
    return FeedbackTables(units=units.reset_index(drop=True), dimensions=dims, lost=lost)


def _slices(codes: pd.Series) -> dict[str, slice]:
    """Row ranges of each unit in a table sorted by unit."""
    if not len(codes):
        return {}
    arr = codes.to_numpy()
    starts = np.flatnonzero(np.r_[True, arr[1:] != arr[:-1]])
    ends = np.r_[starts[1:], len(arr)]
    return {arr[s]: slice(int(s), int(e)) for s, e in zip(starts, ends, strict=True)}


def feedback_context(a: Assessment, stamp: Stamp, lang: str = "zh",
                     codes: list[str] | None = None) -> dict[str, Any]:
    """The template context: one dict per unit, numbers formatted as published."""
    r = a.rubric
    d = r.decimals
    L = LABELS[lang]
    t = feedback_tables(a, lang)
    u = t.units
    if codes is not None:
        u = u[u["code"].isin(codes)]
    dim_at = _slices(t.dimensions["code"])
    lost_at = _slices(t.lost["code"])
    def fmt(values: Any) -> list[str]:
        return format_points_text(values, d)

    dims = t.dimensions.assign(points_s=fmt(t.dimensions["points"]), max_s=fmt(t.dimensions["max"]),
                               mean_s=fmt(t.dimensions["mean"]), gap_s=fmt(np.abs(t.dimensions["gap"].to_numpy(float))))
    lost = t.lost.assign(points_s=fmt(t.lost["points"]), max_s=fmt(t.lost["max"]), lost_s=fmt(t.lost["lost"]),
                         kind_s=t.lost["kind"].map(KIND_NAMES if lang == "zh" else KIND_NAMES_EN))
    dim_rows = dims.to_dict("records")
    lost_rows = lost.to_dict("records")
    on_lists: dict[str, list[dict[str, str]]] = {}
    for code, name, why, deadline in zip(a.lists["code"], a.lists["list_name"], a.lists["reason"],
                                         a.lists["deadline"], strict=True):
        on_lists.setdefault(code, []).append({"name": name, "reason": why, "deadline": date_text(deadline or "", lang)})
    parts = r.effective_parts
    units = []
    for row in u.to_dict("records"):
        code = row["code"]
        ds = dim_rows[dim_at[code]] if code in dim_at else []
        for x in ds:
            g = x["gap"]
            x["gap_text"] = (L["equal"] if g == 0 or g != g else
                             (L["above"] if g > 0 else L["below"]).format(v=x["gap_s"]))
        units.append({
            **row, "total_s": fmt([row["total"]])[0],
            "place_line": L["place_line"].format(
                category=row["category"],
                place=L["category_place"].format(place=row["category_rank"], size=row["category_size"]),
                overall=L["overall_place"].format(place=row["rank"], size=row["size"])),
            "parts": [{"name": p.name, "score": fmt([row[f"part:{p.key}"]])[0], "weight": f"{p.weight * 100:g}%",
                       "weighted": fmt([row[f"weighted:{p.key}"]])[0]} for p in parts],
            "bonus_s": fmt([row["bonus"]])[0], "deduction_s": fmt([row["deduction"]])[0],
            "dimensions": ds, "lost": lost_rows[lost_at[code]] if code in lost_at else [],
            "lists": on_lists.get(code, []),
        })
        units[-1]["has_na"] = any(x["kind"] == "na" for x in units[-1]["lost"])
    ns = a.not_scored
    not_scored = [{"code": str(c), "name": str(n), "category": str(k), "reasons": [x for x in str(why).splitlines() if x]}
                  for c, n, k, why in zip(ns["code"], ns["name"], ns["category"], ns["reasons"], strict=True)
                  if codes is None or c in codes]
    return {"L": L, "lang": lang, "title": L["title"].format(year=r.year), "not_scored": not_scored, "all_title": L["all_title"].format(year=r.year),
            "measure": r.title, "issuer": r.issuer, "units": units, "weighted": len(parts) > 1,
            "has_bonus": bool(r.bonuses.groups), "has_deduction": bool(r.deductions.groups),
            "stamp_line": L["stamp"].format(qscore=stamp.qscore_version, rubric=stamp.rubric_id,
                                            version=stamp.rubric_version, date=stamp.date.isoformat()),
            "stamp": stamp}


def render_feedback_html(a: Assessment, stamp: Stamp, lang: str = "zh", template_dir: Path | None = None,
                         codes: list[str] | None = None) -> str:
    """All units' feedback sheets in one printable page (one A4 page per unit)."""
    env = environment(template_dir, html=True)
    return render(get_template(env, "feedback.html.j2"), feedback_context(a, stamp, lang, codes))


def per_unit_names(codes: list[str], names: list[str]) -> list[str]:
    """File stems `code_name`, safe whatever the unit's name, unique even on a case-insensitive disk."""
    seen: set[str] = set()
    out = []
    for code, name in zip(codes, names, strict=True):
        stem = file_name(f"{code}_{name}", max_len=60)
        candidate, n = stem, 2
        while candidate.lower() in seen:
            candidate = f"{stem}({n})"
            n += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def render_feedback_per_unit(a: Assessment, stamp: Stamp, lang: str = "zh", template_dir: Path | None = None,
                             codes: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """(file name, page) for every unit (or those in `codes`): the same template, one unit per file."""
    env = environment(template_dir, html=True)
    template = get_template(env, "feedback.html.j2")
    ctx = feedback_context(a, stamp, lang, codes)
    units, not_scored = ctx["units"], ctx["not_scored"]
    everyone = [(x["code"], x["name"]) for x in units] + [(x["code"], x["name"]) for x in not_scored]
    stems = per_unit_names([c for c, _ in everyone], [n for _, n in everyone])
    for stem, unit in zip(stems, units, strict=False):
        yield f"{stem}.html", render(template, {**ctx, "units": [unit], "not_scored": [], "all_title": ctx["title"]})
    for stem, unit in zip(stems[len(units):], not_scored, strict=True):
        yield f"{stem}.html", render(template, {**ctx, "units": [], "not_scored": [unit], "all_title": ctx["title"]})


def render_feedback_workbook(a: Assessment, stamp: Stamp, lang: str = "zh") -> bytes:
    """反馈单 (one row per unit with each dimension beside its category average) and 失分明细
    (every point lost with its reason and source cell). The points of every item are in the
    ranking workbook's 得分明细 already; repeating them here would double the writing time."""
    import datetime as dt

    from .workbook import _Book

    r = a.rubric
    L = LABELS[lang]
    t = feedback_tables(a, lang)
    u = t.units
    lost_items = t.lost[t.lost["kind"] == "item"]
    n_lost = lost_items.groupby("code").size().reindex(u["code"]).fillna(0).astype(int).to_numpy()
    sum_lost = lost_items.groupby("code")["lost"].sum().reindex(u["code"]).fillna(0).to_numpy()
    summary = pd.DataFrame({
        L["code"]: u["code"], L["name"]: u["name"], L["category"]: u["category"],
        L["total"]: u["total"], "类别名次" if lang == "zh" else "Category place": u["category_rank"],
        "类别单位数" if lang == "zh" else "Units in category": u["category_size"], L["grade"]: u["grade"],
    })
    wide = t.dimensions.pivot_table(index="code", columns="dimension", values=["points", "mean"], aggfunc="first",
                                    sort=False)
    for dim in r.dimensions:
        if ("points", dim.name) in wide:
            summary[dim.name] = wide[("points", dim.name)].reindex(u["code"]).to_numpy()
            summary[f"{dim.name}（{L['mean']}）" if lang == "zh" else f"{dim.name} ({L['mean']})"] = \
                wide[("mean", dim.name)].reindex(u["code"]).to_numpy()
    summary[L["lost_count"]] = n_lost
    summary[L["lost_total"]] = round_half_up(sum_lost, r.decimals)
    summary[L["remarks"]] = u["remarks"]
    lost = pd.DataFrame({
        L["code"]: t.lost["code"], L["name"]: t.lost["code"].map(dict(zip(u["code"], u["name"], strict=True))),
        L["kind"]: t.lost["kind"].map(KIND_NAMES if lang == "zh" else KIND_NAMES_EN),
        L["item"]: t.lost["item"], L["inputs"]: t.lost["inputs"], "得分" if lang == "zh" else "Points": t.lost["points"],
        "分值" if lang == "zh" else "Maximum": t.lost["max"], "扣分" if lang == "zh" else "Lost": t.lost["lost"],
        "原因" if lang == "zh" else L["reason"]: t.lost["reason"], L["source"]: t.lost["source"],
    })
    buf = io.BytesIO()
    title = L["workbook_title"].format(year=r.year)
    book = _Book(buf, r.decimals, dt.datetime.combine(stamp.date, dt.time(0, 0)), title)
    sub = f"{r.issuer}　{stamp.date.isoformat()}　" + L["units"].format(n=len(u))
    book.sheet(L["sheet_units"], title, sub, summary)
    book.long_sheet(L["sheet_lost"], title, sub, lost)
    if len(a.not_scored):
        ns = a.not_scored
        book.sheet(L["sheet_not_scored"], title, sub, pd.DataFrame({
            L["code"]: ns["code"], L["name"]: ns["name"], L["category"]: ns["category"],
            "未计分原因" if lang == "zh" else "Why": ns["reasons"]}))
    notes = pd.DataFrame(stamp.lines(lang), columns=["项目", "内容"] if lang == "zh" else ["Item", "Value"])
    book.sheet("说明" if lang == "zh" else "About", title, sub, notes)
    book.close()
    return buf.getvalue()
