"""Units named like a formula, a path or markup go through every output as plain text:
no formula in any workbook, no markup in any page, no file outside the output folder,
and the names themselves unchanged where the format can carry them (JSON)."""

import json
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from qscore.cli import cli

from helpers import rubric_text

FORMULA = '=HYPERLINK("http://x","y")'
PATH = "../../etc/passwd"
MARKUP = "<script>alert(1)</script>&amp;"
LISTS = """
lists:
  - {key: talk, name: 约谈, when: {grade: 差}, reason: 等次为差, within_days: 30}
  - {key: praise, name: 通报表扬, when: {grade: 好}, reason: 等次为好}
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "rubric.yaml").write_text(rubric_text(
        "- {key: x, name: 支委会, points: 100, rule: {type: per_incident, field: v, step: 10}}",
        "v: {label: 问题次数, type: count}", extra=LISTS), encoding="utf-8")
    (tmp / "returns.csv").write_text(
        "单位代码,单位名称,类别,问题次数\n"
        f'a1,"{FORMULA.replace(chr(34), chr(34) * 2)}",甲类,9\n'
        f"a2,{PATH},甲类,0\n"
        f"b1,{MARKUP},乙类,5\n", encoding="utf-8")
    out = tmp / "out"
    res = CliRunner().invoke(cli, ["assess", str(tmp / "returns.csv"), "--rubric", str(tmp / "rubric.yaml"),
                                   "--out", str(out), "--per-unit", "--notice", "md", "--notice", "html", "--notice", "docx",
                                   "--date", "2025-01-20", "--format", "json"])
    assert res.exit_code == 0, res.output
    return tmp, out, json.loads(res.stdout)


def test_names_round_trip_exactly_in_json(outputs):
    _, _, doc = outputs
    assert {u["code"]: u["name"] for u in doc["units"]} == {"a1": FORMULA, "a2": PATH, "b1": MARKUP}


def test_nothing_is_written_outside_the_output_folder(outputs):
    tmp, out, _ = outputs
    assert sorted(p.name for p in tmp.iterdir()) == ["out", "returns.csv", "rubric.yaml"]
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
        assert ".." not in p.relative_to(out).parts
    per_unit = sorted(p.name for p in (out / "反馈单").iterdir() if p.name != ".qscore-output")
    assert len(per_unit) == 3 and all(n.endswith(".html") and "/" not in n for n in per_unit)


def test_no_workbook_holds_a_formula_and_the_names_stay_text(outputs):
    _, out, _ = outputs
    books = list(out.rglob("*.xlsx"))
    assert len(books) >= 4  # ranking, feedback, and the lists
    seen = 0
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in z.read(name).decode(), (book, name)
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value == FORMULA:
                        assert c.data_type == "s" and c.quotePrefix, (book.name, ws.title, c.coordinate)
                        seen += 1
    assert seen >= 4


def test_no_page_or_notice_carries_live_markup(outputs):
    _, out, _ = outputs
    pages = list(out.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page.name
        if page.parent == out:  # pages of every unit (a page per unit shows only its own)
            assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;" in text or "\\u003cscript" in text, page.name
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert not re.search(r"\[[^\]]*\]\(http", md)  # no live link either


def test_the_word_notice_shows_the_names_as_text(outputs):
    import docx

    _, out, _ = outputs
    doc = docx.Document(str(next(out.glob("*.docx"))))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {FORMULA, PATH, MARKUP} <= cells
    from docx.oxml.ns import qn

    body = doc.element.body
    assert not list(body.iter(qn("w:instrText"))) and not list(body.iter(qn("w:fldSimple")))  # no field
    assert not list(body.iter(qn("w:hyperlink")))
