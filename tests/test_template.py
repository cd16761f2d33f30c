"""The form generated from the rubric, filled in, validates clean and scores as expected."""

import datetime as dt

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from qscore.assessment import assess
from qscore.cli import cli
from qscore.reader import read_returns
from qscore.rubric import load_rubric
from qscore.validation import validate

from conftest import RUBRIC, SAMPLE

UNITS = ["010005", "010006", "030010", "030011", "050001", "060002", "070001", "080004"]  # no rank-based items
PERFECT = "019999"


def sample_column(header, label):
    """Index in the sample's header of the field labelled `label` (under its label or an alias)."""
    spec = next(f for f in load_rubric(RUBRIC).fields.values() if f.label == label)
    return next(header.index(x) for x in (spec.label, *spec.aliases) if x in header)


def sample_rows():
    wb = CalamineWorkbook.from_path(str(SAMPLE))
    return {name: wb.get_sheet_by_name(name).to_python()[2:] for name in wb.sheet_names if name != "填报说明"}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("template")
    sheets = sample_rows()
    header, *body = sheets["自评表"]
    rows = {r[0]: r for r in body if r[0] in UNITS}
    roster = tmp / "roster.csv"
    lines = ["单位代码,单位名称,类别"] + [f"{c},{rows[c][1]},{rows[c][2]}" for c in UNITS] + [f"{PERFECT},满分支部,农村"]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["template", "--roster", str(roster), "--out", str(tmp / "form.xlsx"),
                                   "--date", "2025-01-01"])
    assert res.exit_code == 0, res.output
    # the department's own sheets for these units (votes, findings, honours, criticisms)
    dept = xlsxwriter.Workbook(str(tmp / "dept.xlsx"))
    for name in ("述职评议", "督查问题", "表彰奖励", "通报批评"):
        ws = dept.add_worksheet(name)
        head, *data = sheets[name]
        ws.write_row(0, 0, head)
        keep = [d for d in data if d[0] in UNITS]
        if name == "述职评议":
            keep.append([PERFECT, "满分支部", 40, 40, 0, 0, 0, 0])
        for i, row in enumerate(keep, start=1):
            ws.write_row(i, 0, row)
    dept.close()
    return tmp, header, rows


def fill(tmp, header, rows, out, tweak=None):
    wb = openpyxl.load_workbook(tmp / "form.xlsx")
    ws = wb["自评表"]
    head = [c.value for c in ws[3]]
    perfect = {"支委会次数": 12, "支部党员大会次数": 4, "党小组会次数": 12, "党课次数": 4, "主题党日次数": 12,
               "研究党建工作次数": 4, "党务公开次数": 4, "发展党员人数": 2, "党员教育培训学时达标率": 1,
               "群众满意率": 1, "应缴党费": 1000, "按时足额缴纳党费": 1000, "活动阵地": "标准", "台账资料": "规范",
               "支部标准化建设": "达标", "党建责任清单落实": "A", "问题整改完成率": 1, "村集体经济收入（万元）": 60}
    for r in range(4, ws.max_row + 1):
        code = ws.cell(r, 1).value
        for c, label in enumerate(head, start=1):
            if c <= 3 or ws.cell(r, c).protection.locked:
                continue  # prefilled, or not asked of this unit's category
            if code == PERFECT:
                value = perfect.get(label, "否" if label in ("书记被司法机关处理", "连续三年未发展党员", "发生重大安全责任事故",
                                                         "材料弄虚作假", "本年度有人被问责") else "是")
            else:
                value = rows[code][sample_column(header, label)]
            ws.cell(r, c).value = value
    if tweak:
        tweak(ws, head)
    wb.save(out)
    return out


def test_form_reads_back_the_same_with_calamine_and_openpyxl(made):
    tmp, _, _ = made
    cal = CalamineWorkbook.from_path(str(tmp / "form.xlsx")).get_sheet_by_name("自评表").to_python()
    wb = openpyxl.load_workbook(tmp / "form.xlsx")
    ws = wb["自评表"]
    assert [v for v in cal[2] if v != ""] == [c.value for c in ws[3] if c.value is not None]
    rubric = load_rubric(RUBRIC)
    validations = {str(d.sqref).split(":")[0]: d for d in ws.data_validations.dataValidation}
    head = [c.value for c in ws[3]]
    for key in ("standardisation", "committee_meetings", "training_rate", "group_meetings", "leading_group"):
        col = openpyxl.utils.get_column_letter(head.index(rubric.fields[key].label) + 1)
        d = validations[f"{col}4"]
        assert d.showErrorMessage and d.showInputMessage and d.prompt
    assert validations[openpyxl.utils.get_column_letter(head.index("支部标准化建设") + 1) + "4"].formula1 == '"达标,基本达标,未达标"'
    assert validations[openpyxl.utils.get_column_letter(head.index("支委会次数") + 1) + "4"].type == "whole"
    assert validations[openpyxl.utils.get_column_letter(head.index("党小组会次数") + 1) + "4"].type == "custom"  # 或“不涉及”
    assert ws.protection.sheet and ws["A4"].protection.locked and not ws["D4"].protection.locked
    assert "填报说明" in wb.sheetnames and wb["填报说明"]["A1"].value.endswith("填报说明")


def test_filled_form_validates_clean_and_scores_as_the_sample(made, sample, tmp_path):
    tmp, header, rows = made
    filled = fill(tmp, header, rows, tmp_path / "filled.xlsx")
    rubric = load_rubric(RUBRIC)
    ret = read_returns([filled, tmp / "dept.xlsx"], rubric)
    assert validate(rubric, ret).ok, [p.text() for p in validate(rubric, ret).errors][:3]
    a = assess(rubric, ret, as_of=dt.date(2025, 1, 20))
    for code in UNITS:
        assert a.units.loc[code, "total"] == sample.units.loc[code, "total"], code
    # by hand: every item at full marks, no finding, 40 votes all 好 -> 30 + 50 + 20 = 100
    assert a.units.loc[PERFECT, "total"] == 100.0
    assert a.units.loc["050001", "total"] == 43.65  # the unit checked by hand in test_sample


def test_filled_form_with_mistakes_gives_the_expected_problems(made, tmp_path):
    tmp, header, rows = made

    def mistakes(ws, head):
        col = {label: i + 1 for i, label in enumerate(head)}
        ws.cell(4, col["支委会次数"]).value = "若干"
        ws.cell(5, col["支部标准化建设"]).value = "良好"
        ws.cell(6, col["群众满意率"]).value = 95
        ws.cell(7, col["党课次数"]).value = None

    filled = fill(tmp, header, rows, tmp_path / "bad.xlsx", mistakes)
    res = CliRunner().invoke(cli, ["validate", str(filled), str(tmp / "dept.xlsx")])
    assert res.exit_code == 1
    rubric = load_rubric(RUBRIC)
    report = validate(rubric, read_returns([filled, tmp / "dept.xlsx"], rubric))
    head = [c.value for c in openpyxl.load_workbook(filled)["自评表"][3]]

    def cell(label, row):
        return openpyxl.utils.get_column_letter(head.index(label) + 1) + str(row)

    assert {(p.code, p.cell) for p in report.errors} == {
        ("not-a-number", cell("支委会次数", 4)), ("not-a-level", cell("支部标准化建设", 5)),
        ("ambiguous-percent", cell("群众满意率", 6)), ("missing-value", cell("党课次数", 7))}


def test_per_unit_forms_round_trip(made, tmp_path):
    tmp, header, rows = made
    res = CliRunner().invoke(cli, ["template", "--roster", str(tmp / "roster.csv"), "--per-unit",
                                   "--out", str(tmp_path / "forms")])
    assert res.exit_code == 0
    form = tmp_path / "forms" / f"050001-{rows['050001'][1]}.xlsx"
    wb = openpyxl.load_workbook(form)
    ws = wb["自评表"]
    for r in range(7, ws.max_row + 1):
        label = ws.cell(r, 2).value
        ws.cell(r, 3).value = rows["050001"][sample_column(header, label)]
    wb.save(form)
    rubric = load_rubric(RUBRIC)
    ret = read_returns([form, tmp / "dept.xlsx"], rubric)
    only = ret.units.index.tolist()
    assert "050001" in only
    a = assess(rubric, type(ret)(ret.units.loc[["050001"]], ret.na.loc[["050001"]], ret.sources.loc[["050001"]],
                                 ret.files, ()))
    assert a.units.loc["050001", "total"] == 43.65


def test_per_unit_needs_a_roster():
    res = CliRunner().invoke(cli, ["template", "--per-unit"])
    assert res.exit_code == 2 and "--per-unit needs --roster" in res.output


def test_hostile_unit_names_stay_text_and_inside_the_folder(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('单位代码,单位名称,类别\n1,"=HYPERLINK(""http://x"",""y"")",农村\n2,../../etc/passwd,社区\n',
                      encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["template", "--roster", str(roster), "--out", str(tmp_path / "t.xlsx")]).exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["自评表"]
    assert ws["B4"].value == '=HYPERLINK("http://x","y")' and ws["B4"].data_type == "s"
    out = tmp_path / "forms"
    assert runner.invoke(cli, ["template", "--roster", str(roster), "--per-unit", "--out", str(out)]).exit_code == 0
    made = sorted(p.name for p in out.iterdir())
    assert made == ["1-=HYPERLINK(_http___x_,_y_).xlsx", "2-____etc_passwd.xlsx"]
    assert all(p.resolve().parent == out.resolve() for p in out.iterdir())
