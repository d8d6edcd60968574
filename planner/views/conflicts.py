"""Conflicts: where the wish list does not fit, and how the optimiser resolved it."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from models.plan import Plan
from planner.problem.data import InitiativeData, ProblemData, compile_problem
from planner.views._common import TOL, PlanFacts, facts, r4

COLUMNS = [
    "unit", "skill", "period", "demand", "capacity", "excess", "resolution", "initiative",
    "from_unit", "detail", "hours",
]


def unconstrained_demand(
    plan: Plan, f: PlanFacts | None = None
) -> dict[tuple[str, str, int], float]:
    """Delivered hours wanted per (unit, skill, period) if nothing had to give.

    All RTB (every priority) plus every initiative that could be chosen
    (aligned or mandatory, not pinned out, with a possible window) at its
    earliest start.
    """
    f = f or facts(plan)
    data = _problem(plan, f)
    out: dict[tuple[str, str, int], float] = defaultdict(float)
    for (u, sk), arr in f.rtb_demand.items():
        for t in range(arr.shape[1]):
            out[(u, sk, t)] += float(arr[:, t].sum())
    for ini in _wished(data):
        for u, sk, h in ini.lines:
            for t in range(ini.earliest, ini.earliest + ini.duration):
                out[(u, sk, t)] += h / ini.duration
    return out


def own_capacity(plan: Plan, f: PlanFacts | None = None) -> dict[tuple[str, str, int], float]:
    """Most delivered hours a unit's own staff could give a skill per period.

    Capacity x proficiency of everyone in the unit with the skill, each person
    counted in full under each of their skills: an upper bound, so demand above
    it cannot be met by the unit alone.
    """
    f = f or facts(plan)
    out: dict[tuple[str, str, int], float] = defaultdict(float)
    for k, p in enumerate(plan.scenario.staff):
        for sk, q in plan.scenario.proficiencies(p).items():  # learners at learner proficiency
            for t in range(len(f.labels)):
                out[(p.unit, sk, t)] += float(f.capacity[k, t]) * q
    return out


def _problem(plan: Plan, f: PlanFacts) -> ProblemData:
    """The compiled problem of the plan's scenario, compiled once per facts."""
    return f.memoised("problem", lambda: compile_problem(plan.scenario))


def _wished(data: ProblemData) -> list[InitiativeData]:
    return [ini for ini in data.initiatives if ini.selectable]


def conflicts(plan: Plan) -> pd.DataFrame:
    """One row per way each conflict was resolved.

    A conflict is a unit, skill and period where the unconstrained demand
    (:func:`unconstrained_demand`) exceeds what the unit's own staff could
    deliver (:func:`own_capacity`). Each conflict gets one row per resolution:

    * ``deferred``: an initiative that would have run then at its earliest
      start was started later (``detail``: ``from P to Q``);
    * ``left out``: an initiative that would have run then was not chosen
      (``detail``: the reason);
    * ``borrowed``: delivered hours from another unit's staff (``from_unit``);
    * ``contractors``: delivered hours from outside capacity (``detail``: pool);
    * ``rtb shortfall``: RTB hours left undone (``detail``: priority).

    ``hours`` are delivered hours in this unit, skill and period; ``demand``,
    ``capacity`` and ``excess`` repeat on every row of the conflict.
    """
    f = facts(plan)
    data = _problem(plan, f)
    demand = unconstrained_demand(plan, f)
    cap = own_capacity(plan, f)
    a = f.assignments
    other = a[~a["external"] & (a["unit"] != a["for_unit"])]
    borrowed = other.groupby(["for_unit", "skill", "t", "unit"])["delivered"].sum()
    ext = a[a["external"]].groupby(["for_unit", "skill", "t", "contract"])["delivered"].sum()
    helpers: dict[tuple[str, str, int], list[tuple[str, str, str, str, float]]] = defaultdict(list)
    for (fu, fsk, ft, lender), h in borrowed.items():
        if h > TOL:
            helpers[(fu, fsk, int(ft))].append(("borrowed", "", lender, "", float(h)))
    for (fu, fsk, ft, pool), h in ext.items():
        if h > TOL:
            helpers[(fu, fsk, int(ft))].append(("contractors", "", "", pool, float(h)))
    reasons = {r.id: r.reason for r in plan.initiatives}
    labels = f.labels
    unit_order = {u: k for k, u in enumerate(f.units)}
    rows = []
    keys = sorted(
        (k for k, d in demand.items() if d > cap.get(k, 0.0) + TOL),
        key=lambda k: (unit_order.get(k[0], len(unit_order)), k[0], k[1], k[2]),
    )
    for u, sk, t in keys:
        d, c = demand[(u, sk, t)], cap.get((u, sk, t), 0.0)
        base = {"unit": u, "skill": sk, "period": labels[t], "demand": r4(d), "capacity": r4(c),
                "excess": r4(d - c)}
        found = []
        for ini in _wished(data):
            if not ini.earliest <= t < ini.earliest + ini.duration:
                continue
            h = sum(hh for lu, ls, hh in ini.lines if (lu, ls) == (u, sk)) / ini.duration
            if h <= 0:
                continue
            if ini.id not in f.starts:
                found.append(("left out", ini.id, "", reasons.get(ini.id, ""), h))
            elif f.starts[ini.id][0] > t:
                s = f.starts[ini.id][0]
                found.append(("deferred", ini.id, "", f"from {labels[ini.earliest]} to {labels[s]}",
                              h))
        found.extend(helpers.get((u, sk, t), []))
        must, high, normal = f.rtb_short(u, sk, t)
        for prio, h in (("must", must), ("high", high), ("normal", normal)):
            if h > TOL:
                found.append(("rtb shortfall", "", "", prio, h))
        if not found:  # cannot happen for a plan that meets its own rules; say so if it does
            found.append(("unresolved", "", "", "no resolution found in the plan", 0.0))
        for res, iid, fu, detail, h in found:
            rows.append({**base, "resolution": res, "initiative": iid, "from_unit": fu,
                         "detail": detail, "hours": r4(h)})
    return pd.DataFrame(rows, columns=COLUMNS)
