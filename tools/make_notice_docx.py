"""Generate qscore/templates/notice.docx, the shipped Word template of the notice (通报).

    python tools/make_notice_docx.py            # writes qscore/templates/notice.docx and notice.en.docx
    python tools/make_notice_docx.py FOLDER

The template holds docxtpl (jinja2) tags over the context of `qscore.output.notice.
notice_context`, the same context as notice.md.j2, so the Word notice says what the
Markdown one says. Each tag is written inside a single run: Word splits text into runs
as it pleases, and a tag cut across runs is the usual way a docx template breaks.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm, title in
方正小标宋简体 二号, body in 仿宋_GB2312 三号 with 22 lines a page, 一、 headings in 黑体 and
（一） headings in 楷体_GB2312, page numbers 「— N —」 in 宋体 四号, odd pages right and even
pages left. Fonts a machine lacks are substituted through the altName in the font table.

The output is byte-for-byte the same on every run (fixed core properties and zip times),
so regenerating it only shows in `git diff` when this script changes.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qscore.output.zipfix import fixed_zip  # noqa: E402

OUT = ROOT / "qscore" / "templates" / "notice.docx"
WHEN = dt.datetime(2025, 1, 1)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# what a machine without the 方正/GB2312 fonts shows instead (w:altName in the font table)
ALT_NAMES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", H2_FONT: "楷体", H1_FONT: "SimHei", PAGE_FONT: "SimSun"}

BODY_PT = 16  # 三号
LINE = Twips(579)  # 28.95 pt exact: 22 lines in the 225 mm type area
TABLE_PT = 12  # 小四
TEXT_WIDTH = Mm(156)  # 210 - 28 - 26


# ---------------------------------------------------------------- fonts and styles

def set_fonts(rpr_parent, east_asia: str, latin: str = LATIN_FONT) -> None:  # type: ignore[no-untyped-def]
    """Explicit fonts for every script on a style or run; theme fonts dropped, since a
    theme attribute wins over the explicit name in the same w:rFonts."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def reset_style(style) -> None:  # type: ignore[no-untyped-def]
    """Drop the paragraph and run properties the python-docx default template gives a
    style (blue headings, Cambria, borders under the title)."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        for child in el.findall(qn(tag)):
            el.remove(child)


def first_line_chars(pf, chars: int, size_pt: float) -> None:  # type: ignore[no-untyped-def]
    """A first-line indent of `chars` characters that follows the font size (w:firstLineChars)."""
    pf.first_line_indent = Pt(chars * size_pt)
    ind = pf._element.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def paragraph_style(doc, name: str, *, east_asia: str, size: float, base: str | None = "Normal",  # type: ignore[no-untyped-def]
                    align=None, indent_chars: int = 0, exact: Twips | None = LINE, outline: int | None = None,
                    latin: str = LATIN_FONT, bold: bool = False, keep_next: bool = False,
                    right_chars: int = 0, page_break: bool = False, space_after: Twips | None = None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    reset_style(style)
    style.base_style = styles[base] if base else None
    style.quick_style = True
    set_fonts(style.element, east_asia, latin)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    pf = style.paragraph_format
    pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.space_before = Pt(0)
    pf.space_after = space_after if space_after is not None else Pt(0)
    if exact is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = exact
    else:
        pf.line_spacing = 1.0
    if indent_chars:
        first_line_chars(pf, indent_chars, size)
    else:
        pf.first_line_indent = Pt(0)
    if right_chars:
        pf.right_indent = Pt(right_chars * size)
        pf._element.get_or_add_pPr().find(qn("w:ind")).set(qn("w:rightChars"), str(right_chars * 100))
    pf.keep_with_next = keep_next or None
    pf.page_break_before = page_break or None
    if outline is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        style.element.get_or_add_pPr().append(lvl)
    pf.widow_control = True
    return style


def doc_defaults(doc) -> None:  # type: ignore[no-untyped-def]
    """Body font, size and Chinese language as document defaults, theme fonts removed."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT),
                       ("w:cs", LATIN_FONT)):
        fonts.set(qn(attr), name)
    size, size_cs, lang = OxmlElement("w:sz"), OxmlElement("w:szCs"), OxmlElement("w:lang")
    size.set(qn("w:val"), str(BODY_PT * 2))
    size_cs.set(qn("w:val"), str(BODY_PT * 2))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    for el in (fonts, size, size_cs, lang):
        rpr.append(el)


def styles(doc) -> None:  # type: ignore[no-untyped-def]
    doc_defaults(doc)
    paragraph_style(doc, "Normal", east_asia=BODY_FONT, size=BODY_PT, base=None, indent_chars=2)
    paragraph_style(doc, "Title", east_asia=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER,
                    exact=Twips(700), outline=None, space_after=LINE)  # 35 pt lines for a two-line title
    paragraph_style(doc, "Heading 1", east_asia=H1_FONT, size=BODY_PT, indent_chars=2, outline=0, keep_next=True)
    paragraph_style(doc, "Heading 2", east_asia=H2_FONT, size=BODY_PT, indent_chars=2, outline=1, keep_next=True)
    paragraph_style(doc, "Salutation", east_asia=BODY_FONT, size=BODY_PT)
    paragraph_style(doc, "Signature", east_asia=BODY_FONT, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT,
                    right_chars=4)
    paragraph_style(doc, "Appendix Label", east_asia=H1_FONT, size=BODY_PT, page_break=True, keep_next=True)
    paragraph_style(doc, "Appendix Title", east_asia=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER,
                    exact=Twips(700), keep_next=True, space_after=LINE)
    paragraph_style(doc, "Table Text", east_asia=BODY_FONT, size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                    exact=None)
    paragraph_style(doc, "Table Text Left", east_asia=BODY_FONT, size=TABLE_PT, base="Table Text",
                    align=WD_ALIGN_PARAGRAPH.LEFT, exact=None)
    paragraph_style(doc, "Table Heading", east_asia=H1_FONT, size=TABLE_PT, base="Table Text",
                    align=WD_ALIGN_PARAGRAPH.CENTER, exact=None)
    paragraph_style(doc, "Footer", east_asia=PAGE_FONT, size=14, latin=PAGE_FONT, base=None,
                    align=WD_ALIGN_PARAGRAPH.RIGHT, exact=None)


def font_table(doc) -> None:  # type: ignore[no-untyped-def]
    """Name the fonts the template uses, with a substitute Word/WPS may fall back to."""
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, alt in ALT_NAMES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", "modern"),
                         ("w:pitch", "fixed")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), val)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- body

def para(doc, text: str, style: str = "Normal"):  # type: ignore[no-untyped-def]
    """One paragraph holding `text` in a single run (so no tag is split)."""
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.element.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def cell_text(cell, text: str, style: str) -> None:  # type: ignore[no-untyped-def]
    p = cell.paragraphs[0]
    p.style = style
    if text:
        run = p.add_run(text)
        run.element.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def table_props(table, widths: list[Mm], header_rows: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Borders on every cell, fixed column widths, centred, header row repeated on each page,
    rows never split across pages."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        for attr, val in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            b.set(qn(attr), val)
        borders.append(b)
    # schema order matters to Word: tblBorders comes before shd, tblLayout, tblCellMar, tblLook
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), "397")  # 7 mm at least: a printed list is read with a ruler
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.rows[:header_rows]:
        header = OxmlElement("w:tblHeader")
        row._tr.get_or_add_trPr().append(header)


def grid_table(doc, rows: list[list[str]], widths: list[Mm], left: set[int] = frozenset()) -> None:  # type: ignore[no-untyped-def,assignment]
    """A table whose first row is the heading; docxtpl row tags ({%tr %}) and column tags
    ({%tc %}) go in cells of their own, as docxtpl replaces the whole row or cell holding one."""
    table = doc.add_table(rows=len(rows), cols=len(widths))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            style = "Table Heading" if r == 0 else ("Table Text Left" if c in left else "Table Text")
            cell_text(table.cell(r, c), text, style)
    table_props(table, widths)


def footer_page_number(footer, align, indent: str) -> None:  # type: ignore[no-untyped-def]
    """「— N —」 with a PAGE field, one character in from the outer edge."""
    p = footer.paragraphs[0]
    p.style = "Footer"
    p.alignment = align
    if indent == "right":
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    p.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = p.add_run()
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    p.add_run(" —")


def page_setup(doc) -> None:  # type: ignore[no-untyped-def]
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance = Mm(15)
    # the page number's top sits about 7 mm under the type area: 35 - 7 - one 14 pt line
    sec.footer_distance = Mm(22)
    doc.settings.odd_and_even_pages_header_footer = True
    footer_page_number(sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right")
    footer_page_number(sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")


WORDS = {
    "zh": {
        "salutation": "各基层党组织：",
        "opening": "根据《{{ measure }}评价办法》，{{ issuer }}对{{ units }}个基层党组织{{ year }}年度党建工作"
                   "进行了量化考核，平均得分{{ mean }}分。现将考核结果通报如下。",
        "h_overview": "一、总体情况", "th_category": "类别", "th_units": "单位数", "th_mean": "平均分",
        "index": "{{ i.name }}为{{ i.rate }}（{{ i.units }}个）。",
        "not_scored": "另有{{ not_scored | length }}个单位因填报有误未予计分：{{ not_scored | join('、') }}。",
        "h_results": "二、考核结果", "h_list": "（{{ loop.index | cn }}）{{ l.name }}（{{ l.count }}个）",
        "none": "无。", "by_category": "{{ cat }}：{{ names | join('、') }}。", "deadline": "期限：{{ l.deadline }}。",
        "h_problems": "三、存在的主要问题", "problems_intro": "考核中扣分较为集中的事项（按涉及单位数排列）：",
        "problem": "{{ loop.index }}. {{ p.item }}：{{ p.units }}个单位被扣分。",
        "h_requirements": "四、有关要求",
        "requirement": "{{ loop.index }}. 列入{{ l.name }}名单的{{ l.count }}个单位，请于{{ l.deadline }}落实。",
        "h_rules": "五、说明", "date": "{{ date_text }}",
        "appendix": "附件", "appendix_title": "各类别排名", "attachment": "附件：各类别排名", "h_category": "{{ c.name }}（{{ c.rows | length }}个）",
        "th_place": "名次", "th_name": "单位名称", "th_total": "总分", "th_grade": "等次", "th_remarks": "备注",
    },
    "en": {
        "salutation": "To all grassroots Party organisations:",
        "opening": "Under the {{ measure }} measures, {{ issuer }} assessed the Party-building work of {{ units }} "
                   "grassroots Party organisations in {{ year }}; the average score was {{ mean }}. "
                   "The results are as follows.",
        "h_overview": "1. Overview", "th_category": "Category", "th_units": "Units", "th_mean": "Mean",
        "index": "{{ i.name }}: {{ i.rate }} ({{ i.units }} units).",
        "not_scored": "{{ not_scored | length }} further unit(s) were not scored because their returns had errors: "
                      "{{ not_scored | join(', ') }}.",
        "h_results": "2. Results", "h_list": "2.{{ loop.index }} {{ l.name }} ({{ l.count }})",
        "none": "None.", "by_category": "{{ cat }}: {{ names | join(', ') }}.", "deadline": "Deadline: {{ l.deadline }}.",
        "h_problems": "3. The most common shortcomings", "problems_intro": "Items on which most units lost points:",
        "problem": "{{ loop.index }}. {{ p.item }}: {{ p.units }} units lost points.",
        "h_requirements": "4. Requirements",
        "requirement": "{{ loop.index }}. The {{ l.count }} unit(s) on the {{ l.name }} list must act by "
                       "{{ l.deadline }}.",
        "h_rules": "5. Rules", "date": "{{ date_text }}",
        "appendix": "Appendix", "appendix_title": "Ranking by category",
        "attachment": "Appendix: ranking by category",
        "h_category": "{{ c.name }} ({{ c.rows | length }})",
        "th_place": "Place", "th_name": "Unit", "th_total": "Total", "th_grade": "Grade", "th_remarks": "Remarks",
    },
}


def body(doc, lang: str = "zh") -> None:  # type: ignore[no-untyped-def]
    w = WORDS[lang]
    para(doc, "{{ title }}", "Title")
    para(doc, w["salutation"], "Salutation")
    para(doc, w["opening"])

    para(doc, w["h_overview"], "Heading 1")
    # the grade columns come from the rubric: one {%tc %} column repeated per grade
    grid_table(doc, [
        [w["th_category"], w["th_units"], w["th_mean"], "{%tc for g in grade_names %}", "{{ g }}", "{%tc endfor %}"],
        ["{%tr for c in categories %}", "", "", "", "", ""],
        ["{{ c.name }}", "{{ c.units }}", "{{ c.mean }}", "{%tc for n in c.grades %}", "{{ n }}", "{%tc endfor %}"],
        ["{%tr endfor %}", "", "", "", "", ""],
    ], [Mm(32), Mm(22), Mm(22), Mm(5), Mm(20), Mm(5)])  # render_notice_docx refits the grid
    para(doc, "{%p for i in indices %}")
    para(doc, w["index"])
    para(doc, "{%p endfor %}")
    para(doc, "{%p if not_scored %}")
    para(doc, w["not_scored"])
    para(doc, "{%p endif %}")

    para(doc, w["h_results"], "Heading 1")
    para(doc, "{%p for l in lists %}")
    para(doc, w["h_list"], "Heading 2")
    para(doc, "{%p if l.count == 0 %}")
    para(doc, w["none"])
    para(doc, "{%p else %}")
    para(doc, "{%p for cat, names in l.by_category.items() %}")
    para(doc, w["by_category"])
    para(doc, "{%p endfor %}")
    para(doc, "{%p if l.deadline %}")
    para(doc, w["deadline"])
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")

    para(doc, w["h_problems"], "Heading 1")
    para(doc, w["problems_intro"])
    para(doc, "{%p for p in problems %}")
    para(doc, w["problem"])
    para(doc, "{%p endfor %}")

    para(doc, w["h_requirements"], "Heading 1")
    para(doc, "{%p for l in lists if l.count and l.deadline %}")
    para(doc, w["requirement"])
    para(doc, "{%p endfor %}")

    para(doc, w["h_rules"], "Heading 1")
    para(doc, "{%p for line in rules %}")
    # the closing section travels with the signature: a page never holds the signature alone
    closing = [para(doc, "{{ line }}")]
    para(doc, "{%p endfor %}")
    # 附件说明 (GB/T 9704 7.3.5.1): below the body after a blank line, indented two characters
    closing.append(para(doc, "", "Salutation"))
    closing.append(para(doc, w["attachment"]))
    closing.append(para(doc, "", "Salutation"))
    closing.append(para(doc, "{{ issuer }}", "Signature"))
    para(doc, w["date"], "Signature")
    for p in closing:
        p.paragraph_format.keep_with_next = True

    para(doc, w["appendix"], "Appendix Label")
    para(doc, w["appendix_title"], "Appendix Title")
    para(doc, "{%p for c in appendix %}")
    para(doc, w["h_category"], "Heading 2")
    grid_table(doc, [
        [w["th_place"], w["th_name"], w["th_total"], w["th_grade"], w["th_remarks"]],
        ["{%tr for r in c.rows %}", "", "", "", ""],
        ["{{ r.place }}", "{{ r.name }}", "{{ r.total }}", "{{ r.grade }}", "{{ r.remarks }}"],
        ["{%tr endfor %}", "", "", "", ""],
    ], [Mm(16), Mm(66), Mm(22), Mm(18), Mm(34)], left={1, 4})
    para(doc, "{%p endfor %}")


# ---------------------------------------------------------------- package

def drop_thumbnail(doc) -> None:  # type: ignore[no-untyped-def]
    """The python-docx default template carries a thumbnail of some other document."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            rels.pop(rid)


def build(lang: str = "zh") -> bytes:
    doc = Document()
    # the default template's body holds an empty section only; start from it
    styles(doc)
    font_table(doc)
    page_setup(doc)
    body(doc, lang)
    drop_thumbnail(doc)
    cp = doc.core_properties
    cp.author, cp.title, cp.comments, cp.last_modified_by = "", "", "qscore 通报模板", "qscore"
    cp.subject, cp.keywords, cp.category = "", "", ""
    cp.revision = 1
    cp.created = cp.modified = WHEN
    cp.language = "zh-CN" if lang == "zh" else "en"
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), WHEN)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else OUT.parent
    for lang, name in (("zh", "notice.docx"), ("en", "notice.en.docx")):
        (folder / name).write_bytes(build(lang))
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

