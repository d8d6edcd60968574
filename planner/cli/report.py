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
def report(plan_dir: str, out: str | None) -> None:
    """Write the HTML report of a plan, rebuilt from its plan.json.

    One self-contained file that opens offline: headline (status, bound and
    gap in words, KPI targets met or missed, spend against budget, RTB
    shortfall, warnings), roadmap, KPI paths, capacity heatmap and load per
    unit, conflicts, one section per unit, a page per person (find by name or
    id, or open report.html#person-ID) and finance.
    """
    from planner.io.export import read_plan
    from planner.report import REPORT_HTML, report_html, write_report

    plan = read_plan(plan_dir)
    folder = plan_dir if os.path.isdir(plan_dir) else os.path.dirname(plan_dir)
    path = write_report(report_html(plan), out or os.path.join(folder, REPORT_HTML))
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
