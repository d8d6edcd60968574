"""Temporary solve path ``strategy="cpsat"``: the CP-SAT schedule search alone (issue 19).

Phase 1 of issue 19 measures the engine end to end (``planner solve --strategy
cpsat``: plans go through allocation, the views and ``planner check`` like any
other). Phase 2 replaces this path by one that picks the engine by the model's
shape and runs it beside HiGHS; :func:`planner.backends.cpsat.cpsat_schedule` is
what such a path calls.
"""

from __future__ import annotations

import time

from models.plan import Plan
from planner.backends.base import Progress
from planner.errors import InfeasibleError, SolveError
from planner.solving.assemble import assemble
from planner.solving.job import Candidate, Job

#: the diagnosis of a proved infeasibility gets at least this many seconds
MIN_DIAGNOSIS = 2.0


def solve_cpsat(job: Job) -> Plan:
    """Plan ``job`` with :func:`~planner.backends.cpsat.cpsat_schedule` for the time left.

    Raises
    ------
    InfeasibleError
        When CP-SAT (or the staffing LP) proves that no plan exists.
    SolveError
        When the time limit ends without a plan or a proof.
    """
    from planner.backends.cpsat import cpsat_schedule

    st = job.settings
    best: list[float | None] = [None]
    stopped = [False]
    t_s = time.perf_counter()

    def on_plan(_starts: dict[int, int], _x: object, objective: float) -> None:
        best[0] = objective

    def stop() -> bool:
        if st.progress is not None and st.progress(
            Progress(time.perf_counter() - t_s, best[0], None, None)
        ):
            stopped[0] = True
        return stopped[0]

    res = cpsat_schedule(
        job.data, max(job.left(), 0.1), workers=st.threads or 2, stop=stop,
        formulation=job.formulation, arrays=job.arrays, on_plan=on_plan, seed=st.seed,
        gap=st.gap,
    )
    st.clock.mark("solve")
    if "first_plan" in res.stats:
        job.timings["first_plan"] = res.stats["first_plan"]
    if res.proved_infeasible:
        if res.proof == "overrun":
            # a scheduling proof: the elastic diagnosis (a MIP as hard as the schedule)
            # would mostly report what it had no time to place; CP-SAT's answer is exact
            raise InfeasibleError(res.message + ". What could change: add capacity where "
                                  "the required work runs, move deadlines, or make an "
                                  "initiative non-mandatory.")
        from planner.solving.diagnose_kpi import diagnose

        diagnosis = diagnose(job.data, time_limit=max(job.left(), MIN_DIAGNOSIS))
        raise InfeasibleError(diagnosis.to_text(), diagnosis=diagnosis)
    if res.x is None or res.objective is None:
        raise SolveError(f"no plan found: {res.message}. Try a longer --time-limit.")
    cand = Candidate(
        "optimal" if res.status == "optimal" else "feasible",
        x=res.x, objective=res.objective, bound=res.bound, gap=res.gap,
        message=res.message, backend="cpsat", interrupted=stopped[0],
    )
    return assemble(job, cand)
