"""The neighbourhood search improves a plan and never makes it worse."""

from __future__ import annotations

import numpy as np
from support import scenario

from benchmarks.generate import generate
from models.scenario import Scenario
from planner.formulation.build import build
from planner.problem.data import compile_problem
from planner.solving.greedy import run_greedy
from planner.solving.search import _feasible, improve


def _setup(sc: Scenario):
    data = compile_problem(sc)
    f = build(data)
    arrays = f.model.arrays()
    return data, f, arrays, run_greedy(data, f)


def test_search_beats_the_greedy_where_ranking_misleads():
    # one period, one unit, 40 h. Greedy ranks by score per hour: a (0.8 / 32 h = 0.025)
    # before b and c (0.49 / 20 h = 0.0245), takes a and has 8 h left.
    # The optimum is b + c (0.98 > 0.8).
    sc = scenario(
        horizon={"periods": 1, "period": "index", "hours_per_fte": 10},
        units=[{"id": "dev"}],
        staff=[{"id": f"d{k}", "unit": "dev", "skills": ["code"]} for k in range(4)],
        initiatives=[
            {"id": "a", "contributes": {"grow": 0.8},
             "effort": [{"unit": "dev", "skill": "code", "hours": 32}]},
            {"id": "b", "contributes": {"grow": 0.49},
             "effort": [{"unit": "dev", "skill": "code", "hours": 20}]},
            {"id": "c", "contributes": {"grow": 0.49},
             "effort": [{"unit": "dev", "skill": "code", "hours": 20}]},
        ],
    )
    data, f, arrays, greedy = _setup(sc)
    assert sorted(greedy.starts) == [0]  # a only
    found = improve(data, f, arrays, greedy.x, seconds=5.0)
    chosen = sorted(i for (i, _s), col in f.vars.x.items() if found.x[col] > 0.5)
    assert chosen == [1, 2]
    assert found.objective > greedy.objective
    assert _feasible(arrays, found.x)


def test_search_never_worse_feasible_and_deterministic():
    sc = Scenario.model_validate(generate("S", seed=3))
    data, f, arrays, greedy = _setup(sc)
    first = improve(data, f, arrays, greedy.x, seconds=3.0, seed=1)
    assert first.objective >= greedy.objective
    assert _feasible(arrays, first.x)
    assert np.all(np.isin(np.round(first.x[arrays.integer], 9), (0.0, 1.0)))


def test_large_model_path_gives_a_checked_plan_with_an_lp_bound(monkeypatch):
    # the large-model path (LP bound + search instead of the MIP) on a small instance
    from support import solve_checked

    import planner.solving.paths as solve_module

    monkeypatch.setattr(solve_module, "LARGE_COLUMNS", 1)
    monkeypatch.setattr(solve_module, "LNS_MIN_BINARIES", 1)
    sc = Scenario.model_validate(generate("S", seed=2))
    plan = solve_checked(sc, time_limit=8)
    run = plan.run
    assert run.status == "feasible"
    assert "bound from the" in run.message
    assert run.bound is not None and run.bound >= run.objective - 1e-9
    assert run.greedy_objective is not None and run.objective >= run.greedy_objective - 1e-9
