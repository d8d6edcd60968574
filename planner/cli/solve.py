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
from planner.cli.options import read_options
from planner.cli.render import console as _console
from planner.cli.render import fit_words, label, print_issues
from planner.cli.render import fmt as _fmt
from planner.cli.sweep import dask_options
from planner.io.files import ReadOptions

#: warnings shown before solving (the rest are counted; planner validate shows them all)
SHOW_WARNINGS = 5
#: plans with more initiatives than this get a short summary on screen (TOP of each kind)
LONG_PLAN = 25
TOP = 5

FORMAT_CHOICES = click.Choice(["csv", "xlsx", "json"])
ENCODING_OPTION = click.option(
    "--csv-encoding", type=click.Choice(["utf-8", "utf-8-sig"]), default="utf-8",
    show_default=True,
    help="utf-8-sig adds a byte-order mark so that Excel on Windows shows accents right.")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder to write the plan into [default: <scenario name>-plan].")
@click.option("--solver", "backend", type=click.Choice(BACKENDS), default=None,
              help="Solver backend [default: policy.solver.backend, else highs].")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds for the whole command, from reading the scenario to the "
                   "written plan; the best plan found in time is taken [default: "
                   "policy.solver.time_limit, else 60].")
@click.option("--gap", type=click.FloatRange(0, 1), default=None,
              help="Stop when within this relative gap of the bound, e.g. 0.01 [default: proof].")
@click.option("--seed", type=click.IntRange(0), default=None, help="Solver random seed.")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="1 keeps the solve on one core; by default, with two or more cores, "
                   "the MIP solver runs in a second process beside the neighbourhood "
                   "search (or CP-SAT on two threads, on a scheduling problem) "
                   "[default: policy.solver.threads, else all cores].")
@click.option("--strategy", type=click.Choice(["optimal", "greedy"]),
              default="optimal",
              help="'greedy' runs the rank-and-cut baseline planners use today; 'optimal' "
                   "optimises with HiGHS or CP-SAT, chosen by the model's shape.")
@click.option("--format", "formats", type=FORMAT_CHOICES, multiple=True,
              help="Also write every view as xlsx (one workbook) or json, besides the CSV "
                   "files that are always written; repeatable.")
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE",
              help="Override a scenario field, e.g. --set policy.budget=800000 "
                   "--set initiatives.crm.mandatory=true; repeatable.")
@ENCODING_OPTION
@click.option("--force", is_flag=True, help="Replace the output folder if it exists; with "
              "--baseline, also accept a baseline plan of another organisation (people or "
              "initiatives less than half in common).")
@click.option("--only", "only", type=click.Choice(["approved"]), default=None,
              help="'approved': plan only from approved and committed initiatives (the "
                   "others are left out as 'not approved'); the same as "
                   "--set policy.plan_from=approved.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--baseline", "baseline_dir", type=click.Path(file_okay=False, exists=True),
              default=None, help="An earlier plan folder to stay close to: dropping or moving "
              "its initiatives and changing assignments is penalised (weights: "
              "policy.stability); the changes are listed and written to changes.csv.")
@click.option("--report", "with_report", is_flag=True,
              help="Also write report.html into the plan folder: the plan as pictures "
                   "(roadmap, KPI paths, capacity, unit and person pages, finance), one file "
                   "that opens offline.")
@click.option("--as-of", "as_of", metavar="PERIOD", default=None,
              help="Re-plan as of this period (needs --baseline): earlier periods stay as "
              "they were (--actuals, else the baseline), started initiatives keep their "
              "start and only their remaining effort is planned.")
@click.option("--actuals", type=click.Path(dir_okay=False, exists=True), default=None,
              help="CSV of the hours worked before --as-of (the columns of assignments.csv).")
@click.option("--progress", "progress_csv", type=click.Path(dir_okay=False, exists=True),
              default=None, help="CSV of the remaining hours of started initiatives "
              "(initiative, unit, skill, remaining_hours); may move their finish.")
@read_options
@click.option("--robust", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=None, metavar="LEVEL",
              help="A plan whose chosen initiatives finish by their deadlines (and whose "
                   "budget holds) in at least LEVEL of the samples of the scenario's "
                   "uncertainty: section, e.g. 0.9; writes robust.csv (what it cost). "
                   "--time-limit then bounds each of its solves.")
@click.option("--robust-samples", type=click.IntRange(10), default=500, show_default=True,
              help="Calibration samples of --robust (the verdict uses 1000 fresh ones).")
@dask_options(1, "the simulations of --robust")
def solve(
    scenario: str, out: str | None, backend: str | None, time_limit: float | None,
    gap: float | None, seed: int | None, strategy: str, formats: tuple[str, ...],
    overrides: tuple[str, ...], force: bool, quiet: bool, baseline_dir: str | None = None,
    threads: int | None = None, only: str | None = None, with_report: bool = False,
    as_of: str | None = None, actuals: str | None = None, progress_csv: str | None = None,
    read_options: ReadOptions | None = None,
    csv_encoding: str = "utf-8", robust: float | None = None, robust_samples: int = 500,
    workers: int = 1, scheduler: str | None = None,
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
    from planner.io.export import OutputExistsError, reserved
    from planner.io.load import read_scenario
    from planner.solving.clock import Clock

    clock = Clock.from_process_start()  # --time-limit counts from the start of the process
    if only == "approved":  # recorded with the overrides, so `planner check` sees it too
        overrides = (*overrides, "policy.plan_from=approved")
    target = out or f"{os.path.splitext(os.path.basename(scenario))[0]}-plan"
    if os.path.exists(target) and not force:
        raise OutputExistsError(f"output folder '{target}' already exists (use --force)")
    loaded = read_scenario(scenario, overrides=list(overrides), options=read_options)
    clock.mark("load")
    err = _console(stderr=True)
    if loaded.warnings and not quiet:
        n = len(loaded.warnings)
        err.print(f"[yellow]{n} warning{'s' if n != 1 else ''}:[/]")
        print_issues(loaded.warnings[:SHOW_WARNINGS])
        if n > SHOW_WARNINGS:
            err.print(f"[yellow]... and {n - SHOW_WARNINGS} more (planner validate lists "
                      "them all)[/]")
    inputs = list(loaded.inputs) + api.run_inputs(baseline_dir, actuals, progress_csv)
    with reserved(target, inputs, force=force):
        if robust is not None:
            _robust(loaded, robust, target, {**locals(), "inputs": inputs})
            return
        _solve_and_write(api, loaded, target, formats, force, quiet, err, with_report,
                         csv_encoding, dict(
            baseline=baseline_dir, backend=backend, time_limit=time_limit, gap=gap, seed=seed,
            threads=threads, strategy=strategy, as_of=as_of, actuals=actuals,
            remaining=progress_csv, read_options=read_options, force_baseline=force,
            clock=clock))


def _solve_and_write(api: Any, loaded: Any, target: str, formats: tuple[str, ...], force: bool,
                     quiet: bool, err: Any, with_report: bool, csv_encoding: str,
                     options: dict[str, Any]) -> None:
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
        result = api.solve(loaded, progress=progress, **options)
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
    extra: dict[str, str] = {}
    if with_report:
        from planner.cli.report import report_files

        extra = report_files(result.plan, target)
    result.write(target, formats, force=force, extra_files=extra, csv_encoding=csv_encoding)
    if not quiet:
        _print_summary(result.plan, target, time.perf_counter() - t0)
        if result.previous is not None:
            _print_changes(result.previous, result.plan, result.changes())
        if result.plan.replan is not None:
            _print_as_of(result.plan)


def _robust(loaded: Any, level: float, target: str, opt: dict[str, Any]) -> None:
    """``--robust``: the robust plan (planner.analysis.robust), written and printed."""
    from planner.cli.robust import print_robust, solve_robust
    from planner.solving import Settings

    if opt["baseline_dir"] is not None or opt["as_of"] is not None:
        raise click.UsageError("--robust does not combine with --baseline or --as-of: "
                               "re-plan first, then judge the plan with planner risk")
    t0 = time.perf_counter()
    settings = Settings(backend=opt["backend"], time_limit=opt["time_limit"], gap=opt["gap"],
                        seed=opt["seed"], threads=opt["threads"], strategy=opt["strategy"])
    result = solve_robust(loaded, level, settings, target, samples=opt["robust_samples"],
                          workers=opt["workers"], scheduler=opt["scheduler"],
                          formats=opt["formats"], force=opt["force"],
                          with_report=opt["with_report"], csv_encoding=opt["csv_encoding"],
                          quiet=opt["quiet"], inputs=opt["inputs"])
    if not opt["quiet"]:
        _print_summary(result.plan, target, time.perf_counter() - t0)
        print_robust(result)


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
    chosen = sorted((r for r in plan.initiatives if r.selected), key=lambda r: (r.start, r.id))
    left = [r for r in plan.initiatives if not r.selected]
    short = len(plan.initiatives) > LONG_PLAN
    if short:
        # a large plan: the few that matter most; the full tables are in the files
        by_score = lambda r: (-r.strategic_score, r.id)  # noqa: E731
        console.print(f"{len(chosen)} of {len(plan.initiatives)} initiatives chosen; the "
                      f"{TOP} highest-scored of each kind below, all in "
                      f"{target}/portfolio.csv and change_plan.csv")
        chosen = sorted(chosen, key=by_score)[:TOP]
        left = sorted(left, key=by_score)[:TOP]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("initiative", "start", "finish", "score", "reason if left out"):
        table.add_column(col, no_wrap=col in ("start", "finish", "score"))
    for r in chosen + left:
        table.add_row(escape(label(r.name, r.id)), r.start or "", r.finish or "",
                      f"{r.strategic_score:.2f}", escape(r.reason),
                      style=None if r.selected else "dim")
    console.print(fit_words(table))
    rows = summary(plan)
    keep = ("initiatives_chosen", "strategic_score", "value", "incremental_spend", "budget",
            "rtb_short_must", "rtb_short_high", "rtb_short_normal", "external_hours",
            "max_utilisation")
    facts_table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_header=False)
    facts_table.add_column("metric")
    facts_table.add_column("value", justify="right")
    for r in rows.itertuples(index=False):
        if r.metric in keep or str(r.metric).startswith("utilisation["):
            facts_table.add_row(escape(str(r.metric)), _fmt(r.value))
    console.print(fit_words(facts_table))
    console.print(escape(kpi_line(plan)))
    if run.greedy_objective is not None and run.greedy_objective > 0:
        console.print(f"objective {run.objective:,.4g} = {run.objective / run.greedy_objective:.2f}"
                      " x the greedy rank-and-cut baseline")
    console.print(f"plan written to {target}/")


def _print_as_of(plan: Any) -> None:
    """Conflicts of a re-plan as of a period, and the rules the past breaks."""
    rp = plan.replan
    console = _console()
    console.print(f"as of {rp.as_of}: {len(rp.done)} done, {len(rp.in_flight)} in flight, "
                  f"{len(rp.stopped)} stopped; {rp.committed:,.0f} of budget spent or "
                  "committed before")
    for c in rp.conflicts:
        console.print(f"[yellow]conflict:[/] {escape(c)}")
    n = len(rp.past_exceptions)
    if n:
        console.print(f"[yellow]{n} rule break{'s' if n != 1 else ''} in the past[/] "
                      "(kept as they happened; past_exceptions.csv lists them)")


def _print_changes(base: Any, plan: Any, changes: Any) -> None:
    from planner.analysis.compare import changed_assignments, people_changes
    from planner.io.export import format_number

    console = _console()
    if changes.empty:
        console.print("against the baseline: every initiative kept at its start")
    else:
        table = Table(title="Changes against the baseline", box=box.SIMPLE_HEAD, pad_edge=False,
                      title_justify="left")
        cause = "cause" in changes.columns
        for col in ("cause",) * cause + ("initiative", "change", "was", "now", "why"):
            table.add_column(col)
        names = {r.id: r.name for r in plan.initiatives}

        def cell(x: Any) -> str:
            if isinstance(x, float):
                return "" if x != x else format_number(x)
            return "" if x is None else escape(str(x))

        for r in changes.to_dict("records"):
            was, now = cell(r["base_start"]), cell(r["start"])
            if cause and not (was or now):  # a finish or hours changed, not a start
                was = cell(r["base_finish"]) or cell(r["base_hours"])
                now = cell(r["finish"]) or cell(r["hours"])
            iid = str(r["initiative"])
            table.add_row(*([r["cause"]] if cause else []), escape(label(names.get(iid), iid)),
                          r["change"], was, now, cell(r["reason"]))
        console.print(fit_words(table))
    people = people_changes({"baseline": base, "plan": plan})
    console.print(f"assignments changed: {changed_assignments(base, plan)} rows, "
                  f"{len(people)} people, {people['changed_hours'].sum():,.1f} hours moved")

