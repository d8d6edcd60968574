"""Baseline-stable re-planning (``solve --baseline``): keep what the earlier plan decided.

The cases use one or two developers with 10 h per period over 4 periods and
initiatives of 10 h in one period, so every plan is checked by hand.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support import hours, scenario, solve_checked

from planner.analysis.compare import baseline_changes, changed_assignments
from planner.cli import main
from planner.formulation.build import build
from planner.formulation.stability import average_weight
from planner.problem.data import compile_problem


def work(id: str, score: float, **kw: object) -> dict:
    return {"id": id, "contributes": {"grow": score}, "duration": 1,
            "effort": [{"unit": "dev", "skill": "code", "hours": 10}], **kw}


FOUR = [work("a", 1.0), work("b", 0.9), work("c", 0.8), work("d", 0.7)]


def team(staff: list[dict] | None = None, policy: dict | None = None, **kw: object) -> object:
    staff = staff or [{"id": "d0", "unit": "dev", "skills": ["code"]}]
    return scenario(units=[{"id": "dev"}], staff=staff, initiatives=FOUR,
                    policy=policy or {}, **kw)


LEAVE = [{"id": "d0", "unit": "dev", "skills": ["code"], "availability": {"2": 0}}]


def starts(plan) -> dict[str, str | None]:
    return {r.id: r.start for r in plan.initiatives}


@pytest.fixture(scope="module")
def before():
    """The year as planned: one initiative per period, best first (earliness reward)."""
    return solve_checked(team())


@pytest.fixture(scope="module")
def fresh():
    """Month three, d0 on leave in period 2, solved from scratch."""
    return solve_checked(team(LEAVE))


def test_replan_after_leave_moves_strictly_less_than_a_fresh_solve(before, fresh):
    assert starts(before) == {"a": "1", "b": "2", "c": "3", "d": "4"}
    # month three: d0 is on leave in period 2, so b cannot stay where it is;
    # a fresh solve drops d (the weakest) and shifts b and c one period later
    assert starts(fresh) == {"a": "1", "b": "3", "c": "4", "d": None}
    stable = solve_checked(team(LEAVE), previous=before)
    # W = average weight 0.85. Dropping b costs 0.9 + (1 + 0.5) W = 2.175; shifting b and c
    # and dropping d costs 0.7 + 1.5 W + 2 x 0.5 W = 2.825 (earliness aside): b goes
    assert starts(stable) == {"a": "1", "b": None, "c": "3", "d": "4"}

    moved = baseline_changes(before, stable)
    assert moved[["initiative", "change"]].values.tolist() == [["b", "dropped"]]
    assert "capacity" in moved["reason"].iloc[0]
    fresh_moves = baseline_changes(before, fresh)
    assert sorted(fresh_moves["change"]) == ["dropped", "moved", "moved"]
    assert len(moved) < len(fresh_moves)
    # assignments: the stable plan only loses b's 10 h in period 2; the fresh one also
    # moves b, c and d's hours (rows: b@2, b@3, c@3, c@4, d@4 differ)
    assert changed_assignments(before, stable) == 1
    assert changed_assignments(before, fresh) == 5
    assert changed_assignments(before, stable) < changed_assignments(before, fresh)


def test_objective_is_the_plan_minus_the_cost_of_changes(before):
    same = solve_checked(team(), previous=before)
    # nothing changed: the bonuses and the offset cancel, the objective is unchanged
    assert starts(same) == starts(before)
    assert abs(same.run.objective - before.run.objective) < 1e-6
    assert changed_assignments(before, same) == 0


def test_zero_weights_give_the_fresh_plan(before, fresh):
    off = {"stability": {"keep_initiative": 0, "keep_start": 0, "keep_hours": 0}}
    plan = solve_checked(team(LEAVE, policy=off), previous=before)
    assert starts(plan) == starts(fresh)


def test_a_new_initiative_does_not_displace_the_kept_ones(before):
    # a new initiative e (0.95) would take period 2 in a fresh solve and push b, c, d on;
    # with the baseline every kept initiative is worth W = 0.87 more, so e stays out
    grown = scenario(units=[{"id": "dev"}],
                     staff=[{"id": "d0", "unit": "dev", "skills": ["code"]}],
                     initiatives=FOUR + [work("e", 0.95)])
    fresh = solve_checked(grown)
    assert starts(fresh) == {"a": "1", "b": "3", "c": "4", "d": None, "e": "2"}
    stable = solve_checked(grown, previous=before)
    assert starts(stable) == {"a": "1", "b": "2", "c": "3", "d": "4", "e": None}
    assert baseline_changes(before, stable).empty


def test_people_keep_their_work_within_a_group_of_identical_people():
    two = [{"id": "d0", "unit": "dev", "skills": ["code"]},
           {"id": "d1", "unit": "dev", "skills": ["code"]}]
    sc = scenario(units=[{"id": "dev"}], staff=two, initiatives=[work("a", 1.0)])
    fresh = solve_checked(sc)
    assert hours(fresh, person="d0", work="a") == 10  # the split fills d0 first
    # an earlier plan in which d1 did the work (e.g. edited by hand, or d0 was new)
    earlier = fresh.model_copy(deep=True)
    earlier.assignments = earlier.assignments.assign(person="d1")
    stable = solve_checked(sc, previous=earlier)
    assert hours(stable, person="d1", work="a") == 10
    assert hours(stable, person="d0") == 0
    assert changed_assignments(earlier, stable) == 0
    assert changed_assignments(earlier, fresh) == 2


def test_hours_deviation_family_is_linear_and_named(before):
    data = compile_problem(team())
    f = build(data, previous=before)
    names = [n for n in f.model.row_names if n.startswith("keep[")]
    # one up and one down row per cohort cell with baseline hours: c in periods 1..4
    assert len(names) == 8
    assert "keep[c,g0000,code,1,up]" in names
    assert abs(average_weight(data) - 0.85) < 1e-12
    assert abs(f.model.obj_offset - (-4 * 1.5 * 0.85)) < 1e-12


def test_cli_baseline_lists_changes_and_writes_changes_csv(tmp_path):
    text = """\
name: year
horizon: {periods: 4, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
"""
    for iid, score in (("a", 1.0), ("b", 0.9), ("c", 0.8), ("d", 0.7)):
        text += (f"  - {{id: {iid}, contributes: {{grow: {score}}}, duration: 1, "
                 "effort: [{unit: dev, skill: code, hours: 10}]}\n")
    path = tmp_path / "year.yaml"
    path.write_text(text)
    runner = CliRunner()
    first = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "jan")])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, [
        "solve", str(path), "--out", str(tmp_path / "mar"), "--baseline", str(tmp_path / "jan"),
        "--set", "initiatives.c.earliest_start=4", "--set", "policy.stability.keep_hours=0.02",
    ])
    assert again.exit_code == 0, again.output
    # c may no longer start in 3: it moves to 4, and d (in 4 before) moves to the free 3
    assert "Changes against the baseline" in again.output
    assert "outside its allowed starts 4 .. 4" in again.output
    changes = (tmp_path / "mar" / "changes.csv").read_text().splitlines()
    assert changes[0] == (
        "initiative,name,change,review_status,base_start,start,shift,reason")
    assert changes[1].startswith("c,c,moved,proposed,3,4,1,")
    assert changes[2] == "d,d,moved,proposed,4,3,-1,re-scheduled to make room for other work"
    plan = json.loads((tmp_path / "mar" / "plan.json").read_text())
    assert plan["overrides"][-1] == "policy.stability.keep_hours=0.02"
    check = runner.invoke(main, ["check", str(path), str(tmp_path / "mar")])
    assert check.exit_code == 0, check.output
