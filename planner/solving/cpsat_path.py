"""The CP-SAT paths: CP-SAT leads a scheduling problem, or races HiGHS on the required work.

Which one runs is the model's shape (:mod:`planner.solving.shape`):

- :func:`cpsat_lead` (exact room, mostly required work, e.g. PSPLIB): the CP-SAT
  schedule search (:func:`planner.backends.cpsat.cpsat_schedule`) on both cores,
  no greedy first: fitting the required work is the hard part, and CP-SAT fits
  it on two threads at once (a finder and a prover). Every plan is staffed
  exactly by the LP; an infeasibility is a proof.
- :func:`race` (any other model whose required work the greedy could not place):
  the HiGHS MIP in a child process on one core, CP-SAT here on the other. Plans
  go to the MIP as they come; the first proof of infeasibility, from either
  engine, ends both. Once CP-SAT has a plan, a model big enough for the
  neighbourhood search hands it to the search, which improves it beside the MIP
  as on the usual path; a smaller one lets CP-SAT optimise on.

When neither engine decides in the time limit the candidate is ``no_solution``
and the solve says "could not decide in the time limit" (exit 5): every engine
here stops at the deadline, so nothing runs past it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from planner.backends import process
from planner.backends.base import Progress, SolverOptions, relative_gap
from planner.backends.cpsat import CpResult, cpsat_schedule
from planner.errors import InfeasibleError
from planner.solving.job import Candidate, Job, Start
from planner.solving.paths import (
    CHILD_STARTUP,
    candidate_of,
    finish_mip,
    joint_progress,
    run_search,
    search_then_mip,
    two_cores,
)
from planner.solving.settings import LNS_MIN_BINARIES, MIN_SOLVER_SHARE

#: one core: CP-SAT fits the required work in at most this share of the time left,
#: then the backend optimises from its plan
FIT_SHARE = 0.5
#: an overrun proof gets the elastic diagnosis (:mod:`planner.solving.diagnose`) only on
#: models whose elastic form has at most this many integer columns, for at most
#: ``DIAGNOSIS_SECONDS``, and only when it is proved optimal: on a real scheduling
#: problem (PSPLIB j30: ~2,000) the elastic MIP is as hard as the schedule, HiGHS's
#: presolve overruns a 1 s limit by up to 5 s, and its unproved shortfalls mislead
DIAGNOSIS_MAX_INTEGERS = 300
DIAGNOSIS_SECONDS = 2.0
#: what the user is told to change when CP-SAT proved that the required work overruns
OVERRUN_ADVICE = (". What could change: add capacity where the required work runs, move "
                  "deadlines, or make an initiative non-mandatory.")


def _cpsat(job: Job, seconds: float, workers: int, gap: float,
           stop: Callable[[], bool] | None = None,
           on_plan: Callable[[np.ndarray, float], None] | None = None,
           hint: dict[int, int] | None = None) -> tuple[CpResult, bool]:
    """Run the CP-SAT schedule search for ``seconds``; returns it and whether the user stopped."""
    st = job.settings
    best: list[float | None] = [None]
    stopped = [False]
    t0 = time.perf_counter()

    def told(_starts: dict[int, int], x: np.ndarray, objective: float) -> None:
        best[0] = objective
        if on_plan is not None:
            on_plan(x, objective)

    def halt() -> bool:
        if st.progress is not None and st.progress(
            Progress(time.perf_counter() - t0, best[0], None, None)
        ):
            stopped[0] = True
        return stopped[0] or (stop is not None and stop())

    res = cpsat_schedule(job.data, max(seconds, 0.1), hint=hint, workers=workers, stop=halt,
                         formulation=job.formulation, arrays=job.arrays, on_plan=told,
                         seed=st.seed, gap=gap)
    if "first_plan" in res.stats:
        job.timings["first_plan"] = res.stats["first_plan"]
    return res, stopped[0]


def _proof(res: CpResult) -> Candidate:
    """The candidate of a CP-SAT proof of infeasibility.

    A scheduling proof (the required work overruns) is explained by CP-SAT's own
    words: the elastic diagnosis, a MIP as hard as the schedule, would mostly report
    what it had no time to place. Other proofs get the diagnosis.
    """
    explained = res.message + OVERRUN_ADVICE if res.proof == "overrun" else ""
    return Candidate("infeasible", message=f"CP-SAT: {res.message}", backend="cpsat",
                     explained=explained)


def _plan(res: CpResult, stopped: bool) -> Candidate:
    """The candidate of a CP-SAT result that is not a proof (a plan, or none)."""
    if res.x is None or res.objective is None:
        return Candidate("no_solution", message=f"CP-SAT: {res.message}", backend="cpsat",
                         interrupted=stopped)
    return Candidate("optimal" if res.status == "optimal" else "feasible", x=res.x,
                     objective=res.objective, bound=res.bound, gap=res.gap,
                     message=f"CP-SAT schedules staffed by the LP: {res.message}",
                     backend="cpsat", interrupted=stopped)


def cpsat_lead(job: Job) -> Candidate:
    """A scheduling problem: the CP-SAT schedule search on every core, for the time left."""
    res, stopped = _cpsat(job, job.left(), 2 if two_cores(job) else 1, job.settings.gap)
    return _proof(res) if res.proved_infeasible else _plan(res, stopped)


def race(job: Job, child: process.SolverProcess | None) -> tuple[Candidate, Start | None]:
    """The greedy could not place the required work: CP-SAT beside the MIP, first to decide.

    ``child``: the large model's child, when one is already running (it is used as
    the MIP). Returns the candidate and the best plan held apart from the MIP's.
    """
    st = job.settings
    if not (job.supports("mip_child") and two_cores(job)):
        return _in_turn(job)
    mip = child
    if mip is None:
        opts = SolverOptions(time_limit=max(job.left() - CHILD_STARTUP,
                                            MIN_SOLVER_SHARE * job.limit),
                             gap=st.gap, seed=st.seed)
        try:
            mip = process.SolverProcess(job.arrays, opts)
        except OSError:
            return _in_turn(job)
    try:
        return _race(job, mip)
    finally:
        if child is None:
            mip.close()


def _decided(mip: process.SolverProcess) -> bool:
    """The MIP has proved infeasibility or optimality (CP-SAT can stop)."""
    if not mip.done():
        return False
    got = mip.result(0.0)
    return got is not None and got.status in ("infeasible", "optimal")


def _race(job: Job, mip: process.SolverProcess) -> tuple[Candidate, Start | None]:
    searchable = job.arrays.num_integer >= LNS_MIN_BINARIES
    t0 = time.perf_counter()
    res, stopped = _cpsat(job, job.left(), 1, 1.0 if searchable else job.settings.gap,
                          stop=lambda: _decided(mip), on_plan=mip.offer)
    job.timings["cpsat"] = time.perf_counter() - t0
    if res.proved_infeasible:
        mip.stop()
        return _proof(res), None
    start = None
    objective = res.objective
    stop_flag = [stopped]
    progress = joint_progress(job, mip, t0, stop_flag)
    if res.x is not None and res.objective is not None:
        start = Start(res.x, res.objective, "CP-SAT plan")
        if searchable and not _decided(mip) and not stopped and job.left() > 1.0:
            t_l = time.perf_counter()
            x, obj = run_search(job, res.x, job.left(), progress, partner=mip)
            job.timings["improve"] = time.perf_counter() - t_l
            if obj > start.objective:
                start = Start(x, obj, "CP-SAT plan improved by the neighbourhood search")
            objective = max(obj, res.objective)
        elif not searchable and (res.status == "optimal" or job.left() <= 1.0):
            mip.stop()  # CP-SAT optimised to the end: the MIP's plan and bound as they are
    result = finish_mip(job, mip, objective, progress, stop_flag)
    cand = candidate_of(job, result)
    cand.interrupted = cand.interrupted or stop_flag[0]
    if cand.status == "infeasible":
        cand.message = f"HiGHS: {cand.message}"
        return cand, None
    cand.bound = _tighter(cand.bound, res.bound)
    cand.gap = relative_gap(cand.objective, cand.bound)
    if cand.x is None and start is None and not cand.interrupted:
        cand.message = f"{res.message}; the MIP: {cand.message}"
    return cand, start


def _tighter(a: float | None, b: float | None) -> float | None:
    """The smaller of two upper bounds on the model's objective (either may be unknown)."""
    bounds = [v for v in (a, b) if v is not None and np.isfinite(v)]
    return min(bounds) if bounds else None


def _in_turn(job: Job) -> tuple[Candidate, Start | None]:
    """One core (or a backend that cannot run beside): CP-SAT fits first, then the backend."""
    res, stopped = _cpsat(job, FIT_SHARE * job.left(), 1, 1.0)
    if res.proved_infeasible:
        return _proof(res), None
    start = None
    if res.x is not None and res.objective is not None:
        start = Start(res.x, res.objective, "CP-SAT plan")
    if stopped:
        return _plan(res, stopped), start
    return search_then_mip(job, start)



def explain(job: Job, cand: Candidate) -> InfeasibleError:
    """The error for CP-SAT's proof that the required work overruns (``cand.explained``).

    The elastic diagnosis (what is short where, by how much) when it is cheap and
    proved exact (see ``DIAGNOSIS_MAX_INTEGERS``), CP-SAT's own words otherwise.
    """
    from planner import backends
    from planner.backends.base import SolverOptions as Options
    from planner.solving.diagnose import Diagnosis, elastic_model, read_shortfalls, role_of

    data = job.data
    st = job.settings
    left = st.clock.started + st.time_limit - time.perf_counter()
    seconds = min(left, DIAGNOSIS_SECONDS)
    if seconds > 0.1:
        el = elastic_model(data)
        arrays = el.model.arrays()
        if arrays.num_integer <= DIAGNOSIS_MAX_INTEGERS:
            res = backends.get("highs").solve(arrays, Options(time_limit=seconds, gap=1e-6))
            # optimal as the backends classify it (gap 1e-6), or as close as the elastic
            # diagnosis of the MIP path asks (1e-4): the same shortfalls either way
            close = res.status == "optimal" or (res.status == "feasible" and res.gap is not None
                                                and res.gap <= 1e-4)
            if close and res.x is not None:
                short = read_shortfalls(data, el, res.x)
                if short:
                    roles = {i.id: role_of(data, i.id) for i in data.initiatives if i.required}
                    d = Diagnosis(short, roles=roles)
                    return InfeasibleError(d.to_text(), diagnosis=d, proved_by="cpsat")
    return InfeasibleError(cand.explained, proved_by="cpsat")
