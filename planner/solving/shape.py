"""Which engine leads, read from the model's shape: CP-SAT for schedules, HiGHS for packing.

The time-indexed MIP (HiGHS) is strong where a plan is mostly *which* initiatives
fit the room (selection and packing, people in several skills, contractors,
borrowing) and weak where it is *when* required work can run at all: on the
PSPLIB j30 scheduling instances it found no plan at the optimal makespan for 7
of 12 in 30 s, where CP-SAT decides nearly all both ways in seconds (issue 19).

CP-SAT's schedule model (:mod:`planner.backends.cpsat_model`) is *exact* when
every cohort has one skill, borrowing is off, there are no contractors and no
development wishes (whose reward is in hours, not in the schedule): then
every schedule it finds can be staffed and its bound is the model's. A model of
that shape whose initiatives are mostly required is a scheduling problem, and
CP-SAT leads it (:func:`planner.solving.cpsat_path.cpsat_lead`). Every other
model keeps the HiGHS paths of :mod:`planner.solving.paths`, with CP-SAT
brought in where they are weak: when the greedy cannot place the required
work, CP-SAT fits it beside the MIP and the first proof or plan wins
(:func:`planner.solving.cpsat_path.race`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.formulation.build import Formulation
from planner.problem.data import ProblemData

#: CP-SAT leads an exact-room model when at least this share of its selectable
#: initiatives is required (PSPLIB: all of them)
SCHEDULE_SHARE = 0.5


@dataclass(frozen=True)
class Shape:
    """What decides the engine: how much of the work is required, and is CP-SAT's room exact.

    ``selectable``: initiatives with at least one allowed start; ``required``: those of
    them that must run (mandatory, or committed); ``inexact``: why CP-SAT's room is
    not exact (empty when it is).
    """

    selectable: int
    required: int
    inexact: list[str] = field(default_factory=list)
    #: what CP-SAT's model leaves out (:func:`beyond_cpsat`; also in ``inexact``)
    beyond: list[str] = field(default_factory=list)

    @property
    def required_share(self) -> float:
        """Required initiatives over selectable ones (0 when none is selectable)."""
        return self.required / self.selectable if self.selectable else 0.0

    @property
    def engine(self) -> str:
        """``cpsat`` (a scheduling problem: CP-SAT leads) or ``mip`` (HiGHS leads)."""
        if self.required and not self.inexact and self.required_share >= SCHEDULE_SHARE:
            return "cpsat"
        return "mip"


def shape_of(data: ProblemData, formulation: Formulation) -> Shape:
    """The shape of a compiled and built model (cheap: no solver runs)."""
    selectable = set(formulation.vars.selectable)
    required = sum(1 for i in data.initiatives if i.required and i.index in selectable)
    inexact = []
    if any(len(g.skills) != 1 for g in data.cohorts):
        inexact.append("people with several skills")
    if data.borrowing:
        inexact.append("borrowing between units")
    if data.externals:
        inexact.append("contractor pools")
    if formulation.vars.dev and data.development_weight > 0:
        inexact.append("development wishes")
    beyond = beyond_cpsat(data)
    return Shape(len(selectable), required, inexact + beyond, beyond)


def beyond_cpsat(data: ProblemData) -> list[str]:
    """What CP-SAT's schedule model leaves out (issue 15's long-term features).

    Its model has one demand per line over an initiative's whole duration, a
    dependant starting after its prerequisite finishes, whole-horizon budgets and
    a weight that does not depend on the start. A model with phases or uneven
    profiles, a dependency on a phase, per-year budgets or a start-dependent value
    (net present value) would be decided wrongly there, so CP-SAT neither leads
    nor races it: HiGHS decides it alone.
    """
    out = []
    inits = data.initiatives
    if any(len(set(np.round(arr, 9))) > 1 for i in inits for arr in i.load):
        out.append("phases or uneven effort profiles")
    if any(lag != inits[p].duration for i in inits for p, lag in i.dep_lag.items()):
        out.append("dependencies on a phase")
    if any(b.year is not None for b in data.budgets):
        out.append("budgets per year")
    if any(i.start_weight is not None for i in inits):
        out.append("a value that depends on the start (net present value)")
    return out
