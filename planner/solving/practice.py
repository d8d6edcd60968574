"""Who in a cohort practises a wished skill: development targets for the person split.

The model counts development per cohort and wished skill (``d[g,k]``, at most the
cohort's hours on skill ``k`` over the horizon and at most its members' wishes
summed, :mod:`planner.formulation.development`). Splitting the cohort's hours
onto its members must realise it: the hours on ``k`` have to land on members
whose wish is not met yet, up to their wish, in periods where they have room.
Members differ in capacity per period (FTE, leave), so this is a small
transport problem across the periods of the horizon; it is solved here as an
LP per cohort:

    maximise   sum_{m,k} z[m,k]  -  1e-6 sum y
    subject to z[m,k] <= wish[m,k],  z[m,k] <= sum_{pieces p of skill k} y[m,p]
               sum_m y[m,p] <= hours of piece p
               per member and period: sum y <= capacity, sum of change y <= change limit
               per period: what is left of the members' change room after the
               reserved hours still holds the cohort's other change hours

``y[m,p]`` are hours of piece ``p`` (a piece of work in a wished skill in one
period) reserved for member ``m``; :func:`planner.problem.cohorts.split_cohort` places
them before anything else, and the last family of rows makes sure the rest of
the pieces still fit, so the split stays exact. The LP's optimum is the most
development any split of these pieces can give, so whenever the model's
``d[g,k]`` is achievable by some split, the members' ``min(hours on k, wish)``
summed over the cohort reaches it.

Only cohorts with a wish, two or more members and some work in a wished skill
need the LP; a single member gets all of the cohort's hours anyway.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from planner.formulation.model import LinearModel
from planner.problem.cohorts import Cohort, Piece, PieceKey

#: cost per reserved hour: among equal development, reserve no more than needed
RESERVE_COST = 1e-6
#: seconds one cohort's LP may take (it has a few hundred columns at most)
TIME_LIMIT = 10.0

Targets = dict[int, dict[PieceKey, dict[int, float]]]


def practice_targets(cohort: Cohort, pieces: dict[int, list[Piece]]) -> Targets:
    """Hours to reserve per period, piece and member position so that wishes are met.

    ``pieces`` maps each period to the cohort's pieces of work in it. Returns
    ``period -> (work, for_unit, skill) -> member position -> hours`` (empty when
    nothing needs reserving).
    """
    wished = {k: w for k, w in cohort.wished.items() if float(w.sum()) > 0}
    n = len(cohort.members)
    if not wished or n < 2:
        return {}
    wanted = {t: [p for p in ps if p.skill in wished and p.hours > 1e-9]
              for t, ps in pieces.items()}
    if not any(wanted.values()):
        return {}
    cap = cohort.member_capacity
    chg = cohort.member_change
    m = LinearModel()
    y: dict[tuple[int, int, int], int] = {}  # (period, piece position, member) -> column
    by_skill: dict[tuple[int, str], list[int]] = defaultdict(list)  # (member, skill) -> cols
    for t, ps in sorted(wanted.items()):
        for j, p in enumerate(ps):
            cols = []
            for mem in range(n):
                room = min(cap[mem, t], chg[mem, t]) if p.change else cap[mem, t]
                if room <= 1e-9:
                    continue
                col = m.add_var(f"y[{t},{j},{mem}]", 0.0, float(min(room, p.hours)),
                                obj=-RESERVE_COST)
                y[(t, j, mem)] = col
                by_skill[(mem, p.skill)].append(col)
                cols.append(col)
            if cols:
                m.add_row(f"piece[{t},{j}]", cols, [1.0] * len(cols), hi=p.hours)
    for (mem, sk), cols in sorted(by_skill.items()):
        z = m.add_var(f"z[{mem},{sk}]", 0.0, float(wished[sk][mem]), obj=1.0)
        m.add_row(f"met[{mem},{sk}]", [z, *cols], [1.0] + [-1.0] * len(cols), hi=0.0)
    for t, ps in sorted(wanted.items()):
        all_t: dict[int, list[int]] = defaultdict(list)
        chg_t: dict[int, list[int]] = defaultdict(list)
        for j, p in enumerate(ps):
            for mem in range(n):
                got = y.get((t, j, mem))
                if got is None:
                    continue
                all_t[mem].append(got)
                if p.change:
                    chg_t[mem].append(got)
        if not all_t:
            continue
        for mem, cols in sorted(all_t.items()):
            m.add_row(f"cap[{t},{mem}]", cols, [1.0] * len(cols), hi=float(cap[mem, t]))
            if chg_t.get(mem):
                cc = chg_t[mem]
                m.add_row(f"chg[{t},{mem}]", cc, [1.0] * len(cc), hi=float(chg[mem, t]))
        change_hours = sum(p.hours for p in pieces.get(t, []) if p.change)
        if change_hours <= 1e-9:
            continue
        # room for the change hours not reserved: e[mem] <= change room left and
        # <= capacity left; their sum + the reserved change hours >= all change hours
        e_cols, reserved_change = [], []
        for mem in range(n):
            e = m.add_var(f"e[{t},{mem}]")
            e_cols.append(e)
            cc, ca = chg_t.get(mem, []), all_t.get(mem, [])
            m.add_row(f"eroom[{t},{mem}]", [e, *cc], [1.0] * (1 + len(cc)),
                      hi=float(min(chg[mem, t], cap[mem, t])))
            m.add_row(f"ecap[{t},{mem}]", [e, *ca], [1.0] * (1 + len(ca)),
                      hi=float(cap[mem, t]))
            reserved_change += cc
        m.add_row(f"rest[{t}]", e_cols + reserved_change,
                  [1.0] * (len(e_cols) + len(reserved_change)), lo=float(change_hours) - 1e-7)
    x = _solve(m)
    if x is None:
        return {}
    out: Targets = {}
    for (t, j, mem), col in y.items():
        h = float(x[col])
        if h > 1e-7:
            p = wanted[t][j]
            cell = out.setdefault(t, {}).setdefault((p.work, p.for_unit, p.skill), {})
            cell[mem] = cell.get(mem, 0.0) + h
    return out


def _solve(model: LinearModel) -> np.ndarray | None:
    """Column values of the LP's optimum (None should the solver fail: no targets then)."""
    from planner.backends import highs
    from planner.backends.base import SolverOptions

    res = highs.solve(model.arrays(), SolverOptions(time_limit=TIME_LIMIT), relax=True)
    return res.x if res.x is not None and res.status == "optimal" else None
