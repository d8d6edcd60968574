"""``planner report``: the HTML report of a plan, and the report file of ``solve --report``."""

from __future__ import annotations

import os
from typing import Any

import click

from planner.cli.app import _debug, main
from planner.cli.render import console


@main.command()
@click.argument("plan_dir", type=click.Path(exists=True))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="HTML file to write [default: PLAN_DIR/report.html].")
@click.option("--risk", "risk_dir", type=click.Path(file_okay=False, exists=True),
              default=None, help="Add a risk section from this `planner risk` folder.")
def report(plan_dir: str, out: str | None, risk_dir: str | None = None) -> None:
    """Write the HTML report of a plan, rebuilt from its plan.json.

    One self-contained file that opens offline: headline (status, bound and
    gap in words, KPI targets met or missed, spend against budget, RTB
    shortfall, warnings), roadmap, KPI paths, capacity heatmap and load per
    unit, conflicts, one section per unit, a page per person (find by name or
    id, or open report.html#person-ID) and finance; with --risk, the risk of
    the plan (`planner risk` writes the folder).
    """
    from planner.io.export import read_plan
    from planner.io.guard import plan_inputs
    from planner.report import REPORT_HTML, report_html, write_report

    plan = read_plan(plan_dir)
    folder = plan_dir if os.path.isdir(plan_dir) else os.path.dirname(plan_dir)
    risk = robust = None
    if risk_dir is not None:
        import pandas as pd

        from planner.report.risk import read_risk_tables

        try:
            risk = read_risk_tables(risk_dir)
        except FileNotFoundError as exc:
            raise click.UsageError(str(exc)) from None
        cost = os.path.join(folder, "robust.csv")  # a robust plan: what it cost
        robust = pd.read_csv(cost, encoding="utf-8-sig") if os.path.isfile(cost) else None
    path = write_report(report_html(plan, risk, robust), out or os.path.join(folder, REPORT_HTML),
                        inputs=plan_inputs(plan_dir, but=(REPORT_HTML,)) + (
                            plan_inputs(risk_dir) if risk_dir is not None else []))
    click.echo(f"report written to {path}")


def report_files(plan: Any, target: str) -> dict[str, str]:
    """``{"report.html": html}`` for ``planner solve --report``; empty when building it fails.

    A bug in the report must not lose a solve that may have taken an hour: the
    failure is printed and the plan folder is written without the report.
    """
    from planner.report import REPORT_HTML, report_html

    try:
        return {REPORT_HTML: report_html(plan)}
    except Exception as exc:  # noqa: BLE001
        if _debug(click.get_current_context()):
            raise
        console(True).print(f"report.html not written ({type(exc).__name__}: {exc}); the plan "
                            f"is. Try: planner --debug report {target}", style="yellow",
                            markup=False, soft_wrap=True)
        return {}
