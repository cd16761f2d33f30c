import pytest

from qscore.errors import RubricError

from helpers import one, points_of, reasons_of, rubric, run


def test_linear_between_bounds():
    a = one("{type: ratio, field: v, linear: {zero_at: 0.6, full_at: 1.0}}", 4, "rate", [1.0, 0.9, 0.75, 0.6, 0.3, "80%"])
    # 0.9: 4 x 0.3/0.4 = 3; 0.75: 4 x 0.15/0.4 = 1.5; 0.8: 2
    assert points_of(a) == [4.0, 3.0, 1.5, 0.0, 0.0, 2.0]


def test_steps_per_five_points_below_target():
    rule = "{type: ratio, field: v, steps: {target: 1.0, per: 0.05, deduct: 0.5}}"
    a = one(rule, 5, "rate", [1.0, 0.96, 0.95, 0.9, 0.81])
    assert points_of(a) == [5.0, 5.0, 4.5, 4.0, 3.5]  # whole steps only: 0.96 is less than one step short; 0.81 is 3


def test_steps_counting_partial_steps():
    rule = "{type: ratio, field: v, steps: {target: 1.0, per: 0.05, deduct: 0.5, partial: true}}"
    assert points_of(one(rule, 5, "rate", [0.96, 0.95, 0.94])) == [4.5, 4.5, 4.0]


def test_threshold():
    a = one("{type: ratio, field: v, threshold: {at_least: 0.9, otherwise: 1}}", 3, "rate", [0.9, 0.899, 0.95])
    assert points_of(a) == [3.0, 1.0, 3.0]
    assert reasons_of(a)[1] == "数值：89.9%（未达到90%），得1分，扣2分"


def test_numerator_over_denominator_and_a_zero_base():
    r = rubric("- {key: x, name: 党费, points: 5, rule: {type: ratio, numerator: p, denominator: d, steps: {target: 1, per: 0.05, deduct: 1, partial: true}}}",
               "p: {label: 实缴党费, type: number}\nd: {label: 应缴党费, type: number}", total=5)
    a = run(r, [{"code": "u1", "p": 4800, "d": 4800}, {"code": "u2", "p": 3600, "d": 4800},
                {"code": "u3", "p": 0, "d": 0}])
    assert points_of(a) == [5.0, 0.0, 5.0]  # 75%: five steps of 5%; nothing due counts as met


def test_exactly_one_way():
    with pytest.raises(RubricError, match="exactly one of `linear`, `steps`, `threshold`"):
        one("{type: ratio, field: v}", 3, "rate", [])
