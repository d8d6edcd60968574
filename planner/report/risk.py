"""The risk section of the plan report: how likely the plan is to hold.

Built from the tables of :func:`planner.analysis.risk.assess` (in memory, or read
back from the CSV files ``planner risk`` writes, :func:`read_risk_tables`), and,
for a robust plan, the table of what robustness cost (``robust.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

import planner.report.charts as charts
from planner.report.fmt import plot_text

#: the CSV files of ``planner risk`` (and the table each holds)
TABLES = ("summary", "initiatives", "rtb", "budget", "kpis")
#: RTB rows shown at most (riskiest first; the CSV has them all)
RTB_ROWS = 15
GOOD = "rgb(34, 136, 51)"
PLANNED = "rgb(136, 204, 238)"


def read_risk_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The tables of a ``planner risk`` folder (``summary.csv``, ``initiatives.csv``, ...).

    Raises
    ------
    FileNotFoundError
        When a table is missing (the folder is not a ``planner risk`` output).
    """
    out = {}
    for name in TABLES:
        path = Path(folder) / f"{name}.csv"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: not found (is {folder} a `planner risk` folder?)")
        out[name] = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False,
                                na_values=[""])
    return out


def _value(x: Any) -> Any:
    """A cell as plain data: NaN and NA as None, numeric text as a number."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return x
    return x.item() if hasattr(x, "item") else x


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                 else v) for k, v in r.items()} for r in frame.to_dict("records")]


def risk_context(tables: Mapping[str, pd.DataFrame],
                 robust: pd.DataFrame | None = None) -> dict[str, Any]:
    """Everything the report's risk section shows, and its figure (``figures``)."""
    summary = {str(m): _value(v) for m, v in zip(tables["summary"]["metric"],
                                                 tables["summary"]["value"], strict=True)}
    ini = tables["initiatives"]
    worst = ini.sort_values(["p_on_time", "initiative"]).head(1).to_dict("records")
    rtb = tables["rtb"]
    rtb = rtb[rtb["p_short"] > 0].assign(_must=lambda f: f["priority"] == "must").sort_values(
        ["_must", "p_short", "mean_short"], ascending=False, kind="stable").drop(columns="_must")
    figures = {"risk-on-time": on_time_figure(ini)} if len(ini) else {}
    return {
        "summary": summary,
        "worst": worst[0] if worst else None,
        "initiatives": _records(ini),
        "rtb": _records(rtb.head(RTB_ROWS)),
        "rtb_more": max(len(rtb) - RTB_ROWS, 0),
        "budget": _records(tables["budget"]),
        "kpis": _records(tables["kpis"]),
        "robust": _records(robust) if robust is not None else None,
        "figures": figures,
    }


def on_time_figure(ini: pd.DataFrame) -> charts.Fig:
    """Per chosen initiative: the chance to finish by its deadline and by its planned finish."""
    rows = ini.sort_values(["p_on_time", "initiative"], ascending=[False, True])
    names = [plot_text(f"{n} ({i})" if n != i else i)
             for i, n in zip(rows["initiative"], rows["name"], strict=True)]
    fig = charts.figure(height=max(160, 60 + charts.ROW_PX * len(rows)), barmode="group",
                        xaxis={"range": [0, 1], "tickformat": ".0%",
                               "title": {"text": "share of the samples"}},
                        yaxis={"automargin": True}, hovermode="closest")
    for col, label, colour in (("p_by_planned_finish", "by its planned finish", PLANNED),
                               ("p_on_time", "by its deadline", GOOD)):
        charts.add(fig, "bar", orientation="h", name=label, x=list(rows[col]), y=names,
                   marker={"color": colour},
                   hovertemplate="%{y}: %{x:.1%} " + label + "<extra></extra>")
    return fig
