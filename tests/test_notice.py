"""The notice (通报): a reviewed golden file for the sample, escaping, and template overrides."""

import datetime as dt

from click.testing import CliRunner

from qscore.cli import cli
from qscore.output.notice import render_notice
from qscore.output.stamp import make_stamp

from conftest import ROOT, SAMPLE
from helpers import rubric, run

GOLDEN = ROOT / "tests" / "golden" / "notice-2024.md"


def test_markdown_notice_of_the_sample_matches_the_reviewed_golden_file(monkeypatch):
    monkeypatch.chdir(ROOT)  # the stamp names the input as given
    res = CliRunner().invoke(cli, ["notice", "samples/returns-2024.xlsx", "--date", "2025-01-20"])
    assert res.exit_code == 0
    # if this fails after an intended change: review `git diff` of the file regenerated with
    #   qscore notice samples/returns-2024.xlsx --date 2025-01-20 > tests/golden/notice-2024.md
    assert res.stdout == GOLDEN.read_text(encoding="utf-8")


LISTS = """
lists:
  - {key: talk, name: 约谈, when: {grade: 差}, reason: 等次为差, within_days: 30}
"""
R = rubric("- {key: x, name: 支委会, points: 100, rule: {type: per_incident, field: v, step: 10}}",
           "v: {label: 次数, type: count}", extra=LISTS)
HOSTILE = [{"code": "a", "name": '<script>alert(1)</script>', "v": 9},
           {"code": "b", "name": "=HYPERLINK(\"http://x\",\"y\")|x", "v": 0}]


def notice(fmt, template_dir=None):
    a = run(R, HOSTILE, as_of=dt.date(2025, 1, 20))
    return render_notice(a, make_stamp(a, dt.date(2025, 1, 20)), fmt, template_dir)


def test_html_is_escaped_and_markdown_cells_too():
    html = notice("html")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<html lang="zh-CN">' in html and "<th scope=\"col\">" in html
    md = notice("md")
    assert '| =HYPERLINK("http://x","y")\\|x |' in md  # the pipe cannot break the table
    assert '- 甲类：&lt;script&gt;alert(1)&lt;/script&gt;' in md and '<script>' not in md


def test_a_user_template_can_extend_the_shipped_one(tmp_path):
    (tmp_path / "notice.md.j2").write_text('{% extends "default/notice.md.j2" %}', encoding="utf-8")
    assert notice("md", tmp_path) == notice("md")
    (tmp_path / "notice.md.j2").write_text("# {{ title }}\n{{ lists[0].name }}：{{ lists[0].units | join('、') }}\n",
                                           encoding="utf-8")
    assert notice("md", tmp_path) == "# 关于2024年度基层党建工作量化考核结果的通报\n约谈：<script>alert(1)</script>\n"


def test_assess_writes_the_notice_beside_the_workbook(tmp_path):
    res = CliRunner().invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path), "--notice", "html",
                                   "--date", "2025-01-20", "--quiet"])
    assert res.exit_code == 0
    assert (tmp_path / "2024年度考核结果通报.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_misspelt_template_variable_fails_loudly(tmp_path):
    (tmp_path / "notice.md.j2").write_text("{{ titel }}", encoding="utf-8")
    res = CliRunner().invoke(cli, ["notice", str(SAMPLE), "--template-dir", str(tmp_path)])
    assert res.exit_code == 1 and "'titel' is undefined" in res.output


def test_english_notice_says_the_same_in_english():
    a = run(R, HOSTILE, as_of=dt.date(2025, 1, 20))
    stamp = make_stamp(a, dt.date(2025, 1, 20))
    md = render_notice(a, stamp, "md", lang="en")
    assert md.startswith("# Notice on the results of the 2024 quantitative assessment")
    assert "## 4. Requirements" in md and "list must act by 19 February 2025." in md
    assert "| Total | 2 |" in md and "Units with equal totals share a place (e.g. 1, 2, 2, 4)." in md
    html = render_notice(a, stamp, "html", lang="en")
    assert '<html lang="en">' in html and "&lt;script&gt;" in html and "<script>" not in html
    import re

    # only data (rubric and unit names) stays Chinese
    assert set(re.findall(r"[\u4e00-\u9fff]+", md)) <= {"约谈", "等次为差", "甲类", "乙类", "支委会", "测试办法", "好", "较好", "一般", "差"}


def test_assess_writes_every_document_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    res = CliRunner().invoke(cli, ["assess", "samples/returns-2024.xlsx", "--out", str(tmp_path), "--date", "2025-01-20",
                                   "--quiet"])
    assert res.exit_code == 0, res.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(["2024年度考核排名表.xlsx", "名单", "2024年度考核结果通报.md", "2024年度考核结果通报.docx",
                              "2024年度考核反馈单.html", "2024年度考核反馈单.xlsx", "2024年度考核结果.html"])
    assert (tmp_path / "2024年度考核结果通报.md").read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert "反馈单" not in written  # files per unit only on request
    res = CliRunner().invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path / "b"), "--no-documents", "--quiet"])
    assert res.exit_code == 0 and sorted(p.name for p in (tmp_path / "b").iterdir()) == ["2024年度考核排名表.xlsx", "名单"]


def test_the_stamp_comment_cannot_be_closed_by_a_file_name():
    from qscore.output.notice import comment_text

    for hostile in ("a-->b<script>x</script>", "x---->", "--!>"):
        text = comment_text(hostile)
        assert "--" not in text and "<" not in text and ">" not in text


def test_word_notice_from_the_command_line_and_in_english(tmp_path):
    res = CliRunner().invoke(cli, ["notice", str(SAMPLE), "--format", "docx"])
    assert res.exit_code == 2 and "--out" in res.output
    out = tmp_path / "通报.docx"
    res = CliRunner().invoke(cli, ["notice", str(SAMPLE), "--format", "docx", "--out", str(out), "--date", "2025-01-20"])
    assert res.exit_code == 0, res.output
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert text.startswith("关于2024年度基层党建工作量化考核结果的通报") and "二、考核结果" in text
    res = CliRunner().invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path / "en"), "--lang", "en", "--date",
                                   "2025-01-20", "--quiet"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == sorted([
        "2024年度考核排名表.xlsx", "名单", "notice-2024.md", "notice-2024.docx", "feedback-2024.html",
        "feedback-2024.xlsx", "results-2024.html"])
    en = "\n".join(p.text for p in docx.Document(str(tmp_path / "en" / "notice-2024.docx")).paragraphs)
    assert en.startswith("Notice on the results of the 2024") and "4. Requirements" in en and "20 January 2025" in en
    assert '<html lang="en">' in (tmp_path / "en" / "results-2024.html").read_text(encoding="utf-8")


def test_export_templates_for_a_department_to_edit(tmp_path):
    res = CliRunner().invoke(cli, ["export-templates", str(tmp_path / "tpl")])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "tpl").iterdir())
    assert {"notice.docx", "notice.md.j2", "notice.html.j2", "feedback.html.j2", "report.html.j2"} <= set(names)
    res = CliRunner().invoke(cli, ["export-templates", str(tmp_path / "tpl")])
    assert res.exit_code == 2 and "--force" in res.output
    # the exported templates, used as they are, give the same notice
    a = run(R, HOSTILE, as_of=dt.date(2025, 1, 20))
    assert render_notice(a, make_stamp(a, dt.date(2025, 1, 20)), "md", tmp_path / "tpl") == notice("md")


def test_common_problems_count_shortfalls_and_deductions_not_votes(sample):
    from qscore.output.notice import common_problems

    problems = {p["item"]: p["units"] for p in common_problems(sample, limit=100)}
    assert "书记述职评议" not in problems  # a vote share is an appraisal, not a shortfall
    p = sample.points
    criticised = p[(p["kind"] == "deduction") & (p["item"] == "被通报批评")]["code"].nunique()
    assert problems["被通报批评"] == criticised > 0
    units = list(problems.values())
    assert units == sorted(units, reverse=True)
