"""Efficient frontier: value against budget (and headcount), checked by hand.

One developer (10 h per period, 4 periods) and 10-h initiatives of one period:
x (score 1.0, cost 40), y (0.5, cost 40), z (0.2, free), w (0.9, cost 100).
Best plan per budget: 0 -> z; 40 -> x z; 80 -> x y z; 120 -> still x y z
(w + z scores less); 160 -> x w z (w enters, y leaves).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import scenario

import planner.analysis.frontier as fr
import planner.cli.frontier as cli_frontier
from planner.checker import check_plan
from planner.cli import main
from planner.io.export import write_plan

INITIATIVES = [("x", 1.0, 40), ("y", 0.5, 40), ("z", 0.2, 0), ("w", 0.9, 100)]


def work(id: str, score: float, cost: float) -> dict:
    return {"id": id, "contributes": {"grow": score}, "duration": 1, "cost": cost,
            "effort": [{"unit": "dev", "skill": "code", "hours": 10}]}


def firm(extra: list[dict] | None = None, budget: float | None = None) -> object:
    return scenario(
        units=[{"id": "dev"}],
        staff=[{"id": "d0", "unit": "dev", "skills": ["code"], "cost_per_hour": 10}],
        initiatives=[work(*i) for i in INITIATIVES] + (extra or []),
        policy={"budget": budget},
    )


def checked(plans: list) -> None:
    """Every point's plan passes the independent checker under its own scenario."""
    for plan in plans:
        with tempfile.TemporaryDirectory() as tmp:
            out = write_plan(plan, Path(tmp) / "p")
            report = check_plan(plan.scenario, out)
            assert report.ok, report.to_text()


@pytest.fixture(scope="module")
def budget_sweep():
    return fr.sweep(firm(), [0, 40, 80, 120, 160], workers=1)


def test_budget_sweep_by_hand(budget_sweep):
    table, plans = budget_sweep
    assert table["budget"].tolist() == [0, 40, 80, 120, 160]
    assert table["strategic_score"].tolist() == [0.2, 1.2, 1.7, 1.7, 2.1]
    assert table["spend"].tolist() == [0, 40, 80, 80, 140]
    assert table["entered"].tolist() == ["z", "x", "y", "", "w"]
    assert table["left"].tolist() == ["", "", "", "", "y"]
    assert table["initiatives"].tolist() == [1, 2, 3, 3, 3]
    assert (table["status"] == "optimal").all()
    assert (table["kept_from"] == "").all()
    assert [p.scenario.policy.budget for p in plans] == [0, 40, 80, 120, 160]
    assert plans[4].overrides == ["policy.budget=160"]
    checked(plans)


def test_frontier_never_falls(budget_sweep):
    table, _ = budget_sweep
    obj = table["objective"].tolist()
    assert all(b >= a for a, b in zip(obj, obj[1:], strict=False))
    assert obj[-1] > obj[0]


def test_a_worse_solve_is_replaced_by_a_dominated_points_plan(monkeypatch):
    real = fr._solve_point

    def flaky(args):
        data, settings = args
        if data["policy"].get("budget") == 80:
            data = {**data, "policy": {**data["policy"], "budget": 0}}
            status, plan = real((data, settings))  # as if a time limit left only "z"
            return status, plan
        return real(args)

    monkeypatch.setattr(fr, "_solve_point", flaky)
    table, plans = fr.sweep(firm(), [0, 40, 80], workers=1)
    assert table["kept_from"].tolist() == ["", "", "budget 40"]
    assert table["objective"].iloc[2] == table["objective"].iloc[1]
    assert table["status"].iloc[2] == "feasible"
    assert plans[2].scenario.policy.budget == 80
    assert plans[2].selected == ["x", "z"]
    assert "kept" in plans[2].run.message
    checked(plans[2:])  # the others are ordinary solves, checked above


def test_capacity_sweep_adds_synthetic_people():
    # a fifth initiative v (0.3, free): 50 h of work for 40 h; one more FTE fits all
    sc = firm([work("v", 0.3, 0)], budget=1000)
    cap = cli_frontier.parse_capacity("dev/code:+0:+1")
    table, plans = fr.sweep(sc, None, cap, workers=1)
    assert table["added_fte"].tolist() == [0, 1]
    assert table["strategic_score"].tolist() == [2.7, 2.9]
    assert table["entered"].tolist() == ["x; y; w; v", "z"]
    added = [p for p in plans[1].scenario.staff if p.id.startswith("new-")]
    assert [(p.id, p.unit, p.skills, p.fte, p.cost_per_hour) for p in added] == [
        ("new-dev-code-1", "dev", {"code": 1.0}, 1.0, 10.0)]
    checked(plans)


def test_infeasible_points_are_reported_not_fatal():
    sc = firm([{**work("m", 0.1, 50), "mandatory": True}])
    table, plans = fr.sweep(sc, [0, 60], workers=1)
    assert table["status"].tolist() == ["infeasible", "optimal"]
    assert plans[0] is None
    assert math.isnan(table["objective"].iloc[0])
    assert table["note"].iloc[0] == "budget short by 50"


def test_parse_specs():
    assert cli_frontier.parse_budgets("0:2000000:10")[:3] == [0, 200000, 400000]
    assert len(cli_frontier.parse_budgets("0:2000000:10")) == 11
    assert cli_frontier.parse_budgets("750000,500000") == [500000, 750000]
    c = cli_frontier.parse_capacity("it/engineer:+0:+5")
    assert (c.unit, c.skill, c.fte) == ("it", "engineer", [0, 1, 2, 3, 4, 5])
    assert cli_frontier.parse_capacity("it/engineer:+1:+2:0.5").fte == [1, 1.5, 2]
    for bad in ("10:0:2", "0:10", "a,b", "-5"):
        with pytest.raises(ValueError, match="--budget"):
            cli_frontier.parse_budgets(bad)
    for bad in ("it:+0:+5", "it/engineer:+5:+0", "it/engineer"):
        with pytest.raises(ValueError, match="--capacity"):
            cli_frontier.parse_capacity(bad)
    with pytest.raises(ValueError, match="unknown unit 'ops'"):
        fr.with_capacity(firm(), "ops", "code", 1)


FIRM = """\
name: firm
horizon: {periods: 4, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code], cost_per_hour: 10}]
initiatives:
"""


def test_cli_frontier_in_parallel_writes_csv_png_and_checked_plans(tmp_path):
    text = FIRM + "".join(
        f"  - {{id: {i}, contributes: {{grow: {s}}}, cost: {c}, "
        "effort: [{unit: dev, skill: code, hours: 10}]}\n" for i, s, c in INITIATIVES)
    path = tmp_path / "firm.yaml"
    path.write_text(text)
    out = tmp_path / "front"
    runner = CliRunner()
    result = runner.invoke(main, ["frontier", str(path), "--budget", "0:160:2", "--out", str(out),
                                  "--plans", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "Efficient frontier" in result.output
    lines = (out / "frontier.csv").read_text().splitlines()
    assert lines[0] == ",".join(fr.COLUMNS)
    assert len(lines) == 4
    assert lines[3].startswith("160,0,optimal,")
    assert ",w,y,,point-002" in lines[3]  # x y z at 80, x w z at 160
    assert (out / "frontier.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a point passes `planner check` on the scenario file (its budget read from plan.json)
    check = runner.invoke(main, ["check", str(path), str(out / "point-001")])
    assert check.exit_code == 0, check.output
    assert runner.invoke(main, ["frontier", str(path)]).exit_code == 2
    bad = runner.invoke(main, ["frontier", str(path), "--capacity", "ops/code:+0:+1"])
    assert bad.exit_code == 2 and "unknown unit 'ops'" in bad.output
