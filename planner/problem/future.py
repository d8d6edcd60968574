"""The scenario of the periods left: what a re-plan as of a period actually optimises.

The past is not in the model at all: it is fixed outside it
(:mod:`planner.problem.asof`) and the usual solve plans a scenario of the
remaining periods only, in which the as-of rules are plain data:

- the horizon starts at the as-of period (same labels, so the plan's rows need no
  translation); availability, RTB hours per period, contractors' ``from`` and KPI
  ``by`` periods keep their labels; RTB lists lose their past entries;
- a *done* initiative is gone; its KPI impacts are in the KPI baselines (the
  forecast at the end of the last past period), and dependencies on it are met;
- an *in-flight* initiative is pinned in with its start fixed to the as-of period,
  its duration the periods left to its (possibly moved) finish, its effort the
  remaining hours per line and its cost 0 (its cost is committed already); it has
  no deadline (a missed one is a conflict, see :mod:`~planner.problem.asof`), no
  dependencies (they were met when it started) and no rivals;
- a *stopped* initiative, and one that can no longer start (window passed, a
  rival started, a prerequisite stopped), is pinned out;
- every other initiative keeps its rules; an ``earliest_start`` in the past no longer
  binds;
- the budgets are lowered by the money spent or committed in the past;
- KPI targets due before the as-of period, or already met by what is done, are
  dropped (nothing the rest of the year does changes them).

Smaller than the whole year, so a re-plan mid-year solves faster than a fresh plan.
"""

from __future__ import annotations

from models.scenario import KPI, EffortLine, Initiative, Person, Scenario, Strategy
from planner.problem.asof import AsOf
from planner.problem.kpi import direction, total_impacts


def future_scenario(state: AsOf) -> Scenario:
    """The scenario of the periods from ``state.t0`` on (see the module docstring)."""
    sc, t0, labels = state.scenario, state.t0, state.labels
    future = set(labels[t0:])
    horizon = sc.horizon.model_copy(update={"start": labels[t0], "periods": len(labels) - t0})
    staff = [_person(p, future) for p in sc.staff]
    rtb = [r if not isinstance(r.hours, list) else r.model_copy(update={"hours": r.hours[t0:]})
           for r in sc.run_the_business]
    inits = [i for i in (_initiative(state, ini) for ini in sc.initiatives) if i is not None]
    external = [e.model_copy(update={"from_": None}) if e.from_ is not None and
                str(e.from_) not in future else e for e in sc.external]
    pol = sc.policy
    budget = None if pol.budget is None else max(pol.budget - state.committed, 0.0)
    units = [u if u.budget is None else u.model_copy(update={
        "budget": max(u.budget - state.committed_by_unit.get(u.id, 0.0), 0.0)})
        for u in sc.units]
    return sc.model_copy(update={
        "horizon": horizon, "staff": staff, "run_the_business": rtb, "initiatives": inits,
        "external": external, "units": units,
        "policy": pol.model_copy(update={"budget": budget}),
        "strategy": _strategy(state, future),
    })


def _person(p: Person, future: set[str]) -> Person:
    if all(label in future for label in p.availability):
        return p
    return p.model_copy(update={"availability": {k: v for k, v in p.availability.items()
                                                 if k in future}})


def _initiative(state: AsOf, ini: Initiative) -> Initiative | None:
    if ini.id in state.done:
        return None
    gone = set(state.done)
    if ini.id in state.in_flight:
        f = state.in_flight[ini.id]
        periods = state.labels.index(f.finish) - state.t0 + 1
        effort = [EffortLine(unit=ln.unit, skill=ln.skill, hours=ln.remaining)
                  for ln in f.lines if ln.remaining > 0]
        return ini.model_copy(update={
            "start": state.label, "duration": periods, "effort": effort, "pin": "in",
            "cost": 0.0, "earliest_start": None, "deadline": None, "depends_on": [],
            "exclusive_with": []})
    update: dict[str, object] = {
        "depends_on": [d for d in ini.depends_on if d not in gone],
        "exclusive_with": [x for x in ini.exclusive_with if x not in gone
                           and x not in state.in_flight],
    }
    past = set(state.labels[:state.t0])
    if ini.earliest_start is not None and str(ini.earliest_start) in past:
        update["earliest_start"] = None
    if ini.id in state.stopped or ini.id in state.closed:
        update.update({"pin": "out", "mandatory": False, "start": None, "deadline": None,
                       "effort": []})
    return ini.model_copy(update=update)


def _strategy(state: AsOf, future: set[str]) -> Strategy:
    """KPIs with the done initiatives' impacts in their baselines; past or met targets off."""
    sc = state.scenario
    impacts = dict(zip((i.id for i in sc.initiatives), total_impacts(sc), strict=True))
    moved: dict[str, float] = {}
    for iid in state.done:
        for kid, x in impacts.get(iid, {}).items():
            moved[kid] = moved.get(kid, 0.0) + x
    kpis: list[KPI] = []
    for k in sc.strategy.kpis:
        base = (k.baseline or 0.0) + moved.get(k.id, 0.0)
        update: dict[str, object] = {"baseline": base} if k.id in moved else {}
        if k.target is not None:
            due_past = k.by is not None and str(k.by) not in future
            met = direction(k) * (k.target - base) <= 0
            if due_past or met:
                update.update({"target": None, "by": None, "must_meet": False})
        kpis.append(k.model_copy(update=update) if update else k)
    return sc.strategy.model_copy(update={"kpis": kpis})

