"""Spend by month and quarter in wide tables; months as dates in the workbook (18.14).

Worked by hand: months 2027-02 .. 2027-07. One person (10/h) does 10 h of RTB each
month: 100 of internal labour a month. ``a`` (cost 600, 3 months, earliest 2027-02)
runs Feb-Apr: 200 of non-labour cost a month, so Q1 (Feb, Mar) has 400, Q2 200.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from support import scenario, solve_checked

from planner.io.export import write_plan
from planner.views import VIEWS
from planner.views.spend_by_period import quarter_of


def _plan():
    return solve_checked(scenario(
        horizon={"start": "2027-02", "periods": 6, "period": "month", "hours_per_fte": 10},
        units=[{"id": "ops"}],
        staff=[{"id": "p1", "unit": "ops", "skills": ["agent"], "cost_per_hour": 10}],
        run_the_business=[{"unit": "ops", "skill": "agent", "hours": 10}],
        initiatives=[{"id": "a", "sponsor": "ops", "cost": 600, "duration": 3,
                      "contributes": {"grow": "strong"}}],
        policy={"currency": "EUR"},
    ))


def test_spend_by_month_and_quarter() -> None:
    plan = _plan()
    assert plan.scenario.policy.currency == "EUR"
    m = VIEWS["spend_by_period"](plan).set_index(["unit", "category"])
    months = ["2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07"]
    assert list(m.columns) == [*months, "total"]
    assert m.loc[("ops", "non_labour")].tolist() == [200, 200, 200, 0, 0, 0, 600]
    assert m.loc[("ops", "internal_labour")].tolist() == [100] * 6 + [600]
    assert m.loc[("total", "incremental_spend")].tolist() == [200, 200, 200, 0, 0, 0, 600]
    q = VIEWS["spend_by_quarter"](plan).set_index(["unit", "category"])
    assert list(q.columns) == ["2027-Q1", "2027-Q2", "2027-Q3", "total"]
    assert q.loc[("ops", "non_labour")].tolist() == [400, 200, 0, 600]
    assert q.loc[("total", "internal_labour")].tolist() == [200, 300, 100, 600]


def test_quarters_of_weeks_and_index() -> None:
    assert quarter_of("2027-W12", "week") == "2027-Q1"  # its Thursday is 25 March
    assert quarter_of("2027-W13", "week") == "2027-Q2"  # its Thursday is 1 April
    assert quarter_of("2026-W53", "week") == "2026-Q4"
    assert quarter_of("2027-Q3", "quarter") == "2027-Q3"
    assert quarter_of("7", "index") is None


def test_months_are_dates_in_the_workbook(tmp_path: Path) -> None:
    out = write_plan(_plan(), tmp_path / "plan", formats=("xlsx",))
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    ws = wb["spend_by_period"]
    assert ws.cell(1, 3).value == dt.datetime(2027, 2, 1)
    fin = wb["finance"]
    col = [c.value for c in fin[1]].index("period") + 1
    assert fin.cell(2, col).value == dt.datetime(2027, 2, 1)
    assert fin.cell(2, col).number_format == "yyyy-mm"
    assert (out / "spend_by_period.csv").read_text().startswith(
        "unit,category,2027-02,2027-03,")
