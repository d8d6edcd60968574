"""Plotly figures of the plan report, built from the report's data frames.

Every function returns a figure in plotly's JSON figure format (``{"data":
[traces], "layout": {...}}``), which plotly.js draws in the browser. Plain
dicts rather than ``plotly.graph_objects``: a 5,000-person report has a
hundred figures and validating each on construction costs seconds, so the
tests validate every figure of a report against plotly's schema instead
(``plotly.graph_objects.Figure(fig)``). Figures carry no template: the page
applies :data:`TEMPLATE` to all of them, so its JSON is in the file once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from plotly.colors import qualitative

from planner.report.fmt import axis_money, money, plot_text

#: A figure in plotly's JSON format: ``{"data": [...], "layout": {...}}``.
Fig = dict[str, Any]

#: Colours of objectives, in scenario order (colour-blind safe), then grey for none.
PALETTE = [c for c in qualitative.Safe if c != "rgb(136, 136, 136)"]
NO_OBJECTIVE = "rgb(170, 170, 170)"
#: Colours and names of the parts of a unit's load.
LOAD_COLOURS = {
    "rtb": "rgb(68, 119, 170)", "own_change": "rgb(34, 136, 51)", "lent": "rgb(204, 187, 68)",
    "borrowed": "rgb(238, 102, 119)", "external": "rgb(170, 51, 119)",
}
LOAD_NAMES = {
    "rtb": "RTB (own)", "own_change": "own change", "lent": "lent to other units",
    "borrowed": "borrowed from other units", "external": "contractors",
}
RED = "rgb(204, 102, 119)"
ROW_PX = 24

#: The look shared by every figure (applied in the browser).
TEMPLATE: dict[str, Any] = {"layout": {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12,
             "color": "#222"},
    "paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": PALETTE,
    "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
    "xaxis": {"gridcolor": "#e8e8e8", "zeroline": False, "linecolor": "#999", "automargin": True},
    "yaxis": {"gridcolor": "#e8e8e8", "zeroline": False, "linecolor": "#999", "automargin": True},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
               "traceorder": "normal"},
    "hoverlabel": {"align": "left"},
}}


def figure(**layout: Any) -> Fig:
    """A figure with no traces yet and the given layout."""
    return {"data": [], "layout": dict(layout)}


def add(fig: Fig, kind: str, **props: Any) -> None:
    """Add a trace of type ``kind`` (``bar``, ``scatter``, ``heatmap``); None props left out."""
    fig["data"].append({"type": kind, **{k: v for k, v in props.items() if v is not None}})


def objective_colours(objectives: Sequence[str]) -> dict[str, str]:
    """Objective id -> colour, in the order given; ``""`` (none) is grey."""
    out = {o: PALETTE[k % len(PALETTE)] for k, o in enumerate(objectives)}
    out[""] = NO_OBJECTIVE
    return out


def _period_axis(labels: Sequence[str]) -> dict[str, Any]:
    """A numeric axis 0..T where period k spans [k, k+1), labelled in its middle."""
    step = max(1, math.ceil(len(labels) / 24))
    return {
        "range": [0, len(labels)], "tickmode": "array",
        "tickvals": [k + 0.5 for k in range(0, len(labels), step)],
        "ticktext": list(labels)[::step], "showgrid": False,
        "minor": {"tickmode": "array", "tickvals": list(range(len(labels) + 1)),
                  "showgrid": True, "gridcolor": "#e0e0e0"},
    }


def gantt(rows: pd.DataFrame, labels: Sequence[str], group_by: str,
          groups: Sequence[tuple[str, str]], colours: dict[str, str],
          objective_names: dict[str, str], currency: str | None) -> Fig:
    """The roadmap: one bar per chosen initiative, grouped, coloured by objective.

    ``rows`` is the roadmap view with ``start_t`` and ``finish_t`` (period
    numbers) and ``cost`` added; ``group_by`` is one of its columns
    (``objective`` or ``sponsor``) and ``groups`` the (value, title) pairs in
    display order. Mandatory bars are hatched, pinned ones cross-hatched;
    arrows run from each prerequisite's end to its dependant's start.
    """
    ylab: list[str] = []
    yrow: dict[str, int] = {}
    ordered: list[dict[str, Any]] = []
    for value, title in groups:
        part = rows[rows[group_by] == value]
        if part.empty:
            continue
        ylab.append(f"<b>{plot_text(title)}</b>")
        for r in part.sort_values(["start_t", "finish_t"], kind="stable").to_dict("records"):
            yrow[r["initiative"]] = len(ylab)
            ylab.append(plot_text(_short(str(r["name"]), 48)))
            ordered.append(r)
    height = 120 + ROW_PX * len(ylab)
    fig = figure(
        barmode="overlay", height=height, bargap=0.2,
        xaxis={**_period_axis(labels), "side": "top"},
        yaxis={"tickmode": "array", "tickvals": list(range(len(ylab))), "ticktext": ylab,
               "range": [len(ylab) - 0.5, -0.5], "showgrid": False},
        margin={"t": 70, "l": 10},
        legend={"y": -0.02 - 60 / height, "yanchor": "top"},
    )
    for obj in dict.fromkeys(r["objective"] for r in ordered):
        mine = [r for r in ordered if r["objective"] == obj]
        add(fig, "bar", orientation="h", width=0.7,
            name=plot_text(objective_names.get(obj, obj) or "no objective"),
            y=[yrow[r["initiative"]] for r in mine],
            x=[r["finish_t"] - r["start_t"] + 1 for r in mine],
            base=[r["start_t"] for r in mine],
            marker={"color": colours.get(obj, NO_OBJECTIVE), "line": {"width": 0},
                    "pattern": {"shape": [_pattern(r) for r in mine], "fgcolor": "white",
                                "size": 6, "solidity": 0.3, "fillmode": "overlay"}},
            customdata=[[plot_text(r["initiative"]), plot_text(r["name"]),
                         plot_text(r["sponsor"]), r["start"], r["finish"], _flags(r),
                         plot_text(r["depends_on"] or "none"), money(r.get("cost"), currency)]
                        for r in mine],
            hovertemplate=("<b>%{customdata[1]}</b> (%{customdata[0]})<br>%{customdata[3]} to "
                           "%{customdata[4]}<br>sponsor: %{customdata[2]}<br>cost: "
                           "%{customdata[7]}<br>depends on: %{customdata[6]}%{customdata[5]}"
                           "<extra></extra>"))
    for shape, label in (("/", "mandatory (hatched)"), ("x", "pinned (cross-hatched)")):
        if any(_pattern(r) == shape for r in ordered):
            add(fig, "bar", orientation="h", x=[None], y=[None], name=label, hoverinfo="skip",
                marker={"color": "rgb(150,150,150)",
                        "pattern": {"shape": shape, "fgcolor": "white", "fillmode": "overlay"}})
    _dependency_arrows(fig, ordered, yrow)
    return fig


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _pattern(r: dict[str, Any]) -> str:
    if r.get("pinned"):
        return "x"
    return "/" if r.get("mandatory") else ""


def _flags(r: dict[str, Any]) -> str:
    flags = []
    if r.get("mandatory"):
        flags.append("mandatory")
    if r.get("pinned") == "in":
        flags.append("pinned in")
    elif r.get("pinned") == "start":
        flags.append("start fixed")
    return "<br>" + ", ".join(flags) if flags else ""


def _dependency_arrows(fig: Fig, ordered: list[dict[str, Any]], yrow: dict[str, int]) -> None:
    """One trace of elbow arrows from each chosen prerequisite's end to its dependant."""
    finish = {r["initiative"]: r["finish_t"] for r in ordered}
    xs: list[float | None] = []
    ys: list[float | None] = []
    sizes: list[int] = []
    for r in ordered:
        for d in (d.strip() for d in str(r["depends_on"] or "").split(";")):
            if d not in yrow:
                continue
            x0, y0, y1, s = finish[d] + 1, yrow[d], yrow[r["initiative"]], r["start_t"]
            pts: list[tuple[float, float]]
            if s > x0:
                pts = [(x0, y0), (x0, y1), (s, y1)]
            else:  # starts right when the prerequisite ends: drop onto the bar's edge
                pts = [(x0, y0), (x0, y1 - 0.38 if y1 > y0 else y1 + 0.38)]
            for k, (x, y) in enumerate(pts):
                xs.append(x)
                ys.append(y)
                sizes.append(10 if k == len(pts) - 1 else 0)
            xs.append(None)
            ys.append(None)
            sizes.append(0)
    if xs:
        add(fig, "scatter", x=xs, y=ys, mode="lines+markers", name="depends on (arrow)",
            line={"color": "rgba(60,60,60,0.7)", "width": 1.2}, hoverinfo="skip",
            marker={"symbol": "arrow", "angleref": "previous", "size": sizes,
                    "color": "rgba(60,60,60,0.9)"})


def heatmap(util: pd.DataFrame, unit_names: dict[str, str], cap: float,
            planned: pd.DataFrame, available: pd.DataFrame) -> Fig:
    """Unit x period utilisation against real capacity; the planning cap marked on the scale."""
    units = list(util.index)
    labels = [str(c) for c in util.columns]
    z = [[None if pd.isna(v) else round(float(v), 4) for v in row] for row in util.to_numpy()]
    custom = [[[round(float(planned.at[u, p]), 1), round(float(available.at[u, p]), 1),
                round(float(available.at[u, p]) * cap, 1)] for p in labels] for u in units]
    near_cap = {v for v in (0.25, 0.5, 0.75, 1.0) if abs(v - cap) < 0.06}
    ticks = sorted(({0.0, 0.25, 0.5, 0.75, 1.0} - near_cap) | {cap})
    fig = figure(
        height=max(320, 140 + 24 * len(units)), yaxis={"autorange": "reversed", "showgrid": False},
        xaxis={"side": "top", "showgrid": False, "type": "category"}, margin={"t": 80},
        annotations=[{"text": f"planning cap (policy.max_utilisation) = {cap:.0%} of available "
                              "hours: a unit at the cap shows the darkest blue",
                      "xref": "paper", "yref": "paper", "x": 0, "y": 1.0, "yshift": 50,
                      "showarrow": False, "xanchor": "left", "font": {"size": 11}}],
    )
    add(fig, "heatmap", z=z, x=labels, y=[plot_text(unit_names.get(u, u)) for u in units],
        zmin=0, zmax=1, colorscale=_cap_scale(cap), customdata=custom, xgap=1, ygap=1,
        colorbar={"title": {"text": "planned /<br>available"}, "tickvals": ticks,
                  "ticktext": [f"cap {cap:.0%}" if v == cap else f"{v:.0%}" for v in ticks]},
        texttemplate="%{z:.0%}" if len(units) * len(labels) <= 800 else None,
        textfont={"size": 9},
        hovertemplate=("<b>%{y}</b>, %{x}<br>utilisation %{z:.1%} of available hours<br>"
                       "planned %{customdata[0]:,.1f} h of %{customdata[1]:,.1f} h available"
                       "<br>planning cap %{customdata[2]:,.1f} h<extra></extra>"))
    return fig


def _cap_scale(cap: float) -> list[list[Any]]:
    """Light to dark blue up to the cap, then to red at the real capacity (never reached)."""
    cap = min(max(cap, 0.02), 1.0)
    scale: list[list[Any]] = [[0.0, "rgb(247,251,255)"], [cap / 2, "rgb(107,174,214)"],
                              [cap, "rgb(8,48,107)"]]
    if cap < 1.0:
        scale.append([1.0, "rgb(165,15,21)"])
    return scale


def unit_load(load: pd.DataFrame, title: str) -> Fig:
    """One unit's hours per period, stacked by kind, against real capacity and the cap."""
    x = load["period"].astype(str).tolist()
    fig = figure(barmode="stack", height=340, hovermode="x unified",
                 title={"text": plot_text(title), "font": {"size": 13}, "y": 0.98},
                 yaxis={"title": {"text": "hours"}, "rangemode": "tozero"},
                 xaxis={"type": "category"}, margin={"t": 80}, legend={"y": 1.08})
    for col in ("rtb", "own_change", "lent", "borrowed", "external"):
        add(fig, "bar", x=x, y=load[col].round(2).tolist(), name=LOAD_NAMES[col],
            marker={"color": LOAD_COLOURS[col],
                    "pattern": {"shape": "/" if col in ("borrowed", "external") else "",
                                "fillmode": "overlay", "fgcolor": "white"}},
            hovertemplate=f"{LOAD_NAMES[col]}: %{{y:,.1f}} h<extra></extra>")
    add(fig, "scatter", x=x, y=load["available"].round(2).tolist(), name="available hours",
        mode="lines", line={"color": "#222", "shape": "hvh", "width": 2},
        hovertemplate="available: %{y:,.1f} h<extra></extra>")
    add(fig, "scatter", x=x, y=load["cap"].round(2).tolist(), name="planning cap",
        mode="lines", line={"color": "#222", "dash": "dash", "shape": "hvh", "width": 1.5},
        hovertemplate="planning cap: %{y:,.1f} h<extra></extra>")
    return fig


def kpi_path(row: dict[str, Any], labels: Sequence[str]) -> Fig:
    """One KPI's forecast per period against its target (and the period it is due)."""
    labels = list(labels)
    fig = figure(height=260, margin={"t": 60, "l": 50}, showlegend=True,
                 xaxis={"type": "category"},
                 title={"text": plot_text(row["name"]), "font": {"size": 13}, "y": 0.97},
                 legend={"y": 1.0, "font": {"size": 10}})
    add(fig, "scatter", x=labels, y=row["path"], mode="lines+markers", name="forecast",
        line={"shape": "hv", "color": "rgb(51,34,136)", "width": 2},
        hovertemplate="%{x}: %{y:,.4~g}<extra>forecast</extra>")
    if row.get("target") is not None:
        by = row.get("by") if row.get("by") in labels else labels[-1]
        add(fig, "scatter", x=[labels[0], labels[-1]], y=[row["target"], row["target"]],
            mode="lines", name="target", line={"dash": "dash", "color": RED},
            hovertemplate="target %{y:,.4~g}<extra></extra>")
        add(fig, "scatter", x=[by], y=[row["target"]], mode="markers", name=f"due by {by}",
            marker={"symbol": "star", "size": 12, "color": RED},
            hovertemplate=f"target due by {plot_text(by)}<extra></extra>")
    return fig


def spend_by_period(per: pd.DataFrame, budget: float | None, currency: str | None) -> Fig:
    """Incremental spend per period (initiative cost + contractors), cumulated against budget.

    ``per`` has columns period, non_labour, external, internal_labour.
    """
    x = per["period"].astype(str).tolist()
    fig = figure(barmode="stack", height=360, hovermode="x unified",
                 yaxis={**axis_money(currency), "rangemode": "tozero"},
                 xaxis={"type": "category"}, margin={"t": 60})
    add(fig, "bar", x=x, y=per["non_labour"].tolist(), name="initiative cost",
        marker={"color": LOAD_COLOURS["rtb"]})
    add(fig, "bar", x=x, y=per["external"].tolist(), name="contractors",
        marker={"color": LOAD_COLOURS["external"]})
    add(fig, "bar", x=x, y=per["internal_labour"].tolist(), name="internal labour (info)",
        marker={"color": "rgb(187,187,187)"}, visible="legendonly")
    cum = (per["non_labour"] + per["external"]).cumsum().round(2).tolist()
    add(fig, "scatter", x=x, y=cum, name="cumulative spend", mode="lines+markers",
        line={"color": "#222"})
    if budget is not None:
        add(fig, "scatter", x=[x[0], x[-1]], y=[budget, budget], mode="lines",
            name="total budget", line={"dash": "dash", "color": RED})
    return fig


def spend_by_unit(rows: pd.DataFrame, names: dict[str, str], currency: str | None) -> Fig:
    """Incremental spend per unit against the unit's budget (units without one show no mark).

    ``rows`` are the budget view's unit rows.
    """
    y = [plot_text(names.get(u, u)) for u in rows["unit"]]
    fig = figure(barmode="stack", height=140 + 24 * len(y),
                 xaxis={**axis_money(currency), "rangemode": "tozero"},
                 yaxis={"autorange": "reversed"}, margin={"t": 60})
    add(fig, "bar", y=y, x=rows["initiative_cost"].tolist(), orientation="h",
        name="initiative cost", marker={"color": LOAD_COLOURS["rtb"]})
    add(fig, "bar", y=y, x=rows["external_cost"].tolist(), orientation="h",
        name="contractors", marker={"color": LOAD_COLOURS["external"]})
    has = rows["budget"].notna().tolist()
    if any(has):
        add(fig, "scatter", y=[v for v, h in zip(y, has, strict=True) if h],
            x=rows.loc[rows["budget"].notna(), "budget"].tolist(), mode="markers",
            name="unit budget",
            marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": RED}})
    return fig


def cost_per_point(costs: pd.DataFrame, currency: str | None) -> Fig:
    """Each chosen initiative's strategic score against its total cost."""
    c = costs[costs["strategic_score"] > 0]
    fig = figure(height=360, xaxis={"title": {"text": "strategic score (points)"}},
                 yaxis={**axis_money(currency), "title": {"text": "total cost"},
                        "rangemode": "tozero"})
    add(fig, "scatter", x=c["strategic_score"].tolist(), y=c["total_cost"].tolist(),
        mode="markers",
        marker={"size": 9, "color": "rgb(68,170,153)", "line": {"width": 1, "color": "#555"}},
        customdata=[[plot_text(i), plot_text(n), money(p, currency)] for i, n, p in
                    zip(c["initiative"], c["name"], c["cost_per_point"], strict=True)],
        hovertemplate=("<b>%{customdata[1]}</b> (%{customdata[0]})<br>score %{x:.2f}, total "
                       "cost %{y:,.0f}<br>%{customdata[2]} per point<extra></extra>"))
    return fig
