"""Command line: read, call the library, write. No planning logic lives here."""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import time
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.scenario import Scenario
from planner.errors import InfeasibleError, Issue, PlannerError, SolveError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INFEASIBLE, EXIT_BUG = 0, 1, 2, 3, 4
EXIT_NO_PLAN = 5

HELP = """Plan a year of operations: choose, schedule and staff change initiatives
next to the run-the-business (RTB) work, with an exact optimiser.

A scenario is one YAML file (plus CSV files it may name) with the strategy,
units, staff, RTB workload, initiatives, outside capacity and policy.

\b
Typical workflow:
  planner validate scenario.yaml           check the input, see the squeeze
  planner solve scenario.yaml --out plan/  choose and schedule initiatives
  planner check scenario.yaml plan/        verify the plan independently
  planner export plan/ ...                 write the views (CSV, XLSX, ...)

\b
Exit codes:
  0  success
  1  invalid input (every error is listed with file, item, field and line)
  2  usage error (wrong command or option)
  3  infeasible: the mandatory work cannot fit (the shortfall is explained)
  4  internal error (a bug: please report it, with --debug output)
  5  no plan: the solver stopped (time limit, Ctrl-C) before finding any plan
"""


def _console(stderr: bool = False) -> Console:
    # created per call so that redirected streams (tests, pipes) are honoured
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_issues(issues: list[Issue], stderr: bool = True) -> None:
    """Print located issues, one per line, errors in red and warnings in yellow."""
    console = _console(stderr)
    for issue in issues:
        style = "red" if issue.is_error else "yellow"
        console.print(str(issue), style=style, markup=False, soft_wrap=True)


class PlannerGroup(click.Group):
    """A click group that turns library errors into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map PlannerError to exit 1, InfeasibleError to 3, bugs to 4."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except InfeasibleError as exc:
            if _debug(ctx):
                raise
            console = _console(stderr=True)
            console.print(f"infeasible: {exc}", style="red", markup=False, soft_wrap=True)
            diagnosis = exc.diagnosis
            # a rich renderable (table, ...) or a text other than the message is shown too
            if hasattr(diagnosis, "__rich_console__") or hasattr(diagnosis, "__rich__"):
                console.print(diagnosis)
            elif isinstance(diagnosis, str) and diagnosis.strip() != str(exc).strip():
                console.print(diagnosis, markup=False, soft_wrap=True)
            ctx.exit(EXIT_INFEASIBLE)
        except SolveError as exc:
            if _debug(ctx):
                raise
            _console(True).print(f"no plan: {exc}", style="red", markup=False, soft_wrap=True)
            ctx.exit(EXIT_NO_PLAN)
        except PlannerError as exc:
            if _debug(ctx):
                raise
            issues = getattr(exc, "issues", None)
            if issues:
                n = len(issues)
                _console(True).print(f"error: the scenario is invalid ({n} "
                                     f"error{'s' if n != 1 else ''})", style="bold red")
                print_issues(issues)
            else:
                _console(True).print(f"error: {exc}", style="red", markup=False, soft_wrap=True)
            ctx.exit(EXIT_INVALID)
        except KeyboardInterrupt:
            _console(True).print("interrupted", style="red")
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - never show a traceback by default
            if _debug(ctx):
                raise
            _console(True).print(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in planner. Run again with --debug for the traceback "
                "and please report it.", style="red", markup=False, soft_wrap=True,
            )
            ctx.exit(EXIT_BUG)


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug")) or bool(os.environ.get("PLANNER_DEBUG"))


@click.group(cls=PlannerGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.version_option(package_name="planner")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Entry point of the ``planner`` command."""
    ctx.obj = {"debug": debug}


SET_HELP = ("Override a value before validation, e.g. --set policy.budget=800000 or "
            "--set initiatives.crm.mandatory=true (list items by id). Repeatable.")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=str))
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
def validate(scenario: str, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO and show a summary with capacity versus demand.

    Exits 0 when the scenario is valid (warnings are shown), 1 otherwise with
    every error on stderr.
    """
    from planner.load import read_scenario
    from planner.validate import capacity_table

    loaded = read_scenario(scenario, overrides)
    s = loaded.scenario
    console = _console()
    console.print(f"[bold green]valid[/]: {escape(scenario)} ({escape(s.name)})")
    counts = [
        ("periods", s.horizon.periods), ("objectives", len(s.strategy.objectives)),
        ("KPIs", len(s.strategy.kpis)), ("units", len(s.units)), ("staff", len(s.staff)),
        ("RTB lines", len(s.run_the_business)), ("initiatives", len(s.initiatives)),
        ("mandatory", sum(i.mandatory for i in s.initiatives)),
        ("external", len(s.external)),
    ]
    console.print(", ".join(f"{n} {what}" for what, n in counts))
    if loaded.warnings:
        console.print(f"[yellow]{len(loaded.warnings)} warning(s):[/]")
        print_issues(loaded.warnings, stderr=False)
    _print_capacity(console, capacity_table(s))


def _hours(x: float) -> str:
    return f"{x:,.0f}"


def _print_capacity(console: Console, df: Any) -> None:
    if df.empty:
        console.print("no capacity or demand to compare")
        return
    table = Table(title="Capacity vs demand over the horizon, in hours",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("unit", overflow="fold")
    table.add_column("skill", overflow="fold")
    for col in ("capacity", "RTB\nmust", "RTB\nhigh", "RTB\nnormal", "change", "load"):
        width = max(len(part) for part in col.split("\n"))
        table.add_column(col, justify="right", no_wrap=True, min_width=width)
    for r in df.itertuples(index=False):
        ratio = "no capacity" if math.isinf(r.ratio) else f"{r.ratio:.0%}"
        style = "red" if r.ratio > 1 else ("yellow" if r.ratio > 0.85 else None)
        capacity = _hours(r.capacity) + ("*" if r.shared else "")
        table.add_row(escape(r.unit), escape(r.skill), capacity,
                      _hours(r.rtb_must), _hours(r.rtb_high), _hours(r.rtb_normal),
                      _hours(r.change), ratio, style=style)
    console.print(table)
    console.print(
        "capacity = hours_per_fte x fte x availability x max_utilisation, summed over the "
        "periods; proficiency is ignored. * a person with several skills is counted in full "
        "under each of them, so these rows overstate capacity. 'change' is the effort of all "
        "initiatives, chosen or not. load = (RTB + change) / capacity: over 100% means "
        "not everything can be done.",
        style="dim",
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of a scenario (for editors and other tools)."""
    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))


# ---------------------------------------------------------------------------------------
# Commands added by the lead: solve, check, export.
# Keep them thin: parse options, call planner.solve / planner.check / planner.export,
# print. Raise PlannerError subclasses (ScenarioError, InfeasibleError, SolveError) for
# user-facing failures; PlannerGroup turns them into messages and exit codes 1 / 3.
# ---------------------------------------------------------------------------------------


FORMAT_CHOICES = click.Choice(["csv", "xlsx", "json"])


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder to write the plan into [default: <scenario name>-plan].")
@click.option("--solver", "backend", type=click.Choice(["highs", "cbc", "scip"]), default=None,
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
@click.option("--strategy", type=click.Choice(["optimal", "greedy"]), default="optimal",
              help="'greedy' runs the rank-and-cut baseline planners use today.")
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
@click.option("--report", "with_report", is_flag=True,
              help="Also write report.html into the plan folder: the plan as pictures "
                   "(roadmap, KPI paths, capacity, unit and person pages, finance), one file "
                   "that opens offline.")
def solve(
    scenario: str, out: str | None, backend: str | None, time_limit: float | None,
    gap: float | None, seed: int | None, strategy: str, formats: tuple[str, ...],
    overrides: tuple[str, ...], force: bool, quiet: bool, baseline_dir: str | None = None,
    threads: int | None = None, with_report: bool = False,
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
    from planner.export import OutputExistsError, write_plan
    from planner.load import read_scenario
    from planner.solve import Settings
    from planner.solve import solve as run_solve

    target = out or f"{os.path.splitext(os.path.basename(scenario))[0]}-plan"
    if os.path.exists(target) and not force:
        raise OutputExistsError(f"output folder '{target}' already exists (use --force)")
    loaded = read_scenario(scenario, overrides=list(overrides))
    base_plan = None
    if baseline_dir is not None:
        from planner.export import read_plan

        base_plan = read_plan(baseline_dir)
    err = _console(stderr=True)
    if loaded.warnings and not quiet:
        err.print(f"[yellow]{len(loaded.warnings)} warning(s)[/] (see planner validate)")
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

    previous = signal.signal(signal.SIGINT, on_sigint) if _main_thread() else None
    try:
        if status is not None:
            status.start()
        settings = Settings(backend=backend, time_limit=time_limit, gap=gap, seed=seed,
                            threads=threads, strategy=strategy, progress=progress,
                            baseline=base_plan)
        plan = run_solve(loaded.scenario, settings)
    finally:
        if status is not None:
            status.stop()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    plan.overrides = list(overrides)
    plan.warnings = [str(w) for w in loaded.warnings]
    if stop["flag"]:
        plan.run.interrupted = True
        plan.run.message = "interrupted by the user: best plan found so far"
    extra: dict[str, str] = {}
    if base_plan is not None:
        from planner.compare import baseline_changes
        from planner.export import frame_to_csv

        changes = baseline_changes(base_plan, plan)
        extra["changes.csv"] = frame_to_csv(changes)
    if with_report:
        from planner.report import REPORT_HTML, report_html

        try:
            extra[REPORT_HTML] = report_html(plan)
        except Exception as exc:  # noqa: BLE001 - a report bug must not lose the plan
            if _debug(click.get_current_context()):
                raise
            _console(True).print(f"report.html not written ({type(exc).__name__}: {exc}); "
                                 f"the plan is. Try: planner --debug report {target}",
                                 style="yellow", markup=False, soft_wrap=True)
    write_plan(plan, target, formats or ("csv",), force=force, extra_files=extra)
    if not quiet:
        _print_summary(plan, target, time.perf_counter() - t0)
        if base_plan is not None:
            _print_changes(base_plan, plan, changes)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _print_summary(plan: Any, target: str, seconds: float) -> None:
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
    if run.greedy_objective is not None and run.greedy_objective > 0:
        console.print(f"objective {run.objective:,.4g} = {run.objective / run.greedy_objective:.2f}"
                      " x the greedy rank-and-cut baseline")
    console.print(f"plan written to {target}/")


def _print_changes(base: Any, plan: Any, changes: Any) -> None:
    from planner.compare import changed_assignments, people_changes

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


def _sweep_cell(col: str, v: Any) -> str:
    if isinstance(v, float) and not math.isnan(v) and col in ("budget", "value", "spend"):
        return f"{v:,.0f}"
    if isinstance(v, float) and col == "added_fte":
        return f"+{v:g}"
    return _fmt(v)


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan_dir", type=click.Path(file_okay=False))
def check(scenario: str, plan_dir: str) -> None:
    """Verify a written plan against its scenario, without the solver.

    Re-reads portfolio.csv and assignments.csv and checks every hard rule:
    mandatory and pinned initiatives, windows, dependencies, exclusivity,
    full staffing of every effort line, person capacity and change share,
    borrowing, must-RTB cover, contractor limits and budgets. Overrides the
    plan was made with (plan.json) are applied to the scenario first.
    Exit 0 when the plan holds, 1 with the violations listed otherwise.
    """
    from planner.check import check_plan
    from planner.load import load_scenario

    overrides: list[str] = []
    meta = os.path.join(plan_dir, "plan.json")
    if os.path.isfile(meta):
        try:
            with open(meta, encoding="utf-8") as f:
                overrides = list(json.load(f).get("overrides", []))
        except (OSError, ValueError):
            overrides = []
    sc = load_scenario(scenario, overrides=overrides)
    report = check_plan(sc, plan_dir)
    click.echo(report.to_text())
    if not report.ok:
        raise click.exceptions.Exit(EXIT_INVALID)


@main.command(name="export")
@click.argument("plan_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--format", "formats", type=FORMAT_CHOICES, multiple=True, required=True,
              help="csv, xlsx or json; repeatable.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write into this folder instead of rewriting PLAN_DIR.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def export_cmd(plan_dir: str, formats: tuple[str, ...], out: str | None, force: bool) -> None:
    """Regenerate the plan's views from its plan.json (CSV, Excel or JSON)."""
    from planner.export import export

    folder = export(plan_dir, formats, out=out, force=force)
    click.echo(f"views written to {folder}/")


# ---------------------------------------------------------------------------------------
# Issue 5: compare and frontier (logic in planner/compare.py and planner/frontier.py).
# ---------------------------------------------------------------------------------------


@main.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write headline.csv, initiatives.csv, units.csv, people.csv here.")
@click.option("--view", "views", multiple=True, metavar="NAME",
              help="Also stack this plan view (e.g. workload, finance) under a scenario "
                   "column and write it as <NAME>.csv with --out; repeatable.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds per solve for scenario files [default: 60].")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="People shown per scenario in the terminal.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None,
              help="Also write the comparison as one HTML file (side-by-side headline, "
                   "what moved, units, people) that opens offline.")
def compare(inputs: tuple[str, ...], out: str | None, views: tuple[str, ...],
            time_limit: float | None, top: int, report_file: str | None = None) -> None:
    """Compare plans: the first input is the base, every other is compared with it.

    Each INPUT is a plan folder, or a scenario file that is solved on the fly.
    Shows headline deltas (score, value, spend against budget, RTB shortfall,
    external hours, utilisation per unit), initiatives added, dropped and moved,
    per unit the change in capacity, change hours and shortfall, and the people
    whose plans changed most.
    """
    from planner.compare import compare_plans, load_plan, renderables, scenario_names, stack
    from planner.solve import Settings
    from planner.views import VIEWS

    if len(inputs) < 2:
        raise click.UsageError("give at least two scenario files or plan folders")
    for v in views:
        if v not in VIEWS:
            raise click.BadParameter(f"unknown view '{v}' (one of {', '.join(VIEWS)})",
                                     param_hint="--view")
    plans = {n: load_plan(p, Settings(time_limit=time_limit))
             for n, p in zip(scenario_names(inputs), inputs, strict=True)}
    tables = compare_plans(plans)
    console = _console()
    for r in renderables(tables, top=top):
        console.print(r)
    if out is not None:
        from planner.compare import write_tables

        extra = {v: stack(plans, v).reset_index(level="row", drop=True).reset_index()
                 for v in views}
        write_tables({**tables, **extra}, out)
        console.print(f"comparison written to {out}/")
    if report_file is not None:
        from planner.report import compare_report, write_report

        write_report(compare_report(plans), report_file)
        console.print(f"report written to {report_file}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--budget", "budget_spec", default=None, metavar="START:STOP:STEPS",
              help="Budgets to sweep: STEPS equal steps from START to STOP "
                   "(0:2000000:10 = 11 points), or a list 500000,750000.")
@click.option("--capacity", "capacity_spec", default=None, metavar="UNIT/SKILL:+A:+B",
              help="Also sweep extra FTE of SKILL in UNIT (synthetic people), e.g. "
                   "it/engineer:+0:+5 (step 1, or :STEP).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for frontier.csv and frontier.png [default: <scenario>-frontier].")
@click.option("--plans", "write_plans", is_flag=True,
              help="Also write each point's plan folder (point-000, ...) into --out.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Parallel solver processes.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds per point [default: policy.solver, else 60].")
@click.option("--gap", type=click.FloatRange(0, 1), default=None, help="Relative gap per point.")
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE",
              help="Override a scenario field (as in solve); repeatable.")
@click.option("--report", "with_report", is_flag=True,
              help="Also write report.html into --out: value against budget with readable "
                   "money axes and the chosen initiatives at every point.")
def frontier(scenario: str, budget_spec: str | None, capacity_spec: str | None,
             out: str | None, write_plans: bool, workers: int, time_limit: float | None,
             gap: float | None, overrides: tuple[str, ...], with_report: bool = False) -> None:
    """Efficient frontier: solve a sweep of budgets (and headcount), report value against it.

    Writes frontier.csv (one row per point: budget, added FTE, objective,
    strategic score, value, spend, the initiatives that enter and leave from
    the previous point) and frontier.png. The reported objective never falls as
    budget or capacity rise (a dominated point's better plan is kept).
    """
    from planner.frontier import parse_budgets, parse_capacity, sweep, write_frontier
    from planner.load import load_scenario

    if budget_spec is None and capacity_spec is None:
        raise click.UsageError("give --budget and/or --capacity")
    try:
        budgets = parse_budgets(budget_spec) if budget_spec else None
        capacity = parse_capacity(capacity_spec) if capacity_spec else None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    sc = load_scenario(scenario, overrides=list(overrides))
    settings = {"time_limit": time_limit, "gap": gap}
    try:
        with _console(stderr=True).status("solving the sweep..."):
            table, plans = sweep(sc, budgets, capacity, settings=settings, workers=workers,
                                 overrides=list(overrides))
    except ValueError as exc:  # e.g. --capacity names an unknown unit
        raise click.UsageError(str(exc)) from None
    target = out or f"{os.path.splitext(os.path.basename(scenario))[0]}-frontier"
    write_frontier(table, plans, target, write_plans=write_plans)
    if with_report:
        from planner.report import REPORT_HTML, frontier_report, write_report

        write_report(frontier_report(table, plans), os.path.join(target, REPORT_HTML))
    t = Table(title="Efficient frontier", box=box.SIMPLE_HEAD, pad_edge=False,
              title_justify="left")
    cols = ["budget", "added_fte", "status", "objective", "strategic_score", "value", "spend",
            "entered", "left", "note"]
    if capacity is None:
        cols.remove("added_fte")
    if budgets is None:
        cols.remove("budget")
    text = ("status", "entered", "left", "note")
    for c in cols:
        t.add_column(c.replace("strategic_", "").replace("_", " "), overflow="fold",
                     justify="left" if c in text else "right", no_wrap=c not in text)
    for r in table.itertuples(index=False):
        t.add_row(*(escape(_sweep_cell(c, getattr(r, c))) for c in cols))
    console = _console()
    console.print(t)
    written = "frontier.csv, frontier.png" + (", report.html" if with_report else "")
    console.print(f"frontier written to {target}/ ({written})")


# ---------------------------------------------------------------------------------------
# Issue 12: the HTML report (logic in planner/report/).
# ---------------------------------------------------------------------------------------


@main.command()
@click.argument("plan_dir", type=click.Path(exists=True))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="HTML file to write [default: PLAN_DIR/report.html].")
def report(plan_dir: str, out: str | None) -> None:
    """Write the HTML report of a plan, rebuilt from its plan.json.

    One self-contained file that opens offline: headline (status, bound and
    gap in words, KPI targets met or missed, spend against budget, RTB
    shortfall, warnings), roadmap, KPI paths, capacity heatmap and load per
    unit, conflicts, one section per unit, a page per person (find by name or
    id, or open report.html#person-ID) and finance.
    """
    from planner.export import read_plan
    from planner.report import REPORT_HTML, report_html, write_report

    plan = read_plan(plan_dir)
    folder = plan_dir if os.path.isdir(plan_dir) else os.path.dirname(plan_dir)
    path = write_report(report_html(plan), out or os.path.join(folder, REPORT_HTML))
    click.echo(f"report written to {path}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
