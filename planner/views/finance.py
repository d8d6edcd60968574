"""Finance: labour, contractor and non-labour money by unit, work, objective and period."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts
from planner.views._money import money_rows

COLUMNS = [
    "category", "unit", "staff_unit", "work", "initiative", "objective", "period", "hours",
    "amount",
]


def finance(plan: Plan) -> pd.DataFrame:
    """Every amount of money in the plan, one row per category, unit, work, objective, period.

    ``category`` is ``internal_labour`` (person-hours x the person's
    ``cost_per_hour``), ``external`` (contractor hours x the contract's rate) or
    ``non_labour`` (an initiative's ``cost``, spread evenly over its periods).
    ``unit`` is the unit the work serves (the sponsor for non-labour cost),
    ``staff_unit`` the unit of the people (internal labour only), ``work`` an
    initiative id or ``rtb:<unit>``, ``initiative`` the initiative id (empty
    for RTB). An initiative's money is split over the objectives it serves in
    proportion to weight x rating (``objective`` is empty for RTB and for
    misaligned initiatives); ``hours`` are split the same way.

    ``amount`` is rounded to cents such that the rows of each category and
    piece of work sum exactly to its total rounded to cents; the totals in
    :func:`planner.views.summary` are sums of this column.
    """
    m = money_rows(plan, facts(plan))
    out = m[["category", "unit", "staff_unit", "work", "initiative", "objective", "period"]].copy()
    out["hours"] = m["hours"].round(4)
    out["amount"] = (m["cents"] / 100.0).round(2)
    return out.reset_index(drop=True)[COLUMNS]
