"""Long-term plan: the plan year by year (issue 15), ``long_term_plan.csv``.

One row per calendar year the horizon touches (:mod:`planner.problem.calendar`;
a horizon of ``index`` periods has no calendar and gets one row, ``year``
empty). It is also the data of the report's by-year roadmap: call
:func:`long_term_plan` on a plan.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from models.plan import Plan
from models.scenario import Budget
from planner.problem.kpi import forecast, targets
from planner.problem.money import benefits, total_budget
from planner.views._common import facts, join
from planner.views._money import money_rows, to_money
from planner.views.kpi_path import finish_periods

BASE_COLUMNS = [
    "year", "first", "last", "initiatives_running", "running", "starting", "finishing",
    "initiative_cost", "external_cost", "spend", "budget", "remaining", "spend_to_date",
    "budget_to_date", "benefits",
]


def long_term_plan(plan: Plan) -> pd.DataFrame:
    """One row per calendar year: what runs, what it costs against the budget, where KPIs stand.

    ``first`` and ``last`` are the year's first and last periods in the horizon.
    ``running`` lists the chosen initiatives active in some period of the year
    (``initiatives_running`` counts them), ``starting`` and ``finishing`` those
    that start or finish in it. Money is counted in the year of the period it
    falls in, as the budgets count it (:mod:`planner.problem.money`):
    ``initiative_cost`` (non-labour cost by each initiative's cost profile),
    ``external_cost`` (contractors), ``spend`` = their sum, ``budget`` the year's
    amount of ``policy.budget`` (empty when it is one amount for the whole
    horizon, or absent), ``remaining`` = budget - spend (to date with
    ``policy.carry_over``), ``spend_to_date`` and ``budget_to_date`` the running
    totals. ``benefits``: the money delivered initiatives bring in the year (one-off
    ``value`` in the finish period, then ``value_per_period``, undiscounted). Then
    per unit with a budget ``spend[<unit>]`` and ``budget[<unit>]``, and per KPI
    ``kpi[<kpi>]`` (forecast at the end of the year's last period), and for the
    KPI targets falling in the year (yearly targets, or a ``target`` whose ``by``
    is in it) ``target[<kpi>]`` and ``met[<kpi>]`` (checked at its ``by``).
    """
    f = facts(plan)
    s = plan.scenario
    labels = f.labels
    T = len(labels)
    cal = f.calendar
    groups: list[tuple[int | None, list[int]]] = (
        [(y, cal.periods_of(y)) for y in cal.years] if cal.has_years else [(None, list(range(T)))]
    )
    m = money_rows(plan, f)
    cents = m.groupby(["category", "t"])["cents"].sum()
    unit_cents = m[m["category"].isin(["non_labour", "external"])].groupby(["unit", "t"])[
        "cents"].sum()
    flow = np.zeros(T)
    for iid, (_s, fin) in f.starts.items():
        flow += benefits(f.initiatives[iid], fin, T)
    fins = finish_periods(f)
    paths = forecast(s, fins, T)
    checkpoints: dict[int, dict[str, tuple[float, bool]]] = defaultdict(dict)
    for t in targets(s, cal):
        checkpoints[t.by][t.id] = (t.target, t.met(paths[t.id][t.by]))
    budgeted = [u for u in s.units if u.budget is not None]
    carry = s.policy.carry_over
    rows = []
    spent_to_date = 0
    budget_to_date: float | None = 0.0
    for year, ts in groups:
        period_set = set(ts)
        spend = {c: sum(int(cents.get((c, t), 0)) for t in ts) for c in ("non_labour", "external")}
        total = spend["non_labour"] + spend["external"]
        spent_to_date += total
        limit = _of_year(s.policy.budget, year)
        budget_to_date = None if limit is None or budget_to_date is None else (
            budget_to_date + limit)
        if carry and budget_to_date is not None:
            remaining: float | None = round(budget_to_date - spent_to_date / 100, 2)
        else:
            remaining = None if limit is None else round(limit - total / 100, 2)
        running = sorted(i for i, (a, b) in f.starts.items() if any(a <= t <= b for t in ts))
        row: dict[str, object] = {
            "year": "" if year is None else year,
            "first": labels[ts[0]],
            "last": labels[ts[-1]],
            "initiatives_running": len(running),
            "running": join(running),
            "starting": join(sorted(i for i, (a, _b) in f.starts.items() if a in period_set)),
            "finishing": join(sorted(i for i, (_a, b) in f.starts.items() if b in period_set)),
            "initiative_cost": to_money(spend["non_labour"]),
            "external_cost": to_money(spend["external"]),
            "spend": to_money(total),
            "budget": limit,
            "remaining": remaining,
            "spend_to_date": to_money(spent_to_date),
            "budget_to_date": None if budget_to_date is None else round(budget_to_date, 2),
            "benefits": round(float(flow[ts].sum()), 2),
        }
        for u in budgeted:
            row[f"spend[{u.id}]"] = to_money(sum(int(unit_cents.get((u.id, t), 0)) for t in ts))
            row[f"budget[{u.id}]"] = _of_year(u.budget, year)
        for k in s.strategy.kpis:
            row[f"kpi[{k.id}]"] = round(paths[k.id][ts[-1]], 6)
            hit = [checkpoints[t][k.id] for t in ts if k.id in checkpoints.get(t, {})]
            row[f"target[{k.id}]"] = hit[-1][0] if hit else None
            row[f"met[{k.id}]"] = hit[-1][1] if hit else None
        rows.append(row)
    extra = [c for c in (rows[0] if rows else {}) if c not in BASE_COLUMNS]
    return pd.DataFrame(rows, columns=BASE_COLUMNS + extra)


def _of_year(budget: Budget | None, year: int | None) -> float | None:
    """The amount of a per-year budget for ``year`` (None for one whole-horizon amount)."""
    if isinstance(budget, dict):
        return float(budget[year]) if year in budget else None
    if year is None:
        return total_budget(budget)
    return None
