"""Yearly KPI targets: each checked at the end of its year, each hard with must_meet.

Worked by hand: 18 months from 2027-07 (six in 2027, twelve in 2028), one person
giving 10 h a month. ``a`` (+5 nps) needs 6 months of them, ``b`` (+3 nps) 3
months, ``c`` (no KPI, but the highest score) 12 months. nps starts at 0 with
targets {2027: 5, 2028: 8}, must_meet.

* 5 by 2027-12 needs ``a`` finished by then: it takes all of 2027 (Jul-Dec).
* 8 by 2028-12 needs ``b`` as well: 3 of the 12 months of 2028 (from 2028-01,
  the earliest), leaving 9: too few for ``c`` (12).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from support import scenario, solve_checked

from models.scenario import Scenario
from planner.checker import check_plan
from planner.errors import InfeasibleError, ScenarioError
from planner.io.export import write_plan
from planner.problem.kpi import headline, targets
from planner.solving import Settings, solve
from planner.views import VIEWS


def yearly(goals: dict[int, float], must_meet: bool = True, **kpi: Any) -> Scenario:
    def ini(iid: str, months: int, rating: float, nps: float) -> dict[str, Any]:
        return {"id": iid, "contributes": {"grow": rating}, "kpi_impacts": {"nps": nps},
                "duration": months, "effort": [{"unit": "u", "skill": "x",
                                                "hours": 10 * months}]}

    return scenario(
        horizon={"start": "2027-07", "periods": 18, "period": "month", "hours_per_fte": 10},
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "nps", "objective": "grow", "baseline": 0,
                            "targets": goals, "must_meet": must_meet, **kpi}]},
        units=[{"id": "u"}],
        staff=[{"id": "p", "unit": "u", "skills": ["x"]}],
        initiatives=[ini("a", 6, 0.1, 5), ini("b", 3, 0.1, 3), ini("c", 12, 1.0, 0)],
    )


def test_checkpoints_of_a_kpi() -> None:
    sc = yearly({2027: 5, 2028: 8}, target=6, by="2028-03")
    tg = targets(sc)
    assert [(t.key, t.by, t.target, t.share) for t in tg] == [
        ("nps", 8, 6, 1 / 3), ("nps@2027", 5, 5, 1 / 3), ("nps@2028", 17, 8, 1 / 3)]
    assert headline(tg)["nps"].key == "nps@2028"  # the latest speaks for the KPI


def test_each_yearly_target_is_hard() -> None:
    # (the greedy tries b first, most nps per hour, and then cannot fit a by 2027-12:
    # a heuristic's miss, not a rule of the plan)
    plan = solve_checked(yearly({2027: 5, 2028: 8}))
    assert {i: plan.initiative(i).start for i in plan.selected} == {"a": "2027-07",
                                                                    "b": "2028-01"}
    rows = VIEWS["kpi_path"](plan).set_index("target_year")
    assert list(rows.loc[2027, ["by", "forecast", "met"]]) == ["2027-12", 5, True]
    assert list(rows.loc[2028, ["by", "forecast", "met"]]) == ["2028-12", 8, True]
    years = VIEWS["long_term_plan"](plan).set_index("year")
    assert list(years["kpi[nps]"]) == [5, 8] and list(years["met[nps]"]) == [True, True]
    summary = VIEWS["summary"](plan).set_index("metric")["value"]
    assert summary["kpi_forecast[nps@2027]"] == 5 and summary["kpi_targets_met"] == 2


def test_soft_yearly_targets_do_not_bind() -> None:
    # without must_meet c's score wins 2028: a in 2027 (meets 5), c in 2028, b left out
    plan = solve_checked(yearly({2027: 5, 2028: 8}, must_meet=False))
    assert {i: plan.initiative(i).start for i in plan.selected} == {"a": "2027-07",
                                                                    "c": "2028-01"}
    rows = VIEWS["kpi_path"](plan).set_index("target_year")
    assert bool(rows.loc[2027, "met"]) and not rows.loc[2028, "met"]
    assert rows.loc[2028, "gap"] == 3


def test_a_yearly_target_no_plan_can_meet() -> None:
    # 8 by 2027-12 needs a and b in the six months of 2027: 90 h of 60
    with pytest.raises(InfeasibleError) as err:
        solve(yearly({2027: 8}), Settings())
    assert ("KPI nps must reach 8 by 2027-12 (must_meet): the best reachable forecast is 5, "
            "short by 3") in str(err.value)


def test_year_outside_the_horizon_is_refused() -> None:
    with pytest.raises(ScenarioError, match="year 2030 is outside the horizon .2027 .. 2028."):
        yearly({2030: 5})


def test_checker_sees_a_missed_yearly_target() -> None:
    sc = yearly({2027: 5, 2028: 8})
    plan = solve_checked(sc)
    with tempfile.TemporaryDirectory() as tmp:
        out = write_plan(plan, Path(tmp) / "plan")
        pf = pd.read_csv(out / "portfolio.csv", dtype=str, keep_default_na=False)
        pf.loc[pf["initiative"] == "b", ["selected", "start", "finish"]] = ["false", "", ""]
        pf.to_csv(out / "portfolio.csv", index=False)
        report = check_plan(sc, out)
        kpi = [v for v in report.violations if v.rule == "kpi_target"]
        assert [(v.item, v.period, v.amount) for v in kpi] == [("nps", "2028-12", 3.0)]
        assert "must_meet 2028 target 8 missed" in kpi[0].message
