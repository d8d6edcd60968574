"""The checker recomputes the objective of a long-term plan (issue 15) by itself.

Worked by hand. Four quarters of 2027; ``discount_rate`` 1.44140625 = 1.25 ** 4 - 1,
so money at the end of quarter t (0-based) is worth 1.25 ** -(t + 1) today:
0.8, 0.64, 0.512, 0.4096. ``objective: value``, no earliness reward.

``p`` has two phases: design (1 quarter, 10 h of dev) and build (2 quarters, 40 h
of dev, 20 h a quarter). Its cost 100 falls by phase (``cost_profile`` [0.5, 0.5]):
50 in its first quarter, 25 in each of the other two. It brings 200 on delivery
and then ``value_per_period`` 80 ramped over 2 quarters (40 in the first quarter
after). Nobody in unit ``u`` codes, so a contractor (1 an hour) does all 50 h.

=================  =========================================================
start Q1 (s = 0)   NPV = -50 x 0.8 - 25 x 0.64 + 175 x 0.512 + 40 x 0.4096
                   = 49.984; contractors 10 x 0.8 + 20 x 0.64 + 20 x 0.512
                   = 31.04 (discounted, one for one)
=================  =========================================================

``late`` (pinned out, 1 quarter, value 100, no effort) depends on ``p.design``: its
earliest start is Q2 (after design), where its NPV is 100 x 0.64 = 64. The scale
of the other terms takes every initiative at its earliest start: the average
positive weight is (49.984 + 64) / 2 = 56.992 and the weight per effort hour
49.984 / 50 h (p's phase effort; ``late`` has none) = 0.99968.

* RTB: 5 h of ``normal`` ops a quarter that nobody can do: 20 h short x 2 x 0.99968
  = 39.9872.
* KPI ``nps`` (baseline 0; p adds 10) has two checkpoints, each worth half of the
  KPI's reward 0.5 x 56.992: ``target`` 10 by 2027-Q3 is met (p finishes then):
  14.248 + the met bonus 0.01 x 28.496 = 14.53296; the 2027 target 20 is half
  closed: 0.5 x 28.496 x 0.5 = 7.124. Together 21.65696.

Objective = 49.984 - 31.04 - 39.9872 + 21.65696 = 0.61376 (starting p in Q2 gives
26.88 - 24.832 - 39.9872 + 7.124 < 0; leaving it out -39.9872).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from models.plan import ASSIGNMENT_COLUMNS
from models.scenario import Scenario
from planner.checker import PORTFOLIO_COLUMNS, check_plan
from planner.checker.context import Context
from planner.checker.objective import Terms, recompute
from planner.checker.objective_money import earliest_starts
from planner.checker.people import prepare
from planner.checker.portfolio import check_portfolio
from planner.checker.read import read_table
from planner.io.export import write_plan
from planner.problem.calendar import Calendar
from planner.problem.data import compile_problem
from planner.solving import Settings, solve
from tests.support import scenario

WORKED = 49.984 - 31.04 - 39.9872 + 21.65696


def long_term() -> Scenario:
    return scenario(
        horizon={"start": "2027-Q1", "periods": 4, "period": "quarter", "hours_per_fte": 40},
        units=[{"id": "u"}],
        staff=[{"id": "ann", "unit": "u", "skills": {"design": 1}}],
        external=[{"skill": "dev", "max_fte": 1, "cost_per_hour": 1}],
        run_the_business=[{"unit": "u", "skill": "ops", "hours": 5, "priority": "normal"}],
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "nps", "baseline": 0, "target": 10, "by": "2027-Q3",
                            "targets": {2027: 20}}]},
        initiatives=[
            {"id": "p", "contributes": {"grow": 1}, "cost": 100, "cost_profile": [0.5, 0.5],
             "value": 200, "value_per_period": 80, "value_ramp": 2, "kpi_impacts": {"nps": 10},
             "phases": [{"name": "design", "duration": 1,
                         "effort": [{"unit": "u", "skill": "dev", "hours": 10}]},
                        {"name": "build", "duration": 2,
                         "effort": [{"unit": "u", "skill": "dev", "hours": 40}]}]},
            {"id": "late", "contributes": {"grow": 1}, "duration": 1, "value": 100,
             "pin": "out", "depends_on": ["p.design"]},
        ],
        policy={"objective": "value", "discount_rate": 1.44140625, "earliness": 0,
                "budget": {2027: 1000}},
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sc = long_term()
    plan = solve(sc, Settings())
    assert plan.initiative("p").start == "2027-Q1"
    return write_plan(plan, tmp_path_factory.mktemp("years") / "plan")


def terms(sc: Scenario, folder: Path) -> Terms:
    ctx = Context(sc, folder)
    pf = read_table(ctx, "portfolio.csv", PORTFOLIO_COLUMNS)
    a = read_table(ctx, "assignments.csv", ASSIGNMENT_COLUMNS)
    assert pf is not None and a is not None
    check_portfolio(ctx, pf)
    return recompute(ctx, prepare(ctx, a))


def test_the_checker_recomputes_the_worked_objective(written: Path) -> None:
    sc = long_term()
    t = terms(sc, written)
    assert t.initiatives == pytest.approx(49.984, abs=1e-9)
    assert t.contractors == pytest.approx(31.04, abs=1e-9)
    assert t.rtb_normal == pytest.approx(39.9872, abs=1e-9)
    assert t.kpi == pytest.approx(21.65696, abs=1e-9)
    assert t.total == pytest.approx(WORKED, abs=1e-9)
    run = json.loads((written / "plan.json").read_text())["run"]
    assert run["objective"] == pytest.approx(WORKED, abs=1e-4)  # + the tie-break
    report = check_plan(sc, written)
    assert report.ok, report.to_text()


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    return Path(shutil.copytree(src, dst))


@pytest.mark.parametrize("wrong", [
    100 - 50 - 39.9872 + 21.65696,  # value - cost and contractors undiscounted (before NPV)
    49.984 - 31.04 - 39.9872 + 43.31392,  # each checkpoint earning the KPI's whole reward
    49.984 - 31.04 - 40 + 21.65696,  # weight per hour 1: p's phase effort not counted
])
def test_a_wrong_long_term_objective_is_caught(written: Path, tmp_path: Path,
                                               wrong: float) -> None:
    out = _copy(written, tmp_path / "plan")
    data = json.loads((out / "plan.json").read_text())
    data["run"]["objective"] = data["run"]["bound"] = wrong
    (out / "plan.json").write_text(json.dumps(data))
    report = check_plan(long_term(), out)
    [v] = [v for v in report.violations if v.rule == "objective"]
    assert v.amount == pytest.approx(abs(wrong - WORKED), abs=1e-9)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_change_demand_of_a_phased_initiative_is_per_phase(written: Path,
                                                           tmp_path: Path) -> None:
    rows = _rows(written / "workload.csv")
    dev = {r["period"]: float(r["change_demand"]) for r in rows if r["skill"] == "dev"}
    assert dev == {"2027-Q1": 10, "2027-Q2": 20, "2027-Q3": 20, "2027-Q4": 0}
    out = _copy(written, tmp_path / "plan")
    for r in rows:  # the 50 h spread evenly over the 3 quarters instead
        if r["skill"] == "dev" and r["period"] == "2027-Q1":
            r["change_demand"] = "16.6667"
    _write(out / "workload.csv", rows)
    [v] = check_plan(long_term(), out).violations
    assert (v.rule, v.item, v.period) == ("view", "workload.csv", "2027-Q1")
    assert "change_demand is '16.6667', the plan gives 10.0000" in v.message


def test_the_summary_budget_is_the_sum_of_the_years(written: Path, tmp_path: Path) -> None:
    rows = _rows(written / "summary.csv")
    by = {r["metric"]: r["value"] for r in rows}
    assert float(by["budget"]) == 1000 and float(by["budget_remaining"]) == pytest.approx(
        1000 - 100 - 50)
    out = _copy(written, tmp_path / "plan")
    for r in rows:
        if r["metric"] == "budget_remaining":
            r["value"] = "900"  # the contractors forgotten
    _write(out / "summary.csv", rows)
    [v] = check_plan(long_term(), out).violations
    assert (v.rule, v.item) == ("view", "summary.csv") and "budget_remaining" in v.message


@pytest.mark.parametrize(("column", "value", "says"), [
    ("spend", "100", "spend is '100', the plan gives 150.00"),  # contractors forgotten
    ("external_cost", "52", "external_cost is '52', the plan gives 50.00"),
    ("benefits", "280", "benefits is '280', the plan gives 240.00"),  # ramp ignored
    ("budget", "900", "budget is '900', the plan gives 1000.00"),
])
def test_long_term_plan_money_agrees_with_the_plan(written: Path, tmp_path: Path,
                                                   column: str, value: str, says: str) -> None:
    rows = _rows(written / "long_term_plan.csv")
    # p: cost 100, contractors 50; benefits 200 on delivery + 40 in Q4 (half of 80)
    assert [(r["year"], float(r["initiative_cost"]), float(r["external_cost"]),
             float(r["benefits"])) for r in rows] == [("2027", 100, 50, 240)]
    out = _copy(written, tmp_path / "plan")
    rows[0][column] = value
    _write(out / "long_term_plan.csv", rows)
    [v] = check_plan(long_term(), out).violations
    assert (v.rule, v.item, v.period) == ("view", "long_term_plan.csv", "2027")
    assert says in v.message


def test_earliest_starts_follow_phases_windows_and_forced_dependants() -> None:
    sc = scenario(
        horizon={"periods": 6, "period": "index", "hours_per_fte": 10},
        initiatives=[
            {"id": "a", "contributes": {"grow": 1},
             "phases": [{"name": "x", "duration": 2}, {"name": "y", "duration": 2}]},
            {"id": "b", "contributes": {"grow": 1}, "duration": 1, "depends_on": ["a.x"]},
            {"id": "c", "contributes": {"grow": 1}, "duration": 1, "depends_on": ["a"],
             "earliest_start": "1"},
            {"id": "d", "contributes": {"grow": 1}, "duration": 1, "depends_on": ["e"]},
            {"id": "e", "contributes": {"grow": 1}, "duration": 3, "earliest_start": "3"},
            {"id": "f", "contributes": {"grow": 1}, "duration": 1, "depends_on": ["e"],
             "mandatory": True, "deadline": "4"},
        ],
    )
    got = earliest_starts(sc, Calendar(sc.horizon))
    # b after phase x (period 2, 0-based); c after the whole of a (4); d after e (2 + 3);
    # f (mandatory) must start by 3, so e by 0, before its earliest_start: neither has a
    # start left (they are weighed value - cost)
    assert got == {"a": 0, "b": 2, "c": 4, "d": 5, "e": None, "f": None}
    # the same windows as the model's (which the checker does not import)
    data = compile_problem(sc)
    assert got == {i.id: i.earliest if i.latest >= i.earliest else None
                   for i in data.initiatives}
