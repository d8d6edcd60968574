"""CBC through PuLP.

PuLP reports "Optimal" when CBC stops at its time limit with a solution, so
the status is taken from ``sol_status`` and CBC's own log, never from the
status alone. The model is minimised as ``-objective`` so that CBC's "lower
bound" is minus our upper bound, with no sign guesswork.
"""

from __future__ import annotations

import os
import re
import tempfile
import time

import numpy as np

from planner.backends import base
from planner.backends.base import BackendResult, ProgressFn, SolverOptions, solved
from planner.formulation.model import ModelArrays

NAME = "cbc"
SUPPORTS = base.supports()


def available() -> bool:
    """True when PuLP and its bundled CBC are there."""
    return base.importable("pulp") and bool(_cbc(msg=False).available())


def _cbc(**kwargs: object):
    """PuLP's bundled CBC (deprecated in PuLP 3.3 in favour of a separate package)."""
    import warnings

    import pulp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(**kwargs)


def solve(
    m: ModelArrays, opts: SolverOptions, progress: ProgressFn | None = None, relax: bool = False
) -> BackendResult:
    """Solve ``m`` (maximisation) with CBC; ``relax`` drops integrality."""
    import warnings

    with warnings.catch_warnings():
        # PuLP 3.3 deprecates building variables on their own; the 2.x API still works
        warnings.simplefilter("ignore", DeprecationWarning)
        return _solve(m, opts, relax)


def _solve(m: ModelArrays, opts: SolverOptions, relax: bool) -> BackendResult:
    import pulp

    prob = pulp.LpProblem("planner", pulp.LpMinimize)
    xs = [
        pulp.LpVariable(
            f"c{j}",
            lowBound=float(m.lb[j]),
            upBound=None if np.isinf(m.ub[j]) else float(m.ub[j]),
            cat=pulp.LpInteger if (m.integer[j] and not relax) else pulp.LpContinuous,
        )
        for j in range(m.num_cols)
    ]
    nz = np.flatnonzero(m.obj)
    prob += pulp.LpAffineExpression([(xs[j], -float(m.obj[j])) for j in nz])
    a = m.matrix
    for r in range(m.num_rows):
        lo, hi = float(m.row_lo[r]), float(m.row_hi[r])
        sl = slice(a.indptr[r], a.indptr[r + 1])
        expr = pulp.LpAffineExpression(
            [(xs[j], float(v)) for j, v in zip(a.indices[sl], a.data[sl], strict=True)]
        )
        if lo == hi:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{r}", lo)
            continue
        if np.isfinite(lo):
            prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{r}l", lo)
        if np.isfinite(hi):
            prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{r}u", hi)
    warm = opts.warm_start is not None and not relax
    if warm:
        # clip round-off (e.g. -1e-14) into the bounds: PuLP rejects values outside them
        start = np.clip(np.asarray(opts.warm_start, float), m.lb, m.ub)
        for j, x in enumerate(start):
            xs[j].setInitialValue(float(round(x)) if m.integer[j] else float(x))
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "cbc.log")
        solver = _cbc(
            msg=False,
            timeLimit=opts.time_limit,
            gapRel=opts.gap,
            threads=opts.threads,
            warmStart=warm,
            logPath=log,
            options=[f"randomSeed {opts.seed + 1}", f"randomCbcSeed {opts.seed + 1}"],
        )
        t0 = time.perf_counter()
        prob.solve(solver)
        seconds = time.perf_counter() - t0
        text = ""
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read()
    stats = {"seconds": seconds}
    if prob.status == pulp.LpStatusInfeasible or "infeasible" in text.lower().split("result")[-1]:
        return BackendResult("infeasible", message="CBC proved the model infeasible", stats=stats)
    has = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if not has:
        return BackendResult("no_solution", message="CBC found no solution", stats=stats)
    x = np.array([v.varValue or 0.0 for v in xs])
    obj = float(m.obj @ x + m.obj_offset)
    bound = _bound(text, obj)
    proved = prob.sol_status == pulp.LpSolutionOptimal and "Optimal solution found" in text
    if relax:
        bound, proved = obj, prob.status == pulp.LpStatusOptimal
    return solved(x, obj, bound, proved,
                  "CBC: " + ("optimal" if proved else "stopped with a solution"), stats)


def _bound(log: str, obj: float) -> float | None:
    """Best bound from CBC's log ("Lower bound" of the minimised -objective)."""
    found = re.findall(r"Lower bound:\s+(-?[\d.eE+-]+)", log)
    if found:
        return -float(found[-1]) if "Optimal solution found" not in log else obj
    return obj if "Optimal solution found" in log else None
