"""``planner track``: variance of actuals against a written plan."""

from __future__ import annotations

import os

import click
from rich import box
from rich.markup import escape
from rich.table import Table

from planner.cli.app import main
from planner.cli.render import console as _console


@main.command()
@click.argument("plan_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--actuals", type=click.Path(dir_okay=False, exists=True), required=True,
              help="CSV of the hours worked (the columns of assignments.csv).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the CSV files [default: <PLAN_DIR>-track].")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
def track(plan_dir: str, actuals: str, out: str | None, force: bool) -> None:
    """Compare actuals with a plan: variance, initiatives behind, forecast finishes.

    \b
    Writes (one CSV each):
      variance.csv                hours and cost, planned vs actual, per person,
                                  period and piece of work
      variance_by_initiative.csv  ... rolled up by initiative (or rtb:<unit>),
      variance_by_unit.csv        by unit, by person and by period
      variance_by_person.csv
      variance_by_period.csv
      progress.csv                each started initiative: delivered to date,
                                  behind?, forecast finish at the pace so far
    Only the (person, period)s in the actuals are compared.
    """
    from planner.analysis.track import track as run
    from planner.io.actuals import read_actuals
    from planner.io.export import frame_to_csv, read_plan, write_folder

    plan = read_plan(plan_dir)
    act = read_actuals(actuals, plan.scenario)
    result = run(plan, act.rows)
    target = out or f"{os.path.normpath(plan_dir)}-track"
    write_folder({f"{name}.csv": frame_to_csv(frame) for name, frame in result.tables().items()},
                 target, force=force)
    console = _console()
    for w in act.warnings:
        _console(stderr=True).print(f"warning: {escape(str(w))}", style="yellow")
    v = result.by_period
    console.print(f"actuals through {result.through}: {v['actual_hours'].sum():,.1f} h against "
                  f"{v['planned_hours'].sum():,.1f} h planned "
                  f"({v['hours_variance'].sum():+,.1f} h, cost {v['cost_variance'].sum():+,.2f})")
    p = result.progress
    if not p.empty:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for col in ("initiative", "finish", "planned", "actual", "behind", "forecast", "note"):
            table.add_column(col, overflow="fold")
        for r in p.to_dict("records"):
            table.add_row(escape(r["initiative"]), r["finish"], f"{r['planned_to_date']:,.1f}",
                          f"{r['actual_to_date']:,.1f}", "yes" if r["behind"] else "",
                          r["forecast_finish"] or "-", escape(r["note"]),
                          style="yellow" if r["behind"] else None)
        console.print(table)
    console.print(f"written to {target}/")

