"""Returns: every unit's field values, typed, with the cell each came from.

The reader (qscore.reader) finds sheets, header rows and columns in files and hands
`RawTable`s to `assemble`, which parses values and checks units; tests and notebooks can
call `returns_from_records` to build Returns from plain Python data with the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .normalise import clean_text, parse_column
from .problems import Problem
from .rubric import Rubric

UNIT_ROLES = ("code", "name", "category")
UNIT_SOURCE = "_unit"  # column of Returns.sources: the cell holding the unit's code


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str


@dataclass
class RawTable:
    """One sheet's worth of cells for one rubric table, as found by the reader."""

    table: str
    file: str
    sheet: str
    letters: dict[str, str]  # role or field key -> column letter ("" when not from a sheet)
    cells: dict[str, list[object]]  # role or field key -> raw values, one per data row
    rows: list[int]  # 1-based row number on the sheet of each data row
    refs: dict[str, list[str]] | None = None  # forms: role or field key -> A1 cell of each value


@dataclass(frozen=True)
class Returns:
    units: pd.DataFrame  # index: unit code; columns: name, category (key), then one per field
    na: pd.DataFrame  # True where the unit wrote 不涉及
    sources: pd.DataFrame  # "file › sheet › C12" per unit and field
    files: tuple[InputFile, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def _code_text(value: object) -> str:
    # Excel stores a typed 1001 as 1001.0; codes are text, so drop a spurious ".0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return clean_text(value)


def _where(raw: RawTable, key: str, i: int) -> tuple[str, str, str]:
    if raw.refs is not None:
        return raw.file, raw.sheet, raw.refs.get(key, [""] * (i + 1))[i]
    letter = raw.letters.get(key, "")
    return raw.file, raw.sheet, f"{letter}{raw.rows[i]}" if letter else f"第{raw.rows[i]}行"


def assemble(rubric: Rubric, raws: Sequence[RawTable], files: Sequence[InputFile] = ()) -> Returns:
    """Parse and check raw tables into Returns; problems are collected, never raised."""
    problems: list[Problem] = []
    cat_lookup: dict[str, str] = {}
    for c in rubric.categories:
        for name in (c.key, c.name, *c.aliases):
            cat_lookup[clean_text(name).lower()] = c.key

    # 1. the units: rows of the `returns` tables
    codes: list[str] = []
    names: list[str] = []
    cats: list[str | None] = []
    origin: list[tuple[RawTable, int]] = []
    seen: dict[str, str] = {}
    for raw in (r for r in raws if r.table == "returns"):
        for i in range(len(raw.rows)):
            code = _code_text(raw.cells["code"][i])
            f, s, cell = _where(raw, "code", i)
            if not code:
                problems.append(Problem("missing-unit-code", "单位代码为空", f, s, cell, message_en="no unit code"))
                continue
            if code in seen:
                problems.append(Problem("duplicate-unit", f"{code} 已在 {seen[code]} 出现", f, s, cell, code,
                                        message_en=f"{code} is also in {seen[code]}"))
                continue
            seen[code] = " › ".join(_where(raw, "code", i))
            cat_raw = raw.cells["category"][i]
            cat = cat_lookup.get(clean_text(cat_raw).lower()) if cat_raw not in (None, "") else None
            if cat is None:
                f2, s2, cell2 = _where(raw, "category", i)
                allowed = "、".join(c.name for c in rubric.categories)
                problems.append(Problem("unknown-category", f"“{cat_raw or ''}”（可选：{allowed}）", f2, s2, cell2, code,
                                        message_en=f"“{cat_raw or ''}” (one of: {allowed.replace('、', ', ')})"))
            codes.append(code)
            names.append(clean_text(raw.cells["name"][i]) if raw.cells["name"][i] is not None else "")
            cats.append(cat)
            origin.append((raw, i))
    index = pd.Index(codes, name="code", dtype=object)
    units = pd.DataFrame({"name": pd.Series(names, index=index, dtype=object),
                          "category": pd.Series(cats, index=index, dtype=object)})
    position = {code: k for k, code in enumerate(codes)}

    # which fields an indicator lets be 不涉及: anything else written 不涉及 is an error
    na_ok: set[str] = set()
    for _, ind in rubric.iter_indicators():
        if ind.allow_na:
            na_ok.update(ind.rule.fields())

    # the first row of each unit in each wide table is the one scored; later ones are reported
    taken: dict[tuple[str, int], tuple[int, int]] = {
        ("returns", k): (id(raw), i) for k, (raw, i) in enumerate(origin)}
    for raw in raws:
        if raw.table == "returns" or rubric.tables[raw.table].layout == "list":
            continue
        for i in range(len(raw.rows)):
            code = _code_text(raw.cells["code"][i])
            f, s, cell = _where(raw, "code", i)
            k = position.get(code)
            if not code:
                if any(v not in (None, "") for key, col in raw.cells.items() if key != "code" for v in [col[i]]):
                    problems.append(Problem("missing-unit-code", "单位代码为空", f, s, cell, message_en="no unit code"))
            elif k is None:
                problems.append(Problem("unknown-unit", f"{code} 不在自评表中", f, s, cell, code,
                                        message_en=f"{code} is not among the units of the returns"))
            elif (raw.table, k) in taken:
                problems.append(Problem("duplicate-unit", f"{code} 在{raw.sheet}中重复", f, s, cell, code,
                                        message_en=f"{code} is listed twice in {raw.sheet}"))
            else:
                taken[(raw.table, k)] = (id(raw), i)

    # row -> unit position, once per raw table (-1: unknown, blank or duplicate row)
    row_unit: dict[int, np.ndarray] = {}
    for raw in raws:
        ks = np.full(len(raw.rows), -1, dtype=np.int64)
        for i, c in enumerate(raw.cells["code"]):
            k = position.get(_code_text(c), -1)
            if k >= 0 and taken.get((raw.table, k)) == (id(raw), i):
                ks[i] = k
        row_unit[id(raw)] = ks

    columns: dict[str, object] = {}
    na_cols: dict[str, np.ndarray] = {}
    src_cols: dict[str, np.ndarray] = {}
    for key, spec in rubric.fields.items():
        table = rubric.tables[spec.table]
        numeric = spec.type in ("count", "number", "rate", "bool")
        values = np.full(len(index), np.nan) if numeric else np.full(len(index), None, dtype=object)
        is_na = np.zeros(len(index), dtype=bool)
        src = np.full(len(index), "", dtype=object)
        filled = np.zeros(len(index), dtype=bool)
        if table.layout == "list":
            values[:] = 0.0
            src[:] = f"{table.sheet}：无记录"
            filled[:] = True
        for raw in (r for r in raws if r.table == spec.table and key in r.cells):
            parsed = parse_column(raw.cells[key], spec.type, levels=spec.levels, percent=spec.percent,
                                  lo=spec.min, hi=spec.max)
            ks = row_unit[id(raw)]
            ok = ks >= 0
            bad = np.zeros(len(ks), dtype=bool)
            bad[[fd.position for fd in parsed.findings if fd.code != "normalised"]] = True
            letter = raw.letters.get(key, "")
            rows = np.asarray(raw.rows, dtype=object).astype(str).astype(object)
            if raw.refs is not None:
                cell = np.asarray(raw.refs.get(key, [""] * len(raw.rows)), dtype=object)
            else:
                cell = (letter + rows) if letter else ("第" + rows + "行")
            prefix = "".join(f"{x} › " for x in (raw.file, raw.sheet) if x)
            src[ks[ok]] = np.where(cell[ok] == "", "", prefix + cell[ok])
            filled[ks[ok]] = ~parsed.missing[ok]
            is_na[ks[ok]] = parsed.na[ok]
            take = ok & ~parsed.na & ~bad & ~parsed.missing
            values[ks[take]] = parsed.values.to_numpy()[take]
            if key not in na_ok:
                for i in np.flatnonzero(ok & parsed.na):
                    f, s_, c = _where(raw, key, i)
                    problems.append(Problem("not-applicable-not-allowed", f"{spec.label}：不涉及", f, s_, c,
                                            codes[ks[i]], message_en=f"{spec.label}: 不涉及"))
            for fd in parsed.findings:
                if ks[fd.position] < 0:
                    continue  # an unknown or duplicate row, reported once already
                f, s_, c = _where(raw, key, fd.position)
                problems.append(Problem(fd.code, f"{spec.label}：{fd.message}", f, s_, c, codes[ks[fd.position]],
                                        message_en=f"{spec.label}: {fd.message_en or fd.message}"))
        # a column or sheet that is missing altogether is reported once by the reader, not per unit
        present = any(key in r.cells for r in raws if r.table == spec.table)
        if table.layout != "list" and spec.required and present:
            needed = units["category"].isin(list(rubric.field_needed_by[key])).to_numpy()
            for k in np.flatnonzero(~filled & ~is_na & needed):
                if src[k]:
                    f, s_, c = ([""] * 3 + src[k].split(" › "))[-3:]
                    problems.append(Problem("missing-value", f"{spec.label}未填写", f, s_, c, codes[k],
                                            message_en=f"{spec.label}: empty"))
                else:
                    raw_k = origin[k][0] if spec.table == "returns" else None
                    problems.append(Problem("missing-value", f"{table.sheet}中没有该单位的“{spec.label}”",
                                            raw_k.file if raw_k else "", raw_k.sheet if raw_k else table.sheet,
                                            "", codes[k], message_en=f"{table.sheet} has no “{spec.label}” for this unit"))
        columns[key] = values
        na_cols[key] = is_na
        src_cols[key] = src

    # list tables: count records (or add up their 次数) by kind
    for tkey, table in rubric.tables.items():
        if table.layout != "list":
            continue
        kinds: dict[str, list[str]] = {}
        for key, spec in rubric.fields.items():
            if spec.table == tkey:
                for kind in spec.count_of or ():
                    kinds.setdefault(clean_text(kind).lower(), []).append(key)
        for raw in (r for r in raws if r.table == tkey):
            amounts = np.ones(len(raw.rows))
            if "amount" in raw.cells:
                parsed = parse_column(raw.cells["amount"], "count", lo=0)
                amounts = parsed.values.fillna(1.0).to_numpy()
                for fd in parsed.findings:
                    if fd.code != "normalised":
                        f, s_, c = _where(raw, "amount", fd.position)
                        problems.append(Problem(fd.code, f"次数：{fd.message}", f, s_, c,
                                                message_en=f"次数 (times): {fd.message_en or fd.message}"))
            for i in range(len(raw.rows)):
                code = _code_text(raw.cells["code"][i])
                f, s_, c = _where(raw, "code", i)
                k = position.get(code)
                if not code:
                    problems.append(Problem("missing-unit-code", "单位代码为空", f, s_, c, message_en="no unit code"))
                    continue
                if k is None:
                    problems.append(Problem("unknown-unit", f"{code} 不在自评表中", f, s_, c, code,
                                            message_en=f"{code} is not among the units of the returns"))
                    continue
                kind_raw = raw.cells["kind"][i]
                keys = kinds.get(clean_text(kind_raw).lower()) if kind_raw is not None else None
                if not keys:
                    f2, s2, c2 = _where(raw, "kind", i)
                    allowed = "、".join(sorted({x for spec in rubric.fields.values() if spec.table == tkey
                                               for x in spec.count_of or ()}))
                    problems.append(Problem("unknown-kind", f"“{kind_raw or ''}”（可选：{allowed}）", f2, s2, c2, code,
                                            message_en=f"“{kind_raw or ''}” (one of: {allowed.replace('、', ', ')})"))
                    continue
                for key in keys:
                    columns[key][k] += amounts[i]  # type: ignore[index]
                    mine = "".join(f"{x} › " for x in (raw.file, raw.sheet) if x) + f"第{raw.rows[i]}行"
                    prev = src_cols[key][k]
                    src_cols[key][k] = mine if prev.endswith("无记录") else f"{prev}、{raw.rows[i]}行"

    typed = {key: pd.Series(columns[key], index=index,
                            dtype=float if spec.type in ("count", "number", "rate", "bool") else object)
             for key, spec in rubric.fields.items()}
    units = pd.concat([units, pd.DataFrame(typed, index=index)], axis=1)
    na = pd.DataFrame(na_cols, index=index)
    sources = pd.DataFrame(src_cols, index=index)
    # where each unit's row is (its code cell), for problems about the unit as a whole
    sources[UNIT_SOURCE] = [" › ".join(x for x in _where(raw, "code", i) if x) for raw, i in origin]
    return Returns(units=units, na=na.astype(bool), sources=sources, files=tuple(files),
                   problems=tuple(problems))


def returns_from_records(rubric: Rubric, records: Iterable[Mapping[str, object]],
                         lists: Mapping[str, Iterable[Mapping[str, object]]] | None = None) -> Returns:
    """Build Returns from plain data: records keyed by `code`, `name`, `category` and field
    keys (any wide table); `lists` maps a list table to records with `code`, `kind`
    and optionally `amount`. Values go through the same parsing as cells in a file."""
    records = list(records)
    by_table: dict[str, list[str]] = {}
    for key, spec in rubric.fields.items():
        if rubric.tables[spec.table].layout != "list":
            by_table.setdefault(spec.table, []).append(key)
    raws = []
    rows = list(range(1, len(records) + 1))
    for tkey, keys in by_table.items():
        roles = UNIT_ROLES if tkey == "returns" else ("code",)
        cells = {r: [rec.get(r) for rec in records] for r in roles}
        cells.update({k: [rec.get(k) for rec in records] for k in keys})
        raws.append(RawTable(tkey, "", "", {}, cells, rows))
    for tkey, recs in (lists or {}).items():
        recs = list(recs)
        cells = {r: [rec.get(r) for rec in recs] for r in ("code", "kind")}
        if any("amount" in rec for rec in recs):
            cells["amount"] = [rec.get("amount", 1) for rec in recs]
        raws.append(RawTable(tkey, "", "", {}, cells, list(range(1, len(recs) + 1))))
    return assemble(rubric, raws)
