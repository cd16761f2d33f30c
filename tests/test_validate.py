import json

import openpyxl
import pytest
from click.testing import CliRunner

from qscore.cli import cli
from qscore.reader import read_returns, read_roster
from qscore.validation import Roster, validate

from conftest import SAMPLE
from helpers import rubric

R = rubric(
    "- {key: x, name: 支委会, points: 6, self_score: s, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}\n"
    "- {key: y, name: 党费, points: 4, rule: {type: ratio, numerator: p, denominator: d, threshold: {at_least: 1}}}",
    "v: {label: 支委会次数, type: count}\ns: {label: 支委会自评得分, type: number}\n"
    "p: {label: 实缴党费, type: number}\nd: {label: 应缴党费, type: number}",
    total=10,
    extra="checks:\n  - {key: dues, message: 实缴党费不应超过应缴党费, field: p, not_above: d}\n",
)
HEAD = "单位代码,单位名称,类别,支委会次数,支委会自评得分,实缴党费,应缴党费\n"


def test_csv_in_utf8_with_bom_and_in_gbk(tmp_path):
    text = HEAD + "001,一支部,甲类,12,6,100,100\n002,二支部,乙类,四次,2,100,100\n"
    a = tmp_path / "a.csv"
    a.write_bytes(text.encode("utf-8-sig"))
    b = tmp_path / "b.csv"
    b.write_bytes(text.replace("001", "003").replace("002", "004").encode("gbk"))
    ret = read_returns([a, b], R)
    assert not ret.errors
    assert ret.units.index.tolist() == ["001", "002", "003", "004"]
    assert ret.units["v"].tolist() == [12.0, 4.0, 12.0, 4.0]
    assert ret.sources.loc["002", "v"] == f"{a} › D3"


def test_cross_field_check_and_self_score(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(HEAD + "001,一支部,甲类,12,7,120,100\n", encoding="utf-8")
    report = validate(R, read_returns([f], R))
    found = {(p.code, p.cell) for p in report.errors}
    assert found == {("failed-check", "F2"), ("self-score-too-high", "E2")}
    msg = next(p.message for p in report.errors if p.code == "failed-check")
    assert msg == "实缴党费不应超过应缴党费：实缴党费 120 高于应缴党费 100"


def test_strict_turns_normalisations_into_errors(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(HEAD + "001,一支部,甲类,12次,6,100,100\n", encoding="utf-8")
    assert validate(R, read_returns([f], R)).ok
    strict = validate(R, read_returns([f], R), strict=True)
    assert [(p.code, p.cell, p.severity) for p in strict.errors] == [("normalised", "D2", "error")]


def test_roster_finds_missing_and_unknown_units(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位代码,单位名称,类别,上级党组织\n001,一支部,甲类,城关镇党委\n009,九支部,乙类,城关镇党委\n",
                      encoding="utf-8")
    units, problems = read_roster(roster, R)
    assert not problems and units.loc["009", "parent"] == "城关镇党委"
    f = tmp_path / "r.csv"
    f.write_text(HEAD + "001,一支部,甲类,12,6,100,100\n002,二支部,甲类,12,6,100,100\n", encoding="utf-8")
    report = validate(R, read_returns([f], R), Roster(units))
    assert {(p.code, p.unit, p.cell) for p in report.errors} == {("not-in-roster", "002", "A3"),
                                                                 ("not-submitted", "009", "A3")}


@pytest.fixture()
def bad_sample(tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["自评表"]
    ws["K4"] = "若干"          # 010001: not a number
    ws["W5"] = 999999          # 010002: dues paid above dues due
    path = tmp_path / "in" / "returns.xlsx"
    path.parent.mkdir()
    wb.save(path)
    return path


def test_validate_cli_text_grouped_by_unit(bad_sample):
    res = CliRunner().invoke(cli, ["validate", str(bad_sample)])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0] == "单位 010001（1个问题）"
    assert lines[1] == f"  错误: {bad_sample} › 自评表 › K4: [not-a-number] 不是数字；支委会次数：“若干”；请填写阿拉伯数字，如 4"
    assert lines[-1] == "共读取1个文件、1919个单位：2个错误，0个提醒。请改正错误后重新报送。"


def test_validate_cli_in_english_words_every_message_in_english(bad_sample):
    res = CliRunner().invoke(cli, ["validate", str(bad_sample), "--lang", "en"])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[1] == (f"  error: {bad_sample} › 自评表 › K4: [not-a-number] not a number; 支委会次数: “若干”; "
                        "write a number such as 4")
    assert "[failed-check] values contradict each other; " in lines[3] and " is above " in lines[3]
    assert lines[-1] == "1 file(s), 1919 unit(s): 2 error(s), 0 warning(s). Fix the errors and resend."


def test_english_messages_from_the_reader_and_the_file_checks(tmp_path):
    from qscore.problems import Problem

    assert Problem("hidden-row", "该行被隐藏，已照常读取", "a.xlsx", "自评表", "第5行",
                   message_en="this row is hidden").text("en") == \
        ("a.xlsx › 自评表 › row 5: [hidden-row] hidden rows were read as usual; this row is hidden; "
         "check the hidden rows belong in the return")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    res = CliRunner().invoke(cli, ["validate", str(empty), "--lang", "en"])
    assert res.exit_code == 1 and "the file is empty (0 bytes)" in res.output and "文件为空" not in res.output


def test_validate_cli_english_and_json(bad_sample):
    res = CliRunner().invoke(cli, ["validate", str(bad_sample), "--format", "json", "--lang", "en"])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert doc["ok"] is False and doc["errors"] == 2 and doc["units"] == 1919
    p = doc["problems"][0]
    assert (p["code"], p["cell"], p["unit"], p["title"]) == ("not-a-number", "K4", "010001", "not a number")


def test_validate_cli_xlsx_marks_the_cells(bad_sample, tmp_path):
    out = tmp_path / "feedback"
    res = CliRunner().invoke(cli, ["validate", str(bad_sample), "--format", "xlsx", "--out", str(out)])
    assert res.exit_code == 1
    wb = openpyxl.load_workbook(out / "returns-问题清单.xlsx")
    assert wb.sheetnames[0] == "问题清单"
    assert wb["自评表"]["K4"].comment.text.startswith(f"{bad_sample} › 自评表 › K4: [not-a-number]")
    assert wb["自评表"]["K4"].fill.fgColor.rgb.endswith("FFC7CE")
    rows = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    errors = [(r[2], r[3], r[5]) for r in rows if r[1] == "错误"]
    assert errors == [("not-a-number", "010001", "K4"), ("failed-check", "010002", "W5")]
    # values read after normalising are listed too, as 说明, so the clerk learns the plain form
    assert {r[1] for r in rows} == {"错误", "说明"} and all(r[2] == "normalised" for r in rows if r[1] == "说明")


def test_clean_sample_validates(tmp_path):
    res = CliRunner().invoke(cli, ["validate", str(SAMPLE)])
    assert res.exit_code == 0 and res.output.endswith("0个错误，0个提醒。可以计分。\n")


def test_assess_refuses_then_skip_invalid_lists_not_scored(bad_sample, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["assess", str(bad_sample), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "--skip-invalid scores the other units" in res.output
    res = runner.invoke(cli, ["assess", str(bad_sample), "--out", str(tmp_path / "o"), "--skip-invalid",
                              "--format", "json", "--date", "2025-01-20"])
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert len(doc["units"]) == 1917
    assert [u["code"] for u in doc["not_scored"]] == ["010001", "010002"]
    assert "K4" in doc["not_scored"][0]["reasons"]
    wb = openpyxl.load_workbook(tmp_path / "o" / "2024年度考核排名表.xlsx", read_only=True)
    rows = list(wb["未计分单位"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == ["010001", "010002"]
    # the units not scored most need their feedback: why, and what to correct
    fb = openpyxl.load_workbook(tmp_path / "o" / "2024年度考核反馈单.xlsx", read_only=True)
    assert [r[0] for r in fb["未计分单位"].iter_rows(min_row=4, values_only=True)] == ["010001", "010002"]
    page = (tmp_path / "o" / "2024年度考核反馈单.html").read_text(encoding="utf-8")
    section = page[page.index('id="n1"'):page.index('id="n2"')]
    assert "010001" in section and "未予计分" in section and "K4: [not-a-number]" in section
    res = runner.invoke(cli, ["feedback", str(bad_sample), "--out", str(tmp_path / "f"), "--unit", "010001"])
    assert res.exit_code == 1  # feedback scores nothing that is invalid; assess --skip-invalid --per-unit does
    res = runner.invoke(cli, ["assess", str(bad_sample), "--out", str(tmp_path / "p"), "--skip-invalid", "--per-unit",
                              "--quiet"])
    assert res.exit_code == 0
    pages = {p.name for p in (tmp_path / "p" / "反馈单").glob("*.html")}
    assert len(pages) == 1919 and any(n.startswith("010001_") for n in pages)
