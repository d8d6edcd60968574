"""Constraint family on outside capacity: contractor hours per pool and period."""

from __future__ import annotations

from collections import defaultdict

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def external_capacity(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``ext[e,t]``: contractor hours of pool ``e`` in period ``t`` <= max_fte x hours_per_fte.

    Before the pool's ``from`` period its capacity is 0 and no columns exist.
    """
    labels = data.calendar.labels
    cols: dict[tuple[int, int], list[int]] = defaultdict(list)
    for fam in (v.er, v.ec):
        for (e, _u, t), col in fam.items():
            cols[(e, t)].append(col)
    for (e, t), cs in sorted(cols.items()):
        ext = data.externals[e]
        model.add_row(f"ext[{ext.id},{labels[t]}]", cs, [1.0] * len(cs), hi=float(ext.capacity[t]))
