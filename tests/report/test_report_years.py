"""The report of a plan over several years (issue 15): by-year section, per-year budget
line, one chart per KPI with all its targets. Figures worked by hand.

The plan of ``tests/formulation/test_budget_years.py``: 12 months from 2027-07, so
six in 2027 and six in 2028; ``lab`` costs 60,000 over 4 months (15,000 a month),
the budget is 30,000 a year, so only a start in 2027-11 fits (30,000 in each year).
``lab`` moves KPI ``k`` by +2 when it finishes (2028-02); ``k`` has yearly targets
1 (2027, missed: the forecast is 0 at 2027-12) and 2 (2028, met).
"""

from __future__ import annotations

import functools
import re

import plotly.graph_objects as go
import pytest
from support import scenario, solve_checked

from models.plan import Plan
from planner.report import report_html
from planner.report.build import plan_context
from planner.report.kpis import kpi_targets
from tests.report import plans


@functools.cache
def lab() -> Plan:
    return solve_checked(scenario(
        horizon={"start": "2027-07", "periods": 12, "period": "month", "hours_per_fte": 10},
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "k", "objective": "grow", "baseline": 0,
                            "targets": {2027: 1, 2028: 2}}]},
        units=[{"id": "u", "budget": {2027: 30000, 2028: 30000}}],
        initiatives=[{"id": "lab", "contributes": {"grow": 1}, "duration": 4, "cost": 60000,
                      "sponsor": "u", "kpi_impacts": {"k": 2}}],
        policy={"budget": {2027: 30000, 2028: 30000}},
    ))


def test_kpi_rows_per_target_and_one_chart_per_kpi() -> None:
    plan = lab()
    assert plan.initiative("lab").start == "2027-11"
    t = kpi_targets(plan)
    assert list(zip(t["target_year"], t["by"], t["target"], t["value_by"], t["met"],
                    strict=True)) == [(2027, "2027-12", 1, 0, False), (2028, "2028-06", 2, 2, True)]
    ctx = plan_context(plan)
    assert ctx["kpi_charts"] == ["kpi-0"] and {k["fig"] for k in ctx["kpis"]} == {"kpi-0"}
    traces = {tr["name"]: tr for tr in ctx["figures"]["kpi-0"]["data"]}
    assert (traces["targets"]["x"], traces["targets"]["y"]) == (["2027-12", "2028-06"], [1, 2])


def test_by_year_section() -> None:
    ctx = plan_context(lab())
    rows = ctx["years"]["rows"]
    assert [(r["year"], r["spend"], r["budget"], r["running"]) for r in rows] == [
        (2027, 30000, 30000, ["lab"]), (2028, 30000, 30000, ["lab"])]
    assert rows[0]["starting"] == ["lab"] and rows[1]["finishing"] == ["lab"]
    assert [(k["forecast"], k["target"], k["met"]) for r in rows for k in r["kpis"]] == [
        (0, 1, False), (2, 2, True)]
    bars = {tr["name"]: tr for tr in ctx["figures"]["years-spend"]["data"]}
    assert bars["initiative cost"]["y"] == [30000, 30000]
    assert bars["year's budget"]["y"] == [30000, 30000]


def test_spend_chart_budget_steps_by_year_and_totals_sum_the_years() -> None:
    ctx = plan_context(lab())
    line = {tr["name"]: tr for tr in ctx["figures"]["spend-period"]["data"]}[
        "budget up to year end"]
    assert line["y"] == [30000] * 6 + [60000] * 6
    assert ctx["policy"]["budget"] == 60000  # a per-year map shows as the sum of its years
    assert ctx["units"][0]["budget"] == 60000


def test_the_page_has_the_section_and_valid_figures() -> None:
    html = report_html(lab())
    assert 'id="years"' in html and 'href="#years"' in html
    assert re.search(r"\(2028 target\)", html)
    for fid, fig in plan_context(lab())["figures"].items():
        try:
            go.Figure(fig)
        except ValueError as exc:  # pragma: no cover - the message names the property
            pytest.fail(f"{fid}: {exc}")


def test_a_one_year_plan_has_no_by_year_section() -> None:
    assert plan_context(plans.tiny())["years"] is None
    assert 'id="years"' not in report_html(plans.tiny())
