"""Initiative costs: what each chosen initiative costs, and per point of strategic score."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts
from planner.views._money import money_rows, to_money

COLUMNS = [
    "initiative", "name", "review_status", "strategic_score", "value", "labour_hours",
    "non_labour_cost", "internal_labour_cost", "external_cost", "incremental_cost", "total_cost",
    "cost_per_point", "incremental_cost_per_point",
]


def initiative_costs(plan: Plan) -> pd.DataFrame:
    """One row per chosen initiative (scenario order).

    ``total_cost`` = non-labour + internal labour + contractors;
    ``incremental_cost`` = non-labour + contractors (what counts against the
    budget). ``cost_per_point`` is ``total_cost / strategic_score`` (empty for a
    score of 0), ``incremental_cost_per_point`` likewise. ``review_status`` is
    the initiative's ``status`` (proposed, approved, committed).
    """
    f = facts(plan)
    m = money_rows(plan, f)
    by = m[m["initiative"] != ""].groupby(["initiative", "category"])["cents"].sum()
    rows = []
    for r in plan.initiatives:
        if not r.selected:
            continue
        c = {k: int(by.get((r.id, k), 0)) for k in ("non_labour", "internal_labour", "external")}
        total = c["non_labour"] + c["internal_labour"] + c["external"]
        inc = c["non_labour"] + c["external"]
        score = r.strategic_score
        rows.append({
            "initiative": r.id,
            "name": r.name,
            "review_status": f.initiatives[r.id].status,
            "strategic_score": score,
            "value": r.value,
            "labour_hours": r.labour_hours,
            "non_labour_cost": to_money(c["non_labour"]),
            "internal_labour_cost": to_money(c["internal_labour"]),
            "external_cost": to_money(c["external"]),
            "incremental_cost": to_money(inc),
            "total_cost": to_money(total),
            "cost_per_point": round(total / 100.0 / score, 2) if score > 0 else None,
            "incremental_cost_per_point": round(inc / 100.0 / score, 2) if score > 0 else None,
        })
    return pd.DataFrame(rows, columns=COLUMNS)
