"""``planner.risk``: the CLI's numbers from Python, for a plan or its folder."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import planner
from planner.analysis.risk import write_risk
from planner.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIRM = ROOT / "scenarios" / "services_firm.yaml"


def test_risk_of_a_folder_equals_the_command(tmp_path: Path) -> None:
    result = planner.solve(FIRM, strategy="greedy")
    assert result.plan is not None
    folder = result.write(tmp_path / "plan")
    r = CliRunner().invoke(main, ["risk", str(folder), "--samples", "200", "--seed", "7",
                                  "--out", str(tmp_path / "cli"), "-q"])
    assert r.exit_code == 0, r.output
    from_folder = planner.risk(folder, samples=200, seed=7)
    from_plan = planner.risk(result.plan, samples=200, seed=7)
    write_risk(from_folder, tmp_path / "api")
    for name in ("initiatives.csv", "rtb.csv", "budget.csv", "kpis.csv", "summary.csv"):
        assert (tmp_path / "api" / name).read_text() == (tmp_path / "cli" / name).read_text()
    assert from_plan.initiatives.equals(from_folder.initiatives)
    assert from_plan.metric("samples") == 200
