"""The comparison report: plans side by side, what moved, units and people.

Built from :func:`planner.analysis.compare.compare_plans` (every table stacks the
plans' views under a ``scenario`` level), so the report and ``planner compare
--out`` show the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

import planner.report.charts as charts
from models.plan import Plan
from planner.analysis.compare import compare_plans
from planner.problem.calendar import Calendar
from planner.report.fmt import axis_money, hours, money, num, pct, plot_text
from planner.report.headline import solver_words
from planner.report.kpis import kpi_targets

#: Headline metrics: label and kind (how the number reads).
METRICS: dict[str, tuple[str, str]] = {
    "initiatives_chosen": ("initiatives chosen", "count"),
    "strategic_score": ("strategic score", "points"),
    "value": ("value delivered", "money"),
    "initiative_cost": ("initiative cost", "money"),
    "external_cost": ("contractor cost", "money"),
    "incremental_spend": ("incremental spend", "money"),
    "budget": ("budget", "money"),
    "budget_remaining": ("budget remaining", "money"),
    "internal_labour_cost": ("internal labour cost", "money"),
    "rtb_short_must": ("RTB short, must (h)", "hours"),
    "rtb_short_high": ("RTB short, high (h)", "hours"),
    "rtb_short_normal": ("RTB short, normal (h)", "hours"),
    "external_hours": ("contractor hours", "hours"),
    "change_hours": ("change hours", "hours"),
    "objective": ("objective", "points"),
    "gap": ("gap to the bound", "share"),
}
TOP_PEOPLE = 20


def _cell(value: Any, kind: str, currency: str | None, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):  # status, significance: words, not numbers
        try:
            value = float(value)
        except ValueError:
            return value
    text = {"money": lambda v: money(v, currency), "hours": lambda v: hours(v),
            "share": lambda v: pct(v, 1), "count": num, "points": num}[kind](value)
    return ("+" + text) if signed and float(value) > 0 else text


def compare_context(plans: Mapping[str, Plan]) -> dict[str, Any]:
    """Everything the comparison template shows; the first plan is the base."""
    if len(plans) < 2:
        raise ValueError("a comparison needs at least two plans")
    names = list(plans)
    base = plans[names[0]]
    cur = base.scenario.policy.currency
    tables = compare_plans(plans)
    unit_names = {u.id: u.name or u.id for p in plans.values() for u in p.scenario.units}
    figures: dict[str, Any] = {}

    head = tables["headline"]
    rows = []
    for r in head.to_dict("records"):
        metric = str(r["metric"])
        if metric.startswith("utilisation["):
            unit = metric[len("utilisation["):-1]
            label, kind = f"utilisation: {unit_names.get(unit, unit)}", "share"
        else:
            label, kind = METRICS.get(metric, (metric, "points"))
        rows.append({"label": label,
                     "values": [_cell(r[n], kind, cur) for n in names],
                     "deltas": [_cell(r[f"delta[{n}]"], kind, cur, signed=True)
                                for n in names[1:]]})
    met = {n: kpi_targets(p) for n, p in plans.items()}
    rows.insert(2, {"label": "KPI targets met",
                    "values": [f"{int(t['met'].eq(True).sum())} of {int(t['met'].notna().sum())}"
                               for t in met.values()],
                    "deltas": [_cell(int(met[n]["met"].eq(True).sum())
                                     - int(met[names[0]]["met"].eq(True).sum()), "count", cur,
                                     signed=True) for n in names[1:]]})
    status = [{"name": n, "title": p.scenario.name, "status": p.run.status,
               "words": solver_words(p.run)} for n, p in plans.items()]

    moved = tables["initiatives"]
    figures["cmp-roadmap"] = schedule_figure(plans, moved)
    util = head[head["metric"].str.startswith("utilisation[")]
    figures["cmp-util"] = grouped_bars(
        [unit_names.get(m[len("utilisation["):-1], m) for m in util["metric"]],
        {n: util[n].tolist() for n in names}, {"tickformat": ".0%", "rangemode": "tozero"},
        "planned / capacity over the year")
    money_rows = head.set_index("metric").reindex(["value", "incremental_spend", "budget"])
    figures["cmp-money"] = grouped_bars(
        ["value delivered", "incremental spend", "budget"],
        {n: money_rows[n].tolist() for n in names}, {**axis_money(cur), "rangemode": "tozero"},
        "")
    people = tables["people"]
    if not people.empty:
        people = people.groupby("scenario", sort=False).head(TOP_PEOPLE)
    return {
        "title": " vs ".join(names),
        "names": names,
        "currency": cur,
        "status": status,
        "headline": rows,
        "moved": moved.to_dict("records"),
        "units": tables["units"].to_dict("records"),
        "unit_names": unit_names,
        "people": people.to_dict("records"),
        "top_people": TOP_PEOPLE,
        "figures": figures,
    }


def grouped_bars(categories: list[str], series: dict[str, list[Any]], yaxis: dict[str, Any],
                 title: str) -> charts.Fig:
    """One bar per scenario in every category."""
    fig = charts.figure(barmode="group", height=360, xaxis={"type": "category"},
                        yaxis={**yaxis, "title": {"text": title}} if title else yaxis,
                        margin={"t": 60})
    for name, values in series.items():
        charts.add(fig, "bar", x=[plot_text(c) for c in categories], y=values,
                   name=plot_text(name))
    return fig


def schedule_figure(plans: Mapping[str, Plan], moved: pd.DataFrame) -> charts.Fig:
    """The initiatives added, dropped or moved: each scenario's schedule as a bar, side by side."""
    names = list(plans)
    labels = Calendar(plans[names[0]].scenario.horizon).labels
    ids = list(dict.fromkeys(moved["initiative"])) if not moved.empty else []
    height = 140 + 18 * len(names) * max(len(ids), 1)
    fig = charts.figure(
        barmode="group", height=height,
        xaxis={"range": [0, len(labels)], "tickmode": "array", "side": "top",
               "tickvals": [k + 0.5 for k in range(len(labels))], "ticktext": labels},
        yaxis={"tickmode": "array", "tickvals": list(range(len(ids))),
               "ticktext": [plot_text(i) for i in ids], "range": [len(ids) - 0.5, -0.5]},
        margin={"t": 70}, legend={"y": -0.02 - 50 / height, "yanchor": "top"})
    pos = {label: k for k, label in enumerate(labels)}
    for k, (name, plan) in enumerate(plans.items()):
        ys, xs, bases, text = [], [], [], []
        for row, iid in enumerate(ids):
            try:
                r = plan.initiative(iid)
            except KeyError:
                continue
            if r.selected and r.start in pos and r.finish in pos:
                ys.append(row)
                bases.append(pos[r.start])
                xs.append(pos[r.finish] - pos[r.start] + 1)
                text.append(f"{r.start} to {r.finish}")
        charts.add(fig, "bar", orientation="h", y=ys, x=xs, base=bases, name=plot_text(name),
                   offsetgroup=str(k), customdata=text,
                   marker={"color": "rgb(170,170,170)" if k == 0
                           else charts.PALETTE[(k - 1) % len(charts.PALETTE)]},
                   hovertemplate=f"{plot_text(name)}: %{{customdata}}<extra></extra>")
    return fig
