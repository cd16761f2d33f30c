import json

import pytest

from qscore.errors import RubricError
from qscore.rubric import Rubric, load_rubric, parse_rubric
from qscore.rules import RULE_TYPES

from conftest import RUBRIC


def issues(text: str) -> list[str]:
    with pytest.raises(RubricError) as err:
        parse_rubric(text, "r.yaml")
    return [str(i) for i in err.value.issues]


def test_builtin_rubric_uses_every_construct(city_rubric):
    r = city_rubric
    used = {ind.rule.type for ind in r.indicators.values()}
    assert used == {t.model_fields["type"].annotation.__args__[0] for t in RULE_TYPES}
    assert len(r.indicators) >= 30 and len(r.categories) == 8
    assert any(ind.categories for ind in r.indicators.values())
    assert any(ind.allow_na for ind in r.indicators.values())
    assert {x.linear is not None for x in r.indicators.values() if x.rule.type == "ratio" for x in [x.rule]} == {True, False}
    assert r.bonuses.groups and r.deductions.groups and r.vetoes and r.grade_caps and r.lists and r.indices
    assert r.grade_names == ("好", "较好", "一般", "差") and r.grades.bands[0].quota == 0.2
    assert len(r.sha256) == 64


MINIMAL = """\
id: t
title: 测试
year: 2024
categories: [{key: a, name: 甲}]
tables: {returns: {sheet: 自评表}}
fields:
  v: {label: 次数, type: count}
dimensions:
  - key: d
    name: 维度
    indicators:
      - key: x
        name: 指标
        points: 100
        rule: {type: per_shortfall, field: v, required: 12, step: 0.5}
grades:
  bands: [{name: 合格, min: 60}, {name: 不合格}]
"""


def test_minimal_rubric_loads():
    assert parse_rubric(MINIMAL, "r.yaml").indicators["x"].points == 100


def test_misspelt_key_names_line_path_and_suggestion():
    text = MINIMAL.replace("required: 12, step: 0.5", "required: 12, stepp: 0.5")
    assert issues(text) == [
        "r.yaml:15: dimensions[0].indicators[0].rule.step: `step` is required here (add `step:`)",
        "r.yaml:15: dimensions[0].indicators[0].rule.stepp: unknown key `stepp` (did you mean `step`?)",
    ]


def test_wrong_type_of_value():
    text = MINIMAL.replace("points: 100", "points: 一百")
    assert issues(text) == [
        "r.yaml:14: dimensions[0].indicators[0].points: Input should be a valid number, unable to parse string as a number"
        " (write a plain number such as 0.5 (no units, no quotes))"]


def test_unknown_rule_type_lists_the_known_ones():
    (msg,) = issues(MINIMAL.replace("type: per_shortfall", "type: per_missing"))
    assert msg == ("r.yaml:15: dimensions[0].indicators[0].rule: unknown rule type `per_missing` (type must be one of: "
                   "all_or_nothing, per_shortfall, bands, levels, per_incident, ratio, rank, votes)")


def test_points_must_add_up_per_category():
    (msg,) = issues(MINIMAL.replace("points: 100", "points: 90"))
    assert msg == ("r.yaml:8: dimensions: for every category the indicators of part `main` add up to 90, not 100 "
                   "(adjust the points, the indicators' categories, or the part's scale)")


def test_unknown_field_reference_suggests():
    (msg,) = issues(MINIMAL.replace("field: v,", "field: vv,"))
    assert msg == "r.yaml:15: dimensions[0].indicators[0].rule.field: unknown field `vv` (did you mean `v`?)"


def test_unknown_placeholder_in_reason():
    text = MINIMAL.replace("        rule:", "        reasons: {deducted: '少{missin}次'}\n        rule:")
    (msg,) = issues(text)
    assert "unknown placeholder {missin}" in msg and "{missing}" in msg


def test_grade_conditions_are_refused_where_grades_are_not_known_yet():
    text = MINIMAL + "vetoes:\n  - {key: v1, name: 否决, when: {grade: 合格}}\n"
    (msg,) = issues(text)
    assert msg.startswith("r.yaml:19: vetoes[0].when: `grade` cannot be used here")


def test_several_problems_reported_at_once():
    text = MINIMAL.replace("year: 2024", "year: 二〇二四").replace("type: count", "type: counter")
    assert len(issues(text)) == 2


def test_rubric_file_problems(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_bytes("title: 测试\n".encode("gbk"))
    with pytest.raises(RubricError, match="not UTF-8"):
        load_rubric(bad)
    with pytest.raises(RubricError, match="cannot read the rubric"):
        load_rubric(tmp_path / "missing.yaml")


def test_schema_is_json_and_names_rule_types():
    schema = json.dumps(Rubric.model_json_schema(by_alias=True), ensure_ascii=False)
    for t in ("per_shortfall", "votes", "quota_ties", "tie_break"):
        assert t in schema


def test_builtin_rubric_file_is_the_default(city_rubric):
    from qscore.bundled import default_rubric

    assert default_rubric().resolve() == RUBRIC.resolve()
    assert load_rubric(default_rubric()).sha256 == city_rubric.sha256
