import pytest

from qscore.errors import RubricError

from helpers import points_of, reasons_of, rubric, run

FIELD = "v: {label: 台账资料, type: level, levels: [规范, 较规范, 不规范, 无]}"


def test_each_level_gives_its_points():
    r = rubric("- {key: x, name: 台账, points: 3, rule: {type: levels, field: v, levels: {规范: 3, 较规范: 2, 不规范: 1, 无: 0}}}",
               FIELD, total=3)
    a = run(r, [{"code": f"u{i}", "v": v} for i, v in enumerate(["规范", "较规范", "不规范", "无"])])
    assert points_of(a) == [3.0, 2.0, 1.0, 0.0]
    assert reasons_of(a)[1] == "台账资料为“较规范”，得2分，扣1分"


def test_levels_must_match_the_field():
    with pytest.raises(RubricError, match="differ from field `v` levels"):
        rubric("- {key: x, name: 台账, points: 3, rule: {type: levels, field: v, levels: {规范: 3, 无: 0}}}", FIELD, total=3)
