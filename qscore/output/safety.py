"""Neutralising text that a spreadsheet would run as a formula (OWASP CSV injection), and
names safe to use as sheet or file names."""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_BAD = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_cell(text: str) -> str:
    """Prefix a single quote so CSV consumers read text, never a formula."""
    return "'" + text if is_formula_like(text) else text


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def file_name(name: str, max_len: int = 80) -> str:
    """A file name that stays inside its folder whatever `name` holds."""
    cleaned = _FILE_BAD.sub("_", name).strip(" .")
    cleaned = cleaned.replace("..", "_")
    return (cleaned or "unnamed")[:max_len]
