"""The issue's acceptance case: one folder with returns in mixed formats and layouts and the
usual mistakes gives one report a clerk can act on; clean units are read as usual."""

import shutil

import openpyxl
import xlsxwriter
from click.testing import CliRunner

from qscore.cli import cli
from qscore.reader import read_returns
from qscore.validation import validate

import hostile
from conftest import ROOT
from helpers import rubric, rubric_text

ARGS = (
    "- {key: x, name: 支委会, points: 6, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}\n"
    "- {key: y, name: 党小组会, points: 4, allow_na: true, rule: {type: per_shortfall, field: w, required: 12, step: 1}}",
    "v: {label: 支委会次数, type: count}\nw: {label: 党小组会次数, type: count}",
)
R = rubric(*ARGS, total=10)
HEAD = ["单位代码", "单位名称", "类别", "支委会次数", "党小组会次数"]


def make_folder(folder):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["2024年度基层党建工作考核自评表"])
    ws.append(HEAD)
    ws.append(["1001", "一支部", "甲类", 12, 12])
    ws.append(["1002", "二支部", "甲类", "若干", 12])        # not a number
    ws.append(["1001", "一支部", "甲类", 12, 12])            # listed twice
    wb.save(folder / "a汇总.xlsx")
    (folder / "b.csv").write_bytes(("\n".join(",".join(map(str, r)) for r in
                                    [HEAD, ["2001", "三支部", "乙类", "１１", "不涉及"]]) + "\n").encode("gbk"))
    shutil.copy(ROOT / "tests" / "fixtures" / "returns.xls", folder / "c.xls")
    form = xlsxwriter.Workbook(str(folder / "d-3001.xlsx"))
    ws = form.add_worksheet("自评表")
    ws.write_row(0, 0, ["单位代码", "3001", "单位名称", "四支部", "类别", "乙类"])
    ws.write_row(2, 0, ["填报项目", "填报内容"])
    ws.write_row(3, 0, ["支委会次数", 13])
    ws.write_row(4, 0, ["党小组会次数", "=B4-1"])          # a formula never calculated
    form.close()
    hostile.write(folder / "e.xlsx", hostile.far_cell())


def test_one_report_for_a_mixed_folder(tmp_path):
    make_folder(tmp_path)
    ret = read_returns([tmp_path], R)
    report = validate(R, ret)
    assert sorted(ret.units.index) == ["001003", "001004", "1001", "1002", "2001", "3001"]
    errors = {(p.code, p.file.rsplit("/", 1)[-1], p.cell, p.unit) for p in report.errors}
    assert errors == {
        ("not-a-number", "a汇总.xlsx", "D4", "1002"),
        ("duplicate-unit", "a汇总.xlsx", "A5", "1001"),
        ("formula-without-value", "d-3001.xlsx", "B5", "3001"),
        ("unsafe-file", "e.xlsx", "", ""),
    }
    assert ret.units.loc["2001", "v"] == 11.0 and ret.na.loc["2001", "w"]


def test_the_cli_report_names_every_place(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    make_folder(folder)
    (tmp_path / "r.yaml").write_text(rubric_text(*ARGS, total=10), encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(folder), "--rubric", str(tmp_path / "r.yaml")])
    assert res.exit_code == 1
    out = res.output
    assert f"{folder / 'a汇总.xlsx'} › 自评表 › D4: [not-a-number] 不是数字；支委会次数：“若干”；请填写阿拉伯数字，如 4" in out
    assert f"{folder / 'd-3001.xlsx'} › 自评表 › B5: [formula-without-value]" in out
    assert f"{folder / 'e.xlsx'}: [unsafe-file]" in out
    assert out.splitlines()[-1] == "共读取5个文件、6个单位：4个错误，0个提醒。请改正错误后重新报送。"
