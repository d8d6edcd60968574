"""Issue 20, item 7: ``planner check`` reads plan.json and every view, not only two CSVs.

It passed after plan.json was deleted or replaced by ``{not json`` (so the recorded
overrides were silently not re-applied), after ``run.status`` was set to ``banana``
or ``infeasible``, after the objective was set to 99 with gap 0, and after
workload.csv's capacity was set to 999999. Each tampering below is made on a real
plan written by ``planner solve`` and must now fail ``planner check`` (exit 1)
naming the rule.
"""

from __future__ import annotations

import csv
import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io.export import write_plan
from planner.solving import Settings, solve
from tests.support import scenario

ROOT = Path(__file__).resolve().parents[2]
FIRM = ROOT / "scenarios" / "services_firm.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def firm_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("firm") / "plan"
    result = run("solve", str(FIRM), "--out", str(out), "--set", "policy.budget=150000", "-q")
    assert result.exit_code == 0, result.output
    assert run("check", str(FIRM), str(out)).exit_code == 0
    return out


@pytest.fixture
def plan(firm_plan, tmp_path) -> Path:
    import shutil

    out = tmp_path / "plan"
    shutil.copytree(firm_plan, out)
    return out


def _json(out: Path) -> dict:
    return json.loads((out / "plan.json").read_text())


def _set_run(out: Path, **changes: object) -> None:
    data = _json(out)
    data["run"].update(changes)
    (out / "plan.json").write_text(json.dumps(data))


def _fails(out: Path, *says: str) -> str:
    result = run("check", str(FIRM), str(out))
    assert result.exit_code == 1, result.output
    for text in says:
        assert text in result.output, result.output
    return result.output


def test_a_deleted_plan_json_fails(plan):
    (plan / "plan.json").unlink()
    # the recorded --set policy.budget=150000 cannot be re-applied: said, not skipped
    _fails(plan, "[file] plan.json", "is missing")


def test_a_plan_json_that_is_not_json_fails(plan):
    (plan / "plan.json").write_text("{not json")
    _fails(plan, "[file] plan.json", "is not valid JSON")


@pytest.mark.parametrize("status", ["banana", "infeasible", None])
def test_an_unknown_or_impossible_status_fails(plan, status):
    _set_run(plan, status=status)
    _fails(plan, "[plan_json]", "run.status is", "not one of optimal, feasible")


def test_an_invented_objective_fails(plan):
    _set_run(plan, objective=99, gap=0, bound=99)
    _fails(plan, "[objective] plan.json: run.objective is 99, the written plan gives")


def test_optimal_with_a_gap_and_a_bound_below_the_objective_fail(plan):
    run_ = _json(plan)["run"]
    _set_run(plan, status="optimal", gap=0.2, bound=run_["objective"] - 1)
    _fails(plan, "run.status is optimal but the gap is 0.2", "is below the objective")


def test_plan_json_must_show_the_plan_the_csv_files_show(plan):
    data = _json(plan)
    chosen = next(r for r in data["initiatives"] if r["selected"])
    chosen["selected"] = False
    data["assignments"]["data"][0][6] += 1.0  # one row's hours
    (plan / "plan.json").write_text(json.dumps(data))
    _fails(plan, f"[plan_json] {chosen['id']}: plan.json has selected=False",
           "plan.json has", "assignments.csv")


def _edit_csv(path: Path, edit) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    edit(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("view, column, value, says", [
    ("workload.csv", "capacity", "999999", "capacity is '999999'"),
    ("workload.csv", "rtb_short_high", "5", "rtb_short_high is '5'"),
    ("workload.csv", "utilisation", "0.01", "utilisation is '0.01'"),
    ("unit_plans.csv", "planned_hours", "1", "planned_hours is '1'"),
    ("individual_plans.csv", "total_hours", "777", "total_hours is '777'"),
    ("portfolio.csv", "labour_hours", "12345", "labour_hours is '12345'"),
    ("finance.csv", "amount", "1000000", "the rows sum to"),
])
def test_a_view_figure_that_disagrees_with_the_assignments_fails(plan, view, column, value,
                                                                  says):
    def edit(rows: list[dict]) -> None:
        rows[0][column] = value

    _edit_csv(plan / view, edit)
    _fails(plan, f"[view] {view}", says)


@pytest.mark.parametrize("metric", ["objective", "internal_labour_cost", "rtb_short_normal",
                                    "initiatives_chosen", "utilisation[consulting]"])
def test_a_summary_total_that_disagrees_fails(plan, metric):
    def edit(rows: list[dict]) -> None:
        row = next(r for r in rows if r["metric"] == metric)
        row["value"] = str(float(row["value"] or 0) + 3)

    _edit_csv(plan / "summary.csv", edit)
    _fails(plan, "[view] summary.csv", f"{metric} is")


def test_a_dropped_workload_row_fails(plan):
    def edit(rows: list[dict]) -> None:
        del rows[0]

    _edit_csv(plan / "workload.csv", edit)
    _fails(plan, "[view] workload.csv", "no row, though the plan has work or capacity there")


@pytest.mark.parametrize("name", ["workload.csv", "plan.json", "kpi_path.csv",
                                  "assignments.csv"])
def test_a_fifo_in_the_plan_folder_is_refused_without_blocking(plan, name):
    assert (plan / name).is_file()
    (plan / name).unlink()
    os.mkfifo(plan / name)
    out: list[str] = []
    t = threading.Thread(target=lambda: out.append(_fails(plan, f"[file] {name}")),
                         daemon=True)
    t.start()
    t.join(60)
    assert out and "is a FIFO (named pipe), not a regular file" in out[0]


# -- the objective, worked out by hand --------------------------------------------------

# 2 periods of 10 h; initiative a (W = 2 x 0.75 = 1.5, 10 h of code, 1 period, nps +4);
# nps: baseline 0, target 4 by period 2 (gap 4), objective grow (relative weight 1).
# a in period 1: 1.5 x (1 + 0.1 x (2-1-0)/2) = 1.575; closing the whole gap earns
# 0.5 x 1.5 = 0.75, meeting it 0.01 x 1.5 = 0.015: objective 2.34.
KPI = {
    "horizon": {"periods": 2, "period": "index", "hours_per_fte": 10},
    "strategy": {"objectives": [{"id": "grow", "weight": 2}],
                 "kpis": [{"id": "nps", "objective": "grow", "baseline": 0, "target": 4,
                           "by": 2}]},
    "units": [{"id": "dev"}],
    "staff": [{"id": "d0", "unit": "dev", "skills": ["code"]}],
    "initiatives": [{"id": "a", "contributes": {"grow": "strong"}, "duration": 1,
                     "kpi_impacts": {"nps": 4},
                     "effort": [{"unit": "dev", "skill": "code", "hours": 10}]}],
}


def test_the_objective_is_recomputed_term_by_term(tmp_path):
    from planner.checker import check_plan

    sc = scenario(**{k: v for k, v in KPI.items() if k != "horizon"}, horizon=KPI["horizon"])
    plan = solve(sc, Settings())
    assert plan.run.objective == pytest.approx(2.34, abs=1e-6)
    out = write_plan(plan, tmp_path / "plan")
    assert check_plan(sc, out).ok
    _set_run(out, objective=2.325, bound=2.325)  # the met bonus forgotten
    report = check_plan(sc, out)
    [v] = [v for v in report.violations if v.rule == "objective"]
    assert v.amount == pytest.approx(0.015, abs=1e-6)
    assert "KPI targets 0.765" in v.message and "initiatives 1.575" in v.message


def test_a_replan_records_its_stability_cost_and_check_verifies_it(tmp_path):
    """Against a baseline the objective is the plan's worth less the cost of the changes."""
    from planner.checker import check_plan

    base_sc = scenario(**{k: v for k, v in KPI.items() if k != "horizon"},
                       horizon=KPI["horizon"])
    base = solve(base_sc, Settings())
    # the new inputs allow a only in period 2: moving it costs 0.5 x W = 0.75, and its 10 h
    # in period 2, where the baseline had none, 10 x keep_hours 0.01 x (1.5 / 10 h) = 0.015
    # (period 1 has no change column left to measure the hours it lost)
    data = base_sc.model_dump(by_alias=True, exclude_none=True)
    data["initiatives"][0]["earliest_start"] = "2"
    sc = scenario(**{k: v for k, v in data.items() if k not in ("name",)})
    plan = solve(sc, Settings(previous=base))
    worth = 1.5 * 1.0 + 0.75 + 0.015  # finishing last: no earliness reward
    assert plan.run.stability_cost == pytest.approx(0.765, abs=1e-6)
    assert plan.run.objective == pytest.approx(worth - 0.765, abs=1e-6)
    out = write_plan(plan, tmp_path / "plan")
    assert check_plan(sc, out).ok, check_plan(sc, out).to_text()
    _set_run(out, stability_cost=0.0)
    assert [v.rule for v in check_plan(sc, out).violations] == ["objective"]
    _set_run(out, stability_cost=-1.0, objective=worth + 1.0)
    assert "cannot raise the objective" in check_plan(sc, out).to_text()
