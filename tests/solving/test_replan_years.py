"""Re-planning as of a period with the several-years fields (issue 15 with re-planning).

A small plan over two calendar years, worked by hand. Months 2027-11 .. 2028-04 of
10 h per FTE; two developers (code 1.0), so 20 h a month. Initiatives (dev/code):

====  ======  ========  =====  ====  ==============================================
id    weight  duration  hours  cost  money per month
====  ======  ========  =====  ====  ==============================================
a     1.0     3         30     90    30
b     0.9     2         20     40    20
c     0.5     2         20     50    25
d     0.4     1         10     0     mutually exclusive with b
====  ======  ========  =====  ====  ==============================================

The baseline (budget {2027: 100, 2028: 100}): a 2027-11 .. 2028-01, b 2027-11 .. 12
(20 h a month between them), c 2028-01 .. 02; d is left out. 2027 spends 60 + 40 =
100, 2028 30 + 50 = 80. As of 2028-01, b is done, a is in flight (its last month)
and c has not started. Committed: 100 in 2027 (a's two months, b) and a's 30 in
2028, the money of its remaining month.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support import scenario, solve_checked

from models.plan import Plan
from models.scenario import Scenario
from planner import api
from planner.checker import check_plan
from planner.problem.asof import AsOfError, as_of_state
from planner.problem.asof_money import committed_by_period, future_budget
from planner.problem.future import future_scenario

AS_OF = "2028-01"


def two_years(budget: Any = None, carry_over: bool = False,
              kpis: list[dict[str, Any]] | None = None,
              **changes: dict[str, Any]) -> Scenario:
    """The scenario of the module docstring; ``changes`` update initiatives by id."""
    inits: list[dict[str, Any]] = [
        {"id": "a", "contributes": {"grow": 1.0}, "duration": 3, "cost": 90},
        {"id": "b", "contributes": {"grow": 0.9}, "duration": 2, "cost": 40},
        {"id": "c", "contributes": {"grow": 0.5}, "duration": 2, "cost": 50},
        {"id": "d", "contributes": {"grow": 0.4}, "duration": 1, "exclusive_with": ["b"]},
    ]
    hours = {"a": 30, "b": 20, "c": 20, "d": 10}
    for ini in inits:
        ini["effort"] = [{"unit": "dev", "skill": "code", "hours": hours[ini["id"]]}]
        ini.update(changes.get(ini["id"], {}))
    return scenario(
        horizon={"start": "2027-11", "periods": 6, "period": "month", "hours_per_fte": 10},
        strategy={"objectives": [{"id": "grow", "weight": 1}], "kpis": kpis or []},
        units=[{"id": "dev"}],
        staff=[{"id": "d0", "unit": "dev", "skills": ["code"]},
               {"id": "d1", "unit": "dev", "skills": ["code"]}],
        initiatives=inits,
        policy={"budget": budget or {2027: 100, 2028: 100}, "carry_over": carry_over},
    )


@pytest.fixture(scope="module")
def base() -> Plan:
    plan = solve_checked(two_years(), time_limit=10)
    got = {r.id: (r.start, r.finish) for r in plan.initiatives if r.selected}
    assert got == {"a": ("2027-11", "2028-01"), "b": ("2027-11", "2027-12"),
                   "c": ("2028-01", "2028-02")}
    return plan


def test_committed_money_lands_in_its_years(base: Plan) -> None:
    st = as_of_state(two_years(), base, AS_OF)
    assert set(st.done) == {"b"} and set(st.in_flight) == {"a"}
    per = committed_by_period(st)
    assert list(per[None]) == [50, 50, 30, 0, 0, 0]  # a 30 a month, b 20 a month
    assert st.committed == 130  # the total, as for one amount


def test_the_future_gets_what_is_left_of_each_year(base: Plan) -> None:
    # without carry-over: 2028 keeps 100 - 30 (a's last month); 2027 is past
    fut = future_scenario(as_of_state(two_years(), base, AS_OF))
    assert fut.policy.budget == {2028: 70}
    # with carry-over 2027's 20 unspent carries: up to 2028, 220 - 130 = 90
    fut = future_scenario(as_of_state(two_years({2027: 120, 2028: 100}, True), base, AS_OF))
    assert fut.policy.budget == {2028: 90}


def test_future_budget_by_hand() -> None:
    years = [2027, 2027, 2028, 2028, 2029, 2029]
    committed = np.array([40, 40, 30, 30, 20, 0], dtype=float)  # 80, 60, 20 a year
    budget = {2027: 100, 2028: 100, 2029: 0}
    # each year on its own: 2028 keeps 40, 2029 is 20 short already
    out, breaches = future_budget(budget, committed, years, 2028, carry_over=False)
    assert out == {2028: 40, 2029: 0}
    assert breaches == [(2029, 20, 0)]
    # carried over: up to 2027 20 left, up to 2028 60, up to 2029 40: the 40 binds 2028
    # too (what is spent by 2028 is also spent by 2029), so 40 in 2028, none after
    out, breaches = future_budget(budget, committed, years, 2028, carry_over=True)
    assert out == {2028: 40, 2029: 0}
    assert breaches == []
    # 100 a year: 60 left up to 2028, 300 - 160 = 140 up to 2029, so 60 then 80 more
    out, _ = future_budget({2027: 100, 2028: 100, 2029: 100}, committed, years, 2028, True)
    assert out == {2028: 60, 2029: 80}


def test_a_year_already_overspent_is_a_hard_conflict(base: Plan) -> None:
    # the 2027 budget is cut to 90 after the fact: 100 is spent, no plan can keep it
    st = as_of_state(two_years({2027: 90, 2028: 100}), base, AS_OF)
    assert st.hard == ["the budget in 2027: 100.00 already spent or committed before "
                       "2028-01 exceeds 90.00; stop a started initiative with pin: out"]
    r = api.solve(two_years({2027: 90, 2028: 100}), baseline=base, as_of=AS_OF,
                  time_limit=10)
    assert r.status == api.Status.INFEASIBLE and "the budget in 2027" in r.message


def test_replan_with_per_year_budgets_is_checked(base: Plan, tmp_path: Path) -> None:
    # 2028 cut to 60: 30 committed to a leaves 30, too little for c (50): left out (d
    # is closed: its rival b has started)
    sc = two_years({2027: 100, 2028: 60})
    r = api.solve(sc, baseline=base, as_of=AS_OF, time_limit=10)
    assert r.plan is not None, r.message
    plan = r.plan
    assert plan.selected == ["a", "b"]
    assert plan.initiative("c").reason.startswith("budget (2028) short by 20")
    report = check_plan(sc, r.write(tmp_path / "plan"))
    assert report.ok, report.to_text()


def test_stopped_money_counts_in_its_years(base: Plan, tmp_path: Path) -> None:
    # a stopped as of 2028-01 cost its first two months (60, in 2027); the checker
    # counts them in 2027 next to b's 40: 100 of 100
    sc = two_years(a={"pin": "out"})
    r = api.solve(sc, baseline=base, as_of=AS_OF, time_limit=10)
    assert r.plan is not None, r.message
    assert r.plan.initiative("a").selected is False
    out = r.write(tmp_path / "plan")
    assert check_plan(sc, out).ok
    # with 2027 cut to 99 after the fact the same plan breaks 2027 by 1
    cut = two_years({2027: 99, 2028: 100}, a={"pin": "out"})
    report = check_plan(cut, out)
    assert [(v.rule, v.period, round(v.amount, 2)) for v in report.violations
            if v.rule != "view"] == [("budget", "2027", 1.0)]
    # the views written still show the old budget (summary.csv, long_term_plan.csv)
    assert all("budget" in v.message for v in report.violations if v.rule == "view")


def test_a_phased_initiative_in_flight_is_refused(base: Plan) -> None:
    phases = [{"name": "design", "duration": 1,
               "effort": [{"unit": "dev", "skill": "code", "hours": 10}]},
              {"name": "build", "duration": 2,
               "effort": [{"unit": "dev", "skill": "code", "hours": 20}]}]
    sc = two_years(a={"duration": None, "effort": [], "phases": phases})
    with pytest.raises(AsOfError, match=r"^--as-of: initiatives 'a', field 'phases': it is "
                       r"in flight as of 2028-01 .* not supported yet"):
        as_of_state(sc, base, AS_OF)
    with pytest.raises(AsOfError, match="field 'phases'"):  # an input error: exit 1
        api.solve(sc, baseline=base, as_of=AS_OF, time_limit=10)


def test_a_dependency_on_a_phase_of_a_done_initiative_is_met(base: Plan) -> None:
    # b done in phases; c waits for b.build: in the future scenario the dependency is met
    phases = [{"name": "design", "duration": 1,
               "effort": [{"unit": "dev", "skill": "code", "hours": 10}]},
              {"name": "build", "duration": 1,
               "effort": [{"unit": "dev", "skill": "code", "hours": 10}]}]
    sc = two_years(b={"duration": None, "effort": [], "phases": phases},
                   c={"depends_on": ["b.build"]})
    fut = future_scenario(as_of_state(sc, base, AS_OF))
    assert {i.id: i.depends_on for i in fut.initiatives}["c"] == []


def test_yearly_targets_past_or_met_are_dropped(base: Plan) -> None:
    # b (done) moved k by +2: 2027's target is past; 2028's 3 is still to reach
    def case(targets: dict[int, float]) -> Scenario:
        return two_years(kpis=[{"id": "k", "objective": "grow", "baseline": 0,
                                "targets": targets, "must_meet": True}],
                         b={"kpi_impacts": {"k": 2}}, c={"kpi_impacts": {"k": 1}})

    k = future_scenario(as_of_state(case({2027: 1, 2028: 3}), base, AS_OF)).strategy.kpis[0]
    assert (k.baseline, k.targets, k.must_meet) == (2, {2028: 3}, True)
    # 2028's 2 is met by what is done: nothing is left to meet
    k = future_scenario(as_of_state(case({2027: 1, 2028: 2}), base, AS_OF)).strategy.kpis[0]
    assert (k.baseline, k.targets, k.must_meet) == (2, {}, False)
