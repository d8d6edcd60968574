"""The reports in a real browser: headless Chromium from the system, driven by Playwright.

The browser is Debian's ``chromium`` package (``/usr/bin/chromium``; ``.ci/run``
installs it); no browser is ever downloaded. Every page must load from the
file alone (no other request), with no console error, and draw its charts.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.frontier import sweep
from planner.report import compare_report, frontier_report, report_html, write_report
from planner.report.browser import CHROMIUM, chromium_path
from planner.views import individual_plans
from tests.report import plans
from tests.views.test_views import TINY

if chromium_path() is None:
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")

SECTIONS = ("headline", "roadmap", "kpis", "capacity", "units", "people", "finance")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from planner.report.browser import launch

    with sync_api.sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


class Page:
    """A page with every console message, page error and request it made recorded."""

    def __init__(self, browser: Any, path: Path, fragment: str = "") -> None:
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in (
            "error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(self.url + fragment, wait_until="load")

    def draw_all(self) -> list[str]:
        """Scroll every chart into view and wait until it is drawn; the ids drawn."""
        drawn = []
        for chart in self.page.locator(".chart[data-fig]:visible").all():
            chart.scroll_into_view_if_needed()
            chart.locator(".main-svg").first.wait_for(timeout=15_000)
            drawn.append(chart.get_attribute("data-drawn"))
        return drawn

    def assert_clean(self) -> None:
        assert self.errors == []
        assert {u.split("#")[0] for u in self.requests} == {self.url}, self.requests

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def plan_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(report_html(plans.services()),
                        tmp_path_factory.mktemp("report") / "report.html")


def _variance(png: bytes) -> float:
    """Variance of the grey levels of a screenshot: near 0 for a blank (one-colour) picture."""
    from PIL import ImageStat

    return float(ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).var[0])


def test_plan_report_loads_offline_with_every_section(browser, plan_report):
    page = Page(browser, plan_report)
    for section in SECTIONS:
        assert page.page.locator(f"section#{section}").is_visible(), section
    assert "Brightwater Advisory 2027" in page.page.locator("h1").inner_text()
    assert "Proven optimal" in page.page.locator("#headline").inner_text()
    drawn = page.draw_all()
    assert {"roadmap-objective", "heatmap", "load-all", "spend-period", "spend-unit",
            "cost-point", "load-0", "kpi-0"} <= set(drawn)
    page.assert_clean()
    page.close()


def test_roadmap_chart_is_drawn_and_not_blank(browser, plan_report):
    page = Page(browser, plan_report)
    chart = page.page.locator('[data-fig="roadmap-objective"]')
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 300
    assert chart.locator("g.bars path").count() >= 8  # one bar per chosen initiative
    assert _variance(chart.screenshot()) > 200
    page.page.get_by_role("button", name="by sponsor unit").click()
    other = page.page.locator('[data-fig="roadmap-sponsor"]')
    other.locator(".main-svg").first.wait_for()
    assert chart.is_hidden() and _variance(other.screenshot()) > 200
    page.assert_clean()
    page.close()


def test_heatmap_and_unit_load_are_drawn(browser, plan_report):
    page = Page(browser, plan_report)
    heat = page.page.locator('[data-fig="heatmap"]')
    heat.scroll_into_view_if_needed()
    heat.locator(".main-svg").first.wait_for()
    assert _variance(heat.screenshot()) > 200
    page.page.locator("select.chart-select").select_option(label="Internal IT")
    load = page.page.locator("#load-chart")
    page.page.wait_for_function(
        "document.getElementById('load-chart').getAttribute('data-drawn') !== 'load-all'")
    assert "Internal IT" in load.inner_text()
    page.assert_clean()
    page.close()


def test_a_persons_page_is_reachable_by_id(browser, plan_report):
    plan = plans.services()
    ip = individual_plans(plan)
    mine = ip[ip["person"] == "d06"]
    page = Page(browser, plan_report, "#person-d06")
    person = page.page.locator('[id="person-d06"]')
    person.wait_for()
    text = person.inner_text()
    assert "V. Papadopoulos" in text and "Delivery and Implementation" in text
    year = f"{mine['total_hours'].sum():,.1f}"
    assert year in text  # the year's hours, as in individual_plans.csv
    for r in mine.itertuples(index=False):
        assert f"{r.total_hours:,.1f}" in text
    assert page.page.locator('[id^="person-"].person').count() == 1  # only this person
    person.locator(".main-svg").first.wait_for()
    page.assert_clean()
    page.close()


def test_a_person_is_found_by_name(browser, plan_report):
    page = Page(browser, plan_report)
    page.page.locator("input.person-search.big").fill("fischer")
    results = page.page.locator(".person-results a")
    assert sorted(results.all_inner_texts()) == ["A. Fischer (c05)", "C. Fischer (t01)"]
    results.first.click()
    page.page.locator('[id="person-c05"]').wait_for()
    assert page.page.evaluate("location.hash") == "#person-c05"
    page.page.locator('#unit-consulting button.members').click()
    assert page.page.locator("#unit-consulting .member-list li").count() == 14
    page.assert_clean()
    page.close()


def test_comparison_report_loads(browser, tmp_path):
    cut = copy.deepcopy(TINY)
    cut["policy"]["budget"] = 1000
    path = write_report(compare_report({"base": plans.tiny(), "cut": plans.solved(cut)}),
                        tmp_path / "compare.html")
    page = Page(browser, path)
    assert "dropped" in page.page.locator("#moved").inner_text()
    assert set(page.draw_all()) == {"cmp-money", "cmp-roadmap", "cmp-util"}
    page.assert_clean()
    page.close()


def test_frontier_report_loads_with_money_axes(browser, tmp_path):
    from models.scenario import Scenario

    table, points = sweep(Scenario.model_validate(copy.deepcopy(TINY)), [0, 1000, 1500],
                          settings={"time_limit": 20}, workers=1)
    path = write_report(frontier_report(table, points), tmp_path / "frontier.html")
    page = Page(browser, path)
    assert set(page.draw_all()) == {"frontier-value", "frontier-score"}
    ticks = page.page.locator('[data-fig="frontier-score"] .xtick text').all_text_contents()
    assert ticks and not any("e+" in t or "e6" in t for t in ticks)
    assert any(t.endswith("k") for t in ticks), ticks  # 1,000 reads 1k
    summaries = page.page.locator("#points summary").all_inner_texts()
    assert summaries == ["1 initiative", "2 initiatives"]  # budget 0 chooses none
    page.assert_clean()
    page.close()
