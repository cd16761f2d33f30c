"""Views of an assessment as display tables with Chinese headers, shared by the workbook,
the terminal and (later) the notice. Pure: DataFrames in, DataFrames out."""

from __future__ import annotations

import pandas as pd

from ..assessment import Assessment

KIND_NAMES = {"item": "指标", "na": "不涉及", "rescale": "折算", "weight": "加权", "bonus": "加分",
              "deduction": "扣分", "cap": "上限", "floor": "保底"}
KIND_NAMES_EN = {"item": "item", "na": "not applicable", "rescale": "rescaled", "weight": "weight",
                 "bonus": "bonus", "deduction": "deduction", "cap": "cap", "floor": "floor"}


def ranking_table(a: Assessment, category: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """One row per unit, in place order: places, parts, dimensions, adjustments, total, grade."""
    r = a.rubric
    u = a.units if category is None else a.units[a.units["category"] == category]
    u = u.sort_values(["rank" if category is None else "category_rank"], kind="stable")
    out = pd.DataFrame({"名次": u["rank"], "类别名次": u["category_rank"], "单位代码": u.index,
                        "单位名称": u["name"], "类别": u["category_name"]})
    weighted = len(r.effective_parts) > 1
    for p in r.effective_parts:
        out[f"{p.name}"] = u[f"part:{p.key}"]
        if weighted:
            out[f"{p.name}（{p.weight * 100:g}%）"] = u[f"weighted:{p.key}"]
    for d in r.dimensions:
        if len(r.effective_parts) == 1 or sum(1 for x in r.dimensions if r.part_of(x) == r.part_of(d)) > 1:
            out[d.name] = u[f"dimension:{d.key}"]
    if r.bonuses.groups:
        out["加分"] = u["bonus"]
    if r.deductions.groups:
        out["扣分"] = u["deduction"]
    out["总分"] = u["total"]
    out["等次"] = u["grade"]
    out["说明"] = remarks(u, lang)
    return out.reset_index(drop=True)


REMARKS = {"zh": ("一票否决：", "等次限定：", "因名额限制由“{}”顺延", "；"),
           "en": ("Veto: ", "Grade capped: ", "moved down from “{}” by the quota", "; ")}


def remarks(u: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Why a unit's grade is not what its total alone gives: veto, grade cap, quota."""
    veto_p, cap_p, quota_t, sep = REMARKS[lang]
    veto = u["vetoes"].where(u["vetoes"] == "", veto_p + u["vetoes"])
    caps = u["caps"].where(u["caps"] == "", cap_p + u["caps"])
    quota = pd.Series([quota_t.format(t) if d else "" for t, d in
                       zip(u["threshold_grade"], u["quota_demoted"], strict=True)], index=u.index)
    out = veto
    for s in (caps, quota):
        out = out.where(s == "", out.where(out == "", out + sep) + s)
    return out


def detail_table(a: Assessment) -> pd.DataFrame:
    p = a.points
    u = a.units
    dims = {d.key: d.name for d in a.rubric.dimensions}
    return pd.DataFrame({
        "单位代码": p["code"], "单位名称": p["code"].map(u["name"]),
        "类别": p["code"].map(u["category_name"]), "类型": p["kind"].map(KIND_NAMES),
        "维度": p["dimension"].map(dims).fillna(""), "项目": p["item"], "填报情况": p["inputs"],
        "得分": p["points"], "分值": p["max"], "计分说明": p["reason"], "数据来源": p["source"],
    })


def list_table(a: Assessment, key: str) -> pd.DataFrame:
    lst = a.lists[a.lists["list"] == key]
    return pd.DataFrame({"序号": range(1, len(lst) + 1), "单位代码": lst["code"].to_numpy(),
                         "单位名称": lst["name"].to_numpy(), "类别": lst["category"].to_numpy(),
                         "原因": lst["reason"].to_numpy(), "期限": lst["deadline"].to_numpy()})
