"""``--format xlsx`` writes the workbook as well as every CSV; help texts say the truth (18.6)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner
from support import scenario, solve_checked

from planner.cli import main
from planner.io.export import export, write_plan
from planner.views import VIEWS
from tests.solving.test_driver import dev_team, work


def _plan():
    return solve_checked(scenario(**dev_team(2), initiatives=[work("a", 10)],
                                  policy={"budget": 100}))


def test_xlsx_writes_every_view_in_the_workbook_and_as_csv(tmp_path: Path) -> None:
    out = write_plan(_plan(), tmp_path / "plan", formats=("xlsx",))
    for name in VIEWS:
        assert (out / f"{name}.csv").exists(), name
    wb = openpyxl.load_workbook(out / "plan.xlsx", read_only=True)
    # every view, plus the Gantt-like roadmap sheet of the report's essentials
    assert set(wb.sheetnames) == {n[:31] for n in VIEWS} | {"roadmap"}


def test_export_xlsx_keeps_every_csv(tmp_path: Path) -> None:
    out = write_plan(_plan(), tmp_path / "plan")
    export(out, ("xlsx",))
    assert all((out / f"{n}.csv").exists() for n in VIEWS)
    assert (out / "plan.xlsx").exists()


def test_time_limit_help_names_the_scenario_default() -> None:
    for cmd in ("compare", "solve"):
        text = CliRunner().invoke(main, [cmd, "--help"], terminal_width=200).output
        assert "policy.solver.time_limit" in text, cmd
        assert "[default: 60]" not in text, cmd
