"""The return form (填报模板), generated from the rubric so form and scoring never disagree.

- 填报说明: how to fill in, the deadline, every indicator with its points and its rule in
  plain Chinese (the same `describe()` text as `qscore rubric show`), and what each column
  accepts;
- the input sheet, named as the rubric's `returns` table: a title row, a unit/date row, the
  header with the rubric's labels and one row per roster unit (code, name, category filled
  in and locked); or, per unit, a form with the unit above and one item per row.

Every input cell carries Excel data validation (dropdowns for levels and yes/no, whole
numbers for counts, decimals for rates, 不涉及 where the measure allows it), with an input
message and an error alert. Sheets are protected without a password: units can fill in the
input cells but not change headers or prefilled cells.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd

from ..reader import column_letter
from ..rubric import FieldSpec, Rubric
from .safety import file_name, is_formula_like

NA_WORD = "不涉及"
MAX_BLANK_ROWS = 200  # rows offered when no roster is given


@dataclass(frozen=True)
class FieldRule:
    """How one input cell is validated and described."""

    kind: str  # xlsxwriter validation type: list | integer | decimal | custom
    source: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    words: str = ""  # what to write, in Chinese
    num_format: str = "@"


def _na_fields(rubric: Rubric) -> set[str]:
    return {f for _, ind in rubric.iter_indicators() if ind.allow_na for f in ind.rule.fields()}


def field_rule(spec: FieldSpec, allow_na: bool) -> FieldRule:
    na = f"；不适用的填“{NA_WORD}”" if allow_na else ""
    if spec.type == "bool":
        return FieldRule("list", ("是", "否", *((NA_WORD,) if allow_na else ())), words="从下拉列表选择“是”或“否”" + na)
    if spec.type == "level":
        levels = tuple(spec.levels or ())
        return FieldRule("list", (*levels, *((NA_WORD,) if allow_na else ())), words="从下拉列表选择：" + "、".join(levels) + na)
    if spec.type == "count":
        low, high = spec.min if spec.min is not None else 0, spec.max if spec.max is not None else 1_000_000
        return FieldRule("custom" if allow_na else "integer", low=low, high=high, num_format="0",
                         words=f"填写阿拉伯数字（整数，{low:g}–{high:g}）" + na)
    if spec.type == "rate":
        return FieldRule("custom" if allow_na else "decimal", low=0, high=1, num_format="0.0%",
                         words="填写百分比，如 95%" + na)
    if spec.type == "number":
        low, high = spec.min if spec.min is not None else -1e12, spec.max if spec.max is not None else 1e12
        return FieldRule("custom" if allow_na else "decimal", low=low, high=high, num_format="0.00",
                         words="填写数值" + (f"（不小于{low:g}）" if spec.min is not None else "") + na)
    if spec.type == "date":
        return FieldRule("date", words="填写日期，如 2024-06-30" + na, num_format="yyyy-mm-dd")
    return FieldRule("any", words="填写文字" + na)


def _validation(rule: FieldRule, cell: str, label: str) -> dict[str, object]:
    v: dict[str, object] = {"input_title": label[:32], "input_message": rule.words[:255],
                            "error_title": "填写有误", "error_message": (rule.words + "。")[:255], "error_type": "stop"}
    if rule.kind == "list":
        v.update(validate="list", source=list(rule.source))
    elif rule.kind in ("integer", "decimal"):
        v.update(validate=rule.kind, criteria="between", minimum=rule.low, maximum=rule.high)
    elif rule.kind == "custom":
        number = f"AND(ISNUMBER({cell}),{cell}>={rule.low},{cell}<={rule.high}"
        number += f",INT({cell})={cell})" if rule.num_format == "0" else ")"
        v.update(validate="custom", value=f'=OR({number},{cell}="{NA_WORD}")')
    elif rule.kind == "date":
        v.update(validate="date", criteria="between", minimum=dt.date(1990, 1, 1), maximum=dt.date(2200, 12, 31))
    else:
        v.update(validate="any")
    return v


def unit_fields(rubric: Rubric, category: str | None) -> list[str]:
    """Fields of the returns table a unit fills in: all of them, or those its category needs."""
    keys = [k for k, f in rubric.fields.items() if f.table == "returns"]
    if category is None:
        return [k for k in keys if rubric.field_needed_by[k]]
    return [k for k in keys if category in rubric.field_needed_by[k]]


class _Book:
    def __init__(self, rubric: Rubric, created: dt.datetime):
        import xlsxwriter

        self.buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, {"in_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"title": f"{rubric.title}填报表", "author": "qscore", "created": created})
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        self.title = self.wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.note = self.wb.add_format({**base, "text_wrap": True})
        self.head = self.wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                        "text_wrap": True, "align": "center"})
        self.fixed = self.wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2"})
        self.fixed_wrap = self.wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2", "text_wrap": True})
        self.fixed_quoted = self.wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2", "quote_prefix": True})
        self.grey = self.wb.add_format({**base, "border": 1, "bg_color": "#BFBFBF"})
        self._inputs: dict[str, object] = {}
        self.base = base

    def input_format(self, num_format: str) -> object:
        if num_format not in self._inputs:
            self._inputs[num_format] = self.wb.add_format({**self.base, "border": 1, "locked": False,
                                                           "num_format": num_format})
        return self._inputs[num_format]

    def text(self, ws, r: int, c: int, value: str, fmt: object) -> None:  # type: ignore[no-untyped-def]
        ws.write_string(r, c, value, self.fixed_quoted if is_formula_like(value) else fmt)

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()


def _print_setup(ws, header_rows: int, columns: int = 5) -> None:  # type: ignore[no-untyped-def]
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0, header_rows - 1)
    if columns > 16:
        # too wide for one A4 page at a readable size: run on, with the unit columns on every page
        ws.repeat_columns(0, 2)
        ws.set_print_scale(80)
    else:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _instructions(book: _Book, rubric: Rubric, deadline: str, category: str | None) -> None:
    ws = book.wb.add_worksheet("填报说明")
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 8)
    ws.set_column(3, 3, 16)
    ws.set_column(4, 4, 70)
    ws.merge_range(0, 0, 0, 4, f"{rubric.title}填报说明", book.title)
    sheet = rubric.tables["returns"].sheet
    lines = [
        f"一、请在“{sheet}”工作表中如实填写本单位{rubric.year}年度各项工作情况；灰色单元格已预先填好或无需填写，请勿改动。",
        "二、次数、人数填写阿拉伯数字；是/否、等级类项目从单元格下拉列表中选择；比例填写百分比（如 95%）。",
        f"三、确不适用的项目（仅限注明“可填不涉及”的）填写“{NA_WORD}”，该项分值不计入满分，得分按比例折算。",
        "四、请勿增删、移动行列或修改表头，不要设置打开密码；填好后保存为 .xlsx 报送。",
        f"五、报送截止日期：{deadline}",
    ]
    for i, line in enumerate(lines, start=2):
        ws.merge_range(i, 0, i, 4, line, book.note)
        ws.set_row(i, 30)
    r = len(lines) + 3
    ws.write_row(r, 0, ["维度", "指标", "分值", "适用类别", "评分标准"], book.head)
    labels = rubric.field_labels
    cats = rubric.category_names
    for dim, ind in rubric.iter_indicators():
        if category is not None and not rubric.applies(ind, category):
            continue
        r += 1
        applies = "全部" if ind.categories is None else "、".join(cats[c] for c in ind.categories)
        if ind.allow_na:
            applies += "（可填不涉及）"
        for c, value in enumerate([dim.name, ind.name, f"{ind.points:g}", applies, ind.rule.describe(labels, ind.points)]):
            book.text(ws, r, c, value, book.fixed_wrap)
    r += 2
    ws.write_row(r, 0, ["填报项目", "", "", "", "填写要求"], book.head)
    na = _na_fields(rubric)
    for key in unit_fields(rubric, category):
        r += 1
        spec = rubric.fields[key]
        ws.merge_range(r, 0, r, 3, spec.label, book.fixed)
        book.text(ws, r, 4, field_rule(spec, key in na).words, book.fixed_wrap)
    _print_setup(ws, 1)


def _start(rubric: Rubric, deadline: str, created: dt.datetime | None, category: str | None):  # type: ignore[no-untyped-def]
    """A form workbook with its 填报说明 written and the (empty) input sheet added."""
    book = _Book(rubric, created or dt.datetime(rubric.year + 1, 1, 1))
    _instructions(book, rubric, deadline, category)
    return book, book.wb.add_worksheet(rubric.tables["returns"].sheet[:31])


def render_template(rubric: Rubric, roster: pd.DataFrame | None, *, deadline: str = "____年__月__日",
                    created: dt.datetime | None = None) -> bytes:
    """One workbook: 填报说明 and the input sheet with a row per roster unit (or blank rows)."""
    book, ws = _start(rubric, deadline, created, None)
    keys = unit_fields(rubric, None)
    heads = [rubric.unit.code.label, rubric.unit.name.label, rubric.unit.category.label,
             *(rubric.fields[k].label for k in keys)]
    last = len(heads) - 1
    ws.merge_range(0, 0, 0, min(last, 7), f"{rubric.title}自评表", book.title)  # within the first page
    ws.write_string(1, 0, "填报单位：　　　　　　　　填报人：　　　　　　联系电话：　　　　　　填报日期：")
    ws.set_row(2, 42)
    ws.write_row(2, 0, heads, book.head)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 10)
    ws.set_column(3, last, 12)
    na = _na_fields(rubric)
    rules = {k: field_rule(rubric.fields[k], k in na) for k in keys}
    units = roster if roster is not None else None
    n = len(units) if units is not None else MAX_BLANK_ROWS
    names = rubric.category_names
    for i in range(n):
        r = 3 + i
        if units is not None:
            code = str(units.index[i])
            cat = units["category"].iloc[i]
            book.text(ws, r, 0, code, book.fixed)
            book.text(ws, r, 1, str(units["name"].iloc[i]), book.fixed)
            book.text(ws, r, 2, names.get(cat, ""), book.fixed)
        else:
            cat = None
            for c in range(3):
                ws.write_blank(r, c, None, book.input_format("@"))
        for j, key in enumerate(keys, start=3):
            if cat is not None and cat not in rubric.field_needed_by[key]:
                ws.write_blank(r, j, None, book.grey)  # not asked of this category: locked
                continue
            ws.write_blank(r, j, None, book.input_format(rules[key].num_format))
    for j, key in enumerate(keys, start=3):
        col = column_letter(j)
        # one validation per column over all unit rows; greyed cells are locked anyway
        ws.data_validation(3, j, 2 + n, j, _validation(rules[key], f"{col}4", rubric.fields[key].label))
    if units is None:
        ws.data_validation(3, 2, 2 + n, 2, {"validate": "list", "source": [c.name for c in rubric.categories],
                                           "input_title": "类别", "input_message": "从下拉列表选择类别",
                                           "error_title": "填写有误", "error_message": "请从下拉列表选择类别。"})
    ws.freeze_panes(3, 3)
    ws.protect("", {"autofilter": True, "sort": False, "format_columns": True})
    _print_setup(ws, 3, len(heads))
    return book.close()


def render_unit_form(rubric: Rubric, code: str, name: str, category: str, *, deadline: str = "____年__月__日",
                     created: dt.datetime | None = None) -> bytes:
    """One unit's own form: identity above, one row per item it must fill in."""
    book, ws = _start(rubric, deadline, created, category)
    table = rubric.tables["returns"]
    ws.merge_range(0, 0, 0, 4, f"{rubric.title}自评表", book.title)
    ident = [(rubric.unit.code.label, code), (rubric.unit.name.label, name),
             (rubric.unit.category.label, rubric.category_names.get(category, category))]
    for i, (label, value) in enumerate(ident, start=1):
        ws.write_string(i, 0, label, book.head)
        book.text(ws, i, 1, value, book.fixed)
    ws.write_row(5, 0, ["序号", table.item.label, table.value.label, table.remark.label, "填写要求"], book.head)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 20)
    ws.set_column(4, 4, 46)
    na = _na_fields(rubric)
    for i, key in enumerate(unit_fields(rubric, category)):
        r = 6 + i
        spec = rubric.fields[key]
        rule = field_rule(spec, key in na)
        ws.write_number(r, 0, i + 1, book.fixed)
        ws.write_string(r, 1, spec.label, book.fixed)
        ws.write_blank(r, 2, None, book.input_format(rule.num_format))
        ws.write_blank(r, 3, None, book.input_format("@"))
        ws.write_string(r, 4, rule.words, book.fixed_wrap)
        ws.data_validation(r, 2, r, 2, _validation(rule, f"C{r + 1}", spec.label))
    ws.freeze_panes(6, 0)
    ws.protect("", {"format_columns": True})
    _print_setup(ws, 6)
    return book.close()


def unit_form_name(code: str, name: str) -> str:
    """A file name that cannot leave its folder, whatever the unit is called."""
    return file_name(f"{code}-{name}") + ".xlsx"
