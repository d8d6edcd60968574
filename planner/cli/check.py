"""``planner check``: verify a written plan against its scenario, without the solver."""

from __future__ import annotations

import click

from planner.cli.app import EXIT_INVALID, main


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
    from planner.api import check as check_plan

    report = check_plan(scenario, plan_dir)
    click.echo(report.to_text())
    if not report.ok:
        raise click.exceptions.Exit(EXIT_INVALID)
