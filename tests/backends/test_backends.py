"""Every installed backend passes the same small suite (as linopy tests its solvers).

The models are tiny and solved by hand:

- *knapsack*: 40 h of one skill in one period; ``a`` (0.8, 32 h) or ``b`` + ``c``
  (0.49 + 0.49, 20 h each): the optimum is ``b`` + ``c`` = 0.98, and the LP
  relaxation (without the model's cuts) would be worth more;
- *infeasible*: a mandatory initiative needs more hours than there are.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import scenario, solve_checked

from planner import backends
from planner.backends.base import SolverOptions
from planner.backends.mps import to_mps
from planner.formulation.build import build
from planner.formulation.model import LinearModel
from planner.problem.data import compile_problem

INSTALLED = backends.installed()


def _knapsack():
    return scenario(
        horizon={"periods": 1, "period": "index", "hours_per_fte": 10},
        units=[{"id": "dev"}],
        staff=[{"id": f"d{k}", "unit": "dev", "skills": ["code"]} for k in range(4)],
        initiatives=[
            {"id": n, "contributes": {"grow": w},
             "effort": [{"unit": "dev", "skill": "code", "hours": h}]}
            for n, w, h in (("a", 0.8, 32), ("b", 0.49, 20), ("c", 0.49, 20))
        ],
    )


def _arrays(sc):
    return build(compile_problem(sc)).model.arrays()


def test_the_default_and_the_search_backend_are_installed():
    assert backends.DEFAULT in INSTALLED and backends.SEARCH in INSTALLED


def test_unknown_backend_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown solver backend 'gurobi'"):
        backends.get("gurobi")


@pytest.mark.parametrize("name", INSTALLED)
def test_every_backend_declares_its_capabilities(name):
    mod = backends.get(name)
    assert mod.NAME == name
    assert set(mod.SUPPORTS) == {"warm_start", "progress", "interrupt", "lp", "mip_child",
                                 "lp_child"}


@pytest.mark.parametrize("name", INSTALLED)
def test_knapsack_optimum_is_proved(name):
    res = backends.get(name).solve(_arrays(_knapsack()), SolverOptions(time_limit=30))
    assert res.status == "optimal"
    assert res.objective == pytest.approx(0.98, abs=1e-5)
    assert res.bound == pytest.approx(res.objective, abs=1e-5)


@pytest.mark.parametrize("name", INSTALLED)
def test_warm_start_is_a_floor(name):
    a = _arrays(_knapsack())
    # start from "a alone" (0.8): a backend may only improve on it
    from planner.solving.greedy import run_greedy

    data = compile_problem(_knapsack())
    f = build(data)
    start = run_greedy(data, f).x
    res = backends.get(name).solve(a, SolverOptions(time_limit=30, warm_start=start))
    assert res.objective is not None and res.objective >= float(a.obj @ start) - 1e-9


@pytest.mark.parametrize("name", INSTALLED)
def test_infeasible_model_is_reported_as_such(name):
    sc = scenario(
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"]}],
        initiatives=[{"id": "big", "mandatory": True, "contributes": {"grow": 1},
                      "effort": [{"unit": "a", "skill": "x", "hours": 10_000}]}],
    )
    res = backends.get(name).solve(_arrays(sc), SolverOptions(time_limit=30))
    assert res.status == "infeasible" and res.x is None


@pytest.mark.parametrize("name", [n for n in INSTALLED if backends.get(n).SUPPORTS["lp"]])
def test_lp_relaxation_bounds_the_optimum(name):
    res = backends.get(name).solve(_arrays(_knapsack()), SolverOptions(time_limit=30),
                                   relax=True)
    assert res.objective is not None and res.objective >= 0.98 - 1e-6


@pytest.mark.parametrize("name", INSTALLED)
def test_whole_solve_through_each_backend_gives_a_checked_plan(name):
    plan = solve_checked(_knapsack(), backend=name, time_limit=30)
    assert sorted(plan.selected) == ["b", "c"]
    assert plan.run.backend == name and plan.run.status == "optimal"


def test_mps_text_of_a_small_model_by_hand():
    m = LinearModel()
    x = m.add_var("x", 0, 1, obj=2.0, integer=True)
    y = m.add_var("y", 0, float("inf"), obj=-1.0)
    m.add_row("r", [x, y], [1.0, 3.0], 1.0, 4.0)  # 1 <= x + 3y <= 4: a G row with a range
    m.add_row("free", [x], [1.0])  # constrains nothing: left out
    m.obj_offset = 5.0
    text = to_mps(m.arrays())
    lines = text.splitlines()
    assert lines[:5] == ["NAME planner", "OBJSENSE", "    MAX", "ROWS", " N obj"]
    assert " G R0" in lines and not any("R1" in ln for ln in lines)
    assert "    MARKER 'MARKER' 'INTORG'" in lines and "    C0 R0 1.0" in lines
    assert "    RHS obj -5.0" in lines and "    RHS R0 1.0" in lines
    assert "    RNG R0 3.0" in lines
    assert " UP BND C0 1.0" in lines and " PL BND C1" in lines


@pytest.mark.skipif("scip" not in INSTALLED, reason="OR-Tools without SCIP")
def test_scip_reads_our_mps_and_agrees_with_highs():
    a = _arrays(_knapsack())
    scip = backends.get("scip").solve(a, SolverOptions(time_limit=30))
    highs = backends.get("highs").solve(a, SolverOptions(time_limit=30))
    assert scip.objective == pytest.approx(highs.objective, abs=1e-6)
    assert np.allclose(np.round(scip.x[a.integer]), np.round(highs.x[a.integer]))
