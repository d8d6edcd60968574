"""``planner compare``: plans side by side against the first (the base)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

import click
import pandas as pd
from rich import box
from rich.markup import escape
from rich.table import Table

from planner.cli.app import main
from planner.cli.render import console as _console
from planner.cli.render import fit_words, label


@main.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write headline.csv, initiatives.csv, units.csv, people.csv here.")
@click.option("--view", "views", multiple=True, metavar="NAME",
              help="Also stack this plan view (e.g. workload, finance) under a scenario "
                   "column and write it as <NAME>.csv with --out; repeatable.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds per solve for scenario files [default: each scenario's "
                   "policy.solver.time_limit, else 60].")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="People shown per scenario in the terminal.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None,
              help="Also write the comparison as one HTML file (side-by-side headline, "
                   "what moved, units, people) that opens offline.")
def compare(inputs: tuple[str, ...], out: str | None, views: tuple[str, ...],
            time_limit: float | None, top: int, report_file: str | None = None) -> None:
    """Compare plans: the first input is the base, every other is compared with it.

    Each INPUT is a plan folder, or a scenario file that is solved on the fly.
    Shows headline deltas (score, value, spend against budget, RTB shortfall,
    external hours, utilisation per unit), initiatives added, dropped and moved,
    per unit the change in capacity, change hours and shortfall, and the people
    whose plans changed most.
    """
    from planner.analysis.compare import compare_plans, load_plan, scenario_names, stack
    from planner.solving import Settings
    from planner.views import VIEWS

    if len(inputs) < 2:
        raise click.UsageError("give at least two scenario files or plan folders")
    for v in views:
        if v not in VIEWS:
            raise click.BadParameter(f"unknown view '{v}' (one of {', '.join(VIEWS)})",
                                     param_hint="--view")
    err = _console(stderr=True)
    plans = {}
    names = scenario_names(inputs)
    for k, (n, p) in enumerate(zip(names, inputs, strict=True), start=1):
        t0 = time.perf_counter()
        what = "reading" if Path(p).is_dir() else "solving"
        with err.status(f"[{k}/{len(inputs)}] {escape(n)}: {what}..."):
            plans[n] = load_plan(p, Settings(time_limit=time_limit))
        run = plans[n].run
        err.print(f"[{k}/{len(inputs)}] {escape(n)}: {run.status}"
                  + (f", gap {run.gap:.2%}" if run.gap and run.status != "optimal" else "")
                  + (f" ({time.perf_counter() - t0:.1f} s)" if what == "solving" else ""),
                  highlight=False)
    tables = compare_plans(plans)
    console = _console()
    labels = {r.id: label(r.name, r.id) for pl in plans.values() for r in pl.initiatives}
    labels.update({p.id: label(p.name, p.id) for pl in plans.values() for p in pl.scenario.staff})
    for r in renderables(tables, top=top, labels=labels):
        console.print(r)
    for line in significance_notes(plans):
        console.print(line, style="yellow", markup=False, soft_wrap=True)
    if out is not None:
        from planner.analysis.compare import write_tables

        extra = {v: stack(plans, v).reset_index(level="row", drop=True).reset_index()
                 for v in views}
        write_tables({**tables, **extra}, out)
        console.print(f"comparison written to {out}/")
    if report_file is not None:
        from planner.report import compare_report, write_report

        write_report(compare_report(plans), report_file)
        console.print(f"report written to {report_file}")



def renderables(tables: Mapping[str, pd.DataFrame], top: int = 10,
                labels: Mapping[str, str] | None = None) -> list[object]:
    """rich tables for the terminal (people: the ``top`` most changed per scenario).

    ``labels`` shows initiatives and people by name with their id. Columns keep whole
    words (:func:`~planner.cli.render.fit_words`).
    """
    labels = labels or {}
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
        if name == "initiatives":
            # the initiative's label carries its name; a status shows only when it moved
            drop = ["name"] + ([] if frame["review_status"].str.contains("(base: ", regex=False)
                               .any() else ["review_status"])
            frame = frame.drop(columns=[c for c in drop if c in frame.columns])
        if name == "units":
            short = {"capacity": "capacity", "delta_capacity": "Δ", "change_hours": "change h",
                     "delta_change_hours": "Δ", "rtb_short": "RTB short",
                     "delta_rtb_short": "Δ", "utilisation": "util", "delta_utilisation": "Δ"}
            frame = frame[["scenario", "unit", *short]]
            frame.columns = ["scenario", "unit", *short.values()]
            # a delta that is zero everywhere says nothing: leave it out (fits 80 columns)
            keep = [k for k, c in enumerate(short)
                    if not (c.startswith("delta_") and (frame.iloc[:, k + 2] == 0).all())]
            frame = frame.iloc[:, [0, 1] + [k + 2 for k in keep]]
        table = Table(title=titles.get(name, name), box=box.SIMPLE_HEAD, pad_edge=False,
                      title_justify="left", title_style="bold")
        for k, col in enumerate(frame.columns):
            numeric = pd.api.types.is_numeric_dtype(frame.iloc[:, k]) or (
                name == "headline" and col != "metric")
            table.add_column(escape(SHORT.get(str(col), str(col))),
                             justify="right" if numeric else "left")
        if frame.empty:
            out.append(f"{titles.get(name, name)}: no differences")
            continue
        named = [c in ("initiative", "person") for c in frame.columns]
        for row in frame.itertuples(index=False):
            table.add_row(*(escape(labels.get(str(v), _cell(v)) if named[j] else _cell(v))
                            for j, v in enumerate(row)))
        out.append(fit_words(table))
    return out


#: shorter headers, so that the tables fit 80 columns
SHORT = {"base_start": "was", "start": "now", "base_hours": "base h", "hours": "h",
         "changed_hours": "moved h", "pieces_changed": "pieces"}


def significance_notes(plans: Mapping[str, object]) -> list[str]:
    """One line per scenario whose difference from the base is inside the solvers' gaps."""
    from planner.analysis.compare import objective_range, significant

    names = list(plans)
    base = plans[names[0]]
    out = []
    for name in names[1:]:
        plan = plans[name]
        if significant(base, plan):  # type: ignore[arg-type]
            continue
        b, n = objective_range(base), objective_range(plan)  # type: ignore[arg-type]
        if b[0] == b[1] and n[0] == n[1]:
            continue  # both proved optimal: they are equal, nothing to warn about
        out.append(
            f"{name}: not significant - its objective range {_range(n)} overlaps the base's "
            f"{_range(b)} (objective to bound): the differences may be the solver's, not the "
            "scenario's. A longer --time-limit narrows the gaps."
        )
    return out


def _range(r: tuple[float, float]) -> str:
    lo, hi = r
    return f"{lo:,.4g}" if lo == hi else f"{lo:,.4g}..{hi:,.4g}"


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
