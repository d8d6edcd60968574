"""The frontier report: value and strategic score against budget, the chosen set at every point.

Built from the table and plans of :func:`planner.analysis.frontier.sweep`. Money axes
read as money (``€1.2M``), never ``1e6``; hovering a point shows the
initiatives it chooses and those that enter and leave from the previous point.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

import planner.report.charts as charts
from models.plan import Plan
from planner.report.fmt import axis_money, money, plot_text

#: Most chosen initiatives named in a hover label (the table lists them all).
HOVER_NAMES = 12


def frontier_context(table: pd.DataFrame, plans: Sequence[Plan | None]) -> dict[str, Any]:
    """Everything the frontier template shows."""
    real = [p for p in plans if p is not None]
    cur = real[0].scenario.policy.currency if real else None
    title = real[0].scenario.name if real else "frontier"
    by_budget = bool(table["budget"].notna().any() and table["budget"].nunique() > 1)
    several_fte = table["added_fte"].nunique() > 1
    points = []
    for k, r in enumerate(table.to_dict("records")):
        plan = plans[k] if k < len(plans) else None
        chosen = [(i.id, i.name) for i in plan.initiatives if i.selected] if plan else []
        points.append({**r, "chosen": chosen, "line": f"+{r['added_fte']:g} FTE"})
    figures = {
        "frontier-value": frontier_figure(points, "value", by_budget, several_fte, cur, True),
        "frontier-score": frontier_figure(points, "strategic_score", by_budget, several_fte,
                                          cur, False),
    }
    return {
        "title": title,
        "currency": cur,
        "by_budget": by_budget,
        "several_fte": several_fte,
        "points": points,
        "figures": figures,
    }


def _names(chosen: list[tuple[str, str]]) -> str:
    shown = [plot_text(i) for i, _n in chosen[:HOVER_NAMES]]
    more = len(chosen) - len(shown)
    lines = [", ".join(shown[k:k + 4]) for k in range(0, len(shown), 4)]
    if more > 0:
        lines.append(f"and {more} more (see the table)")
    return "<br>".join(lines) or "none"


def frontier_figure(points: list[dict[str, Any]], measure: str, by_budget: bool,
                    several_fte: bool, currency: str | None, is_money: bool) -> charts.Fig:
    """``measure`` against budget (one step line per added FTE), or against added FTE."""
    x_col = "budget" if by_budget else "added_fte"
    label = "value delivered" if measure == "value" else "strategic score (points)"
    xaxis: dict[str, Any] = ({**axis_money(currency), "title": {"text": "budget"}} if by_budget
                             else {"title": {"text": "added FTE"}})
    yaxis: dict[str, Any] = {"title": {"text": label}, "rangemode": "tozero"}
    if is_money:
        yaxis.update(axis_money(currency))
    fig = charts.figure(height=420, xaxis=xaxis, yaxis=yaxis, hovermode="closest",
                        margin={"t": 60})
    lines = sorted({p["line"] for p in points}) if by_budget else ["all"]
    for k, line in enumerate(lines):
        mine = [p for p in points if (p["line"] == line or not by_budget)
                and p.get(measure) is not None and p[measure] == p[measure]]
        if not mine:
            continue
        charts.add(
            fig, "scatter", mode="lines+markers", line={"shape": "hv", "width": 2},
            marker={"size": 9, "color": charts.PALETTE[k % len(charts.PALETTE)]},
            name=line if several_fte and by_budget else label,
            x=[p[x_col] for p in mine], y=[p[measure] for p in mine],
            customdata=[[money(p["budget"], currency), money(p["spend"], currency),
                         money(p["value"], currency), f"{p['strategic_score']:g}",
                         len(p["chosen"]), plot_text(p.get("entered") or "none"),
                         plot_text(p.get("left") or "none"), _names(p["chosen"]), p["status"]]
                        for p in mine],
            hovertemplate=("<b>budget %{customdata[0]}</b> (%{customdata[8]})<br>spend "
                           "%{customdata[1]}, value %{customdata[2]}, score %{customdata[3]}"
                           "<br>entered: %{customdata[5]}<br>left: %{customdata[6]}<br>"
                           "%{customdata[4]} chosen: %{customdata[7]}<extra></extra>"))
    return fig
