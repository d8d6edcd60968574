"""Give a plan's scoring columns the values its hours and schedule earn, before it is written.

A column vector from the greedy, the neighbourhood search or a solver's early
incumbent can leave columns that only score at less than their best: the met
bonus of a KPI target the plan meets left at 0, RTB shortfall put on ``high``
where ``normal`` demand could take it, a KPI's closed gap, the hours of a
development wish met or a baseline deviation measured loosely. :func:`polish` sets
each to the best value the rest of the vector allows, so the objective written into
``plan.json`` is what the written plan is worth (``planner check`` recomputes it from
the plan alone). The schedule and every hour stay as they were; the vector stays
feasible.

* ``sh[u,k,t,high|normal]``: their sum is fixed by the cover row; normal (cheaper)
  takes as much as its bound allows.
* ``kc[k]``: ``min(gap, what the chosen initiatives move by by)`` (row ``kpi[k]``).
* ``km[k]``: 1 when ``kc[k]`` reaches the gap (row ``kpimet[k]``).
* ``dev[g,k]`` (development): ``min(n x w, the cohort's hours in k)`` (row ``grow[g,k]``).
* stability deviations: ``|hours - baseline|`` (rows ``keep[...]``).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from planner.formulation.kpi import finished_by
from planner.solving.job import Job


def polish(job: Job, x: np.ndarray) -> np.ndarray:
    """A copy of ``x`` with the scoring columns at their best (see the module docstring)."""
    f, data = job.formulation, job.data
    v, ub = f.vars, f.model.col_ub
    x = np.array(x, dtype=float)
    cells: dict[tuple[str, str, int], dict[str, int]] = defaultdict(dict)
    for (u, sk, t, p), col in v.sh.items():
        cells[(u, sk, t)][p] = col
    for cell in cells.values():
        if "high" in cell and "normal" in cell:
            total = x[cell["high"]] + x[cell["normal"]]
            normal = min(max(total, 0.0), ub[cell["normal"]])
            x[cell["normal"]], x[cell["high"]] = normal, total - normal
    for k in data.kpis:
        closed = v.kc.get(k.id)
        if closed is None:
            continue
        cols, vals = finished_by(data, v, k)
        moved = float(np.dot(np.asarray(vals, dtype=float), x[cols])) if cols else 0.0
        x[closed] = min(ub[closed], moved)
        met = v.km.get(k.id)
        if met is not None:
            x[met] = 1.0 if x[closed] >= k.gap0 * (1 - 1e-9) else 0.0
    if v.dev:
        hours: dict[tuple[int, str], list[int]] = defaultdict(list)
        for fam in (v.r, v.c, v.lr, v.lc):
            for (gi, sk, _t), col in fam.items():
                if (gi, sk) in v.dev:
                    hours[(gi, sk)].append(col)
        for key, col in v.dev.items():
            x[col] = min(ub[col], float(x[hours[key]].sum()))
    for col, (of, h) in v.keep_dev.items():
        x[col] = abs(x[of] - h)
    return x


def objective_of(job: Job, x: np.ndarray) -> float:
    """The model's objective at ``x``."""
    m = job.formulation.model
    return float(np.dot(np.asarray(m.col_obj, dtype=float), x)) + m.obj_offset
