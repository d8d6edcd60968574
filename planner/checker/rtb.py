"""Rule on run-the-business work: ``must`` demand covered (``rtb``); high and normal
shortfalls are reported as notes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.scenario import PRIORITIES
from planner.checker.context import Context
from planner.checker.report import HOURS_ABS, htol


def check_rtb(ctx: Context, a: pd.DataFrame) -> None:
    """Rule 11: must RTB covered; high/normal shortfalls as notes."""
    n = len(ctx.cal)
    demand: dict[tuple[str, str], np.ndarray] = {}
    for ln in ctx.sc.run_the_business:
        hrs = ln.hours if isinstance(ln.hours, list) else [ln.hours] * n
        if len(hrs) != n:
            continue  # the validator rejects this; nothing sensible to check
        arr = demand.setdefault((ln.unit, ln.skill), np.zeros((3, n)))
        arr[PRIORITIES.index(ln.priority)] += np.asarray(hrs, dtype=float)
    if not demand:
        return
    rows = [
        (u, k, ctx.cal.labels[t], *arr[:, t])
        for (u, k), arr in demand.items()
        for t in range(n)
    ]
    d = pd.DataFrame(rows, columns=["unit", "skill", "period", *PRIORITIES])
    r = a[a["rtb"]].rename(columns={"unit": "own_unit", "rtb_unit": "unit"})
    got = (
        r.groupby(["unit", "skill", "period"], sort=False)["delivered"]
        .agg(["sum", "size"])
        .reset_index()
    )
    d = d.astype({c: got[c].dtype for c in ["unit", "skill", "period"]})
    m = d.merge(got, on=["unit", "skill", "period"], how="left")
    m[["sum", "size"]] = m[["sum", "size"]].fillna(0.0)
    m["amount"] = m["must"] - m["sum"]
    short = m[m["amount"] > htol(m["must"], m["size"])]
    ctx.add_rows(
        "rtb",
        short,
        "unit",
        "period",
        "must RTB of skill '{skill}' needs {must:.2f} h, delivered {sum:.2f} h",
    )
    left = (m["sum"] - m["must"]).clip(lower=0)
    m["high_short"] = (m["high"] - left).clip(lower=0)
    m["normal_short"] = (m["normal"] - (left - m["high"]).clip(lower=0)).clip(lower=0)
    tol = HOURS_ABS
    for prio in ("high", "normal"):
        g = m.groupby(["unit", "skill"], sort=False)[f"{prio}_short"].sum()
        for (u, k), h in g.items():
            if h > tol:
                ctx.report.notes.append(
                    f"RTB short: unit {u}, skill {k}, {prio}: {h:.2f} h over the horizon"
                )
