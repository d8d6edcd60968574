"""``planner compare``: plans side by side against the first (the base)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click
import pandas as pd
from rich import box
from rich.markup import escape
from rich.table import Table

from planner.cli.app import main
from planner.cli.options import read_options
from planner.cli.render import console as _console
from planner.io.files import ReadOptions


@main.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write headline.csv, initiatives.csv, units.csv, people.csv here.")
@click.option("--view", "views", multiple=True, metavar="NAME",
              help="Also stack this plan view (e.g. workload, finance) under a scenario "
                   "column and write it as <NAME>.csv with --out; repeatable.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds per solve for scenario files [default: 60].")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="People shown per scenario in the terminal.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None,
              help="Also write the comparison as one HTML file (side-by-side headline, "
                   "what moved, units, people) that opens offline.")
@read_options
def compare(inputs: tuple[str, ...], out: str | None, views: tuple[str, ...],
            time_limit: float | None, top: int, report_file: str | None = None,
            read_options: ReadOptions | None = None) -> None:
    """Compare plans: the first input is the base, every other is compared with it.

    Each INPUT is a plan folder, or a scenario file that is solved on the fly.
    Shows headline deltas (score, value, spend against budget, RTB shortfall,
    external hours, utilisation per unit), initiatives added, dropped and moved,
    per unit the change in capacity, change hours and shortfall, and the people
    whose plans changed most.
    """
    from planner.analysis.compare import compare_plans, load_plan, scenario_names, stack
    from planner.io.guard import Input, check_destination
    from planner.solving import Settings
    from planner.views import VIEWS

    if len(inputs) < 2:
        raise click.UsageError("give at least two scenario files or plan folders")
    for v in views:
        if v not in VIEWS:
            raise click.BadParameter(f"unknown view '{v}' (one of {', '.join(VIEWS)})",
                                     param_hint="--view")
    given = [Input(Path(p), "an input of the comparison", enclosing=Path(p).is_dir())
             for p in inputs]
    for target in (out, report_file):  # before any solve: the paths given are inputs
        if target is not None:
            check_destination(target, given)
    read: list[Input] = []
    plans = {n: load_plan(p, Settings(time_limit=time_limit), inputs=read,
                          options=read_options)
             for n, p in zip(scenario_names(inputs), inputs, strict=True)}
    tables = compare_plans(plans)
    console = _console()
    for r in renderables(tables, top=top):
        console.print(r)
    if out is not None:
        from planner.analysis.compare import write_tables

        extra = {v: stack(plans, v).reset_index(level="row", drop=True).reset_index()
                 for v in views}
        write_tables({**tables, **extra}, out, inputs=read)
        console.print(f"comparison written to {out}/")
    if report_file is not None:
        from planner.report import compare_report, write_report

        check_destination(report_file, read)
        write_report(compare_report(plans), report_file)
        console.print(f"report written to {report_file}")



def renderables(tables: Mapping[str, pd.DataFrame], top: int = 10) -> list[object]:
    """rich tables for the terminal (people: the ``top`` most changed per scenario)."""
    titles = {
        "headline": "Headline",
        "initiatives": "Initiatives added, dropped and moved",
        "units": "Units (year totals; delta against the base)",
        "people": f"People whose plans changed most (top {top} per scenario)",
    }
    out: list[object] = []
    for name, frame in tables.items():
        if name == "people" and not frame.empty:
            frame = frame.groupby("scenario", sort=False).head(top)
        if name == "units":
            short = {"capacity": "capacity", "delta_capacity": "Δ", "change_hours": "change h",
                     "delta_change_hours": "Δ", "rtb_short": "RTB short",
                     "delta_rtb_short": "Δ", "utilisation": "util", "delta_utilisation": "Δ"}
            frame = frame[["scenario", "unit", *short]]
            frame.columns = ["scenario", "unit", *short.values()]
        table = Table(title=titles.get(name, name), box=box.SIMPLE_HEAD, pad_edge=False,
                      title_justify="left", title_style="bold")
        for k, col in enumerate(frame.columns):
            numeric = pd.api.types.is_numeric_dtype(frame.iloc[:, k])
            table.add_column(escape(str(col)), justify="right" if numeric else "left",
                             overflow="fold", no_wrap=col in ("scenario", "unit", "person"))
        if frame.empty:
            out.append(f"{titles.get(name, name)}: no differences")
            continue
        for row in frame.itertuples(index=False):
            table.add_row(*(escape(_cell(v)) for v in row))
        out.append(table)
    return out


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.4g}"
    return str(v)
