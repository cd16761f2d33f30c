"""The report page: one self-contained HTML file (inline CSS, JS, SVG charts and data) with a
sortable, filterable ranking and a drill-down to every point of a unit. Government intranets
are offline, so the page makes no network request of any kind. Pure: assessment in, text out.

Numbers are formatted here, exactly as in the workbook (half-up, fixed decimals); the
script only shows these strings and parses them to compare when sorting."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..assessment import Assessment
from ..rounding import format_points_text, round_scalar
from ..summary import mean_half_up, summarise
from .notice import environment, get_template, render
from .stamp import Stamp
from .tables import KIND_NAMES, KIND_NAMES_EN, detail_table, ranking_table
from .workbook import ranking_rules_text

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN", "title": "{title}结果", "overview": "总体情况", "units": "单位数", "mean": "平均分",
        "all": "全部", "total_row": "合计", "category": "类别", "ranking": "排名", "ranking_caption": "各单位排名",
        "place": "名次", "category_place": "类别名次", "code": "单位代码", "name": "单位名称", "total": "总分",
        "grade": "等次", "remarks": "说明", "bonus": "加分", "deduction": "扣分",
        "filter": "查找单位（代码或名称）", "grade_filter": "等次", "all_grades": "全部等次",
        "categories": "按类别查看", "shown": "显示 {n} 个单位，共 {total} 个", "sort_by": "{label}，按此列排序",
        "open_unit": "查看计分明细", "charts": "统计图", "rules": "排名与评定规则", "stamp": "生成信息",
        "not_scored": "未予计分的单位", "reasons": "原因", "noscript": "排序、筛选和计分明细需要启用 JavaScript。",
        "detail": "计分明细", "close": "关闭", "kind": "类型", "dimension": "维度", "item": "项目",
        "inputs": "填报情况", "points": "得分", "max": "分值", "lost": "失分", "reason": "计分说明",
        "source": "数据来源", "vetoes": "一票否决", "caps": "等次限定", "lists": "列入名单", "none": "无",
        "lost_mark": "失分", "of": "共", "qscore": "qscore 版本", "rubric": "考核办法",
        "rubric_line": "{id} 第{v}版（{title}）", "rubric_sha": "考核办法 SHA-256", "date": "考核日期", "input": "输入文件",
        "hist_title": "总分分布（每5分一组）", "hist_x": "总分（分）", "hist_y": "单位数",
        "cat_title": "各类别平均分", "cat_x": "平均分（分）", "dim_title": "各维度平均得分率",
        "dim_x": "平均得分占满分的百分比（%）", "dim_value": "{mean}/{max}分（{pct}%）", "count": "{n}个",
        "bin": "{lo}～{hi}分", "bin_note": "每组含下限、不含上限。", "skip": "跳到排名表",
        "lost_items": "失分项目 {n} 个（列在前面）", "in_category": "{place} / {size}（{category}）",
    },
    "en": {
        "html_lang": "en", "title": "{title}: results", "overview": "Overview", "units": "Units", "mean": "Mean",
        "all": "All", "total_row": "Total", "category": "Category", "ranking": "Ranking",
        "ranking_caption": "Ranking of all units", "place": "Place", "category_place": "Place in category",
        "code": "Code", "name": "Name", "total": "Total", "grade": "Grade", "remarks": "Remarks",
        "bonus": "Bonus", "deduction": "Deductions", "filter": "Find a unit (code or name)",
        "grade_filter": "Grade", "all_grades": "All grades", "categories": "By category",
        "shown": "{n} of {total} units shown", "sort_by": "{label}, sort by this column", "open_unit": "show points",
        "charts": "Charts", "rules": "How places and grades were decided", "stamp": "Provenance",
        "not_scored": "Units not scored", "reasons": "Reasons",
        "noscript": "Sorting, filtering and the points of a unit need JavaScript.",
        "detail": "Points", "close": "Close", "kind": "Kind", "dimension": "Dimension", "item": "Item",
        "inputs": "Inputs", "points": "Points", "max": "Max", "lost": "Lost", "reason": "Reason",
        "source": "Source", "vetoes": "Veto", "caps": "Grade capped", "lists": "Lists", "none": "none",
        "lost_mark": "lost", "of": "of", "qscore": "qscore version", "rubric": "Rubric",
        "rubric_line": "{id} version {v} ({title})", "rubric_sha": "Rubric SHA-256", "date": "Date", "input": "Input",
        "hist_title": "Distribution of totals (5-point bins)", "hist_x": "Total (points)", "hist_y": "Units",
        "cat_title": "Mean total by category", "cat_x": "Mean total (points)",
        "dim_title": "Mean score by dimension", "dim_x": "Mean score as % of the maximum",
        "dim_value": "{mean}/{max} ({pct}%)", "count": "{n}", "bin": "{lo}–{hi}",
        "bin_note": "Each bin includes its lower bound, not its upper.", "skip": "Skip to the ranking",
        "lost_items": "{n} item(s) lost points (listed first)", "in_category": "{place} / {size} ({category})",
    },
}
KINDS = {"zh": KIND_NAMES, "en": KIND_NAMES_EN}
# ranking_table's fixed headers -> (label key, column type for sorting); other columns are scores
_FIXED = {"名次": ("place", "int"), "类别名次": ("category_place", "int"), "单位代码": ("code", "code"),
          "单位名称": ("name", "name"), "类别": ("category", "text"), "加分": ("bonus", "num"),
          "扣分": ("deduction", "num"), "总分": ("total", "num"), "等次": ("grade", "grade"),
          "说明": ("remarks", "text")}
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


def embed_json(data: object) -> str:
    """JSON for a <script type="application/json"> element: compact, and no `<`, `>` or `&`
    left in it, so no value can ever close the element or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def _num(v: float) -> str:
    """SVG coordinates: one decimal is enough and the text is stable."""
    return f"{v:.1f}"


class _Strings:
    """Interns repeated text (item names, reasons, inputs) so the embedded data stays small."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, s: str) -> int:
        i = self._index.get(s)
        if i is None:
            i = self._index[s] = len(self.table)
            self.table.append(s)
        return i


def page_data(a: Assessment, lang: str = "zh") -> dict[str, Any]:
    """What the script needs: the ranking (one array per unit, cells as displayed) and every
    point row of every unit (arrays of indices into a string table)."""
    r = a.rubric
    d = r.decimals
    lab = LABELS[lang]
    rt = ranking_table(a, lang=lang)
    # what a reader looks for first sits beside the name: total and grade, then the subtotals
    first = [c for c in ("名次", "类别名次", "单位代码", "单位名称", "类别", "总分", "等次") if c in rt.columns]
    rt = rt[first + [c for c in rt.columns if c not in first]]
    columns = []
    cells: list[list[Any]] = []
    for i, head in enumerate(rt.columns):
        key, kind = _FIXED.get(head, (None, "num"))
        columns.append({"key": key or f"score{i}", "label": lab[key] if key else head, "type": kind})
        values = rt[head]
        if kind == "int":
            cells.append([int(v) for v in values])
        elif kind == "num":
            cells.append(format_points_text(values, d))
        else:
            cells.append([str(v) for v in values])
    codes = [str(c) for c in rt["单位代码"]]
    u = a.units.loc[codes]
    extras = [list(u["category"].astype(str)), [int(v) for v in u["category_size"]],
              list(u["vetoes"].astype(str)), list(u["caps"].astype(str)), list(u["lists"].astype(str))]
    units = [list(row) for row in zip(*cells, *extras, strict=True)]

    strings = _Strings()
    det = detail_table(a)
    p = a.points
    src = det["数据来源"].astype(str)
    split = src.str.rpartition(" › ")
    prefix = (split[0] + split[1]).tolist()
    cell = split[2].tolist()
    pts = format_points_text(p["points"], d)
    mx = format_points_text(p["max"], d)
    kinds = p["kind"].astype(str).tolist()
    loss = p["max"].to_numpy(dtype=float) - p["points"].to_numpy(dtype=float)
    lost_mask = ((p["kind"] == "item") & (loss > 0)) | ((p["kind"] == "deduction") & (p["points"] < 0))
    loss = np.where(p["kind"] == "deduction", -p["points"].to_numpy(dtype=float), loss)
    lost = format_points_text(np.where(lost_mask.to_numpy(), loss, np.nan), d)
    rows_of: dict[str, list[list[Any]]] = {c: [] for c in codes}
    for c, k, dim, item, inputs, pt, m, ls, why, pre, ce in zip(
            p["code"].astype(str), kinds, det["维度"].astype(str), det["项目"].astype(str),
            det["填报情况"].astype(str), pts, mx, lost, det["计分说明"].astype(str), prefix, cell, strict=True):
        rows_of[c].append([strings(k), strings(dim), strings(item), strings(inputs), strings(pt), strings(m),
                           strings(ls), strings(why), strings(pre), ce])
    return {
        "columns": columns, "units": units, "points": [rows_of[c] for c in codes], "strings": strings.table,
        "categories": [[c.key, c.name] for c in r.categories], "grades": list(r.grade_names),
        "labels": {k: lab[k] for k in ("shown", "open_unit", "detail", "close", "kind", "dimension", "item",
                                        "inputs", "points", "max", "lost", "reason", "source", "vetoes", "caps",
                                        "lists", "none", "lost_mark", "total", "place", "category_place", "in_category",
                                        "grade", "remarks", "code", "category", "lost_items")},
        "kinds": KINDS[lang],
    }


def _ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _tick_text(v: float) -> str:
    return f"{v:g}"


def histogram(a: Assessment, lang: str) -> dict[str, Any]:
    """Units per 5-point bin of the published total (bins [lo, lo + 5))."""
    lab = LABELS[lang]
    totals = a.units["total"].to_numpy(dtype=float)
    totals = totals[~np.isnan(totals)]
    lo = 5 * math.floor(totals.min() / 5) if len(totals) else 0
    hi = 5 * (math.floor(totals.max() / 5) + 1) if len(totals) else 5
    edges = list(range(int(lo), int(hi) + 1, 5))
    counts = [int(((totals >= e) & (totals < e + 5)).sum()) for e in edges[:-1]]
    width, height, left, right, top, bottom = 720, 300, 56, 16, 24, 56
    pw, ph = width - left - right, height - top - bottom
    ticks = _ticks(max(counts, default=1))
    ymax = ticks[-1]
    bw = pw / max(len(counts), 1)
    bars = []
    for i, n in enumerate(counts):
        h = ph * n / ymax
        x = left + i * bw
        bars.append({"x": _num(x + 2), "y": _num(top + ph - h), "w": _num(bw - 4), "h": _num(h),
                     "value": lab["count"].format(n=n), "vx": _num(x + bw / 2), "vy": _num(top + ph - h - 4),
                     "label": str(edges[i]), "lx": _num(x), "bin": lab["bin"].format(lo=edges[i], hi=edges[i] + 5)})
    return {
        "id": "chart-hist", "title": lab["hist_title"], "width": width, "height": height, "bars": bars,
        "x_label": lab["hist_x"], "y_label": lab["hist_y"], "last_label": str(edges[-1]),
        "last_x": _num(left + len(counts) * bw),
        "y_ticks": [{"y": _num(top + ph - ph * t / ymax), "text": _tick_text(t)} for t in ticks],
        "left": left, "right": width - right, "top": top, "bottom": top + ph,
        "x_label_x": _num(left + pw / 2), "x_label_y": height - 12, "y_label_y": _num(top + ph / 2),
        "desc": "；".join(f"{b['bin']}：{b['value']}" for b in bars) if lang == "zh"
                else "; ".join(f"{b['bin']}: {b['value']}" for b in bars),
        "note": lab["bin_note"],
    }


def _hbars(chart_id: str, title: str, x_label: str, rows: list[tuple[str, float, str]], scale: float,
           lang: str) -> dict[str, Any]:
    """Horizontal bars: (label, value, text shown beside the bar), axis from 0 to `scale`."""
    ticks = _ticks(scale)
    xmax = ticks[-1]
    width, left, right, top, row_h = 720, 140, 170, 12, 28
    pw = width - left - right
    height = top + row_h * len(rows) + 52
    bars = []
    for i, (label, value, text) in enumerate(rows):
        w = 0.0 if value != value else pw * max(value, 0) / xmax
        y = top + i * row_h
        bars.append({"label": label, "x": left, "y": _num(y + 5), "w": _num(w), "h": row_h - 10,
                     "ly": _num(y + row_h / 2 + 5), "vx": _num(left + w + 6), "value": text})
    bottom = top + row_h * len(rows)
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return {"id": chart_id, "title": title, "width": width, "height": height, "bars": bars,
            "x_label": x_label, "left": left, "right": left + pw, "top": top, "bottom": bottom,
            "x_ticks": [{"x": _num(left + pw * t / xmax), "text": _tick_text(t)} for t in ticks],
            "x_label_x": _num(left + pw / 2), "x_label_y": bottom + 44,
            "desc": sep.join(f"{b['label']}{colon}{b['value']}" for b in bars)}


def category_chart(a: Assessment, lang: str) -> dict[str, Any]:
    r = a.rubric
    by_cat = summarise(a).by_category.iloc[:-1]  # without the 合计 row
    texts = format_points_text(by_cat["mean"], r.decimals)
    rows = [(str(name), float(m), t or "—") for name, m, t in zip(by_cat["category"], by_cat["mean"], texts,
                                                                  strict=True)]
    top = max([r.total, *[m for _, m, _ in rows if m == m]])
    lab = LABELS[lang]
    return _hbars("chart-categories", lab["cat_title"], lab["cat_x"], rows, top, lang)


def dimension_chart(a: Assessment, lang: str) -> dict[str, Any]:
    """Mean of each dimension's subtotal against the mean of its maximum (units it applies to)."""
    r = a.rubric
    lab = LABELS[lang]
    items = a.points[a.points["kind"] == "item"]
    rows = []
    for dim in r.dimensions:
        sub = items[items["dimension"] == dim.key].groupby("code", observed=True)[["points", "max"]].sum()
        mean = mean_half_up(sub["points"], r.decimals)
        mx = mean_half_up(sub["max"], r.decimals)
        pct = round_scalar(100 * float(sub["points"].sum()) / float(sub["max"].sum()), 1) \
            if len(sub) and sub["max"].sum() > 0 else float("nan")
        text = "—" if pct != pct else lab["dim_value"].format(
            mean=format_points_text([mean], r.decimals)[0], max=format_points_text([mx], r.decimals)[0], pct=f"{pct:.1f}")
        rows.append((dim.name, pct, text))
    return _hbars("chart-dimensions", lab["dim_title"], lab["dim_x"], rows, 100.0, lang)


def page_context(a: Assessment, stamp: Stamp, lang: str = "zh") -> dict[str, Any]:
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LABELS)}")
    r = a.rubric
    lab = LABELS[lang]
    data = page_data(a, lang)
    s = summarise(a)
    overview = []
    for row in s.by_category.to_dict("records"):
        overview.append({"name": row["category"] if len(overview) < len(r.categories) else lab["total_row"],
                         "units": row["units"], "mean": format_points_text([row["mean"]], r.decimals)[0] or "—",
                         "grades": [row[g] for g in r.grade_names]})
    ns = a.not_scored
    not_scored = [{"code": str(c), "name": str(n), "category": str(k), "reasons": str(why).splitlines()}
                  for c, n, k, why in zip(ns["code"], ns["name"], ns["category"], ns["reasons"], strict=True)]
    return {
        "l": lab, "lang": lab["html_lang"], "title": lab["title"].format(title=r.title),
        "issuer": r.issuer, "year": r.year, "columns": data["columns"], "categories": data["categories"],
        "grades": data["grades"], "n_units": len(a.units), "overview": overview,
        "charts": {"hist": histogram(a, lang), "categories": category_chart(a, lang),
                   "dimensions": dimension_chart(a, lang)},
        "rules": ranking_rules_text(a, lang), "not_scored": not_scored, "stamp": stamp,
        "rubric_line": lab["rubric_line"].format(id=stamp.rubric_id, v=stamp.rubric_version, title=r.title),
        "data_json": embed_json(data),
    }


def render_page(a: Assessment, stamp: Stamp, lang: str = "zh", template_dir: Path | None = None) -> str:
    """The report page as one HTML document; `template_dir` may hold a report.html.j2 that
    replaces (or extends, as "default/report.html.j2") the shipped one."""
    import markupsafe

    ctx = page_context(a, stamp, lang)
    ctx["data_json"] = markupsafe.Markup(ctx["data_json"])  # already safe inside <script>: see embed_json
    env = environment(template_dir, html=True)
    return render(get_template(env, "report.html.j2"), ctx)


