"""Per-unit feedback (反馈单): the tables, the pages, the workbook, the files per unit."""

import datetime as dt
import html.parser

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from qscore.cli import cli
from qscore.output.feedback import (
    feedback_tables,
    per_unit_names,
    render_feedback_html,
    render_feedback_per_unit,
    render_feedback_workbook,
)
from qscore.output.stamp import make_stamp

from conftest import SAMPLE
from helpers import rubric, run

DAY = dt.date(2025, 1, 20)
DIMS = """
dimensions:
  - key: d1
    name: 组织建设
    indicators:
      - {key: x, name: 支委会, points: 60, rule: {type: per_shortfall, field: v, required: 6, step: 10}}
  - key: d2
    name: 组织生活
    indicators:
      - {key: y, name: 党课, points: 40, rule: {type: all_or_nothing, field: w}}
"""
R = rubric("", "v: {label: 支委会次数, type: count}\nw: {label: 开展党课, type: bool}", dimensions=DIMS)
RECORDS = [
    {"code": "a1", "v": 6, "w": True},  # 100
    {"code": "a2", "v": 3, "w": True},  # 70: loses 30 on 支委会
    {"code": "a3", "v": 5, "w": False},  # 50: loses 10 and 40
    {"code": "b1", "category": "乙类", "v": 0, "w": True},  # 40
]


def small():
    return run(R, RECORDS, as_of=DAY)


def test_each_dimension_is_set_against_its_category_average():
    t = feedback_tables(small())
    d = t.dimensions.set_index(["code", "dimension"])
    # 甲类 组织建设: (60 + 30 + 50) / 3 = 46.666... -> 46.67 (half up); 乙类 only b1
    assert d.loc[("a1", "组织建设"), "mean"] == 46.67 and d.loc[("a2", "组织建设"), "gap"] == -16.67
    assert d.loc[("b1", "组织建设"), "mean"] == 0 and d.loc[("b1", "组织生活"), "gap"] == 0
    assert d.loc[("a3", "组织生活"), "max"] == 40 and d.loc[("a3", "组织生活"), "points"] == 0
    assert list(t.dimensions["code"][:2]) == ["a1", "a1"]  # one unit's dimensions together, in order


def test_every_point_lost_is_listed_with_its_reason_and_source():
    t = feedback_tables(small())
    lost = t.lost.groupby("code")
    assert "a1" not in lost.groups
    a3 = lost.get_group("a3")
    assert list(a3["item"]) == ["支委会", "党课"] and list(a3["lost"]) == [10, 40]
    assert all(a3["reason"]) and all("自评表" in s or s for s in a3["source"])
    # the page's numbers are the points table's: lost = max - points, for every item row
    p = small().points
    items = p[(p["kind"] == "item") & (p["points"] < p["max"])]
    assert len(t.lost) == len(items) and t.lost["lost"].sum() == (items["max"] - items["points"]).sum()


def test_units_come_in_category_then_place_order_with_places_and_grades():
    t = feedback_tables(small())
    assert list(t.units["code"]) == ["a1", "a2", "a3", "b1"]
    assert list(t.units["category_rank"]) == [1, 2, 3, 1] and list(t.units["category_size"]) == [3, 3, 3, 1]


def text_of(page: str) -> str:
    class P(html.parser.HTMLParser):
        parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    p = P()
    p.parts = []
    p.feed(page)
    return " ".join(" ".join(p.parts).split())


def test_the_page_shows_total_place_grade_reasons_and_averages():
    a = small()
    page = render_feedback_html(a, make_stamp(a, DAY), codes=["a3"])
    text = text_of(page)
    assert "单位a3" in text and "单位a1" not in text
    assert "总分 50.00 等次 差" in text
    assert "甲类：第3名（共3个）" in text
    assert "组织建设 50.00 60.00 46.67 高3.33分" in text and "组织生活 0.00 40.00 26.67 低26.67分" in text
    assert "开展党课：否，扣40分" in text.replace(" ", "")


def test_hostile_names_are_text_in_pages_safe_in_file_names_and_inert_in_the_workbook():
    bad = [{"code": "x1", "name": '<script>alert(1)</script>', "v": 1, "w": True},
           {"code": "x2", "name": '=HYPERLINK("http://x","y")', "v": 2, "w": True},
           {"code": "x3", "name": "../../etc/passwd", "v": 3, "w": False}]
    a = run(R, bad, as_of=DAY)
    stamp = make_stamp(a, DAY)
    page = render_feedback_html(a, stamp)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    names = [name for name, _ in render_feedback_per_unit(a, stamp)]
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)
    assert "x3_.._.._etc_passwd.html" not in names and any(n.startswith("x3_") for n in names)
    import io
    import zipfile

    book = render_feedback_workbook(a, stamp)
    sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/sharedStrings.xml").decode()
    assert "=HYPERLINK" in sheet  # kept as text...
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()  # ...never a formula


def test_per_unit_names_are_unique_even_on_a_case_insensitive_disk():
    assert per_unit_names(["A", "a", "b"], ["x/y", "x/y", "x_y"]) == ["A_x_y", "a_x_y(2)", "b_x_y"]
    assert per_unit_names(["1"], ["..\\..\\win"])[0].startswith("1_") and "\\" not in per_unit_names(["1"], ["a\\b"])[0]


def test_the_workbook_has_a_row_per_unit_and_every_lost_point(tmp_path):
    a = small()
    path = tmp_path / "fb.xlsx"
    path.write_bytes(render_feedback_workbook(a, make_stamp(a, DAY)))
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["反馈单", "失分明细", "说明"]
    units = wb.get_sheet_by_name("反馈单").to_python()
    head = units[2]
    assert head[:7] == ["单位代码", "单位名称", "类别", "总分", "类别名次", "类别单位数", "等次"]
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in units[3:]}
    assert rows["a3"]["总分"] == 50 and rows["a3"]["组织建设（本类别平均）"] == 46.67 and rows["a3"]["失分项数"] == 2
    lost = wb.get_sheet_by_name("失分明细").to_python()[3:]
    assert sorted((r[0], r[3]) for r in lost) == [("a2", "支委会"), ("a3", "党课"), ("a3", "支委会"), ("b1", "支委会")]


def test_feedback_command_writes_page_workbook_and_a_file_per_unit(tmp_path):
    res = CliRunner().invoke(cli, ["feedback", str(SAMPLE), "--out", str(tmp_path), "--per-unit", "--date", "2025-01-20"])
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in (tmp_path / "反馈单").glob("*.html"))
    assert len(files) == 1919 and "050001_金广科技有限公司党支部.html" in files
    page = (tmp_path / "反馈单" / "050001_金广科技有限公司党支部.html").read_text(encoding="utf-8")
    text = text_of(page)
    assert "总分 43.65 等次 差" in text and "非公企业：第224名（共224个）" in text
    assert "支委会应开12次，实开3次，每少1次扣0.5分，扣4.5分" in text and "returns-2024.xlsx › 自评表 › K1489" in text
    assert str(SAMPLE.parent) not in page  # a unit's sheet does not show where the department keeps its files
    assert (tmp_path / "2024年度考核反馈单.html").stat().st_size > 1_000_000
    assert (tmp_path / "2024年度考核反馈单.xlsx").exists()


def test_feedback_for_named_units_and_a_clear_message_for_an_unknown_one(tmp_path):
    res = CliRunner().invoke(cli, ["feedback", str(SAMPLE), "--out", str(tmp_path), "--unit", "050001",
                                   "--unit", "市第4中学党总支"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["050001_金广科技有限公司党支部.html",
                                                          "070004_市第4中学党总支.html"]
    res = CliRunner().invoke(cli, ["feedback", str(SAMPLE), "--out", str(tmp_path), "--unit", "金广科技有限公司党支"])
    assert res.exit_code == 1 and "Did you mean: 金广科技有限公司党支部" in res.output


def test_english_feedback(tmp_path):
    a = small()
    page = render_feedback_html(a, make_stamp(a, DAY), lang="en", codes=["a2"])
    text = text_of(page)
    assert '<html lang="en">' in page and "Place 甲类: 2 of 3; 2 of 4 overall" in text
    assert "组织建设 30.00 60.00 46.67 16.67 below" in text


def test_a_name_shared_by_two_units_asks_for_the_code(tmp_path):
    res = CliRunner().invoke(cli, ["feedback", str(SAMPLE), "--out", str(tmp_path), "--unit", "宁安科技有限公司党支部"])
    assert res.exit_code == 1 and "is the name of 2 units (050214, 050215); give the code instead" in res.output


def test_a_broken_template_names_its_file_and_line_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["assess", str(SAMPLE), "--out", str(out), "--date", "2025-01-20",
                                    "--quiet"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "feedback.html.j2").write_text("<p>\n{% for u in units %}{{ u.name }\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["assess", str(SAMPLE), "--out", str(out), "--date", "2025-02-01",
                                   "--template-dir", str(tpl), "--quiet"])
    assert res.exit_code == 1 and f"{tpl / 'feedback.html.j2'}:2: template syntax error" in res.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # all or nothing
    (tpl / "feedback.html.j2").write_text("<p>\n{{ units[0].nmae | upper }}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["feedback", str(SAMPLE), "--out", str(out), "--template-dir", str(tpl)])
    assert res.exit_code == 1 and "feedback.html.j2:2: template error:" in res.output and "nmae" in res.output


def test_a_unit_with_an_item_not_applicable_is_compared_at_its_own_maximum():
    two = """
- {key: x, name: 支委会, points: 6, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}
- {key: y, name: 党小组会, points: 4, allow_na: true, rule: {type: per_shortfall, field: w, required: 12, step: 1}}
"""
    r = rubric(two, "v: {label: 支委会次数, type: count}\nw: {label: 党小组会次数, type: count}", total=10)
    a = run(r, [{"code": "u1", "v": 12, "w": "不涉及"}, {"code": "u2", "v": 12, "w": 12},
                {"code": "u3", "v": 6, "w": 6}], as_of=DAY)
    t = feedback_tables(a)
    d = t.dimensions.set_index("code")
    # shares of the maximum: 6/6, 10/10, 3/10 -> 0.7667 on average; at u1's maximum of 6 that is 4.60
    assert d.loc["u1", "max"] == 6 and d.loc["u1", "mean"] == 4.6 and d.loc["u1", "gap"] == 1.4
    assert d.loc["u2", "mean"] == 7.67 and d.loc["u3", "gap"] == -4.67
    # the 不涉及 item and the rescaling are shown, so the page explains the whole total
    u1 = t.lost[t.lost["code"] == "u1"]
    assert list(u1["kind"]) == ["na", "rescale"] and u1["reason"].iloc[0].startswith("不涉及")


def test_a_user_template_can_extend_the_shipped_feedback_page(tmp_path):
    a = small()
    stamp = make_stamp(a, DAY)
    (tmp_path / "feedback.html.j2").write_text('{% extends "default/feedback.html.j2" %}', encoding="utf-8")
    assert render_feedback_html(a, stamp, template_dir=tmp_path) == render_feedback_html(a, stamp)
    (tmp_path / "feedback.html.j2").write_text(
        "{% for u in units %}{{ u.code }} {{ u.total_s }} {{ u.grade }}\n{% endfor %}", encoding="utf-8")
    assert render_feedback_html(a, stamp, template_dir=tmp_path) == "a1 100.00 好\na2 70.00 一般\na3 50.00 差\nb1 40.00 差\n"


def test_sources_name_files_without_their_folders():
    import pandas as pd

    from qscore.output.feedback import short_sources

    got = short_sources(pd.Series(["/srv/x/returns.xlsx › 自评表 › K4",
                                   "/a/b.xlsx › 督查问题 › 第5行、7行；/c/d.xlsx › 通报批评 › 第2行", "督查问题：无记录", ""]))
    assert list(got) == ["returns.xlsx › 自评表 › K4", "b.xlsx › 督查问题 › 第5行、7行；d.xlsx › 通报批评 › 第2行",
                         "督查问题：无记录", ""]
