"""Summary: one row per headline metric of a plan (used by ``planner solve``'s output)."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.gather.pairwise import scenario_ahp
from planner.problem.kpi import outcomes
from planner.views._common import facts, r4, ratio
from planner.views._money import money_rows, to_money
from planner.views.development import development
from planner.views.unit_plans import unit_plans
from planner.views.workload import workload

COLUMNS = ["metric", "value", "unit_of_measure"]


def summary(plan: Plan) -> pd.DataFrame:
    """Headline metrics: ``metric``, ``value`` and ``unit_of_measure`` per row.

    Solver: status, strategy, objective, bound, gap. Portfolio: initiatives
    chosen (and of how many), strategic score and value delivered (and
    available). Money (sums of :func:`planner.views.finance` amounts, so they
    match it to the cent): non-labour initiative cost, external cost,
    incremental spend, budget and remaining, internal labour cost. Work: RTB
    hours short by priority, external hours, development wishes (and how many
    are met, see :func:`planner.views.development`), then ``utilisation[<unit>]`` for
    every unit (planned hours over the real capacity, available hours, over the year),
    after ``max_utilisation``, the policy's cap, which no utilisation exceeds. KPI
    targets (:mod:`planner.problem.kpi`):
    how many are set, met and missed, then for every KPI with a target
    ``kpi_forecast[<kpi>]`` (the forecast at its ``by``) and ``kpi_gap[<kpi>]`` (how
    far from the target in the good direction: positive when short).
    """
    f = facts(plan)
    run = plan.run
    chosen = [r for r in plan.initiatives if r.selected]
    m = money_rows(plan, f)
    cents = {c: int(m.loc[m["category"] == c, "cents"].sum())
             for c in ("internal_labour", "external", "non_labour")}
    spend = cents["non_labour"] + cents["external"]
    budget = plan.scenario.policy.budget
    w = workload(plan)
    dev = development(plan)
    a = f.assignments
    rows: list[tuple[str, object, str]] = [
        ("scenario", plan.scenario.name, ""),
        ("status", run.status, ""),
        ("strategy", run.strategy, ""),
        ("objective", run.objective, ""),
        ("bound", run.bound, ""),
        ("gap", run.gap, "share"),
        ("initiatives_chosen", len(chosen), "count"),
        ("initiatives_total", len(plan.initiatives), "count"),
        ("mandatory_chosen", sum(r.mandatory for r in chosen), "count"),
        ("strategic_score", round(sum(r.strategic_score for r in chosen), 6), "points"),
        ("strategic_score_available",
         round(sum(r.strategic_score for r in plan.initiatives), 6), "points"),
        ("value", round(sum(r.value for r in chosen), 2), "money"),
        ("initiative_cost", to_money(cents["non_labour"]), "money"),
        ("external_cost", to_money(cents["external"]), "money"),
        ("incremental_spend", to_money(spend), "money"),
        ("budget", budget, "money"),
        ("budget_remaining", None if budget is None else round(budget - spend / 100, 2), "money"),
        ("internal_labour_cost", to_money(cents["internal_labour"]), "money"),
        ("total_cost", to_money(spend + cents["internal_labour"]), "money"),
        ("rtb_short_must", r4(w["rtb_short_must"].sum()), "hours"),
        ("rtb_short_high", r4(w["rtb_short_high"].sum()), "hours"),
        ("rtb_short_normal", r4(w["rtb_short_normal"].sum()), "hours"),
        ("external_hours", r4(a.loc[a["external"], "hours"].sum()), "hours"),
        ("borrowed_hours", r4(w["borrowed"].sum()), "hours"),
        ("change_hours", r4(a.loc[a["change"], "hours"].sum()), "hours"),
        ("rtb_hours", r4(a.loc[~a["change"], "hours"].sum()), "hours"),
        ("development_wishes", len(dev), "count"),
        ("development_wishes_met", int(dev["met"].sum()), "count"),
    ]
    outs = outcomes(plan.scenario, {i: fin for i, (_s, fin) in f.starts.items()}, f.calendar)
    met = sum(o.met for o in outs)
    rows += [("kpi_targets", len(outs), "count"), ("kpi_targets_met", met, "count"),
             ("kpi_targets_missed", len(outs) - met, "count")]
    for o in outs:
        rows.append((f"kpi_forecast[{o.target.id}]", round(o.forecast, 6), "kpi"))
        rows.append((f"kpi_gap[{o.target.id}]", round(o.gap, 6) + 0.0, "kpi"))
    ahp = scenario_ahp(plan.scenario)  # issue 14: weights from pairwise comparisons
    if ahp is not None:
        rows.append(("pairwise_consistency_ratio", round(ahp.consistency_ratio, 6), "ratio"))
    up = unit_plans(plan).groupby("unit", sort=False)[["capacity", "planned_hours"]].sum()
    rows.append(("max_utilisation", plan.scenario.policy.max_utilisation, "share"))
    for u, r in up.iterrows():
        rows.append((f"utilisation[{u}]", ratio(r["planned_hours"], r["capacity"]), "share"))
    return pd.DataFrame(rows, columns=COLUMNS)
