import pytest

from qscore.errors import RubricError
from qscore.yamlsafe import format_path, load_yaml


def test_yaml11_surprises_stay_text():
    y = load_yaml("a: yes\nb: no\nc: on\nd: 010\ne: 2024-01-01\nf: 是\ng: N\n", "r.yaml")
    assert y.data == {"a": "yes", "b": "no", "c": "on", "d": "010", "e": "2024-01-01", "f": "是", "g": "N"}


def test_plain_scalars():
    assert load_yaml("a: [1, -2, 0.5, .5, true, False, ~, null]\n", "r.yaml").data == \
        {"a": [1, -2, 0.5, 0.5, True, False, None, None]}


def test_duplicate_key_names_both_lines():
    with pytest.raises(RubricError) as err:
        load_yaml("a:\n  b: 1\n  c: 2\n  b: 3\n", "r.yaml")
    assert str(err.value) == "r.yaml:4: a.b: duplicate key `b` (first written on line 2) (keep one of them)"


def test_tags_are_refused_not_executed():
    with pytest.raises(RubricError, match="tag .* is not allowed"):
        load_yaml("a: !!python/object/apply:os.system ['echo pwned']\n", "r.yaml")


def test_syntax_error_has_a_line():
    with pytest.raises(RubricError, match=r"^r\.yaml:4: not valid YAML: expected ',' or '\]', but got '<stream end>' \(while parsing a flow sequence on line 2\)"):
        load_yaml("a: 1\nb: [1,\nc: 2\n", "r.yaml")


def test_lines_of_nested_paths():
    y = load_yaml("top:\n  - k: 1\n    v:\n      w: 2\n", "r.yaml")
    assert y.line_of(("top", 0, "v", "w")) == 4
    assert y.line_of(("top", 0, "missing")) == 2
    assert format_path(("dimensions", 2, "indicators", 4, "rule", "step")) == "dimensions[2].indicators[4].rule.step"


def test_alias_bombs_are_refused_quickly():
    import time

    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        levels.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + prev] * 10)}]")
    start = time.perf_counter()
    with pytest.raises(RubricError, match="anchors and aliases"):
        load_yaml("\n".join(levels) + "\n", "r.yaml")
    assert time.perf_counter() - start < 5  # 10^12 elements if expanded
