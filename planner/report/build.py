"""Assemble the plan report's data: every number comes from a plan view or the report modules.

:func:`plan_context` is everything the ``plan.html.j2`` template shows, built
from a :class:`~models.plan.Plan` alone (so ``plan.json`` is enough):
``figures`` holds the plotly figures by id, ``people`` the compact person
data the browser turns into a person's page on demand.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

import planner.report.charts as charts
from models.plan import Plan
from planner.report.capacity import (
    available_by_unit,
    conflict_summary,
    unit_load,
    utilisation_matrix,
)
from planner.report.headline import headline
from planner.report.kpis import kpi_targets
from planner.report.people import people_data
from planner.views import (
    budget,
    change_plan,
    finance,
    initiative_costs,
    summary,
    unit_goals,
    unit_summary,
)
from planner.views._common import facts, shared_facts
from planner.views.roadmap import roadmap


def anchor(prefix: str, key: str) -> str:
    """A stable HTML id / URL fragment for an item: ``unit-ops``; odd characters hex-escaped."""
    return prefix + "-" + re.sub(r"[^A-Za-z0-9_.-]", lambda m: f"_{ord(m.group()):x}_", key)


def plan_context(plan: Plan) -> dict[str, Any]:
    """Everything the plan report shows (see the module docstring)."""
    with shared_facts(plan):
        return _context(plan)


def _context(plan: Plan) -> dict[str, Any]:
    s = plan.scenario
    f = facts(plan)
    cur = s.policy.currency
    figures: dict[str, dict[str, Any]] = {}
    targets = kpi_targets(plan)
    bud = budget(plan)
    head = headline(plan, summary(plan), targets, bud)
    unit_names = {u.id: u.name or u.id for u in s.units}
    objective_names = {o.id: o.name or o.id for o in s.strategy.objectives}

    rm = roadmap_rows(plan)
    colours = charts.objective_colours([o.id for o in s.strategy.objectives])
    by_objective: list[tuple[str, str]] = [(o.id, o.name or o.id) for o in s.strategy.objectives]
    by_objective.append(("", "no objective (misaligned)"))
    sponsors = [u.id for u in s.units] + sorted(set(rm["sponsor"]) - set(unit_names) - {""})
    by_sponsor: list[tuple[str, str]] = [(str(u), unit_names.get(u, str(u))) for u in sponsors]
    by_sponsor.append(("", "no sponsor"))
    for key, groups in (("objective", by_objective), ("sponsor", by_sponsor)):
        figures[f"roadmap-{key}"] = charts.gantt(
            rm, f.labels, key, groups, colours, objective_names, cur)
    cp = change_plan(plan)
    left_out = cp[cp["status"] == "left out"].to_dict("records")

    kpis = []
    for n, row in enumerate(targets.to_dict("records")):
        fid = f"kpi-{n}"
        figures[fid] = charts.kpi_path(row, f.labels)
        kpis.append({**row, "fig": fid})

    load = unit_load(plan)
    util = utilisation_matrix(plan)
    avail = available_by_unit(plan)
    planned = load.pivot(index="unit", columns="period", values="planned")
    figures["heatmap"] = charts.heatmap(
        util, unit_names, s.policy.max_utilisation, planned, avail)
    whole = load.groupby("period", sort=False)[
        ["available", "cap", "rtb", "own_change", "lent", "borrowed", "external", "planned"]
    ].sum().reset_index()
    figures["load-all"] = charts.unit_load(whole, "Whole organisation")

    units = _units(plan, load, bud, figures)
    fin = _finance(plan, bud, figures)
    return {
        "title": s.name,
        "description": s.description or "",
        "currency": cur,
        "periods": list(f.labels),
        "policy": {"max_utilisation": s.policy.max_utilisation, "budget": s.policy.budget,
                   "objective": s.policy.objective, "borrowing": s.policy.borrowing},
        "headline": head,
        "objectives": [{"id": o.id, "name": o.name or o.id, "weight": o.weight,
                        "colour": colours[o.id]} for o in s.strategy.objectives],
        "roadmap": {"chosen": len(rm), "left_out": left_out},
        "kpis": kpis,
        "capacity": {"cap": s.policy.max_utilisation, "conflicts": conflict_summary(plan),
                     "units": [{"id": u["id"], "name": u["name"], "fig": u["fig"]}
                               for u in units]},
        "units": units,
        "finance": fin,
        "figures": figures,
        "people": {**people_data(plan),
                   "units": {u.id: [u.name or u.id, anchor("unit", u.id)] for u in s.units},
                   "objectives": objective_names,
                   "kpis": {k.id: k.name or k.id for k in s.strategy.kpis}},
        "overrides": list(plan.overrides),
    }


def roadmap_rows(plan: Plan) -> pd.DataFrame:
    """The roadmap view with period numbers (``start_t``, ``finish_t``) and the cost added."""
    f = facts(plan)
    rm = roadmap(plan)
    rm["start_t"] = rm["start"].map(f.period_index).astype(int)
    rm["finish_t"] = rm["finish"].map(f.period_index).astype(int)
    cost = {r.id: r.cost for r in plan.initiatives}
    rm["cost"] = rm["initiative"].map(cost)
    return rm


def _units(plan: Plan, load: pd.DataFrame, bud: pd.DataFrame,
           figures: dict[str, Any]) -> list[dict[str, Any]]:
    """One operating plan per unit: capacity, load chart, vital few, KPI goals, budget."""
    f = facts(plan)
    us = unit_summary(plan).set_index("unit")
    names = {r.id: r.name for r in plan.initiatives}
    budget_rows = bud[bud["scope"] == "unit"].set_index("unit")
    goals = unit_goals(plan)
    out = []
    for n, unit in enumerate(plan.scenario.units):
        u = unit.id
        mine = load[load["unit"] == u]
        fid = f"load-{n}"
        figures[fid] = charts.unit_load(mine, unit.name or u)
        row = us.loc[u]
        vital = [v for v in str(row["vital_few"]).split("; ") if v]
        # the goals cascade: KPIs the unit owns, moves with its hours or sustains with its RTB
        kpis = goals[goals["unit"] == u]
        avail = float(mine["available"].sum())
        b = budget_rows.loc[u] if u in budget_rows.index else None
        out.append({
            "id": u, "name": unit.name or u, "owner": unit.owner or "", "anchor": anchor("unit", u),
            "fig": fid, "staff": int(row["staff"]), "available": avail,
            "cap": float(row["capacity"]), "planned": float(row["planned_hours"]),
            "utilisation": float(row["planned_hours"]) / avail if avail > 0 else None,
            "rtb_short_high": float(row["rtb_short_high"]),
            "rtb_short_normal": float(row["rtb_short_normal"]),
            "lent": float(mine["lent"].sum()), "borrowed": float(mine["borrowed"].sum()),
            "external": float(mine["external"].sum()),
            "vital_few": [{"id": i, "name": names.get(i, i),
                           "sponsored": f.sponsor.get(i) == u} for i in vital],
            "kpis": _records(kpis),
            "budget": unit.budget,
            "spend": float(b["incremental_spend"]) if b is not None else 0.0,
            "initiative_cost": float(b["initiative_cost"]) if b is not None else 0.0,
            "external_cost": float(b["external_cost"]) if b is not None else 0.0,
            "internal_labour_cost": float(b["internal_labour_cost"]) if b is not None else 0.0,
        })
    return out


def _finance(plan: Plan, bud: pd.DataFrame, figures: dict[str, Any]) -> dict[str, Any]:
    """Spend by period and unit against the budgets, and cost per strategic point."""
    f = facts(plan)
    cur = plan.scenario.policy.currency
    fin = finance(plan)
    per = fin.pivot_table(index="period", columns="category", values="amount", aggfunc="sum",
                          fill_value=0.0)
    per = per.reindex(index=f.labels, columns=["non_labour", "external", "internal_labour"],
                      fill_value=0.0).reset_index().rename(columns={"index": "period"})
    figures["spend-period"] = charts.spend_by_period(per, plan.scenario.policy.budget, cur)
    unit_rows = bud[bud["scope"] == "unit"]
    names = {u.id: u.name or u.id for u in plan.scenario.units}
    figures["spend-unit"] = charts.spend_by_unit(unit_rows, names, cur)
    costs = initiative_costs(plan)
    figures["cost-point"] = charts.cost_per_point(costs, cur)
    total = bud[bud["scope"] == "total"].iloc[0].to_dict()
    ordered = costs.sort_values(["incremental_cost_per_point", "initiative"],
                                na_position="last")
    return {
        "total": total,
        "units": unit_rows.to_dict("records"),
        "unit_names": names,
        "costs": ordered.to_dict("records"),
        "score": float(costs["strategic_score"].sum()) if len(costs) else 0.0,
        "total_cost": float(costs["total_cost"].sum()) if len(costs) else 0.0,
        "incremental_cost": float(costs["incremental_cost"].sum()) if len(costs) else 0.0,
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with missing values (NaN, NA) as None, so templates can test them."""
    return [{k: (None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v)
             for k, v in r.items()} for r in frame.to_dict("records")]
