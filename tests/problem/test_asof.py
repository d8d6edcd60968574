"""The state as of a period: frozen past, statuses, remaining effort, money, conflicts.

The small year of :mod:`asof_cases` (baseline: a 1-3, b 1-2, c 3-4, d left out),
re-planned as of period 3; every figure below is worked by hand in the comments.
"""

from __future__ import annotations

import pytest
from asof_cases import small, write_csv
from support import solve_checked

from planner.io.actuals import ActualsError, read_actuals, read_progress
from planner.problem.asof import AsOfError, as_of_state

OVERRUN = """
    person,unit,period,work,skill,hours
    d0,dev,1,a,code,15
"""


@pytest.fixture(scope="module")
def base():
    plan = solve_checked(small(), time_limit=10)
    assert {r.id: r.start for r in plan.initiatives} == {"a": "1", "b": "1", "c": "3", "d": None}
    return plan


def rows(frame):
    return sorted(map(tuple, frame[["person", "period", "work", "hours", "source"]].values))


def test_without_actuals_the_past_is_the_baseline(base):
    st = as_of_state(small(), base, "3")
    assert rows(st.past) == [("d0", "1", "a", 10.0, "baseline"), ("d0", "2", "a", 10.0, "baseline"),
                             ("d1", "1", "b", 10.0, "baseline"), ("d1", "2", "b", 10.0, "baseline")]
    assert st.done == {"b": (0, 1)}
    assert list(st.in_flight) == ["a"]
    f = st.in_flight["a"]
    # 30 h, 20 delivered in periods 1-2: 10 left for period 3, as planned
    assert (f.start, f.planned_finish, f.finish) == ("1", "3", "3")
    ln = f.lines[0]
    assert (ln.total, ln.delivered, ln.remaining, ln.per_period) == (30, 20, 10, 10)
    # d is exclusive with b, which is done: it can no longer be chosen
    assert st.closed == {"d": "mutually exclusive with b (started)"}
    assert st.committed == 140.0  # a 100 + b 40 (c has not started)
    assert st.exceptions == [] and st.conflicts == [] and st.hard == []


def test_actuals_replace_the_baseline_per_person_and_period(base, tmp_path):
    path = write_csv(tmp_path / "act.csv", OVERRUN + "d1,dev,2,b,code,0\n")
    sc = small()
    st = as_of_state(sc, base, "3", read_actuals(path, sc, before="3"))
    # d0 in 1 and d1 in 2 come from the actuals (d1 did no work: no row), the rest is the baseline
    assert rows(st.past) == [("d0", "1", "a", 15.0, "actuals"), ("d0", "2", "a", 10.0, "baseline"),
                             ("d1", "1", "b", 10.0, "baseline")]
    # a: 30 - (15 + 10) = 5 h left for its last period
    ln = st.in_flight["a"].lines[0]
    assert (ln.delivered, ln.remaining, ln.per_period) == (25, 5, 5)
    assert st.done == {"b": (0, 1)}  # finished by its dates, whatever was delivered
    # d0 worked 15 h, all on a, with a capacity of 10 h: reported, not refused
    assert [(e.rule, e.item, e.period, e.amount, e.source) for e in st.exceptions] == [
        ("capacity", "d0", "1", 5.0, "actuals"), ("change_share", "d0", "1", 5.0, "actuals")]


def test_progress_lengthens_at_the_planned_pace(base, tmp_path):
    path = write_csv(tmp_path / "p.csv", "initiative,unit,skill,remaining_hours\na,dev,code,25")
    sc = small()
    st = as_of_state(sc, base, "3", progress=read_progress(path, sc))
    f = st.in_flight["a"]
    # 25 h at a's planned 10 h a period: 3 periods from period 3, finish 5 (was 3)
    assert (f.finish, f.lines[0].remaining, f.lines[0].per_period) == ("5", 25, 8.3333)
    assert f.lines[0].from_progress
    assert st.conflicts == ["a now finishes in 5, after its deadline 4 (planned finish 3)"]
    assert st.hard == []  # a is not mandatory: the plan is written with the conflict


def test_a_mandatory_initiative_made_late_is_a_hard_conflict(base, tmp_path):
    path = write_csv(tmp_path / "p.csv", "initiative,unit,skill,remaining_hours\na,dev,code,25")
    sc = small(a={"mandatory": True})
    st = as_of_state(sc, base, "3", progress=read_progress(path, sc))
    assert len(st.hard) == 1 and st.hard[0].startswith("a now finishes in 5, after its deadline 4")


def test_pin_out_stops_a_started_initiative_with_what_it_cost(base):
    st = as_of_state(small(a={"pin": "out"}), base, "3")
    assert list(st.stopped) == ["a"] and not st.in_flight
    s = st.stopped["a"]
    # d0 worked 20 h on it at 100/h; 2 of its 3 periods elapsed: 100 x 2/3 of its cost sunk
    assert (s.start, s.hours, s.labour_cost, s.spend) == ("1", 20, 2000, 66.67)
    assert st.committed == 106.67  # b 40 + 66.67


def test_pin_out_on_a_finished_initiative_is_ignored(base):
    st = as_of_state(small(b={"pin": "out"}), base, "3")
    assert "b" in st.done and [w.field for w in st.warnings] == ["pin"]


def test_money_committed_beyond_the_budget_is_a_hard_conflict(base):
    st = as_of_state(small(policy={"budget": 130}), base, "3")
    assert st.hard == ["budget: 140.00 already spent or committed before 3 (a 100; b 40) "
                       "exceeds the budget 130.00; stop a started initiative with pin: out"]


def test_a_window_that_has_passed_closes_an_initiative(base):
    st = as_of_state(small(c={"deadline": "3"}), base, "3")
    assert st.closed["c"] == "it cannot finish by its deadline 3 starting in 3"
    st = as_of_state(small(c={"deadline": "3", "mandatory": True}), base, "3")
    assert st.hard == ["c (mandatory) can no longer be planned: it cannot finish by its "
                       "deadline 3 starting in 3"]


def test_bad_as_of_and_progress_on_an_unstarted_initiative(base, tmp_path):
    with pytest.raises(AsOfError, match="--as-of '7' is not a period of the horizon 1 .. 6"):
        as_of_state(small(), base, "7")
    path = write_csv(tmp_path / "p.csv", "initiative,unit,skill,remaining_hours\nc,dev,code,5")
    sc = small()
    with pytest.raises(ActualsError) as err:
        as_of_state(sc, base, "3", progress=read_progress(path, sc))
    assert err.value.issues[0].line == 2
    assert "'c' had not started before 3" in str(err.value)
