"""Robust plans: buffers calibrated by simulation, a valid plan of the real scenario.

One person gives 100 h a period for 6 periods; three initiatives of 2
periods and 200 h each (scores 3, 2, 1) fill the year exactly, so the
ordinary plan runs them back to back with no slack. With effort spread
triangular(0.9, 1, 1.4) almost every sample overruns (P(effort > 1) = 0.8
per initiative) and the last one cannot finish within the horizon: the
ordinary plan does not hold. The robust plan must leave room (here by
dropping the least valuable initiative), hold in at least 90% of fresh
samples, and pass the independent checker against the real scenario.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import scenario

from planner.analysis.plan_objective import objective_of
from planner.analysis.risk import assess
from planner.analysis.robust import inflated, robust_solve, to_real
from planner.checker import check_plan
from planner.io.export import write_plan
from planner.io.load import load_scenario
from planner.solving import Settings, solve

ROOT = Path(__file__).resolve().parents[2]


def packed() -> object:
    work = [("A", 1), ("B", 0.66), ("C", 0.33)]
    return scenario(
        horizon={"periods": 6, "period": "index", "hours_per_fte": 100},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"]}],
        initiatives=[{"id": i, "contributes": {"grow": s}, "duration": 2,
                      "effort": [{"unit": "a", "skill": "x", "hours": 200}]} for i, s in work],
        uncertainty={"effort": {"low": 0.9, "high": 1.4}},
    )


@pytest.fixture(scope="module")
def result():
    return robust_solve(packed(), 0.9, Settings(time_limit=20), samples=400, seed=0)


def test_ordinary_plan_does_not_hold_and_robust_plan_does(result):
    assert sorted(result.ordinary.selected) == ["A", "B", "C"]
    assert result.fresh_ordinary.metric("min_p_on_time") < 0.9
    assert result.holds
    assert result.fresh.metric("min_p_on_time") >= 0.9
    # and on samples neither the calibration nor the verdict used
    again = assess(result.plan, 2000, seed=12345)
    assert (again.initiatives["p_on_time"] >= 0.9).all(), again.initiatives


def test_robust_plan_is_a_valid_plan_of_the_real_scenario(result, tmp_path):
    folder = write_plan(result.plan, tmp_path / "robust")
    report = check_plan(packed(), folder)
    assert report.ok, report.to_text()
    assert result.plan.scenario == packed()  # the real scenario, not the inflated one
    # each line is staffed with exactly its real estimate (the buffer stays free)
    a = result.plan.assignments
    for iid in result.plan.selected:
        assert a[a["work"] == iid]["hours"].sum() == pytest.approx(200, abs=1e-3)


def test_cost_of_robustness_is_reported(result):
    cost = result.cost.set_index("metric")
    ordinary = sum(r.strategic_score for r in result.ordinary.initiatives if r.selected)
    robust = sum(r.strategic_score for r in result.plan.initiatives if r.selected)
    assert cost.loc["strategic_score", "ordinary"] == pytest.approx(ordinary)
    assert cost.loc["strategic_score", "robust"] == pytest.approx(robust)
    assert cost.loc["strategic_score", "difference"] == pytest.approx(robust - ordinary)
    assert robust < ordinary  # here robustness costs an initiative
    assert cost.loc["objective", "robust"] == pytest.approx(result.plan.run.objective)
    assert len(result.rounds) >= 2 and result.rounds["failing"].iloc[-1] == ""


def test_objective_of_a_plan_equals_the_solver_objective():
    plan = solve(packed(), Settings(time_limit=20))
    assert objective_of(plan) == pytest.approx(plan.run.objective, rel=1e-6, abs=1e-5)


@pytest.mark.parametrize("name", ["services_firm", "full_features"])
@pytest.mark.parametrize("strategy", ["greedy", "optimal"])
def test_objective_of_counts_every_term_of_the_formulation(name, strategy):
    # full_features has KPI targets (a must_meet one, value paths), development wishes,
    # borrowing, contractors and RTB of every priority: every term of the objective
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    plan = solve(sc, Settings(time_limit=20, strategy=strategy))
    assert objective_of(plan) == pytest.approx(plan.run.objective, rel=2e-6, abs=1e-5)


def test_to_real_scales_inflated_lines_back_to_the_estimate():
    sc = scenario(
        horizon={"periods": 6, "period": "index", "hours_per_fte": 100},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"]}],
        initiatives=[{"id": "A", "contributes": {"grow": 1}, "duration": 2,
                      "effort": [{"unit": "a", "skill": "x", "hours": 100}]}],
        uncertainty={"effort": {"low": 0.9, "high": 1.4}},
    )
    big = inflated(sc, {"A": 5}, {"A": 2}, 0.9)  # rung 5 = the spread's high: 1.4
    assert big.initiatives[0].effort[0].hours == pytest.approx(140)
    assert big.initiatives[0].deadline == "4"
    inflated_plan = solve(big, Settings(time_limit=20))
    a = inflated_plan.assignments
    assert a[a["work"] == "A"]["hours"].sum() == pytest.approx(140)
    plan = to_real(inflated_plan, sc)
    a = plan.assignments
    per = a[a["work"] == "A"].groupby("period")["hours"].sum()
    assert list(per.round(4)) == [50, 50]
    assert plan.initiative("A").labour_hours == pytest.approx(100)
    assert plan.run.objective == pytest.approx(objective_of(plan))


def test_services_firm_robust_plan_holds_on_fresh_samples():
    # the example of the README: its uncertainty section documents each field
    sc = load_scenario(ROOT / "scenarios" / "services_firm.yaml")
    result = robust_solve(sc, 0.9, Settings(time_limit=30), samples=500, seed=0)
    assert result.holds
    fresh = result.fresh.initiatives
    assert set(fresh["initiative"]) == set(result.plan.selected)
    assert (fresh["p_on_time"] >= 0.9).all(), fresh
    # the ordinary plan's odds are reported on the same samples (here one is below 0.9)
    assert result.fresh_ordinary.metric("min_p_on_time") < 0.9
    cost = result.cost.set_index("metric")
    ordinary = sum(r.strategic_score for r in result.ordinary.initiatives if r.selected)
    robust = sum(r.strategic_score for r in result.plan.initiatives if r.selected)
    assert cost.loc["strategic_score", "difference"] == pytest.approx(robust - ordinary)
    assert robust < ordinary
