"""Rule on run-the-business work: ``must`` demand covered (``rtb``); high and normal
shortfalls are reported as notes."""

from __future__ import annotations

import pandas as pd

from models.scenario import PRIORITIES
from planner.checker.context import Context
from planner.checker.demand import merge_delivered, rtb_demand, rtb_shortfalls
from planner.checker.report import HOURS_ABS


def check_rtb(ctx: Context, a: pd.DataFrame) -> None:
    """Rule 11: must RTB covered; high/normal shortfalls as notes."""
    n = len(ctx.cal)
    demand = rtb_demand(ctx.sc, n)
    if not demand:
        return
    rows = [
        (u, k, ctx.cal.labels[t], *arr[:, t])
        for (u, k), arr in demand.items()
        for t in range(n)
    ]
    d = pd.DataFrame(rows, columns=["unit", "skill", "period", *PRIORITIES])
    r = a[a["rtb"]].rename(columns={"unit": "own_unit", "rtb_unit": "unit"})
    m = merge_delivered(d, r, ["unit", "skill", "period"])
    ctx.add_short(
        "rtb",
        m,
        "must",
        "unit",
        "must RTB of skill '{skill}' needs {must:.2f} h, delivered {delivered:.2f} h",
    )
    _, m["high_short"], m["normal_short"] = rtb_shortfalls(
        [m["must"], m["high"], m["normal"]], m["delivered"])
    tol = HOURS_ABS
    for prio in ("high", "normal"):
        g = m.groupby(["unit", "skill"], sort=False)[f"{prio}_short"].sum()
        for (u, k), h in g.items():
            if h > tol:
                ctx.report.notes.append(
                    f"RTB short: unit {u}, skill {k}, {prio}: {h:.2f} h over the horizon"
                )
