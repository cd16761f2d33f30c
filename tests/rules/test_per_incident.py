from helpers import one, points_of, reasons_of


def test_each_finding_costs_a_step_capped_at_the_points():
    a = one("{type: per_incident, field: v, step: 0.5}", 3, "count", [0, 1, 5, 7])
    assert points_of(a) == [3.0, 2.5, 0.5, 0.0]
    assert reasons_of(a)[1] == "数值：1次，每次扣0.5分，扣0.5分"


def test_own_cap_below_the_points():
    a = one("{type: per_incident, field: v, step: 1, cap: 2}", 5, "count", [1, 10])
    assert points_of(a) == [4.0, 3.0]
