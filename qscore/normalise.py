"""Turning cell values into typed field values, recording every normalisation.

Cells arrive as Python values from the reader (float, int, bool, str, date, None). The
fast path converts plain numbers in one vectorised step; only text cells go through the
per-cell parser, so a clean province-size column costs one pass of C code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

NA_TOKENS = frozenset({"不涉及", "/", "／", "不适用"})
TRUE_TOKENS = frozenset({"是", "√", "✓", "✔", "有", "y", "yes", "true", "已", "已成立", "1"})
FALSE_TOKENS = frozenset({"否", "×", "✗", "✘", "x", "无", "n", "no", "false", "未", "0"})
_UNIT_SUFFIX = re.compile(r"(次|个|人|名|项|场|份|元|万元|张|票)$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def clean_text(value: object) -> str:
    """NFKC (full-width to half-width), trimmed, inner white space removed."""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text)


def header_key(value: object) -> str:
    """Headers compare after NFKC, without white space, line breaks or punctuation."""
    text = clean_text(value).lower()
    return re.sub(r"[\s\-_—:：,，.。;；、()（）\[\]【】《》<>\"'“”‘’*＊]", "", text)


_CN_NUMERAL = re.compile(r"^(?:([一二两三四五六七八九])千)?(?:([一二两三四五六七八九])百)?(?:([一二两三四五六七八九])?十)?([一二两三四五六七八九])?$")


def chinese_number(text: str) -> int | None:
    """四 -> 4, 十二 -> 12, 二十 -> 20, 一百零五 -> 105, 一千二百 -> 1200; None for anything
    ambiguous or malformed (三五, 十十, 一百二, 一二三): those are refused, never guessed."""
    if text in ("零", "〇"):
        return 0
    if not text or "零零" in text:
        return None
    plain = text.replace("零", "")
    m = _CN_NUMERAL.match(plain)
    if not m or not plain:
        return None
    thousands, hundreds, tens, ones = (_CN_DIGITS[g] if g else None for g in m.groups())
    has_ten = "十" in plain
    # 零 stands only where a place is skipped: 一百零五, 一千零五, 一千零五十
    skipped = bool((thousands and hundreds is None and (has_ten or ones is not None))
                   or (hundreds and not has_ten and ones is not None))
    if "零" in text and not skipped:
        return None
    if skipped and "零" not in text:
        return None  # 一百二 means 120 to some and 102 to others: refused, never guessed
    if has_ten and tens is None and (thousands or hundreds):
        return None  # 一百十 is not written
    value = (thousands or 0) * 1000 + (hundreds or 0) * 100 + ((tens if tens is not None else 1) * 10 if has_ten else 0)
    return value + (ones or 0)


class FormulaWithoutValue:
    """A cell holding a formula that was never calculated (files written by programs and
    never opened in Excel): its value is unknown, never blank and never 0."""

    def __init__(self, formula: str):
        self.formula = formula

    def __repr__(self) -> str:
        return self.formula


@dataclass(frozen=True)
class Finding:
    position: int  # index into the column
    code: str
    message: str
    message_en: str = ""


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)


def parse_date(value: object) -> dt.date | None:
    """A date cell, an Excel date serial (45678) or text such as 2024-01-05, 2024/1/5,
    2024.1.5 or 2024年1月5日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    m = _DATE.match(clean_text(value))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass(frozen=True)
class Parsed:
    values: pd.Series
    na: np.ndarray  # 不涉及
    missing: np.ndarray
    findings: tuple[Finding, ...]


def _parse_number_text(raw: str) -> tuple[float | None, bool]:
    """(value, normalised?) for a number written as text; None if not a number."""
    text = clean_text(raw)
    changed = text != raw
    stripped = _UNIT_SUFFIX.sub("", text)
    if stripped != text:
        changed = True
    if "," in stripped:
        if not _THOUSANDS.match(stripped):
            return None, False  # 「1,5」 is not a number anyone should guess at
        stripped = stripped.replace(",", "")
    text = stripped
    if _NUMBER.match(text) and text.isascii():
        return float(text), changed
    cn = chinese_number(text)
    if cn is not None:
        return float(cn), True
    return None, False


def parse_column(raw: Sequence[object], ftype: str, *, levels: Sequence[str] | None = None,
                 percent: bool = False, lo: float | None = None, hi: float | None = None) -> Parsed:
    """Parse one column of cells into the field's type; problems carry the position."""
    n = len(raw)
    cells = pd.Series(list(raw), dtype=object)
    findings: list[Finding] = []
    is_blank = cells.isna().to_numpy() | cells.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy() \
        if n else np.zeros(0, dtype=bool)
    na = np.zeros(n, dtype=bool)
    # formulas without a value are never usable; dates only where the field is a date
    odd_types = FormulaWithoutValue if ftype == "date" else (FormulaWithoutValue, dt.date, dt.time, dt.timedelta)
    odd = cells.map(lambda v: isinstance(v, odd_types)).to_numpy() if n else np.zeros(0, dtype=bool)
    for i in np.flatnonzero(odd):
        v = cells.iat[i]
        if isinstance(v, FormulaWithoutValue):
            findings.append(Finding(i, "formula-without-value", f"公式 {v.formula} 没有计算结果",
                                    f"the formula {v.formula} has no computed value"))
        elif ftype not in ("text", "date"):
            shown = v.isoformat() if hasattr(v, "isoformat") else str(v)
            findings.append(Finding(i, "not-a-number", f"单元格为日期或时间格式（显示为 {shown}），请将单元格格式改为“常规”后重新填写",
                                    f"the cell is formatted as a date or time (shows {shown}); format it as General "
                                    "and enter the number again"))
    if odd.any() and ftype not in ("text", "date"):
        cells = cells.where(~pd.Series(odd), None)
        is_blank = is_blank & ~odd
    is_text = cells.map(lambda v: isinstance(v, str)).to_numpy() if n else np.zeros(0, dtype=bool)
    for i in np.flatnonzero(is_text & ~is_blank):
        if clean_text(cells.iat[i]) in NA_TOKENS:
            na[i] = True
    missing = is_blank.copy()
    todo = ~is_blank & ~na & ~odd

    if ftype in ("count", "number", "rate"):
        out = np.full(n, np.nan)
        is_bool = cells.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy() if n else np.zeros(0, dtype=bool)
        numeric = todo & ~is_text & ~is_bool
        if numeric.any():
            out[numeric] = pd.to_numeric(cells[numeric], errors="coerce").to_numpy(dtype=float)
        for i in np.flatnonzero(todo & is_bool):
            findings.append(Finding(i, "not-a-number", f"“{cells.iat[i]}”是逻辑值，不是数字",
                                    f"“{cells.iat[i]}” is TRUE/FALSE, not a number"))
        for i in np.flatnonzero(numeric & np.isnan(out)):
            findings.append(Finding(i, "not-a-number", f"“{cells.iat[i]}”", f"“{cells.iat[i]}”"))
        text_plain = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(todo & is_text):
            raw_text = str(cells.iat[i])
            value, changed = _parse_number_text(raw_text.rstrip("%％"))
            is_pct = clean_text(raw_text).endswith("%")
            if value is None:
                findings.append(Finding(i, "not-a-number", f"“{raw_text}”", f"“{raw_text}”"))
                continue
            if is_pct:
                value /= 100
                if ftype != "rate":
                    findings.append(Finding(i, "not-a-number", f"“{raw_text}”是百分比，此处应填数量",
                                            f"“{raw_text}” is a percentage; a quantity is asked for here"))
                    continue
                changed = False  # "95%" is a plain way to write a rate
            if ftype == "rate" and not is_pct:
                text_plain[i] = True  # a bare number written as text: same rules as a number cell
            out[i] = value
            if changed:
                findings.append(Finding(i, "normalised", f"“{raw_text}”读作 {value:g}",
                                        f"“{raw_text}” read as {value:g}"))
        if ftype == "rate":
            plain = (todo & ~is_text) | text_plain
            if percent:
                out[plain] = out[plain] / 100
            else:
                for i in np.flatnonzero(plain & (out > 1) & (out <= 100)):
                    findings.append(Finding(i, "ambiguous-percent", f"“{cells.iat[i]}”：比例应填 95% 或 0.95",
                                            f"“{cells.iat[i]}”: write a share as 95% or 0.95"))
                    out[i] = np.nan
            lo = 0.0 if lo is None else lo
            hi = 1.0 if hi is None else hi
        if ftype == "count":
            lo = 0.0 if lo is None else lo
            frac = todo & ~np.isnan(out) & (np.round(out, 9) != np.round(out))
            for i in np.flatnonzero(frac):
                findings.append(Finding(i, "not-a-whole-number", f"{out[i]:g}", f"{out[i]:g}"))
        ok = ~np.isnan(out)
        for bound, bad in ((lo, ok & (out < (lo if lo is not None else -np.inf))),
                           (hi, ok & (out > (hi if hi is not None else np.inf)))):
            for i in np.flatnonzero(bad):
                shown = f"{out[i]:.4g}" if ftype != "rate" else f"{out[i] * 100:.4g}%"
                limit = f"{bound:g}" if ftype != "rate" else f"{(bound or 0) * 100:g}%"
                low = f"{lo if ftype != 'rate' else 0:g}"
                findings.append(Finding(i, "out-of-range", f"{shown}（范围 {low}–{limit}）",
                                        f"{shown} (range {low}–{limit})"))
        values = pd.Series(out)
    elif ftype == "bool":
        out = np.full(n, np.nan)
        for i in np.flatnonzero(todo):
            v = cells.iat[i]
            if isinstance(v, bool | np.bool_):
                out[i] = float(v)
                continue
            key = clean_text(v).lower() if not isinstance(v, float | int) else str(int(v)) if float(v) in (0, 1) else ""
            if key in TRUE_TOKENS:
                out[i] = 1.0
            elif key in FALSE_TOKENS:
                out[i] = 0.0
            else:
                findings.append(Finding(i, "not-a-boolean", f"“{v}”", f"“{v}”"))
                continue
            if key not in ("是", "否"):
                findings.append(Finding(i, "normalised", f"“{v}”读作“{'是' if out[i] else '否'}”",
                                        f"“{v}” read as “{'是' if out[i] else '否'}”"))
        values = pd.Series(out)
    elif ftype == "level":
        allowed = {clean_text(x).lower(): x for x in levels or ()}
        out_obj = np.full(n, None, dtype=object)
        for i in np.flatnonzero(todo):
            v = cells.iat[i]
            key = clean_text(v).lower()
            if key in allowed:
                out_obj[i] = allowed[key]
                if str(v) != allowed[key]:
                    findings.append(Finding(i, "normalised", f"“{v}”读作“{allowed[key]}”",
                                            f"“{v}” read as “{allowed[key]}”"))
            else:
                findings.append(Finding(i, "not-a-level", f"“{v}”（可选：{'、'.join(levels or ())}）",
                                        f"“{v}” (one of: {', '.join(levels or ())})"))
        values = pd.Series(out_obj, dtype=object)
    elif ftype == "date":
        out_dates = np.full(n, None, dtype=object)
        for i in np.flatnonzero(todo):
            v = cells.iat[i]
            parsed = parse_date(v)
            if parsed is None:
                findings.append(Finding(i, "not-a-date", f"“{v}”", f"“{v}”"))
                continue
            out_dates[i] = parsed
            if not isinstance(v, dt.date):
                findings.append(Finding(i, "normalised", f"“{v}”读作 {parsed.isoformat()}",
                                        f"“{v}” read as {parsed.isoformat()}"))
        values = pd.Series(out_dates, dtype=object)
    else:
        values = pd.Series([None if b else clean_text(v) for v, b in zip(cells, is_blank, strict=True)], dtype=object)
    return Parsed(values=values, na=na, missing=missing, findings=tuple(findings))
