"""Comparing plans: every delta of a budget cut and a new hire, checked by hand.

Base: one developer d0 (10 h per period, 10 per hour) over 4 periods and three
10-h initiatives of one period each: x (score 1.0, cost 40, value 1000),
y (0.5, cost 40, value 500), z (0.2, no cost). With a budget of 100 all three
run, best first: x in 1, y in 2, z in 3. A cut to 50 drops y and z moves up to 2.
"""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner
from support import scenario, solve_checked

from planner.analysis.compare import (
    changed_assignments,
    compare_plans,
    scenario_names,
    stack,
)
from planner.analysis.frontier import with_capacity
from planner.cli import main


def work(id: str, score: float, cost: float, value: float) -> dict:
    return {"id": id, "contributes": {"grow": score}, "duration": 1, "cost": cost,
            "value": value, "effort": [{"unit": "dev", "skill": "code", "hours": 10}]}


def base_scenario(budget: float) -> object:
    return scenario(
        units=[{"id": "dev"}],
        staff=[{"id": "d0", "unit": "dev", "skills": ["code"], "cost_per_hour": 10}],
        initiatives=[work("x", 1.0, 40, 1000), work("y", 0.5, 40, 500), work("z", 0.2, 0, 0)],
        policy={"budget": budget},
    )


@pytest.fixture(scope="module")
def plans() -> dict:
    base = base_scenario(100)
    return {
        "base": solve_checked(base),
        "cut": solve_checked(base_scenario(50)),
        "hire": solve_checked(with_capacity(base, "dev", "code", 1)),
    }


def test_plans_are_as_worked_out_by_hand(plans):
    start = {n: {r.id: r.start for r in p.initiatives} for n, p in plans.items()}
    assert start["base"] == {"x": "1", "y": "2", "z": "3"}
    assert start["cut"] == {"x": "1", "y": None, "z": "2"}
    # 20 h per period: x and y in 1, z in 2
    assert start["hire"] == {"x": "1", "y": "1", "z": "2"}


def test_headline_deltas(plans):
    h = compare_plans(plans)["headline"].set_index("metric")
    assert list(h.columns) == ["base", "cut", "hire", "delta[cut]", "delta[hire]"]
    assert h.loc["strategic_score"].tolist()[:4] == [1.7, 1.2, 1.7, -0.5]
    assert h.loc["value", "delta[cut]"] == -500
    assert h.loc["incremental_spend", "base"] == 80
    assert h.loc["incremental_spend", "delta[cut]"] == -40
    assert h.loc["budget", "delta[cut]"] == -50
    assert h.loc["budget_remaining", "base"] == 20
    assert h.loc["budget_remaining", "cut"] == 10
    assert h.loc["initiatives_chosen", "delta[cut]"] == -1
    # internal labour: 30 h x 10 against 20 h x 10
    assert h.loc["internal_labour_cost", "delta[cut]"] == -100
    assert h.loc["rtb_short_high", "delta[cut]"] == 0
    assert h.loc["external_hours", "delta[cut]"] == 0
    # dev: 40 h capacity; 30 h planned in the base, 20 after the cut, 30 of 80 with the hire
    assert h.loc["utilisation[dev]", "base"] == 0.75
    assert h.loc["utilisation[dev]", "delta[cut]"] == -0.25
    assert h.loc["utilisation[dev]", "hire"] == 0.375
    assert h.loc["strategic_score", "delta[hire]"] == 0


def test_initiatives_added_dropped_and_moved(plans):
    t = compare_plans(plans)["initiatives"]
    rows = t[["scenario", "initiative", "change", "base_start", "start", "shift"]]
    got = [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r)
           for r in rows.itertuples(index=False)]
    assert got == [
        ("cut", "y", "dropped", "2", "", None),
        ("cut", "z", "moved", "3", "2", -1),
        ("hire", "y", "moved", "2", "1", -1),
        ("hire", "z", "moved", "3", "2", -1),
    ]
    dropped = t[t["change"] == "dropped"].iloc[0]
    assert "budget" in dropped["reason"]
    moved = t[(t["scenario"] == "cut") & (t["change"] == "moved")].iloc[0]
    assert moved["reason"] == "re-scheduled to make room for other work"


def test_initiatives_show_the_review_status_and_its_change():
    # y rejected in the base (pinned out); approved in the other: it is added,
    # and the row says the status moved, which is why
    base = base_scenario(100)
    rejected = base.model_copy(deep=True)
    rejected.initiatives[1].status = "rejected"
    approved = base.model_copy(deep=True)
    approved.initiatives[1].status = "approved"
    plans = {"base": solve_checked(rejected), "approved": solve_checked(approved)}
    t = compare_plans(plans)["initiatives"].set_index("initiative")
    assert t.loc["y", "change"] == "added"
    assert t.loc["y", "review_status"] == "approved (base: rejected)"
    assert t.loc["z", "review_status"] == "proposed"  # z moved, status unchanged


def test_units_change_in_capacity_change_hours_and_shortfall(plans):
    u = compare_plans(plans)["units"].set_index("scenario")
    assert u.loc["base", "capacity"] == 40
    assert u.loc["base", "change_hours"] == 30
    assert u.loc["cut", "delta_change_hours"] == -10
    assert u.loc["cut", "delta_capacity"] == 0
    assert u.loc["hire", "delta_capacity"] == 40
    assert u.loc["hire", "delta_change_hours"] == 0
    assert u.loc["hire", "delta_utilisation"] == -0.375
    assert (u["rtb_short"] == 0).all() and (u["delta_rtb_short"] == 0).all()


def test_people_whose_plans_changed_most(plans):
    p = compare_plans(plans)["people"]
    cut = p[p["scenario"] == "cut"].set_index("person")
    # d0: y@2 (10 h) gone, z@3 (10 h) -> z@2: |diff| = 10 + 10 + 10, halved
    assert cut.loc["d0", "changed_hours"] == 15
    assert cut.loc["d0", "pieces_changed"] == 3
    assert (cut.loc["d0", "base_hours"], cut.loc["d0", "hours"]) == (30, 20)
    hire = p[p["scenario"] == "hire"]
    # most changed first
    assert hire["changed_hours"].is_monotonic_decreasing
    assert changed_assignments(plans["base"], plans["cut"]) == 3


def test_any_view_stacks_under_a_scenario_level(plans):
    s = stack(plans, "portfolio")
    assert s.index.names == ["scenario", "row"]
    assert len(s) == 9
    assert s.loc["cut"].set_index("initiative").loc["y", "selected"] == False  # noqa: E712
    w = stack(plans, "workload")
    assert set(w.index.get_level_values("scenario")) == {"base", "cut", "hire"}


def test_names_are_short_and_unique():
    assert scenario_names(["a/s.yaml", "b/s.yaml", "plans/cut"]) == ["s", "s#2", "cut"]


def test_cli_compare_scenario_file_with_plan_folder(tmp_path):
    text = """\
name: firm
horizon: {periods: 4, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code], cost_per_hour: 10}]
policy: {budget: 100}
initiatives:
  - {id: x, contributes: {grow: 1.0}, cost: 40, value: 1000, effort: [{unit: dev, skill: code,
     hours: 10}]}
  - {id: y, contributes: {grow: 0.5}, cost: 40, value: 500, effort: [{unit: dev, skill: code,
     hours: 10}]}
  - {id: z, contributes: {grow: 0.2}, effort: [{unit: dev, skill: code, hours: 10}]}
"""
    path = tmp_path / "firm.yaml"
    path.write_text(text)
    runner = CliRunner()
    cut = tmp_path / "cut"
    solved = runner.invoke(main, ["solve", str(path), "--out", str(cut), "-q",
                                  "--set", "policy.budget=50"])
    assert solved.exit_code == 0, solved.output
    out = tmp_path / "cmp"
    result = runner.invoke(main, ["compare", str(path), str(cut), "--out", str(out),
                                  "--view", "finance"])
    assert result.exit_code == 0, result.output
    assert "Headline" in result.output and "dropped" in result.output
    for name in ("headline", "initiatives", "units", "people", "finance"):
        assert (out / f"{name}.csv").is_file(), name
    head = (out / "headline.csv").read_text().splitlines()
    assert head[0] == "metric,firm,cut,delta[cut]"
    assert "strategic_score,1.7,1.2,-0.5" in head
    lines = (out / "initiatives.csv").read_text().splitlines()
    assert lines[1].startswith("cut,y,y,dropped,proposed,2,,,")
    assert (out / "finance.csv").read_text().startswith("scenario,")
    bad = runner.invoke(main, ["compare", str(path)])
    assert bad.exit_code == 2
