"""`planner solve`, `check` and `export` as a user runs them, and every example end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))

TINY = """\
name: tiny
horizon: {periods: 2, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
  - {id: a, contributes: {grow: strong}, duration: 1, effort: [{unit: dev, skill: code, hours: 10}]}
  - {id: b, contributes: {grow: low}, duration: 2, mandatory: true,
     effort: [{unit: dev, skill: code, hours: 4}]}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_validates_solves_and_passes_check(tmp_path, path):
    assert run("validate", str(path)).exit_code == 0
    out = tmp_path / "plan"
    result = run("solve", str(path), "--out", str(out), "--time-limit", "5", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    for name in ("portfolio.csv", "assignments.csv", "workload.csv", "plan.json", "plan.xlsx"):
        assert (out / name).is_file(), name
    check = run("check", str(path), str(out))
    assert check.exit_code == 0, check.output


def test_solve_summary_and_contract_files(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    out = tmp_path / "plan"
    result = run("solve", str(scenario), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "tiny: optimal" in result.output
    # 10 h per period: mandatory b takes 2 h in each period, so a (10 h) cannot fit
    portfolio = (out / "portfolio.csv").read_text().splitlines()
    assert portfolio[1].startswith("a,a,false,,,")
    assert portfolio[2].startswith("b,b,true,1,2,")
    plan = json.loads((out / "plan.json").read_text())
    assert plan["run"]["status"] == "optimal"


def test_existing_output_is_refused_without_force_and_left_alone(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    out = tmp_path / "plan"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("solve", str(scenario), "--out", str(out))
    assert result.exit_code == 1
    assert "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert run("solve", str(scenario), "--out", str(out), "--force").exit_code == 0
    assert not (out / "keep.txt").exists()
    assert (out / "portfolio.csv").exists()


def test_invalid_input_writes_nothing_and_leaves_input(tmp_path):
    scenario = tmp_path / "bad.yaml"
    text = TINY.replace("hours: 4", "hours: -4")
    scenario.write_text(text)
    out = tmp_path / "plan"
    result = run("solve", str(scenario), "--out", str(out))
    assert result.exit_code == 1
    assert "bad.yaml:9" in result.output and "hours" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert scenario.read_text() == text


def test_infeasible_exits_3_with_the_shortfall(tmp_path):
    scenario = tmp_path / "tight.yaml"
    scenario.write_text(TINY.replace("hours: 4", "hours: 24"))  # 12 h per period > 10 h
    out = tmp_path / "plan"
    result = run("solve", str(scenario), "--out", str(out))
    assert result.exit_code == 3, result.output
    assert ("dev/code in 1: 2.0 h short for change work (needed by mandatory initiative b)"
            in result.output)
    assert not out.exists()


def test_overrides_are_applied_and_recorded(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    out = tmp_path / "plan"
    result = run("solve", str(scenario), "--out", str(out),
                 "--set", "initiatives.b.mandatory=false")
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "plan.json").read_text())
    assert plan["overrides"] == ["initiatives.b.mandatory=false"]
    # b is optional now; a (10 h in one period) and b (2 h in each period) do not both
    # fit in period 1's 10 h, so only one goes in: a, worth 0.75 against b's 0.25
    chosen = [r["id"] for r in plan["initiatives"] if r["selected"]]
    assert chosen == ["a"]
    assert run("check", str(scenario), str(out)).exit_code == 0


def test_check_reports_a_tampered_plan(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    out = tmp_path / "plan"
    assert run("solve", str(scenario), "--out", str(out)).exit_code == 0
    path = out / "assignments.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")  # drop one row of work
    result = run("check", str(scenario), str(out))
    assert result.exit_code == 1
    assert "staffing" in result.output


def test_export_regenerates_views(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    out = tmp_path / "plan"
    assert run("solve", str(scenario), "--out", str(out)).exit_code == 0
    result = run("export", str(out), "--format", "xlsx", "--out", str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "plan.xlsx").is_file()


def test_greedy_strategy_writes_a_checked_plan(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    out = tmp_path / "plan"
    result = run("solve", str(scenario), "--out", str(out), "--strategy", "greedy")
    assert result.exit_code == 0, result.output
    assert run("check", str(scenario), str(out)).exit_code == 0
