"""Reading returns from workbooks: find each rubric table's sheet, its header row beneath
title and unit/date rows, and the columns of its fields; hand the cells to `assemble`.

Files are read once into memory (the SHA-256 stamped on outputs is of exactly the bytes
parsed) and never opened for writing.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from .normalise import header_key
from .problems import Problem
from .returns import InputFile, RawTable, Returns, assemble
from .rubric import Column, Rubric, Table

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
HEADER_SCAN_ROWS = 30


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the spreadsheets inside folders (sorted, Office lock files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SPREADSHEET_SUFFIXES
                          and not f.name.startswith("~$"))
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


def read_sheet(rows: list[list[object]], rubric: Rubric, tkey: str, file: str, sheet: str
               ) -> tuple[RawTable | None, list[Problem]]:
    """Locate the header row and the table's columns in a sheet's rows (A1 = rows[0][0])."""
    wanted = _table_columns(rubric, tkey)
    code_names = _names(wanted["code"])
    header_at = None
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(header_key(v) in code_names for v in row if v not in (None, "")):
            header_at = r
            break
    if header_at is None:
        label = wanted["code"].label
        return None, [Problem("missing-header", f"前{HEADER_SCAN_ROWS}行中没有“{label}”表头", file, sheet)]
    header = [header_key(v) if v not in (None, "") else "" for v in rows[header_at]]
    letters: dict[str, str] = {}
    index: dict[str, int] = {}
    problems = []
    for key, col in wanted.items():
        names = _names(col)
        hits = [i for i, h in enumerate(header) if h in names]
        if hits:
            index[key] = hits[0]
            letters[key] = column_letter(hits[0])
            continue
        optional = key == "amount" or (key in rubric.fields and not rubric.fields[key].required)
        if not optional:
            problems.append(Problem("missing-column", f"表头中没有“{col.label}”列", file, sheet,
                                    f"第{header_at + 1}行"))
    if any(k in ("code", "name", "category", "kind") for k in wanted if k not in index):
        return None, problems
    cells: dict[str, list[object]] = {k: [] for k in index}
    row_numbers = []
    for r in range(header_at + 1, len(rows)):
        row = rows[r]
        values = {k: (row[i] if i < len(row) else None) for k, i in index.items()}
        values = {k: (None if v == "" else v) for k, v in values.items()}
        if all(v is None for v in values.values()):
            continue
        for k, v in values.items():
            cells[k].append(v)
        row_numbers.append(r + 1)
    return RawTable(tkey, file, sheet, letters, cells, row_numbers), problems


def read_returns(paths: Iterable[str | Path], rubric: Rubric) -> Returns:
    """Read every table the rubric declares from the given workbooks (or folders of them)."""
    from python_calamine import CalamineWorkbook  # deferred: keeps `qscore --help` fast

    raws: list[RawTable] = []
    problems: list[Problem] = []
    files: list[InputFile] = []
    seen_tables: dict[str, str] = {}
    expanded = expand_inputs(paths)
    for path in expanded:
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem("unreadable-file", f"无法打开：{exc.strerror or exc}", name))
            continue
        files.append(InputFile(name, hashlib.sha256(data).hexdigest()))
        if not data:
            problems.append(Problem("unreadable-file", "文件为空（0 字节）", name))
            continue
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet_names = list(wb.sheet_names)
        except Exception as exc:  # calamine raises several error types for broken files
            problems.append(Problem("unreadable-file", f"不是可读取的电子表格（{type(exc).__name__}）", name))
            continue
        for tkey, table in rubric.tables.items():
            sheet = find_sheet(sheet_names, table)
            if sheet is None:
                if tkey == "returns":
                    problems.append(Problem("missing-sheet", f"没有名为“{table.sheet}”的工作表（现有：{'、'.join(sheet_names)}）", name))
                continue
            try:
                rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:
                problems.append(Problem("unreadable-file", f"工作表无法读取（{type(exc).__name__}）", name, sheet))
                continue
            raw, found = read_sheet(rows, rubric, tkey, name, sheet)
            problems += found
            if raw is not None:
                raws.append(raw)
                seen_tables.setdefault(tkey, name)
    if files:
        for tkey, table in rubric.tables.items():
            if table.required and tkey not in seen_tables and tkey != "returns":
                problems.append(Problem("missing-sheet", f"没有名为“{table.sheet}”的工作表", str(expanded[0])))
    returns = assemble(rubric, raws, files)
    if problems:
        returns = Returns(returns.units, returns.na, returns.sources, returns.files,
                          (*problems, *returns.problems))
    return returns
