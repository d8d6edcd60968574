"""Budget: incremental spend against the total budget and the unit budgets."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.problem.money import total_budget
from planner.views._common import facts
from planner.views._money import money_rows, to_money

COLUMNS = [
    "scope", "unit", "budget", "initiative_cost", "external_cost", "incremental_spend",
    "remaining", "used", "internal_labour_cost",
]


def budget(plan: Plan) -> pd.DataFrame:
    """One row per unit, then a ``total`` row.

    ``incremental_spend`` = ``initiative_cost`` (non-labour cost of the chosen
    initiatives the unit sponsors) + ``external_cost`` (contractors on the
    unit's work); this is what ``budget`` limits (``policy.budget`` on the total
    row, the unit's ``budget`` on unit rows). ``remaining`` = budget - spend and
    ``used`` = spend / budget (both empty without a budget).
    ``internal_labour_cost`` (staff on the unit's work) is shown for information:
    it is not incremental spend. A per-year budget shows as the sum of its years
    here; year by year it is in :func:`planner.views.long_term.long_term_plan`.
    """
    f = facts(plan)
    m = money_rows(plan, f)
    by = m.groupby(["unit", "category"])["cents"].sum()
    budgets = {u.id: total_budget(u.budget) for u in plan.scenario.units}
    units = list(f.units) + sorted(set(m["unit"]) - set(f.units))

    def row(scope: str, unit: str, limit: float | None, cents: dict[str, int]) -> dict:
        spend = cents["non_labour"] + cents["external"]
        return {
            "scope": scope,
            "unit": unit,
            "budget": limit,
            "initiative_cost": to_money(cents["non_labour"]),
            "external_cost": to_money(cents["external"]),
            "incremental_spend": to_money(spend),
            "remaining": None if limit is None else round(limit - spend / 100.0, 2),
            "used": None if not limit else round(spend / 100.0 / limit, 4),
            "internal_labour_cost": to_money(cents["internal_labour"]),
        }

    rows = []
    totals = {c: 0 for c in ("internal_labour", "external", "non_labour")}
    for u in units:
        cents = {c: int(by.get((u, c), 0)) for c in totals}
        for c in totals:
            totals[c] += cents[c]
        rows.append(row("unit", u, budgets.get(u), cents))
    rows.append(row("total", "", total_budget(plan.scenario.policy.budget), totals))
    return pd.DataFrame(rows, columns=COLUMNS)
