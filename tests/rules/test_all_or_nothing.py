from helpers import one, points_of, reasons_of


def test_met_gets_all_unmet_gets_nothing():
    a = one("{type: all_or_nothing, field: v}", 3, "bool", ["是", "否", "√", "×"])
    assert points_of(a) == [3.0, 0.0, 3.0, 0.0]
    assert reasons_of(a)[:2] == ["数值：是，得3分", "数值：否，扣3分"]


def test_expect_false_rewards_a_no():
    a = one("{type: all_or_nothing, field: v, expect: false}", 2, "bool", ["否", "是"])
    assert points_of(a) == [2.0, 0.0]
