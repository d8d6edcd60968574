"""SCIP through OR-Tools' model_builder.

The model travels as MPS text written by HiGHS from the same arrays, so the
formulation is still written once.
"""

from __future__ import annotations

import time

import numpy as np

from planner.backends import base
from planner.backends.base import BackendResult, ProgressFn, SolverOptions, solved
from planner.backends.mps import to_mps
from planner.formulation.model import ModelArrays

NAME = "scip"
SUPPORTS = base.supports(lp=False)


def available() -> bool:
    """True when OR-Tools ships SCIP."""
    if not base.importable("ortools.linear_solver.python.model_builder"):
        return False
    from ortools.linear_solver.python import model_builder as mb

    return bool(mb.Solver("scip").solver_is_supported())


def solve(
    m: ModelArrays, opts: SolverOptions, progress: ProgressFn | None = None, relax: bool = False
) -> BackendResult:
    """Solve ``m`` (maximisation) with SCIP."""
    from ortools.linear_solver.python import model_builder as mb

    model = mb.Model()
    model.import_from_mps_string(to_mps(m, relax))
    n = model.num_variables
    xs = [model.var_from_index(j) for j in range(n)]
    if opts.warm_start is not None:
        for j in np.flatnonzero(m.integer):
            model.add_hint(xs[j], float(round(opts.warm_start[j])))
    solver = mb.Solver("scip")
    solver.enable_output(False)
    if opts.time_limit is not None:
        solver.set_time_limit_in_seconds(float(opts.time_limit))
    params = [f"limits/gap = {opts.gap}", f"randomization/randomseedshift = {opts.seed}"]
    if opts.threads:
        params.append("parallel/maxnthreads = 1")
    solver.set_solver_specific_parameters("\n".join(params))
    t0 = time.perf_counter()
    status = solver.solve(model)
    stats = {"seconds": time.perf_counter() - t0}
    S = mb.SolveStatus
    if status == S.INFEASIBLE:
        return BackendResult("infeasible", message="SCIP proved the model infeasible", stats=stats)
    if status not in (S.OPTIMAL, S.FEASIBLE):
        return BackendResult("no_solution", message=f"SCIP: {status.name}", stats=stats)
    x = np.array([solver.value(v) for v in xs])
    obj = float(m.obj @ x + m.obj_offset)
    bound = float(solver.best_objective_bound)
    return solved(x, obj, bound, status == S.OPTIMAL, f"SCIP: {status.name.lower()}", stats)
