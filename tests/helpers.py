"""Small in-memory rubrics and returns for core tests."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

from qscore.assessment import Assessment, assess
from qscore.returns import returns_from_records
from qscore.rubric import Rubric, parse_rubric

BASE = """
qscore: 1
id: t
title: 测试办法
year: 2024
total: {total}
decimals: {decimals}
categories:
  - {{key: a, name: 甲类}}
  - {{key: b, name: 乙类}}
tables:
  returns: {{sheet: 自评表}}
fields:
{fields}
{dimensions}
grades:
  bands:
    - {{name: 好, min: 90{quota}}}
    - {{name: 较好, min: 80}}
    - {{name: 一般, min: 60}}
    - {{name: 差}}
  quota_ties: {ties}
{extra}
"""


def rubric(indicators: str, fields: str, **kw: object) -> Rubric:
    """A rubric with categories 甲类/乙类, grades 好/较好/一般/差 and one dimension holding
    `indicators` (or the given `dimensions` block)."""
    return parse_rubric(rubric_text(indicators, fields, **kw), "test.yaml")  # type: ignore[arg-type]


def rubric_text(indicators: str, fields: str, *, total: float = 100, decimals: int = 2, quota: str = "",
                ties: str = "include", extra: str = "", dimensions: str | None = None) -> str:
    if dimensions is None:
        dimensions = "dimensions:\n  - key: d1\n    name: 维度一\n    indicators:\n" + \
            textwrap.indent(textwrap.dedent(indicators).strip("\n"), "      ")
    text = BASE.format(
        total=total, decimals=decimals, quota=f", quota: {quota}" if quota else "", ties=ties,
        fields=textwrap.indent(textwrap.dedent(fields).strip("\n"), "  "),
        dimensions=textwrap.dedent(dimensions).strip("\n"),
        extra=textwrap.dedent(extra),
    )
    return text


def run(r: Rubric, records: Iterable[Mapping[str, object]],
        lists: Mapping[str, Iterable[Mapping[str, object]]] | None = None, **kw: object) -> Assessment:
    recs = [{"name": f"单位{rec['code']}", "category": "甲类", **rec} for rec in records]
    ret = returns_from_records(r, recs, lists)
    assert not ret.errors, [p.text() for p in ret.errors]
    return assess(r, ret, **kw)  # type: ignore[arg-type]


def one(rule: str, points: float, field_type: str = "count", values: Iterable[object] = (), extra_field: str = "",
        **kw: object) -> Assessment:
    """A rubric with one indicator worth the whole total, scored for units valued `values`."""
    r = rubric(f"- {{key: x, name: 指标, points: {points}, rule: {rule}}}",
               f"v: {{label: 数值, type: {field_type}}}\n{extra_field}", total=points, **kw)  # type: ignore[arg-type]
    return run(r, [{"code": f"u{i}", "v": v} for i, v in enumerate(values)])


def points_of(a: Assessment, indicator: str = "x") -> list[float]:
    p = a.points[a.points["indicator"] == indicator]
    return p.set_index("code").reindex(a.units.index)["points"].tolist()


def reasons_of(a: Assessment, indicator: str = "x") -> list[str]:
    p = a.points[a.points["indicator"] == indicator]
    return p.set_index("code").reindex(a.units.index)["reason"].tolist()
