"""Risk of a plan re-planned as of a period: the past happened, the rest is sampled.

One person gives 100 h a period, at most 60 of them to change, for 4 periods.
``i`` (4 periods, 200 h, deadline 4) runs 50 h a period from period 1; ``a``
(10 h of another person's skill, pinned to period 1) is done before the as-of
period 3. With effort
triangular(0.8, 1, 1.5):

* the plan as made: ``i`` is on time iff 200e <= 4 x 60 (it catches up), e <= 1.2:
  P = 1 - 0.3^2 / (0.7 x 0.5) = 0.742857;
* re-planned as of 3 from the baseline: 100 h are left for periods 3-4; on time
  iff 100e <= 2 x 60: the same P. The effort spread applies to what is left;
* re-planned as of 3 with progress.csv saying 60 h are left: 60e <= 90 < 120
  always: P = 1. ``a`` is done: on time with certainty, not simulated.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from support import scenario, solve_checked

import planner
from planner.analysis.risk import assess

P = 1 - 0.3**2 / (0.7 * 0.5)
N = 3000


def tol(p: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n) + 1e-9


@pytest.fixture(scope="module")
def firm():
    return scenario(
        horizon={"periods": 4, "period": "index", "hours_per_fte": 100},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"], "max_change_share": 0.6},
               {"id": "q", "unit": "a", "skills": ["y"]}],
        initiatives=[
            {"id": "a", "contributes": {"grow": 0.5}, "duration": 1, "start": "1",
             "effort": [{"unit": "a", "skill": "y", "hours": 10}]},
            {"id": "i", "contributes": {"grow": 1}, "duration": 4, "deadline": "4",
             "effort": [{"unit": "a", "skill": "x", "hours": 200}]}],
        uncertainty={"effort": {"low": 0.8, "high": 1.5}},
    )


@pytest.fixture(scope="module")
def baseline(firm):
    plan = solve_checked(firm, time_limit=20)
    assert sorted(plan.selected) == ["a", "i"] and plan.initiative("i").start == "1"
    return plan


def replan(firm, baseline, tmp: Path, progress: str | None = None):
    path = None
    if progress is not None:
        path = tmp / "progress.csv"
        path.write_text(progress, encoding="utf-8")
    result = planner.solve(firm, baseline=baseline, as_of="3", remaining=path, time_limit=20)
    assert result.plan is not None and result.plan.replan is not None
    return result.plan


def test_the_plan_as_made(baseline):
    row = assess(baseline, N, seed=1).initiatives.set_index("initiative").loc["i"]
    assert abs(row["p_on_time"] - P) < tol(P, N)
    assert row["progress"] == "planned"


def test_replanned_from_the_baseline_samples_what_is_left(firm, baseline, tmp_path):
    plan = replan(firm, baseline, tmp_path)
    r = assess(plan, N, seed=1)
    rows = r.initiatives.set_index("initiative")
    assert rows.loc["a", "progress"] == "done" and rows.loc["a", "p_on_time"] == 1.0
    assert rows.loc["a", "p_duration_slip"] == 0.0
    assert rows.loc["i", "progress"] == "in flight"
    assert rows.loc["i", "planned_start"] == "1"
    assert abs(rows.loc["i", "p_on_time"] - P) < tol(P, N)
    assert r.metric("as_of") == "3"


def test_progress_moves_the_odds(firm, baseline, tmp_path):
    plan = replan(firm, baseline, tmp_path,
                  "initiative,unit,skill,remaining_hours\ni,a,x,60\n")
    r = assess(plan, N, seed=1)
    assert r.initiatives.set_index("initiative").loc["i", "p_on_time"] == 1.0
    assert r.metric("p_plan_holds") == 1.0
