"""A few lines that say what a plan is (``Result.summary()``, ``planner solve``'s headline)."""

from __future__ import annotations

from models.plan import Plan
from planner.views.kpi_path import kpi_line
from planner.views.summary import summary


def _money(x: object) -> str:
    return "-" if x is None else f"{float(x):,.0f}"  # type: ignore[arg-type]


def headline_lines(plan: Plan) -> list[str]:
    """Status and gap in words; initiatives chosen; score; spend against budget; shortfall;
    KPI targets met and missed."""
    run = plan.run
    table = summary(plan)
    s = dict(zip(table["metric"], table["value"], strict=True))
    if run.status == "optimal":
        how = f"optimal (objective {run.objective:,.4g}, proved)"
    elif run.strategy == "greedy":
        how = f"greedy baseline (objective {run.objective:,.4g}, no optimality claim)"
    elif run.gap is not None and run.bound is not None:
        how = (f"feasible (objective {run.objective:,.4g}, within {run.gap:.2%} of the "
               f"bound {run.bound:,.4g})")
    else:
        how = f"feasible (objective {run.objective:,.4g}, no bound)"
    if run.interrupted:
        how += ", interrupted: best plan so far"
    lines = [f"{plan.scenario.name}: {how}"]
    lines.append(
        f"initiatives: {s['initiatives_chosen']} of {s['initiatives_total']} chosen "
        f"({s['mandatory_chosen']} mandatory); strategic score "
        f"{float(s['strategic_score']):,.2f} of {float(s['strategic_score_available']):,.2f}"
    )
    spend = f"spend: {_money(s['incremental_spend'])}"
    if s["budget"] is not None:
        spend += f" of a {_money(s['budget'])} budget ({_money(s['budget_remaining'])} left)"
    lines.append(spend)
    lines.append(
        "RTB short: " + ", ".join(f"{p} {float(s['rtb_short_' + p]):,.0f} h"
                                  for p in ("must", "high", "normal"))
        + f"; external hours {float(s['external_hours']):,.0f}"
    )
    lines.append(kpi_line(plan))
    if s["development_wishes"]:
        lines.append(f"development: {s['development_wishes_met']} of "
                     f"{s['development_wishes']} wishes met (development.csv says why not)")
    return lines
