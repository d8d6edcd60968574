"""Budgets per calendar year: money lands in the year of the period it falls in.

Worked by hand. The horizon is 12 months from 2027-07, so its first six periods
are in 2027 and the last six in 2028. ``lab`` costs 60,000 over 4 months, spread
evenly (15,000 a month) unless a cost profile says otherwise; it needs no people.

=================  ==========  ==========
start              2027 spend  2028 spend
=================  ==========  ==========
2027-07 .. 09      60,000      0
2027-10            45,000      15,000
2027-11            30,000      30,000
2027-12            15,000      45,000
2028-01 .. 03      0           60,000
=================  ==========  ==========
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from support import scenario, solve_checked

from models.scenario import Scenario
from planner.checker import check_plan
from planner.errors import InfeasibleError
from planner.io.export import write_plan
from planner.problem.data import compile_problem
from planner.solving import Settings, solve
from planner.solving.allocate import Schedule
from planner.solving.reasons import ALONE, NEXT_TO, explain
from planner.views import VIEWS


def year_split(budget: Any, carry_over: bool = False, **lab: Any) -> Scenario:
    return scenario(
        horizon={"start": "2027-07", "periods": 12, "period": "month", "hours_per_fte": 10},
        units=[{"id": "u"}],
        initiatives=[{"id": "lab", "contributes": {"grow": 1}, "duration": 4, "cost": 60000,
                      **lab}],
        policy={"budget": budget, "carry_over": carry_over},
    )


@pytest.mark.parametrize("strategy", ["optimal", "greedy"])
def test_cost_lands_in_the_year_of_each_period(strategy: str) -> None:
    # 30,000 a year: only a start in 2027-11 splits the cost 30,000 / 30,000
    plan = solve_checked(year_split({2027: 30000, 2028: 30000}), strategy=strategy)
    assert plan.initiative("lab").start == "2027-11"
    years = VIEWS["long_term_plan"](plan).set_index("year")
    assert years.loc[2027, "spend"] == 30000 and years.loc[2028, "spend"] == 30000
    assert years.loc[2027, "remaining"] == 0 and years.loc[2028, "remaining"] == 0
    assert years.loc[2027, "starting"] == "lab" and years.loc[2028, "finishing"] == "lab"
    # the whole-horizon views still add up: 60,000 against the sum of the years
    total = VIEWS["budget"](plan).set_index("scope").loc["total"]
    assert (total["incremental_spend"], total["budget"]) == (60000, 60000)


def test_one_number_is_the_whole_horizon() -> None:
    # the same 60,000 as one amount: any start fits, the earliest wins (earliness)
    plan = solve_checked(year_split(60000))
    assert plan.initiative("lab").start == "2027-07"


def test_unspent_money_carries_over_only_when_asked() -> None:
    # 40,000 then 20,000: 2028 can take at most 20,000, so only starts up to 2027-10
    # (at most 15,000 in 2028) fit it, but those spend 45,000+ in 2027: left out; the
    # start that comes closest is 2027-10, 5,000 over in 2027
    plan = solve_checked(year_split({2027: 40000, 2028: 20000}))
    assert plan.selected == []
    # the binding reason (forced in by an elastic re-solve) names the year short
    assert plan.initiative("lab").reason == (
        f"budget (2027) short by 5,000 {ALONE}")
    # and so does the reason worked out against the plan, without the re-solve
    data = compile_problem(plan.scenario)
    relative = explain(data, Schedule({}), plan.assignments, force=False)
    assert relative == {"lab": "would exceed the 2027 budget by 5,000 even at its best "
                               f"start (2027-10) {NEXT_TO}"}
    # carried over: up to 40,000 by the end of 2027 and 60,000 by the end of 2028, so
    # 2027-11 (30,000 then 60,000) fits and 2027-10 (45,000 by the end of 2027) does not
    plan = solve_checked(year_split({2027: 40000, 2028: 20000}, carry_over=True))
    assert plan.initiative("lab").start == "2027-11"
    years = VIEWS["long_term_plan"](plan).set_index("year")
    assert list(years["spend_to_date"]) == [30000, 60000]
    assert list(years["budget_to_date"]) == [40000, 60000]
    assert list(years["remaining"]) == [10000, 0]


def test_cost_profile_moves_money_between_years() -> None:
    # 70% in the first month: a start in 2027-12 puts 42,000 in 2027, 18,000 in 2028;
    # with 45,000 / 20,000 every earlier start spends more than 45,000 in 2027, and
    # 2028-01 or later spends 60,000 in 2028
    sc = year_split({2027: 45000, 2028: 20000}, cost_profile=[0.7, 0.1, 0.1, 0.1])
    plan = solve_checked(sc)
    assert plan.initiative("lab").start == "2027-12"
    years = VIEWS["long_term_plan"](plan).set_index("year")
    assert (years.loc[2027, "spend"], years.loc[2028, "spend"]) == (42000, 18000)


def test_budget_rows_per_year_and_unit() -> None:
    sc = year_split({2027: 30000, 2028: 30000})
    sc.units[0].budget = {2027: 1, 2028: 2}
    data = compile_problem(sc)
    names = [(b.name, b.limit, b.year) for b in data.budgets]
    assert names == [("budget[2027]", 30000, 2027), ("budget[2028]", 30000, 2028),
                     ("budget[u,2027]", 1, 2027), ("budget[u,2028]", 2, 2028)]
    assert [int(m) for m in data.budgets[0].mask] == [1] * 6 + [0] * 6


def test_unit_budget_per_year_binds_the_sponsor() -> None:
    # the unit may spend 15,000 in 2027: only a start in 2027-12 (15,000 in 2027) fits
    sc = scenario(
        horizon={"start": "2027-07", "periods": 12, "period": "month", "hours_per_fte": 10},
        units=[{"id": "u", "budget": {2027: 15000, 2028: 60000}}],
        initiatives=[{"id": "lab", "sponsor": "u", "contributes": {"grow": 1}, "duration": 4,
                      "cost": 60000}],
    )
    plan = solve_checked(sc)
    assert plan.initiative("lab").start == "2027-12"
    years = VIEWS["long_term_plan"](plan).set_index("year")
    assert (years.loc[2027, "spend[u]"], years.loc[2027, "budget[u]"]) == (15000, 15000)


def test_checker_counts_money_by_year(tmp_path: Path) -> None:
    sc = year_split({2027: 30000, 2028: 30000})
    sc.units[0].budget = {2027: 30000, 2028: 30000}
    sc.initiatives[0].sponsor = "u"
    out = write_plan(solve_checked(sc), tmp_path / "plan")
    # started in 2027-09 instead: all 60,000 in 2027, 30,000 over both budgets
    pf = pd.read_csv(out / "portfolio.csv", dtype=str, keep_default_na=False)
    pf.loc[pf["initiative"] == "lab", ["start", "finish"]] = ["2027-09", "2027-12"]
    pf.to_csv(out / "portfolio.csv", index=False)
    money = ("budget", "unit_budget")
    report = check_plan(sc, out)
    found = [(v.rule, v.item, v.period, v.amount) for v in report.violations if v.rule in money]
    assert found == [("budget", "policy", "2027", 30000.0), ("unit_budget", "u", "2027", 30000.0)]
    # plan.json and long_term_plan.csv still hold the solved schedule and its money by
    # year, and the moved finish changes the objective
    assert {v.rule for v in report.violations} - set(money) == {"plan_json", "objective", "view"}
    assert {v.item for v in report.violations if v.rule == "view"} == {"long_term_plan.csv"}
    # with carry-over the limit of 2027 is the same, of 2028 cumulative (60,000): still 2027
    sc.policy.carry_over = True
    found = [(v.rule, v.period) for v in check_plan(sc, out).violations if v.rule in money]
    assert found == [("budget", "2027"), ("unit_budget", "2027")]


def test_diagnosis_names_the_year_short() -> None:
    # mandatory, 4 months from 2027-11 (the only start): 30,000 in 2027 against 20,000
    sc = scenario(
        horizon={"start": "2027-11", "periods": 4, "period": "month", "hours_per_fte": 10},
        units=[{"id": "u"}],
        initiatives=[{"id": "lab", "contributes": {"grow": 1}, "duration": 4, "cost": 60000,
                      "mandatory": True}],
        policy={"budget": {2027: 20000, 2028: 40000}},
    )
    with pytest.raises(InfeasibleError, match=r"budget \(2027\) short by 10,000"):
        solve(sc, Settings())
