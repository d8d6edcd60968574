"""``planner solve``: choose, schedule and staff initiatives; write the plan folder."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import click
from rich import box
from rich.markup import escape
from rich.table import Table

from planner.backends import BACKENDS
from planner.cli.app import EXIT_INFEASIBLE, EXIT_NO_PLAN, main, show_infeasible
from planner.cli.render import console as _console
from planner.cli.render import fmt as _fmt
from planner.cli.render import print_issues

#: warnings shown before solving (the rest are counted; planner validate shows them all)
SHOW_WARNINGS = 5

FORMAT_CHOICES = click.Choice(["csv", "xlsx", "json"])


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder to write the plan into [default: <scenario name>-plan].")
@click.option("--solver", "backend", type=click.Choice(BACKENDS), default=None,
              help="Solver backend [default: policy.solver.backend, else highs].")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds for building, the greedy start and the solver, after which "
                   "the best plan so far is taken [default: 60].")
@click.option("--gap", type=click.FloatRange(0, 1), default=None,
              help="Stop when within this relative gap of the bound, e.g. 0.01 [default: proof].")
@click.option("--seed", type=click.IntRange(0), default=None, help="Solver random seed.")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="1 keeps the solve on one core; by default, with two or more cores, "
                   "the MIP solver runs in a second process beside the neighbourhood "
                   "search [default: policy.solver.threads, else all cores].")
@click.option("--strategy", type=click.Choice(["optimal", "greedy", "cpsat"]),
              default="optimal",
              help="'greedy' runs the rank-and-cut baseline planners use today; 'cpsat' "
                   "(experimental) schedules with CP-SAT alone, each schedule staffed by the LP.")
@click.option("--format", "formats", type=FORMAT_CHOICES, multiple=True,
              help="Also write views as csv (default), xlsx or json; repeatable.")
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE",
              help="Override a scenario field, e.g. --set policy.budget=800000 "
                   "--set initiatives.crm.mandatory=true; repeatable.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--baseline", "baseline_dir", type=click.Path(file_okay=False, exists=True),
              default=None, help="An earlier plan folder to stay close to: dropping or moving "
              "its initiatives and changing assignments is penalised (weights: "
              "policy.stability); the changes are listed and written to changes.csv.")
def solve(
    scenario: str, out: str | None, backend: str | None, time_limit: float | None,
    gap: float | None, seed: int | None, strategy: str, formats: tuple[str, ...],
    overrides: tuple[str, ...], force: bool, quiet: bool, baseline_dir: str | None = None,
    threads: int | None = None,
) -> None:
    """Choose, schedule and staff initiatives; write the plan folder.

    \b
    Writes (atomically: the folder appears complete or not at all):
      portfolio.csv    every initiative: chosen?, start, finish, reason if left out
      assignments.csv  hours per person, period and piece of work
      workload.csv     capacity vs demand per unit, skill and period
      plan.json        the whole plan, with solver status, bound, gap, timings
      ...and one CSV per view (unit plans, individual plans, finance, ...)

    Exit 3 with a diagnosis when mandatory work or must-RTB cannot fit.
    """
    from planner import api
    from planner.io.export import OutputExistsError
    from planner.io.load import read_scenario

    target = out or f"{os.path.splitext(os.path.basename(scenario))[0]}-plan"
    if os.path.exists(target) and not force:
        raise OutputExistsError(f"output folder '{target}' already exists (use --force)")
    loaded = read_scenario(scenario, overrides=list(overrides))
    err = _console(stderr=True)
    if loaded.warnings and not quiet:
        n = len(loaded.warnings)
        err.print(f"[yellow]{n} warning{'s' if n != 1 else ''}[/]"
                  + (" (planner validate lists them all)" if n > SHOW_WARNINGS else ""))
        print_issues(loaded.warnings[:SHOW_WARNINGS])
    stop = {"flag": False}
    status = None if quiet else err.status("solving...")
    t0 = time.perf_counter()

    def progress(p: Any) -> bool:
        if status is not None:
            inc = "-" if p.incumbent is None else f"{p.incumbent:,.4g}"
            bnd = "-" if p.bound is None else f"{p.bound:,.4g}"
            g = "-" if p.gap is None else f"{p.gap:.2%}"
            status.update(f"solving: {p.elapsed:5.1f} s  incumbent {inc}  bound {bnd}  gap {g}"
                          "  (Ctrl-C keeps the best plan so far)")
        return stop["flag"]

    def on_sigint(signum: int, frame: Any) -> None:
        if stop["flag"]:
            raise KeyboardInterrupt
        stop["flag"] = True
        if status is not None:
            status.update("stopping: finishing with the best plan so far "
                          "(Ctrl-C again abandons the solve)")

    previous = signal.signal(signal.SIGINT, on_sigint) if _main_thread() else None
    try:
        if status is not None:
            status.start()
        result = api.solve(loaded, baseline=baseline_dir, backend=backend,
                           time_limit=time_limit, gap=gap, seed=seed, threads=threads,
                           strategy=strategy, progress=progress)  # type: ignore[arg-type]
    finally:
        if status is not None:
            status.stop()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if result.status is api.Status.INFEASIBLE:
        show_infeasible(result.message, result.diagnosis)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)
    if result.plan is None:
        err.print(f"no plan: {result.message}", style="red", markup=False, soft_wrap=True)
        raise click.exceptions.Exit(EXIT_NO_PLAN)
    result.write(target, formats, force=force)
    if not quiet:
        _print_summary(result.plan, target, time.perf_counter() - t0)
        if result.previous is not None:
            _print_changes(result.previous, result.plan, result.changes())


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _print_summary(plan: Any, target: str, seconds: float) -> None:
    from planner.views.kpi_path import kpi_line
    from planner.views.summary import summary

    console = _console()
    run = plan.run
    headline = f"[bold]{plan.scenario.name}[/]: {run.status}"
    if run.status != "optimal" and run.gap is not None:
        headline += f" (gap {run.gap:.2%} to the bound {run.bound:,.4g})"
    if run.interrupted:
        headline += " [yellow]- interrupted, best plan so far[/]"
    console.print(headline + f" in {seconds:.1f} s")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("initiative", "start", "finish", "score", "reason if left out"):
        table.add_column(col, overflow="fold")
    chosen = sorted((r for r in plan.initiatives if r.selected), key=lambda r: (r.start, r.id))
    left = [r for r in plan.initiatives if not r.selected]
    for r in chosen + left:
        table.add_row(escape(r.id), r.start or "", r.finish or "", f"{r.strategic_score:.2f}",
                      escape(r.reason), style=None if r.selected else "dim")
    console.print(table)
    rows = summary(plan)
    keep = ("initiatives_chosen", "strategic_score", "value", "incremental_spend", "budget",
            "rtb_short_must", "rtb_short_high", "rtb_short_normal", "external_hours")
    facts_table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_header=False)
    facts_table.add_column("metric")
    facts_table.add_column("value", justify="right")
    for r in rows.itertuples(index=False):
        if r.metric in keep or str(r.metric).startswith("utilisation["):
            facts_table.add_row(escape(str(r.metric)), _fmt(r.value))
    console.print(facts_table)
    console.print(escape(kpi_line(plan)))
    if run.greedy_objective is not None and run.greedy_objective > 0:
        console.print(f"objective {run.objective:,.4g} = {run.objective / run.greedy_objective:.2f}"
                      " x the greedy rank-and-cut baseline")
    console.print(f"plan written to {target}/")


def _print_changes(base: Any, plan: Any, changes: Any) -> None:
    from planner.analysis.compare import changed_assignments, people_changes

    console = _console()
    if changes.empty:
        console.print("against the baseline: every initiative kept at its start")
    else:
        table = Table(title="Changes against the baseline", box=box.SIMPLE_HEAD, pad_edge=False,
                      title_justify="left")
        for col in ("initiative", "change", "was", "now", "why"):
            table.add_column(col, overflow="fold")
        for r in changes.itertuples(index=False):
            table.add_row(escape(r.initiative), r.change, r.base_start, r.start, escape(r.reason))
        console.print(table)
    people = people_changes({"baseline": base, "plan": plan})
    console.print(f"assignments changed: {changed_assignments(base, plan)} rows, "
                  f"{len(people)} people, {people['changed_hours'].sum():,.1f} hours moved")

