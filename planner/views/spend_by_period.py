"""Spend by period and by quarter: wide tables a finance person pivots to.

One row per unit and money category (``internal_labour``, ``external``,
``non_labour``), then ``total`` rows per category and for the incremental spend
(``non_labour + external``, what budgets limit); one column per period (or quarter)
and a ``total`` column. Amounts are sums of the cents of :func:`planner.views.finance`,
so every cell adds up exactly to the other money views.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from models.plan import Plan
from planner.views._common import facts
from planner.views._money import CATEGORIES, SPEND, money_rows


def spend_by_period(plan: Plan) -> pd.DataFrame:
    """Money per unit and category (rows) and period (columns), with totals."""
    f = facts(plan)
    return _wide(plan, list(f.labels), list(f.labels))


def spend_by_quarter(plan: Plan) -> pd.DataFrame:
    """As :func:`spend_by_period`, one column per calendar quarter (``2027-Q1``).

    Months and quarters fall in the quarter they belong to, a week in the quarter of
    its Thursday (ISO 8601). With ``period: index`` there are no quarters: the table
    has only its ``unit`` and ``category`` columns and the ``total``.
    """
    f = facts(plan)
    kind = plan.scenario.horizon.period
    quarters = [quarter_of(label, kind) for label in f.labels]
    order = list(dict.fromkeys(q for q in quarters if q is not None))
    return _wide(plan, [q or "" for q in quarters], order)


def quarter_of(label: str, kind: str) -> str | None:
    """``2027-Q1`` for ``2027-02`` (month), ``2027-W05`` (week) or ``2027-Q1``; else None."""
    try:
        if kind == "month":
            year, month = label.split("-")
            return f"{year}-Q{(int(month) - 1) // 3 + 1}"
        if kind == "week":
            year, week = label.split("-W")
            thursday = dt.date.fromisocalendar(int(year), int(week), 4)
            return f"{thursday.year}-Q{(thursday.month - 1) // 3 + 1}"
        if kind == "quarter":
            return label
    except ValueError:
        return None
    return None


def _wide(plan: Plan, column_of_t: list[str], columns: list[str]) -> pd.DataFrame:
    """Rows (unit, category), the cents of period ``t`` under ``column_of_t[t]``."""
    f = facts(plan)
    m = money_rows(plan, f)
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for unit, cat, t, cents in zip(m["unit"], m["category"], m["t"], m["cents"], strict=True):
        row = cells.setdefault((unit, cat), {})
        col = column_of_t[int(t)]
        if col:
            row[col] = row.get(col, 0) + int(cents)
        row["total"] = row.get("total", 0) + int(cents)
    units = list(f.units) + sorted({u for u, _c in cells} - set(f.units))
    rows = []
    for u in units:
        for cat in CATEGORIES:
            if (u, cat) in cells:
                rows.append((u, cat, cells[(u, cat)]))
    totals: dict[str, dict[str, int]] = {c: {} for c in (*CATEGORIES, "incremental_spend")}
    for (_u, cat), row in cells.items():
        for col, cents in row.items():
            totals[cat][col] = totals[cat].get(col, 0) + cents
            if cat in SPEND:
                inc = totals["incremental_spend"]
                inc[col] = inc.get(col, 0) + cents
    for cat, row in totals.items():
        rows.append(("total", cat, row))
    out = [{"unit": u, "category": c, **{col: row.get(col, 0) / 100 for col in columns},
            "total": row.get("total", 0) / 100} for u, c, row in rows]
    return pd.DataFrame(out, columns=["unit", "category", *columns, "total"])
