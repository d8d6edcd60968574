"""Portfolio: the decision on every initiative (contract file ``portfolio.csv``)."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.gather.ratings import disagreement_text, disagreements
from planner.problem.money import npv
from planner.views._common import PlanFacts, facts

COLUMNS = [
    "initiative", "name", "selected", "start", "finish", "strategic_score", "value", "cost",
    "labour_hours", "reason", "sponsor", "mandatory", "misaligned", "review_status",
    "disagreement", "npv", "npv_start",
]


def portfolio(plan: Plan) -> pd.DataFrame:
    """One row per initiative, in scenario order.

    ``start`` and ``finish`` are period labels (empty when not selected);
    ``labour_hours`` are the person-hours planned on it; ``reason`` says why it
    was left out, or carries flags such as ``mandatory`` and ``misaligned``.
    ``review_status`` is the initiative's ``status`` (proposed, approved,
    committed, rejected); ``disagreement`` lists the objectives on which
    stakeholder ratings lie two levels or more apart (``retention low..strong``).
    ``npv`` is the initiative's net present value within the horizon
    (:mod:`planner.problem.money`: its benefits after delivery less its cost,
    discounted at ``policy.discount_rate``) when started in ``npv_start``: its
    start when selected, else its earliest start (empty when it cannot fit).
    """
    f = facts(plan)
    spread = disagreements(plan.scenario.ratings)
    worth = {r.id: _npv(plan, f, r.id, r.start) for r in plan.initiatives}
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
            "npv": worth[r.id][0],
            "npv_start": worth[r.id][1],
        }
        for r in plan.initiatives
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _npv(plan: Plan, f: PlanFacts, iid: str, start: str | None) -> tuple[float | None, str]:
    """``(NPV, start label)`` at the plan's start, else at the earliest start."""
    ini = f.initiatives[iid]
    if start is not None:
        s = f.period_index[start]
    else:
        s = f.period_index.get(str(ini.earliest_start), 0) if ini.earliest_start else 0
        if s + ini.duration > len(f.labels):
            return None, ""
    rate = plan.scenario.policy.discount_rate
    return round(npv(ini, s, f.calendar, rate), 2), f.labels[s]
