"""Builders of broken and hostile workbooks, made inside the tests (nothing committed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import xlsxwriter

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def base_xlsx(sheet: str = "自评表") -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(sheet)
    ws.write_row(0, 0, ["单位代码", "单位名称", "类别"])
    wb.close()
    return buf.getvalue()


def with_sheet_xml(sheet_xml: bytes, compresslevel: int = 6) -> bytes:
    """The base workbook with its first worksheet part replaced."""
    zin = zipfile.ZipFile(io.BytesIO(base_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        for info in zin.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info.filename)
            z.writestr(info.filename, data)
    return out.getvalue()


def far_cell() -> bytes:
    return with_sheet_xml(SHEET_HEAD + b'<dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                          b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>')


def far_cell_reordered() -> bytes:
    # attributes reordered and separated by a newline: still a cell at XFD1048576
    return with_sheet_xml(SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                          b'<row r="1048576"><c s="0"\nr="XFD1048576"><v>2</v></c></row></sheetData></worksheet>')


def entity_bomb() -> bytes:
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    return with_sheet_xml(lol)


def zip_bomb(inflated_mb: int) -> bytes:
    """A workbook whose sheet inflates to `inflated_mb` MB of white space."""
    filler = b" " * (inflated_mb << 20)
    return with_sheet_xml(SHEET_HEAD + b"<sheetData/>" + filler + b"</worksheet>", compresslevel=9)


def million_formatted_rows() -> bytes:
    rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(3, 1_000_001))
    return with_sheet_xml(SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                          + rows + b"</sheetData></worksheet>")


def encrypted(plain: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", out)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
