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
from planner.errors import InfeasibleError, Issue, SolveError
from planner.io.load import LoadedScenario, read_scenario
from planner.solving.clock import Clock
from planner.solving.settings import Settings, Strategy

if TYPE_CHECKING:
    from planner.check import CheckReport


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
        plan = run(sc, settings)
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
          plan_dir: str | os.PathLike[str]) -> CheckReport:
    """Verify a written plan against its scenario without the solver.

    A scenario file is read with the overrides recorded in the plan's ``plan.json``,
    so the plan is checked against the scenario it was made from. Returns a
    :class:`~planner.check.CheckReport` (``.ok``, ``.violations``, ``.to_text()``).
    """
    from planner.check import check_plan

    sc = scenario if isinstance(scenario, Scenario) else load(scenario,
                                                             recorded_overrides(plan_dir))
    return check_plan(sc, Path(plan_dir))
