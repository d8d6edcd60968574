"""Portfolio: the decision on every initiative (contract file ``portfolio.csv``)."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan

COLUMNS = [
    "initiative", "name", "selected", "start", "finish", "strategic_score", "value", "cost",
    "labour_hours", "reason", "sponsor", "mandatory", "misaligned",
]


def portfolio(plan: Plan) -> pd.DataFrame:
    """One row per initiative, in scenario order.

    ``start`` and ``finish`` are period labels (empty when not selected);
    ``labour_hours`` are the person-hours planned on it; ``reason`` says why it
    was left out, or carries flags such as ``mandatory`` and ``misaligned``.
    """
    rows = [
        {
            "initiative": r.id,
            "name": r.name,
            "selected": bool(r.selected),
            "start": r.start or "",
            "finish": r.finish or "",
            "strategic_score": r.strategic_score,
            "value": r.value,
            "cost": r.cost,
            "labour_hours": r.labour_hours,
            "reason": r.reason,
            "sponsor": r.sponsor or "",
            "mandatory": bool(r.mandatory),
            "misaligned": bool(r.misaligned),
        }
        for r in plan.initiatives
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
