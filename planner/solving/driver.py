"""``solve(scenario, settings) -> Plan``: compile, build, warm start, one path, one finish.

1. compile the scenario into :class:`~planner.problem.data.ProblemData`;
2. build the one formulation (:mod:`planner.formulation`);
3. the engine, from the model's shape (:mod:`planner.solving.shape`): a scheduling
   problem goes to CP-SAT (:func:`~planner.solving.cpsat_path.cpsat_lead`) and skips
   4-5;
4. the greedy rank-and-cut plan: the warm start (and the whole answer with
   ``strategy="greedy"``);
5. one path of :mod:`planner.solving.paths`, chosen by the model's size and what the
   backend supports; when the greedy could not place the required work, CP-SAT races
   the MIP for a plan or a proof (:func:`~planner.solving.cpsat_path.race`);
6. :func:`~planner.solving.assemble.assemble` turns the candidate into a Plan; an
   infeasible model is explained by the engine that proved it or diagnosed
   (:mod:`planner.solving.diagnose`).
"""

from __future__ import annotations

import time

from models.plan import Plan
from models.scenario import Scenario
from planner import backends
from planner.errors import InfeasibleError, PlannerError, SolveError
from planner.formulation.build import build
from planner.problem.data import compile_problem
from planner.solving.assemble import assemble
from planner.solving.clock import RESERVE_MAX_SHARE, reserve
from planner.solving.greedy import run_greedy
from planner.solving.job import Candidate, Job, Start
from planner.solving.paths import choose, greedy_only, keep_best, start_large_child
from planner.solving.settings import GREEDY_SHARE, Settings, reasons_budget
from planner.solving.shape import shape_of


def solve(scenario: Scenario, settings: Settings | None = None) -> Plan:
    """Choose, schedule and staff initiatives for a validated scenario.

    Raises
    ------
    InfeasibleError
        When mandatory work or ``must`` RTB cannot fit; carries a diagnosis.
    SolveError
        When the solver stops without any plan (e.g. time limit) or fails.
    PlannerError
        For an unknown or unavailable backend.
    """
    st = (settings or Settings()).resolved(scenario)
    clock = st.clock
    if "load" not in clock.marks:
        clock.mark("load")
    data = compile_problem(scenario)
    t1 = clock.mark("compile")
    f = build(data, previous=st.previous)
    arrays = f.model.arrays()
    clock.mark("build")
    try:
        backend = backends.get(st.backend)
    except ValueError as exc:  # unknown or not installed: the user can act on it
        raise PlannerError(str(exc)) from exc
    reserved = reserve(len(scenario.staff), data.T, st.time_limit)
    if st.strategy != "greedy" and not all(i.required for i in data.initiatives):
        # the reasons explain initiatives left out: with only required ones, none can be
        reserved += reasons_budget(st.time_limit)
    job = Job(data, f, arrays, backend, st, t_start=clock.started, t_build=t1,
              reserved=min(reserved, RESERVE_MAX_SHARE * st.time_limit))
    greedy = st.strategy == "greedy"
    shape = None if greedy else shape_of(data, f)
    if shape is not None and shape.engine == "cpsat":
        # a scheduling problem: CP-SAT leads, and places the required work sooner than
        # the greedy would
        from planner.solving.cpsat_path import cpsat_lead

        return _finish(job, cpsat_lead(job), None)
    # on a large model the bound takes long: with two cores it starts now, beside the greedy
    child = None if greedy else start_large_child(job)
    try:
        t_g = time.perf_counter()
        try:
            # the greedy may use up to a third of the time limit; the MIP gets the rest
            g = run_greedy(data, f, deadline=None if greedy else
                           min(t_g + GREEDY_SHARE * job.limit, job.deadline))
            start: Start | None = Start(g.x, g.objective, "greedy baseline")
        except InfeasibleError:
            if greedy:
                raise
            start = None  # the MIP and the diagnosis explain it
        clock.mark("greedy")
        if greedy:
            assert start is not None
            cand = greedy_only(job, start)
        elif (start is None and any(i.required for i in data.initiatives)
              and shape is not None and not shape.beyond):
            # the greedy could not place the required work: CP-SAT and the MIP race
            from planner.solving.cpsat_path import race

            cand = keep_best(*race(job, child))
        else:
            cand = choose(job, start, child)
    finally:
        if child is not None:
            child.close()
    return _finish(job, cand, start)


def _finish(job: Job, cand: Candidate, start: Start | None) -> Plan:
    """The plan of a candidate, or the error that says why there is none."""
    st = job.settings
    clock = st.clock
    clock.mark("solve")
    cand.greedy_objective = start.objective if start is not None else None
    if cand.status == "infeasible":
        if cand.explained:  # CP-SAT proved that the required work overruns
            from planner.solving.cpsat_path import explain

            err = explain(job, cand)
            clock.mark("reasons")
            raise err
        from planner.solving.diagnose_kpi import diagnose

        # the diagnosis is a re-solve too: it gets what is left of the limit
        left = clock.started + st.time_limit - time.perf_counter()
        diagnosis = diagnose(job.data, backend=st.backend, time_limit=max(left, 1.0))
        clock.mark("reasons")
        raise InfeasibleError(diagnosis.to_text(), diagnosis=diagnosis, proved_by=cand.backend)
    if cand.x is None or cand.objective is None:
        if cand.status == "no_solution" and not cand.interrupted:
            raise SolveError(
                f"could not decide in the time limit ({st.time_limit:g} s): no plan was "
                "found and the scenario was not proved infeasible. Try a longer "
                f"--time-limit{' or a larger --gap' if st.gap < 1e-3 else ''}."
                + (f" ({cand.message})" if cand.message else "")
            )
        raise SolveError(
            f"no plan found: {cand.message or cand.status}. "
            "Try a longer --time-limit or a larger --gap."
        )
    return assemble(job, cand)
