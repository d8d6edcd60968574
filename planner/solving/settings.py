"""How to solve: the user's settings and the shares of the time limit each stage gets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from models.plan import Plan
from models.scenario import Scenario
from planner import backends
from planner.backends.base import PROVEN_GAP, ProgressFn
from planner.solving.clock import Clock

Strategy = Literal["optimal", "greedy"]

DEFAULT_TIME_LIMIT = 60.0
#: share of the time limit the greedy warm start may use. On the generated L organisation
#: (2 shared cores, load 4) it gains about 9 a second where the search from its plan
#: gains 2-3: a fifth instead of a third (24 s of 120 s) left the greedy at 179 instead
#: of 329 and the final plan at 389 instead of 402, so it keeps its third
GREEDY_SHARE = 1 / 3
#: the solver always gets at least this share of the time limit (even when building and
#: the greedy used it up: the whole command may then run over by about this share)
MIN_SOLVER_SHARE = 0.02
#: models with at least this many start binaries get the neighbourhood search ...
LNS_MIN_BINARIES = 300
#: ... for this share of the time left after the greedy (when it runs before the MIP)
LNS_SHARE = 0.5
#: models with at least this many columns take the large-model path (with a backend that
#: can solve the LP relaxation in a child process): the bound from the LP first, the plan
#: from the search
LARGE_COLUMNS = 60_000
#: one core: the share of the time left the LP relaxation of a large model may use
LP_SHARE = 0.8
#: share of the time left that the child of a large model stops before the search
CHILD_MARGIN = 0.05
#: share of the time limit (at least ``REASONS_MIN`` seconds, at most ``REASONS_MAX``)
#: spent forcing left-out initiatives in to find what binds them
#: (:mod:`planner.solving.reasons`); kept back from the solver
REASONS_SHARE = 0.05
REASONS_MIN = 0.25
REASONS_MAX = 30.0
#: seconds to wait for the child's result once it was asked to stop
RESULT_WAIT = 10.0


@dataclass(frozen=True)
class Settings:
    """How to solve; ``None`` fields fall back to ``policy.solver``, then to defaults.

    Attributes
    ----------
    backend
        Solver backend name (``highs``, ``cbc``, ``scip``).
    time_limit
        Seconds for the whole solve (compile, build, greedy, search, solver).
    gap
        Stop once the plan is within this relative gap of the bound.
    seed
        Random seed of the solver and the search.
    threads
        ``1`` keeps everything in one process; otherwise, with two cores or more, the
        MIP runs in a child process beside the neighbourhood search.
    strategy
        ``optimal`` (the optimiser: HiGHS or CP-SAT, by the model's shape) or
        ``greedy`` (the rank-and-cut baseline only).
    progress
        Called with a :class:`~planner.backends.base.Progress` now and then; returning
        True stops the solve with the best plan so far.
    previous
        An earlier plan to stay close to (``--baseline``; weights in ``policy.stability``).
    clock
        When the command began (:class:`~planner.solving.clock.Clock`): the time limit
        counts from there. By default, from the call to ``solve``.
    """

    backend: str | None = None
    time_limit: float | None = None
    gap: float | None = None
    seed: int | None = None
    threads: int | None = None
    strategy: Strategy = "optimal"
    progress: ProgressFn | None = None
    previous: Plan | None = None
    clock: Clock | None = None

    def resolved(self, scenario: Scenario) -> Resolved:
        """Fill unset fields from the scenario's policy and the defaults."""
        s = scenario.policy.solver
        return Resolved(
            backend=self.backend or s.backend or backends.DEFAULT,
            time_limit=self.time_limit or s.time_limit or DEFAULT_TIME_LIMIT,
            gap=self.gap if self.gap is not None else (s.gap if s.gap is not None else PROVEN_GAP),
            seed=self.seed if self.seed is not None else s.seed,
            threads=self.threads or s.threads,
            strategy=self.strategy,
            progress=self.progress,
            previous=self.previous,
            clock=self.clock or Clock(),
        )

    def but(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Resolved:
    """Settings with every default filled in (see :meth:`Settings.resolved`)."""

    backend: str
    time_limit: float
    gap: float
    seed: int
    threads: int | None
    strategy: Strategy
    progress: ProgressFn | None
    previous: Plan | None
    clock: Clock


def reasons_budget(time_limit: float) -> float:
    """Seconds the reasons of left-out initiatives may take (forced-in re-solves)."""
    return min(REASONS_MAX, max(REASONS_MIN, REASONS_SHARE * time_limit))
