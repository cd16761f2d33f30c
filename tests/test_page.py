"""The report page (no browser): self-contained, data embedded safely and agreeing with the
assessment, hostile names inert, labels in the chosen language, output deterministic."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from qscore.output.page import embed_json, render_page
from qscore.output.stamp import make_stamp
from qscore.rounding import format_points

from helpers import rubric, run

DATE = dt.date(2025, 1, 20)


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def data(self) -> dict:
        (text,) = [t for attrs, t in self.scripts if attrs.get("id") == "data"]
        return json.loads(text)


@pytest.fixture(scope="module")
def sample_page(sample):
    return render_page(sample, make_stamp(sample, DATE))


def test_the_page_is_one_file_that_asks_for_nothing(sample_page):
    page = Page(sample_page)
    assert sample_page.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert "http://" not in sample_page and "https://" not in sample_page
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        for name in ("href", "action", "formaction", "xlink:href", "srcset", "poster", "data"):
            assert attrs.get(name) is None or str(attrs[name]).startswith("#"), (tag, name, attrs[name])
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "audio", "video"), tag
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]  # data, then code
    svgs = [a for t, a in page.tags if t == "svg"]
    assert len(svgs) == 3 and all(a["role"] == "img" and a["aria-labelledby"] for a in svgs)
    assert len(sample_page.encode()) < 6_000_000  # about 3.8 MB for 1,919 units and 69,508 point rows


def test_the_embedded_data_agrees_with_the_assessment(sample, sample_page):
    data = Page(sample_page).data()
    cols = {c["key"]: i for i, c in enumerate(data["columns"])}
    assert [c["label"] for c in data["columns"]][:5] == ["名次", "类别名次", "单位代码", "单位名称", "类别"]
    totals = dict(zip(sample.units.index, format_points(sample.units["total"], 2), strict=True))
    assert len(data["units"]) == len(sample.units) == 1919
    assert {u[cols["code"]]: u[cols["total"]] for u in data["units"]} == totals
    assert [u[cols["place"]] for u in data["units"]] == sorted(sample.units["rank"])
    assert sum(len(p) for p in data["points"]) == len(sample.points)
    # the drill-down of 050001 shows its reasons and the lost points, as the workbook does
    i = next(k for k, u in enumerate(data["units"]) if u[cols["code"]] == "050001")
    s = data["strings"]
    rows = [[s[x] for x in row[:9]] + [row[9]] for row in data["points"][i]]
    committee = next(r for r in rows if r[2] == "支委会")
    assert committee[3:8] == ["支委会次数=3", "0.50", "5.00", "4.50", "支委会应开12次，实开3次，每少1次扣0.5分，扣4.5分"]
    assert committee[8] + committee[9] == sample.points.loc[
        (sample.points["code"] == "050001") & (sample.points["item"] == "支委会"), "source"].item()


def test_the_page_is_deterministic(sample, sample_page):
    assert render_page(sample, make_stamp(sample, DATE)) == sample_page


def test_embedded_json_can_never_close_its_script_element():
    text = embed_json({"name": "</script><!--<script>&\u2028\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"name": "</script><!--<script>&\u2028\u2029"}


LISTS = """
lists:
  - {key: talk, name: 约谈, when: {grade: 差}, reason: 等次为差, within_days: 30}
"""
R = rubric("- {key: x, name: 支委会, points: 100, rule: {type: per_incident, field: v, step: 10}}",
           "v: {label: 次数, type: count}", extra=LISTS)
HOSTILE = [{"code": "a", "name": "<script>alert(1)</script>", "v": 9},
           {"code": "b", "name": '=HYPERLINK("http://x","y")', "v": 0},
           {"code": "c", "name": "</script><img src=x onerror=alert(2)>", "v": 3}]
NOT_SCORED = pd.DataFrame({"code": ["z"], "name": ["<b>未计分</b>"], "category": ["甲类"],
                           "reasons": ["自评表 › C7: 无法读取"]})


def hostile_assessment():
    return run(R, HOSTILE, as_of=DATE, not_scored=NOT_SCORED)


def hostile_page(lang="zh", template_dir=None):
    a = hostile_assessment()
    return render_page(a, make_stamp(a, DATE), lang, template_dir)


def test_hostile_names_are_data_never_markup():
    html = hostile_page()
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    page = Page(html)
    assert [t for t, _ in page.tags].count("script") == 2 and "img" not in [t for t, _ in page.tags]
    names = {u[3] for u in page.data()["units"]}
    assert names == set(hostile_assessment().units["name"]) and "<script>alert(1)</script>" in names
    assert "&lt;b&gt;未计分&lt;/b&gt;" in html  # units not scored are listed, escaped


def test_english_labels_with_lang_en():
    html = hostile_page("en")
    assert '<html lang="en">' in html and ">Ranking<" in html and 'aria-label="Place, sort by this column"' in html
    assert "名次" not in html[:html.index('id="data"')] and "Units with equal totals share a place (e.g. 1, 2, 2, 4)." in html
    data = Page(html).data()
    assert data["columns"][0]["label"] == "Place" and data["labels"]["reason"] == "Reason"
    assert '<html lang="zh-CN">' in hostile_page("zh")
    with pytest.raises(ValueError, match="unknown language"):
        hostile_page("fr")


def test_a_user_template_can_extend_the_shipped_page(tmp_path):
    (tmp_path / "report.html.j2").write_text(
        '{% extends "default/report.html.j2" %}{% block header %}<h1>本单位定制</h1>{% endblock %}', encoding="utf-8")
    html = hostile_page(template_dir=tmp_path)
    assert "<h1>本单位定制</h1>" in html and html.replace("<h1>本单位定制</h1>", "") != hostile_page()
    assert Page(html).data() == Page(hostile_page()).data()


def test_each_reason_a_unit_was_not_scored_is_on_a_line_of_its_own():
    two = NOT_SCORED.assign(reasons=["自评表 › C7: 无法读取\n自评表 › D7: 未填写"])
    html = render_page(run(R, HOSTILE, as_of=DATE, not_scored=two), make_stamp(hostile_assessment(), DATE))
    assert "自评表 › C7: 无法读取<br>自评表 › D7: 未填写" in html
