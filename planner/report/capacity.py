"""Capacity data of the report: utilisation against real capacity, unit load, conflicts.

*Real capacity* is the hours people are available (``hours_per_fte x fte x
availability``), before ``policy.max_utilisation`` caps what may be planned.
The views' ``capacity`` is that real capacity, with ``max_utilisation`` beside it; here
the capped part is kept too, so a chart can show the cap as a line below the real
capacity.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from models.plan import Plan
from planner.views import conflicts, unit_plans
from planner.views._common import facts

LOAD_COLUMNS = [
    "unit", "period", "available", "cap", "rtb", "own_change", "lent", "borrowed", "external",
    "planned",
]
#: Most conflicts listed one by one; the rest are summed per unit and resolution.
TOP_CONFLICTS = 25


def available_by_unit(plan: Plan) -> pd.DataFrame:
    """Hours the staff of each unit are available per period (real capacity), unit x period."""
    f = facts(plan)
    units = [p.unit for p in plan.scenario.staff]
    frame = pd.DataFrame(f.available, columns=f.labels)
    frame["unit"] = units
    out = frame.groupby("unit", sort=False).sum()
    order = list(f.units) + sorted(set(out.index) - set(f.units))
    return out.reindex(order, fill_value=0.0)


def unit_load(plan: Plan) -> pd.DataFrame:
    """Per unit and period: what the unit's people do against what they could do.

    ``rtb`` (own RTB), ``own_change`` (the unit's share of initiatives) and
    ``lent`` (any work for other units) are person-hours of the unit's staff
    and sum to ``planned``; ``borrowed`` and ``external`` are delivered hours
    of other units' staff and contractors on the unit's work (on top: they use
    no capacity of this unit). ``available`` is the real capacity, ``cap`` the
    part that may be planned (``available x max_utilisation``).
    """
    up = unit_plans(plan)
    avail = available_by_unit(plan)
    rows = []
    for r in up.itertuples(index=False):
        a = float(avail.at[r.unit, r.period]) if r.unit in avail.index else 0.0
        own_change = max(round(r.planned_hours - r.rtb_hours - r.lent, 4), 0.0)
        rows.append({
            "unit": r.unit, "period": r.period, "available": round(a, 4),
            "cap": round(a * r.max_utilisation, 4),
            "rtb": r.rtb_hours, "own_change": own_change, "lent": r.lent,
            "borrowed": r.borrowed, "external": r.external, "planned": r.planned_hours,
        })
    return pd.DataFrame(rows, columns=LOAD_COLUMNS)


def utilisation_matrix(plan: Plan) -> pd.DataFrame:
    """Unit x period: planned person-hours over real capacity (NaN where nobody is available)."""
    load = unit_load(plan)
    planned = load.pivot(index="unit", columns="period", values="planned")
    avail = load.pivot(index="unit", columns="period", values="available")
    order = list(dict.fromkeys(load["unit"]))
    labels = list(dict.fromkeys(load["period"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        util = planned / avail.where(avail > 1e-9)
    return util.reindex(index=order, columns=labels)


def conflict_summary(plan: Plan, top: int = TOP_CONFLICTS) -> dict[str, Any]:
    """Conflicts and how they were resolved, summed per unit, and the largest ones in full.

    Returns ``count`` (unit, skill and period where demand exceeded the unit's
    own capacity), ``by_unit`` (rows: unit, then hours per resolution) and
    ``largest`` (the ``top`` conflicts by excess, each with its resolutions).
    """
    c = conflicts(plan)
    if c.empty:
        return {"count": 0, "resolutions": [], "by_unit": [], "largest": []}
    key = ["unit", "skill", "period"]
    resolutions = list(dict.fromkeys(c["resolution"]))
    pivot = c.pivot_table(index="unit", columns="resolution", values="hours", aggfunc="sum",
                          sort=False, fill_value=0.0)
    counts = c.drop_duplicates(key).groupby("unit", sort=False).size()
    by_unit = [{"unit": u, "conflicts": int(counts.get(u, 0)),
                **{res: float(pivot.at[u, res]) for res in resolutions}} for u in pivot.index]
    heads = c.drop_duplicates(key).sort_values(["excess", "unit", "skill", "period"],
                                              ascending=[False, True, True, True]).head(top)
    largest = []
    picked = c.merge(heads[key], on=key)
    groups = dict(list(picked.groupby(key, sort=False)))
    for h in heads.itertuples(index=False):
        g = groups[(h.unit, h.skill, h.period)]
        largest.append({
            "unit": h.unit, "skill": h.skill, "period": h.period, "demand": h.demand,
            "capacity": h.capacity, "excess": h.excess,
            "resolutions": g[["resolution", "initiative", "from_unit", "detail", "hours"]]
            .to_dict("records"),
        })
    return {"count": int(len(c.drop_duplicates(key))), "resolutions": resolutions,
            "by_unit": by_unit, "largest": largest}
