"""Valid rows that make lumpy change work cost RTB shortfall in the LP as it does in a plan.

Change work comes in lumps: an effort line needs ``a = H / d`` hours in every
period it runs (for a phased initiative, ``a`` depends on the period's offset
from the start, so each start column has its own ``a``), all or nothing. In
the LP relaxation an initiative can run at
part intensity, so its load fits exactly into the room RTB leaves and no RTB
is ever short; in a plan the lumps do not fit exactly and RTB pays. This gap
made the LP bound weak (generated S: LP 83.7 against an optimum of 65.6).

For a unit ``u``, skill ``k`` and period ``t``, summing the RTB cover, the
change cover and the cohort capacity rows gives

    sum_(i,s) a_is * x[i,s] - s  <=  b

with ``b`` = the own cohorts' capacity x proficiency (``sum_g q_gk cap_g``)
less the RTB demand, and ``s >= 0`` every hour that does not come from the
unit's own people: RTB shortfall, borrowed and contractor hours. Its
mixed-integer rounding (MIR) with a divisor ``delta`` is

    sum_(i,s) (floor(a_is/delta) + max(0, f_is - f) / (1 - f)) * x[i,s]
        - s / (delta * (1 - f))  <=  floor(b/delta)

where ``f = frac(b/delta)``, ``f_is = frac(a_is/delta)``. It is valid for every
plan (every ``x`` is 0 or 1) and cuts the part-intensity LP points: with lines of
one size ``a`` and ``b = m*a + r``, every line beyond ``m`` forces ``a - r``
hours of shortfall, where the LP alone would charge nothing. The divisor is
the largest line size of the cell (trying the four largest sizes gave the same
LP bound on the generated S and M organisations, with more rows).

Measured on the generated S organisation (``benchmarks/``): LP bound 83.7 ->
78.7, and HiGHS proves the optimum (65.6) in 39 s where it had an 18% gap after
60 s. On M the LP bound moves 381.3 -> 376.9.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from planner.formulation.capacity import _line_terms
from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData

#: divisors tried per (unit, skill, period): the largest distinct line sizes
MAX_DIVISORS = 1
#: divisors below room / this are skipped
MAX_QUOTIENT = 50
#: a row is kept only when rounding changes something by at least this much
MIN_FRACTION = 1e-3


def shortfall_mir(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``mir[u,k,t,n]``: MIR rows of lumpy change load against RTB shortfall (see module)."""
    labels = data.calendar.labels
    own: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(data.T))
    for g in data.cohorts:
        for sk, q in g.skills.items():
            own[(g.unit, sk)] += q * g.capacity
    outside = outside_columns(data, v)

    which = {col: i for (i, _s), col in v.x.items()}
    for (u, sk, t), items in sorted(_line_terms(data, v).items()):
        demand = float(data.rtb[(u, sk)][:, t].sum()) if (u, sk) in data.rtb else 0.0
        b = float(own[(u, sk)][t]) - demand
        most: dict[int, float] = defaultdict(float)
        for c, n in items:
            most[which[c]] = max(most[which[c]], n)
        if b <= 0 or sum(most.values()) <= b + 1e-9:
            continue  # no room at all (the cover rows say it all), or everything fits
        s_cols = outside.get((u, sk, t), [])
        sizes = sorted({round(n, 9) for _c, n in items}, reverse=True)[:MAX_DIVISORS]
        for k, delta in enumerate(sizes):
            if delta < b / MAX_QUOTIENT:
                break  # rounding by a size this small barely cuts
            f = b / delta - math.floor(b / delta)
            if f < MIN_FRACTION or f > 1 - MIN_FRACTION:
                continue
            cols, vals = rounded(items, delta, f)
            if not cols:
                continue
            cols += s_cols
            vals += [-1.0 / (delta * (1 - f))] * len(s_cols)
            model.add_row(
                f"mir[{u},{sk},{labels[t]},{k}]", cols, vals, hi=float(math.floor(b / delta))
            )


def outside_columns(data: ProblemData, v: Vars) -> dict[tuple[str, str, int], list[int]]:
    """``(unit, skill, period)`` -> the columns of hours that do not come from the unit's
    own people: RTB shortfall, borrowed and contractor hours."""
    outside: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for (u, sk, t, _p), col in v.sh.items():
        outside[(u, sk, t)].append(col)
    for fam in (v.br, v.bc):
        for key, col in fam.items():
            outside[key].append(col)
    for fam2 in (v.er, v.ec):
        for (e, u, t), col in fam2.items():
            outside[(u, data.externals[e].skill, t)].append(col)
    return outside


def rounded(items: Iterable[tuple[int, float]], delta: float,
            f: float) -> tuple[list[int], list[float]]:
    """The integer side of an MIR row: ``floor(a/delta) + max(0, frac(a/delta) - f) / (1 - f)``
    for each ``(column, a)`` whose coefficient is positive."""
    cols: list[int] = []
    vals: list[float] = []
    for c, n in items:
        a = n / delta
        coef = math.floor(a) + max(0.0, (a - math.floor(a)) - f) / (1 - f)
        if coef > 0:
            cols.append(c)
            vals.append(coef)
    return cols, vals
