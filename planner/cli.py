"""Command line: read, call the library, write. No planning logic lives here."""

from __future__ import annotations

import json
import math
import os
import sys
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
