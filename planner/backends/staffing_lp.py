"""Staff a fixed schedule exactly: the planning model's LP with every start binary fixed.

A schedule (a start period per chosen initiative) fixes every ``x[i,s]`` column of
the formulation; what is left is a linear program over hours (cohorts, borrowing,
contractors, RTB shortfall) that HiGHS solves exactly. Its optimum is the best
staffing of that schedule and, with the schedule's columns, a full column vector
of the model: the same vector the MIP would return, so allocation, reasons, views
and ``planner check`` take it unchanged.

Rows that hold only start binaries (``choose``, ``dep``, ``excl``, ``kpimust``)
and the valid inequalities ``knap``, ``big`` and ``mir`` are relaxed in this LP:
the first are the schedule's business (the caller's schedule satisfies them, and
:func:`violations` checks every row of the returned vector), the others are
implied by the flow rows once the binaries are integral. Without them the LP is
*monotone*: removing initiatives from a staffable schedule leaves it staffable
(less change demand and spend, every hour column can shrink; a KPI's ``kc`` and
``km`` can always drop to their lower bounds). So an unstaffable set of starts
stays unstaffable inside any larger schedule, which is what makes the conflicts
of :meth:`StaffingLP.conflict` valid no-good cuts for a schedule search.

Integer columns other than the start binaries (a KPI's "target met" ``km``) stay
integer: the problem is then a MIP whose only free integers are those few.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from planner.backends.highs import to_highs_lp
from planner.formulation.build import Formulation
from planner.formulation.model import ModelArrays

#: rows relaxed in the staffing LP (see the module docstring)
RELAXED_PREFIXES = ("choose[", "dep[", "excl[", "kpimust[", "knap[", "big[", "mir[",
                    "umir[")
#: absolute + relative row tolerance of :func:`violations`
ROW_TOL = 1e-6


@dataclass
class Staffed:
    """A schedule staffed by the LP: full column vector and the model's objective of it."""

    x: np.ndarray
    objective: float


class StaffingLP:
    """One HiGHS LP of the model with the start binaries fixed by their bounds, re-solved warm.

    Parameters
    ----------
    formulation
        The built model (its ``vars.x`` names the start columns).
    arrays
        ``formulation.model.arrays()`` when the caller already has them.
    """

    def __init__(self, formulation: Formulation, arrays: ModelArrays | None = None) -> None:
        import highspy

        self.hs = highspy
        self.f = formulation
        self.arrays = m = arrays if arrays is not None else formulation.model.arrays()
        self.keys = list(formulation.vars.x)
        self.xcols = np.fromiter(formulation.vars.x.values(), dtype=np.int32,
                                 count=len(self.keys))
        self.col_of = formulation.vars.x
        row_lo, row_hi = m.row_lo.copy(), m.row_hi.copy()
        for r, name in enumerate(m.row_names):
            if name.startswith(RELAXED_PREFIXES):
                row_lo[r], row_hi[r] = -np.inf, np.inf
        ub = m.ub.copy()
        ub[self.xcols] = 0.0
        others = m.integer.copy()
        others[self.xcols] = False
        self.mip = bool(others.any())
        lp = to_highs_lp(m, relax=not self.mip, row_lo=row_lo, ub=ub)
        lp.row_upper_ = np.where(np.isinf(row_hi), highspy.kHighsInf, row_hi)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # keep the basis between re-solves
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("random_seed", 0)
        if self.mip:
            h.setOptionValue("mip_rel_gap", 0.0)  # the best staffing, not one within 1e-4
        h.passModel(lp)
        self.h = h
        self.on = np.zeros(len(self.keys))
        self.solves = 0
        self.seconds = 0.0

    def _fix(self, starts: dict[int, int]) -> None:
        on = np.zeros(len(self.keys))
        pos = {k: n for n, k in enumerate(self.keys)}
        for i, s in starts.items():
            if (i, s) not in pos:
                raise ValueError(f"initiative {i} cannot start in period {s}")
            on[pos[(i, s)]] = 1.0
        changed = np.flatnonzero(on != self.on)
        if len(changed):
            cols = self.xcols[changed]
            vals = on[changed]
            self.h.changeColsBounds(len(cols), cols, vals, vals)
        self.on = on

    def _run(self) -> bool:
        t0 = time.perf_counter()
        self.h.run()
        self.solves += 1
        self.seconds += time.perf_counter() - t0
        status = self.h.getModelStatus()
        S = self.hs.HighsModelStatus
        if status == S.kModelEmpty:
            return True
        return bool(status == S.kOptimal)

    def staff(self, starts: dict[int, int]) -> Staffed | None:
        """Best staffing of ``starts`` (initiative -> start period), or None when unstaffable."""
        self._fix(starts)
        if not self._run():
            return None
        if self.arrays.num_cols == 0:
            return Staffed(np.zeros(0), float(self.arrays.obj_offset))
        x = np.asarray(self.h.getSolution().col_value, float)
        x[self.xcols] = self.on  # exact 0/1, never 1 - 1e-12
        return Staffed(x, float(self.arrays.obj @ x + self.arrays.obj_offset))

    def conflict(
        self, starts: dict[int, int], order: list[int] | None = None,
        max_solves: int | None = None,
    ) -> dict[int, int]:
        """A small subset of an unstaffable schedule that is unstaffable on its own.

        A deletion filter: each start is dropped in turn (in ``order``, default: as
        given) and kept out when the rest is still unstaffable. ``max_solves`` caps the
        LP solves (the subset is then valid but not minimal). Returns ``starts`` itself
        when it is staffable after all (the caller then has nothing to cut).
        """
        core = dict(starts)
        if self.staff(core) is not None:
            return core
        budget = len(core) if max_solves is None else max_solves
        for i in order if order is not None else list(core):
            if i not in core:
                continue
            if budget <= 0:
                break
            trial = {k: s for k, s in core.items() if k != i}
            budget -= 1
            if self.staff(trial) is None:
                core = trial
        return core


def violations(arrays: ModelArrays, x: np.ndarray) -> list[str]:
    """Names of the rows and columns of the model that ``x`` violates beyond the tolerance."""
    out = []
    ax = arrays.matrix @ x
    tol_lo = ROW_TOL * (1.0 + np.abs(np.where(np.isfinite(arrays.row_lo), arrays.row_lo, 0.0)))
    tol_hi = ROW_TOL * (1.0 + np.abs(np.where(np.isfinite(arrays.row_hi), arrays.row_hi, 0.0)))
    bad = np.flatnonzero((ax < arrays.row_lo - tol_lo) | (ax > arrays.row_hi + tol_hi))
    out += [arrays.row_names[r] for r in bad]
    badc = np.flatnonzero((x < arrays.lb - ROW_TOL) | (x > arrays.ub + ROW_TOL))
    out += [arrays.col_names[c] for c in badc]
    return out
