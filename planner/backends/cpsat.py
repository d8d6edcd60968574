"""Schedules from OR-Tools CP-SAT, staffed exactly by the LP: :func:`cpsat_schedule`.

CP-SAT decides the schedule on the relaxation of :mod:`planner.backends.cpsat_model`
(intervals, cumulative room per unit and skill); every schedule it finds is
staffed by the planning model's own LP (:mod:`planner.backends.staffing_lp`),
which turns it into a full column vector of the formulation, so the rest of the
pipeline (allocation, reasons, views, ``planner check``) is unchanged.

The search, within one time limit:

1. **Must RTB alone.** The LP with no initiative at all; infeasible = proved
   infeasible (adding work never helps).
2. **The hint**, when given and staffable, is the first plan.
3. **Fit the required work** (no plan yet and some initiative is required):
   the required initiatives alone, placed within their deadlines or proved
   impossible to place, by two CP-SAT models racing on their own threads
   (:mod:`planner.backends.cpsat_fit`: deadlines relaxed and the largest overrun
   minimised, which finds tight schedules fast; hard deadlines, which proves
   fast). A schedule found is the hint of step 4; a proof ends the search.
4. **Optimise**: the full model (every selectable initiative, the MIP's
   objective). Each schedule CP-SAT reports is staffed by the LP; a staffable
   one is a plan (passed to ``on_plan`` when it improves), an unstaffable one
   (only where the room is not exact) is shrunk to a small unstaffable core
   (:meth:`StaffingLP.conflict`), forbidden by a no-good, and the search
   restarts from the best plan.

**When an infeasibility is a proof.** ``proved_infeasible`` is True only when
(1) the LP with no initiative is infeasible, or (2) a rule alone rules out every
plan (a required initiative without an allowed start, two required initiatives
that exclude each other, a required dependant of an initiative that cannot be
chosen), or (3) CP-SAT proves step 3 or 4 infeasible. Each is a proof for the
whole planning model: the CP model is a relaxation of the MIP (its room is an
upper bound in every plan and its rounding is relaxing) and every no-good it
received forbids only unstaffable sets of starts (the staffing LP is
monotone). This holds whether or not the room is exact; exactness matters the
other way round (every CP-SAT schedule staffable, no cuts needed, the CP-SAT
bound tight). A time-out, a stop, or an LP failure never yields a proof: the
status is then ``unknown`` (no plan) or ``feasible``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from planner.backends.base import PROVEN_GAP, relative_gap
from planner.backends.cpsat_fit import fit_required
from planner.backends.cpsat_model import ScheduleModel
from planner.backends.staffing_lp import StaffingLP, violations
from planner.formulation.build import Formulation, build
from planner.formulation.model import ModelArrays
from planner.problem.data import ProblemData

#: at most this many restarts after cuts (each costs a presolve)
MAX_RESTARTS = 500
#: LP solves one conflict may take (a deletion filter over the schedule)
CONFLICT_SOLVES = 200
#: seconds between polls of the ``stop`` callable
POLL = 0.05

PlanFn = Callable[[dict[int, int], np.ndarray, float], None]


@dataclass
class CpResult:
    """What the CP-SAT schedule search found.

    ``status``: ``optimal`` (the plan's objective is within 1e-6 of ``bound``),
    ``feasible`` (a plan, not proved optimal), ``infeasible`` (then
    ``proved_infeasible`` is True: a proof for the whole model, see the module
    docstring) or ``unknown`` (no plan and no proof: time limit or stop).
    ``starts``/``x``/``objective``: the best plan as initiative -> start period, the
    formulation's full column vector (staffed by the LP) and the MIP objective of it.
    ``bound``: an upper bound on the MIP's objective (None when unknown).
    ``exact``: the room was exact, so every CP-SAT schedule was staffable.
    ``proof``: what proved infeasibility: ``staffing`` (the must RTB alone, by the
    LP), ``rules`` (windows, dependencies, exclusivity of required initiatives),
    ``overrun`` (the required work cannot meet its deadlines: ``stats`` holds
    ``overrun_bound``) or ``cpsat`` (the whole relaxation, with its cuts).
    """

    status: str
    starts: dict[int, int] | None = None
    x: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    proved_infeasible: bool = False
    exact: bool = False
    message: str = ""
    stats: dict[str, float] = field(default_factory=dict)
    proof: str | None = None

    @property
    def gap(self) -> float | None:
        """Relative gap of the plan to the bound."""
        return relative_gap(self.objective, self.bound)


def cpsat_schedule(
    data: ProblemData,
    time_limit: float,
    hint: dict[int, int] | None = None,
    workers: int = 2,
    stop: Callable[[], bool] | None = None,
    *,
    formulation: Formulation | None = None,
    arrays: ModelArrays | None = None,
    on_plan: PlanFn | None = None,
    seed: int = 0,
    gap: float = PROVEN_GAP,
    log: bool = False,
) -> CpResult:
    """Search schedules with CP-SAT and staff them with the LP (see the module docstring).

    Parameters
    ----------
    data
        The compiled problem.
    time_limit
        Wall-clock seconds for everything (model building, CP-SAT, LP checks).
    hint
        A schedule to start from, initiative index -> start period (e.g. from a
        HiGHS or greedy plan: ``read_solution(vars, x)[0].starts``).
    workers
        CP-SAT workers (threads) of the optimisation; the required work is fitted on
        two threads (one model each) when this is two or more, else on one.
    stop
        Polled while searching; returning True ends the search with the best plan.
    formulation, arrays
        The built MIP and its arrays, when the caller has them (built otherwise).
    on_plan
        Told every better plan: ``on_plan(starts, x, objective)``, from the calling
        thread or from a CP-SAT worker thread (keep it short and thread-safe).
    seed
        CP-SAT's random seed.
    gap
        Stop once a plan is within this relative gap of CP-SAT's bound (1.0: the
        first plan will do).
    log
        Print CP-SAT's search log.
    """
    return _Search(data, time_limit, hint, workers, stop, formulation, arrays, on_plan, seed,
                   gap, log).run()


def schedule_vector(
    formulation: Formulation, starts: dict[int, int], arrays: ModelArrays | None = None
) -> tuple[np.ndarray, float] | None:
    """The formulation's column vector and objective of a schedule, staffed by the LP.

    None when the schedule cannot be staffed or breaks a rule of the model
    (a required initiative missing, a dependency, an exclusivity, a budget).
    """
    a = arrays if arrays is not None else formulation.model.arrays()
    got = StaffingLP(formulation, a).staff(starts)
    if got is None or violations(a, got.x):
        return None
    return got.x, got.objective


class _Search:
    def __init__(
        self, data: ProblemData, time_limit: float, hint: dict[int, int] | None, workers: int,
        stop: Callable[[], bool] | None, formulation: Formulation | None,
        arrays: ModelArrays | None, on_plan: PlanFn | None, seed: int, gap: float, log: bool,
    ) -> None:
        self.t0 = time.perf_counter()
        self.deadline = self.t0 + time_limit
        self.data, self.hint, self.workers = data, hint, max(int(workers), 1)
        self.stop, self.on_plan, self.seed, self.log = stop, on_plan, seed, log
        self.gap = gap
        self.f = formulation if formulation is not None else build(data)
        self.arrays = arrays if arrays is not None else self.f.model.arrays()
        self.lp = StaffingLP(self.f, self.arrays)
        self.best: tuple[dict[int, int], np.ndarray, float] | None = None
        self.seen: set[tuple[tuple[int, int], ...]] = set()
        self.bad: set[tuple[tuple[int, int], ...]] = set()
        self.pending: list[tuple[str, dict[int, int]]] = []
        self.stopped = False
        self.error: str | None = None
        self.stats: dict[str, float] = {"cuts": 0.0, "cp_solves": 0.0, "schedules": 0.0}
        self.order = sorted(
            (i.index for i in data.initiatives), key=lambda k: -data.initiatives[k].hours
        )

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def halted(self) -> bool:
        """True once the time is up or ``stop`` asked to stop (checked between solves too)."""
        if not self.stopped and self.stop is not None and self.stop():
            self.stopped = True
        return self.stopped or self.left() <= 0

    def result(self, status: str, message: str, bound: float | None = None,
               exact: bool = False, proof: str | None = None) -> CpResult:
        self.stats["seconds"] = time.perf_counter() - self.t0
        self.stats["lp_solves"] = float(self.lp.solves)
        self.stats["lp_seconds"] = self.lp.seconds
        if self.best is None:
            return CpResult(status, bound=bound, proved_infeasible=status == "infeasible",
                            exact=exact, message=message, stats=self.stats,
                            proof=proof if status == "infeasible" else None)
        starts, x, obj = self.best
        if bound is not None:
            bound = max(bound, obj)  # the rounding of the CP objective is upwards
        if status in ("optimal", "feasible"):
            g = relative_gap(obj, bound)
            status = "optimal" if g is not None and g <= PROVEN_GAP else "feasible"
        return CpResult(status, dict(starts), x, obj, bound, False, exact, message, self.stats)

    # -- plans ----------------------------------------------------------------------------

    def consider(self, starts: dict[int, int]) -> bool:
        """Staff a schedule; keep it when it is a better plan. False when it is unstaffable."""
        key = tuple(sorted(starts.items()))
        if key in self.seen:
            return key not in self.bad
        self.seen.add(key)
        self.stats["schedules"] += 1
        got = self.lp.staff(starts)
        if got is None or violations(self.arrays, got.x):
            self.bad.add(key)
            return False
        if "first_plan" not in self.stats:
            self.stats["first_plan"] = time.perf_counter() - self.t0
        if self.best is None or got.objective > self.best[2] + 1e-9 * max(1.0, abs(got.objective)):
            self.best = (dict(starts), got.x, got.objective)
            if self.on_plan is not None:
                self.on_plan(dict(starts), got.x, got.objective)
        return True

    def reject(self, starts: dict[int, int]) -> None:
        """Remember a cut off a rejected schedule for the next restart.

        Unstaffable: its unstaffable core, forbidden in every schedule (valid: the
        staffing LP is monotone). Staffable but against another rule of the model
        (only the integer rounding of the CP model lets that happen): exactly this
        schedule, with every other initiative absent.
        """
        core = self.lp.conflict(starts, order=self.order, max_solves=CONFLICT_SOLVES)
        if self.lp.staff(core) is not None:
            self.pending.append(("exact", dict(starts)))
        else:
            self.pending.append(("core", core))

    # -- CP-SAT ---------------------------------------------------------------------------

    def solve(
        self, sm: ScheduleModel, callback: cp_model.CpSolverSolutionCallback | None,
        workers: int | None = None, halt: threading.Event | None = None,
        linearization: int | None = None,
    ) -> tuple[cp_model.CpSolver, Any]:
        """One CP-SAT run for the time left; ``stop`` (and ``halt``, when set) end it early."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = workers or self.workers
        if linearization is not None:
            # 2 puts the cumulative constraints' energy into the LP: proofs twice as fast
            # on the hard PSPLIB instances (j3045_2 at 124: 13.8 s -> 6.8 s, one thread)
            p.linearization_level = linearization
        p.random_seed = self.seed
        p.max_time_in_seconds = max(self.left(), 0.01)
        p.log_search_progress = self.log
        done = threading.Event()

        def watch() -> None:
            while not done.wait(POLL):
                if halt is not None and halt.is_set():
                    solver.stop_search()
                    return
                if self.stop is not None and self.stop():
                    self.stopped = True
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            status = solver.solve(sm.model, callback)
        finally:
            done.set()
            watcher.join()
        self.stats["cp_solves"] += 1
        return solver, status

    def overrun_text(self, how: str) -> str:
        """Why the required work cannot fit, from step 3's proof."""
        lo = self.stats.get("overrun_bound")
        if lo is None:
            return f"the required initiatives cannot all be scheduled (proof: CP-SAT; {how})"
        lo_n = round(lo)
        text = (f"capacity is short: the required initiatives cannot all finish by their "
                f"deadlines; CP-SAT proved that some must run at least {lo_n} period"
                f"{'s' if lo_n != 1 else ''} past its deadline")
        best = self.stats.get("overrun_best")
        if best is not None:
            b = round(best)
            text += ("" if b == lo_n else f" (the best schedule found overruns by {b})")
        return text + f" ({how})"

    def run(self) -> CpResult:
        data = self.data
        if self.lp.staff({}) is None:
            return self.result("infeasible", "the 'must' run-the-business work cannot be "
                               "covered even with no initiatives (proof: the staffing LP)",
                               proof="staffing")
        sm = ScheduleModel(data, self.f, self.arrays, mode="full")
        exact = sm.exact
        how = "exact room" if exact else "room not exact (" + "; ".join(sm.inexact) + ")"
        self.stats["build"] = time.perf_counter() - self.t0
        if sm.infeasible is not None:
            return self.result("infeasible", f"{sm.infeasible} (proof: the rules alone)",
                               proof="rules")
        if self.hint is not None and not self.consider(dict(self.hint)):
            self.hint = None  # not a plan: do not steer the search with it
        start = dict(self.best[0]) if self.best is not None else None
        if start is None and any(data.initiatives[i].required for i in sm.members):
            if self.halted():
                return self.result("unknown", "stopped before any plan", exact=exact)
            t_fit = time.perf_counter()
            fit, start = fit_required(self.data, self.f, self.arrays, self.solve,
                                      self.workers, self.stats)
            self.stats["fit_seconds"] = time.perf_counter() - t_fit
            if fit == "infeasible":
                return self.result("infeasible", self.overrun_text(how), exact=exact,
                                   proof="overrun")
            if fit == "unknown":
                return self.result("unknown", "CP-SAT could not fit the required work in "
                                   "the time limit, nor prove that it cannot fit", exact=exact)
            if start is not None:
                self.consider(start)  # the required work alone may already be a plan
        if self.best is not None and self.gap >= 1.0:
            return self.result("feasible", f"the first plan: a gap of 100% asks for no better "
                               f"one ({how})", exact=exact)
        if start is None and self.hint is not None:
            start = dict(self.hint)
        if start is not None:
            sm.hint(start)
        return self.optimise(sm, how, exact)

    def optimise(self, sm: ScheduleModel, how: str, exact: bool) -> CpResult:
        """Step 4: CP-SAT on the full model; cuts and restarts on unstaffable schedules."""
        search = self

        class Watch(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                try:
                    starts = sm.read(self.value)
                    if not search.consider(starts):
                        search.reject(starts)
                        self.stop_search()
                    elif search.best is not None:
                        bound = sm.to_model_units(self.best_objective_bound)
                        g = relative_gap(search.best[2], max(bound, search.best[2]))
                        if g is not None and g <= search.gap:
                            self.stop_search()  # close enough: the caller's gap
                except Exception as exc:  # noqa: BLE001 - never let it escape into CP-SAT
                    search.error = f"{type(exc).__name__}: {exc}"
                    self.stop_search()

        restarts = 0
        while True:
            if self.pending:
                for kind, cut in self.pending:
                    sm.forbid(cut, exact=kind == "exact")
                self.stats["cuts"] += len(self.pending)
                self.pending = []
                restarts += 1
                if self.best is not None:
                    sm.hint(self.best[0])
                if restarts > MAX_RESTARTS:
                    return self.result("feasible" if self.best else "unknown",
                                       f"CP-SAT gave up after {restarts} restarts ({how})",
                                       exact=exact)
            if self.halted():
                return self.result("feasible" if self.best else "unknown",
                                   f"CP-SAT stopped before a proof ({how})", exact=exact)
            solver, status = self.solve(sm, Watch())
            if self.error is not None:
                raise RuntimeError(f"CP-SAT schedule check failed: {self.error}")
            if self.pending:
                continue  # an unstaffable schedule stopped the search: cut it off, restart
            S = cp_model
            if status == S.INFEASIBLE:
                if self.best is None:
                    return self.result("infeasible", "no schedule fits (proof: CP-SAT on the "
                                       f"relaxation, {self.stats['cuts']:.0f} cuts; {how})",
                                       exact=exact, proof="cpsat")
                return self.result("feasible", "CP-SAT lost the plan it held: no bound",
                                   exact=exact)
            if status in (S.OPTIMAL, S.FEASIBLE):
                # a schedule solved in presolve may not reach the callback
                last = sm.read(solver.value)
                if not self.consider(last):
                    self.reject(last)
                    continue
                word = "optimal on the relaxation" if status == S.OPTIMAL else "stopped"
                return self.result("feasible", f"CP-SAT {word} ({how})",
                                   bound=sm.to_model_units(solver.best_objective_bound),
                                   exact=exact)
            bound: float | None = None
            if status == S.UNKNOWN and np.isfinite(solver.best_objective_bound):
                bound = sm.to_model_units(solver.best_objective_bound)
            return self.result("feasible" if self.best else "unknown",
                               f"CP-SAT stopped without a proof ({how})", bound=bound,
                               exact=exact)
