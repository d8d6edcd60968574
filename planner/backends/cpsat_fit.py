"""Fit the required work: two CP-SAT models racing on their own threads.

Step 3 of :mod:`planner.backends.cpsat`: before the full model is optimised, the
required initiatives alone must be placed (or proved impossible to place). Two
models of that question, of :class:`~planner.backends.cpsat_model.ScheduleModel`:

* the **overrun model** (``fit``): deadlines relaxed, minimise the largest
  overrun. Any schedule is a start for CP-SAT's improvement, so tight schedules
  turn up fast; overrun 0 is a schedule within the deadlines, a proved overrun
  of at least one period a proof that none exists;
* the **deadline model** (``deadline``): hard windows, which give CP-SAT's
  cumulative and precedence reasoning much more to work with: the stronger
  prover, and often the faster finder too.

Both run at once, each on one CP-SAT worker with **no LP relaxation**
(``linearization_level`` 0): on these pure scheduling models CP-SAT's clause
learning over cumulative explanations proves far faster without an LP than with
one, and several workers in one solve are slower than one, because the
portfolio CP-SAT picks for few workers leans on its LP. Measured on the hardest
PSPLIB j30 instances, one worker each, one period short of the optimum (2
shared cores, December 2026): j3013_6 24 s with the default LP level, 30 s with
level 2, 4.3 s with none; j3029_3 undecided at 40 s with an LP, 12.8 s without;
two workers at level 0 in one solve: 19 s and undecided. Whichever model
decides first stops the other. With one thread (``threads: 1``) the deadline
model runs alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from planner.backends.cpsat_model import ScheduleModel
from planner.formulation.build import Formulation
from planner.formulation.model import ModelArrays
from planner.problem.data import ProblemData

#: CP-SAT's LP relaxation level for both fit models (see the module docstring)
FIT_LINEARIZATION = 0

#: ``solve(model, callback, workers, halt, linearization) -> (solver, status)``
SolveFn = Callable[..., tuple[cp_model.CpSolver, Any]]


class _First(cp_model.CpSolverSolutionCallback):
    """Stop at the first schedule within the deadlines (any will do)."""

    def __init__(self, sm: ScheduleModel, found: dict[int, int], overrun: bool) -> None:
        super().__init__()
        self.sm, self.found, self.overrun = sm, found, overrun

    def on_solution_callback(self) -> None:
        if self.overrun and self.objective_value > 0.5:
            return  # an overrunning schedule: the search goes on
        self.found.update(self.sm.read(self.value))
        self.stop_search()


def fit_required(
    data: ProblemData, formulation: Formulation, arrays: ModelArrays, solve: SolveFn,
    threads: int, stats: dict[str, float],
) -> tuple[str, dict[int, int] | None]:
    """``("fits", schedule)``, ``("infeasible", None)`` or ``("unknown", None)``.

    ``solve`` runs one CP-SAT model for the time left (it honours the caller's stop
    and the ``halt`` event it is given). Records in ``stats``: ``overrun_bound`` (the
    least overrun proved, at least 1 after a proof), ``overrun_best`` (the least
    found), ``fit_by`` (1 = the overrun model decided, 2 = the deadline model).
    """
    fit = ScheduleModel(data, formulation, arrays, mode="fit")
    if fit.infeasible is not None:
        return "infeasible", None
    if fit.late is None:
        return "fits", {}
    models = [("deadline", ScheduleModel(data, formulation, arrays, mode="deadline"))]
    if threads >= 2:
        models.insert(0, ("fit", fit))
    halt = threading.Event()
    verdicts: dict[str, tuple[str, dict[int, int]]] = {}
    errors: list[str] = []

    def run(kind: str, sm: ScheduleModel) -> None:
        try:
            if sm.infeasible is not None:
                verdicts[kind] = ("infeasible", {})
                halt.set()
                return
            found: dict[int, int] = {}
            solver, status = solve(sm, _First(sm, found, kind == "fit"), workers=1, halt=halt,
                                   linearization=FIT_LINEARIZATION)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            errors.append(f"{type(exc).__name__}: {exc}")
            halt.set()
            return
        if kind == "fit" and status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
            stats["overrun_bound"] = max(stats.get("overrun_bound", 0.0),
                                         float(solver.best_objective_bound))
            if status != cp_model.UNKNOWN:
                stats["overrun_best"] = float(solver.objective_value)
        if found:
            verdicts[kind] = ("fits", dict(found))
            halt.set()
        elif status == cp_model.INFEASIBLE or stats.get("overrun_bound", 0.0) >= 0.5:
            verdicts[kind] = ("infeasible", {})
            halt.set()

    workers = [threading.Thread(target=run, args=m, daemon=True) for m in models[1:]]
    for w in workers:
        w.start()
    try:
        run(*models[0])
    finally:
        halt.set()
        for w in workers:
            w.join()
    if errors:
        raise RuntimeError(f"CP-SAT fit of the required work failed: {errors[0]}")
    for kind, _sm in models:
        got = verdicts.get(kind)
        if got is None:
            continue
        stats["fit_by"] = 1.0 if kind == "fit" else 2.0
        if got[0] == "fits":
            stats["overrun_best"] = 0.0
            return "fits", got[1]
        stats["overrun_bound"] = max(stats.get("overrun_bound", 0.0), 1.0)
        return "infeasible", None
    return "unknown", None
