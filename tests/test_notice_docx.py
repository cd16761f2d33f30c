"""The notice as a Word document: GB/T 9704 layout of the shipped template, the same content
as the Markdown notice, byte-identical renders, hostile names kept as text, user templates."""

import datetime as dt
import importlib.util
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qscore.errors import QscoreError
from qscore.output.notice import notice_context, render_notice
from qscore.output.notice_docx import chinese_number, render_notice_docx, template_path
from qscore.output.stamp import make_stamp
from qscore.output.zipfix import fixed_zip

from conftest import ROOT
from helpers import rubric, run

DAY = dt.date(2025, 1, 20)


@pytest.fixture(scope="module")
def stamp(sample):
    return make_stamp(sample, DAY)


@pytest.fixture(scope="module")
def rendered(sample, stamp):
    return render_notice_docx(sample, stamp)


@pytest.fixture(scope="module")
def document(rendered):
    return docx.Document(io.BytesIO(rendered))


@pytest.fixture(scope="module")
def context(sample, stamp):
    return notice_context(sample, stamp)


def texts(document):
    return [p.text for p in document.paragraphs]


def styled(document, style):
    return [p.text for p in document.paragraphs if p.style.name == style]


# ---------------------------------------------------------------- layout (GB/T 9704-2012)

def test_page_is_a4_with_the_official_margins(document):
    (sec,) = document.sections
    for actual, mm in ((sec.page_width, 210), (sec.page_height, 297), (sec.top_margin, 37),
                       (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert abs(actual - Mm(mm)) <= Mm(1), (actual.mm, mm)


def fonts_of(style):
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    assert not any(k.endswith("Theme") or k.endswith("theme") for k in rfonts.attrib), "a theme font would win"
    return rfonts.get(qn("w:eastAsia")), style.font.size


@pytest.mark.parametrize(("style", "east_asia", "size"), [
    ("Normal", "仿宋_GB2312", 16), ("Title", "方正小标宋简体", 22), ("Heading 1", "黑体", 16),
    ("Heading 2", "楷体_GB2312", 16), ("Footer", "宋体", 14), ("Table Text", "仿宋_GB2312", 12),
])
def test_styles_carry_chinese_fonts_and_sizes(document, style, east_asia, size):
    assert fonts_of(document.styles[style]) == (east_asia, Pt(size))


def test_body_text_has_exact_lines_and_a_two_character_indent(document):
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == docx.enum.text.WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= normal.line_spacing <= Pt(29.5)  # 22 lines a page
    assert normal.first_line_indent == Pt(32)
    assert document.styles["Normal"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert document.styles["Title"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert not document.styles["Salutation"].paragraph_format.first_line_indent
    assert document.styles["Signature"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert styled(document, "Salutation")[0] == "各基层党组织："


def test_page_numbers_are_page_fields_right_on_odd_and_left_on_even_pages(document):
    (sec,) = document.sections
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((sec.footer, "RIGHT"), (sec.even_page_footer, "LEFT")):
        (p,) = footer.paragraphs
        assert [t.text for t in p._p.iter(qn("w:instrText"))] == [" PAGE "]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment == getattr(docx.enum.text.WD_ALIGN_PARAGRAPH, align)


def test_appendix_tables_repeat_their_header_and_have_borders(document):
    for table in document.tables:
        head = table.rows[0]._tr.trPr
        assert head is not None and head.find(qn("w:tblHeader")) is not None
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid]
        assert len(grid) == len(table.rows[0].cells) and sum(grid) <= Mm(156).twips + 5


# ---------------------------------------------------------------- same content as the Markdown notice

def test_title_and_opening_equal_the_markdown_notice(document, sample, stamp):
    md = render_notice(sample, stamp, "md").splitlines()
    assert document.paragraphs[0].text == md[0].removeprefix("# ")
    assert styled(document, "Title") == [md[0].removeprefix("# ")]
    intro = next(line for line in md if line.startswith("根据"))
    assert intro in texts(document)
    assert document.core_properties.title == md[0].removeprefix("# ")


def test_every_plain_line_of_the_markdown_notice_is_a_paragraph(document, sample, stamp):
    md = render_notice(sample, stamp, "md")
    md = md[:md.rindex("<!--")].splitlines()  # the stamp comment ends the Markdown
    plain = [line for line in md if line and not line.startswith(("#", "|", "- "))]
    have = {t.rstrip("。") for t in texts(document)}
    missing = [line for line in plain if line.rstrip("。") not in have]
    assert not missing
    assert len(plain) > 10


def test_summary_table_equals_the_context(document, context):
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "单位数", "平均分", *context["grade_names"]]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows == [[c["name"], str(c["units"]), c["mean"], *map(str, c["grades"])] for c in context["categories"]]


def test_every_list_with_its_count_and_names(document, context):
    headings = styled(document, "Heading 2")
    paragraphs = set(texts(document))
    assert context["lists"]
    for i, lst in enumerate(context["lists"], start=1):
        assert f"（{chinese_number(i)}）{lst['name']}（{lst['count']}个）" in headings
        for cat, names in lst["by_category"].items():
            assert f"{cat}：{'、'.join(names)}。" in paragraphs
        if lst["deadline"]:
            assert f"期限：{lst['deadline']}。" in paragraphs


def test_appendix_has_a_table_per_category_with_every_unit(document, context, sample):
    tables = document.tables[1:]
    per_category = sample.units["category"].value_counts()
    assert len(tables) == len(sample.rubric.categories)
    for table, cat, part in zip(tables, sample.rubric.categories, context["appendix"], strict=True):
        assert len(table.rows) - 1 == len(part["rows"]) == per_category.get(cat.key, 0)
        assert f"{cat.name}（{len(part['rows'])}个）" in styled(document, "Heading 2")
    shown = [[c.text for c in r.cells] for t in tables for r in t.rows[1:]]
    expected = [[str(r["place"]), r["name"], r["total"], r["grade"], r["remarks"]]
                for p in context["appendix"] for r in p["rows"]]
    assert shown == expected
    # a grade its total alone would not give is explained beside it (veto, cap, quota)
    remarks = {row[1]: row[4] for row in shown}
    assert remarks[sample.units.at["020001", "name"]].startswith("一票否决：")
    assert remarks[sample.units.at["010003", "name"]].startswith("等次限定：")
    assert {row[1] for row in shown} == set(sample.units["name"])


def test_issuer_and_date_close_the_notice(document, context):
    assert styled(document, "Signature") == [context["issuer"], "2025年1月20日"]


# ---------------------------------------------------------------- reproducible bytes

def test_two_renders_are_byte_identical(rendered, sample, stamp):
    assert render_notice_docx(sample, stamp) == rendered
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 20, 0, 0, 0)}
        assert z.infolist()[0].filename == "[Content_Types].xml"
    props = docx.Document(io.BytesIO(rendered)).core_properties
    assert props.created == props.modified == dt.datetime(2025, 1, 20, tzinfo=dt.UTC)
    assert props.last_modified_by == "qscore" and stamp.rubric_sha256 in props.comments


def test_the_stamp_of_many_inputs_with_long_paths_fits_the_document_properties(sample, stamp):
    import dataclasses
    import hashlib

    many = dataclasses.replace(stamp, inputs=tuple((f"/very/long/folder/{'x' * 80}/{i}.xlsx", "ab" * 32)
                                                   for i in range(50)))
    props = docx.Document(io.BytesIO(render_notice_docx(sample, many))).core_properties
    listing = "".join(f"{sha}  {path}\n" for path, sha in many.inputs)
    assert len(props.comments) <= 255 and hashlib.sha256(listing.encode()).hexdigest() in props.comments


def test_fixed_zip_keeps_members_and_their_compression():
    def archive(when):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype", when), b"application/x", zipfile.ZIP_STORED)
            z.writestr(zipfile.ZipInfo("a/b.xml", when), b"<x/>" * 100, zipfile.ZIP_DEFLATED)
        return buf.getvalue()

    one, two = archive((2020, 5, 1, 10, 0, 0)), archive((2023, 7, 9, 23, 59, 58))
    assert one != two
    when = dt.datetime(2025, 1, 20, 8, 30)
    assert fixed_zip(one, when) == fixed_zip(two, when)
    with zipfile.ZipFile(io.BytesIO(fixed_zip(one, when))) as z:
        assert [(i.filename, i.compress_type, i.date_time) for i in z.infolist()] == [
            ("mimetype", zipfile.ZIP_STORED, (2025, 1, 20, 8, 30, 0)),
            ("a/b.xml", zipfile.ZIP_DEFLATED, (2025, 1, 20, 8, 30, 0))]
        assert z.read("a/b.xml") == b"<x/>" * 100
    assert zipfile.ZipFile(io.BytesIO(fixed_zip(one, dt.datetime(1970, 1, 1)))).infolist()[0].date_time[0] == 1980


def test_the_shipped_template_is_what_the_script_makes():
    spec = importlib.util.spec_from_file_location("make_notice_docx", ROOT / "tools" / "make_notice_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # if this fails: python tools/make_notice_docx.py, and commit the script and the templates
    assert module.build() == (ROOT / "qscore" / "templates" / "notice.docx").read_bytes()
    assert module.build("en") == (ROOT / "qscore" / "templates" / "notice.en.docx").read_bytes()


# ---------------------------------------------------------------- hostile names

LISTS = """
lists:
  - {key: talk, name: 约谈, when: {grade: 差}, reason: 等次为差, within_days: 30}
"""
R = rubric("- {key: x, name: 支委会, points: 100, rule: {type: per_incident, field: v, step: 10}}",
           "v: {label: 次数, type: count}", extra=LISTS)
# (the returns reader drops spaces inside names, so the tags here have none)
HOSTILE = ['=HYPERLINK("http://x","y")', "<w:p>&]]>", "../../etc/passwd", "{{title}}", "{%pifx%}",
           "<![CDATA[x]]>&amp;&#x41;", "{_{x}_}{_%y%_}"]


def hostile_docx(template_dir=None, names=HOSTILE):
    records = [{"code": f"u{i}", "name": name, "v": 9 if i % 2 else 0} for i, name in enumerate(names)]
    a = run(R, records, as_of=DAY)
    return a, render_notice_docx(a, make_stamp(a, DAY), template_dir)


def test_hostile_unit_names_round_trip_as_literal_text():
    a, data = hostile_docx()
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables[1:] for r in t.rows[1:] for c in r.cells]
    assert list(a.units["name"]) == HOSTILE
    for name in HOSTILE:
        assert name in cells
    talk = next(t for t in texts(document) if t.startswith("甲类："))
    assert talk == "甲类：" + "、".join(a.lists["name"]) + "。"
    assert talk == "甲类：" + "、".join(HOSTILE[1::2]) + "。"  # the units graded 差
    assert len(document.tables) == 3  # no table, paragraph or field smuggled in by a name
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "HYPERLINK" not in re.sub(r"<w:t[ >][^<]*</w:t>", "", body)


def test_breaks_and_control_characters_in_a_name_stay_inside_one_run():
    # the returns reader already drops these; the renderer must not rely on it
    a = run(R, [{"code": "u0", "v": 0}, {"code": "u1", "v": 9}], as_of=DAY)
    a.units.loc[a.units.index[0], "name"] = "甲\n乙\t丙\a丁\f戊\x00己\ud800"
    data = render_notice_docx(a, make_stamp(a, DAY))
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables[1:] for r in t.rows[1:] for c in r.cells]
    assert "甲 乙 丙丁 戊己" in cells
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:br" not in body and "<w:tab" not in body and 'w:type="page"' not in body


# ---------------------------------------------------------------- user templates

def letterhead_template(path, *lines):
    document = docx.Document()
    document.add_paragraph("某某县委组织部文件")
    for line in lines:
        document.add_paragraph(line)
    document.save(path)


def test_a_user_template_in_the_template_dir_replaces_the_shipped_one(tmp_path):
    assert template_path(tmp_path).parent.name == "templates"  # none there yet: the shipped one
    letterhead_template(tmp_path / "notice.docx", "{{ title }}", "{{ lists[0].name }}：{{ lists[0].units | join('、') }}")
    assert template_path(tmp_path) == tmp_path / "notice.docx"
    _, data = hostile_docx(tmp_path)
    assert texts(docx.Document(io.BytesIO(data))) == [
        "某某县委组织部文件", "关于2024年度基层党建工作量化考核结果的通报", "约谈：" + "、".join(HOSTILE[1::2])]


@pytest.mark.parametrize(("line", "message"), [
    ("{{ title", "template tag error: unexpected"),
    ("{{ titel }}", "'titel' is undefined"),
    ("{{ title | nosuchfilter }}", "No filter named 'nosuchfilter'"),
    ("{{ units + '个' }}", "cannot be rendered (TypeError"),
])
def test_a_broken_user_template_names_the_file_and_the_fault(tmp_path, line, message):
    letterhead_template(tmp_path / "notice.docx", line)
    with pytest.raises(QscoreError) as err:
        hostile_docx(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'notice.docx'}: ") and message in str(err.value)


def test_a_tag_that_cuts_across_the_document_structure_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("{% if false %}")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "{% endif %}"
    document.save(tmp_path / "notice.docx")
    with pytest.raises(QscoreError, match="produce a broken Word document"):
        hostile_docx(tmp_path)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 truncated"])
def test_a_template_that_is_not_a_word_document_is_refused(tmp_path, content):
    (tmp_path / "notice.docx").write_bytes(content)
    with pytest.raises(QscoreError, match="not a Word document that can be read"):
        hostile_docx(tmp_path)


def test_chinese_numbers_for_second_level_headings():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99, 100)] == \
        ["一", "九", "十", "十一", "二十", "二十一", "九十九", "100"]


# ---------------------------------------------------------------- opens in a word processor

SOFFICE = shutil.which("soffice")
WRITER = SOFFICE is not None and (Path(SOFFICE).resolve().parent / "libswlo.so").exists()


@pytest.mark.skipif(not WRITER, reason="LibreOffice Writer is not installed (Debian: libreoffice-writer-nogui)")
def test_the_notice_opens_in_libreoffice_writer(rendered, tmp_path):
    path = tmp_path / "notice.docx"
    path.write_bytes(rendered)
    res = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                          "--convert-to", "pdf", str(path), "--outdir", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "notice.pdf"
    assert res.returncode == 0 and pdf.exists(), res.stdout + res.stderr
    head = pdf.read_bytes()
    assert head.startswith(b"%PDF") and re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d* 841\.", head)  # A4


def test_the_template_guide_lists_every_variable(context):
    guide = (ROOT / "docs" / "notice-template.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", guide, re.M))
    assert documented == set(context)


def test_the_attachment_is_stated_and_the_signature_never_stands_alone(document, context):
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "附件：各类别排名")
    signature = next(i for i, p in enumerate(paragraphs) if p.text == context["issuer"])
    assert at < signature and paragraphs[at].paragraph_format.keep_with_next
    # the last rule and everything down to the signature keep with what follows
    last_rule = max(i for i, p in enumerate(paragraphs[:at]) if p.text == context["rules"][-1])
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[last_rule:signature + 1])
