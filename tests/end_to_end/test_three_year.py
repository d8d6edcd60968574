"""The three-year example: proved optimal within a minute, checked, and as the README shows it.

The solve takes 5-15 s on the shared 2-core development machine (a 60 s limit
leaves room for a loaded machine).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from models.plan import Plan
from planner.checker import check_plan
from planner.io.export import frame_to_csv, read_plan, write_plan
from planner.io.load import load_scenario
from planner.solving import Settings, solve
from planner.views import VIEWS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path]:
    sc = load_scenario(ROOT / "scenarios" / "three_year.yaml")
    plan = solve(sc, Settings(time_limit=60))
    return plan, write_plan(plan, tmp_path_factory.mktemp("three") / "plan")


def test_proved_optimal_and_checked(written: tuple[Plan, Path]) -> None:
    plan, out = written
    assert plan.run.status == "optimal"
    report = check_plan(plan.scenario, out)
    assert report.ok, report.to_text()
    rows = VIEWS["kpi_path"](plan)
    must = rows[rows["must_meet"]]
    assert list(must["target_year"]) == [2028, 2029] and must["met"].all()


def test_readme_shows_its_long_term_plan(written: tuple[Plan, Path]) -> None:
    plan, _out = written
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\n```\n(year,running,.*?)\n```", readme, re.S)
    assert block is not None
    shown = [part.strip() for part in block.group(1).split("\n\n")]
    df = VIEWS["long_term_plan"](plan)
    for part in shown:
        cols = part.splitlines()[0].split(",")
        assert frame_to_csv(df[cols]).strip() == part


def test_plan_json_gives_the_same_views(written: tuple[Plan, Path]) -> None:
    plan, out = written
    again = read_plan(out)
    for name in ("long_term_plan", "portfolio", "kpi_path", "budget"):
        pd.testing.assert_frame_equal(VIEWS[name](again), VIEWS[name](plan))
