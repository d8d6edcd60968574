"""The long-term plan view: one row per calendar year, money counted where it falls.

Worked by hand: 4 months from 2027-11 (two in 2027, two in 2028). Nobody on
staff; contractors of skill x give 10 h a month at 100 an hour. ``w`` runs all
4 months, needs 10 h of x a month (1,000 of contractors a month) and costs 400
(100 a month): 2,200 of spend in each year. It moves nps by +1 when it finishes
(2028-02) and brings 50 a month after that (none within the horizon).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from support import scenario, solve_checked

from models.scenario import Scenario
from planner.views import VIEWS
from planner.views.long_term import long_term_plan


def contracted(budget: Any) -> Scenario:
    return scenario(
        horizon={"start": "2027-11", "periods": 4, "period": "month", "hours_per_fte": 10},
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "nps", "baseline": 0, "targets": {2028: 1}}]},
        units=[{"id": "u", "budget": budget}],
        external=[{"skill": "x", "max_fte": 1, "cost_per_hour": 100}],
        initiatives=[{"id": "w", "sponsor": "u", "contributes": {"grow": 1}, "duration": 4,
                      "cost": 400, "kpi_impacts": {"nps": 1}, "value_per_period": 50,
                      "effort": [{"unit": "u", "skill": "x", "hours": 40}]}],
        policy={"budget": budget},
    )


def test_one_row_per_year() -> None:
    plan = solve_checked(contracted({2027: 2200, 2028: 2200}))
    df = long_term_plan(plan)
    assert list(df["year"]) == [2027, 2028]
    y27, y28 = df.iloc[0], df.iloc[1]
    assert (y27["first"], y27["last"], y28["first"], y28["last"]) == \
        ("2027-11", "2027-12", "2028-01", "2028-02")
    assert (y27["running"], y27["starting"], y27["finishing"]) == ("w", "w", "")
    assert (y28["running"], y28["starting"], y28["finishing"]) == ("w", "", "w")
    assert (y27["initiative_cost"], y27["external_cost"], y27["spend"]) == (200, 2000, 2200)
    assert (y28["spend"], y28["budget"], y28["remaining"]) == (2200, 2200, 0)
    assert (y27["spend[u]"], y27["budget[u]"]) == (2200, 2200)
    assert (y27["kpi[nps]"], y28["kpi[nps]"]) == (0, 1)
    assert pd.isna(y27["target[nps]"]) and y28["target[nps]"] == 1 and bool(y28["met[nps]"])
    assert list(df["benefits"]) == [0, 0]
    assert "long_term_plan" in VIEWS


def test_contractor_money_counts_in_the_year_worked() -> None:
    # one unit of money short in 2027 (of the policy budget and the unit's): w is out
    plan = solve_checked(contracted({2027: 2199, 2028: 2200}))
    assert plan.selected == []
    df = long_term_plan(plan).set_index("year")
    assert df.loc[2027, "spend"] == 0 and df.loc[2027, "remaining"] == 2199


def test_index_periods_make_one_row() -> None:
    plan = solve_checked(scenario(
        units=[{"id": "u"}], staff=[{"id": "p", "unit": "u", "skills": ["x"]}],
        initiatives=[{"id": "i", "contributes": {"grow": 1}, "duration": 2, "cost": 5,
                      "effort": [{"unit": "u", "skill": "x", "hours": 10}]}],
        policy={"budget": 10}))
    df = long_term_plan(plan)
    assert len(df) == 1
    row = df.iloc[0]
    assert (row["year"], row["first"], row["last"], row["spend"], row["budget"]) == \
        ("", "1", "4", 5, 10)
