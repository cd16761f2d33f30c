"""The documentation cannot drift: rule examples in docs/rubric-language.md are scored by the
engine and must give the points the doc claims; every rule type and every key is documented;
docs/problems.md is exactly what the catalogue generates."""

import re

import pytest

from qscore.docs import problems_markdown
from qscore.rubric import (
    Adjustments,
    Dimension,
    FieldSpec,
    Grades,
    Indicator,
    ListRule,
    Part,
    Rubric,
    Table,
)
from qscore.rules import RULE_TYPES

from conftest import ROOT
from helpers import rubric, run

DOC = (ROOT / "docs" / "rubric-language.md").read_text(encoding="utf-8")
CHECK = re.compile(r"<!-- check: (?P<spec>[^;]*);(?P<cases>.*?) -->\n```yaml\n(?P<yaml>.*?)```", re.S)


def checked_examples():
    for m in CHECK.finditer(DOC):
        spec = dict(kv.split("=") for kv in m["spec"].split())
        cases = [tuple(x.strip() for x in c.split("->")) for c in m["cases"].split(";")]
        yield pytest.param(spec, cases, m["yaml"].strip(), id=m["yaml"].strip()[:40])


@pytest.mark.parametrize("spec, cases, snippet", list(checked_examples()))
def test_documented_examples_score_as_claimed(spec, cases, snippet):
    levels = f", levels: [{spec['levels']}]" if "levels" in spec else ""
    rule = snippet.removeprefix("rule:").strip()
    if rule.startswith("\n") or not rule.startswith("{"):
        rule = "\n" + "\n".join("    " + line for line in snippet.splitlines()[1:])
        indicator = f"- key: x\n  name: 示例\n  points: {spec['points']}\n  rule:{rule}"
    else:
        indicator = f"- {{key: x, name: 示例, points: {spec['points']}, rule: {rule}}}"
    r = rubric(indicator, f"v: {{label: 数值, type: {spec['type']}{levels}}}", total=float(spec["points"]))
    a = run(r, [{"code": f"u{i}", "v": value} for i, (value, _) in enumerate(cases)])
    got = a.points.set_index("code").loc[[f"u{i}" for i in range(len(cases))], "points"].tolist()
    assert got == [float(expected) for _, expected in cases]


def test_every_rule_type_has_a_checked_example():
    checked = {re.search(r"type: (\w+)", m["yaml"])[1] for m in CHECK.finditer(DOC)}
    for rule in RULE_TYPES:
        name = rule.model_fields["type"].annotation.__args__[0]
        assert "### " in DOC and f"`{name}`" in DOC, f"rule type {name} has no section"
        # votes read several fields at once; its worked example is the one in tests/rules/test_votes.py
        assert name in checked or name == "votes", f"rule type {name} has no checked example"


@pytest.mark.parametrize("model", [Rubric, Table, FieldSpec, Indicator, Dimension, Part, Adjustments, Grades,
                                   ListRule, *RULE_TYPES])
def test_every_key_is_documented(model):
    internal = {"source", "sha256", "type"}
    for name, f in model.model_fields.items():
        key = f.alias or name
        if key not in internal:
            assert f"`{key}" in DOC or f"{key}:" in DOC, f"{model.__name__}.{key} is not in docs/rubric-language.md"


def test_problem_catalogue_page_is_generated():
    assert (ROOT / "docs" / "problems.md").read_text(encoding="utf-8") == problems_markdown()
