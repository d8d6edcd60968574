"""The report's long-term parts (issue 15): the plan year by year, per-year budgets, KPI
checkpoints.

:func:`by_year` is the by-year roadmap section, read from the ``long_term_plan``
view (:mod:`planner.views.long_term`): per calendar year what runs, starts and
finishes, spend against the year's budget, benefits, and each KPI's forecast at
the year's end against the target due in it. A plan of one calendar year without
per-year fields has no such section. :func:`budget_to_date` is the budget line of
the spend chart when the budget is given per year, :func:`checkpoints` the targets
of each KPI's chart.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from models.plan import Plan
from planner.problem.calendar import Calendar
from planner.views.long_term import long_term_plan


def _value(x: Any) -> Any:
    """A cell with missing values (NaN, NA, empty) as None, so templates can test them."""
    if x is None or x is pd.NA or x == "" or (isinstance(x, float) and math.isnan(x)):
        return None
    return x


def by_year(plan: Plan) -> dict[str, Any] | None:
    """The by-year section: ``rows`` (one per year) and ``kpis`` (id, name); None for a
    plan of one calendar year without per-year budgets or targets."""
    s = plan.scenario
    per_year = isinstance(s.policy.budget, dict) or any(isinstance(u.budget, dict)
                                                        for u in s.units) \
        or any(k.targets for k in s.strategy.kpis)
    lt = long_term_plan(plan)
    if len(lt) <= 1 and not per_year:
        return None
    kpis = [(k.id, k.name or k.id) for k in s.strategy.kpis]
    rows = []
    for r in lt.to_dict("records"):
        rows.append({
            **{c: _value(r[c]) for c in ("year", "first", "last", "initiatives_running",
                                         "initiative_cost", "external_cost", "spend", "budget",
                                         "remaining", "spend_to_date", "budget_to_date",
                                         "benefits")},
            **{c: [x for x in str(r[c]).split("; ") if x]
               for c in ("running", "starting", "finishing")},
            "kpis": [{"id": kid, "name": name, "forecast": _value(r[f"kpi[{kid}]"]),
                      "target": _value(r[f"target[{kid}]"]), "met": _value(r[f"met[{kid}]"])}
                     for kid, name in kpis],
        })
    return {"rows": rows, "kpis": [{"id": k, "name": n} for k, n in kpis],
            "carry_over": s.policy.carry_over}


def budget_to_date(plan: Plan) -> float | list[float] | None:
    """The spend chart's budget line: one amount, or per period the amounts of its year
    and every year before (what cumulative spend is held to with ``carry_over``; without
    it, each year's own amount binds as well)."""
    budget = plan.scenario.policy.budget
    if not isinstance(budget, dict):
        return budget
    years = Calendar(plan.scenario.horizon).period_years
    return [float(sum(a for y, a in budget.items() if y <= year)) for year in years]


def checkpoints(targets: pd.DataFrame, kpi: str) -> list[tuple[str, float]]:
    """``(due period, target)`` of every target of ``kpi`` in the report's KPI rows."""
    rows = targets[(targets["kpi"] == kpi) & targets["target"].notna()]
    return [(str(b), float(t)) for b, t in zip(rows["by"], rows["target"], strict=True)]
