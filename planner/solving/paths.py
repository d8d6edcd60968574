"""The solve paths. Each takes a :class:`~planner.solving.job.Job` and returns a Candidate.

- :func:`greedy_only` (``--strategy greedy``): the rank-and-cut baseline, no optimality claim.
- :func:`search_then_mip` (one process): the neighbourhood search (on models with at
  least ``LNS_MIN_BINARIES`` start binaries), then the backend from its plan.
- :func:`search_beside_mip` (two cores): the MIP in a child process for the whole
  limit, beside the search; they share plans while they run.
- :func:`large_model` (at least ``LARGE_COLUMNS`` columns): the bound from the LP
  relaxation (in a child process that starts before the greedy, then the MIP there),
  the plan from the search.

:func:`choose` picks the path from the model's size and what the backend supports;
:func:`keep_best` keeps the start when the solver ends with a worse plan.
"""

from __future__ import annotations

import time

import numpy as np

from planner import backends
from planner.backends import process
from planner.backends.base import (
    PROVEN_GAP,
    BackendResult,
    Progress,
    ProgressFn,
    SolverOptions,
    relative_gap,
)
from planner.backends.process import RESULT_GRACE, SolverProcess
from planner.solving.job import Candidate, Job, Start
from planner.solving.search import better, improve
from planner.solving.settings import (
    CHILD_MARGIN,
    LARGE_COLUMNS,
    LNS_MIN_BINARIES,
    LNS_SHARE,
    LP_SHARE,
    MIN_SOLVER_SHARE,
    RESULT_WAIT,
)


def two_cores(job: Job) -> bool:
    """Run the search and the solver side by side (unless ``threads: 1`` or one core)."""
    return job.settings.threads != 1 and process.cores() >= 2


def is_large(job: Job) -> bool:
    """Large model: the LP relaxation first for the bound, the search for the plan."""
    return (job.supports("lp_child") and job.arrays.num_cols >= LARGE_COLUMNS
            and job.arrays.num_integer >= LNS_MIN_BINARIES)


def start_large_child(job: Job) -> SolverProcess | None:
    """The bound's solve of a large model in a child process (None with one core)."""
    if not (is_large(job) and two_cores(job)):
        return None
    seconds = job.left()
    # it stops a little early: on a large model HiGHS may take seconds to answer a stop
    seconds -= min(CHILD_MARGIN * seconds, 10.0)
    st = job.settings
    opts = SolverOptions(time_limit=max(seconds, 1.0), gap=st.gap, seed=st.seed)
    try:
        return process.SolverProcess(job.arrays, opts, mode="lp+mip")
    except OSError:
        return None  # no process to be had: solve in turn, in this process


def choose(job: Job, start: Start | None, child: SolverProcess | None) -> Candidate:
    """Run the path that fits the model (see the module docstring)."""
    if start is not None and is_large(job):
        return large_model(job, start, child)
    if (start is not None and job.arrays.num_integer >= LNS_MIN_BINARIES
            and job.supports("mip_child") and two_cores(job)):
        return keep_best(*search_beside_mip(job, start))
    return keep_best(*search_then_mip(job, start))


def greedy_only(job: Job, start: Start) -> Candidate:
    """The greedy's plan as it is (``--strategy greedy``)."""
    return Candidate("feasible", x=start.x, objective=start.objective, backend=None,
                     message="greedy rank-and-cut baseline (no optimality claim)")


def run_search(job: Job, x0: np.ndarray, seconds: float, progress: ProgressFn | None,
            partner: SolverProcess | None = None) -> tuple[np.ndarray, float]:
    """The neighbourhood search from ``x0``; sub-MIPs go to the search backend."""
    sub = backends.get(backends.SEARCH).solve
    st = job.settings
    found = improve(job.data, job.formulation, job.arrays, x0, seconds, st.seed, progress,
                    partner=partner, sub_solve=sub)
    return found.x, found.objective


def search_then_mip(job: Job, start: Start | None) -> tuple[Candidate, Start | None]:
    """One process: the search (on models big enough), then the backend from its plan.

    Returns the backend's candidate and the best plan held before it.
    """
    st = job.settings
    if start is not None and job.arrays.num_integer >= LNS_MIN_BINARIES:
        # at real size the MIP solver rarely improves the greedy start within the
        # limit; re-optimising a few units at a time does, and the MIP starts from it
        t_l = time.perf_counter()
        x, obj = run_search(job, start.x, LNS_SHARE * job.left(), st.progress)
        job.timings["improve"] = time.perf_counter() - t_l
        if obj > start.objective:
            start = Start(x, obj, "neighbourhood search plan")
    opts = SolverOptions(
        time_limit=max(job.left(), MIN_SOLVER_SHARE * job.limit),
        gap=st.gap,
        seed=st.seed,
        threads=st.threads,
        warm_start=start.x if start is not None else None,
    )
    a = job.arrays
    if a.num_cols == 0:
        # nothing to decide: the empty plan is optimal unless a row needs a non-zero
        # activity (e.g. must RTB of a skill nobody has), which makes it infeasible
        if np.all(a.row_lo <= 1e-9) and np.all(a.row_hi >= -1e-9):
            result = BackendResult("optimal", x=np.zeros(0), objective=0.0, bound=0.0, gap=0.0)
        else:
            result = BackendResult("infeasible", message="no columns can meet the demand")
    elif start is None and job.supports("mip_child"):
        result = _mip_in_child(job, opts)
    else:
        result = job.backend.solve(a, opts, st.progress)
    return candidate_of(job, result), start


#: seconds a child process takes to start (Python and imports) before its clock runs
CHILD_STARTUP = 1.5


def grace(job: Job) -> float:
    """Seconds a solver in a child process may run past its limit before it is ended."""
    return min(RESULT_GRACE, 1.0 + 0.02 * job.limit)


def _mip_in_child(job: Job, opts: SolverOptions) -> BackendResult:
    """The MIP in a child process that is ended at the deadline.

    Used when there is no plan to fall back on (the greedy found none): HiGHS's
    presolve does not look at the clock on dense models (measured: 11 s of a 4 s limit
    on a PSPLIB j30 instance one period short), and only a process can be stopped
    from outside. Ending it loses nothing, as it has no plan.
    """
    opts.time_limit = max((opts.time_limit or 0.0) - CHILD_STARTUP, MIN_SOLVER_SHARE * job.limit)
    try:
        mip = SolverProcess(job.arrays, opts)
    except OSError:
        return job.backend.solve(job.arrays, opts, job.settings.progress)
    t0 = time.perf_counter()
    stopped = [False]
    with mip:
        progress = joint_progress(job, mip, t0, stopped)
        end = t0 + (opts.time_limit or job.left()) + CHILD_STARTUP + grace(job)
        while not mip.done() and time.perf_counter() < end:
            if progress(Progress(time.perf_counter() - t0, None, None, None)):
                mip.stop()
            mip.result(timeout=0.25)
        result = mip.result(timeout=0.0)
    if result is None:
        return BackendResult("no_solution", message="the solver did not answer within the "
                             "time limit (ended)", stats={"interrupted": float(stopped[0])})
    if stopped[0]:
        result.stats["interrupted"] = 1.0
    return result


def joint_progress(job: Job, child: SolverProcess, t_start: float,
                    stopped: list[bool]) -> ProgressFn:
    """Progress of the search here combined with the child's incumbent and bound.

    Sets ``stopped[0]`` (and returns True, which stops the search) once the user's
    callback asks to stop.
    """
    user = job.settings.progress

    def progress(p: Progress) -> bool:
        theirs = child.progress
        inc, bound = p.incumbent, None
        if theirs is not None:
            bound = theirs.bound
            if theirs.incumbent is not None:
                inc = theirs.incumbent if inc is None else max(inc, theirs.incumbent)
        now = Progress(time.perf_counter() - t_start, inc, bound, relative_gap(inc, bound))
        if user is not None and user(now):
            stopped[0] = True
        return stopped[0]

    return progress


def search_beside_mip(job: Job, start: Start) -> tuple[Candidate, Start]:
    """The search here and the MIP in a child process, each for the rest of the limit.

    They share plans while they run (:mod:`planner.backends.process`): the MIP prunes
    with the search's plans, the search starts its next round from a better MIP plan.
    Returns the MIP's candidate (its bound is the bound) and the search's best plan.
    """
    st = job.settings
    t2 = time.perf_counter()
    left = job.left()
    # the child spends its first seconds starting Python: its own clock starts later
    opts = SolverOptions(time_limit=max(left - CHILD_STARTUP, MIN_SOLVER_SHARE * job.limit),
                         gap=st.gap, seed=st.seed, warm_start=start.x)
    stopped = [False]
    with process.SolverProcess(job.arrays, opts) as mip:
        progress = joint_progress(job, mip, t2, stopped)
        x, obj = run_search(job, start.x, opts.time_limit or left, progress, partner=mip)
        job.timings["improve"] = time.perf_counter() - t2
        result = finish_mip(job, mip, obj, progress, stopped)
    cand = candidate_of(job, result)
    cand.interrupted = cand.interrupted or stopped[0]
    if obj > start.objective:
        start = Start(x, obj, "neighbourhood search plan")
    return cand, start


def finish_mip(job: Job, mip: SolverProcess, objective: float | None, progress: ProgressFn,
               stopped: list[bool]) -> BackendResult:
    """Wait for the MIP in ``mip`` to end at its own limit (ended at the deadline + grace).

    It is asked to stop early when the user's callback asks (``stopped``). Never None:
    a MIP that gave nothing in time is ``no_solution`` with the last bound it reported.
    """
    wait_until = job.deadline + grace(job)
    while not mip.done() and time.perf_counter() < wait_until:
        if stopped[0] or progress(Progress(0.0, objective, None, None)):
            mip.stop()
        mip.result(timeout=0.5)
    result = mip.result(timeout=0.0)
    if result is None:
        # ended at the deadline: its last reported bound still holds for the model
        last = mip.progress
        result = BackendResult(
            "no_solution",
            message=f"the MIP process failed: {mip.error}" if mip.error else
            "the MIP process gave no result in time (ended at the limit)",
            bound=last.bound if last is not None else None,
        )
    return result


def large_model(job: Job, start: Start, child: SolverProcess | None) -> Candidate:
    """Large models: bound from the LP relaxation, plan from the neighbourhood search.

    At this size a MIP solver spends most of the limit on the root LP and its cuts
    (measured on L: root 32 s, no better plan in 40 s more), so the plan comes from
    the search. With two cores the bound is computed in a child process that started
    before the greedy (``child``: the LP relaxation, then the MIP itself, sharing plans
    with the search); with one core the LP relaxation is solved first and the search
    gets the rest.
    """
    st = job.settings
    bound = None
    proved = False
    x, obj = start.x, start.objective
    if child is None:
        how = "neighbourhood search from the greedy; bound from the LP relaxation"
        t_lp = time.perf_counter()
        lp = job.backend.solve(
            job.arrays, SolverOptions(time_limit=max(LP_SHARE * job.left(), 1.0), seed=st.seed),
            relax=True,
        )
        job.timings["bound"] = time.perf_counter() - t_lp
        bound = lp.objective if lp.x is not None else None
        t_l = time.perf_counter()
        fx, fobj = run_search(job, start.x, max(job.left(), 1.0), st.progress)
        job.timings["improve"] = time.perf_counter() - t_l
        stopped = [False]
    else:
        how = ("neighbourhood search from the greedy, sharing plans with the MIP solver "
               "beside it; bound from the LP relaxation and the MIP's cuts")
        t_l = time.perf_counter()
        child.offer(start.x, start.objective)
        stopped = [False]
        fx, fobj = run_search(job, start.x, max(job.left(), 1.0),
                             joint_progress(job, child, t_l, stopped), partner=child)
        job.timings["improve"] = time.perf_counter() - t_l
        child.stop()
        res = child.result(timeout=RESULT_WAIT)
        job.timings["bound"] = time.perf_counter() - t_l
        bounds = [b for b in (child.lp_bound, res.bound if res is not None else None)
                  if b is not None and np.isfinite(b)]
        bound = min(bounds) if bounds else None
        if res is not None and res.x is not None:
            # a MIP plan better than the search's, checked: never a fractional LP point
            theirs = better(job.arrays, res.x.copy(), max(fobj, start.objective))
            if theirs is not None:
                fx, fobj = theirs
            proved = res.status == "optimal"  # a proof only if the gap closes too
    if fobj > obj:
        x, obj = fx, fobj
    if bound is not None:
        bound = max(bound, obj)
    gap = relative_gap(obj, bound)
    return Candidate(
        "optimal" if proved and gap is not None and gap <= PROVEN_GAP else "feasible",
        x=x, objective=obj, bound=bound, gap=gap, backend=job.backend.NAME,
        message=how + ("" if bound is not None else " (not solved in time: no bound)"),
        interrupted=stopped[0], greedy_objective=None,
    )


def candidate_of(job: Job, result: BackendResult) -> Candidate:
    status = result.status if result.status in ("optimal", "feasible", "infeasible") \
        else "no_solution"
    return Candidate(status, x=result.x, objective=result.objective, bound=result.bound,  # type: ignore[arg-type]
                     gap=result.gap, message=result.message, backend=job.backend.NAME,
                     interrupted=bool(result.stats.get("interrupted", 0)))


def keep_best(cand: Candidate, start: Start | None) -> Candidate:
    """Keep the plan held before the solver when the solver ends with a worse one (or none)."""
    if start is None:
        return cand
    if cand.objective is not None and cand.x is not None and \
            cand.objective >= start.objective - 1e-9 * max(1.0, abs(start.objective)):
        return cand
    bound = None if cand.status == "infeasible" else cand.bound
    if bound is not None:
        bound = max(bound, start.objective)  # never below a plan we hold
    detail = f": {cand.message}" if cand.status == "no_solution" and cand.message else ""
    return Candidate(
        "feasible", x=start.x, objective=start.objective, bound=bound,
        gap=relative_gap(start.objective, bound), backend=cand.backend,
        message=f"{start.what} kept: the solver found no better plan ({cand.status}{detail})",
        interrupted=cand.interrupted,
    )
