"""``planner solve --robust``: a checked plan of the real scenario, and what it cost.

The packed scenario of ``tests/analysis/test_robust.py``: three initiatives of 200 h
fill one person's 6 periods exactly; with effort triangular(0.9, 1, 1.4) the
ordinary plan does not hold, the robust one leaves room.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planner.cli import main

YAML = """\
name: packed
horizon: {periods: 6, period: index, hours_per_fte: 100}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: a}]
staff: [{id: p, unit: a, skills: [x]}]
initiatives:
  - {id: A, contributes: {grow: 1}, duration: 2, effort: [{unit: a, skill: x, hours: 200}]}
  - {id: B, contributes: {grow: 0.66}, duration: 2, effort: [{unit: a, skill: x, hours: 200}]}
  - {id: C, contributes: {grow: 0.33}, duration: 2, effort: [{unit: a, skill: x, hours: 200}]}
uncertainty:
  effort: {low: 0.9, high: 1.4}
"""


def test_solve_robust_writes_a_checked_plan_and_its_cost(tmp_path: Path) -> None:
    path = tmp_path / "packed.yaml"
    path.write_text(YAML)
    out = tmp_path / "robust"
    runner = CliRunner()
    r = runner.invoke(main, ["solve", str(path), "--robust", "0.9", "--robust-samples", "300",
                             "--out", str(out), "--time-limit", "20", "--report"])
    assert r.exit_code == 0, r.output
    assert "What robustness cost" in r.output and "robust plan holds" in r.output
    assert (out / "robust.csv").read_text().startswith("metric,ordinary,robust,difference")
    assert (out / "robust_rounds.csv").exists() and (out / "robust_buffers.csv").exists()
    html = (out / "report.html").read_text()
    assert 'id="risk"' in html and "What robustness cost" in html
    check = runner.invoke(main, ["check", str(path), str(out)])
    assert check.exit_code == 0, check.output
    risk = runner.invoke(main, ["risk", str(out), "--samples", "500", "--seed", "4",
                                "--out", str(tmp_path / "r")])
    assert risk.exit_code == 0, risk.output
    # the report in the plan folder is rewritten with the new numbers, and the cost kept
    html = (out / "report.html").read_text()
    assert "500 samples" in html and "What robustness cost" in html


def test_robust_refuses_a_replan(tmp_path: Path) -> None:
    path = tmp_path / "packed.yaml"
    path.write_text(YAML)
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "base"), "-q",
                                "--time-limit", "20"]).exit_code == 0
    r = runner.invoke(main, ["solve", str(path), "--robust", "0.9", "--baseline",
                             str(tmp_path / "base"), "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "--robust does not combine with --baseline" in r.output
    assert not (tmp_path / "x").exists()


def test_robust_needs_an_uncertainty_section(tmp_path: Path) -> None:
    path = tmp_path / "certain.yaml"
    path.write_text(YAML.split("uncertainty:")[0])
    r = CliRunner().invoke(main, ["solve", str(path), "--robust", "0.9", "--out",
                                  str(tmp_path / "x")])
    assert r.exit_code == 1 and "no 'uncertainty:' section" in r.output
    assert not (tmp_path / "x").exists()
