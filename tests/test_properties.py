"""Invariants of the engine, checked on random returns scored with the built-in rubric."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qscore.assessment import assess
from qscore.returns import returns_from_records
from qscore.rubric import load_rubric

from conftest import RUBRIC

CITY = load_rubric(RUBRIC)  # module level, not a fixture: Hypothesis would print it in every report

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def field_value(spec):
    if spec.type == "bool":
        return st.sampled_from(["是", "否"])
    if spec.type == "level":
        return st.sampled_from(list(spec.levels))
    if spec.type == "rate":
        return st.integers(0, 100).map(lambda x: x / 100)
    if spec.type == "count":
        return st.integers(0, 15 if spec.max is None or spec.max > 15 else int(spec.max))
    return st.integers(0, 100).map(float)


@st.composite
def returns(draw, rubric, min_units=2, max_units=12):
    n = draw(st.integers(min_units, max_units))
    cats = [c.name for c in rubric.categories]
    wide = {k: s for k, s in rubric.fields.items() if rubric.tables[s.table].layout == "wide"}
    records = []
    for i in range(n):
        rec = {"code": f"u{i:03d}", "name": f"单位{i}", "category": draw(st.sampled_from(cats))}
        for key, spec in wide.items():
            rec[key] = draw(field_value(spec))
        if draw(st.booleans()):
            rec["group_meetings"] = "不涉及"
        records.append(rec)
    kinds = {t: [k for s in rubric.fields.values() if s.table == t for k in (s.count_of or ())[:1]]
             for t, tb in rubric.tables.items() if tb.layout == "list"}
    lists = {t: [{"code": f"u{draw(st.integers(0, n - 1)):03d}", "kind": draw(st.sampled_from(ks)),
                  "amount": draw(st.integers(1, 3))} for _ in range(draw(st.integers(0, 3 * n)))]
             for t, ks in kinds.items()}
    return records, lists


def run(rubric, data):
    records, lists = data
    ret = returns_from_records(rubric, records, lists)
    assert not ret.errors, [p.text() for p in ret.errors][:3]
    return assess(rubric, ret)


@SETTINGS
@given(data=st.data())
def test_every_score_within_its_bounds(data):
    city_rubric = CITY
    a = run(city_rubric, data.draw(returns(city_rubric)))
    items = a.points[a.points["kind"] == "item"]
    assert (items["points"] >= 0).all() and (items["points"] <= items["max"]).all()
    for p in city_rubric.effective_parts:
        assert a.units[f"part:{p.key}"].between(0, city_rubric.part_scale(p)).all()
    top = city_rubric.total + (city_rubric.bonuses.cap or 0)
    assert a.units["total"].between(0, top).all()
    sums = a.points.groupby("code")["points"].sum().reindex(a.units.index)
    assert np.allclose(sums, a.units["total"], atol=1e-9)


@SETTINGS
@given(data=st.data())
def test_shuffling_units_changes_nothing(data):
    city_rubric = CITY
    records, lists = data.draw(returns(city_rubric))
    order = data.draw(st.permutations(range(len(records))))
    a = run(city_rubric, (records, lists))
    b = run(city_rubric, ([records[i] for i in order], lists))
    cols = ["total", "rank", "category_rank", "grade", "vetoed", "lists"]
    assert a.units[cols].sort_index().equals(b.units[cols].sort_index())
    # in-memory records are sourced by position (第N行), which a shuffle legitimately moves
    key = ["code", "seq", "indicator"]
    pa = a.points.drop(columns="source").astype({"code": str}).sort_values(key).reset_index(drop=True)
    pb = b.points.drop(columns="source").astype({"code": str}).sort_values(key).reset_index(drop=True)
    assert pa.equals(pb)


@SETTINGS
@given(data=st.data())
def test_more_meetings_never_lower_a_score(data):
    city_rubric = CITY
    records, lists = data.draw(returns(city_rubric, max_units=6))
    field = data.draw(st.sampled_from(["committee_meetings", "themed_days", "party_lectures", "members_meetings"]))
    k = data.draw(st.integers(0, len(records) - 1))
    more = [dict(r) for r in records]
    more[k][field] = more[k][field] + data.draw(st.integers(1, 6))
    before = run(city_rubric, (records, lists)).units.iloc[k]
    after = run(city_rubric, (more, lists)).units.iloc[k]
    assert after["total"] >= before["total"]


@SETTINGS
@given(data=st.data())
def test_no_quota_exceeded_beyond_the_tie_policy(data):
    city_rubric = CITY
    a = run(city_rubric, data.draw(returns(city_rubric, min_units=5, max_units=25)))
    for band in city_rubric.grades.bands:
        if not band.quota:
            continue
        for _, g in a.units.groupby("category"):
            allowed = math.floor(len(g) * band.quota + 1e-9)
            got = g[g["grade"] == band.name]
            if len(got) > allowed:
                # only units sharing the last place inside the quota may exceed it (quota_ties: include)
                ordered = g.sort_values("category_rank")["category_rank"].tolist()
                assert allowed > 0 and got["category_rank"].nunique() <= allowed
                assert got["category_rank"].max() == ordered[allowed - 1]
