"""One self-contained HTML report per plan, comparison or frontier.

The report opens offline: plotly.js is inlined once, figures travel as JSON
and are drawn in the browser, and a person's page is built only when it is
opened, so the file of a 5,000-person plan stays small and quick to load.
Everything is rebuilt from a :class:`~models.plan.Plan` (``plan.json``).

>>> from planner.io.export import read_plan
>>> from planner.report import report_html, write_report
>>> write_report(report_html(read_plan("plan/")), "plan/report.html")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from models.plan import Plan
from planner.report.render import write_report

#: The report's file name in a plan folder (``planner solve --report``).
REPORT_HTML = "report.html"


def report_html(plan: Plan) -> str:
    """The HTML report of one plan: headline, roadmap, KPIs, capacity, units, people, finance."""
    from planner.report.build import plan_context
    from planner.report.render import render

    return render("plan.html.j2", plan_context(plan))


def compare_report(plans: Mapping[str, Plan]) -> str:
    """The HTML report of a comparison: the first plan is the base (as in ``planner compare``)."""
    from planner.report.compare import compare_context
    from planner.report.render import render

    return render("compare.html.j2", compare_context(plans))


def frontier_report(table: pd.DataFrame, plans: Sequence[Plan | None]) -> str:
    """The HTML report of a frontier sweep: :func:`planner.analysis.frontier.sweep`'s output."""
    from planner.report.frontier import frontier_context
    from planner.report.render import render

    return render("frontier.html.j2", frontier_context(table, plans))


__all__ = ["REPORT_HTML", "compare_report", "frontier_report", "report_html", "write_report"]
