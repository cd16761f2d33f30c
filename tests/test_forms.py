"""Per-unit forms: one workbook per unit, one item per row. Clean forms must score exactly
as the same units do in the wide sample."""

import datetime as dt

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from qscore.assessment import assess
from qscore.reader import read_returns
from qscore.rubric import parse_rubric

from conftest import RUBRIC, SAMPLE

UNITS = ["010005", "030010", "050001", "060002"]  # village, organ, private, social: no rank-based items


@pytest.fixture(scope="module")
def form_rubric():
    text = RUBRIC.read_text(encoding="utf-8").replace(
        "returns:  {sheet: 自评表, aliases: [年终考核自评表, 考核自评表]}",
        "returns:  {sheet: 自评表, layout: form}")
    return parse_rubric(text, "form.yaml")


def sample_sheets():
    wb = CalamineWorkbook.from_path(str(SAMPLE))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def write_forms(folder, rubric):
    sheets = sample_sheets()
    header, *rows = sheets["自评表"][2:]
    labels = {x for f in rubric.fields.values() if f.table == "returns" for x in (f.label, *f.aliases)}
    for row in rows:
        if row[0] not in UNITS:
            continue
        wb = xlsxwriter.Workbook(str(folder / f"{row[0]}.xlsx"))
        ws = wb.add_worksheet("自评表")
        ws.write(0, 0, "2024年度基层党建工作考核自评表")
        ws.write(1, 0, f"单位代码：{row[0]}")     # label and value in one cell
        ws.write(1, 2, "单位名称")                  # label, value in the next cell
        ws.write(1, 3, row[1])
        ws.write(2, 0, "类别")
        ws.write(2, 1, row[2])
        ws.write_row(3, 0, ["序号", "填报项目", "填报内容", "自评得分", "备注"])
        r = 4
        for h, v in zip(header, row, strict=True):
            if h in labels and v != "":
                ws.write_row(r, 0, [r - 3, h, v, "", ""])
                r += 1
        wb.close()
    # the department's own sheets (votes, findings, honours, criticisms) for these units
    wb = xlsxwriter.Workbook(str(folder / "汇总.xlsx"))
    for name in ("述职评议", "督查问题", "表彰奖励", "通报批评"):
        ws = wb.add_worksheet(name)
        head, *body = sheets[name][2:]
        ws.write_row(0, 0, head)
        for i, row in enumerate([b for b in body if b[0] in UNITS], start=1):
            ws.write_row(i, 0, row)
    wb.close()


def test_forms_score_exactly_as_the_wide_sample(tmp_path, form_rubric, sample):
    write_forms(tmp_path, form_rubric)
    ret = read_returns([tmp_path], form_rubric)
    assert not ret.errors, [p.text() for p in ret.errors][:5]
    assert sorted(ret.units.index) == UNITS
    # items start on row 5 in the sample's column order; 支委会次数 is the 8th
    assert ret.sources.loc["050001", "committee_meetings"] == f"{tmp_path / '050001.xlsx'} › 自评表 › C12"
    forms = assess(form_rubric, ret, as_of=dt.date(2025, 1, 20))
    wide = sample.points[sample.points["code"].isin(UNITS) & (sample.points["kind"] == "item")]
    got = forms.points[forms.points["kind"] == "item"]
    key = ["code", "indicator"]
    a = wide.astype({"code": str}).set_index(key)[["points", "reason", "inputs"]].sort_index()
    b = got.astype({"code": str}).set_index(key)[["points", "reason", "inputs"]].sort_index()
    assert a.equals(b)
    assert forms.units.loc["050001", "total"] == 43.65


def test_a_form_missing_an_item_and_its_code(tmp_path, form_rubric):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet("自评表")
    ws.write_row(0, 0, ["单位名称", "某支部"])
    ws.write_row(1, 0, ["填报项目", "填报内容"])
    ws.write_row(2, 0, ["支委会次数", 12])
    wb.close()
    ret = read_returns([tmp_path / "x.xlsx"], form_rubric)
    assert [p.code for p in ret.errors][:1] == ["missing-unit-code"]
