"""Objective weights from pairwise comparisons (the analytic hierarchy process, AHP).

Each comparison says how many times more important objective ``a`` is than
``b`` on Saaty's 1..9 scale (``b`` against ``a`` is the reciprocal). The pairs
fill a positive reciprocal matrix ``A`` (``A[i, j] = ratio``, ``A[j, i] = 1 /
ratio``, ``A[i, i] = 1``); the weights are its principal (Perron) eigenvector,
normalised to sum to 1. How far the judgements contradict one another is the
consistency index ``CI = (lambda_max - n) / (n - 1)``, compared with the
average of random matrices (Saaty's random index RI) as the consistency ratio
``CR = CI / RI``; above 0.1 the judgements are usually revisited. The triple of
objectives whose judgements disagree most (``a_ij * a_jk`` furthest from
``a_ik``, in log terms) tells where to look.

Public API: :func:`ahp` (ids + comparisons -> :class:`AHP`), :func:`principal_weights`,
:func:`consistency_ratio`, :func:`worst_triple`, :func:`apply_pairwise` (scenario ->
weights filled in, located issues).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.scenario import Comparison, Scenario
from planner.errors import Issue
from planner.io.reporter import Reporter
from planner.io.sourcemap import SourceMap, suggest

#: Saaty's random index by matrix size n (index 0 unused); n > 15 uses the last value.
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48,
                1.56, 1.57, 1.59)
#: Consistency ratios above this draw a warning.
CR_LIMIT = 0.1


@dataclass(frozen=True)
class Triple:
    """Three objectives whose judgements agree least: ``a_ij * a_jk`` against ``a_ik``."""

    ids: tuple[str, str, str]
    given: float  # a_ik as judged
    implied: float  # a_ij * a_jk
    ratios: tuple[float, float]  # a_ij, a_jk

    def describe(self) -> str:
        """``'a' over 'b' is 3 and 'b' over 'c' is 3, so 'a' over 'c' should be about 9,
        but it is given as 1/2``."""
        i, j, k = self.ids
        return (f"'{i}' over '{j}' is {_show(self.ratios[0])} and '{j}' over '{k}' is "
                f"{_show(self.ratios[1])}, so '{i}' over '{k}' should be about "
                f"{_show(self.implied)}, but it is given as {_show(self.given)}")


@dataclass(frozen=True)
class AHP:
    """Weights and consistency of one set of pairwise comparisons."""

    ids: list[str]
    matrix: np.ndarray
    weights: np.ndarray  # principal eigenvector, sums to 1
    lambda_max: float
    consistency_index: float
    consistency_ratio: float  # 0 when n <= 2 (every such matrix is consistent)
    worst: Triple | None  # None when n < 3

    def weight(self, objective: str) -> float:
        """Weight (share of 1) of ``objective``."""
        return float(self.weights[self.ids.index(objective)])


def _show(x: float) -> str:
    if x >= 1:
        return f"{x:.3g}"
    inv = 1 / x
    return f"1/{inv:.3g}" if abs(inv - round(inv)) < 1e-9 else f"{x:.3g}"


def principal_weights(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal eigenvector of a positive reciprocal matrix, normalised to sum to 1.

    Returns ``(weights, lambda_max)``. By Perron's theorem the eigenvalue of
    largest real part is real and its eigenvector can be taken positive.
    """
    values, vectors = np.linalg.eig(np.asarray(matrix, dtype=float))
    k = int(np.argmax(values.real))
    vec = np.abs(vectors[:, k].real)
    return vec / vec.sum(), float(values[k].real)


def consistency_ratio(lambda_max: float, n: int) -> tuple[float, float]:
    """``(CI, CR)`` with ``CI = (lambda_max - n) / (n - 1)`` and ``CR = CI / RI(n)``."""
    if n <= 2:
        return 0.0, 0.0
    ci = max(0.0, (lambda_max - n) / (n - 1))  # round-off can make a consistent CI -1e-16
    ri = RANDOM_INDEX[min(n, len(RANDOM_INDEX) - 1)]
    return ci, ci / ri


def worst_triple(matrix: np.ndarray, ids: Sequence[str]) -> Triple | None:
    """The triple (i, j, k) where ``|log(a_ij * a_jk / a_ik)|`` is largest (None if n < 3)."""
    best: tuple[float, Triple] | None = None
    # every ordering of a triple gives the same |log| deviation: look at i < j < k only
    for i, j, k in itertools.combinations(range(len(ids)), 3):
        implied = float(matrix[i, j] * matrix[j, k])
        given = float(matrix[i, k])
        dev = abs(math.log(implied / given))
        if best is None or dev > best[0] + 1e-12:
            best = (dev, Triple((ids[i], ids[j], ids[k]), given, implied,
                                (float(matrix[i, j]), float(matrix[j, k]))))
    return best[1] if best is not None else None


def build_matrix(ids: Sequence[str], comparisons: Sequence[Comparison]) -> tuple[
    np.ndarray, list[tuple[str, str]]
]:
    """The reciprocal matrix of ``comparisons`` over ``ids`` and the pairs not compared.

    Comparisons naming unknown objectives, an objective against itself or a pair
    already given are skipped (:func:`apply_pairwise` reports them).
    """
    pos = {o: k for k, o in enumerate(ids)}
    n = len(ids)
    a = np.eye(n)
    seen: set[frozenset[str]] = set()
    for c in comparisons:
        pair = frozenset((c.a, c.b))
        if c.a not in pos or c.b not in pos or c.a == c.b or pair in seen:
            continue
        seen.add(pair)
        a[pos[c.a], pos[c.b]] = c.ratio
        a[pos[c.b], pos[c.a]] = 1.0 / c.ratio
    missing = [(ids[i], ids[j]) for i, j in itertools.combinations(range(n), 2)
               if frozenset((ids[i], ids[j])) not in seen]
    return a, missing


def ahp(ids: Sequence[str], comparisons: Sequence[Comparison]) -> AHP:
    """Weights (summing to 1), consistency and worst triple of a complete set of comparisons.

    Raises
    ------
    ValueError
        When a pair of objectives is not compared (the message names the pairs).
    """
    ids = list(ids)
    matrix, missing = build_matrix(ids, comparisons)
    if missing:
        raise ValueError(_missing_text(missing))
    weights, lam = principal_weights(matrix)
    ci, cr = consistency_ratio(lam, len(ids))
    return AHP(ids, matrix, weights, lam, ci, cr, worst_triple(matrix, ids))


def _missing_text(missing: Sequence[tuple[str, str]]) -> str:
    shown = ", ".join(f"{a} / {b}" for a, b in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (f"pairwise comparisons missing for {shown}{more}: give every pair of objectives "
            "once (a, b, ratio)")


def scenario_ahp(scenario: Scenario) -> AHP | None:
    """The AHP result of a valid scenario's ``strategy.pairwise`` (None when it has none)."""
    pairs = scenario.strategy.pairwise
    if not pairs:
        return None
    try:
        return ahp([o.id for o in scenario.strategy.objectives], pairs)
    except ValueError:
        return None


def apply_pairwise(scenario: Scenario, source: SourceMap | None = None) -> tuple[
    Scenario, list[Issue]
]:
    """Set each objective's weight from ``strategy.pairwise``; report located issues.

    The eigenvector weights (summing to 1) are scaled to the total of the
    objectives' weights as written (each defaults to 1), so a scenario keeps its
    scale of strategic scores: three objectives without weights get weights that
    sum to 3. Errors: unknown objectives, an objective compared with itself, a
    pair given twice, missing pairs. Warning: consistency ratio above 0.1, naming
    the most inconsistent triple.
    """
    strategy = scenario.strategy
    if not strategy.pairwise:
        return scenario, []
    rep = Reporter(scenario, source)
    ids = [o.id for o in strategy.objectives]
    first: dict[frozenset[str], int] = {}
    bad = False
    for k, c in enumerate(strategy.pairwise):
        path = ("strategy", "pairwise", k)
        for fld in ("a", "b"):
            obj = getattr(c, fld)
            if obj not in ids:
                rep.error(path + (fld,), f"unknown objective '{obj}'{suggest(obj, ids)}")
                bad = True
        if c.a == c.b:
            rep.error(path + ("b",), f"'{c.a}' is compared with itself")
            bad = True
            continue
        pair = frozenset((c.a, c.b))
        if pair in first:
            at = rep.where(("strategy", "pairwise", first[pair]))
            rep.error(path, f"the pair {c.a} / {c.b} is compared twice (also {at}); "
                            "give each pair once (the reverse is implied)")
            bad = True
        else:
            first[pair] = k
    if bad:
        return scenario, rep.issues
    matrix, missing = build_matrix(ids, strategy.pairwise)
    if missing:
        rep.error(("strategy", "pairwise"), _missing_text(missing))
        return scenario, rep.issues
    result = ahp(ids, strategy.pairwise)
    if result.consistency_ratio > CR_LIMIT and result.worst is not None:
        rep.warning(("strategy", "pairwise"),
                    f"the comparisons are inconsistent: consistency ratio "
                    f"{result.consistency_ratio:.3f} > {CR_LIMIT}; the most inconsistent "
                    f"triple is {', '.join(result.worst.ids)}: {result.worst.describe()}")
    total = sum(o.weight for o in strategy.objectives)
    objectives = [o.model_copy(update={"weight": float(total * w)})
                  for o, w in zip(strategy.objectives, result.weights, strict=True)]
    new = strategy.model_copy(update={"objectives": objectives})
    return scenario.model_copy(update={"strategy": new}), rep.issues
