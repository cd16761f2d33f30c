"""Checks on returns beyond reading each cell: the roster (units missing or unknown), the
rubric's cross-field checks, self-scores above an item's points, and --strict. Pure: takes
Returns and a roster table, gives a Report; nothing here reads files or prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .problems import Problem
from .returns import UNIT_SOURCE, InputFile, Returns
from .rounding import format_plain
from .rubric import Rubric


@dataclass(frozen=True)
class Roster:
    """The units expected to send a return: code -> name, category, parent, and where each
    was listed (for messages)."""

    units: pd.DataFrame  # index: code; columns: name, category (key), parent, source


@dataclass(frozen=True)
class Report:
    problems: tuple[Problem, ...]
    units: int
    files: tuple[InputFile, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors

    def invalid_units(self) -> set[str]:
        return {p.unit for p in self.errors if p.unit}


def _where(returns: Returns, code: str, field: str) -> tuple[str, str, str]:
    src = str(returns.sources.at[code, field]) if field in returns.sources else ""
    parts = src.split(" › ") if src else []
    return tuple(([""] * 3 + parts)[-3:])  # type: ignore[return-value]


def field_checks(rubric: Rubric, returns: Returns) -> list[Problem]:
    units = returns.units
    out: list[Problem] = []
    labels = rubric.field_labels
    for chk in rubric.checks:
        other = chk.not_above or chk.not_below or ""
        a = units[chk.field].to_numpy(dtype=float)
        b = units[other].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            bad = (np.round(a, 9) > np.round(b, 9)) if chk.not_above else (np.round(a, 9) < np.round(b, 9))
        word = "高于" if chk.not_above else "低于"
        word_en = "above" if chk.not_above else "below"
        for k in np.flatnonzero(bad):
            code = str(units.index[k])
            f, s, c = _where(returns, code, chk.field)
            out.append(Problem("failed-check", f"{chk.message}：{labels[chk.field]} {format_plain([a[k]])[0]} "
                               f"{word}{labels[other]} {format_plain([b[k]])[0]}", f, s, c, code,
                               message_en=f"{chk.message}: {labels[chk.field]} {format_plain([a[k]])[0]} is "
                                          f"{word_en} {labels[other]} {format_plain([b[k]])[0]}"))
    for _, ind in rubric.iter_indicators():
        if not ind.self_score:
            continue
        own = units[ind.self_score].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            bad = np.round(own, 9) > ind.points
        for k in np.flatnonzero(bad):
            code = str(units.index[k])
            f, s, c = _where(returns, code, ind.self_score)
            out.append(Problem("self-score-too-high", f"{ind.name}自评{format_plain([own[k]])[0]}分，"
                               f"该项满分{ind.points:g}分", f, s, c, code,
                               message_en=f"{ind.name}: self-score {format_plain([own[k]])[0]}, "
                                          f"the item is worth {ind.points:g}"))
    return out


def roster_checks(returns: Returns, roster: Roster) -> list[Problem]:
    out: list[Problem] = []
    sent = set(returns.units.index)
    listed = set(roster.units.index)
    for code in returns.units.index:
        if code not in listed:
            f, s, c = _where(returns, code, UNIT_SOURCE)
            out.append(Problem("not-in-roster", f"{code} {returns.units.at[code, 'name']}", f, s, c, code,
                               message_en=f"{code} {returns.units.at[code, 'name']}"))
    for code, row in roster.units.iterrows():
        if code not in sent:
            f, s, c = ([""] * 3 + str(row["source"]).split(" › "))[-3:]
            out.append(Problem("not-submitted", f"{code} {row['name']}", f, s, c, str(code),
                               message_en=f"{code} {row['name']}"))
    return out


def validate(rubric: Rubric, returns: Returns, roster: Roster | None = None, strict: bool = False) -> Report:
    problems: list[Problem] = list(returns.problems)
    # cross-field checks only on units whose values could all be read
    unreadable = {p.unit for p in problems if p.severity == "error"}
    if len(returns.units):
        clean = returns if not unreadable else Returns(
            returns.units.drop(index=[u for u in unreadable if u in returns.units.index]),
            returns.na, returns.sources, returns.files, ())
        problems += field_checks(rubric, clean)
    if roster is not None:
        problems += roster_checks(returns, roster)
    if strict:
        problems = [replace(p, level="error") if p.code == "normalised" else p for p in problems]
    return Report(tuple(problems), len(returns.units), returns.files)


def without_units(returns: Returns, codes: Sequence[str]) -> Returns:
    """Returns with some units left out (--skip-invalid); their problems are dropped too."""
    drop = [c for c in codes if c in returns.units.index]
    keep = returns.units.index.difference(drop, sort=False)
    return Returns(returns.units.loc[keep], returns.na.loc[keep], returns.sources.loc[keep], returns.files,
                   tuple(p for p in returns.problems if p.unit not in set(drop)))
