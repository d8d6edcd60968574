"""Unit summary: each unit's vital few initiatives, KPI targets, budget and spend."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts, join, r4, ratio
from planner.views._money import money_rows, to_money
from planner.views.goals import unit_goals
from planner.views.unit_plans import unit_plans

COLUMNS = [
    "unit", "name", "owner", "staff", "capacity", "planned_hours", "utilisation",
    "max_utilisation",
    "rtb_short_high", "rtb_short_normal", "sponsored", "vital_few", "kpi_targets", "budget",
    "incremental_spend", "budget_remaining", "internal_labour_cost",
]

VITAL_FEW = 5


def unit_summary(plan: Plan) -> pd.DataFrame:
    """One row per unit.

    ``capacity`` (available hours over the year, the real capacity),
    ``planned_hours`` and ``utilisation`` (their ratio) are as in
    :func:`~planner.views.unit_plans.unit_plans`, with the policy's
    ``max_utilisation`` cap beside them.

    ``vital_few``: up to five chosen initiatives that matter most to the unit,
    those it sponsors first (highest strategic score first), then those its
    people give most hours to. ``kpi_targets``: the unit's goals (see
    :func:`planner.views.goals.unit_goals`): for every KPI it owns, contributes to
    or sustains, ``kpi baseline->target by <period>: plan <committed> (ours
    <contribution>)``, the committed target being the plan's forecast at ``by``
    and the contribution the unit's part of the plan's change. ``incremental_spend``
    is what counts against the unit's budget
    (non-labour cost of initiatives it sponsors + contractors on its work).
    """
    f = facts(plan)
    s = plan.scenario
    up = unit_plans(plan)
    tot = up.groupby("unit", sort=False)[
        ["capacity", "planned_hours", "rtb_short_high", "rtb_short_normal"]
    ].sum()
    a = f.assignments
    effort = a[a["change"] & ~a["external"]].groupby(["unit", "work"])["hours"].sum()
    m = money_rows(plan, f)
    cents = m.groupby(["unit", "category"])["cents"].sum()
    score = {r.id: r.strategic_score for r in plan.initiatives}
    pos = {r.id: k for k, r in enumerate(plan.initiatives)}
    goals = unit_goals(plan)
    rows = []
    for unit in s.units:
        u = unit.id
        sponsored = [i for i in f.starts if f.sponsor.get(i) == u]
        sponsored.sort(key=lambda i: (-score[i], pos[i]))
        helped = [(float(h), w) for (uu, w), h in effort.items() if uu == u and w not in sponsored]
        helped.sort(key=lambda x: (-x[0], pos.get(x[1], 0)))
        vital = (sponsored + [w for _h, w in helped])[:VITAL_FEW]
        targets = [
            f"{r.kpi} {_num(r.baseline)}->{_num(r.target)} by {r.by}: plan "
            f"{_num(r.committed)} (ours {r.contribution:+.4g})"
            for r in goals[goals["unit"] == u].itertuples()
        ]
        spend = int(cents.get((u, "non_labour"), 0)) + int(cents.get((u, "external"), 0))
        cap = float(tot.loc[u, "capacity"]) if u in tot.index else 0.0
        ph = float(tot.loc[u, "planned_hours"]) if u in tot.index else 0.0
        rows.append({
            "unit": u,
            "name": unit.name or u,
            "owner": unit.owner or "",
            "staff": sum(1 for p in s.staff if p.unit == u),
            "capacity": r4(cap),
            "planned_hours": r4(ph),
            "utilisation": ratio(ph, cap),
            "max_utilisation": s.policy.max_utilisation,
            "rtb_short_high": r4(tot.loc[u, "rtb_short_high"]) if u in tot.index else 0.0,
            "rtb_short_normal": r4(tot.loc[u, "rtb_short_normal"]) if u in tot.index else 0.0,
            "sponsored": join(sponsored),
            "vital_few": join(vital),
            "kpi_targets": join(targets),
            "budget": unit.budget,
            "incremental_spend": to_money(spend),
            "budget_remaining": (
                None if unit.budget is None else round(unit.budget - spend / 100, 2)
            ),
            "internal_labour_cost": to_money(int(cents.get((u, "internal_labour"), 0))),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _num(x: float | None) -> str:
    if x is None or x != x:  # absent, or NaN from a frame
        return "?"
    return f"{x:.6g}"
