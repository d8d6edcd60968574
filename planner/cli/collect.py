"""``planner collect``: merge the units' returned forms into one scenario (issue 14)."""

from __future__ import annotations

import click

from planner.cli.app import main
from planner.cli.render import console as _console
from planner.cli.render import print_issues


@main.command(name="collect")
@click.argument("forms", type=click.Path(file_okay=False, exists=True))
@click.option("--base", "base", type=click.Path(dir_okay=False), required=True,
              help="Scenario with everything the forms do not hold (horizon, strategy, "
                   "units, external, policy); a unit without a form keeps its items from it.")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True,
              help="Scenario YAML to write; its CSV files (and sources.csv) go into the "
                   "folder of the same name without .yaml.")
@click.option("--force", is_flag=True, help="Replace an existing output.")
def collect_cmd(forms: str, base: str, out: str, force: bool) -> None:
    """Merge the returned forms in FORMS (<unit>.xlsx or <unit>/ CSV folders) into a scenario.

    Every error is listed at once with workbook, sheet, row and column; nothing is
    written then. The result validates like any scenario: run planner validate /
    planner solve on it.
    """
    from planner.gather.collect import collect, write_collected

    collected = collect(forms, base)
    paths = write_collected(collected, out, force=force)
    console = _console()
    if collected.warnings:
        console.print(f"[yellow]{len(collected.warnings)} warning(s):[/]")
        print_issues(collected.warnings, stderr=False)
    counts = collected.sources["section"].value_counts()
    console.print(", ".join(f"{int(counts.get(s, 0))} {s.replace('_', ' ')}"
                            for s in ("staff", "run_the_business", "initiatives", "effort")),
                  markup=False)
    console.print(f"collected into {paths[0]} (CSV files and sources.csv in "
                  f"{paths[0].with_suffix('')}/)", markup=False)
