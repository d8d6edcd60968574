"""``planner check``: verify a written plan against its scenario, without the solver."""

from __future__ import annotations

import click

from planner.cli.app import EXIT_INVALID, main
from planner.cli.options import read_options
from planner.io.files import ReadOptions


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan_dir", type=click.Path(file_okay=False))
@click.option("--baseline", type=click.Path(file_okay=False, exists=True), default=None,
              help="Re-planned as of a period: also check the past against this baseline "
              "plan folder (default: the rows the plan recorded).")
@click.option("--actuals", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Re-planned as of a period: also check the past against this actuals "
              "file (default: the rows the plan recorded).")
@read_options
def check(scenario: str, plan_dir: str, baseline: str | None = None,
          actuals: str | None = None, read_options: ReadOptions | None = None) -> None:
    """Verify a written plan against its scenario, without the solver.

    Re-reads portfolio.csv and assignments.csv and checks every hard rule:
    mandatory and pinned initiatives, windows, dependencies, exclusivity,
    full staffing of every effort line, person capacity and change share,
    borrowing, must-RTB cover, contractor limits and budgets. Reads plan.json:
    it must parse, hold a known status and the plan the CSV files show, and
    its objective must equal the objective recomputed from the written plan.
    Every view file present (workload, unit and individual plans, summary,
    finance, kpi_path) must agree with the assignments. Overrides the plan was
    made with (plan.json) are applied to the scenario first.
    A plan re-planned as of a period (--as-of) is checked by the as-of rules: its
    past equals the actuals, else the baseline; started initiatives keep their
    start; the remaining effort is staffed.
    Exit 0 when the plan holds, 1 with the violations listed otherwise.
    """
    from planner.api import check as check_plan

    report = check_plan(scenario, plan_dir, baseline=baseline, actuals=actuals,
                        read_options=read_options)
    click.echo(report.to_text())
    if not report.ok:
        raise click.exceptions.Exit(EXIT_INVALID)
