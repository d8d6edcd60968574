"""The ``planner`` command group: exit codes, help, and library errors turned into messages."""

from __future__ import annotations

import os
from typing import Any

import click

from planner.cli.render import console, print_issues
from planner.errors import InfeasibleError, PlannerError, SolveError

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
  planner report plan/                     the plan as one HTML page (plan/report.html)
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
            show_infeasible(str(exc), exc.diagnosis)
            ctx.exit(EXIT_INFEASIBLE)
        except SolveError as exc:
            if _debug(ctx):
                raise
            console(True).print(f"no plan: {exc}", style="red", markup=False, soft_wrap=True)
            ctx.exit(EXIT_NO_PLAN)
        except PlannerError as exc:
            if _debug(ctx):
                raise
            issues = getattr(exc, "issues", None)
            if issues:
                n = len(issues)
                what = getattr(exc, "subject", "the scenario")
                console(True).print(f"error: {what} is invalid ({n} "
                                    f"error{'s' if n != 1 else ''})", style="bold red")
                print_issues(issues)
            else:
                console(True).print(f"error: {exc}", style="red", markup=False, soft_wrap=True)
            ctx.exit(EXIT_INVALID)
        except KeyboardInterrupt:
            console(True).print("interrupted", style="red")
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - never show a traceback by default
            if _debug(ctx):
                raise
            console(True).print(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in planner. Run again with --debug for the traceback "
                "and please report it.", style="red", markup=False, soft_wrap=True,
            )
            ctx.exit(EXIT_BUG)


def show_infeasible(message: str, diagnosis: object) -> None:
    """Print why a scenario is infeasible (and the diagnosis, when it adds to the message)."""
    err = console(stderr=True)
    err.print(f"infeasible: {message}", style="red", markup=False, soft_wrap=True)
    # a rich renderable (table, ...) or a text other than the message is shown too
    if hasattr(diagnosis, "__rich_console__") or hasattr(diagnosis, "__rich__"):
        err.print(diagnosis)
    elif isinstance(diagnosis, str) and diagnosis.strip() != message.strip():
        err.print(diagnosis, markup=False, soft_wrap=True)


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug")) or bool(os.environ.get("PLANNER_DEBUG"))


@click.group(cls=PlannerGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.version_option(package_name="planner")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Entry point of the ``planner`` command."""
    ctx.obj = {"debug": debug}

