from helpers import one, points_of, reasons_of, rubric, run


def test_each_missing_costs_a_step_down_to_zero():
    a = one("{type: per_shortfall, field: v, required: 12, step: 0.5}", 5, "count", [12, 13, 9, 2, 0])
    assert points_of(a) == [5.0, 5.0, 3.5, 0.0, 0.0]  # 3 missing: -1.5; 10 missing: -5 (扣完为止)


def test_reason_quotes_the_numbers():
    a = one("{type: per_shortfall, field: v, required: 12, step: 0.5}", 5, "count", [9, 12])
    assert reasons_of(a) == ["数值：应12次，实际9次，少3次，每少1次扣0.5分，扣1.5分", "数值：应12次，实际12次，达到要求"]


def test_a_custom_reason_template():
    r = rubric("""- key: x
  name: 支委会
  points: 5
  rule: {type: per_shortfall, field: v, required: 12, step: 0.5}
  reasons: {deducted: "支委会应开{required}次，实开{actual}次，每少1次扣{step}分，扣{lost}分"}""",
               "v: {label: 支委会次数, type: count}", total=5)
    a = run(r, [{"code": "u1", "v": 9}])
    assert reasons_of(a) == ["支委会应开12次，实开9次，每少1次扣0.5分，扣1.5分"]
