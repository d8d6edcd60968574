"""``planner frontier``: value against budget (and headcount), one solve per point."""

from __future__ import annotations

import math
import os
from typing import Any

import click
from rich import box
from rich.markup import escape
from rich.table import Table

from planner.analysis.frontier import Capacity
from planner.cli.app import main
from planner.cli.render import console as _console
from planner.cli.render import fit_words
from planner.cli.render import fmt as _fmt


def parse_budgets(spec: str) -> list[float]:
    """``START:STOP:STEPS`` (STEPS equal steps, STEPS + 1 points) or a comma list ``a,b,c``."""
    try:
        if ":" in spec:
            parts = spec.split(":")
            if len(parts) != 3:
                raise ValueError
            lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
            if n < 1 or hi < lo or lo < 0 or not math.isfinite(hi):
                raise ValueError
            return [round(lo + (hi - lo) * k / n, 2) for k in range(n + 1)]
        values = [float(x) for x in spec.split(",") if x.strip()]
        if not values or any(v < 0 or not math.isfinite(v) for v in values):
            raise ValueError
        return sorted(set(values))
    except ValueError:
        raise ValueError(
            f"--budget '{spec}': expected START:STOP:STEPS (e.g. 0:2000000:10, "
            "0 <= START <= STOP, STEPS >= 1) or a list such as 500000,750000"
        ) from None


def parse_capacity(spec: str) -> Capacity:
    """``UNIT/SKILL:+FROM:+TO[:STEP]`` (FTE, step 1 by default)."""
    try:
        where, rng = spec.split(":", 1)
        unit, skill = where.split("/")
        parts = rng.split(":")
        if len(parts) not in (2, 3) or not unit or not skill:
            raise ValueError
        lo, hi = float(parts[0]), float(parts[1])
        step = float(parts[2]) if len(parts) == 3 else 1.0
        if lo < 0 or hi < lo or step <= 0 or (hi - lo) / step > 1000:
            raise ValueError
        n = int(math.floor((hi - lo) / step + 1e-9))
        return Capacity(unit, skill, [round(lo + k * step, 6) for k in range(n + 1)])
    except ValueError:
        raise ValueError(
            f"--capacity '{spec}': expected UNIT/SKILL:+FROM:+TO[:STEP] in FTE, e.g. "
            "it/engineer:+0:+5"
        ) from None


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--budget", "budget_spec", default=None, metavar="START:STOP:STEPS",
              help="Budgets to sweep: STEPS equal steps from START to STOP "
                   "(0:2000000:10 = 11 points), or a list 500000,750000.")
@click.option("--capacity", "capacity_spec", default=None, metavar="UNIT/SKILL:+A:+B",
              help="Also sweep extra FTE of SKILL in UNIT (synthetic people), e.g. "
                   "it/engineer:+0:+5 (step 1, or :STEP).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for frontier.csv and frontier.png [default: <scenario>-frontier].")
@click.option("--plans", "write_plans", is_flag=True,
              help="Also write each point's plan folder (point-000, ...) into --out.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Parallel solver processes.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds per point [default: policy.solver, else 60].")
@click.option("--gap", type=click.FloatRange(0, 1), default=None, help="Relative gap per point.")
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE",
              help="Override a scenario field (as in solve); repeatable.")
@click.option("--report", "with_report", is_flag=True,
              help="Also write report.html into --out: value against budget with readable "
                   "money axes and the chosen initiatives at every point.")
def frontier(scenario: str, budget_spec: str | None, capacity_spec: str | None,
             out: str | None, write_plans: bool, workers: int, time_limit: float | None,
             gap: float | None, overrides: tuple[str, ...], with_report: bool = False) -> None:
    """Efficient frontier: solve a sweep of budgets (and headcount), report value against it.

    Writes frontier.csv (one row per point: budget, added FTE, objective,
    strategic score, value, spend, the initiatives that enter and leave from
    the previous point) and frontier.png. The reported objective never falls as
    budget or capacity rise (a dominated point's better plan is kept).
    """
    from planner.analysis.frontier import sweep, write_frontier
    from planner.io.load import load_scenario

    if budget_spec is None and capacity_spec is None:
        raise click.UsageError("give --budget and/or --capacity")
    try:
        budgets = parse_budgets(budget_spec) if budget_spec else None
        capacity = parse_capacity(capacity_spec) if capacity_spec else None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    sc = load_scenario(scenario, overrides=list(overrides))
    settings = {"time_limit": time_limit, "gap": gap}
    err = _console(stderr=True)

    def on_point(done: int, total: int, point: str, status: str) -> None:
        err.print(f"[{done}/{total}] {point}: {status}", highlight=False, markup=False)

    try:
        with err.status("solving the sweep..."):
            table, plans = sweep(sc, budgets, capacity, settings=settings, workers=workers,
                                 overrides=list(overrides), on_point=on_point)
    except ValueError as exc:  # e.g. --capacity names an unknown unit
        raise click.UsageError(str(exc)) from None
    target = out or f"{os.path.splitext(os.path.basename(scenario))[0]}-frontier"
    write_frontier(table, plans, target, write_plans=write_plans)
    if with_report:
        from planner.report import REPORT_HTML, frontier_report, write_report

        write_report(frontier_report(table, plans), os.path.join(target, REPORT_HTML))
    t = Table(title="Efficient frontier", box=box.SIMPLE_HEAD, pad_edge=False,
              title_justify="left")
    # the objective and the notes are in frontier.csv; notes are listed under the table
    cols = ["budget", "added_fte", "status", "strategic_score", "value", "spend",
            "entered", "left"]
    if capacity is None:
        cols.remove("added_fte")
    if budgets is None:
        cols.remove("budget")
    text = ("status", "entered", "left")
    for c in cols:
        t.add_column(c.replace("strategic_", "").replace("_", " "),
                     justify="left" if c in text else "right")
    for r in table.itertuples(index=False):
        t.add_row(*(escape(_sweep_cell(c, getattr(r, c))) for c in cols))
    console = _console()
    console.print(fit_words(t))
    for r in table.itertuples(index=False):
        note = getattr(r, "note", "")
        if isinstance(note, str) and note:
            point = ", ".join(x for x in (
                f"budget {_sweep_cell('budget', r.budget)}" if budgets is not None else "",
                f"{_sweep_cell('added_fte', r.added_fte)} FTE" if capacity is not None else "",
            ) if x) or "base"
            console.print(f"{point}: {note}", markup=False, highlight=False, soft_wrap=True)
    written = "frontier.csv, frontier.png" + (", report.html" if with_report else "")
    console.print(f"frontier written to {target}/ ({written})")




def _sweep_cell(col: str, v: Any) -> str:
    if isinstance(v, float) and not math.isnan(v) and col in ("budget", "value", "spend"):
        return f"{v:,.0f}"
    if isinstance(v, float) and col == "added_fte":
        return f"+{v:g}"
    return _fmt(v)
