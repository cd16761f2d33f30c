import numpy as np

from helpers import rubric, run

TWO = """
- {key: x, name: 支委会, points: 6, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}
- {key: y, name: 党小组会, points: 4, allow_na: true, rule: {type: per_shortfall, field: w, required: 12, step: 1}}
"""
FIELDS = "v: {label: 支委会次数, type: count}\nw: {label: 党小组会次数, type: count}"


def test_not_applicable_rescales_to_the_total():
    a = run(rubric(TWO, FIELDS, total=10), [{"code": "u1", "v": 9, "w": "不涉及"}, {"code": "u2", "v": 9, "w": 12}])
    p = a.points
    u1 = p[p.code == "u1"].set_index("kind")
    assert u1.loc["item", "points"] == 4.5
    assert u1.loc["na", "points"] == 0 and u1.loc["na", "reason"].startswith("不涉及")
    # 4.5 out of 6 applicable points, rescaled to 10: 7.5
    assert u1.loc["rescale", "points"] == 3.0
    assert u1.loc["rescale", "reason"] == "考核得分有不涉及指标，满分按6分计，折算为10分制：4.5×10÷6=7.5"
    assert a.units["total"].tolist() == [7.5, 8.5]


def test_rescaling_rounds_half_up_once():
    a = run(rubric(TWO.replace("points: 6", "points: 7").replace("points: 4", "points: 3"), FIELDS, total=10),
            [{"code": "u1", "v": 11, "w": "不涉及"}])
    # 6.5 x 10 / 7 = 9.2857... -> 9.29
    assert a.units["total"].tolist() == [9.29]


WEIGHTED = """
parts:
  - {key: daily, name: 日常, weight: 0.3}
  - {key: year, name: 年终, weight: 0.7, scale: 50}
"""


def test_weighted_parts_round_after_weighting_and_rows_add_up():
    dims = """
dimensions:
  - key: d1
    name: 日常
    part: daily
    indicators:
      - {key: x, name: 支委会, points: 100, rule: {type: per_shortfall, field: v, required: 12, step: 0.75}}
  - key: d2
    name: 年终
    part: year
    indicators:
      - {key: y, name: 党小组会, points: 50, rule: {type: per_shortfall, field: w, required: 12, step: 1.5}}
"""
    a = run(rubric("", FIELDS, extra=WEIGHTED, dimensions=dims), [{"code": "u1", "v": 11, "w": 11}])
    # daily 99.25 x 30% = 29.775 -> 29.78; year 48.5 on a 50-point scale: 48.5 / 50 x 100 x 70% = 67.9
    assert a.units.loc["u1", "part:daily"] == 99.25
    assert a.units.loc["u1", "weighted:daily"] == 29.78
    assert a.units.loc["u1", "weighted:year"] == 67.9
    assert a.units.loc["u1", "total"] == 97.68
    assert np.isclose(a.points["points"].sum(), 97.68)
    weight = a.points[(a.points.kind == "weight") & (a.points.part == "daily")]
    assert weight["reason"].item() == "日常得分99.25×30%=29.78，计入总分"


BONUS = """
bonuses:
  cap: 5
  groups:
    - key: honours
      name: 表彰
      tiers:
        - {field: h_city, points: 3, label: 市级表彰}
        - {field: h_county, points: 2, label: 县级表彰}
    - key: other
      name: 推广
      tiers: [{field: h_spread, points: 3, label: 经验推广}]
deductions:
  groups:
    - key: crit
      name: 通报批评
      mode: each
      cap: 5
      tiers:
        - {field: c_county, points: 2, label: 被县级通报批评}
"""
ADJ_FIELDS = FIELDS.split("\n")[0] + """
h_city: {label: 市级表彰, type: count}
h_county: {label: 县级表彰, type: count}
h_spread: {label: 经验推广, type: count}
c_county: {label: 县级批评, type: count}"""


def test_bonus_highest_tier_only_and_overall_cap_and_deductions_each():
    r = rubric("- {key: x, name: 支委会, points: 100, rule: {type: per_shortfall, field: v, required: 12, step: 1}}",
               ADJ_FIELDS, extra=BONUS)
    a = run(r, [
        {"code": "u1", "v": 10, "h_city": 1, "h_county": 2, "h_spread": 0, "c_county": 0},   # +3 (就高不累计)
        {"code": "u2", "v": 12, "h_city": 1, "h_county": 0, "h_spread": 1, "c_county": 1},   # +6 capped to 5, -2
        {"code": "u3", "v": 12, "h_city": 0, "h_county": 0, "h_spread": 0, "c_county": 4},   # -8 capped to 5
    ])
    u = a.units
    assert u["bonus"].tolist() == [3.0, 5.0, 0.0]
    assert u["deduction"].tolist() == [0.0, -2.0, -5.0]
    assert u["total"].tolist() == [101.0, 103.0, 95.0]
    rows = a.points[a.points.code == "u2"].set_index("kind")
    assert rows.loc["cap", "reason"] == "加分合计6分，超过上限5分，按5分计"
    u1 = a.points[(a.points.code == "u1") & (a.points.kind == "bonus")]
    assert u1["reason"].item() == "市级表彰，加3分（就高不累计）"


def test_total_is_always_the_sum_of_rows_and_floor():
    r = rubric("- {key: x, name: 支委会, points: 5, rule: {type: per_shortfall, field: v, required: 12, step: 1}}",
               ADJ_FIELDS, total=5, extra=BONUS)
    a = run(r, [{"code": "u1", "v": 0, "h_city": 0, "h_county": 0, "h_spread": 0, "c_county": 3}])
    assert a.units.loc["u1", "total"] == 0.0  # 0 - 5 floored at 0
    assert a.points[a.points.kind == "floor"]["points"].item() == 5.0


def test_same_inputs_same_tables():
    r = rubric(TWO, FIELDS, total=10)
    recs = [{"code": f"u{i}", "v": i % 13, "w": (i * 7) % 13} for i in range(40)]
    a, b = run(r, recs), run(r, recs)
    assert a.points.equals(b.points) and a.units.equals(b.units)
