from helpers import points_of, reasons_of, rubric, run

FIELDS = """g: {label: 好, type: count}
f: {label: 较好, type: count}
m: {label: 一般, type: count}
p: {label: 差, type: count}"""


def test_weighted_share_of_valid_votes():
    r = rubric("- {key: x, name: 评议, points: 100, rule: {type: votes, counts: {g: 1.0, f: 0.8, m: 0.6, p: 0}}}",
               FIELDS, total=100)
    a = run(r, [{"code": "u1", "g": 8, "f": 10, "m": 8, "p": 4}, {"code": "u2", "g": 40, "f": 0, "m": 0, "p": 0},
                {"code": "u3", "g": 0, "f": 0, "m": 0, "p": 0}])
    # (8 + 8 + 4.8) / 30 = 69.333...% -> 69.33; no valid vote -> 0
    assert points_of(a) == [69.33, 100.0, 0.0]
    assert reasons_of(a)[0] == "有效票30张（好8票、较好10票、一般8票、差4票），得票率69.33%，得69.33分，扣30.67分"
