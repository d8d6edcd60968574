"""One entry point: ``solve(scenario, settings) -> Plan``."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from models.plan import InitiativeResult, Plan, RunInfo
from models.scenario import Scenario
from planner import backends
from planner.allocate import Flows, Schedule, assignments, read_solution
from planner.backends.base import (
    PROVEN_GAP,
    BackendResult,
    Progress,
    ProgressFn,
    SolverOptions,
    relative_gap,
)
from planner.data import ProblemData, compile_problem
from planner.errors import InfeasibleError, PlannerError, SolveError
from planner.formulation.build import Formulation, build
from planner.formulation.model import ModelArrays
from planner.reasons import explain

DEFAULT_TIME_LIMIT = 60.0
#: share of the time limit the greedy warm start may use
GREEDY_SHARE = 1 / 3
#: the solver always gets at least this share of the time limit
MIN_SOLVER_SHARE = 0.05
#: models with at least this many start binaries get the neighbourhood search ...
LNS_MIN_BINARIES = 300
#: ... for this share of the time left after the greedy
LNS_SHARE = 0.5
#: models with at least this many columns (and the highs backend) skip the MIP: the
#: LP relaxation (at most this share of the time left) gives the bound, the search the plan
LARGE_COLUMNS = 60_000
LP_SHARE = 0.8
#: what the child process of a large model solves beside the search (a mode of
#: :class:`planner.portfolio.SolverProcess`): ``lp+mip`` = the LP relaxation first (the
#: bound, in time: on XL the MIP never finished its root LP within 10 minutes), then
#: the MIP for the time left, sharing plans with the search; ``mip``; ``lp``
LARGE_CHILD = "lp+mip"
#: share of the time left that the child of a large model stops before the search
CHILD_MARGIN = 0.05
#: seconds to wait for the child's result once it was asked to stop
RESULT_WAIT = 10.0


@dataclass
class Settings:
    """How to solve; ``None`` fields fall back to ``policy.solver``, then to defaults."""

    backend: str | None = None
    time_limit: float | None = None
    gap: float | None = None
    seed: int | None = None
    threads: int | None = None
    strategy: str = "optimal"  # optimal | greedy
    progress: ProgressFn | None = None
    #: an earlier plan to stay close to (``--baseline``; weights in ``policy.stability``)
    baseline: Plan | None = None

    def resolved(self, scenario: Scenario) -> Settings:
        """Fill unset fields from the scenario's policy and the defaults."""
        s = scenario.policy.solver
        return Settings(
            backend=self.backend or s.backend or backends.DEFAULT,
            time_limit=self.time_limit or s.time_limit or DEFAULT_TIME_LIMIT,
            gap=self.gap if self.gap is not None else (s.gap if s.gap is not None else PROVEN_GAP),
            seed=self.seed if self.seed is not None else s.seed,
            threads=self.threads or s.threads,
            strategy=self.strategy,
            progress=self.progress,
            baseline=self.baseline,
        )


def solve(scenario: Scenario, settings: Settings | None = None) -> Plan:
    """Choose, schedule and staff initiatives for a validated scenario.

    Raises
    ------
    InfeasibleError
        When mandatory work or ``must`` RTB cannot fit; carries a diagnosis.
    SolveError
        When the solver stops without any plan (e.g. time limit) or fails.
    """
    st = (settings or Settings()).resolved(scenario)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    data = compile_problem(scenario)
    timings["compile"] = time.perf_counter() - t0

    if st.strategy == "greedy":
        from planner.greedy import run_greedy

        t1 = time.perf_counter()
        fg = build(data)
        res = run_greedy(data, fg)
        schedule, flows = read_solution(fg.vars, res.x)
        timings["solve"] = time.perf_counter() - t1
        run = RunInfo(
            status="feasible",
            strategy="greedy",
            objective=res.objective,  # the model's objective at the greedy's column vector
            seed=st.seed or 0,
            message="greedy rank-and-cut baseline (no optimality claim)",
        )
        return _plan(data, schedule, flows, run, timings, t0)

    t1 = time.perf_counter()
    f = build(data, baseline=st.baseline)
    arrays = f.model.arrays()
    timings["build"] = time.perf_counter() - t1
    try:
        backend = backends.get(st.backend)  # type: ignore[arg-type]
    except ValueError as exc:  # unknown or not installed: the user can act on it
        raise PlannerError(str(exc)) from exc
    # the greedy baseline warm-starts the MIP and is the fallback when the MIP does worse
    from planner.greedy import run_greedy

    t_g = time.perf_counter()
    limit = st.time_limit or DEFAULT_TIME_LIMIT
    large = (
        backend.NAME == "highs"
        and arrays.num_cols >= LARGE_COLUMNS
        and arrays.num_integer >= LNS_MIN_BINARIES
    )
    # on a large model the bound takes long: with two cores it starts now, beside the greedy
    beside = _start_large_child(arrays, st, limit - (t_g - t1)) if large else None
    try:
        try:
            # the greedy may use up to a third of the time limit; the MIP gets the rest
            baseline = run_greedy(data, f, deadline=t_g + GREEDY_SHARE * limit)
        except InfeasibleError:
            baseline = None  # the MIP and the diagnosis explain it
        timings["greedy"] = time.perf_counter() - t_g
        if large and baseline is not None:
            return _solve_large(data, f, arrays, baseline, st, timings, t0, t1, limit, beside)
    finally:
        if beside is not None:
            beside.close()
    side_by_side = (
        baseline is not None
        and arrays.num_integer >= LNS_MIN_BINARIES
        and backend.NAME == "highs"
        and _two_cores(st)
    )
    if side_by_side:
        result, start = _search_beside_mip(data, f, arrays, baseline, st, timings, limit, t1)
    else:
        result, start = _search_then_mip(data, f, arrays, baseline, backend, st, timings, limit,
                                         t1)
    if start is not None and (
        result.objective is None
        or result.x is None
        or result.objective < start.objective - 1e-9 * max(1.0, abs(start.objective))
    ):
        bound = None if result.status == "infeasible" else result.bound
        if bound is not None:
            bound = max(bound, start.objective)  # never below a plan we hold
        what = "greedy baseline" if start is baseline else "neighbourhood search plan"
        result = BackendResult(
            "feasible",
            x=start.x,
            objective=start.objective,
            bound=bound,
            gap=relative_gap(start.objective, bound),
            message=f"{what} kept: the solver found no better plan ({result.status}"
            + (f": {result.message})" if result.status == "no_solution" and result.message
               else ")"),
            stats=result.stats,
        )
    if result.status == "infeasible":
        from planner.diagnose import diagnose

        diagnosis = diagnose(data, backend=st.backend)  # type: ignore[arg-type]
        raise InfeasibleError(diagnosis.to_text(), diagnosis=diagnosis)
    if result.x is None or result.objective is None:
        raise SolveError(
            f"no plan found: {result.message or result.status}. "
            "Try a longer --time-limit or a larger --gap."
        )
    schedule, flows = read_solution(f.vars, result.x)
    run = RunInfo(
        status="optimal" if result.status == "optimal" else "feasible",
        backend=st.backend,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        seed=st.seed or 0,
        time_limit=st.time_limit,
        gap_limit=st.gap,
        message=result.message,
        interrupted=bool(result.stats.get("interrupted", 0)),
        greedy_objective=baseline.objective if baseline is not None else None,
        model=_model_size(arrays),
    )
    return _plan(data, schedule, flows, run, timings, t0, baseline=st.baseline)


def _two_cores(st: Settings) -> bool:
    """Run the search and the solver side by side (unless ``threads: 1`` or one core)."""
    from planner.portfolio import cores

    return st.threads != 1 and cores() >= 2


def _search_then_mip(
    data: ProblemData,
    f: Formulation,
    arrays: ModelArrays,
    baseline: Any,
    backend: Any,
    st: Settings,
    timings: dict[str, float],
    limit: float,
    t1: float,
) -> tuple[BackendResult, Any]:
    """One process: the neighbourhood search (on models big enough), then the backend.

    Returns the backend's result and the best plan held before it (the greedy's, or
    the search's), which the caller keeps when the backend ends with a worse one.
    """
    start = baseline
    if baseline is not None and arrays.num_integer >= LNS_MIN_BINARIES:
        # at real size the MIP solver rarely improves the greedy start within the
        # limit; re-optimising a few units at a time does, and the MIP starts from it
        from planner.improve import improve

        t_l = time.perf_counter()
        left = limit - (t_l - t1)
        found = improve(data, f, arrays, baseline.x, LNS_SHARE * left, st.seed or 0,
                        st.progress)
        timings["improve"] = time.perf_counter() - t_l
        if found.objective > baseline.objective:
            start = replace(baseline, x=found.x, objective=found.objective)
    left = limit - (time.perf_counter() - t1)
    opts = SolverOptions(
        time_limit=max(left, MIN_SOLVER_SHARE * limit),
        gap=st.gap or 0.0,
        seed=st.seed or 0,
        threads=st.threads,
        warm_start=start.x if start is not None else None,
    )
    t2 = time.perf_counter()
    if arrays.num_cols == 0:
        # nothing to decide: the empty plan is optimal unless a row needs a non-zero
        # activity (e.g. must RTB of a skill nobody has), which makes it infeasible
        if np.all(arrays.row_lo <= 1e-9) and np.all(arrays.row_hi >= -1e-9):
            result = BackendResult(
                "optimal", x=np.zeros(0), objective=0.0, bound=0.0, gap=0.0
            )
        else:
            result = BackendResult("infeasible", message="no columns can meet the demand")
    else:
        result = backend.solve(arrays, opts, st.progress)
    timings["solve"] = time.perf_counter() - t2
    return result, start


def _joint_progress(st: Settings, child: Any, t_start: float, stopped: list[bool]) -> ProgressFn:
    """Progress of the search here combined with the child's incumbent and bound.

    Sets ``stopped[0]`` (and returns True, which stops the search) once the user's
    callback asks to stop.
    """

    def progress(p: Progress) -> bool:
        theirs = child.progress
        inc, bound = p.incumbent, None
        if theirs is not None:
            bound = theirs.bound
            if theirs.incumbent is not None:
                inc = theirs.incumbent if inc is None else max(inc, theirs.incumbent)
        now = Progress(time.perf_counter() - t_start, inc, bound, relative_gap(inc, bound))
        if st.progress is not None and st.progress(now):
            stopped[0] = True
        return stopped[0]

    return progress


def _search_beside_mip(
    data: ProblemData,
    f: Formulation,
    arrays: ModelArrays,
    baseline: Any,
    st: Settings,
    timings: dict[str, float],
    limit: float,
    t1: float,
) -> tuple[BackendResult, Any]:
    """The neighbourhood search here and the MIP in a child process, each for the rest of the limit.

    They share plans while they run (:mod:`planner.portfolio`): the MIP prunes with
    the search's plans, the search starts its next round from a better MIP plan.
    Returns the MIP's result (its bound is the bound) and the search's best plan,
    which the caller keeps when the MIP ends with a worse one.
    """
    from planner.improve import improve
    from planner.portfolio import RESULT_GRACE, SolverProcess

    t2 = time.perf_counter()
    left = limit - (t2 - t1)
    opts = SolverOptions(
        time_limit=max(left, MIN_SOLVER_SHARE * limit),
        gap=st.gap or 0.0,
        seed=st.seed or 0,
        warm_start=baseline.x,
    )
    stopped = [False]
    with SolverProcess(arrays, opts) as mip:
        progress = _joint_progress(st, mip, t2, stopped)
        found = improve(data, f, arrays, baseline.x, opts.time_limit or left, st.seed or 0,
                        progress, partner=mip)
        timings["improve"] = time.perf_counter() - t2
        # the MIP ends at its own limit (or sooner when it proves optimality)
        wait_until = t1 + limit + RESULT_GRACE
        while not mip.done() and time.perf_counter() < wait_until:
            if stopped[0] or progress(Progress(0.0, found.objective, None, None)):
                mip.stop()
            mip.result(timeout=0.5)
        result = mip.result(timeout=0.0)
        if result is None:
            result = BackendResult(
                "no_solution", message=f"the MIP process failed: {mip.error or 'no result'}"
            )
    timings["solve"] = time.perf_counter() - t2
    if stopped[0]:
        result.stats["interrupted"] = 1.0
    start = baseline
    if found.objective > baseline.objective:
        start = replace(baseline, x=found.x, objective=found.objective)
    return result, start


def _start_large_child(arrays: ModelArrays, st: Settings, seconds: float) -> Any:
    """The bound's solve of a large model in a child process (None with one core)."""
    if not _two_cores(st):
        return None
    from planner.portfolio import SolverProcess

    # it stops a little early: on a large model HiGHS may take seconds to answer a stop
    seconds -= min(CHILD_MARGIN * seconds, 10.0)
    opts = SolverOptions(time_limit=max(seconds, 1.0), gap=st.gap or 0.0, seed=st.seed or 0)
    try:
        return SolverProcess(arrays, opts, mode=LARGE_CHILD)
    except OSError:
        return None  # no process to be had: solve in turn, in this process


def _solve_large(
    data: ProblemData,
    f: Formulation,
    arrays: ModelArrays,
    baseline: Any,
    st: Settings,
    timings: dict[str, float],
    t0: float,
    t1: float,
    limit: float,
    beside: Any = None,
) -> Plan:
    """Large models: bound from the LP relaxation, plan from the neighbourhood search.

    At this size a MIP solver spends most of the limit on the root LP and its cuts
    (measured on L: root 32 s, no better plan in 40 s more), so the plan comes from
    the search. With two cores the bound is computed in a child process that started
    before the greedy (``beside``: the MIP itself, sharing plans with the search, whose
    dual bound is at least as tight as the LP relaxation once its root is solved);
    with one core the LP relaxation is solved first and the search gets the rest.
    """
    from planner.improve import improve

    bound = None
    proved = False
    how = "neighbourhood search from the greedy; bound from the LP relaxation"
    if beside is not None and LARGE_CHILD != "lp":
        how = ("neighbourhood search from the greedy, sharing plans with the MIP solver "
               "beside it; bound from the LP relaxation and the MIP's cuts")
    if beside is None:
        t_lp = time.perf_counter()
        left = limit - (t_lp - t1)
        lp = backends.get("highs").solve(
            arrays, SolverOptions(time_limit=max(LP_SHARE * left, 1.0), seed=st.seed or 0),
            relax=True,
        )
        timings["bound"] = time.perf_counter() - t_lp
        bound = lp.objective if lp.x is not None else None
        t_l = time.perf_counter()
        left = limit - (t_l - t1)
        found = improve(data, f, arrays, baseline.x, max(left, 1.0), st.seed or 0, st.progress)
        timings["improve"] = time.perf_counter() - t_l
        timings["solve"] = time.perf_counter() - t_lp  # the LP bound, then the search
    else:
        t_l = time.perf_counter()
        left = limit - (t_l - t1)
        partner = beside if LARGE_CHILD != "lp" else None
        if partner is not None:
            partner.offer(baseline.x, baseline.objective)
        stopped = [False]
        found = improve(data, f, arrays, baseline.x, max(left, 1.0), st.seed or 0,
                        _joint_progress(st, beside, t_l, stopped), partner=partner)
        timings["improve"] = time.perf_counter() - t_l
        beside.stop()
        res = beside.result(timeout=RESULT_WAIT)
        timings["bound"] = time.perf_counter() - t1
        timings["solve"] = time.perf_counter() - t_l
        bounds = [b for b in (beside.lp_bound, res.bound if res is not None else None)
                  if b is not None and np.isfinite(b)]
        bound = min(bounds) if bounds else None
        if partner is not None and res is not None and res.x is not None:
            # a MIP plan (never the LP's fractional point) better than the search's
            if res.objective is not None and res.objective > max(found.objective,
                                                                 baseline.objective):
                found = replace(found, x=res.x, objective=res.objective)
            proved = res.status == "optimal"
    x, objective = baseline.x, baseline.objective
    if found.objective > objective:
        x, objective = found.x, found.objective
    if bound is not None:
        bound = max(bound, objective)
    schedule, flows = read_solution(f.vars, x)
    gap = relative_gap(objective, bound)
    run = RunInfo(
        status="optimal" if proved and gap is not None and gap <= PROVEN_GAP else "feasible",
        backend="highs",
        objective=objective,
        bound=bound,
        gap=gap,
        seed=st.seed or 0,
        time_limit=st.time_limit,
        gap_limit=st.gap,
        message=how + ("" if bound is not None else " (not solved in time: no bound)"),
        greedy_objective=baseline.objective,
        model=_model_size(arrays),
    )
    return _plan(data, schedule, flows, run, timings, t0, baseline=st.baseline)


def _model_size(arrays: ModelArrays) -> dict[str, int]:
    return {
        "columns": arrays.num_cols,
        "rows": arrays.num_rows,
        "binaries": arrays.num_integer,
        "nonzeros": int(arrays.matrix.nnz),
    }


def _plan(
    data: ProblemData,
    schedule: Schedule,
    flows: Flows,
    run: RunInfo,
    timings: dict[str, float],
    t0: float,
    baseline: Plan | None = None,
) -> Plan:
    t3 = time.perf_counter()
    frame = assignments(
        data, schedule, flows, preferred=baseline.assignments if baseline is not None else None
    )
    reasons = explain(data, schedule, frame)
    labour = frame[~frame["work"].str.startswith("rtb:")].groupby("work")["hours"].sum()
    labels = data.calendar.labels
    results = []
    for ini in data.initiatives:
        chosen = ini.index in schedule.starts
        s = schedule.starts.get(ini.index)
        flags = []
        if ini.misaligned:
            flags.append("misaligned")
        if ini.mandatory:
            flags.append("mandatory")
        reason = reasons.get(ini.id, "")
        if reason.startswith("misaligned"):
            flags.remove("misaligned")
        reason = "; ".join(flags + ([reason] if reason else []))
        src = data.scenario.initiatives[ini.index]
        results.append(
            InitiativeResult(
                id=ini.id,
                name=src.name or ini.id,
                selected=chosen,
                start=labels[s] if s is not None else None,
                finish=labels[s + ini.duration - 1] if s is not None else None,
                strategic_score=round(ini.score, 6),
                value=ini.value,
                cost=ini.cost,
                labour_hours=round(float(labour.get(ini.id, 0.0)), 4),
                mandatory=ini.mandatory,
                misaligned=ini.misaligned,
                sponsor=ini.sponsor,
                reason=reason,
            )
        )
    timings["allocate"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0
    run.timings = {k: round(v, 4) for k, v in timings.items()}
    return Plan(scenario=data.scenario, run=run, initiatives=results, assignments=frame)
