"""The report page in a real browser (headless Debian chromium via Playwright): it asks for
nothing, raises no error, sorts, filters, switches categories, opens a unit's points, and
shows hostile names as text. Skipped when chromium or playwright is missing, unless
QSCORE_REQUIRE_BROWSER=1 (CI sets it once it has installed chromium)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from qscore.output.page import render_page
from qscore.output.stamp import make_stamp
from qscore.rounding import format_points

from helpers import run

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DATE = dt.date(2025, 1, 20)


def _missing() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"{CHROMIUM} not found (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed (pip install -e '.[test]')"
    return ""


@pytest.fixture(scope="module")
def browser():
    why = _missing()
    if why:
        if os.environ.get("QSCORE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"QSCORE_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                               headless=True, args=ARGS)
        yield b
        b.close()


class Opened:
    """A page opened from a file, with every request, error and JS dialog it produced."""

    def __init__(self, browser, html: str, path: Path):
        path.write_text(html, encoding="utf-8")
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)

    def check_quiet(self):
        assert self.requests == [self.url]  # the page itself and nothing else
        assert self.errors == [] and self.dialogs == []

    def column(self, key: str) -> int:
        return self.page.evaluate(
            "k => JSON.parse(document.getElementById('data').textContent).columns.findIndex(c => c.key === k)", key)

    def visible(self, col: int) -> list[str]:
        """The text of column `col` in the visible rows, top to bottom."""
        return self.page.evaluate(
            "c => [...document.querySelectorAll('#ranking-body tr:not([hidden])')].map(r => r.cells[c].textContent)",
            col)


@pytest.fixture(scope="module")
def opened(browser, sample, tmp_path_factory):
    o = Opened(browser, render_page(sample, make_stamp(sample, DATE)), tmp_path_factory.mktemp("page") / "报告.html")
    yield o
    o.page.close()


def _reset(o: Opened):
    o.page.fill("#filter", "")
    o.page.select_option("#grade-filter", "")
    o.page.get_by_role("tab", name="全部").click()


def test_sorting_by_total_both_ways(opened, sample):
    total = opened.column("total")
    totals = format_points(sample.units["total"], 2)
    button = opened.page.locator(f"#ranking-table thead button[data-col='{total}']")
    assert opened.visible(total)[0] == max(totals, key=float)  # in place order at first
    button.click()  # a score column sorts highest first
    assert button.locator("xpath=..").get_attribute("aria-sort") == "descending"
    assert opened.visible(total)[0] == max(totals, key=float)
    button.click()
    assert button.locator("xpath=..").get_attribute("aria-sort") == "ascending"
    shown = opened.visible(total)
    assert shown[0] == min(totals, key=float) == "43.65" and len(shown) == 1919
    assert [float(x) for x in shown] == sorted(float(x) for x in shown)
    opened.page.locator(f"#ranking-table thead button[data-col='{opened.column('place')}']").click()
    assert opened.visible(opened.column("place"))[:3] == ["1", "2", "3"]
    opened.check_quiet()


def test_filtering_by_code_grade_and_category(opened, sample):
    _reset(opened)
    opened.page.fill("#filter", "050001")
    assert opened.visible(opened.column("code")) == ["050001"]
    assert opened.page.text_content("#status") == "显示 1 个单位，共 1919 个"
    _reset(opened)
    opened.page.select_option("#grade-filter", "差")
    assert opened.visible(opened.column("grade")) == ["差"] * int((sample.units["grade"] == "差").sum())
    _reset(opened)
    tab = opened.page.get_by_role("tab", name="机关")
    tab.click()
    assert tab.get_attribute("aria-selected") == "true"
    assert opened.page.get_by_role("tab", name="全部").get_attribute("aria-selected") == "false"
    shown = opened.visible(opened.column("category"))
    assert shown == ["机关"] * int((sample.units["category_name"] == "机关").sum()) and len(shown) == 260
    tab.press("ArrowRight")  # the tabs follow the arrow keys
    assert opened.page.get_by_role("tab", name="国企").get_attribute("aria-selected") == "true"
    assert set(opened.visible(opened.column("category"))) == {"国企"}
    opened.check_quiet()


def test_the_drill_down_shows_every_point_row_and_the_lost_points(opened, sample):
    _reset(opened)
    opened.page.fill("#filter", "050001")
    button = opened.page.locator("#ranking-body tr:not([hidden]) button.unit")
    button.focus()
    opened.page.keyboard.press("Enter")  # keyboard accessible
    dialog = opened.page.locator("#detail")
    assert dialog.get_attribute("open") is not None
    text = dialog.inner_text()
    p = sample.points[sample.points["code"] == "050001"]
    assert sample.units.loc["050001", "name"] in text and "43.65" in text
    for reason in p["reason"]:
        assert reason in text
    lost = int(((p["kind"] == "item") & (p["points"] < p["max"])).sum() + ((p["kind"] == "deduction")
                                                                           & (p["points"] < 0)).sum())
    assert dialog.locator("tbody tr").count() == len(p)
    assert dialog.locator("tbody tr.lost").count() == lost > 5
    assert f"失分项目 {lost} 个" in text and "失分 4.50" in text  # as text, not by colour alone
    opened.page.keyboard.press("Escape")
    assert dialog.get_attribute("open") is None
    assert opened.page.evaluate("document.activeElement.classList.contains('unit')")  # focus goes back
    opened.check_quiet()


def test_hostile_names_render_as_text(browser, tmp_path):
    from test_page import NOT_SCORED, R

    hostile = [{"code": "a", "name": "<script>alert(1)</script>", "v": 9},
               {"code": "b", "name": '=HYPERLINK("http://x","y")', "v": 0},
               {"code": "c", "name": "<img/src=x/onerror=alert(2)>", "v": 3}]
    a = run(R, hostile, as_of=DATE, not_scored=NOT_SCORED)
    o = Opened(browser, render_page(a, make_stamp(a, DATE)), tmp_path / "hostile.html")
    names = o.page.locator("#ranking-body button.unit").all_text_contents()
    assert sorted(names) == sorted(a.units["name"]) and "<script>alert(1)</script>" in names
    assert o.page.locator("img").count() == 0 and o.page.locator("script").count() == 2
    o.page.locator("#ranking-body button.unit").first.click()
    assert o.page.locator("#detail-title").text_content().startswith(names[0])
    o.check_quiet()
    o.page.close()
