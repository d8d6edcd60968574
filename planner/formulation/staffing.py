"""Constraint families on change work: every active effort line fully staffed, borrowing pools."""

from __future__ import annotations

from collections import defaultdict

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def change_cover(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``staff[u,k,t]``: hours delivered to unit ``u``'s change work in skill ``k`` = demand.

    Demand is ``sum_i sum_s h_iuk(t-s) * x[i,s]``, ``h_iuk(o)`` the hours of the line in
    the o-th active period (``H_iuk / d_i`` when spread evenly, ``H / d_p`` in each period
    of its phase ``p`` for a phased initiative, :mod:`planner.problem.phases`): every line
    of a running initiative is fully staffed in every period it needs hours. Work is
    fungible inside a unit and skill, so the cover per unit, skill and period is exact; the split
    onto initiatives and people happens after the solve.
    """
    labels = data.calendar.labels
    terms: dict[tuple[str, str, int], tuple[list[int], list[float]]] = defaultdict(
        lambda: ([], [])
    )

    def add(key: tuple[str, str, int], col: int, val: float) -> None:
        cols, vals = terms[key]
        cols.append(col)
        vals.append(val)

    for (g, sk, t), col in v.c.items():
        cohort = data.cohorts[g]
        add((cohort.unit, sk, t), col, cohort.skills[sk])
    for (u, sk, t), col in v.bc.items():
        add((u, sk, t), col, 1.0)
    for (e, u, t), col in v.ec.items():
        add((u, data.externals[e].skill, t), col, 1.0)
    for (i, s), col in v.x.items():
        for u, sk, t, h in data.initiatives[i].demand(s):
            add((u, sk, t), col, -h)
    for u, sk, t in sorted(v.change_cells):
        cols, vals = terms[(u, sk, t)]
        model.add_row(f"staff[{u},{sk},{labels[t]}]", cols, vals, 0.0, 0.0)


def borrowing_pools(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``pool_rtb[k,t]`` / ``pool_chg[k,t]``: hours lent (x proficiency) = hours borrowed."""
    labels = data.calendar.labels
    for name, lent, borrowed in (("pool_rtb", v.lr, v.br), ("pool_chg", v.lc, v.bc)):
        terms: dict[tuple[str, int], tuple[list[int], list[float]]] = defaultdict(
            lambda: ([], [])
        )
        for (g, sk, t), col in lent.items():
            cols, vals = terms[(sk, t)]
            cols.append(col)
            vals.append(data.cohorts[g].skills[sk])
        for (_u, sk, t), col in borrowed.items():
            cols, vals = terms[(sk, t)]
            cols.append(col)
            vals.append(-1.0)
        for (sk, t), (cols, vals) in sorted(terms.items()):
            model.add_row(f"{name}[{sk},{labels[t]}]", cols, vals, 0.0, 0.0)
