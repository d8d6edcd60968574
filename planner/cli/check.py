"""``planner check``: verify a written plan against its scenario, without the solver."""

from __future__ import annotations

import click

from planner.cli.app import EXIT_INVALID, main


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan_dir", type=click.Path(file_okay=False))
@click.option("--baseline", type=click.Path(file_okay=False, exists=True), default=None,
              help="Re-planned as of a period: also check the past against this baseline "
              "plan folder (default: the rows the plan recorded).")
@click.option("--actuals", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Re-planned as of a period: also check the past against this actuals "
              "file (default: the rows the plan recorded).")
def check(scenario: str, plan_dir: str, baseline: str | None = None,
          actuals: str | None = None) -> None:
    """Verify a written plan against its scenario, without the solver.

    Re-reads portfolio.csv and assignments.csv and checks every hard rule:
    mandatory and pinned initiatives, windows, dependencies, exclusivity,
    full staffing of every effort line, person capacity and change share,
    borrowing, must-RTB cover, contractor limits and budgets. Overrides the
    plan was made with (plan.json) are applied to the scenario first.
    A plan re-planned as of a period (--as-of) is checked by the as-of rules: its
    past equals the actuals, else the baseline; started initiatives keep their
    start; the remaining effort is staffed.
    Exit 0 when the plan holds, 1 with the violations listed otherwise.
    """
    from planner.api import check as check_plan

    report = check_plan(scenario, plan_dir, baseline=baseline, actuals=actuals)
    click.echo(report.to_text())
    if not report.ok:
        raise click.exceptions.Exit(EXIT_INVALID)
