"""Large-neighbourhood search: improve a plan by re-optimising a few units at a time.

At real size the MIP solver spends its time limit on the root LP and rarely
improves the greedy start. This search takes a feasible column vector and
repeatedly frees the initiatives that touch a small group of related units
(and the hours of every unit those initiatives touch), fixes every other
column at its current value, and solves that small sub-MIP exactly with
the search backend (HiGHS). The sub-model is cut out of the full matrix generically: rows that
meet a free column are kept with the fixed columns' contribution moved to the
bounds, so any sub-solution is feasible for the whole model. Improvements are
kept; the result is never worse than the start.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.backends.base import BackendResult, Progress, ProgressFn, SolverOptions
from planner.formulation.build import Formulation
from planner.formulation.model import ModelArrays
from planner.problem.data import ProblemData

if TYPE_CHECKING:
    from planner.backends.process import SolverProcess

#: most start binaries freed in one neighbourhood
MAX_FREE_BINARIES = 60
#: most units re-planned together
MAX_UNITS = 4
#: seconds given to one sub-MIP
SUB_TIME = 3.0

#: solves one sub-MIP (a backend's ``solve``)
SubSolve = Callable[[ModelArrays, SolverOptions], BackendResult]


@dataclass
class SearchResult:
    """The improved vector, its objective and what the search did."""

    x: np.ndarray
    objective: float
    rounds: int
    improvements: int


def column_units(data: ProblemData, f: Formulation) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Unit index of every continuous column (-1 for none) and the columns of each initiative."""
    v = f.vars
    unit_index = {u: k for k, u in enumerate(data.units)}
    owner = np.full(f.model.num_cols, -1, dtype=np.int64)
    for fam in (v.r, v.c, v.lr, v.lc):
        for (g, _sk, _t), col in fam.items():
            owner[col] = unit_index.get(data.cohorts[g].unit, -1)
    for fam2 in (v.br, v.bc):
        for (u, _sk, _t), col in fam2.items():
            owner[col] = unit_index.get(u, -1)
    for fam3 in (v.er, v.ec):
        for (_e, u, _t), col in fam3.items():
            owner[col] = unit_index.get(u, -1)
    for (u, _sk, _t, _p), col in v.sh.items():
        owner[col] = unit_index.get(u, -1)
    for (g, _sk), col in v.dev.items():
        owner[col] = unit_index.get(data.cohorts[g].unit, -1)
    starts: dict[int, list[int]] = defaultdict(list)
    for (i, _s), col in v.x.items():
        starts[i].append(col)
    return owner, dict(starts)


def improve(
    data: ProblemData,
    f: Formulation,
    arrays: ModelArrays,
    x0: np.ndarray,
    seconds: float,
    seed: int = 0,
    progress: ProgressFn | None = None,
    partner: SolverProcess | None = None,
    sub_solve: SubSolve | None = None,
) -> SearchResult:
    """Improve the feasible vector ``x0`` for about ``seconds`` (deterministic given ``seed``).

    ``progress`` is told the incumbent after every round; returning True stops the search.
    With a ``partner`` (a MIP solving beside the search) plans go both ways: every
    improvement is offered to it, and a better plan it finds is taken over (after a
    feasibility check) before the next round. The search then ends when the partner
    is done, not after a sweep without improvement, and its result depends on timing.
    ``sub_solve`` solves each sub-MIP (default: the search backend,
    :data:`planner.backends.SEARCH`).
    """
    if sub_solve is None:
        from planner import backends

        sub_solve = backends.get(backends.SEARCH).solve

    t0 = time.perf_counter()
    t_end = t0 + seconds
    rng = np.random.default_rng(seed)
    owner, starts = column_units(data, f)
    always = np.array([*f.vars.kc.values(), *f.vars.km.values()], dtype=np.int64)
    n_units = len(data.units)
    unit_index = {u: k for k, u in enumerate(data.units)}
    # which initiatives touch each unit, and which units each initiative touches
    init_units: dict[int, set[int]] = {}
    unit_inits: dict[int, set[int]] = defaultdict(set)
    for i in starts:
        us = {unit_index[u] for u, _sk, _h in data.initiatives[i].lines if u in unit_index}
        init_units[i] = us
        for u in us:
            unit_inits[u].add(i)
    free_units = [u for u in range(n_units) if unit_inits.get(u)]
    csc = arrays.matrix.tocsc()
    x = x0.copy()
    obj = float(arrays.obj @ x + arrays.obj_offset)
    rounds = improvements = 0
    if not free_units:
        return SearchResult(x, obj, 0, 0)
    order = list(rng.permutation(free_units))
    idle = 0  # rounds in a row without improvement: a full sweep of idle rounds ends it
    while time.perf_counter() < t_end - 0.5 and (partner is not None or idle < len(free_units)):
        # with a partner the search runs to the end: plans it shares restart it
        if partner is not None:
            if partner.done():
                if partner.result(0.0) is not None:
                    break  # it finished (proved optimal, or its limit): so does the search
                partner = None  # it failed: search alone for the rest of the time
            theirs = _adopt(arrays, partner, obj) if partner is not None else None
            if theirs is not None:
                x, obj = theirs
                idle = 0
        rounds += 1
        if not order:
            order = list(rng.permutation(free_units))
        seed_unit = int(order.pop())
        inits, units = _neighbourhood(seed_unit, unit_inits, init_units, starts, rng)
        free = np.zeros(arrays.num_cols, dtype=bool)
        for i in inits:
            free[starts[i]] = True
        free |= np.isin(owner, list(units))
        free[always] = True  # KPI target columns belong to no unit: always re-optimised
        sub, cols = _submodel(arrays, csc, free, x)
        left = t_end - time.perf_counter()
        if left < 0.5:
            break
        opts = SolverOptions(time_limit=min(SUB_TIME, left), gap=1e-4, seed=seed,
                             warm_start=x[cols])
        res = sub_solve(sub, opts)
        if res.x is None or res.objective is None:
            idle += 1
            continue
        trial = x.copy()
        trial[cols] = res.x
        idle += 1
        found = better(arrays, trial, obj)
        if found is not None:
            x, obj = found
            improvements += 1
            idle = 0
            if partner is not None:
                partner.offer(x, obj)
        if progress is not None and progress(Progress(time.perf_counter() - t0, obj, None, None)):
            break
    return SearchResult(x, obj, rounds, improvements)


def _adopt(
    arrays: ModelArrays, partner: SolverProcess, obj: float
) -> tuple[np.ndarray, float] | None:
    """The partner's best plan when it beats ``obj`` and passes our own feasibility check."""
    got = partner.incumbent()
    if got is None or got[1] <= obj + 1e-9 * max(1.0, abs(obj)) or len(got[0]) != arrays.num_cols:
        return None
    return better(arrays, np.array(got[0], float), obj)


def better(arrays: ModelArrays, x: np.ndarray, obj: float) -> tuple[np.ndarray, float] | None:
    """``x`` (binaries rounded in place) and its value, if it beats ``obj`` and is feasible."""
    x[arrays.integer] = np.round(x[arrays.integer])
    value = float(arrays.obj @ x + arrays.obj_offset)
    if value <= obj + 1e-9 * max(1.0, abs(obj)) or not _feasible(arrays, x):
        return None
    return x, value


def _neighbourhood(
    seed_unit: int,
    unit_inits: dict[int, set[int]],
    init_units: dict[int, set[int]],
    starts: dict[int, list[int]],
    rng: np.random.Generator,
) -> tuple[set[int], set[int]]:
    """A few related units and the initiatives that lie wholly inside them.

    Initiatives that also need units outside the group stay fixed (their hours in
    the group are then a fixed demand), so only the group's hours need to be free
    and the sub-model stays small whatever the size of the organisation.
    """
    units = {seed_unit}
    while len(units) < MAX_UNITS:
        inside = {i for u in units for i in unit_inits.get(u, set()) if init_units[i] <= units}
        if sum(len(starts[i]) for i in inside) >= MAX_FREE_BINARIES:
            break
        related = sorted(
            {w for u in units for i in unit_inits.get(u, set()) for w in init_units[i]} - units
        )
        if not related:
            break
        units.add(int(rng.choice(related)))
    inside = {i for u in units for i in unit_inits.get(u, set()) if init_units[i] <= units}
    return inside, units


def _submodel(
    m: ModelArrays, csc, free: np.ndarray, x: np.ndarray
) -> tuple[ModelArrays, np.ndarray]:
    """The model restricted to ``free`` columns, the others fixed at ``x``."""
    cols = np.flatnonzero(free)
    fixed = ~free
    a_free = csc[:, cols]
    rows = np.flatnonzero(np.diff(a_free.tocsr().indptr) > 0)
    shift = csc[:, np.flatnonzero(fixed)] @ x[fixed]
    sub = ModelArrays(
        col_names=[m.col_names[c] for c in cols],
        row_names=[m.row_names[r] for r in rows],
        lb=m.lb[cols],
        ub=m.ub[cols],
        obj=m.obj[cols],
        integer=m.integer[cols],
        row_lo=m.row_lo[rows] - shift[rows],
        row_hi=m.row_hi[rows] - shift[rows],
        matrix=a_free.tocsr()[rows],
        obj_offset=0.0,
    )
    return sub, cols


def _feasible(m: ModelArrays, x: np.ndarray, tol: float = 1e-6) -> bool:
    """Every row and bound holds within ``tol`` (scaled)."""
    act = m.matrix @ x
    scale = 1.0 + np.abs(act)
    if np.any(act < m.row_lo - tol * scale) or np.any(act > m.row_hi + tol * scale):
        return False
    return bool(np.all(x >= m.lb - tol) and np.all(x <= m.ub + tol))
