"""The MIP in a child process beside the search: same answers, plans shared, stops on request."""

from __future__ import annotations

import time

import numpy as np
import pytest
from support import solve_checked

import planner.backends.process as portfolio
import planner.solving.paths as solve_module
from benchmarks.generate import generate
from models.scenario import Scenario
from planner.backends import highs
from planner.backends.base import SolverOptions
from planner.formulation.model import LinearModel, ModelArrays


def _knapsack() -> ModelArrays:
    # max 8a + 5b + 5c  s.t.  32a + 20b + 20c <= 40: the optimum is b + c = 10 (a alone: 8)
    m = LinearModel()
    cols = [m.add_var(n, 0, 1, obj=o, integer=True) for n, o in (("a", 8), ("b", 5), ("c", 5))]
    m.add_row("cap", cols, [32.0, 20.0, 20.0], hi=40.0)
    return m.arrays()


def _generated_s() -> ModelArrays:
    from planner.formulation.build import build
    from planner.problem.data import compile_problem

    sc = Scenario.model_validate(generate("S", seed=0))
    return build(compile_problem(sc)).model.arrays()


def test_child_solves_like_the_backend_in_process():
    arrays = _knapsack()
    with portfolio.SolverProcess(arrays, SolverOptions(time_limit=30)) as child:
        res = child.result(timeout=60)
    assert res is not None, child.error
    assert res.status == "optimal"
    assert res.objective == pytest.approx(10.0)
    assert list(np.round(res.x)) == [0.0, 1.0, 1.0]


def test_child_lp_relaxation_is_the_fractional_knapsack():
    # every item is worth 0.25 per hour, so the LP fills the 40 h: 10 (here = the MIP's)
    arrays = _knapsack()
    with portfolio.SolverProcess(arrays, SolverOptions(time_limit=30), mode="lp") as child:
        res = child.result(timeout=60)
    assert res is not None and res.objective == pytest.approx(10.0)


def test_lp_then_mip_sends_the_lp_bound_first():
    arrays = _knapsack()
    with portfolio.SolverProcess(arrays, SolverOptions(time_limit=30), mode="lp+mip") as child:
        res = child.result(timeout=60)
    assert res is not None, child.error
    assert child.lp_bound == pytest.approx(10.0)
    assert res.status == "optimal" and res.objective == pytest.approx(10.0)


def test_lp_then_mip_without_time_for_the_mip_still_gives_the_bound():
    arrays = _knapsack()
    with portfolio.SolverProcess(arrays, SolverOptions(time_limit=0.5), mode="lp+mip") as child:
        res = child.result(timeout=60)
    assert res is not None, child.error
    assert child.lp_bound == pytest.approx(10.0)
    assert res.x is None and res.bound == pytest.approx(10.0)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        portfolio.SolverProcess(_knapsack(), SolverOptions(), mode="quantum")


def test_improving_plans_are_reported_and_feasible():
    arrays = _knapsack()
    seen: list[tuple[np.ndarray, float]] = []
    res = highs.solve(
        arrays, SolverOptions(time_limit=30), improved=lambda x, o: seen.append((x, o))
    )
    assert res.objective == pytest.approx(10.0)
    assert seen, "HiGHS reported no improving plan"
    for x, obj in seen:
        assert float(arrays.obj @ x) == pytest.approx(obj)
        assert float((arrays.matrix @ x)[0]) <= 40.0 + 1e-6
    assert max(o for _x, o in seen) == pytest.approx(10.0)


def test_an_offered_plan_is_taken_by_the_mip():
    # offered the optimum, the MIP must end with it (it can only be as good or better)
    arrays = _knapsack()
    best = np.array([0.0, 1.0, 1.0])
    asked = []

    def incoming():
        asked.append(1)
        return best

    res = highs.solve(arrays, SolverOptions(time_limit=30, warm_start=np.array([1.0, 0.0, 0.0])),
                      incoming=incoming)
    assert res.objective == pytest.approx(10.0)


def test_stop_returns_the_best_plan_promptly():
    arrays = _generated_s()
    with portfolio.SolverProcess(arrays, SolverOptions(time_limit=3600)) as child:
        deadline = time.monotonic() + 60
        while child.incumbent() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert child.incumbent() is not None, child.error
        t0 = time.monotonic()
        child.stop()
        res = child.result(timeout=30)
        assert time.monotonic() - t0 < 10
    assert res is not None and res.x is not None
    assert res.status in ("feasible", "optimal")
    assert res.objective >= child.incumbent()[1] - 1e-9
    assert res.bound is not None and res.bound >= res.objective - 1e-9


def test_child_stops_when_its_parent_goes_away():
    # the parent's end of the child's input closes (as when the parent dies): the child
    # stops at once instead of solving on for an hour
    arrays = _generated_s()
    child = portfolio.SolverProcess(arrays, SolverOptions(time_limit=3600))
    try:
        deadline = time.monotonic() + 60
        while child.progress is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert child.progress is not None, child.error
        child._send.close()  # noqa: SLF001 - what the parent's death does to the pipe
        child._proc.wait(timeout=30)  # noqa: SLF001
    finally:
        child.close()


def test_closing_ends_the_child():
    arrays = _generated_s()
    child = portfolio.SolverProcess(arrays, SolverOptions(time_limit=3600))
    time.sleep(1.0)
    child.close()
    assert child._proc.poll() is not None  # noqa: SLF001 - the process itself is the point
    assert child.done()


def test_solve_runs_search_and_mip_side_by_side(monkeypatch):
    monkeypatch.setattr(solve_module, "LNS_MIN_BINARIES", 1)
    started = []
    real = portfolio.SolverProcess

    def spy(*args, **kwargs):
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(portfolio, "SolverProcess", spy)
    monkeypatch.setattr(portfolio, "cores", lambda: 2)
    sc = Scenario.model_validate(generate("S", seed=2))
    # the limit covers allocation, reasons and writing too: 12 s leave the MIP its bound
    plan = solve_checked(sc, time_limit=12)
    assert started == [1]
    run = plan.run
    assert run.bound is not None and run.bound >= run.objective - 1e-9
    assert run.greedy_objective is not None and run.objective >= run.greedy_objective - 1e-9
    assert "improve" in run.timings


def test_one_thread_keeps_everything_in_process(monkeypatch):
    monkeypatch.setattr(solve_module, "LNS_MIN_BINARIES", 1)

    def refuse(*args, **kwargs):
        raise AssertionError("no child process with threads: 1")

    monkeypatch.setattr(portfolio, "SolverProcess", refuse)
    sc = Scenario.model_validate(generate("S", seed=2))
    plan = solve_checked(sc, time_limit=6, threads=1)
    assert plan.run.objective >= plan.run.greedy_objective - 1e-9


def test_a_failing_child_falls_back_to_the_search_plan(monkeypatch):
    monkeypatch.setattr(solve_module, "LNS_MIN_BINARIES", 1)
    monkeypatch.setattr(portfolio, "cores", lambda: 2)
    real = portfolio.SolverProcess

    def broken(arrays, opts, mode="mip"):
        child = real(arrays, opts, mode)
        child._proc.kill()  # noqa: SLF001 - simulate a crash of the solver process
        return child

    monkeypatch.setattr(portfolio, "SolverProcess", broken)
    sc = Scenario.model_validate(generate("S", seed=2))
    plan = solve_checked(sc, time_limit=5)
    run = plan.run
    assert run.status == "feasible"
    assert run.objective >= run.greedy_objective - 1e-9
    assert "failed" in run.message


def test_cli_threads_1_keeps_one_process(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from benchmarks.generate import write
    from planner.cli import main

    monkeypatch.setattr(solve_module, "LNS_MIN_BINARIES", 1)
    monkeypatch.setattr(portfolio, "cores", lambda: 2)

    def refuse(*args, **kwargs):
        raise AssertionError("no child process with --threads 1")

    monkeypatch.setattr(portfolio, "SolverProcess", refuse)
    write(generate("S", seed=2), tmp_path / "s")
    res = CliRunner().invoke(main, ["solve", str(tmp_path / "s" / "scenario.yaml"), "--out",
                                    str(tmp_path / "plan"), "--threads", "1",
                                    "--time-limit", "5", "--quiet"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "plan" / "plan.json").exists()


def _abc():
    # one period, 40 h: a (0.8, 32 h) or b + c (0.49 + 0.49, 20 h each): b + c is optimal
    from support import scenario

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


def _large_path(monkeypatch) -> None:
    monkeypatch.setattr(solve_module, "LARGE_COLUMNS", 1)
    monkeypatch.setattr(solve_module, "LNS_MIN_BINARIES", 1)
    monkeypatch.setattr(portfolio, "cores", lambda: 2)


def test_large_path_with_lp_then_mip_beside_reports_a_proof(monkeypatch):
    _large_path(monkeypatch)
    plan = solve_checked(_abc(), time_limit=20)
    run = plan.run
    assert "bound from the LP relaxation and the MIP's cuts" in run.message
    assert run.status == "optimal"
    assert run.bound == pytest.approx(run.objective)
    assert sorted(i.id for i in plan.initiatives if i.selected) == ["b", "c"]


def test_large_path_never_takes_the_lp_fractional_point(monkeypatch):
    # the LP relaxation of generated S is worth about 20% more than any plan; a child
    # that hands back its LP point must give only the bound
    _large_path(monkeypatch)
    real = portfolio.SolverProcess

    def lp_only(arrays, opts, mode="mip"):
        return real(arrays, opts, "lp")

    monkeypatch.setattr(portfolio, "SolverProcess", lp_only)
    sc = Scenario.model_validate(generate("S", seed=2))
    plan = solve_checked(sc, time_limit=8)
    run = plan.run
    assert run.status == "feasible"
    assert run.bound is not None and run.bound > 1.05 * run.objective
    assert run.objective >= run.greedy_objective - 1e-9
