"""``planner validate`` and ``planner schema``: check a scenario, describe the format."""

from __future__ import annotations

import json
import math
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.scenario import Scenario
from planner.cli.app import main
from planner.cli.render import console as _console
from planner.cli.render import fit_words, print_issues

SET_HELP = ("Override a value before validation, e.g. --set policy.budget=800000 or "
            "--set initiatives.crm.mandatory=true (list items by id). Repeatable.")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=str))
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
def validate(scenario: str, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO and show a summary with capacity versus demand.

    Exits 0 when the scenario is valid (warnings are shown), 1 otherwise with
    every error on stderr.
    """
    from planner.io.load import read_scenario
    from planner.io.validate import capacity_table

    loaded = read_scenario(scenario, overrides)
    s = loaded.scenario
    console = _console()
    console.print(f"[bold green]valid[/]: {escape(scenario)} ({escape(s.name)})")
    counts = [
        ("periods", s.horizon.periods), ("objectives", len(s.strategy.objectives)),
        ("KPIs", len(s.strategy.kpis)), ("units", len(s.units)), ("staff", len(s.staff)),
        ("RTB lines", len(s.run_the_business)), ("initiatives", len(s.initiatives)),
        ("mandatory", sum(i.mandatory for i in s.initiatives)),
        ("external", len(s.external)),
    ]
    console.print(", ".join(f"{n} {what}" for what, n in counts))
    _print_review(console, s)
    if loaded.warnings:
        console.print(f"[yellow]{len(loaded.warnings)} warning(s):[/]")
        print_issues(loaded.warnings, stderr=False)
    _print_capacity(console, capacity_table(s))


def _print_review(console: Console, s: Scenario) -> None:
    """Issue 14: review statuses, stakeholder ratings and pairwise weights, when present."""
    from planner.gather.pairwise import scenario_ahp

    statuses = [i.status for i in s.initiatives]
    if any(st != "proposed" for st in statuses):
        console.print("status: " + ", ".join(f"{statuses.count(st)} {st}" for st in (
            "proposed", "approved", "committed", "rejected") if st in statuses))
    if s.ratings:
        console.print(f"{len(s.ratings)} stakeholder ratings from "
                      f"{len({r.stakeholder for r in s.ratings})} stakeholders")
    result = scenario_ahp(s)
    if result is not None:
        weights = ", ".join(f"{o.id} {o.weight:.3g}" for o in s.strategy.objectives)
        console.print(f"objective weights from pairwise comparisons: {escape(weights)}; "
                      f"consistency ratio {result.consistency_ratio:.3f}"
                      + (" [yellow](above 0.1)[/]" if result.consistency_ratio > 0.1 else ""))


def _hours(x: float) -> str:
    return f"{x:,.0f}"


def _print_capacity(console: Console, df: Any) -> None:
    if df.empty:
        console.print("no capacity or demand to compare")
        return
    table = Table(title="Capacity vs demand over the horizon, in hours",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("unit")
    table.add_column("skill")
    for col in ("capacity", "RTB\nmust", "RTB\nhigh", "RTB\nnormal", "change", "load"):
        width = max(len(part) for part in col.split("\n"))
        table.add_column(col, justify="right", no_wrap=True, min_width=width)
    for r in df.itertuples(index=False):
        ratio = "no capacity" if math.isinf(r.ratio) else f"{r.ratio:.0%}"
        style = "red" if r.ratio > 1 else ("yellow" if r.ratio > 0.85 else None)
        capacity = _hours(r.capacity) + ("*" if r.shared else "")
        table.add_row(escape(r.unit), escape(r.skill), capacity,
                      _hours(r.rtb_must), _hours(r.rtb_high), _hours(r.rtb_normal),
                      _hours(r.change), ratio, style=style)
    console.print(fit_words(table))
    console.print(
        "capacity = hours_per_fte x fte x availability x max_utilisation, summed over the "
        "periods; proficiency is ignored. * a person with several skills is counted in full "
        "under each of them, so these rows overstate capacity. 'change' is the effort of all "
        "initiatives, chosen or not. load = (RTB + change) / capacity: over 100% means "
        "not everything can be done.",
        style="dim",
    )



@main.command()
def schema() -> None:
    """Print the JSON Schema of a scenario file (for editors and other tools).

    It accepts every valid scenario ({csv: FILE} sections, integer period labels)
    and carries each field's description for editor hovers.
    """
    from planner.io.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2))

