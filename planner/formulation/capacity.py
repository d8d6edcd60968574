"""Constraint families on people: planned hours and change share per cohort and period."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def cohort_capacity(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``cap[g,t]``: RTB + change + lent hours <= max_utilisation x capacity (summed over members).

    ``chg[g,t]``: change hours (own and lent) <= min(max_change_share, max_utilisation) x capacity.
    """
    labels = data.calendar.labels
    total: dict[tuple[int, int], list[int]] = defaultdict(list)
    change: dict[tuple[int, int], list[int]] = defaultdict(list)
    for fam, is_change in ((v.r, False), (v.c, True), (v.lr, False), (v.lc, True)):
        for (gi, _sk, t), col in fam.items():
            total[(gi, t)].append(col)
            if is_change:
                change[(gi, t)].append(col)
    for g in data.cohorts:
        cap, chg = g.capacity, g.change_capacity
        for t in range(data.T):
            cols = total.get((g.index, t))
            if cols:
                model.add_row(f"cap[{g.name},{labels[t]}]", cols, [1.0] * len(cols), hi=cap[t])
            ccols = change.get((g.index, t))
            if ccols and chg[t] < cap[t] - 1e-9:
                model.add_row(f"chg[{g.name},{labels[t]}]", ccols, [1.0] * len(ccols), hi=chg[t])


def change_room(data: ProblemData) -> dict[tuple[str, str, int], float]:
    """Most change work (delivered hours) unit ``u`` can get in skill ``k`` in period ``t``.

    An upper bound valid in every plan: its cohorts' change limits x proficiency, and
    their whole capacity x proficiency less the part of the ``must`` RTB of that skill
    that nobody else could cover, whichever is smaller, plus all contractors of the
    skill, plus (with borrowing) every other cohort's change limit in the skill.
    Contractors, and with borrowing every other cohort, may take must RTB over, which
    frees the unit's own people for change work.
    """
    T = data.T
    chg: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(T))
    tot: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(T))
    anyone: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(T))
    anyone_tot: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(T))
    for g in data.cohorts:
        for sk, q in g.skills.items():
            chg[(g.unit, sk)] += q * g.change_capacity
            tot[(g.unit, sk)] += q * g.capacity
            anyone[sk] += q * g.change_capacity
            anyone_tot[sk] += q * g.capacity
    ext: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(T))
    for e in data.externals:
        ext[e.skill] += e.capacity
    room: dict[tuple[str, str, int], float] = {}
    for i in data.initiatives:
        for u, sk, _h in i.lines:
            if (u, sk, 0) in room:
                continue
            must = data.rtb[(u, sk)][0] if (u, sk) in data.rtb else np.zeros(T)
            others = anyone[sk] - chg[(u, sk)] if data.borrowing else np.zeros(T)
            # must RTB that contractors or (with borrowing) other units could cover
            elsewhere = ext[sk] + (anyone_tot[sk] - tot[(u, sk)] if data.borrowing else 0.0)
            must_own = np.maximum(must - elsewhere, 0.0)
            own = np.minimum(chg[(u, sk)], np.maximum(tot[(u, sk)] - must_own, 0.0))
            r = own + others + ext[sk]
            for t in range(T):
                room[(u, sk, t)] = float(r[t])
    return room


def _line_terms(data: ProblemData, v: Vars) -> dict[tuple[str, str, int], list[tuple[int, float]]]:
    """(unit, skill, period) -> [(start column, hours it needs there)], columns in order.

    The hours of a start column are the line's profile at the period's offset from
    that start (the same for every start when effort is spread evenly).
    """
    terms: dict[tuple[str, str, int], list[tuple[int, float]]] = defaultdict(list)
    for (i, s), col in sorted(v.x.items()):
        for u, sk, t, h in data.initiatives[i].demand(s):
            terms[(u, sk, t)].append((col, h))
    return terms


def change_knapsacks(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``knap[u,k,t]`` and ``big[u,k,t,m]``: valid rows that cut fractional starts.

    ``knap``: ``sum_(i,s) h_iuk(t-s) x[i,s] <= room(u,k,t)`` (see :func:`change_room`;
    ``h_iuk(t-s)`` is ``H_iuk / d_i`` for evenly spread effort).
    It is implied by the flow rows, but solvers derive cover cuts only from explicit
    knapsack rows.

    ``big``: when every start column in a set needs more than ``room / (m+1)`` hours in
    the period, at most ``m`` of them can be on: ``sum x[i,s] <= m`` (m = 1, 2, 3). These
    forbid what the knapsack row allows, e.g. two big initiatives each run at 80%.
    """
    labels = data.calendar.labels
    room = change_room(data)
    which = {col: i for (i, _s), col in v.x.items()}
    for (u, sk, t), items in sorted(_line_terms(data, v).items()):
        cap = room[(u, sk, t)]
        # most any plan can need: the largest need of each initiative (one start each)
        most: dict[int, float] = defaultdict(float)
        for c, n in items:
            most[which[c]] = max(most[which[c]], n)
        if sum(most.values()) <= cap + 1e-9:
            continue
        model.add_row(f"knap[{u},{sk},{labels[t]}]", [c for c, _n in items],
                      [n for _c, n in items], hi=cap)
        for m in (1, 2, 3):
            big = [c for c, n in items if n > cap / (m + 1) + 1e-9]
            if len({which[c] for c in big}) > m:
                model.add_row(
                    f"big[{u},{sk},{labels[t]},{m}]", big, [1.0] * len(big), hi=float(m)
                )
