"""The model's LP with chosen columns fixed by their bounds, re-solved warm by HiGHS.

The greedy (:mod:`planner.solving.greedy`) fixes the start binaries of a candidate
schedule and asks whether its LP (the staffing of that schedule) is feasible and
at what RTB shortfall. Fixing a column is a bound change, and the dual simplex
re-solves from the previous basis, so each check costs a few pivots.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from planner.backends.highs import to_highs_lp
from planner.formulation.model import ModelArrays


class FixedStartLP:
    """The LP of ``arrays`` with the columns ``fixed`` (start binaries) fixed, zero-cost.

    Parameters
    ----------
    arrays
        The model.
    fixed
        Columns whose value the caller fixes (:meth:`fix`); they start at 0 and carry no
        cost, so only the other columns' terms (the penalties) are optimised.
    free_rows
        Rows whose lower bound is lifted (e.g. "choose exactly once" of required
        initiatives, which the caller enforces itself).
    held_rows
        Rows whose lower bound is lifted until :meth:`restore` puts it back (e.g.
        ``must_meet`` KPI targets, which hold only once the caller placed what they need).
    """

    def __init__(self, arrays: ModelArrays, fixed: Sequence[int],
                 free_rows: Sequence[int] = (), held_rows: Sequence[int] = ()) -> None:
        import highspy

        self.hs = highspy
        m = arrays
        x_cols = np.asarray(fixed, dtype=np.int64)
        cost = m.obj.copy()
        cost[x_cols] = 0.0
        ub = np.where(np.isinf(m.ub), highspy.kHighsInf, m.ub)
        ub[x_cols] = 0.0
        row_lo = m.row_lo.copy()
        row_lo[np.asarray(free_rows, dtype=np.int64)] = -np.inf
        #: held rows and their real lower bounds
        self.held = {int(r): float(row_lo[r]) for r in held_rows}
        row_lo[np.asarray(list(self.held), dtype=np.int64)] = -np.inf
        lp = to_highs_lp(m, relax=True, cost=cost, row_lo=row_lo, ub=ub)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # keep the basis between re-solves
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("random_seed", 0)
        h.passModel(lp)
        self.row_lo, self.row_hi = row_lo, m.row_hi.copy()
        self.cap_limit = math.inf
        self.h = h
        self.n = m.num_cols
        self.solves = 0
        self.cap_row: int | None = None

    def fix(self, col: int, value: float) -> None:
        """Fix a column (a start binary) to ``value``."""
        self.h.changeColBounds(int(col), float(value), float(value))

    def solve(self) -> tuple[float, np.ndarray] | None:
        """Objective and column values, or None when infeasible."""
        self.h.run()
        self.solves += 1
        status = self.h.getModelStatus()
        if status == self.hs.HighsModelStatus.kModelEmpty:
            # no columns: feasible only when every row admits an activity of 0
            if self.n == 0 and (np.any(self.row_lo > 1e-9) or np.any(self.row_hi < -1e-9)):
                return None
            return 0.0, np.zeros(self.n)
        if status != self.hs.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(self.h.getSolution().col_value, float)
        return float(self.h.getInfo().objective_function_value), x

    def farkas(self) -> np.ndarray | None:
        """Row multipliers proving the last solve infeasible (None when HiGHS has none)."""
        _status, has, ray = self.h.getDualRay()
        return np.asarray(ray, float) if has else None

    def restore(self) -> None:
        """Give the held rows their real lower bounds back (call once they can hold)."""
        for r, lo in self.held.items():
            self.row_lo[r] = lo
            self.h.changeRowBounds(r, lo, float(self.row_hi[r]))

    def add_cap(self, cols: np.ndarray, vals: np.ndarray, limit: float) -> None:
        """Add ``vals @ x[cols] <= limit`` (the RTB shortfall cap)."""
        self.h.addRow(-self.hs.kHighsInf, float(limit), len(cols), cols.astype(np.int32), vals)
        self.cap_row = self.h.getNumRow() - 1
        self.cap_limit = float(limit)

    def set_cap(self, limit: float) -> None:
        """Move the shortfall cap (``inf`` lifts it)."""
        assert self.cap_row is not None
        hi = self.hs.kHighsInf if math.isinf(limit) else float(limit)
        self.cap_limit = float(limit)
        self.h.changeRowBounds(self.cap_row, -self.hs.kHighsInf, hi)
