"""Terminal views with rich: the assessment summary, one unit's breakdown, a rubric."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

from ..assessment import Assessment
from ..rounding import format_points
from ..rubric import Rubric
from ..summary import summarise


def _pts(v: float, d: int) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(format_points([v], d)[0])


SUMMARY = {
    "zh": {"title": "{title}：{n}个单位，平均{mean}分", "category": "类别", "units": "单位数", "mean": "平均分",
           "index": "{name}：{rate:.1f}%（{hit}/{n}）", "top": "前五名", "bottom": "后五名", "place": "名次",
           "name": "单位名称", "total": "总分", "grade": "等次", "lists": "名单：", "list": "{name}{n}个", "sep": "，",
           "total_row": "合计",
           "not_scored": "未计分：{n}个单位填报有误，未予计分（见排名表“未计分单位”）：", "wrote": "已写出：{path}"},
    "en": {"title": "{title}: {n} units, mean {mean}", "category": "Category", "units": "Units", "mean": "Mean",
           "index": "{name}: {rate:.1f}% ({hit}/{n})", "top": "Top five", "bottom": "Bottom five", "place": "Place",
           "name": "Unit", "total": "Total", "grade": "Grade", "lists": "Lists: ", "list": "{name} {n}", "sep": ", ",
           "total_row": "Total",
           "not_scored": "Not scored: {n} unit(s) whose returns had errors (see 未计分单位 in the workbook): ",
           "wrote": "wrote {path}"},
}


def print_summary(console: Console, a: Assessment, outputs: list[str], lang: str = "zh") -> None:
    r = a.rubric
    s = summarise(a)
    d = r.decimals
    L = SUMMARY[lang]
    t = Table(title=L["title"].format(title=r.title, n=s.units, mean=_pts(s.mean, d)), title_justify="left")
    t.add_column(L["category"])
    t.add_column(L["units"], justify="right")
    t.add_column(L["mean"], justify="right")
    for g in r.grade_names:
        t.add_column(g, justify="right")
    rows = s.by_category.to_dict("records")
    for i, row in enumerate(rows):
        name = L["total_row"] if i == len(rows) - 1 else row["category"]
        t.add_row(name, str(row["units"]), _pts(row["mean"], d), *(str(row[g]) for g in r.grade_names),
                  end_section=i == len(rows) - 2)
    console.print(t)
    for _, row in s.indices.iterrows():
        console.print(L["index"].format(name=row["index"], rate=row["rate"], hit=row["units"], n=s.units))
    for label, frame in ((L["top"], s.top), (L["bottom"], s.bottom)):
        t = Table(title=label, title_justify="left")
        for key in ("place", "name", "category", "total", "grade"):
            t.add_column(L[key], justify="right" if key in ("place", "total") else "left")
        for _, row in frame.iterrows():
            t.add_row(str(row["rank"]), row["name"], row["category_name"], _pts(row["total"], d), row["grade"])
        console.print(t)
    if len(s.list_counts):
        console.print(L["lists"] + L["sep"].join(L["list"].format(name=k, n=v) for k, v in s.list_counts.items()))
    if len(a.not_scored):
        console.print(L["not_scored"].format(n=len(a.not_scored))
                      + L["sep"].join(f"{c} {n}".strip() for c, n in zip(a.not_scored["code"], a.not_scored["name"],
                                                                         strict=True)), markup=False)
    for path in outputs:
        console.print(L["wrote"].format(path=path))


def print_unit(console: Console, a: Assessment, code: str) -> None:
    r = a.rubric
    d = r.decimals
    u = a.units.loc[code]
    head = (f"{u['name']}（{code}，{u['category_name']}）总分 {_pts(u['total'], d)}，"
            f"全部第{u['rank']}名，{u['category_name']}类第{u['category_rank']}名（共{u['category_size']}个），等次“{u['grade']}”")
    console.print(head, markup=False)
    if u["vetoed"]:
        console.print(f"一票否决：{u['vetoes']}", markup=False)
    if u["caps"]:
        console.print(f"等次限定：{u['caps']}", markup=False)
    if u["quota_demoted"]:
        console.print(f"按分数线为“{u['threshold_grade']}”，因名额限制顺延为“{u['grade']}”", markup=False)
    rows = a.points[a.points["code"] == code]
    dims = {dm.key: dm.name for dm in r.dimensions}
    t = Table(show_lines=False)
    for col, just in (("维度", "left"), ("项目", "left"), ("得分", "right"), ("分值", "right"),
                      ("计分说明", "left"), ("来源", "left")):
        t.add_column(col, justify=just, overflow="fold")
    for _, row in rows.iterrows():
        t.add_row(dims.get(row["dimension"], ""), row["item"], _pts(row["points"], d),
                  _pts(row["max"], d) if row["kind"] in ("item", "na") else "", row["reason"], row["source"])
    t.add_row("", "总分", _pts(u["total"], d), "", "各行得分之和", "", end_section=True)
    console.print(t)
    lst = a.lists[a.lists["code"] == code]
    for _, row in lst.iterrows():
        deadline = f"（期限：{row['deadline']}）" if row["deadline"] else ""
        console.print(f"列入{row['list_name']}名单：{row['reason']}{deadline}", markup=False)


def print_rubric(console: Console, r: Rubric) -> None:
    console.print(f"{r.title}（{r.id} 第{r.version}版，{r.issuer}）总分{r.total:g}，保留{r.decimals}位小数，四舍五入",
                  markup=False)
    labels = r.field_labels
    cats = r.category_names
    for p in r.effective_parts:
        t = Table(title=f"{p.name}：{r.part_scale(p):g}分制，权重{p.weight * 100:g}%", title_justify="left")
        for col in ("维度", "指标", "分值", "适用", "评分标准"):
            t.add_column(col, overflow="fold")
        for dim in r.dimensions:
            if r.part_of(dim) != p.key:
                continue
            for ind in dim.indicators:
                applies = "全部" if ind.categories is None else "、".join(cats[c] for c in ind.categories)
                if ind.allow_na:
                    applies += "（可不涉及）"
                t.add_row(dim.name, ind.name, f"{ind.points:g}", applies, ind.rule.describe(labels, ind.points))
        console.print(t)
    for section, title in (("bonuses", "加分"), ("deductions", "扣分")):
        adj = getattr(r, section)
        for g in adj.groups:
            tiers = "、".join(f"{t.label or labels[t.field]}{t.points:g}分" for t in g.tiers)
            how = "就高不累计" if g.mode == "highest" else "每次计"
            console.print(f"{title}·{g.name}：{tiers}（{how}）" + (f"，本项上限{g.cap:g}分" if g.cap else ""), markup=False)
        if adj.groups and adj.cap is not None:
            console.print(f"{title}合计上限{adj.cap:g}分", markup=False)
    for v in r.vetoes:
        console.print(f"一票否决：{v.name}（{v.when.describe(r.display_names)}）", markup=False)
    for c in r.grade_caps:
        console.print(f"等次限定：{c.name}，最高评为“{c.grade}”", markup=False)
    bands = "；".join(f"{b.name}{'≥' + format(b.min, 'g') if b.min is not None else '（其余）'}"
                      + (f"（不超过{b.quota * 100:g}%）" if b.quota else "") for b in r.grades.bands)
    console.print(f"等次：{bands}", markup=False)
    for lst in r.lists:
        console.print(f"名单·{lst.name}：{lst.when.describe(r.display_names)}", markup=False)
