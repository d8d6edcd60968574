"""``solve(scenario, settings) -> Plan``: compile, build, warm start, one path, one finish.

1. compile the scenario into :class:`~planner.problem.data.ProblemData`;
2. build the one formulation (:mod:`planner.formulation`);
3. the greedy rank-and-cut plan: the warm start (and the whole answer with
   ``strategy="greedy"``);
4. one path of :mod:`planner.solving.paths`, chosen by the model's size and what the
   backend supports;
5. :func:`~planner.solving.assemble.assemble` turns the candidate into a Plan; an
   infeasible model is diagnosed (:mod:`planner.solving.diagnose`) instead.
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
from planner.solving.job import Job, Start
from planner.solving.paths import choose, greedy_only, start_large_child
from planner.solving.settings import GREEDY_SHARE, Settings, reasons_budget


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
    if st.strategy != "greedy":
        reserved += reasons_budget(st.time_limit)
    job = Job(data, f, arrays, backend, st, t_start=clock.started, t_build=t1,
              reserved=min(reserved, RESERVE_MAX_SHARE * st.time_limit))
    if st.strategy == "cpsat":  # temporary (issue 19, phase 1): the CP-SAT engine alone
        from planner.solving.cpsat_path import solve_cpsat

        return solve_cpsat(job)
    greedy = st.strategy == "greedy"
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
        else:
            cand = choose(job, start, child)
    finally:
        if child is not None:
            child.close()
    clock.mark("solve")
    cand.greedy_objective = start.objective if start is not None else None
    if cand.status == "infeasible":
        from planner.solving.diagnose_kpi import diagnose

        # the diagnosis is a re-solve too: it gets what is left of the limit
        left = clock.started + st.time_limit - time.perf_counter()
        diagnosis = diagnose(data, backend=st.backend, time_limit=max(left, 1.0))
        clock.mark("reasons")
        raise InfeasibleError(diagnosis.to_text(), diagnosis=diagnosis)
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
