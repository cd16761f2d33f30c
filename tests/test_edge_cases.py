"""Edge cases found in review: each failed (crash, silent zero, wrong reading) before its fix."""

import openpyxl
import pytest
from click.testing import CliRunner

from qscore.cli import cli
from qscore.errors import InputError, RubricError
from qscore.normalise import chinese_number, parse_column
from qscore.reader import read_returns
from qscore.validation import validate

from helpers import rubric, rubric_text, run

ONE = "- {key: x, name: 支委会, points: 100, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}"
FIELD = "v: {label: 支委会次数, type: count}"


def test_no_units_is_a_clear_error_not_a_crash(tmp_path):
    with pytest.raises(InputError, match="no unit found"):
        run(rubric(ONE, FIELD), [])
    wb = openpyxl.Workbook()
    wb.active.title = "自评表"
    wb.active.append(["单位代码", "单位名称", "类别", "支委会次数"])
    wb.save(tmp_path / "empty.xlsx")
    (tmp_path / "r.yaml").write_text(rubric_text(ONE, FIELD), encoding="utf-8")
    res = CliRunner().invoke(cli, ["assess", str(tmp_path / "empty.xlsx"), "--rubric", str(tmp_path / "r.yaml"),
                                   "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and "no unit found" in res.output and "internal error" not in res.output


def test_a_deduction_column_that_is_missing_is_an_error_not_zero(tmp_path):
    extra = "deductions:\n  groups:\n    - {key: acc, name: 事故, mode: each, tiers: [{field: acc, points: 5}]}\n"
    r = rubric(ONE, FIELD + "\nacc: {label: 事故次数, type: count}", extra=extra)
    wb = openpyxl.Workbook()
    wb.active.title = "自评表"
    wb.active.append(["单位代码", "单位名称", "类别", "支委会次数", "事故数"])  # misspelt header
    wb.active.append(["u1", "一支部", "甲类", 12, 2])
    wb.save(tmp_path / "r.xlsx")
    (p,) = validate(r, read_returns([tmp_path / "r.xlsx"], r)).errors
    assert p.code == "missing-column" and "事故次数" in p.message


@pytest.mark.parametrize("when, words", [
    ("{field: std, at_least: 1}", "compare it with `is` or `in`"),
    ("{field: ok, is: 是}", "write `is: true` or `is: false`"),
    ("{field: std, in: [达表]}", "“达表” is not one of the levels"),
    ("{field: v, is: 3}", "compare it with at_least"),
])
def test_conditions_must_fit_the_fields_type(when, words):
    fields = FIELD + "\nstd: {label: 标准化, type: level, levels: [达标, 未达标]}\nok: {label: 合格, type: bool}"
    with pytest.raises(RubricError, match=words):
        rubric(ONE, fields, extra=f"vetoes:\n  - {{key: z, name: 否决, when: {when}}}\n")


def test_fields_read_by_indicators_cannot_be_optional():
    with pytest.raises(RubricError, match="must be required"):
        rubric(ONE, "v: {label: 支委会次数, type: count, required: false}")


def test_names_that_would_share_a_ranking_column_are_refused():
    dims = """
dimensions:
  - {key: d1, name: 总分, indicators: [{key: x, name: 支委会, points: 50, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}]}
  - {key: d2, name: 组织, indicators: [{key: y, name: 党课, points: 50, rule: {type: per_shortfall, field: v, required: 4, step: 1}}]}
"""
    with pytest.raises(RubricError, match="“总分” is also a column of the ranking sheet"):
        rubric("", FIELD, dimensions=dims)


def test_markup_in_unit_names_is_printed_as_written(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "自评表"
    wb.active.append(["单位代码", "单位名称", "类别", "支委会次数"])
    wb.active.append(["u1", "第一支部[/]", "甲类", 12])
    wb.active.append(["u2", "[red]二支部", "甲类", 11])
    wb.save(tmp_path / "r.xlsx")
    (tmp_path / "r.yaml").write_text(rubric_text(ONE, FIELD), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli, ["assess", str(tmp_path / "r.xlsx"), "--rubric", str(tmp_path / "r.yaml"),
                              "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "第一支部[/]" in res.output and "[red]二支部" in res.output
    res = runner.invoke(cli, ["explain", "u1", str(tmp_path / "r.xlsx"), "--rubric", str(tmp_path / "r.yaml")])
    assert res.exit_code == 0 and "第一支部[/]" in res.output


def test_rerunning_in_the_same_folder_skips_our_own_output(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    wb.active.title = "自评表"
    wb.active.append(["单位代码", "单位名称", "类别", "支委会次数"])
    wb.active.append(["u1", "一支部", "甲类", 12])
    wb.save(tmp_path / "r.xlsx")
    (tmp_path / "r.yaml").write_text(rubric_text(ONE, FIELD), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for _ in range(2):
        res = runner.invoke(cli, ["assess", ".", "--rubric", "r.yaml", "--quiet"])
        assert res.exit_code == 0, res.output


@pytest.mark.parametrize("text", ["三五", "十十", "一二三", "一百二", "一百十"])
def test_ambiguous_chinese_numerals_are_refused(text):
    assert chinese_number(text) is None
    assert [f.code for f in parse_column([text], "count").findings] == ["not-a-number"]


def test_a_decimal_comma_is_refused_but_thousands_separators_are_read():
    p = parse_column(["1,5", "1,200"], "count")
    assert p.values.tolist()[1] == 1200.0 and [(f.position, f.code) for f in p.findings] == [(0, "not-a-number")]


def test_bare_numbers_written_as_text_follow_the_percent_rule():
    assert parse_column(["95"], "rate", percent=True).values.tolist() == [0.95]
    assert [f.code for f in parse_column(["95"], "rate").findings] == ["ambiguous-percent"]
