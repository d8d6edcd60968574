"""Infeasibility proofs the greedy learns from failed checks and reuses for free."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.solving.greedy import _Greedy


class Proofs:
    """Infeasibility proofs (Farkas certificates) learnt from failed checks, reused for free.

    A failed check leaves a row combination ``y`` with ``y'A x`` confined by the row
    bounds to ``[lo, hi]`` while the column bounds confine ``z'x`` (``z = A'y``) to an
    interval that misses it. Only start binaries change bounds afterwards (fixed 0 or
    1), so the proof still holds for a later candidate exactly when the sum of ``z``
    over the binaries fixed to 1 stays on the wrong side: one comparison per proof,
    instead of an LP, for every later candidate that hits the same bottleneck.
    """

    def __init__(self, g: _Greedy) -> None:
        m = g.arrays
        self.g = g
        self.xcols = np.fromiter(g.v.x.values(), dtype=np.int64, count=len(g.v.x))
        self.pos = {int(c): k for k, c in enumerate(self.xcols)}
        cont = np.ones(m.num_cols, bool)
        cont[self.xcols] = False
        self.cont = cont
        self.at = m.matrix.T.tocsr()
        self.z = np.zeros((0, len(self.xcols)))
        self.limit = np.zeros(0)
        self.sum = np.zeros(0)
        self.on = np.zeros(len(self.xcols))

    def clear(self) -> None:
        """Forget every proof (row bounds changed)."""
        self.z = np.zeros((0, len(self.xcols)))
        self.limit = np.zeros(0)
        self.sum = np.zeros(0)

    def fixed(self, col: int) -> None:
        """Record that the binary ``col`` is now fixed to 1."""
        k = self.pos[col]
        self.on[k] = 1.0
        if len(self.sum):
            self.sum += self.z[:, k]

    def rules_out(self, col: int) -> bool:
        """True when a stored proof shows that fixing ``col`` to 1 is infeasible."""
        if not len(self.sum):
            return False
        k = self.pos[col]
        return bool(np.any(self.sum + self.z[:, k] < self.limit))

    def learn(self, col: int) -> None:
        """Store the proof of the last (infeasible) solve, which had ``col`` fixed to 1."""
        y = self.g.lp.farkas()
        if y is None:
            return
        lp = self.g.lp
        m = self.at.shape[1]
        y = np.where(np.abs(y) < 1e-12, 0.0, y)
        row_lo = np.append(lp.row_lo, -math.inf)
        row_hi = np.append(lp.row_hi, lp.cap_limit)
        z = self.at @ y[:m]
        g = self.g
        if len(y) > m and y[m] != 0.0:
            np.add.at(z, g.sh_cols, y[m] * g.sh_pen)
        z = np.where(np.abs(z) < 1e-12, 0.0, z)
        lo_y = _dot_box(y, row_lo, row_hi, low=True)
        hi_y = _dot_box(y, row_lo, row_hi, low=False)
        zc = np.where(self.cont, z, 0.0)
        lb, ub = g.arrays.lb, g.arrays.ub
        c_max = _dot_box(zc, lb, ub, low=False)
        c_min = _dot_box(zc, lb, ub, low=True)
        zx = z[self.xcols]
        on = self.on.copy()
        on[self.pos[col]] = 1.0
        s = float(zx @ on)
        # keep a proof only with a clear margin: a numerical near-miss must never
        # reject a candidate that fits
        if math.isfinite(c_max) and math.isfinite(lo_y):
            tol = 1e-6 * (1.0 + abs(lo_y) + abs(c_max))
            if c_max + s < lo_y - tol:
                self._add(zx, lo_y - c_max - tol)
                return
        if math.isfinite(c_min) and math.isfinite(hi_y):
            tol = 1e-6 * (1.0 + abs(hi_y) + abs(c_min))
            if c_min + s > hi_y + tol:
                self._add(-zx, c_min - hi_y - tol)

    def _add(self, zx: np.ndarray, limit: float) -> None:
        self.z = np.vstack([self.z, zx])
        self.limit = np.append(self.limit, limit)
        self.sum = np.append(self.sum, float(zx @ self.on))


def _dot_box(w: np.ndarray, lo: np.ndarray, hi: np.ndarray, low: bool) -> float:
    """Smallest (``low``) or largest value of ``w @ v`` for ``lo <= v <= hi``."""
    pos, neg = w > 0, w < 0
    if low:
        a, b = lo[pos], hi[neg]
    else:
        a, b = hi[pos], lo[neg]
    if np.isinf(a).any() or np.isinf(b).any():
        return -math.inf if low else math.inf
    return float(w[pos] @ a + w[neg] @ b)
