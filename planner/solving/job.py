"""What every solve path works on (:class:`Job`) and what each returns (:class:`Candidate`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Literal

import numpy as np

from planner.backends.base import Outcome
from planner.formulation.build import Formulation
from planner.formulation.model import ModelArrays
from planner.problem.data import ProblemData
from planner.solving.settings import Resolved

CandidateStatus = Literal["optimal", "feasible", "infeasible", "no_solution"]


@dataclass
class Job:
    """One solve in progress: the compiled problem, its model and the clock."""

    data: ProblemData
    formulation: Formulation
    arrays: ModelArrays
    backend: ModuleType
    settings: Resolved
    #: when the command began (``time.perf_counter()``), and when building began
    t_start: float
    t_build: float
    #: seconds of parts of stages (``improve``, ``bound``; see :mod:`~planner.solving.clock`)
    timings: dict[str, float] = field(default_factory=dict)
    #: seconds kept back from the solver for the reasons, allocation and writing
    reserved: float = 0.0

    @property
    def limit(self) -> float:
        """The time limit, seconds."""
        return self.settings.time_limit

    @property
    def deadline(self) -> float:
        """When the solver must stop (``perf_counter``): the limit less the reserve."""
        return self.t_start + self.limit - self.reserved

    def left(self) -> float:
        """Seconds left for the solver (may be negative)."""
        return self.deadline - time.perf_counter()

    def supports(self, capability: str) -> bool:
        """Whether the chosen backend declares ``capability`` (see :mod:`planner.backends`)."""
        return bool(self.backend.SUPPORTS.get(capability, False))

    def model_size(self) -> dict[str, int]:
        """Columns, rows, binaries and non-zeros of the model."""
        a = self.arrays
        return {"columns": a.num_cols, "rows": a.num_rows, "binaries": a.num_integer,
                "nonzeros": int(a.matrix.nnz)}


@dataclass
class Start:
    """A feasible column vector held before the solver finishes (greedy or search plan)."""

    x: np.ndarray
    objective: float
    what: str  # "greedy baseline" or "neighbourhood search plan"


@dataclass
class Candidate(Outcome):
    """What a solve path ends with: a column vector (or none) and what is known of it
    (the fields of :class:`~planner.backends.base.Outcome`), and how it was found."""

    status: CandidateStatus
    backend: str | None = None
    interrupted: bool = False
    #: objective of the greedy start, when there was one (for the ratio in the summary)
    greedy_objective: float | None = None
    #: an infeasibility explained by the engine that proved it (the solve then says this
    #: instead of running the elastic diagnosis); empty otherwise
    explained: str = ""
