"""Valid rows on a unit's people as a whole: lumpy change work against the hours they have.

People with several skills share their hours between them, so the rows of one unit and
skill (:mod:`planner.formulation.mir`) count a person's hours in every skill they have
and rarely bind; what binds in the LP relaxation of the generated organisations is the
cohort rows ``cap[g,t]`` (their people's hours, whatever the skill). Summing those over
a unit ``u`` gives, for a period ``t``,

    sum_k (D_ukt + L_ukt - S_ukt) / q_uk  <=  C_ut

with ``C_ut`` the hours of the unit's cohorts (``sum_g cap_g[t]``), ``D_ukt`` the RTB
demand and ``L_ukt = sum_(i,s) h_iuk(t-s) x[i,s]`` the change load of skill ``k``,
``S_ukt >= 0`` every hour that does not come from the unit's own people (RTB shortfall,
contractor and borrowed hours), and ``q_uk`` the best proficiency in ``k`` of anyone in
the unit: an hour of own people delivers at most ``q_uk`` hours of ``k``. Skills nobody
in the unit holds are left out (all of their hours come from outside). With
``a_is = sum_k h_iuk(t-s) / q_uk`` and ``b = C_ut - sum_k D_ukt / q_uk`` this reads
``sum a_is x[i,s] - sum_k S_ukt / q_uk <= b``, a row in the binaries and non-negative
continuous columns only, so its mixed-integer rounding with a divisor ``delta``

    sum_(i,s) (floor(a_is/delta) + max(0, f_is - f) / (1 - f)) x[i,s]
        - sum_k S_ukt / (q_uk * delta * (1 - f))  <=  floor(b/delta)

(``f = frac(b/delta)``, ``f_is = frac(a_is/delta)``) holds in every plan. It cuts LP
points where a unit's initiatives run at part intensity, or spread over several start
periods, to fill exactly the hours RTB leaves.

Measured on the generated organisations (``benchmarks/``, seed 0): LP bound S 81.4 ->
79.5, M 390.3 -> 381.7, L 788.8 -> 784.0; HiGHS's bound on M after its 60 s 383-386 ->
373. Summing windows of 2-3 periods, more divisors, or the same rounding against the
change-share rows moved the M bound by less than 0.1.
"""

from __future__ import annotations

import math
from collections import defaultdict

from planner.formulation.capacity import _line_terms
from planner.formulation.mir import MAX_QUOTIENT, MIN_FRACTION, outside_columns, rounded
from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData

#: divisors tried per unit and period: the largest distinct lump sizes
MAX_DIVISORS = 2


def unit_mir(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``umir[u,t,n]``: MIR rows of a unit's lumpy change load against its hours (see module)."""
    labels = data.calendar.labels
    best: dict[tuple[str, str], float] = defaultdict(float)  # q_uk
    hours: dict[tuple[str, int], float] = defaultdict(float)  # C_ut
    for g in data.cohorts:
        for sk, q in g.skills.items():
            best[(g.unit, sk)] = max(best[(g.unit, sk)], float(q))
        for t in range(data.T):
            hours[(g.unit, t)] += float(g.capacity[t])
    outside = outside_columns(data, v)

    # per unit and period: the lump of each start column, the outside columns / q_uk, b
    lumps: dict[tuple[str, int], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for (u, sk, t), items in _line_terms(data, v).items():
        q = best.get((u, sk), 0.0)
        if q <= 0:
            continue  # nobody in the unit has the skill: none of its hours are theirs
        for c, h in items:
            lumps[(u, t)][c] += h / q
    which = {col: i for (i, _s), col in v.x.items()}
    for (u, t), load in sorted(lumps.items()):
        skills = [sk for (uu, sk), q in best.items() if uu == u and q > 0]
        demand = sum(float(data.rtb[(u, sk)][:, t].sum()) / best[(u, sk)]
                     for sk in skills if (u, sk) in data.rtb)
        b = hours[(u, t)] - demand
        most: dict[int, float] = defaultdict(float)
        for c, a in load.items():
            most[which[c]] = max(most[which[c]], a)
        if b <= 0 or sum(most.values()) <= b + 1e-9:
            continue  # no room at all, or every lump fits together
        s_cols: list[int] = []
        s_div: list[float] = []
        for sk in skills:
            for col in outside.get((u, sk, t), []):
                s_cols.append(col)
                s_div.append(best[(u, sk)])
        sizes = sorted({round(a, 9) for a in load.values()}, reverse=True)[:MAX_DIVISORS]
        for k, delta in enumerate(sizes):
            if delta < b / MAX_QUOTIENT:
                break
            f = b / delta - math.floor(b / delta)
            if f < MIN_FRACTION or f > 1 - MIN_FRACTION:
                continue
            cols, vals = rounded(sorted(load.items()), delta, f)
            if not cols:
                continue
            cols += s_cols
            vals += [-1.0 / (q * delta * (1 - f)) for q in s_div]
            model.add_row(f"umir[{u},{labels[t]},{k}]", cols, vals,
                          hi=float(math.floor(b / delta)))
