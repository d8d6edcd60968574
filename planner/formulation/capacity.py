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


def change_knapsacks(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``knap[u,k,t]``: redundant knapsack rows that let the solver cut fractional starts.

    ``sum_i (H_iuk / d_i) * [i active in t] <= most change work unit u can get in skill k``
    (its cohorts' change limits x proficiency, all contractors of k, and with borrowing
    all other cohorts' change limits in k). The row is implied by the flow rows, but a
    solver only derives cover and lifted cuts from explicit knapsack rows.
    """
    labels = data.calendar.labels
    own: dict[tuple[str, str], list] = defaultdict(list)
    anyone: dict[str, list] = defaultdict(list)
    for g in data.cohorts:
        room = g.change_capacity
        for sk, q in g.skills.items():
            own[(g.unit, sk)].append(q * room)
            anyone[sk].append(q * room)
    ext: dict[str, list] = defaultdict(list)
    for e in data.externals:
        ext[e.skill].append(e.capacity)
    terms: dict[tuple[str, str, int], tuple[list[int], list[float]]] = defaultdict(
        lambda: ([], [])
    )
    for (i, s), col in v.x.items():
        ini = data.initiatives[i]
        for u, sk, h in ini.lines:
            for t in range(s, s + ini.duration):
                cols, vals = terms[(u, sk, t)]
                cols.append(col)
                vals.append(h / ini.duration)
    for (u, sk, t), (cols, vals) in sorted(terms.items()):
        cap = sum(a[t] for a in (anyone[sk] if data.borrowing else own[(u, sk)]))
        cap += sum(a[t] for a in ext[sk])
        if sum(vals) > cap + 1e-9:
            model.add_row(f"knap[{u},{sk},{labels[t]}]", cols, vals, hi=float(cap))
