"""Temporary solve path ``strategy="cpsat"``: the CP-SAT schedule search alone (issue 19).

Phase 1 of issue 19 measures the engine end to end (``planner solve --strategy
cpsat``: plans go through allocation, the views and ``planner check`` like any
other). Phase 2 replaces this path by one that picks the engine by the model's
shape and runs it beside HiGHS.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from models.plan import Plan, RunInfo
from planner.allocate import read_solution
from planner.backends.base import PROVEN_GAP, Progress
from planner.data import ProblemData
from planner.errors import InfeasibleError, SolveError
from planner.formulation.build import build

if TYPE_CHECKING:
    from planner.solve import Settings

#: the diagnosis of a proved infeasibility gets at least this many seconds
MIN_DIAGNOSIS = 2.0


def solve_cpsat(data: ProblemData, st: Settings, timings: dict[str, float], t0: float) -> Plan:
    """Plan ``data`` with :func:`planner.backends.cpsat.cpsat_schedule` for ``st.time_limit``.

    Raises
    ------
    InfeasibleError
        When CP-SAT (or the staffing LP) proves that no plan exists; with a diagnosis.
    SolveError
        When the time limit ends without a plan or a proof.
    """
    from planner.backends.cpsat import cpsat_schedule
    from planner.solve import DEFAULT_TIME_LIMIT, _model_size, _plan

    limit = st.time_limit or DEFAULT_TIME_LIMIT
    t1 = time.perf_counter()
    f = build(data, baseline=st.baseline)
    arrays = f.model.arrays()
    timings["build"] = time.perf_counter() - t1
    best: list[float | None] = [None]
    stopped = [False]

    def on_plan(_starts: dict[int, int], _x: object, objective: float) -> None:
        best[0] = objective

    def stop() -> bool:
        if st.progress is not None and st.progress(
            Progress(time.perf_counter() - t1, best[0], None, None)
        ):
            stopped[0] = True
        return stopped[0]

    t2 = time.perf_counter()
    res = cpsat_schedule(
        data, max(limit - (t2 - t0), 0.1), workers=st.threads or 2, stop=stop,
        formulation=f, arrays=arrays, on_plan=on_plan, seed=st.seed or 0,
        gap=st.gap if st.gap is not None else PROVEN_GAP,
    )
    timings["solve"] = time.perf_counter() - t2
    if "first_plan" in res.stats:
        timings["first_plan"] = res.stats["first_plan"]
    if res.proved_infeasible:
        if "overrun_bound" in res.stats:
            # a scheduling proof: the elastic diagnosis (a MIP as hard as the schedule)
            # would mostly report what it had no time to place; CP-SAT's answer is exact
            raise InfeasibleError(res.message + ". What could change: add capacity where "
                                  "the required work runs, move deadlines, or make an "
                                  "initiative non-mandatory.")
        from planner.diagnose import diagnose

        left = max(limit - (time.perf_counter() - t0), MIN_DIAGNOSIS)
        diagnosis = diagnose(data, time_limit=left)
        raise InfeasibleError(diagnosis.to_text(), diagnosis=diagnosis)
    if res.x is None or res.objective is None:
        raise SolveError(f"no plan found: {res.message}. Try a longer --time-limit.")
    schedule, flows = read_solution(f.vars, res.x)
    run = RunInfo(
        status="optimal" if res.status == "optimal" else "feasible",
        backend="cpsat",
        objective=res.objective,
        bound=res.bound,
        gap=res.gap,
        seed=st.seed or 0,
        time_limit=st.time_limit,
        gap_limit=st.gap,
        message=res.message,
        interrupted=stopped[0],
        model=_model_size(arrays),
    )
    return _plan(data, schedule, flows, run, timings, t0, baseline=st.baseline)
