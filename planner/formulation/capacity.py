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


def _line_terms(data: ProblemData, v: Vars):
    """(unit, skill, period) -> [(initiative, per-period hours, start columns)]."""
    terms: dict[tuple[str, str, int], list[tuple[int, float, list[int]]]] = defaultdict(list)
    by_init: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (i, s), col in v.x.items():
        by_init[i].append((s, col))
    for i, starts in sorted(by_init.items()):
        ini = data.initiatives[i]
        for u, sk, h in ini.lines:
            for t in range(data.T):
                cols = [c for s, c in starts if s <= t < s + ini.duration]
                if cols:
                    terms[(u, sk, t)].append((i, h / ini.duration, cols))
    return terms


def change_knapsacks(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``knap[u,k,t]`` and ``big[u,k,t,m]``: valid rows that cut fractional starts.

    ``knap``: ``sum_i (H_iuk / d_i) * active(i,t) <= room(u,k,t)`` (see :func:`change_room`).
    It is implied by the flow rows, but solvers derive cover cuts only from explicit
    knapsack rows.

    ``big``: when every line in a set needs more than ``room / (m+1)`` hours a period,
    at most ``m`` of them can run at once: ``sum active(i,t) <= m`` (m = 1, 2, 3). These
    forbid what the knapsack row allows, e.g. two big initiatives each run at 80%.
    """
    labels = data.calendar.labels
    room = change_room(data)
    for (u, sk, t), items in sorted(_line_terms(data, v).items()):
        cap = room[(u, sk, t)]
        need = sum(n for _i, n, _c in items)
        if need <= cap + 1e-9:
            continue
        cols = [c for _i, _n, cs in items for c in cs]
        vals = [n for _i, n, cs in items for _c in cs]
        model.add_row(f"knap[{u},{sk},{labels[t]}]", cols, vals, hi=cap)
        for m in (1, 2, 3):
            big = [cs for _i, n, cs in items if n > cap / (m + 1) + 1e-9]
            if len(big) > m:
                bcols = [c for cs in big for c in cs]
                model.add_row(
                    f"big[{u},{sk},{labels[t]},{m}]", bcols, [1.0] * len(bcols), hi=float(m)
                )
