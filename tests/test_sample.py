"""The bundled sample: its hard cases land where the generator placed them, and one unit
checked by hand end to end."""


def test_size_and_categories(sample):
    u = sample.units
    assert len(u) == 1919
    assert u["category_name"].value_counts().to_dict() == {
        "农村": 820, "社区": 310, "机关": 260, "非公企业": 224, "社会组织": 177, "国企": 95, "学校": 20, "医院": 13}
    assert not sample.returns.errors


def test_unit_050001_by_hand(sample):
    # daily: 100 - 3 - 1.5 - 3 - 1.5 - 3 = 88 -> x30% = 26.40
    # year-end: 4 + 3 + 1 + 1.75 + 5 + 0 = 14.75 -> x50% = 7.375 -> 7.38 (half up)
    # votes: (8 + 10x0.8 + 8x0.6) / 30 = 69.333% -> 69.33 -> x20% = 13.866 -> 13.87
    # criticised by the county committee once: -4
    u = sample.units.loc["050001"]
    assert (u["part:daily"], u["weighted:daily"]) == (88.0, 26.4)
    assert (u["part:yearend"], u["weighted:yearend"]) == (14.75, 7.38)
    assert (u["part:vote"], u["weighted:vote"]) == (69.33, 13.87)
    assert u["deduction"] == -4.0
    assert u["total"] == 43.65 and u["grade"] == "差"
    assert {"约谈", "通报批评", "限期整改"} <= set(u["lists"].split("、"))


def test_exact_tie_shares_a_place(sample):
    u = sample.units.loc[["010001", "010002"]]
    assert u["total"].nunique() == 1 and u["rank"].nunique() == 1 and u["category_rank"].nunique() == 1


def test_tie_at_the_quota_boundary(sample):
    h = sample.units[sample.units["category"] == "hospital"].sort_values("category_rank")
    assert len(h) == 13  # quota: floor(13 x 20%) = 2
    assert h["category_rank"].tolist()[:3] == [1, 2, 2]
    assert h["grade"].tolist()[:4] == ["好", "好", "好", "较好"]  # the shared 2nd place is included (quota_ties)


def test_units_on_thresholds(sample):
    u = sample.units
    assert u.loc["030001", "total"] == 90.0 and u.loc["030001", "threshold_grade"] == "好"
    assert u.loc["030002", "total"] == 80.0 and u.loc["030002", "grade"] == "较好"


def test_vetoes_cap_and_not_applicable(sample):
    u = sample.units
    assert u.loc[["020001", "040001"], "grade"].tolist() == ["差", "差"]
    assert u.loc["020001", "vetoes"] == "党组织书记被司法机关处理"
    assert u.loc["020001", "rank"] > u.loc[~u["vetoed"], "rank"].max()  # vetoed units placed last
    assert u.loc["010003", "total"] == 97.5 and u.loc["010003", "grade"] == "较好"
    assert u.loc["010003", "caps"].startswith("支部标准化建设未达标")
    p = sample.points
    assert (p["kind"] == "na").sum() > 50 and (p["kind"] == "rescale").sum() > 50


def test_quotas_hold_in_every_category(sample):
    u = sample.units
    for _, g in u.groupby("category"):
        allowed = int(len(g) * 0.2)
        good = g[g["grade"] == "好"]
        # more only where units share the last place inside the quota (quota_ties: include)
        assert len(good) <= allowed or good["category_rank"].max() == g.sort_values("category_rank")["category_rank"].iloc[allowed - 1]


def test_every_total_is_the_sum_of_its_rows(sample):
    sums = sample.points.groupby("code")["points"].sum().reindex(sample.units.index)
    assert (sums - sample.units["total"]).abs().max() < 1e-9


def test_sample_generator_is_deterministic(tmp_path):
    import importlib.util

    from conftest import ROOT, SAMPLE

    spec = importlib.util.spec_from_file_location("gen", ROOT / "samples" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    out = tmp_path / "again.xlsx"
    gen.write(gen.build(), out)
    assert out.read_bytes() == SAMPLE.read_bytes()
