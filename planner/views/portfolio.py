"""Portfolio: the decision on every initiative (contract file ``portfolio.csv``)."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.gather.ratings import disagreement_text, disagreements
from planner.views._common import facts

COLUMNS = [
    "initiative", "name", "selected", "start", "finish", "strategic_score", "value", "cost",
    "labour_hours", "reason", "sponsor", "mandatory", "misaligned", "review_status",
    "disagreement",
]


def portfolio(plan: Plan) -> pd.DataFrame:
    """One row per initiative, in scenario order.

    ``start`` and ``finish`` are period labels (empty when not selected);
    ``labour_hours`` are the person-hours planned on it; ``reason`` says why it
    was left out, or carries flags such as ``mandatory`` and ``misaligned``.
    ``review_status`` is the initiative's ``status`` (proposed, approved,
    committed, rejected); ``disagreement`` lists the objectives on which
    stakeholder ratings lie two levels or more apart (``retention low..strong``).
    """
    f = facts(plan)
    spread = disagreements(plan.scenario.ratings)
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
            "review_status": f.initiatives[r.id].status,
            "disagreement": disagreement_text(spread.get(r.id, {})),
        }
        for r in plan.initiatives
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
