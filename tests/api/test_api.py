"""The public API: ``planner.solve`` returns a Result; it and the CLI write the same folder."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import scenario

import planner
from planner.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIRM = ROOT / "scenarios" / "services_firm.yaml"


def _same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ (or exist on one side only) between two folders."""
    cmp = filecmp.dircmp(a, b)
    out = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
    for name in cmp.common_files:
        if (a / name).read_bytes() != (b / name).read_bytes():
            out.append(name)
    return sorted(set(out))


def test_cli_and_api_write_byte_identical_plan_folders(tmp_path: Path) -> None:
    # the greedy strategy is deterministic; overrides and warnings are recorded alike
    args = ["--strategy", "greedy", "--set", "policy.budget=150000"]
    res = CliRunner().invoke(main, ["solve", str(FIRM), "--out", str(tmp_path / "cli"), "-q",
                                    *args])
    assert res.exit_code == 0, res.output
    r = planner.solve(FIRM, overrides=["policy.budget=150000"], strategy="greedy")
    assert r.status is planner.Status.FEASIBLE
    r.write(tmp_path / "api")
    # plan.json carries timings, which differ run to run; everything else is identical
    differ = _same_tree(tmp_path / "cli", tmp_path / "api")
    assert differ in ([], ["plan.json"])
    if differ:
        import json

        a = json.loads((tmp_path / "cli" / "plan.json").read_text())
        b = json.loads((tmp_path / "api" / "plan.json").read_text())
        for d in (a, b):
            d["run"].pop("timings")
        assert a == b


def test_result_says_what_happened(tmp_path: Path) -> None:
    r = planner.solve(FIRM, time_limit=20)
    assert r.status in (planner.Status.OPTIMAL, planner.Status.FEASIBLE)
    assert r.plan is not None and r.plan.selected
    lines = r.summary().splitlines()
    assert lines[0].startswith(f"{r.scenario.name}: {r.status.value}")
    assert any(line.startswith("initiatives: ") for line in lines)
    assert any(line.startswith("KPI targets") for line in lines)
    assert {"portfolio", "workload", "summary"} <= set(r.views())
    out = r.write(tmp_path / "plan")
    assert planner.check(FIRM, out).ok


def test_infeasible_is_a_status_not_an_exception() -> None:
    sc = scenario(
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"]}],
        initiatives=[{"id": "big", "mandatory": True, "contributes": {"grow": 1},
                      "effort": [{"unit": "a", "skill": "x", "hours": 10_000}]}],
    )
    r = planner.solve(sc, time_limit=10)
    assert r.status is planner.Status.INFEASIBLE
    assert r.plan is None and r.diagnosis is not None
    assert "big" in r.message
    with pytest.raises(planner.SolveError):
        r.views()


def test_overrides_need_a_file() -> None:
    sc = planner.load(FIRM)
    with pytest.raises(ValueError):
        planner.solve(sc, overrides=["policy.budget=1"])


def test_a_plan_prints_briefly() -> None:
    r = planner.solve(FIRM, strategy="greedy")
    assert r.plan is not None
    text = repr(r.plan)
    assert text.startswith("Plan('") and "initiatives chosen" in text and len(text) < 300
