"""One finish step for every path: a candidate column vector becomes a :class:`Plan`.

Reads the starts and hours from the vector, splits cohort hours onto named people
(:mod:`planner.solving.allocate`), explains every left-out initiative
(:mod:`planner.solving.reasons`) and records how the plan was made (:class:`RunInfo`).
"""

from __future__ import annotations

import time

import pandas as pd

from models.plan import InitiativeResult, Plan, RunInfo
from planner.gather.ratings import disagreement_flags
from planner.solving.allocate import Schedule, assignments, read_solution
from planner.solving.clock import reserve
from planner.solving.job import Candidate, Job
from planner.solving.reasons import explain
from planner.solving.settings import reasons_budget


def assemble(job: Job, cand: Candidate) -> Plan:
    """The plan of ``cand`` (which must hold a column vector)."""
    assert cand.x is not None and cand.objective is not None
    st = job.settings
    greedy = st.strategy == "greedy"
    run = RunInfo(
        status="optimal" if cand.status == "optimal" else "feasible",
        strategy=st.strategy,
        backend=None if greedy else cand.backend,
        objective=cand.objective,
        bound=cand.bound,
        gap=cand.gap,
        seed=st.seed,
        time_limit=None if greedy else st.time_limit,
        gap_limit=None if greedy else st.gap,
        message=cand.message,
        interrupted=cand.interrupted,
        greedy_objective=None if greedy else cand.greedy_objective,
        model=job.model_size(),
    )
    clock = st.clock
    schedule, flows = read_solution(job.formulation.vars, cand.x)
    data = job.data
    previous = st.previous.assignments if st.previous is not None else None
    frame = assignments(data, schedule, flows, preferred=previous)
    clock.mark("allocate")
    results = initiative_results(job, schedule, frame)
    clock.mark("reasons")
    clock.parts.update(job.timings)
    run.timings = clock.timings()
    return Plan(scenario=data.scenario, run=run, initiatives=results, assignments=frame)


def initiative_results(job: Job, schedule: Schedule, frame: pd.DataFrame) -> list[InitiativeResult]:
    """The decision on every initiative, with its flags and the reason it was left out."""
    data = job.data
    st = job.settings
    # the reasons' re-solves get their share of the limit, and never the writing's time
    write_by = job.t_start + st.time_limit - reserve(len(data.scenario.staff), data.T,
                                                     st.time_limit)
    deadline = min(time.perf_counter() + reasons_budget(st.time_limit), write_by)
    reasons = explain(data, schedule, frame, backend=st.backend, deadline=deadline)
    labour = frame[~frame["work"].str.startswith("rtb:")].groupby("work")["hours"].sum()
    labels = data.calendar.labels
    disagree = disagreement_flags(data.scenario)  # issue 14: stakeholder ratings far apart
    results = []
    for ini in data.initiatives:
        s = schedule.starts.get(ini.index)
        src = data.scenario.initiatives[ini.index]
        flags = []
        if ini.misaligned:
            flags.append("misaligned")
        if ini.mandatory:
            flags.append("committed" if src.status == "committed" and not src.mandatory
                         else "mandatory")
        if ini.id in disagree:
            flags.append(disagree[ini.id])
        reason = reasons.get(ini.id, "")
        if reason.startswith("misaligned"):
            flags.remove("misaligned")
        results.append(
            InitiativeResult(
                id=ini.id,
                name=src.name or ini.id,
                selected=s is not None,
                start=labels[s] if s is not None else None,
                finish=labels[s + ini.duration - 1] if s is not None else None,
                strategic_score=round(ini.score, 6),
                value=ini.value,
                cost=ini.cost,
                labour_hours=round(float(labour.get(ini.id, 0.0)), 4),
                mandatory=ini.mandatory,
                misaligned=ini.misaligned,
                sponsor=ini.sponsor,
                reason="; ".join(flags + ([reason] if reason else [])),
            )
        )
    return results
