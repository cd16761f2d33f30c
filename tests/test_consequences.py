import datetime as dt

from helpers import rubric, run

ONE = "- {key: x, name: 支委会, points: 100, rule: {type: per_incident, field: v, step: 5}}"
FIELD = "v: {label: 问题次数, type: count}"
LISTS = """
lists:
  - key: praise
    name: 通报表扬
    when: {grade: 好}
    reason: 等次“{grade}”，总分{total}分，{category}第{category_place}名
  - key: talk
    name: 约谈
    when: {any: [{grade: 差}, {bottom: 1}]}
    reason: 总分{total}分，共{category_size}个单位
    within_days: 30
  - key: fix
    name: 限期整改
    when: {indicator: x, lost_at_least: 10}
    reason: "扣分事项：{deductions}"
    deadline: 2025年3月31日前
"""


def test_lists_with_reasons_and_deadlines():
    a = run(rubric(ONE, FIELD, extra=LISTS), [{"code": "a", "v": 0}, {"code": "b", "v": 3}, {"code": "c", "v": 9}],
            as_of=dt.date(2025, 1, 20))
    lists = a.lists
    assert lists[["list", "code"]].values.tolist() == [["praise", "a"], ["talk", "c"], ["fix", "b"], ["fix", "c"]]
    row = lists.set_index(["list", "code"])
    assert row.loc[("praise", "a"), "reason"] == "等次“好”，总分100.00分，甲类第1名"
    assert row.loc[("talk", "c"), "deadline"] == "2025-02-19"
    assert row.loc[("fix", "b"), "reason"] == "扣分事项：支委会扣15分"
    assert row.loc[("fix", "b"), "deadline"] == "2025年3月31日前"
    assert a.units.loc["c", "lists"] == "约谈、限期整改"


def test_deadline_without_a_date_is_relative():
    a = run(rubric(ONE, FIELD, extra=LISTS), [{"code": "a", "v": 0}, {"code": "c", "v": 9}])
    assert a.lists.set_index("list").loc["talk", "deadline"] == "通报印发之日起30日内"


def test_conditions_describe_themselves():
    from qscore.conditions import Condition

    c = Condition.model_validate({"all": [{"grade_in": ["一般", "差"]}, {"not": {"vetoed": True}}, {"total_below": 70}]})
    assert c.describe() == "等次为“一般”或“差”且非（被一票否决）且总分低于70分"


def test_conditions_describe_with_the_rubrics_names(city_rubric):
    lists = {x.key: x for x in city_rubric.lists}
    assert lists["rectify"].when.describe(city_rubric.display_names) == "等次为“一般”或“差”或党费收缴扣分不少于1分"
    veto = city_rubric.vetoes[0].when.describe(city_rubric.display_names)
    assert veto == "书记被司法机关处理为“是”"
