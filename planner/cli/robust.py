"""``planner solve --robust LEVEL``: make, write and print a robust plan.

The method lives in :func:`planner.analysis.robust.robust_solve`; this module only
calls it, writes the plan folder (with ``robust.csv``, ``robust_rounds.csv`` and
``robust_buffers.csv``, and with ``--report`` a risk section judged on the fresh
samples) and prints what robustness cost.
"""

from __future__ import annotations

from typing import Any

from planner.cli.render import console


def solve_robust(loaded: Any, level: float, settings: Any, target: str, *,
                 samples: int, workers: int, scheduler: str | None,
                 formats: tuple[str, ...], force: bool, with_report: bool,
                 csv_encoding: str, quiet: bool, inputs: Any = ()) -> Any:
    """Solve ``loaded`` (a :class:`~planner.io.load.LoadedScenario`) robustly and write it.

    Returns the :class:`~planner.analysis.robust.RobustResult`.
    """
    from planner.analysis.robust import robust_solve
    from planner.io.export import frame_to_csv, write_plan

    err = console(stderr=True)
    result = robust_solve(loaded.scenario, level, settings, samples=samples, workers=workers,
                          scheduler=scheduler,
                          log=None if quiet else lambda msg: err.print(msg, markup=False))
    plan = result.plan
    plan.overrides = list(loaded.overrides)
    plan.warnings = [str(w) for w in loaded.warnings]
    extra: dict[str, str | bytes] = {f"{name}.csv": frame_to_csv(frame)
                                     for name, frame in result.tables().items()}
    if with_report:
        from planner.report import REPORT_HTML, report_html

        extra[REPORT_HTML] = report_html(plan, result.fresh.tables(), result.cost)
    write_plan(plan, target, formats or ("csv",), force=force, extra_files=extra,
               csv_encoding=csv_encoding, inputs=inputs)
    return result


def print_robust(result: Any) -> None:
    """What robustness cost, whether the plan holds, and the notes."""
    from planner.cli.risk import table

    out = console()
    out.print(table(f"What robustness cost (level {result.level:g}; both plans on the same "
                    f"{result.fresh.samples} fresh samples)", result.cost))
    verdict = "holds" if result.holds else "[red]does not reach the level[/]"
    out.print(f"robust plan {verdict}: ", end="")
    out.print(result.plan.run.message, markup=False)
    for note in result.notes:
        out.print(f"note: {note}", style="yellow", markup=False)
