"""Constraint families on people: planned hours and change share per cohort and period."""

from __future__ import annotations

from collections import defaultdict

from planner.data import ProblemData
from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars


def cohort_capacity(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``cap[g,t]``: RTB + change + lent hours <= max_utilisation x capacity (summed over members).

    ``chg[g,t]``: change hours (own and lent) <= min(max_change_share, max_utilisation) x capacity.
    """
    labels = data.calendar.labels
    total: dict[tuple[int, int], list[int]] = defaultdict(list)
    change: dict[tuple[int, int], list[int]] = defaultdict(list)
    for fam, is_change in ((v.r, False), (v.c, True), (v.lr, False), (v.lc, True)):
        for (g, _sk, t), col in fam.items():
            total[(g, t)].append(col)
            if is_change:
                change[(g, t)].append(col)
    for g in data.cohorts:
        cap, chg = g.capacity, g.change_capacity
        for t in range(data.T):
            cols = total.get((g.index, t))
            if cols:
                model.add_row(f"cap[{g.name},{labels[t]}]", cols, [1.0] * len(cols), hi=cap[t])
            ccols = change.get((g.index, t))
            if ccols and chg[t] < cap[t] - 1e-9:
                model.add_row(f"chg[{g.name},{labels[t]}]", ccols, [1.0] * len(ccols), hi=chg[t])
