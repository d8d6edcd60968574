"""The report's headline: what the solver proved, what was chosen, what it costs, what is missed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from models.plan import Plan, RunInfo
from planner.report.fmt import num, pct


def solver_words(run: RunInfo) -> str:
    """Status, objective, bound and gap of a plan, said in words."""
    obj = num(round(run.objective, 4))
    if run.strategy == "greedy":
        text = (f"Rank-and-cut (greedy) plan, objective {obj}: initiatives were taken by score "
                "while capacity and budget lasted. No bound was computed, so how far it is from "
                "the best plan is not known.")
    elif run.status == "optimal":
        text = f"Proven optimal: no plan can score more than this one (objective {obj})."
    elif run.bound is not None and run.gap is not None:
        text = (f"A good plan, not proven the best: it scores {obj}, and no plan can score more "
                f"than {num(round(run.bound, 4))} (the bound), so it is within {pct(run.gap, 1)} "
                "of the best possible.")
    else:
        text = (f"A feasible plan (objective {obj}); the solver found no bound, so how far it is "
                "from the best plan is not known.")
    if run.interrupted:
        text += " The solve was stopped by the user; this is the best plan found by then."
    elif run.message and run.status != "optimal" and run.strategy != "greedy":
        text += f" Solver: {run.message}."
    return text


def headline(plan: Plan, summary: pd.DataFrame, targets: pd.DataFrame,
             budget: pd.DataFrame) -> dict[str, Any]:
    """The headline facts of a plan, from its summary, KPI targets and budget views.

    Keys: ``status``, ``strategy``, ``words`` (:func:`solver_words`),
    ``chosen``, ``left_out``, ``mandatory``, ``score``, ``score_available``,
    ``value``, ``spend``, ``budget``, ``budget_used``, ``units_over`` (units
    spending more than their budget: never, in a valid plan), ``rtb_short``
    (hours by priority), ``kpis_met``, ``kpis_missed`` (rows of the KPI
    targets with a target), ``warnings``.
    """
    m = summary.set_index("metric")["value"]
    chosen = [r for r in plan.initiatives if r.selected]
    spend = float(m["incremental_spend"])
    total = budget[budget["scope"] == "total"].iloc[0]
    limit = None if pd.isna(total["budget"]) else float(total["budget"])
    units = budget[(budget["scope"] == "unit") & budget["budget"].notna()]
    with_target = targets[targets["met"].notna()].to_dict("records")
    return {
        "status": plan.run.status,
        "strategy": plan.run.strategy,
        "words": solver_words(plan.run),
        "objective": plan.run.objective,
        "bound": plan.run.bound,
        "gap": plan.run.gap,
        "chosen": len(chosen),
        "total": len(plan.initiatives),
        "left_out": len(plan.initiatives) - len(chosen),
        "mandatory": sum(r.mandatory for r in chosen),
        "score": float(m["strategic_score"]),
        "score_available": float(m["strategic_score_available"]),
        "value": float(m["value"]),
        "spend": spend,
        "budget": limit,
        "budget_used": None if not limit else spend / limit,
        "units_with_budget": len(units),
        "units_over": [str(u) for u, s, b in zip(units["unit"], units["incremental_spend"],
                                                 units["budget"], strict=True) if s > b + 0.005],
        "rtb_short": {p: float(m[f"rtb_short_{p}"]) for p in ("must", "high", "normal")},
        "external_hours": float(m["external_hours"]),
        "kpis_met": [r for r in with_target if r["met"]],
        "kpis_missed": [r for r in with_target if not r["met"]],
        "warnings": list(plan.warnings),
    }
