"""Change plan for leadership: what is done when, why, and what was left out."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts, join

COLUMNS = [
    "order", "status", "initiative", "name", "start", "finish", "sponsor", "objectives",
    "kpis", "strategic_score", "value", "cost", "labour_hours", "mandatory", "misaligned",
    "reason", "review_status",
]


def change_plan(plan: Plan) -> pd.DataFrame:
    """Chosen initiatives in start order, then the ones left out with their reason.

    ``status`` is ``chosen`` or ``left out``; ``objectives`` lists the objectives
    served (strongest first) and ``kpis`` the KPIs it moves or that measure them;
    ``order`` numbers the chosen ones 1..n (0 for the left-out ones);
    ``review_status`` is the initiative's own ``status`` (proposed, approved,
    committed, rejected).
    """
    f = facts(plan)
    pos = {r.id: k for k, r in enumerate(plan.initiatives)}
    chosen = sorted(
        (r for r in plan.initiatives if r.selected),
        key=lambda r: (f.period_index.get(r.start or "", 0), pos[r.id]),
    )
    left = [r for r in plan.initiatives if not r.selected]
    rows = []
    for n, r in enumerate(chosen + left, start=1):
        rows.append({
            "order": n if r.selected else 0,
            "status": "chosen" if r.selected else "left out",
            "initiative": r.id,
            "name": r.name,
            "start": r.start or "",
            "finish": r.finish or "",
            "sponsor": r.sponsor or "",
            "objectives": join(f.objectives_of(r.id)),
            "kpis": join(f.kpis_of(r.id)),
            "strategic_score": r.strategic_score,
            "value": r.value,
            "cost": r.cost,
            "labour_hours": r.labour_hours,
            "mandatory": bool(r.mandatory),
            "misaligned": bool(r.misaligned),
            "reason": r.reason,
            "review_status": f.initiatives[r.id].status,
        })
    return pd.DataFrame(rows, columns=COLUMNS)
