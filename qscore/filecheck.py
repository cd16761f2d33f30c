"""Deciding what a file is, and refusing hostile or broken ones before any parser sees them.

Stock readers do not refuse zip bombs or entity bombs, and python-calamine aborts the whole
process (no exception) when one cell sits at XFD1048576, because it allocates the dense
range. So every workbook's bytes are checked first:

- the zip directory's declared sizes are capped, and the bytes actually inflated are
  counted while each XML part is streamed, so a directory that lies is caught too;
- no XML part may contain a DTD (`<!DOCTYPE`, `<!ENTITY`): OOXML and ODF never need one,
  so one is an attack (billion laughs, external entities);
- a worksheet's cell references must not span more than MAX_DENSE_CELLS;
- encrypted workbooks (OLE containers with an EncryptionInfo stream), HTML pages and
  other files named like spreadsheets are told apart from real ones.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["xlsx", "xls", "ods", "csv"]

MAX_FILE_BYTES = 512 << 20  # a province in one workbook is ~100 MB
MAX_INFLATED_BYTES = 3 << 30  # declared and actual, all parts together
MAX_PARTS = 10_000
MAX_DENSE_CELLS = 60_000_000  # ~2 GB in calamine's dense range; a province is ~12 M
_CHUNK = 1 << 20

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OLE = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")  # XML keywords are case-sensitive
# Anchored on the attribute, wherever it sits in the tag (a hostile file may reorder
# attributes): r="123" is a row, r="AB123" a cell. Patterns starting with the literal ' r="'
# run ~10x faster than ones starting with a character class or `\b`, so the class is used
# only when a tab or line break precedes an r attribute somewhere in the part.
_ROW = re.compile(rb' r="([0-9]+)"')
_FAR_ROW = re.compile(rb' r="[A-Z]{1,3}([0-9]{6,})"')
_WIDE_COL = re.compile(rb' r="([A-Z]{2,})[0-9]')
_ROW_WS = re.compile(rb'[\t\r\n]r="([0-9]+)"')
_FAR_ROW_WS = re.compile(rb'[\t\r\n]r="[A-Z]{1,3}([0-9]{6,})"')
_WIDE_COL_WS = re.compile(rb'[\t\r\n]r="([A-Z]{2,})[0-9]')
_ANY_CELL = re.compile(rb"<c[ >/]")
_HIDDEN_ROW = re.compile(rb'<row [^>]*?hidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb' r="([0-9]+)"')
_FORMULA_NO_VALUE = re.compile(
    rb'<c [^>]*?r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>(?:<f[^>]*>([^<]*)</f>|<f[^>]*/>)(?:<v\s*/>|<v></v>)?</c>')
_FORMULA_ANY = re.compile(rb'<c [^>]*?r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>(?:<f[^>]*>([^<]*)</f>|<f[^>]*/>)')
_SHEET_TAG = re.compile(rb"<sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_OVERLAP = 8192  # bytes kept from the previous chunk, so a tag cut in two is still seen whole


@dataclass(frozen=True)
class SheetNotes:
    """What a reader of cell values cannot see: hidden rows, and formulas with no computed
    value (a reader would return them as blank, which must never count as 0 or missing)."""

    hidden_rows: frozenset[int] = frozenset()
    formulas: tuple[tuple[str, str], ...] = ()  # (A1 cell, formula text)


@dataclass(frozen=True)
class Verdict:
    kind: Kind | None  # None: refused
    code: str = ""  # unsafe-file | unreadable-file when refused
    message: str = ""
    message_en: str = ""
    sheets: dict[str, SheetNotes] = field(default_factory=dict)  # xlsx only, by sheet name


def _refuse(code: str, message: str, message_en: str = "") -> Verdict:
    return Verdict(None, code, message, message_en=message_en)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _never_calculated(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """Libraries that write formulas without computing them (xlsxwriter, openpyxl) store a
    placeholder such as 0 as the cached value and ask Excel to recalculate on opening
    (fullCalcOnLoad). Excel and WPS clear the flag when they save. While it is set, no
    cached formula value can be trusted."""
    if "xl/workbook.xml" not in names:
        return False
    return re.search(rb'<calcPr\b[^>]*fullCalcOnLoad="(?:1|true)"', zf.read("xl/workbook.xml")) is not None


def _sheet_parts(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Worksheet part path -> sheet name, from xl/workbook.xml and its relationships."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    rels = {}
    for tag in re.findall(rb"<Relationship\b[^>]*>", zf.read("xl/_rels/workbook.xml.rels")):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        rels[attrs.get(b"Id", b"")] = target
    out = {}
    for tag in _SHEET_TAG.findall(zf.read("xl/workbook.xml")):
        attrs = dict(_ATTR.findall(tag))
        rid = attrs.get(b"r:id", b"")
        if rid in rels:
            out[rels[rid]] = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
    return out


def _scan_zip(data: bytes) -> Verdict:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return _refuse("unreadable-file", f"文件已损坏或不完整（{exc}），请重新保存后报送",
                       f"the file is damaged or incomplete ({exc})")
    if len(infos) > MAX_PARTS:
        return _refuse("unsafe-file", f"压缩包内有{len(infos)}个部件，不是正常的电子表格",
                       f"the archive holds {len(infos)} parts; not an ordinary spreadsheet")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_INFLATED_BYTES:
        return _refuse("unsafe-file", f"解压后将达{declared / 2**30:.1f} GB（疑似“压缩炸弹”），已拒绝读取",
                       f"it would unpack to {declared / 2**30:.1f} GB (a zip bomb?); refused")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        kind: Kind = "xlsx"
    elif "mimetype" in names and zf.read("mimetype").strip() == b"application/vnd.oasis.opendocument.spreadsheet":
        kind = "ods"
    else:
        return _refuse("unreadable-file", "这是一个压缩文件，不是电子表格", "a zip archive, not a spreadsheet")
    inflated = 0
    part_names = _sheet_parts(zf, names) if kind == "xlsx" else {}
    formula_rx = _FORMULA_ANY if kind == "xlsx" and _never_calculated(zf, names) else _FORMULA_NO_VALUE
    notes: dict[str, SheetNotes] = {}
    for info in infos:
        if info.is_dir() or not info.filename.endswith((".xml", ".rels")):
            continue
        is_sheet = info.filename.startswith("xl/worksheets/")
        part_bytes = 0
        tail = b""
        max_row = max_col = 0
        has_cells = False
        hidden: set[int] = set()
        formulas: dict[str, str] = {}
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    part_bytes += len(chunk)
                    inflated += len(chunk)
                    if part_bytes > info.file_size + _CHUNK or inflated > MAX_INFLATED_BYTES:
                        return _refuse("unsafe-file", f"{info.filename} 解压后远超声明的大小（疑似“压缩炸弹”），已拒绝读取",
                                       f"{info.filename} unpacks far beyond its declared size (a zip bomb?); refused")
                    window = tail + chunk
                    if _DTD.search(window):
                        return _refuse("unsafe-file", f"{info.filename} 含有 XML 实体声明（可被用于攻击），已拒绝读取",
                                       f"{info.filename} declares XML entities (usable for attacks); refused")
                    if is_sheet:
                        # cell refs can straddle chunks: the 64-byte overlap covers any tag prefix
                        patterns = [(_ROW, _FAR_ROW, _WIDE_COL)]
                        if b'\tr="' in window or b'\nr="' in window or b'\rr="' in window:
                            patterns.append((_ROW_WS, _FAR_ROW_WS, _WIDE_COL_WS))
                        for row_rx, far_rx, col_rx in patterns:
                            rows = set(row_rx.findall(window)) | set(far_rx.findall(window))
                            if rows:
                                max_row = max(max_row, max(map(int, rows)))
                            cols = set(col_rx.findall(window))
                            if cols:
                                max_col = max(max_col, max(map(_column_number, cols)))
                        has_cells = has_cells or _ANY_CELL.search(window) is not None
                        if b"hidden=" in window:
                            for tag in _HIDDEN_ROW.findall(window):
                                m = _ROW_NUMBER.search(tag)
                                if m:
                                    hidden.add(int(m.group(1)))
                        if b"<f" in window:
                            for ref, text in formula_rx.findall(window):
                                formulas[ref.decode()] = "=" + html.unescape(text.decode("utf-8", "replace"))
                    tail = chunk[-_OVERLAP:]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            return _refuse("unreadable-file", f"文件已损坏或不完整（{info.filename}: {exc}），请重新保存后报送",
                           f"the file is damaged or incomplete ({info.filename}: {exc})")
        if is_sheet and has_cells:
            cols = max(max_col, 26)  # one-letter columns reach Z at most
            if max_row * cols > MAX_DENSE_CELLS:
                return _refuse("unsafe-file", f"{info.filename} 的单元格范围达 {max_row:,} 行 × {cols:,} 列，"
                                              "超出可读取的范围（疑似恶意文件）；请删除远处的单元格后重新保存",
                               f"{info.filename} spans {max_row:,} rows × {cols:,} columns, beyond what can be read "
                               "(a hostile file?); delete the far-away cells and save again")
        if is_sheet and (hidden or formulas) and info.filename in part_names:
            notes[part_names[info.filename]] = SheetNotes(frozenset(hidden), tuple(sorted(formulas.items())))
    return Verdict(kind, sheets=notes)


def inspect_bytes(data: bytes, suffix: str) -> Verdict:
    """What kind of spreadsheet `data` is, or why it is refused. Never parses cells."""
    if not data:
        return _refuse("unreadable-file", "文件为空（0 字节）", "the file is empty (0 bytes)")
    if len(data) > MAX_FILE_BYTES:
        return _refuse("unsafe-file", f"文件大小 {len(data) / 2**20:.0f} MB，超出上限 {MAX_FILE_BYTES >> 20} MB",
                       f"the file is {len(data) / 2**20:.0f} MB, above the limit of {MAX_FILE_BYTES >> 20} MB")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _scan_zip(data)
    if data.startswith(_OLE):
        if _ENCRYPTED_OLE in data:
            return _refuse("unreadable-file", "工作簿设置了打开密码（已加密），请取消密码后重新报送",
                           "the workbook is encrypted with a password; remove it and resend")
        return Verdict("xls")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta", b"<head")):
        return _refuse("unreadable-file", "这是网页（HTML）或 XML 文件，只是扩展名像电子表格；请用 Excel 打开后另存为 .xlsx",
                       "a web page (HTML) or XML file named like a spreadsheet")
    if suffix.lower() in (".csv", ".txt"):
        return Verdict("csv")
    if b"\x00" in data[:4096]:
        return _refuse("unreadable-file", "不是电子表格文件（无法识别的二进制内容）",
                       "not a spreadsheet (unrecognised binary content)")
    return _refuse("unreadable-file", f"不是电子表格文件（扩展名 {suffix or '无'}）；请另存为 .xlsx",
                   f"not a spreadsheet (extension {suffix or 'none'})")
