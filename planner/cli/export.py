"""``planner export``: regenerate a plan's views from its plan.json."""

from __future__ import annotations

import click

from planner.cli.app import main
from planner.cli.solve import ENCODING_OPTION, FORMAT_CHOICES


@main.command(name="export")
@click.argument("plan_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--format", "formats", type=FORMAT_CHOICES, multiple=True, required=True,
              help="csv, xlsx or json; repeatable.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write into this folder instead of rewriting PLAN_DIR.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@ENCODING_OPTION
def export_cmd(plan_dir: str, formats: tuple[str, ...], out: str | None, force: bool,
               csv_encoding: str = "utf-8") -> None:
    """Regenerate the plan's views from its plan.json (CSV, Excel or JSON)."""
    from planner.io.export import export

    folder = export(plan_dir, formats, out=out, force=force, csv_encoding=csv_encoding)
    click.echo(f"views written to {folder}/")

