"""Reading returns from workbooks: find each rubric table's sheet, its header row beneath
title and unit/date rows, and the columns of its fields; hand the cells to `assemble`.

Files are read once into memory (the SHA-256 stamped on outputs is of exactly the bytes
parsed) and never opened for writing.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from .filecheck import SheetNotes, inspect_bytes
from .normalise import FormulaWithoutValue, header_key
from .problems import Problem
from .returns import UNIT_SOURCE, InputFile, RawTable, Returns, assemble
from .rubric import Column, Rubric, Table

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
HEADER_SCAN_ROWS = 30
_A1 = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def expand_inputs(paths: Iterable[str | Path], exclude: Path | None = None) -> list[Path]:
    """Files as given, the spreadsheets inside folders, and the files a quoted glob such as
    "returns/*.xlsx" matches (sorted; Office lock files ~$… skipped). Files under `exclude`
    (qscore's own output folder) are never read back as returns."""
    import glob

    out: list[Path] = []
    skip = exclude.resolve() if exclude is not None else None

    def keep(f: Path) -> bool:
        return skip is None or not f.resolve().is_relative_to(skip)

    for p in map(Path, paths):
        if not p.exists() and glob.has_magic(str(p)):
            out += sorted(Path(m) for m in glob.glob(str(p), recursive=True)
                          if Path(m).is_file() and not Path(m).name.startswith("~$") and keep(Path(m)))
            continue
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SPREADSHEET_SUFFIXES
                          and not f.name.startswith("~$") and keep(f))
        else:
            out.append(p)
    return out


def _names(col: Column) -> set[str]:
    return {header_key(col.label), *(header_key(a) for a in col.aliases)}


def find_sheet(sheet_names: Sequence[str], table: Table) -> str | None:
    wanted = [header_key(table.sheet), *(header_key(a) for a in table.aliases)]
    keyed = {header_key(s): s for s in sheet_names}
    for w in wanted:
        if w in keyed:
            return keyed[w]
    return None


def _table_columns(rubric: Rubric, tkey: str) -> dict[str, Column]:
    table = rubric.tables[tkey]
    cols: dict[str, Column] = {"code": rubric.unit.code}
    if tkey == "returns":
        cols["name"] = rubric.unit.name
        cols["category"] = rubric.unit.category
    if table.layout == "list":
        assert table.kind is not None
        cols["kind"] = table.kind
        if table.amount is not None:
            cols["amount"] = table.amount
    else:
        for key, spec in rubric.fields.items():
            if spec.table == tkey:
                cols[key] = Column(label=spec.label, aliases=spec.aliases)
    return cols


def fill_merged(rows: list[list[object]], ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Give every cell of a merged range the value of its top-left cell (and nothing beyond
    the range: a whole column is never forward-filled)."""
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = top


def read_sheet(rows: list[list[object]], rubric: Rubric, tkey: str, file: str, sheet: str,
               notes: SheetNotes | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Locate the header row and the table's columns in a sheet's rows (A1 = rows[0][0]).
    A header of two rows (merged cells above, e.g. 组织生活 over 支委会次数 and 党课次数) is
    matched by the lower cell, the upper cell or both joined."""
    wanted = _table_columns(rubric, tkey)
    code_names = _names(wanted["code"])
    header_at = None
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(header_key(v) in code_names for v in row if v not in (None, "")):
            header_at = r
            break
    if header_at is None:
        label = wanted["code"].label
        return None, [Problem("missing-header", f"前{HEADER_SCAN_ROWS}行中没有“{label}”表头", file, sheet,
                              message_en=f"no header “{label}” in the first {HEADER_SCAN_ROWS} rows")]
    top = [header_key(v) if v not in (None, "") else "" for v in rows[header_at]]
    code_col = next(i for i, h in enumerate(top) if h in code_names)
    below = rows[header_at + 1] if header_at + 1 < len(rows) else []
    two_rows = code_col < len(below) and header_key(below[code_col]) in code_names  # vertically merged
    headers: list[set[str]] = [{h} for h in top]
    if two_rows:
        low = [header_key(v) if v not in (None, "") else "" for v in below]
        for i in range(max(len(top), len(low))):
            a = top[i] if i < len(top) else ""
            b = low[i] if i < len(low) else ""
            if i >= len(headers):
                headers.append(set())
            headers[i] = {a, b, a + b} - {""}
    first_data = header_at + (2 if two_rows else 1)
    letters: dict[str, str] = {}
    index: dict[str, int] = {}
    problems = []
    for key, col in wanted.items():
        names = _names(col)
        hits = [i for i, h in enumerate(headers) if h & names]
        if hits:
            index[key] = hits[0]
            letters[key] = column_letter(hits[0])
            continue
        optional = key == "amount" or (key in rubric.fields and (
            not rubric.fields[key].required or not rubric.field_needed_by[key]))  # unused: not asked for
        if not optional:
            where = f"第{header_at + 1}行" + (f"至第{header_at + 2}行" if two_rows else "")
            problems.append(Problem("missing-column", f"表头中没有“{col.label}”列", file, sheet, where,
                                    message_en=f"no column “{col.label}” in the header"))
    if any(k in ("code", "name", "category", "kind") for k in wanted if k not in index):
        return None, problems
    formulas = {}
    for ref, text in (notes.formulas if notes else ()):
        m = _A1.match(ref)
        if m:
            formulas[(int(m.group(2)), m.group(1))] = FormulaWithoutValue(text)
    hidden = notes.hidden_rows if notes else frozenset()
    cells: dict[str, list[object]] = {k: [] for k in index}
    row_numbers = []
    for r in range(first_data, len(rows)):
        row = rows[r]
        values = {k: (row[i] if i < len(row) else None) for k, i in index.items()}
        values = {k: (None if v == "" else v) for k, v in values.items()}
        if formulas:
            for k in values:
                f = formulas.get((r + 1, letters[k]))
                if f is not None:
                    values[k] = f
        if all(v is None for v in values.values()):
            continue
        for k, v in values.items():
            cells[k].append(v)
        row_numbers.append(r + 1)
        if r + 1 in hidden:
            code = values.get("code")
            problems.append(Problem("hidden-row", "该行被隐藏，已照常读取", file, sheet, f"第{r + 1}行",
                                    str(code) if code is not None else "", message_en="this row is hidden"))
    return RawTable(tkey, file, sheet, letters, cells, row_numbers), problems


def decode_text(data: bytes) -> str | None:
    """CSV text: UTF-8 (with or without BOM), else GB18030, which Excel in Chinese writes
    (a superset of GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _label_value(rows: list[list[object]], names: set[str], limit: int) -> tuple[object, str] | None:
    """In a form's heading rows, the value written for a label: 「单位代码：010001」 in one
    cell, or the label in one cell and the value in the next non-empty cell to its right."""
    for r, row in enumerate(rows[:limit]):
        for c, v in enumerate(row):
            if v in (None, ""):
                continue
            text = str(v)
            for sep in ("：", ":"):
                if sep in text:
                    label, _, value = text.partition(sep)
                    if header_key(label) in names and value.strip():
                        return value.strip(), f"{column_letter(c)}{r + 1}"
            if header_key(text) in names:
                for c2 in range(c + 1, len(row)):
                    if row[c2] not in (None, ""):
                        return row[c2], f"{column_letter(c2)}{r + 1}"
    return None


def read_form(rows: list[list[object]], rubric: Rubric, tkey: str, file: str, sheet: str,
              notes: SheetNotes | None = None) -> tuple[RawTable | None, list[Problem]]:
    """One unit's form: identity above, then one row per item (its value, self-score, remark)."""
    table = rubric.tables[tkey]
    item_names = _names(table.item)
    header_at = next((r for r, row in enumerate(rows[:HEADER_SCAN_ROWS])
                      if any(header_key(v) in item_names for v in row if v not in (None, ""))), None)
    if header_at is None:
        return None, [Problem("missing-header", f"前{HEADER_SCAN_ROWS}行中没有“{table.item.label}”表头", file, sheet,
                              message_en=f"no header “{table.item.label}” in the first {HEADER_SCAN_ROWS} rows")]
    header = [header_key(v) if v not in (None, "") else "" for v in rows[header_at]]
    col = {"item": next(i for i, h in enumerate(header) if h in item_names)}
    for role, spec in (("value", table.value), ("self_score", table.self_score), ("remark", table.remark)):
        hit = next((i for i, h in enumerate(header) if h in _names(spec)), None)
        if hit is not None:
            col[role] = hit
    problems: list[Problem] = []
    if "value" not in col:
        return None, [Problem("missing-column", f"表头中没有“{table.value.label}”列", file, sheet, f"第{header_at + 1}行",
                              message_en=f"no column “{table.value.label}” in the header")]
    cells: dict[str, list[object]] = {}
    refs: dict[str, list[str]] = {}
    for role in ("code", "name", "category"):
        found = _label_value(rows, _names(getattr(rubric.unit, role)), header_at)
        cells[role] = [found[0] if found else None]
        refs[role] = [found[1] if found else ""]
    if cells["code"][0] is None:
        problems.append(Problem("missing-unit-code", f"表头上方没有填写“{rubric.unit.code.label}”", file, sheet,
                                message_en=f"no “{rubric.unit.code.label}” above the header"))
    by_label: dict[str, str] = {}
    for key, spec in rubric.fields.items():
        if spec.table == tkey:
            for name in _names(Column(label=spec.label, aliases=spec.aliases)):
                by_label[name] = key
            cells[key] = [None]
            refs[key] = [""]
    # a self-score written beside an indicator's input goes to the indicator's self_score field
    self_field = {ind.rule.fields()[0]: ind.self_score for _, ind in rubric.iter_indicators()
                  if ind.self_score and len(ind.rule.fields()) == 1}
    formulas = dict(notes.formulas) if notes else {}
    for r in range(header_at + 1, len(rows)):
        row = rows[r]
        label = row[col["item"]] if col["item"] < len(row) else None
        key = by_label.get(header_key(label)) if label not in (None, "") else None
        if key is None:
            continue
        for role, target in (("value", key), ("self_score", self_field.get(key))):
            if role not in col or target is None or target not in cells:
                continue
            ref = f"{column_letter(col[role])}{r + 1}"
            value = row[col[role]] if col[role] < len(row) else None
            cells[target] = [FormulaWithoutValue(formulas[ref]) if ref in formulas else (None if value == "" else value)]
            refs[target] = [ref]
    return RawTable(tkey, file, sheet, {}, cells, [header_at + 2], refs), problems


def read_csv_tables(text: str, rubric: Rubric, file: str) -> tuple[list[RawTable], list[Problem]]:
    """A CSV holds one table: the one whose columns it has (its name may also say which)."""
    import csv

    rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    stem = Path(file).stem
    order = sorted(rubric.tables, key=lambda k: find_sheet([stem], rubric.tables[k]) is None)
    first_problems: list[Problem] = []
    for tkey in order:
        raw, found = read_sheet(rows, rubric, tkey, file, "")
        if raw is not None and not any(p.code == "missing-column" for p in found):
            return [raw], found
        if tkey == "returns":
            first_problems = found
    return [], first_problems or [Problem("missing-header", "找不到与考核办法相符的表头", file,
                                          message_en="no header matching the rubric")]


FileResult = tuple["InputFile | None", list[RawTable], list[Problem]]
PARALLEL_MIN_FILES = 200  # below this, a pool costs more than it saves
CHUNK_FILES = 50  # measured: smaller chunks (or spawn) made a 2-process pool slower than one
_POOL_RUBRIC: Rubric | None = None


def read_file(path: Path, rubric: Rubric) -> FileResult:
    """Everything one file holds for the rubric's tables (never raises for a bad file)."""
    from python_calamine import (  # deferred: fast --help
        CalamineWorkbook,
        PasswordError,
        SheetVisibleEnum,
    )

    name = str(path)
    problems: list[Problem] = []
    raws: list[RawTable] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [], [Problem("unreadable-file", f"无法打开：{exc.strerror or exc}", name,
                                  message_en=f"cannot open it: {exc.strerror or exc}")]
    info = InputFile(name, hashlib.sha256(data).hexdigest())
    verdict = inspect_bytes(data, path.suffix)
    if verdict.kind is None:
        return info, [], [Problem(verdict.code, verdict.message, name, message_en=verdict.message_en)]
    if verdict.kind == "csv":
        text = decode_text(data)
        if text is None:
            return info, [], [Problem("unreadable-file", "无法识别文本编码（应为 UTF-8 或 GBK）", name,
                                      message_en="the text encoding is not UTF-8 or GBK")]
        found_raws, found = read_csv_tables(text, rubric, name)
        return info, found_raws, found
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(wb.sheet_names)
    except PasswordError:
        return info, [], [Problem("unreadable-file", "工作簿设置了打开密码（已加密），请取消密码后重新报送", name,
                                  message_en="the workbook is encrypted with a password; remove it and resend")]
    except Exception as exc:  # calamine raises several error types for broken files
        return info, [], [Problem("unreadable-file", f"不是可读取的电子表格（{type(exc).__name__}），请另存为 .xlsx 后重新报送",
                                  name, message_en=f"not a readable spreadsheet ({type(exc).__name__})")]
    if not any(find_sheet(sheet_names, t) for t in rubric.tables.values()):
        wanted = "、".join(f"“{t.sheet}”" for t in rubric.tables.values())
        problems.append(Problem("missing-sheet", f"没有考核所需的工作表（应有{wanted}；现有：{'、'.join(sheet_names)}）", name,
                                message_en=f"none of the sheets the rubric needs ({wanted.replace('、', ', ')}; "
                                           f"found: {', '.join(sheet_names)})"))
    hidden_sheets = {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    used = set()
    for tkey, table in rubric.tables.items():
        sheet = find_sheet(sheet_names, table)
        if sheet is None:
            continue
        used.add(sheet)
        try:
            ws = wb.get_sheet_by_name(sheet)
            rows = ws.to_python(skip_empty_area=False)
            fill_merged(rows, ws.merged_cell_ranges or [])
        except Exception as exc:
            problems.append(Problem("unreadable-file", f"工作表无法读取（{type(exc).__name__}）", name, sheet,
                                    message_en=f"the sheet cannot be read ({type(exc).__name__})"))
            continue
        raw, found = _read_table(rows, rubric, tkey, name, sheet, verdict.sheets.get(sheet))
        problems += found
        if raw is not None:
            raws.append(raw)
    for sheet in sheet_names:
        if sheet in hidden_sheets:
            what, what_en = ("已照常读取", "read as usual") if sheet in used else ("未读取", "not read")
            problems.append(Problem("hidden-sheet", f"工作表“{sheet}”被隐藏，{what}", name, sheet,
                                    message_en=f"the sheet “{sheet}” is hidden; {what_en}"))
    return info, raws, problems


def _read_table(rows: list[list[object]], rubric: Rubric, tkey: str, file: str, sheet: str,
                notes: SheetNotes | None) -> tuple[RawTable | None, list[Problem]]:
    """A unit table is read in its declared layout, or else in the other one (wide <-> form),
    so a folder may mix units' own forms with a summary sheet of many units."""
    layout = rubric.tables[tkey].layout
    if layout == "list":
        return read_sheet(rows, rubric, tkey, file, sheet, notes)
    first, second = (read_sheet, read_form) if layout == "wide" else (read_form, read_sheet)
    raw, found = first(rows, rubric, tkey, file, sheet, notes)
    if raw is None or any(p.code == "missing-column" for p in found):
        raw2, found2 = second(rows, rubric, tkey, file, sheet, notes)
        if raw2 is not None and not any(p.code in ("missing-column", "missing-unit-code") for p in found2):
            return raw2, found2
    return raw, found


def _read_chunk(paths: list[Path]) -> list[FileResult]:
    assert _POOL_RUBRIC is not None
    return [read_file(p, _POOL_RUBRIC) for p in paths]


def _read_all(paths: list[Path], rubric: Rubric, progress: Callable[[int], None] | None) -> list[FileResult]:
    import multiprocessing as mp
    import os

    workers = min(os.cpu_count() or 1, len(paths) // CHUNK_FILES)
    if len(paths) < PARALLEL_MIN_FILES or workers < 2 or "fork" not in mp.get_all_start_methods():
        out = []
        for p in paths:
            out.append(read_file(p, rubric))
            if progress:
                progress(1)
        return out
    global _POOL_RUBRIC
    _POOL_RUBRIC = rubric  # inherited by the forked workers, never pickled
    chunks = [paths[i:i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES)]
    results: list[FileResult] = []
    try:
        # fork explicitly: Python 3.14 changes the Linux default, and spawn was measured slower here
        with mp.get_context("fork").Pool(workers) as pool:
            for chunk in pool.imap(_read_chunk, chunks):  # imap keeps the files' order
                results += chunk
                if progress:
                    progress(len(chunk))
    finally:
        _POOL_RUBRIC = None
    return results


def read_returns(paths: Iterable[str | Path], rubric: Rubric,
                 progress: Callable[[int], None] | None = None) -> Returns:
    """Read every table the rubric declares from the given workbooks (or folders of them).
    Many files are read in parallel; `progress(n)` is called as each n files are done."""
    raws: list[RawTable] = []
    problems: list[Problem] = []
    files: list[InputFile] = []
    seen_tables: set[str] = set()
    expanded = expand_inputs(paths)
    for info, found_raws, found in _read_all(expanded, rubric, progress):
        if info is not None:
            files.append(info)
        raws += found_raws
        problems += found
        seen_tables.update(r.table for r in found_raws)
    if raws and not any(p.code == "missing-sheet" for p in problems):
        for tkey, table in rubric.tables.items():
            if table.required and tkey not in seen_tables:
                where = str(expanded[0]) if len(expanded) == 1 else f"{len(expanded)}个文件"
                problems.append(Problem("missing-sheet", f"没有名为“{table.sheet}”的工作表", where,
                                        message_en=f"no sheet named “{table.sheet}”"))
    returns = assemble(rubric, raws, files)
    if problems:
        returns = Returns(returns.units, returns.na, returns.sources, returns.files,
                          (*problems, *returns.problems))
    return returns


def read_roster(path: str | Path, rubric: Rubric) -> tuple[pd.DataFrame, list[Problem]]:
    """The roster (单位名册): code, name, category and optionally parent organisation, from
    the first sheet (or CSV) with a unit code header. Returns (units, problems)."""
    from python_calamine import CalamineWorkbook

    from .returns import _code_text

    p = Path(path)
    name = str(p)
    empty = pd.DataFrame(columns=["name", "category", "parent", "source"])
    try:
        data = p.read_bytes()
    except OSError as exc:
        return empty, [Problem("unreadable-file", f"无法打开：{exc.strerror or exc}", name,
                               message_en=f"cannot open it: {exc.strerror or exc}")]
    verdict = inspect_bytes(data, p.suffix)
    if verdict.kind is None:
        return empty, [Problem(verdict.code, verdict.message, name, message_en=verdict.message_en)]
    sheets: list[tuple[str, list[list[object]]]] = []
    if verdict.kind == "csv":
        text = decode_text(data)
        if text is None:
            return empty, [Problem("unreadable-file", "无法识别文本编码（应为 UTF-8 或 GBK）", name,
                                   message_en="the text encoding is not UTF-8 or GBK")]
        import csv

        sheets.append(("", [list(r) for r in csv.reader(io.StringIO(text, newline=""))]))
    else:
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [(s, wb.get_sheet_by_name(s).to_python(skip_empty_area=False)) for s in wb.sheet_names]
        except Exception as exc:
            return empty, [Problem("unreadable-file", f"不是可读取的电子表格（{type(exc).__name__}）", name,
                                   message_en=f"not a readable spreadsheet ({type(exc).__name__})")]
    roster_rubric = rubric.model_copy(update={"fields": {}, "tables": {"returns": Table(sheet="名册")}})
    parent = Column(label="上级党组织", aliases=("上级组织", "所属党组织", "上级单位"))
    problems: list[Problem] = []
    for sheet, rows in sheets:
        raw, found = read_sheet(rows, roster_rubric, "returns", name, sheet)
        if raw is None:
            problems = problems or found
            continue
        header = next((row for row in rows if any(header_key(v) in _names(rubric.unit.code) for v in row)), [])
        pcol = next((i for i, h in enumerate(header) if header_key(h) in _names(parent)), None)
        parents = {}
        if pcol is not None:
            for i, r in enumerate(raw.rows):
                row = rows[r - 1]
                parents[_code_text(raw.cells["code"][i])] = str(row[pcol]) if pcol < len(row) and row[pcol] else ""
        units = assemble(roster_rubric, [raw])
        out = pd.DataFrame({"name": units.units["name"], "category": units.units["category"],
                            "parent": [parents.get(c, "") for c in units.units.index],
                            "source": units.sources[UNIT_SOURCE]})
        return out, [*found, *units.problems]
    return empty, problems or [Problem("missing-header", "名册中找不到“单位代码”表头", name,
                                       message_en="no header “单位代码” (unit code) in the roster")]
