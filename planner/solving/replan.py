"""Re-plan as of a period: solve the periods left, then put the frozen past back in front.

1. :func:`~planner.problem.asof.as_of_state`: the past, the status of every
   initiative, remaining effort, money committed, conflicts (computed by the caller);
2. conflicts no plan can resolve (a mandatory initiative now late, a budget already
   spent) raise :class:`~planner.errors.InfeasibleError` naming them;
3. :func:`~planner.problem.future.future_scenario` is solved by the usual
   :func:`~planner.solving.driver.solve`, staying close to the baseline;
4. :func:`merge`: the written plan is the whole year again: the past rows exactly as
   fixed, then the new rows; done and in-flight initiatives with their baseline
   start (and their finish now), stopped ones left out with what they cost.
"""

from __future__ import annotations

import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS, InitiativeResult, Plan, Replan
from planner.errors import InfeasibleError
from planner.problem.asof import AsOf
from planner.problem.future import future_scenario
from planner.solving.allocate import tidy
from planner.solving.driver import solve
from planner.solving.settings import Settings


def solve_as_of(state: AsOf, settings: Settings | None = None,
                baseline_dir: str | None = None) -> Plan:
    """Plan the periods from ``state.t0`` on and return the plan of the whole horizon.

    Raises
    ------
    InfeasibleError
        When a hard conflict of the as-of rules, or the mandatory work of the periods
        left, cannot be met.
    """
    if state.hard:
        lines = "\n".join(f"  - {h}" for h in state.hard)
        raise InfeasibleError(f"re-planning as of {state.label} is infeasible:\n{lines}")
    st = settings or Settings()
    started = state.started
    # stay close to the baseline's decisions on what has not started (the rest is fixed)
    previous = state.baseline.model_copy(update={"initiatives": [
        r for r in state.baseline.initiatives if r.id not in started]})
    future = solve(future_scenario(state), st.but(previous=previous))
    return merge(state, future, baseline_dir)


def merge(state: AsOf, future: Plan, baseline_dir: str | None = None) -> Plan:
    """The whole-horizon plan: the past rows, then ``future``'s (see the module docstring)."""
    sc = state.scenario
    frame = tidy(pd.concat([state.past[ASSIGNMENT_COLUMNS], future.assignments[ASSIGNMENT_COLUMNS]],
                           ignore_index=True), state.labels)
    labour = frame[~frame["work"].str.startswith("rtb:")].groupby("work")["hours"].sum()
    planned = {r.id: r for r in future.initiatives}
    results = []
    for ini in sc.initiatives:
        r = planned.get(ini.id)
        flags = [f for f, on in (("misaligned", sc.is_misaligned(ini)),
                                 ("mandatory", ini.mandatory)) if on]
        hours = round(float(labour.get(ini.id, 0.0)), 4)
        base = InitiativeResult(
            id=ini.id, name=ini.name or ini.id, selected=False,
            strategic_score=round(sc.strategic_score(ini), 6), value=ini.value, cost=ini.cost,
            labour_hours=hours, mandatory=ini.mandatory, misaligned=sc.is_misaligned(ini),
            sponsor=ini.sponsor)
        if ini.id in state.done:
            s, f = state.done[ini.id]
            res = base.model_copy(update={
                "selected": True, "start": state.labels[s], "finish": state.labels[f],
                "reason": "; ".join([*flags, f"done by {state.label}"])})
        elif ini.id in state.in_flight:
            fl = state.in_flight[ini.id]
            why = [*flags, f"in flight as of {state.label}"]
            if fl.finish != fl.planned_finish:
                why.append(f"finish moved from {fl.planned_finish}")
            res = base.model_copy(update={"selected": True, "start": fl.start,
                                          "finish": fl.finish, "reason": "; ".join(why)})
        elif ini.id in state.stopped:
            sp = state.stopped[ini.id]
            res = base.model_copy(update={"reason": (
                f"stopped as of {state.label} (pin: out): started {sp.start}, "
                f"{sp.hours:,.4g} h and {sp.spend:,.0f} of budget already spent")})
        elif ini.id in state.closed and (r is None or not r.selected):
            res = base.model_copy(update={"reason": state.closed[ini.id]})
        else:
            assert r is not None
            res = r.model_copy(update={"labour_hours": hours})
        results.append(res)
    run = future.run.model_copy(update={
        "message": (future.run.message + "; " if future.run.message else "")
        + f"re-planned as of {state.label}: objective and bound are those of the periods left"})
    return Plan(scenario=sc, run=run, initiatives=results, assignments=frame,
                overrides=future.overrides, warnings=future.warnings,
                replan=replan_record(state, baseline_dir))


def replan_record(state: AsOf, baseline_dir: str | None = None) -> Replan:
    """What the plan records of the re-plan (``plan.json``'s ``replan``)."""
    def rows(frame: pd.DataFrame) -> list[list[object]]:
        f = frame[ASSIGNMENT_COLUMNS]
        return f.astype(object).where(f.notna(), "").values.tolist()

    a, p = state.actuals, state.progress
    return Replan(
        as_of=state.label,
        baseline=baseline_dir,
        actuals_file=a.file if a else None,
        actuals_sha256=a.sha256 if a else None,
        progress_file=p.file if p else None,
        progress_sha256=p.sha256 if p else None,
        actuals=rows(a.rows) if a else [],
        baseline_past=rows(state.baseline_past),
        progress=[[i, u, k, h] for (i, u, k), h in p.remaining.items()] if p else [],
        started={r.id: str(r.start) for r in state.baseline.initiatives
                 if r.id in state.started},
        done=sorted(state.done, key=lambda i: state.done[i]),
        in_flight=list(state.in_flight.values()),
        stopped=list(state.stopped.values()),
        committed=state.committed,
        committed_by_unit=state.committed_by_unit,
        conflicts=list(state.conflicts),
        past_exceptions=list(state.exceptions),
    )
