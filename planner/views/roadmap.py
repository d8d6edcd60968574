"""Roadmap: the chosen initiatives against the periods, as a Gantt chart reads them."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts, join

FIXED = [
    "initiative", "name", "sponsor", "objective", "start", "finish", "duration", "mandatory",
    "pinned", "review_status", "depends_on",
]


def roadmap(plan: Plan) -> pd.DataFrame:
    """One row per chosen initiative in start order, one column per period.

    ``objective`` is the objective it serves most (weight x rating; empty when
    misaligned); ``pinned`` is ``in`` when the scenario forces it in, ``start``
    when its start is fixed, else empty; ``review_status`` is the initiative's
    ``status`` (proposed, approved, committed); ``depends_on`` lists its
    prerequisites. A period column holds 1 where the initiative runs, else
    nothing. Not a file of the plan folder: the workbook's ``roadmap`` sheet
    and the HTML report are drawn from it.
    """
    f = facts(plan)
    labels = f.labels
    pos = {r.id: k for k, r in enumerate(plan.initiatives)}
    chosen = sorted(f.starts.items(), key=lambda x: (x[1][0], x[1][1], pos.get(x[0], 0)))
    rows = []
    for iid, (s, fin) in chosen:
        ini = f.initiatives[iid]
        objs = f.objectives_of(iid)
        pinned = "in" if ini.pin == "in" else ("start" if ini.start is not None else "")
        row: dict[str, object] = {
            "initiative": iid,
            "name": ini.name or iid,
            "sponsor": ini.sponsor or "",
            "objective": objs[0] if objs else "",
            "start": labels[s],
            "finish": labels[fin],
            "duration": fin - s + 1,
            "mandatory": bool(ini.mandatory),
            "pinned": pinned,
            "review_status": ini.status,
            "depends_on": join(ini.depends_on),
        }
        for t, label in enumerate(labels):
            row[label] = 1 if s <= t <= fin else None
        rows.append(row)
    return pd.DataFrame(rows, columns=[*FIXED, *labels])
