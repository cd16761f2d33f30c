import pandas as pd
import pytest

from qscore.ranking import competition_places

from helpers import rubric, run

ONE = "- {key: x, name: 得分, points: 100, rule: {type: per_incident, field: v, step: 1}}"
FIELD = "v: {label: 扣分次数, type: count}\nt: {label: 问题数, type: count}\nbad: {label: 书记被处理, type: bool}\nstd: {label: 标准化未达标, type: bool}"


def recs(lost, category="甲类", **extra):
    return [{"code": f"u{i:02d}", "v": v, "t": 0, "bad": "否", "std": "否", "category": category, **extra}
            for i, v in enumerate(lost)]


def test_competition_places_share_and_skip():
    keys = pd.DataFrame({"k": [-90.0, -95.0, -95.0, -80.0]}, index=list("abcd"))
    assert competition_places(keys).tolist() == [3, 1, 1, 4]


def test_places_within_groups():
    keys = pd.DataFrame({"k": [-90.0, -95.0, -70.0, -80.0]}, index=list("abcd"))
    group = pd.Series(["x", "y", "x", "y"], index=list("abcd"))
    assert competition_places(keys, group).tolist() == [1, 1, 2, 2]


def test_tie_break_chain_then_shared_place():
    r = rubric(ONE, FIELD, extra="ranking:\n  tie_break:\n    - {field: t, order: asc}\n")
    a = run(r, [{"code": "a", "v": 5, "t": 2, "bad": "否", "std": "否"},
                {"code": "b", "v": 5, "t": 1, "bad": "否", "std": "否"},
                {"code": "c", "v": 5, "t": 2, "bad": "否", "std": "否"},
                {"code": "d", "v": 1, "t": 9, "bad": "否", "std": "否"}])
    assert a.units["rank"].tolist() == [3, 2, 3, 1]  # b wins the tie on fewer problems; a and c share 3rd


def test_ranks_follow_published_scores_not_float_noise():
    # 0.1 x 3 and 0.3 deducted look different in binary; published to 2 decimals they are equal
    r = rubric("- {key: x, name: 得分, points: 100, rule: {type: per_incident, field: v, step: 0.1}}", FIELD)
    a = run(r, recs([3, 3]) + [{"code": "z", "v": 0, "t": 0, "bad": "否", "std": "否"}])
    assert a.units["total"].tolist() == [99.7, 99.7, 100.0]
    assert a.units["rank"].tolist() == [2, 2, 1]


def test_quota_demotes_in_place_order_within_category():
    r = rubric(ONE, FIELD, quota="0.2")
    # ten units of 甲类 all at 90 or above: floor(10 x 20%) = 2 get 好, the rest fall to 较好
    a = run(r, recs([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) + recs([0], category="乙类")[:0])
    assert a.units["grade"].tolist() == ["好", "好"] + ["较好"] * 8
    assert a.units["quota_demoted"].sum() == 8


@pytest.mark.parametrize("ties, expected", [("include", 3), ("exclude", 1)])
def test_tie_at_the_quota_boundary_follows_the_stated_policy(ties, expected):
    r = rubric(ONE, FIELD, quota="0.2", ties=ties)
    # quota 2 of 10; places 1, 2, 2: the 2nd slot is shared
    a = run(r, recs([0, 1, 1, 3, 4, 5, 6, 7, 8, 9]))
    assert (a.units["grade"] == "好").sum() == expected


def test_quota_counts_floor_and_is_per_category():
    r = rubric(ONE, FIELD, quota="0.2")
    a = run(r, recs([0, 0, 0, 0]) + [{**x, "code": "b" + x["code"]} for x in recs([5, 6, 7, 8, 9], category="乙类")])
    # 甲类: 4 units, floor(0.8) = 0 may be 好; 乙类: 5 units, 1 may
    g = a.units.groupby("category")["grade"].apply(lambda s: (s == "好").sum())
    assert g.to_dict() == {"a": 0, "b": 1}


def test_veto_forces_lowest_grade_and_ranks_last():
    r = rubric(ONE, FIELD, extra="vetoes:\n  - {key: p, name: 书记被司法机关处理, when: {field: bad, is: true}}\n")
    data = recs([0, 5, 45])  # 100 (vetoed), 95, 55
    data[0]["bad"] = "是"
    a = run(r, data)
    assert a.units["grade"].tolist() == ["差", "好", "差"]
    assert a.units["vetoes"].tolist() == ["书记被司法机关处理", "", ""]
    assert a.units["rank"].tolist() == [3, 1, 2]
    assert a.units["threshold_grade"].tolist()[0] == "好"


def test_grade_cap_bars_the_top_grade_only():
    r = rubric(ONE, FIELD, extra="grade_caps:\n  - {key: s, name: 标准化未达标, grade: 较好, when: {field: std, is: true}}\n")
    data = recs([0, 25])  # 100 capped to 较好; 75 stays 一般
    for d in data:
        d["std"] = "是"
    a = run(r, data)
    assert a.units["grade"].tolist() == ["较好", "一般"]


def test_capped_units_do_not_use_up_the_quota():
    r = rubric(ONE, FIELD, quota="0.2", extra="grade_caps:\n  - {key: s, name: 未达标, grade: 较好, when: {field: std, is: true}}\n")
    data = recs([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    data[0]["std"] = "是"
    a = run(r, data)
    assert a.units["grade"].tolist()[:4] == ["较好", "好", "好", "较好"]
