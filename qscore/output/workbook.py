"""The year-end ranking workbook (排名表), rendered to bytes with xlsxwriter.

Sheets: 总排名, one per category, 得分明细 (every row of the points table with its reason
and source cell), one per named list, and 说明 (the stamp and the ranking rules).
Print-ready: A4 landscape, title rows repeated, frozen header, filters, fitted to width.
Text that a spreadsheet would run as a formula is written as text with a quote prefix.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import pandas as pd

from ..assessment import Assessment
from .safety import is_formula_like, sheet_name
from .stamp import Stamp
from .tables import detail_table, list_table, ranking_table

MAX_SHEET_ROWS = 1_000_000  # Excel holds 1,048,576 rows; longer tables continue on another sheet
SCORE_COLUMNS = {"得分", "分值", "总分", "加分", "扣分"}
TEXT_WIDE = {"未计分原因": 80, "单位名称": 30, "计分说明": 60, "数据来源": 42, "原因": 60, "说明": 36, "填报情况": 30, "项目": 16}


def ranking_rules_text(a: Assessment, lang: str = "zh") -> list[str]:
    """The sentences that state how places and grades were decided (also used by notices)."""
    r = a.rubric
    en = lang == "en"
    chain: list[str] = []
    names = {"part": {p.key: p.name for p in r.effective_parts}, "dimension": {d.key: d.name for d in r.dimensions},
             "indicator": {k: i.name for k, i in r.indicators.items()}, "field": r.field_labels}
    for key in r.ranking.tie_break:
        kind, ref = key.ref
        if en:
            chain.append(f"{names[kind][ref]} ({'higher first' if key.order == 'desc' else 'lower first'})")
        else:
            chain.append(f"{names[kind][ref]}（{'高者在前' if key.order == 'desc' else '低者在前'}）")
    scope = r.grades.quota_scope == "category"
    if en:
        quota = [f"at most {b.quota * 100:g}% of the units of {'each category' if scope else 'the assessment'} "
                 f"are graded “{b.name}” (rounded down)" for b in r.grades.bands if b.quota]
        ties = ("units tied at the boundary of a quota are graded alike (which may exceed it slightly)"
                if r.grades.quota_ties == "include" else "units tied at the boundary of a quota are all graded below it")
        lines = [
            f"Every item is rounded half up to {r.decimals} decimals before adding; the total is the sum of the "
            "items, and places follow the published total.",
            ("Equal totals are separated by " + ", then ".join(chain) + "; units equal on all of them share a place"
             if chain else "Units with equal totals share a place") + " (e.g. 1, 2, 2, 4).",
        ]
        if quota:
            text = "; ".join(quota) + "; units beyond a quota move down to the next grade in order of place; " + ties + "."
            lines.append(text[0].upper() + text[1:])
        for cap in r.grade_caps:
            lines.append(f"A unit where “{cap.name}” holds is graded “{cap.grade}” at best.")
        if r.vetoes:
            lines.append("A unit with a veto item is graded “" + r.grade_names[-1] + "”" +
                         (" and placed after all others." if r.ranking.vetoed_last else "."))
        return lines
    quota = [f"“{b.name}”等次不超过本{'类别' if scope else '批'}单位数的{b.quota * 100:g}%（人数向下取整）"
             for b in r.grades.bands if b.quota]
    ties = ("名额边界处并列的单位同等评定（可能因此略超名额）" if r.grades.quota_ties == "include"
            else "名额边界处并列的单位均不评入该等次（不超过名额）")
    lines = [
        f"各项得分按四舍五入保留{r.decimals}位小数后相加，总分为各项之和；排名以公布的总分为准。",
        ("总分相同时依次比较" + "、".join(chain) + "，仍相同的" if chain else "总分相同的") + "名次并列（如 1、2、2、4）。",
    ]
    if quota:
        lines.append("；".join(quota) + "；超出名额的单位按名次顺延至下一等次；" + ties + "。")
    if r.grade_caps:
        lines.append("；".join(f"{cap.name}的，等次最高评为“{cap.grade}”" for cap in r.grade_caps) + "。")
    if r.vetoes:
        lines.append("触发一票否决事项的，等次直接评为“" + r.grade_names[-1] + "”" +
                     ("，排在其他单位之后。" if r.ranking.vetoed_last else "。"))
    return lines


class _Book:
    def __init__(self, buf: io.BytesIO, decimals: int, created: dt.datetime, title: str):
        import xlsxwriter  # deferred: keeps `qscore --help` fast

        self.wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"title": title, "author": "qscore", "created": created})
        self.taken: set[str] = set()
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.f_title = self.wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.f_sub = self.wb.add_format({**base, "align": "left", "font_color": "#444444"})
        self.f_head = self.wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                          "align": "center", "text_wrap": True})
        self.f_text = self.wb.add_format({**base, "border": 1})
        self.f_quoted = self.wb.add_format({**base, "border": 1, "quote_prefix": True})
        self.f_wrap = self.wb.add_format({**base, "border": 1, "text_wrap": True})
        self.f_int = self.wb.add_format({**base, "border": 1, "num_format": "0", "align": "center"})
        self.f_score = self.wb.add_format({**base, "border": 1, "num_format": "0." + "0" * decimals if decimals else "0"})

    def sheet(self, name: str, title: str, subtitle: str, df: pd.DataFrame) -> None:
        ws = self.wb.add_worksheet(sheet_name(name, self.taken))
        ncols = max(len(df.columns), 1)
        if ncols > 1:
            # a title merged across a sheet wider than a page would be centred off the first page
            ws.merge_range(0, 0, 0, min(ncols, 10) - 1, title, self.f_title)
        else:
            ws.write_string(0, 0, title, self.f_title)
        ws.write_string(1, 0, subtitle, self.f_sub)
        ws.set_row(0, 28)
        ws.set_row(2, 30)
        for c, col in enumerate(df.columns):
            ws.write_string(2, c, str(col), self.f_head)
            width = TEXT_WIDE.get(str(col), max(8, min(14, 2 * len(str(col)) + 2)))
            ws.set_column(c, c, width)
        writers = [self._column_writer(ws, str(col), df[col]) for col in df.columns]
        for r in range(len(df)):
            for c, (write, values, formats) in enumerate(writers):
                write(r + 3, c, values[r], formats[r])
        ws.freeze_panes(3, min(4, ncols))
        if len(df):
            ws.autofilter(2, 0, 2 + len(df), ncols - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.repeat_rows(0, 2)
        if ncols > 16:
            # too wide for one readable A4 page: run on, with place, code and name on every page
            ws.repeat_columns(0, min(3, ncols - 1))
            ws.set_print_scale(75)
        else:
            ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&C第 &P 页，共 &N 页")

    def long_sheet(self, name: str, title: str, subtitle: str, df: pd.DataFrame) -> None:
        """A table that may outgrow a sheet: continued on 名称(2), 名称(3)..."""
        for k, begin in enumerate(range(0, max(len(df), 1), MAX_SHEET_ROWS)):
            self.sheet(name if k == 0 else f"{name}({k + 1})", title, subtitle, df.iloc[begin:begin + MAX_SHEET_ROWS])

    def _column_writer(self, ws, col: str, series: pd.Series):  # type: ignore[no-untyped-def]
        """Decide a column's cell type and formats once, not per cell."""
        n = len(series)
        if series.dtype.kind in "fiu":
            values = series.to_numpy(dtype=float)
            is_score = col in SCORE_COLUMNS or series.dtype.kind == "f"
            fmt = self.f_score if is_score else self.f_int
            blank = np.isnan(values)

            def write(r: int, c: int, v: float, f: object) -> None:
                if f is None:
                    ws.write_blank(r, c, None, self.f_text)
                else:
                    ws.write_number(r, c, v, f)

            return write, values.tolist(), [None if b else fmt for b in blank]
        if series.dtype.kind == "b":
            return ws.write_string, np.where(series.to_numpy(), "是", "否").tolist(), [self.f_text] * n
        texts = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in series.tolist()]
        base = self.f_wrap if TEXT_WIDE.get(col, 0) >= 36 else self.f_text
        formats = [self.f_quoted if is_formula_like(t) else base for t in texts]
        return ws.write_string, texts, formats

    def charts(self, a: Assessment, title: str) -> None:
        """统计: category figures and the score distribution, each with a native Excel chart."""
        from ..summary import summarise

        r = a.rubric
        s = summarise(a)
        name = sheet_name("统计", self.taken)  # charts must refer to the name actually given
        ws = self.wb.add_worksheet(name)
        ws.write_string(0, 0, f"{title}统计", self.f_title)
        head = ["类别", "单位数", "平均分", *r.grade_names]
        ws.write_row(2, 0, head, self.f_head)
        rows = [row for row in s.by_category.to_dict("records") if row["category"] != "合计"]
        for i, row in enumerate(rows, start=3):
            ws.write_string(i, 0, row["category"], self.f_text)
            ws.write_number(i, 1, row["units"], self.f_int)
            if row["mean"] == row["mean"]:
                ws.write_number(i, 2, row["mean"], self.f_score)
            else:
                ws.write_blank(i, 2, None, self.f_text)
            for j, g in enumerate(r.grade_names, start=3):
                ws.write_number(i, j, row[g], self.f_int)
        last = 2 + len(rows)
        means = self.wb.add_chart({"type": "column"})
        means.add_series({"name": "平均分", "categories": [name, 3, 0, last, 0], "values": [name, 3, 2, last, 2],
                          "data_labels": {"value": True}})
        means.set_title({"name": "各类别平均分"})
        means.set_legend({"none": True})
        ws.insert_chart(2, len(head) + 1, means, {"x_scale": 1.3, "y_scale": 1.1})
        # score distribution in 5-point bins, from the lowest bin holding a unit up to the top
        totals = a.units["total"].to_numpy(dtype=float)
        top = int(max(r.total + (r.bonuses.cap or 0), totals.max() if len(totals) else r.total))
        low = int(min(totals.min(), top) // 5 * 5) if len(totals) else 0
        edges = list(range(low, top + 5, 5))
        start = last + 3
        ws.write_row(start, 0, ["分数段", "单位数"], self.f_head)
        for k, lo in enumerate(edges[:-1]):
            hi = edges[k + 1]
            n = int(((totals >= lo) & (totals < hi)).sum()) if k < len(edges) - 2 else int((totals >= lo).sum())
            label = f"{lo}–{hi}" if k < len(edges) - 2 else f"{lo}以上"
            ws.write_string(start + 1 + k, 0, label, self.f_text)
            ws.write_number(start + 1 + k, 1, n, self.f_int)
        end = start + len(edges) - 1
        dist = self.wb.add_chart({"type": "column"})
        dist.add_series({"name": "单位数", "categories": [name, start + 1, 0, end, 0],
                         "values": [name, start + 1, 1, end, 1], "gap": 20})
        dist.set_title({"name": "总分分布"})
        dist.set_legend({"none": True})
        ws.insert_chart(start, len(head) + 1, dist, {"x_scale": 1.3, "y_scale": 1.1})
        ws.set_column(0, 0, 12)
        ws.set_landscape()
        ws.set_paper(9)

    def close(self) -> None:
        self.wb.close()


def render_workbook(a: Assessment, stamp: Stamp) -> bytes:
    r = a.rubric
    buf = io.BytesIO()
    created = dt.datetime.combine(stamp.date, dt.time(0, 0))
    book = _Book(buf, r.decimals, created, f"{r.title}排名表")
    sub = f"{r.issuer}　考核日期：{stamp.date.isoformat()}　单位数：{len(a.units)}"
    book.sheet("总排名", f"{r.title}排名表", sub, ranking_table(a))
    for c in r.categories:
        table = ranking_table(a, c.key)
        book.sheet(c.name, f"{r.title}排名表（{c.name}）", f"{sub}　本类别：{len(table)}", table)
    book.long_sheet("得分明细", f"{r.title}得分明细", sub + "　每一行的得分、计分说明和数据来源", detail_table(a))
    for rule in r.lists:
        table = list_table(a, rule.key)
        book.sheet(rule.name + "名单", f"{r.title}{rule.name}名单", f"条件：{rule.when.describe(r.display_names)}　共{len(table)}个", table)
    if len(a.not_scored):
        ns = a.not_scored
        table = pd.DataFrame({"序号": range(1, len(ns) + 1), "单位代码": ns["code"], "单位名称": ns["name"],
                              "类别": ns["category"], "未计分原因": ns["reasons"]})
        book.sheet("未计分单位", f"{r.title}未计分单位", f"填报有误、未予计分的单位　共{len(ns)}个", table)
    book.charts(a, r.title)
    notes = pd.DataFrame({"项目": [k for k, _ in stamp.lines()] + ["计分与排名规则"] * len(ranking_rules_text(a)),
                          "内容": [v for _, v in stamp.lines()] + ranking_rules_text(a)})
    book.sheet("说明", f"{r.title}排名表说明", sub, notes)
    book.close()
    return buf.getvalue()


def render_list_workbooks(a: Assessment, stamp: Stamp) -> dict[str, bytes]:
    """Each named list as a workbook of its own (file name -> bytes), to send on by itself."""
    r = a.rubric
    out = {}
    for rule in r.lists:
        buf = io.BytesIO()
        book = _Book(buf, r.decimals, dt.datetime.combine(stamp.date, dt.time(0, 0)), f"{r.title}{rule.name}名单")
        table = list_table(a, rule.key)
        book.sheet(rule.name + "名单", f"{r.title}{rule.name}名单",
                   f"条件：{rule.when.describe(r.display_names)}　共{len(table)}个　考核日期：{stamp.date.isoformat()}", table)
        book.sheet("说明", f"{r.title}{rule.name}名单说明", r.issuer, pd.DataFrame(stamp.lines(), columns=["项目", "内容"]))
        book.close()
        out[f"{r.year}年度{rule.name}名单.xlsx"] = buf.getvalue()
    return out

