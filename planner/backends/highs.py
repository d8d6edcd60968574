"""HiGHS through highspy, fed the model's arrays directly (no per-expression building)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from planner.backends.base import (
    BackendResult,
    Progress,
    ProgressFn,
    SolverOptions,
    importable,
    relative_gap,
    solved,
    supports,
)
from planner.formulation.model import ModelArrays

NAME = "highs"
#: models with at least this many columns solve their (root) LP by interior point
IPM_COLUMNS = 40_000
SUPPORTS = supports(progress=True, interrupt=True, mip_child=True, lp_child=True)


def available() -> bool:
    """True when highspy imports."""
    return importable("highspy")


def solve(
    m: ModelArrays,
    opts: SolverOptions,
    progress: ProgressFn | None = None,
    relax: bool = False,
    incoming: Callable[[], np.ndarray | None] | None = None,
    improved: Callable[[np.ndarray, float], None] | None = None,
) -> BackendResult:
    """Solve ``m`` (maximisation) with HiGHS; ``relax`` drops integrality (LP bound).

    ``incoming`` is polled during the MIP search for a better plan found elsewhere (a
    full column vector, or None), which HiGHS then checks and adopts; ``improved`` is
    told every better plan HiGHS finds (:mod:`planner.backends.process` uses both to share
    plans with the neighbourhood search running beside it).
    """
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", int(opts.seed))
    h.setOptionValue("mip_rel_gap", float(opts.gap))
    h.setOptionValue("mip_abs_gap", 1e-9)
    if opts.time_limit is not None:
        h.setOptionValue("time_limit", float(opts.time_limit))
    # `threads` is not passed on: HiGHS sizes one thread pool per process at its first
    # run and then fails any run that asks for another size.

    is_mip = (not relax) and bool(m.integer.any())
    h.passModel(to_highs_lp(m, relax))
    if m.num_cols >= IPM_COLUMNS:
        # on large models the dual simplex stalls on the degenerate root LP for minutes;
        # the interior point method solves it in seconds, so a bound exists in time
        h.setOptionValue("mip_lp_solver" if is_mip else "solver", "ipm")
    if is_mip and opts.warm_start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(map(float, opts.warm_start))
        sol.value_valid = True
        h.setSolution(sol)

    t0 = time.perf_counter()
    if progress is not None and is_mip:
        last = [0.0]

        def on_event(e: object) -> None:
            now = time.perf_counter() - t0
            if now - last[0] < 0.5:
                return
            last[0] = now
            d = e.data_out  # type: ignore[attr-defined]
            inc = d.mip_primal_bound if abs(d.mip_primal_bound) < 1e29 else None
            bnd = d.mip_dual_bound if abs(d.mip_dual_bound) < 1e29 else None
            if progress(Progress(now, inc, bnd, relative_gap(inc, bnd))):
                e.data_in.user_interrupt = True  # type: ignore[attr-defined]

        h.cbMipInterrupt.subscribe(on_event)
    if is_mip and incoming is not None:

        def on_user_solution(e: object) -> None:
            x = incoming()
            if x is not None:
                e.data_in.setSolution(np.asarray(x, float))  # type: ignore[attr-defined]

        h.cbMipUserSolution.subscribe(on_user_solution)
    if is_mip and improved is not None:

        def on_improving(e: object) -> None:
            d = e.data_out  # type: ignore[attr-defined]
            improved(np.array(d.mip_solution, float), float(d.objective_function_value))

        h.cbMipImprovingSolution.subscribe(on_improving)

    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    stats = {"seconds": time.perf_counter() - t0}
    if status == S.kInterrupt:
        stats["interrupted"] = 1.0
    if status == S.kInfeasible:
        return BackendResult("infeasible", message="HiGHS proved the model infeasible", stats=stats)
    if status in (S.kUnbounded, S.kUnboundedOrInfeasible) and not is_mip:
        return BackendResult("infeasible", message="HiGHS: unbounded or infeasible", stats=stats)
    has = info.primal_solution_status == 2
    if not has:
        msg = f"HiGHS stopped ({h.modelStatusToString(status)}) without a solution"
        return BackendResult(
            "infeasible" if status == S.kUnboundedOrInfeasible else "no_solution",
            message=msg,
            stats=stats,
        )
    x = np.asarray(h.getSolution().col_value, float)
    obj = float(info.objective_function_value)
    if is_mip:
        bound = float(info.mip_dual_bound)
        proved = status == S.kOptimal
        stats["nodes"] = float(info.mip_node_count)
    else:
        bound, proved = obj, status == S.kOptimal
    return solved(x, obj, bound, proved, h.modelStatusToString(status), stats)


def to_highs_lp(
    m: ModelArrays,
    relax: bool = False,
    cost: np.ndarray | None = None,
    row_lo: np.ndarray | None = None,
    ub: np.ndarray | None = None,
):
    """The model as a ``highspy.HighsLp`` (maximisation); ``cost``/``row_lo``/``ub`` override."""
    import highspy

    inf = highspy.kHighsInf
    lo = m.row_lo if row_lo is None else row_lo
    up = m.ub if ub is None else ub
    lp = highspy.HighsLp()
    lp.num_col_ = m.num_cols
    lp.num_row_ = m.num_rows
    lp.col_cost_ = m.obj if cost is None else cost
    lp.col_lower_ = m.lb
    lp.col_upper_ = np.where(np.isinf(up), inf, up)
    lp.row_lower_ = np.where(np.isinf(lo), -inf, lo)
    lp.row_upper_ = np.where(np.isinf(m.row_hi), inf, m.row_hi)
    lp.offset_ = m.obj_offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = m.matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = m.matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = m.matrix.data
    lp.sense_ = highspy.ObjSense.kMaximize
    if not relax and m.integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in m.integer
        ]
    return lp
