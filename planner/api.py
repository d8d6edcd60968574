"""The public API: what a notebook user and the ``planner`` command both call.

>>> import planner
>>> r = planner.solve("scenarios/services_firm.yaml", time_limit=10)
>>> print(r.summary())                         # doctest: +SKIP
>>> r.plan.selected, r.views()["workload"]     # doctest: +SKIP
>>> r.write("plan/")                           # the same folder `planner solve` writes

:func:`solve` never raises for an infeasible scenario or a solve without a plan: the
:class:`Result` says so in its :class:`Status` (and carries the diagnosis). Invalid
input raises :class:`~planner.errors.ScenarioError`, which lists every error found.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from models.plan import Plan
from models.scenario import Scenario
from planner.backends.base import Progress
from planner.errors import InfeasibleError, Issue, PlannerError, SolveError
from planner.io.load import LoadedScenario, read_scenario
from planner.solving.clock import Clock
from planner.solving.settings import Settings, Strategy

if TYPE_CHECKING:
    from planner.checker import CheckReport


class Status(enum.StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"  #: a plan, proved optimal
    FEASIBLE = "feasible"  #: a plan, not proved optimal (see its gap)
    INTERRUPTED = "interrupted"  #: stopped on request: the best plan found so far
    INFEASIBLE = "infeasible"  #: the hard rules cannot all hold (see the diagnosis)
    NO_PLAN = "no_plan"  #: the solver stopped (time limit) before finding any plan

    @property
    def has_plan(self) -> bool:
        """Whether a plan comes with this status."""
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.INTERRUPTED)


@dataclass
class Result:
    """What :func:`solve` returns: the status, the plan (if any) and what explains it."""

    status: Status
    scenario: Scenario
    plan: Plan | None = None
    message: str = ""
    #: the diagnosis of an infeasible scenario (what is short where)
    diagnosis: object | None = None
    warnings: list[Issue] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)
    #: the earlier plan this one was made to stay close to (``baseline``)
    previous: Plan | None = None
    seconds: float = 0.0
    #: the command's clock: writing the plan adds its ``write`` time to ``run.timings``
    clock: Clock | None = None

    def summary(self) -> str:
        """A few lines: status, objective and gap, what was chosen, spend and shortfall."""
        from planner.views.headline import headline_lines

        if self.plan is None:
            return f"{self.scenario.name}: {self.status.value}\n{self.message}".rstrip()
        return "\n".join(headline_lines(self.plan))

    def __str__(self) -> str:
        return self.summary()

    def views(self) -> dict[str, pd.DataFrame]:
        """Every plan view by name (see :data:`planner.views.VIEWS`)."""
        from planner.views import all_views

        return all_views(self._plan())

    def changes(self) -> pd.DataFrame | None:
        """Initiatives dropped, added or moved against the ``baseline`` plan (None without)."""
        if self.previous is None or self.plan is None:
            return None
        if self.plan.replan is not None:  # as of a period: with the cause of each change
            from planner.analysis.replan import replan_changes

            return replan_changes(self.previous, self.plan)
        from planner.analysis.compare import baseline_changes

        return baseline_changes(self.previous, self.plan)

    def write(self, out: str | os.PathLike[str], formats: Iterable[str] = ("csv",),
              force: bool = False, extra_files: dict[str, str] | None = None,
              csv_encoding: str = "utf-8") -> Path:
        """Write the plan folder atomically (with ``changes.csv`` after a re-plan).

        ``csv_encoding="utf-8-sig"`` adds a byte-order mark, for Excel on Windows.
        """
        from planner.io.export import frame_to_csv, write_plan

        extra = dict(extra_files or {})
        changes = self.changes()
        if changes is not None:
            extra["changes.csv"] = frame_to_csv(changes)
        return write_plan(self._plan(), out, tuple(formats) or ("csv",), force=force,
                          extra_files=extra, clock=self.clock, csv_encoding=csv_encoding)

    def _plan(self) -> Plan:
        if self.plan is None:
            raise SolveError(f"no plan to show: {self.status.value}. {self.message}".strip())
        return self.plan


def load(path: str | os.PathLike[str], overrides: Iterable[str] = ()) -> Scenario:
    """Read and validate a scenario file (``overrides``: ``path=value`` strings).

    Raises :class:`~planner.errors.ScenarioError` listing every error found.
    """
    from planner.io.load import load_scenario

    return load_scenario(Path(path), overrides=overrides)


def solve(
    scenario: Scenario | LoadedScenario | str | os.PathLike[str],
    *,
    overrides: Iterable[str] = (),
    baseline: Plan | str | os.PathLike[str] | None = None,
    backend: str | None = None,
    time_limit: float | None = None,
    gap: float | None = None,
    seed: int | None = None,
    threads: int | None = None,
    strategy: Strategy = "optimal",
    progress: Callable[[Progress], bool | None] | None = None,
    as_of: str | None = None,
    actuals: str | os.PathLike[str] | None = None,
    remaining: str | os.PathLike[str] | None = None,
    force_baseline: bool = False,
    clock: Clock | None = None,
) -> Result:
    """Choose, schedule and staff the initiatives of a scenario (a file or a Scenario).

    Parameters
    ----------
    scenario
        A scenario file (its warnings are kept in the result and the plan), a
        validated :class:`~models.scenario.Scenario`, or what
        :func:`planner.io.load.read_scenario` returned (with its overrides).
    overrides
        ``path=value`` strings applied before validation (``policy.budget=800000``);
        recorded in the plan, so ``check`` re-applies them.
    baseline
        An earlier plan (or its folder) to stay close to; see ``policy.stability``.
    backend, time_limit, gap, seed, threads, strategy
        See :class:`~planner.solving.settings.Settings`.
    progress
        Called now and then with the incumbent, bound and gap; return True to stop
        with the best plan so far (status ``interrupted``).
    as_of
        Re-plan as of this period (needs ``baseline``): earlier periods are fixed to
        ``actuals`` where given, else to the baseline; started initiatives keep their
        start (see :mod:`planner.problem.asof`).
    actuals
        ``actuals.csv`` (the columns of ``assignments.csv``) of periods before ``as_of``.
    remaining
        ``progress.csv`` (``initiative, unit, skill, remaining_hours``) of started
        initiatives; may lengthen them.
    clock
        When the command began (the time limit counts from there, and ``run.timings``
        from there to the written plan); by default, this call.
    force_baseline
        Accept a ``baseline`` whose people or initiatives barely overlap the
        scenario's (otherwise :class:`~planner.solving.baseline.BaselineMismatchError`).
    """
    import time

    from planner.solving import solve as run

    t0 = time.perf_counter()
    clock = clock or Clock()
    overrides = list(overrides)
    warnings: list[Issue] = []
    if isinstance(scenario, Scenario):
        sc = scenario
        if overrides:
            raise ValueError("overrides apply to a scenario file; edit a Scenario directly")
    else:
        if isinstance(scenario, LoadedScenario):
            if overrides:
                raise ValueError("the scenario was read with its overrides already")
            loaded = scenario
        else:
            loaded = read_scenario(Path(scenario), overrides)
        sc, warnings, overrides = loaded.scenario, loaded.warnings, list(loaded.overrides)
    previous = _read_baseline(baseline)
    clock.mark("load")
    if previous is not None:
        from planner.solving.baseline import check_baseline

        check_baseline(sc, previous, force=force_baseline)
    replan = _as_of(sc, previous, baseline, as_of, actuals, remaining, warnings)
    asked = [False]

    def watch(p: Progress) -> bool:
        if progress is not None and progress(p):
            asked[0] = True
        return asked[0]

    settings = Settings(backend=backend, time_limit=time_limit, gap=gap, seed=seed,
                        threads=threads, strategy=strategy,
                        progress=watch if progress is not None else None, previous=previous,
                        clock=clock)
    common = {"scenario": sc, "warnings": warnings, "overrides": overrides,
              "previous": previous, "clock": clock}
    try:
        plan = run(sc, settings) if replan is None else replan(settings)
    except InfeasibleError as exc:
        return Result(Status.INFEASIBLE, message=str(exc), diagnosis=exc.diagnosis,
                      seconds=time.perf_counter() - t0, **common)  # type: ignore[arg-type]
    except SolveError as exc:
        status = Status.INTERRUPTED if asked[0] else Status.NO_PLAN
        return Result(status, message=str(exc), seconds=time.perf_counter() - t0,
                      **common)  # type: ignore[arg-type]
    plan.overrides = overrides
    plan.warnings = [str(w) for w in warnings]
    status = Status(plan.run.status)
    if asked[0]:
        plan.run.interrupted = True
        plan.run.message = "interrupted by the user: best plan found so far"
        status = Status.INTERRUPTED
    return Result(status, plan=plan, message=plan.run.message,
                  seconds=time.perf_counter() - t0, **common)  # type: ignore[arg-type]


def _as_of(sc: Scenario, previous: Plan | None, baseline: object, as_of: str | None,
           actuals: str | os.PathLike[str] | None, remaining: str | os.PathLike[str] | None,
           warnings: list[Issue]) -> Callable[[Settings], Plan] | None:
    """The re-plan as of a period (None without ``as_of``); reads actuals and progress."""
    if as_of is None:
        if actuals is not None or remaining is not None:
            raise PlannerError("actuals and progress need an as-of period (--as-of)")
        return None
    if previous is None:
        raise PlannerError("re-planning as of a period needs the baseline plan (--baseline)")
    from planner.io.actuals import read_actuals, read_progress
    from planner.problem.asof import as_of_state
    from planner.solving.replan import solve_as_of

    act = read_actuals(actuals, sc, before=str(as_of)) if actuals is not None else None
    prog = read_progress(remaining, sc) if remaining is not None else None
    state = as_of_state(sc, previous, str(as_of), act, prog)
    warnings.extend(state.warnings)
    where = str(baseline) if isinstance(baseline, str | os.PathLike) else None
    return lambda settings: solve_as_of(state, settings, where)


def _read_baseline(baseline: Plan | str | os.PathLike[str] | None) -> Plan | None:
    if baseline is None or isinstance(baseline, Plan):
        return baseline
    from planner.io.export import read_plan

    return read_plan(baseline)


def recorded_overrides(plan_dir: str | os.PathLike[str]) -> list[str]:
    """The ``--set`` overrides a written plan was made with (empty when unreadable)."""
    meta = Path(plan_dir) / "plan.json"
    try:
        with open(meta, encoding="utf-8") as f:
            return [str(o) for o in json.load(f).get("overrides", [])]
    except (OSError, ValueError, AttributeError):
        return []


def check(scenario: Scenario | str | os.PathLike[str],
          plan_dir: str | os.PathLike[str],
          baseline: str | os.PathLike[str] | None = None,
          actuals: str | os.PathLike[str] | None = None) -> CheckReport:
    """Verify a written plan against its scenario without the solver.

    A scenario file is read with the overrides recorded in the plan's ``plan.json``,
    so the plan is checked against the scenario it was made from. Returns a
    :class:`~planner.checker.CheckReport` (``.ok``, ``.violations``, ``.to_text()``).

    For a plan re-planned as of a period, ``baseline`` (its folder) and ``actuals``
    (the file as given) check its past against those files too, not only against
    what the plan recorded of them.
    """
    from planner.checker import check_plan

    sc = scenario if isinstance(scenario, Scenario) else load(scenario,
                                                             recorded_overrides(plan_dir))
    report = check_plan(sc, Path(plan_dir))
    if baseline is not None or actuals is not None:
        from planner.checker import Violation
        from planner.checker.asof import verify_sources
        from planner.problem.calendar import Calendar

        def add(rule: str, item: str, period: str | None, message: str, amount: float) -> None:
            report.violations.append(Violation(rule, item, period, message, amount))

        verify_sources(add, Calendar(sc.horizon), Path(plan_dir),
                       None if baseline is None else Path(baseline),
                       None if actuals is None else Path(actuals))
    return report
