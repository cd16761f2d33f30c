from helpers import points_of, reasons_of, rubric, run

FIELD = "v: {label: 评价得分, type: number}"


def test_points_by_place_with_shared_places_within_category():
    r = rubric("- {key: x, name: 排名, points: 6, rule: {type: rank, field: v, places: [6, 5, 4], others: 3}}",
               FIELD, total=6)
    a = run(r, [{"code": "u1", "v": 90}, {"code": "u2", "v": 95}, {"code": "u3", "v": 95},
                {"code": "u4", "v": 80}, {"code": "u5", "v": 70}, {"code": "u6", "v": 99, "category": "乙类"}])
    # 甲类: u2 and u3 share 1st, u1 is 3rd, u4 4th, u5 5th; u6 is alone in 乙类
    assert points_of(a) == [4.0, 6.0, 6.0, 3.0, 3.0, 6.0]
    assert reasons_of(a)[0] == "评价得分：90，本类别第3名（共5个），得4分，扣2分"


def test_proportional_to_the_best():
    r = rubric("- {key: x, name: 指数, points: 10, rule: {type: rank, field: v, proportional: true}}", FIELD, total=10)
    a = run(r, [{"code": "u1", "v": 80}, {"code": "u2", "v": 100}, {"code": "u3", "v": 66.666}])
    assert points_of(a) == [8.0, 10.0, 6.67]


def test_rank_across_all_units():
    r = rubric("- {key: x, name: 排名, points: 2, rule: {type: rank, field: v, within: all, order: asc, places: [2, 1]}}",
               FIELD, total=2)
    a = run(r, [{"code": "u1", "v": 3}, {"code": "u2", "v": 1, "category": "乙类"}, {"code": "u3", "v": 2}])
    assert points_of(a) == [0.0, 2.0, 1.0]
