"""Integer scales for the CP-SAT model: hours, money and KPI figures as exact integers.

CP-SAT works on integers. A unit and skill's hours (and a budget's money, a KPI's
impacts) get one factor that makes every figure an integer when they are
fractions with small denominators, e.g. 500 hours over 3 periods; otherwise a
power of ten, and the caller rounds demands down and capacities up (:func:`down`,
:func:`up`) so that the CP model stays a relaxation.
"""

from __future__ import annotations

import math
from fractions import Fraction

#: largest denominator a figure may have to count as a fraction (e.g. 500 h / 3 periods)
MAX_DENOMINATOR = 10_000
#: largest integer scale of a unit and skill, and largest scaled figure
MAX_SCALE = 10**6
MAX_SCALED = 10**12
#: relative tolerance for "integral after scaling"
INT_TOL = 1e-7
#: when no exact scale exists: the largest figure of a unit and skill becomes about this
INEXACT_RESOLUTION = 1e6
#: largest objective coefficient after scaling (tie-breaks of 1e-7 stay visible)
OBJ_RESOLUTION = 1e9


def _is_int(v: float) -> bool:
    return abs(v - round(v)) <= INT_TOL * max(1.0, abs(v))


def hour_scale(values: list[float]) -> tuple[float, bool]:
    """A factor turning ``values`` into integers, and whether it does so exactly.

    Exact when every figure is a fraction with a small denominator (hours spread
    over a duration, proficiency x capacity, ...): the factor is then the least
    common multiple of the denominators. Otherwise a power of ten that keeps about
    six significant digits of the largest figure (the caller rounds relaxingly).
    """
    finite = [abs(v) for v in values if math.isfinite(v)]
    top = max(finite, default=1.0) or 1.0
    scale = 1
    for v in finite:
        q = Fraction(v).limit_denominator(MAX_DENOMINATOR)
        if abs(float(q) - v) > INT_TOL * max(1.0, v):
            scale = 0
            break
        scale = math.lcm(scale, q.denominator)
        if scale > MAX_SCALE:
            scale = 0
            break
    if scale and top * scale <= MAX_SCALED:
        return float(scale), True
    return 10.0 ** math.ceil(math.log10(INEXACT_RESOLUTION / top)), False


def down(v: float) -> int:
    """Round a scaled demand down (exactly when it is integral within the tolerance)."""
    return int(round(v)) if _is_int(v) else math.floor(v)


def up(v: float) -> int:
    """Round a scaled capacity up (exactly when it is integral within the tolerance)."""
    return int(round(v)) if _is_int(v) else math.ceil(v)
