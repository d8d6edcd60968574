"""``planner risk``: Monte Carlo risk of a written plan (how likely is it to hold?)."""

from __future__ import annotations

import math
import os
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.cli.app import main
from planner.cli.render import console as _console
from planner.cli.render import fit_words
from planner.cli.sweep import dask_options, progress_bar


@main.command()
@click.argument("plan_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--samples", type=click.IntRange(1, 10_000_000), default=1000, show_default=True,
              help="Samples of reality to carry the plan out in.")
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True,
              help="Seed of the samples (the same seed gives the same numbers wherever the "
                   "samples run).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the CSV files [default: <PLAN_DIR>-risk].")
@dask_options(1, "the samples")
@click.option("--uncertainty", "uncertainty_file", type=click.Path(dir_okay=False, exists=True),
              default=None, help="Take the uncertainty: section from this scenario file "
              "instead of the plan's scenario.")
@click.option("--report/--no-report", "with_report", default=None,
              help="Write PLAN_DIR/report.html with a risk section [default: when "
                   "PLAN_DIR/report.html exists, it is rewritten with the section].")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def risk(plan_dir: str, samples: int, seed: int, out: str | None, workers: int,
         scheduler: str | None, uncertainty_file: str | None, with_report: bool | None,
         quiet: bool) -> None:
    """Monte Carlo risk of a written plan: how likely is it to hold?

    \b
    Draws SAMPLES samples of reality from the scenario's uncertainty: section
    (effort spreads, duration slips, attrition, unplanned absence), carries the
    plan out in each (its choices and starts fixed; the work re-staffed by the
    recovery rule, so late work slips) and writes:
      initiatives.csv  per initiative: P(by its deadline), P(by its planned
                       finish), expected and 90% slip
      rtb.csv          per unit, skill and priority: P(shortfall), its size
      budget.csv       P(overrunning the total and unit budgets)
      kpis.csv         per KPI target: P(meeting it)
      summary.csv      headline figures
    A re-planned plan (--as-of) is carried out from its as-of period on.
    Exits 1 when the plan's scenario has no uncertainty: section.
    """
    from planner.analysis.risk import assess, write_risk
    from planner.io.export import read_plan

    plan = read_plan(plan_dir)
    unc = None
    if uncertainty_file is not None:
        from planner.io.load import load_scenario

        unc = load_scenario(uncertainty_file).uncertainty
        if unc is None:
            raise click.UsageError(f"{uncertainty_file} has no uncertainty: section")
    with progress_bar("simulating", quiet) as bar:
        report = assess(plan, samples, seed, uncertainty=unc, workers=workers,
                        scheduler=scheduler, progress=bar.update)
    target = out or f"{os.path.normpath(plan_dir)}-risk"
    write_risk(report, target)
    page = os.path.join(plan_dir, "report.html")
    if with_report or (with_report is None and os.path.isfile(page)):
        _write_report(plan, report, plan_dir, page)
    if not quiet:
        print_risk(report)
        screen = _console()
        screen.print(f"risk written to {target}/", markup=False, soft_wrap=True)
        if os.path.isfile(page) and with_report is not False:
            screen.print(f"risk section added to {page}", markup=False, soft_wrap=True)


def _write_report(plan: Any, report: Any, plan_dir: str, page: str) -> None:
    """The plan's report with the risk section (and a robust plan's cost, robust.csv)."""
    import pandas as pd

    from planner.report import report_html, write_report

    robust_csv = os.path.join(plan_dir, "robust.csv")
    robust = pd.read_csv(robust_csv, encoding="utf-8-sig") if os.path.isfile(robust_csv) \
        else None
    write_report(report_html(plan, report.tables(), robust), page)


#: shorter headers, so that the tables fit 80 columns
HEADERS = {"planned_finish": "planned", "p_on_time": "on time",
           "p_by_planned_finish": "by plan", "expected_slip": "mean slip",
           "p90_slip": "90% slip", "planned_short": "planned", "p_short": "P short",
           "mean_short": "mean", "p90_short": "90%", "planned_spend": "planned",
           "mean_spend": "mean", "p90_spend": "90%", "p_overrun": "P overrun",
           "planned_forecast": "planned", "mean_forecast": "mean", "p_meet": "P met"}


def _cell(col: str, v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if col.startswith("p_"):
        return f"{float(v):.1%}"
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    return str(v)


def table(title: str, frame: Any, columns: list[str] | None = None,
          rows: int | None = None) -> Table:
    """A rich table of some columns (and the first ``rows`` rows) of ``frame``.

    Probabilities (``p_*`` columns) read as percentages.
    """
    t = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left",
              title_style="bold")
    cols = columns or list(frame.columns)
    for c in cols:
        numeric = c not in ("metric", "initiative", "unit", "skill", "priority", "scope",
                            "kpi", "by", "planned_finish", "deadline")
        t.add_column(HEADERS.get(c, c.replace("_", " ")),
                     justify="right" if numeric else "left")
    for r in frame[cols].head(rows).itertuples(index=False):
        t.add_row(*(escape(_cell(c, v)) for c, v in zip(cols, r, strict=True)))
    return fit_words(t)


def _share(v: Any) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1%}"


def print_risk(report: Any, console: Console | None = None) -> None:
    """The risk report in the terminal: headline, initiatives, riskiest RTB, budget, KPIs."""
    console = console or _console()
    s = dict(zip(report.summary["metric"], report.summary["value"], strict=True))
    budget = (f"budget overrun {_share(s['p_budget_overrun'])}"
              if s["p_budget_overrun"] is not None else "no budget")
    console.print(
        f"[bold]{int(s['samples'])} samples[/] (seed {int(s['seed'])}): the plan holds in "
        f"{_share(s['p_plan_holds'])} (every chosen initiative by its deadline: "
        f"{_share(s['p_all_on_time'])}, must RTB covered: {_share(s['p_must_rtb_covered'])}); "
        + budget)
    console.print(table("Initiatives: the chance to finish by the deadline (on time) and by "
                        "the planned finish; slips in periods", report.initiatives,
                        ["initiative", "planned_finish", "deadline", "p_on_time",
                         "p_by_planned_finish", "expected_slip", "p90_slip"]))
    rtb = report.rtb[report.rtb["p_short"] > 0].assign(
        _must=lambda f: f["priority"] == "must").sort_values(
        ["_must", "p_short", "mean_short"], ascending=False, kind="stable")
    if len(rtb):
        console.print(table("RTB shortfall in hours, riskiest first (all in rtb.csv)", rtb,
                            ["unit", "skill", "priority", "planned_short", "p_short",
                             "mean_short", "p90_short"], rows=12))
    console.print(table("Budget", report.budget, ["scope", "budget", "planned_spend",
                                                  "mean_spend", "p90_spend", "p_overrun"]))
    if len(report.kpis):
        console.print(table("KPI targets", report.kpis,
                            ["kpi", "target", "by", "planned_forecast", "mean_forecast",
                             "p_meet"]))
