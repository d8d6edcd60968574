"""The scenario of the periods left: the as-of rules as plain data for the usual solve."""

from __future__ import annotations

import pytest
from asof_cases import small, write_csv
from support import solve_checked

from models.scenario import Person, RTBLine
from planner.io.actuals import read_actuals
from planner.problem.asof import as_of_state
from planner.problem.data import compile_problem
from planner.problem.future import future_scenario


@pytest.fixture(scope="module")
def base():
    return solve_checked(small(), time_limit=10)


def test_future_of_the_small_year(base, tmp_path):
    sc = small(policy={"budget": 150}, c={"earliest_start": "2"})
    sc = sc.model_copy(update={
        "run_the_business": [RTBLine(unit="dev", skill="code", hours=[1, 2, 3, 4, 5, 6])],
        "staff": [*sc.staff[:1], Person(id="d1", unit="dev", skills={"code": 1},
                                        availability={"2": 0.5, "4": 0.5})]})
    path = write_csv(tmp_path / "a.csv", "person,unit,period,work,skill,hours\nd0,dev,1,a,code,15")
    st = as_of_state(sc, base, "3", read_actuals(path, sc, before="3"))
    fut = future_scenario(st)
    assert (fut.horizon.start, fut.horizon.periods) == ("3", 4)
    assert fut.run_the_business[0].hours == [3, 4, 5, 6]
    assert fut.staff[1].availability == {"4": 0.5}  # period 2 is past
    assert [i.id for i in fut.initiatives] == ["a", "c", "d"]  # b is done
    a, c, d = fut.initiatives
    # a: pinned in, starting now, for the one period left with 30 - 25 = 5 h, cost committed
    assert (a.pin, a.start, a.duration, a.cost, a.deadline) == ("in", "3", 1, 0.0, None)
    assert [(ln.unit, ln.skill, ln.hours) for ln in a.effort] == [("dev", "code", 5)]
    assert c.earliest_start is None and c.pin is None  # its earliest start has passed
    assert (d.pin, d.exclusive_with) == ("out", [])  # b, its rival, is done
    assert fut.policy.budget == 10  # 150 - (a 100 + b 40)
    # b's +2 is in k's baseline; the target 3 is still to reach
    k = fut.strategy.kpis[0]
    assert (k.baseline, k.target) == (2, 3)
    data = compile_problem(fut)
    assert data.by_id["a"].starts == range(0, 1) and data.by_id["a"].forced
    assert not data.by_id["d"].selectable


def test_a_target_met_or_due_in_the_past_is_dropped(base):
    sc = small()
    sc.strategy.kpis[0].target = 2  # b's +2 meets it already
    assert future_scenario(as_of_state(sc, base, "3")).strategy.kpis[0].target is None
    sc = small()
    sc.strategy.kpis[0].by = "2"
    k = future_scenario(as_of_state(sc, base, "3")).strategy.kpis[0]
    assert (k.target, k.by, k.must_meet) == (None, None, False)


def test_a_stopped_initiative_is_pinned_out_and_its_dependants_closed(base):
    sc = small(a={"pin": "out"}, c={"depends_on": ["a"]})
    st = as_of_state(sc, base, "3")
    assert st.closed["c"] == "its prerequisite a is stopped"
    fut = future_scenario(st)
    by = {i.id: i for i in fut.initiatives}
    assert by["a"].pin == "out" and by["a"].effort == []
    assert by["c"].pin == "out"
    assert fut.policy.budget is None
