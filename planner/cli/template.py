"""``planner template``: one Excel form per unit to send to the unit heads (issue 14)."""

from __future__ import annotations

import click

from planner.cli.app import main


@main.command(name="template")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), required=True,
              help="Folder for the workbooks, one <unit>.xlsx per unit.")
@click.option("--unit", "units", multiple=True, metavar="UNIT",
              help="Only this unit's workbook; repeatable [default: every unit].")
@click.option("--force", is_flag=True, help="Replace workbooks that already exist.")
def template_cmd(scenario: str, out: str, units: tuple[str, ...], force: bool) -> None:
    """Write one Excel form per unit, pre-filled from SCENARIO, to send to the unit heads.

    \b
    Sheets: instructions, staff, rtb, proposals, effort; drop-downs for skills,
    priorities, periods, units, ratings and statuses, number checks elsewhere.
    Fill them in, put them back in one folder, then: planner collect FOLDER
    --base SCENARIO --out collected.yaml
    """
    from planner.gather.template import write_templates
    from planner.io.load import read_scenario

    loaded = read_scenario(scenario)
    inputs = [scenario, *{loc.file for loc in loaded.source.entries.values()}]
    paths = write_templates(loaded.scenario, out, units=units or None, force=force,
                            protect=inputs)
    for p in paths:
        click.echo(f"wrote {p}")
