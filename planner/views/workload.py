"""Workload: capacity against RTB and change demand per unit, skill and period."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import PlanFacts, facts, r4, ratio

COLUMNS = [
    "unit", "skill", "period", "capacity", "capacity_shared", "rtb_demand", "rtb_planned",
    "rtb_short", "rtb_short_must", "rtb_short_high", "rtb_short_normal", "change_demand",
    "change_planned", "own", "borrowed", "lent", "external", "planned_hours", "utilisation",
    "max_utilisation",
]


def workload(plan: Plan) -> pd.DataFrame:
    """One row per unit, skill and period.

    Columns
    -------
    capacity
        Available person-hours of the unit's staff who have the skill or wish to
        develop it (``hours_per_fte x fte x availability``), proficiency not applied:
        the real capacity, before the ``max_utilisation`` cap.
    capacity_shared
        True when some of those people have other skills too: their hours are
        counted in full under each of their skills, so capacities of one unit
        must not be added across skills.
    rtb_demand, rtb_planned, rtb_short, rtb_short_must/high/normal
        RTB demand, delivered RTB hours (by the unit's own, borrowed and
        contracted people) and the hours short, filled in priority order.
    change_demand, change_planned
        Effort of the chosen initiatives running in the period (effort / duration)
        and the delivered change hours.
    own, borrowed, external
        Delivered hours of this unit's work done by its own staff, by other
        units' staff and by contractors: ``own + borrowed + external =
        rtb_planned + change_planned``.
    lent
        Person-hours of this unit's staff in this skill on other units' work.
    planned_hours, utilisation
        Person-hours of the unit's staff in this skill (any work, own or lent),
        and ``utilisation`` = that over ``capacity`` (the real capacity).
    max_utilisation
        The policy's cap beside it: ``utilisation`` never exceeds it.
    """
    f = facts(plan)
    return f.memoised("workload", lambda: _workload(plan, f)).copy()


def _workload(plan: Plan, f: PlanFacts) -> pd.DataFrame:
    s = plan.scenario
    a = f.assignments
    T = len(f.labels)
    cap: dict[tuple[str, str], list[float]] = {}
    shared: dict[tuple[str, str], bool] = {}
    for k, p in enumerate(s.staff):
        skills = s.proficiencies(p)  # wished skills too: learners may work in them
        for sk in skills:
            row = cap.setdefault((p.unit, sk), [0.0] * T)
            for t in range(T):
                row[t] += float(f.available[k, t])
            shared[(p.unit, sk)] = shared.get((p.unit, sk), False) or len(skills) > 1

    staff_rows = a[~a["external"]]
    own = staff_rows[staff_rows["unit"] == staff_rows["for_unit"]]
    other = staff_rows[staff_rows["unit"] != staff_rows["for_unit"]]
    sums = {
        "own": own.groupby(["for_unit", "skill", "t"])["delivered"].sum(),
        "borrowed": other.groupby(["for_unit", "skill", "t"])["delivered"].sum(),
        "lent": other.groupby(["unit", "skill", "t"])["hours"].sum(),
        "external": a[a["external"]].groupby(["for_unit", "skill", "t"])["delivered"].sum(),
        "planned": staff_rows.groupby(["unit", "skill", "t"])["hours"].sum(),
        "change": a[a["change"]].groupby(["for_unit", "skill", "t"])["delivered"].sum(),
    }
    get = {k: {key: float(v) for key, v in ser.items()} for k, ser in sums.items()}

    keys = set(cap) | set(f.rtb_demand)
    keys |= {(u, sk) for (u, sk, _t) in f.change_demand}
    for ser in sums.values():
        keys |= {(u, sk) for (u, sk, _t) in ser.index}
    unit_order = {u: k for k, u in enumerate(f.units)}
    ordered = sorted(keys, key=lambda k: (unit_order.get(k[0], len(unit_order)), k[0], k[1]))

    rows = []
    for u, sk in ordered:
        rtb = f.rtb_demand.get((u, sk))
        for t, label in enumerate(f.labels):
            key = (u, sk, t)
            c = cap.get((u, sk), [0.0] * T)[t]
            must, high, normal = f.rtb_short(u, sk, t)
            planned = get["planned"].get(key, 0.0)
            rows.append({
                "unit": u,
                "skill": sk,
                "period": label,
                "capacity": r4(c),
                "capacity_shared": shared.get((u, sk), False),
                "rtb_demand": r4(rtb[:, t].sum()) if rtb is not None else 0.0,
                "rtb_planned": r4(f.rtb_planned.get(key, 0.0)),
                "rtb_short": r4(must + high + normal),
                "rtb_short_must": r4(must),
                "rtb_short_high": r4(high),
                "rtb_short_normal": r4(normal),
                "change_demand": r4(f.change_demand.get(key, 0.0)),
                "change_planned": r4(get["change"].get(key, 0.0)),
                "own": r4(get["own"].get(key, 0.0)),
                "borrowed": r4(get["borrowed"].get(key, 0.0)),
                "lent": r4(get["lent"].get(key, 0.0)),
                "external": r4(get["external"].get(key, 0.0)),
                "planned_hours": r4(planned),
                "utilisation": ratio(planned, c),
                "max_utilisation": s.policy.max_utilisation,
            })
    return pd.DataFrame(rows, columns=COLUMNS)
