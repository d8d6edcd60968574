"""Issue 20, item 1: no command writes over, into or around its own inputs, --force or not.

A scenario ``org.yaml`` next to the folder ``org/`` holding its CSV files is the
layout that lost every CSV file (``planner solve org.yaml --out org --force``).
Each case snapshots the whole folder and asserts that the refusal changed
nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import api
from planner.cli import main
from planner.io.export import write_plan
from planner.io.guard import UnsafeOutputError

ORG = """\
name: org
horizon: {periods: 2, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: {csv: org/staff.csv}
initiatives:
  - {id: a, contributes: {grow: strong}, duration: 1, effort: [{unit: dev, skill: code, hours: 5}]}
"""
STAFF = "id,unit,skills\nd0,dev,code\n"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def org(tmp_path, monkeypatch) -> Path:
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "staff.csv").write_text(STAFF)
    (tmp_path / "org.yaml").write_text(ORG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _refused(org: Path, *args: str, says: str) -> None:
    before = _snapshot(org)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "refusing to write" in result.output and says in result.output, result.output
    assert "Traceback" not in result.output
    assert _snapshot(org) == before


@pytest.mark.parametrize("out, says", [
    ("org", "it contains the scenario's CSV file"),  # the reported loss of every CSV file
    ("org/plan", "it lies inside the folder of the scenario's CSV files"),
    (".", "it is the current directory"),
    ("..", "it contains the current directory"),
])
def test_solve_refuses_an_out_that_touches_an_input_even_with_force(org, out, says):
    _refused(org, "solve", "org.yaml", "--out", out, "--force", says=says)


def test_the_current_directory_given_as_an_absolute_path_is_refused(org):
    # `planner solve scenario.yaml --out "$PWD" --force` deleted scenario.yaml
    _refused(org, "solve", "org.yaml", "--out", str(org), "--force",
             says="it is the current directory")


def test_a_symlink_to_the_csv_folder_is_resolved_and_refused(org):
    (org / "link").symlink_to(org / "org", target_is_directory=True)
    _refused(org, "solve", "org.yaml", "--out", "link", "--force", says="it contains")


def test_a_plan_next_to_the_scenario_is_fine(org):
    result = run("solve", "org.yaml", "--out", "plan", "-q")
    assert result.exit_code == 0, result.output
    assert (org / "plan" / "plan.json").is_file()
    assert (org / "org" / "staff.csv").read_text() == STAFF


def test_baseline_plan_is_an_input_folder(org):
    assert run("solve", "org.yaml", "--out", "base", "-q").exit_code == 0
    _refused(org, "solve", "org.yaml", "--out", "base", "--force", "--baseline", "base",
             says="it is the baseline plan")
    _refused(org, "solve", "org.yaml", "--out", "base/again", "--baseline", "base",
             says="it lies inside the baseline plan")


def test_export_compare_and_frontier_refuse_their_inputs(org):
    assert run("solve", "org.yaml", "--out", "p1", "-q").exit_code == 0
    _refused(org, "export", "p1", "--format", "json", "--out", "p1/json",
             says="it lies inside the plan folder being exported")
    _refused(org, "export", ".", "--format", "csv", says="it is the current directory")
    _refused(org, "compare", "p1", "org.yaml", "--out", "p1", says="it is an input")
    _refused(org, "compare", "p1", "p1", "--out", "p1/diff", says="it lies inside")
    _refused(org, "frontier", "org.yaml", "--budget", "0,1", "--out", "org",
             says="it contains the scenario's CSV file")


def test_the_library_refuses_too(org, monkeypatch):
    """``Result.write`` and ``write_plan`` apply the same rules as the command."""
    result = api.solve("org.yaml")
    before = _snapshot(org)
    for out in ("org", "org/sub", str(org)):
        with pytest.raises(UnsafeOutputError):
            result.write(out, force=True)
    with pytest.raises(UnsafeOutputError, match="current directory"):
        write_plan(result.plan, org, force=True)
    # a file input given as --out (the CLI refuses those as files already)
    for out, says in (("org/staff.csv", "it is the scenario's CSV file"),
                      ("org.yaml", "it is the scenario file")):
        with pytest.raises(UnsafeOutputError, match=says):
            result.write(out, force=True)
    assert _snapshot(org) == before
    monkeypatch.chdir(org / "org")
    with pytest.raises(UnsafeOutputError, match="contains the current directory"):
        result.write(org, force=True)
    assert _snapshot(org) == before


def test_a_scenario_read_from_text_keeps_its_base_folder_writable(tmp_path, monkeypatch):
    """CSV files next to where a text scenario resolves them are inputs; the folder is not."""
    from planner.io.load import read_scenario_text

    (tmp_path / "staff.csv").write_text(STAFF)
    monkeypatch.chdir(tmp_path.parent)
    loaded = read_scenario_text(ORG.replace("org/staff.csv", "staff.csv"), base_dir=tmp_path)
    result = api.solve(loaded)
    assert result.write(tmp_path / "plan").is_dir()
    with pytest.raises(UnsafeOutputError, match="it is the scenario's CSV file"):
        result.write(tmp_path / "staff.csv", force=True)


def test_report_never_replaces_a_file_of_its_plan(org):
    assert run("solve", "org.yaml", "--out", "p1", "-q").exit_code == 0
    for name in ("plan.json", "assignments.csv"):
        _refused(org, "report", "p1", "--out", f"p1/{name}",
                 says=f"it is a file of the plan 'p1/{name}'")
    _refused(org, "report", "p1/plan.json", "--out", "p1/plan.json",
             says="it is the plan file")
    result = run("report", "p1")  # the default, p1/report.html, is the report's own place
    assert result.exit_code == 0, result.output
    assert (org / "p1" / "report.html").is_file()


def test_template_never_replaces_a_csv_file_read_as_a_table(org):
    """Table-read CSV files are inputs too (the source map holds them per table)."""
    (org / "forms").mkdir()
    (org / "forms" / "dev.xlsx").write_text(STAFF)  # a CSV file, whatever its name
    (org / "org.yaml").write_text(ORG.replace("org/staff.csv", "forms/dev.xlsx"))
    before = _snapshot(org)
    result = run("template", "org.yaml", "--out", "forms", "--force")
    assert result.exit_code == 1, result.output
    assert "refusing to write 'forms/dev.xlsx': it is an input of the scenario" in result.output
    assert _snapshot(org) == before


def test_actuals_and_progress_files_are_inputs(org):
    assert run("solve", "org.yaml", "--out", "base", "-q").exit_code == 0
    (org / "acts").mkdir()
    (org / "acts" / "actuals.csv").write_text("person,unit,period,work,skill,hours\n")
    (org / "acts" / "progress.csv").write_text("initiative,unit,skill,remaining_hours\n")
    common = ("solve", "org.yaml", "--baseline", "base", "--as-of", "2", "--force")
    _refused(org, *common, "--actuals", "acts/actuals.csv", "--out", "acts",
             says="it contains the actuals file 'acts/actuals.csv'")
    _refused(org, *common, "--progress", "acts/progress.csv", "--out", "acts",
             says="it contains the progress file 'acts/progress.csv'")
