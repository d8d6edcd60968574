"""Unit operating plans: per unit and period, capacity, RTB cover, change, borrowing."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import PlanFacts, facts, r4, ratio
from planner.views.workload import workload

COLUMNS = [
    "unit", "period", "staff", "capacity", "planned_hours", "utilisation", "max_utilisation",
    "rtb_demand",
    "rtb_planned", "rtb_coverage", "rtb_short", "rtb_short_high", "rtb_short_normal",
    "rtb_hours", "change_own_hours", "change_other_hours", "change_demand", "change_planned",
    "lent", "borrowed", "external",
]


def unit_plans(plan: Plan) -> pd.DataFrame:
    """One row per unit and period.

    ``capacity`` is the available hours of the unit's people (each person once,
    whatever their skills; ``hours_per_fte x fte x availability``, the real
    capacity); ``planned_hours`` their person-hours on any work, ``utilisation``
    the ratio, and ``max_utilisation`` the policy's cap beside it (utilisation
    never exceeds it). RTB columns are delivered hours summed over
    skills (``rtb_coverage`` = planned / demand). ``rtb_hours`` is the
    person-hours of the unit's staff on its own RTB, ``change_own_hours`` on
    initiatives the unit sponsors, ``change_other_hours`` on other units'
    initiatives. ``lent`` (person-hours of its staff on other units' work),
    ``borrowed`` and ``external`` (delivered hours on its work from other
    units' staff and contractors) are as in :func:`workload`.
    """
    f = facts(plan)
    return f.memoised("unit_plans", lambda: _unit_plans(plan, f)).copy()


def _unit_plans(plan: Plan, f: PlanFacts) -> pd.DataFrame:
    a = f.assignments
    w = workload(plan)
    agg = w.groupby(["unit", "period"], sort=False)[
        ["rtb_demand", "rtb_planned", "rtb_short", "rtb_short_high", "rtb_short_normal",
         "change_demand", "change_planned", "lent", "borrowed", "external"]
    ].sum()
    staff_rows = a[~a["external"]].copy()
    own_sponsor = [
        bool(ch) and f.sponsor.get(work) == u
        for ch, work, u in zip(staff_rows["change"], staff_rows["work"], staff_rows["unit"],
                               strict=True)
    ]
    staff_rows["kind"] = "rtb"
    staff_rows.loc[staff_rows["change"], "kind"] = "change_other"
    own_mask = pd.Series(own_sponsor, index=staff_rows.index, dtype=bool)
    staff_rows.loc[own_mask, "kind"] = "change_own"
    kinds = staff_rows.groupby(["unit", "t", "kind"])["hours"].sum()
    is_own_rtb = staff_rows["work"] == "rtb:" + staff_rows["unit"]
    rtb_own = staff_rows[(~staff_rows["change"]) & is_own_rtb]
    rtb_own_h = rtb_own.groupby(["unit", "t"])["hours"].sum()
    planned = staff_rows.groupby(["unit", "t"])["hours"].sum()

    members: dict[str, list[int]] = {}
    for k, p in enumerate(plan.scenario.staff):
        members.setdefault(p.unit, []).append(k)
    units = list(f.units) + sorted({u for u, _p in agg.index} - set(f.units))
    rows = []
    for u in units:
        idx = members.get(u, [])
        for t, label in enumerate(f.labels):
            cap = float(f.available[idx, t].sum()) if idx else 0.0
            ph = float(planned.get((u, t), 0.0))
            g = agg.loc[(u, label)] if (u, label) in agg.index else None

            def val(col: str, g: pd.Series | None = g) -> float:
                return r4(g[col]) if g is not None else 0.0

            demand = val("rtb_demand")
            rows.append({
                "unit": u,
                "period": label,
                "staff": len(idx),
                "capacity": r4(cap),
                "planned_hours": r4(ph),
                "utilisation": ratio(ph, cap),
                "max_utilisation": plan.scenario.policy.max_utilisation,
                "rtb_demand": demand,
                "rtb_planned": val("rtb_planned"),
                "rtb_coverage": ratio(min(val("rtb_planned"), demand), demand),
                "rtb_short": val("rtb_short"),
                "rtb_short_high": val("rtb_short_high"),
                "rtb_short_normal": val("rtb_short_normal"),
                "rtb_hours": r4(rtb_own_h.get((u, t), 0.0)),
                "change_own_hours": r4(kinds.get((u, t, "change_own"), 0.0)),
                "change_other_hours": r4(kinds.get((u, t, "change_other"), 0.0)),
                "change_demand": val("change_demand"),
                "change_planned": val("change_planned"),
                "lent": val("lent"),
                "borrowed": val("borrowed"),
                "external": val("external"),
            })
    return pd.DataFrame(rows, columns=COLUMNS)
