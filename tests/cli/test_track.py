"""``planner track PLAN_DIR --actuals FILE --out DIR``: the files, the summary, the errors.

The plan and actuals are those of ``tests/analysis/test_tracking.py`` (figures there).
"""

from __future__ import annotations

import pandas as pd
from asof_cases import TRACK_ACTUALS as ACTUALS
from asof_cases import track_plan as hand_plan
from asof_cases import write_csv
from click.testing import CliRunner

from planner.cli import main
from planner.io.export import write_plan


def test_track_writes_the_tables_and_names_what_is_behind(tmp_path):
    plan_dir = write_plan(hand_plan(), tmp_path / "plan")
    act = write_csv(tmp_path / "actuals.csv", ACTUALS)
    out = tmp_path / "track"
    r = CliRunner().invoke(main, ["track", str(plan_dir), "--actuals", str(act), "--out",
                                  str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "progress.csv", "variance.csv", "variance_by_initiative.csv", "variance_by_period.csv",
        "variance_by_person.csv", "variance_by_unit.csv"]
    assert (out / "variance_by_initiative.csv").read_text().splitlines() == [
        "work,planned_hours,actual_hours,hours_variance,planned_cost,actual_cost,cost_variance",
        "a,20,20,0,2000,2000,0",
        "b,12,8,-4,720,660,-60",
        "rtb:dev,4,6,2,240,440,200",
    ]
    progress = pd.read_csv(out / "progress.csv", dtype=str, keep_default_na=False)
    assert progress[["initiative", "behind", "forecast_finish"]].values.tolist() == [
        ["a", "false", "2"], ["b", "true", "4"]]
    assert "actuals through 2: 34.0 h against 36.0 h planned (-2.0 h, cost +140.00)" in r.output
    # the folder exists: refused without --force, replaced with it
    again = CliRunner().invoke(main, ["track", str(plan_dir), "--actuals", str(act), "--out",
                                      str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    forced = CliRunner().invoke(main, ["track", str(plan_dir), "--actuals", str(act), "--out",
                                       str(out), "--force"])
    assert forced.exit_code == 0, forced.output


def test_bad_actuals_exit_1_with_file_and_line(tmp_path):
    plan_dir = write_plan(hand_plan(), tmp_path / "plan")
    act = write_csv(tmp_path / "actuals.csv", "person,unit,period,work,skill,hours\n"
                                              "d0,dev,1,zz,code,8")
    r = CliRunner().invoke(main, ["track", str(plan_dir), "--actuals", str(act)])
    assert r.exit_code == 1
    assert f"{act}:2: field 'work': 'zz' is not an initiative" in r.output
    assert not (tmp_path / "plan-track").exists()
