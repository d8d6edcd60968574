"""What every solver backend receives and returns."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

#: A proved optimum: the solver says optimal and the relative gap is at most this.
PROVEN_GAP = 1e-6

#: What a backend can do unless it declares otherwise (the keys are explained in
#: :mod:`planner.backends`): take a warm start and solve the LP relaxation, in this process.
DEFAULT_SUPPORTS: dict[str, bool] = {
    "warm_start": True,
    "progress": False,
    "interrupt": False,
    "lp": True,
    "mip_child": False,
    "lp_child": False,
}


def supports(**differences: bool) -> dict[str, bool]:
    """A backend's ``SUPPORTS``: :data:`DEFAULT_SUPPORTS` with ``differences`` applied.

    Raises
    ------
    KeyError
        For a capability that is not one of :data:`DEFAULT_SUPPORTS`.
    """
    unknown = set(differences) - set(DEFAULT_SUPPORTS)
    if unknown:
        raise KeyError(f"unknown backend capabilities: {', '.join(sorted(unknown))}")
    return {**DEFAULT_SUPPORTS, **differences}


def importable(module: str) -> bool:
    """True when ``module`` (a solver's Python package) imports."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


@dataclass
class SolverOptions:
    """Run options common to all backends."""

    time_limit: float | None = None
    gap: float = PROVEN_GAP
    seed: int = 0
    threads: int | None = None
    warm_start: np.ndarray | None = None  # a full column vector (feasible incumbent)


@dataclass
class Progress:
    """A snapshot of the search, sent to the progress callback."""

    elapsed: float
    incumbent: float | None
    bound: float | None
    gap: float | None


ProgressFn = Callable[[Progress], bool | None]  # return True to stop the search


@dataclass
class Outcome:
    """How a solve ended: a status, the column vector found (or none), the model's
    objective there, the best proven bound, their relative gap and a message.

    Shared by what a backend returns (:class:`BackendResult`) and what a solve path
    returns (:class:`planner.solving.job.Candidate`).
    """

    status: str
    x: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    message: str = ""


@dataclass
class BackendResult(Outcome):
    """What a backend found, and its statistics (``seconds``, ``interrupted``, ...).

    ``status`` is one of ``optimal`` (proved), ``feasible`` (a solution, not proved
    optimal: see ``gap``), ``infeasible``, ``no_solution`` (stopped before any
    solution was found) or ``error``.
    """

    stats: dict[str, float] = field(default_factory=dict)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """``|bound - objective| / max(|objective|, 1e-9)``, or None when either is unknown."""
    if objective is None or bound is None or not np.isfinite(bound):
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)


def classify(proved: bool, has_solution: bool, objective: float | None, bound: float | None) -> str:
    """Turn a solver's verdict into our status, honestly."""
    if not has_solution:
        return "no_solution"
    gap = relative_gap(objective, bound)
    if proved and (gap is None or gap <= PROVEN_GAP):
        return "optimal"
    return "feasible"


def solved(x: np.ndarray, objective: float, bound: float | None, proved: bool, message: str,
           stats: dict[str, float]) -> BackendResult:
    """The result of a solve that found ``x``: its status by :func:`classify`, its gap."""
    return BackendResult(
        classify(proved, True, objective, bound),
        x=x,
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        message=message,
        stats=stats,
    )
