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
from planner.errors import InfeasibleError, Issue, PlannerError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INFEASIBLE, EXIT_BUG = 0, 1, 2, 3, 4

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
              help="Seconds before the best plan so far is taken [default: 60].")
@click.option("--gap", type=click.FloatRange(0, 1), default=None,
              help="Stop when within this relative gap of the bound, e.g. 0.01 [default: proof].")
@click.option("--seed", type=click.IntRange(0), default=None, help="Solver random seed.")
@click.option("--strategy", type=click.Choice(["optimal", "greedy"]), default="optimal",
              help="'greedy' runs the rank-and-cut baseline planners use today.")
@click.option("--format", "formats", type=FORMAT_CHOICES, multiple=True,
              help="Also write views as csv (default), xlsx or json; repeatable.")
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE",
              help="Override a scenario field, e.g. --set policy.budget=800000 "
                   "--set initiatives.crm.mandatory=true; repeatable.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def solve(
    scenario: str, out: str | None, backend: str | None, time_limit: float | None,
    gap: float | None, seed: int | None, strategy: str, formats: tuple[str, ...],
    overrides: tuple[str, ...], force: bool, quiet: bool,
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
                            strategy=strategy, progress=progress)
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
    write_plan(plan, target, formats or ("csv",), force=force)
    if not quiet:
        _print_summary(plan, target, time.perf_counter() - t0)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
