"""Phased initiatives: phases back to back, each staffed in full, dependencies on a phase.

Worked by hand on 8 index periods of 10 hours. ``platform`` has a design phase of
2 periods (20 h of architect: 10 h a period) and a build phase of 3 periods (30 h
of engineer: 10 h a period); started in 1 it designs in 1-2 and builds in 3-5.
``portal`` needs 10 h of engineer a period for 2 periods. Two engineers give 20 h
a period, so portal can run beside the build.

* ``depends_on: [platform.design]``: portal may start once the design is done,
  in period 3 (both start as early as they can: the earliness reward).
* ``depends_on: [platform]``: portal waits for the build, to period 6.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from support import hours, scenario, solve_checked

from models.scenario import Scenario
from planner.checker import check_plan
from planner.errors import ScenarioError
from planner.io.export import write_plan
from planner.problem.data import compile_problem
from planner.problem.phases import cost_shares, lag, line_profiles, split_ref

PLATFORM = {
    "id": "platform", "contributes": {"grow": 1},
    "phases": [
        {"name": "design", "duration": 2,
         "effort": [{"unit": "u", "skill": "arch", "hours": 20}]},
        {"name": "build", "duration": 3,
         "effort": [{"unit": "u", "skill": "eng", "hours": 30}]},
    ],
}


def two_step(depends_on: str, engineers: int = 2, **platform: Any) -> Scenario:
    return scenario(
        horizon={"periods": 8, "period": "index", "hours_per_fte": 10},
        units=[{"id": "u"}],
        staff=[{"id": "a", "unit": "u", "skills": ["arch"]}]
        + [{"id": f"e{k}", "unit": "u", "skills": ["eng"]} for k in range(engineers)],
        initiatives=[
            {**PLATFORM, **platform},
            {"id": "portal", "contributes": {"grow": 1}, "duration": 2,
             "depends_on": [depends_on],
             "effort": [{"unit": "u", "skill": "eng", "hours": 20}]},
        ],
    )


def test_profile_offsets_and_lags() -> None:
    sc = two_step("platform.design")
    ini = sc.initiatives[0]
    assert ini.duration == 5 and ini.total_hours == 50
    prof = {(u, k): list(a) for u, k, a in line_profiles(ini)}
    assert prof == {("u", "arch"): [10, 10, 0, 0, 0], ("u", "eng"): [0, 0, 10, 10, 10]}
    assert split_ref("platform.design", ["platform"]) == ("platform", "design")
    assert split_ref("v2.0", ["v2.0"]) == ("v2.0", None)  # an id with a dot
    assert (lag(ini, "design"), lag(ini, "build"), lag(ini, None)) == (2, 5, 5)
    data = compile_problem(sc)
    assert data.initiatives[1].earliest == 2  # period 3 (0-based 2): after the design
    assert data.initiatives[0].demand(0)[:2] == [("u", "arch", 0, 10.0), ("u", "arch", 1, 10.0)]


@pytest.mark.parametrize("strategy", ["optimal", "greedy"])
def test_dependency_on_a_phase(strategy: str) -> None:
    plan = solve_checked(two_step("platform.design"), strategy=strategy)
    assert (plan.initiative("platform").start, plan.initiative("platform").finish) == ("1", "5")
    assert (plan.initiative("portal").start, plan.initiative("portal").finish) == ("3", "4")
    # the architect works in the design periods only, the engineers build in 3-5
    assert [hours(plan, person="a", period=p) for p in "12345"] == [10, 10, 0, 0, 0]
    assert [hours(plan, work="platform", skill="eng", period=p) for p in "12345"] == \
        [0, 0, 10, 10, 10]
    # on the whole initiative, portal waits for the build
    plan = solve_checked(two_step("platform"), strategy=strategy)
    assert plan.initiative("portal").start == "6"


def test_one_engineer_cannot_build_and_portal_at_once() -> None:
    # with one engineer (10 h a period) portal cannot run beside the build (3-5):
    # platform's weight and portal's are equal, so both run, portal after the build
    plan = solve_checked(two_step("platform.design", engineers=1))
    assert plan.initiative("platform").start == "1" and plan.initiative("portal").start == "6"


def test_cost_profile_per_phase() -> None:
    ini = two_step("platform", cost=1000, cost_profile=[0.4, 0.6]).initiatives[0]
    # 400 over the 2 design periods, 600 over the 3 build periods
    assert list(cost_shares(ini) * 1000) == pytest.approx([200, 200, 200, 200, 200])
    ini = two_step("platform", cost=1000, cost_profile=[1, 0]).initiatives[0]
    assert list(cost_shares(ini) * 1000) == pytest.approx([500, 500, 0, 0, 0])
    # one share per active period
    ini = two_step("platform", cost=1000, cost_profile=[0, 0, 0, 0, 1]).initiatives[0]
    assert list(cost_shares(ini) * 1000) == pytest.approx([0, 0, 0, 0, 1000])


def test_refused_inputs_name_the_field() -> None:
    with pytest.raises(ScenarioError, match="gap_max 1 is not supported"):
        two_step("platform", phases=[{**PLATFORM["phases"][0], "gap_max": 1},  # type: ignore
                                     PLATFORM["phases"][1]])  # type: ignore[index]
    with pytest.raises(ScenarioError, match="'platform' has no phase 'buidl'; did you mean"):
        two_step("platform.buidl")
    with pytest.raises(ScenarioError, match="has 3 shares; expected 2 .one per phase. or 5"):
        two_step("platform", cost=10, cost_profile=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="differs from the sum of the phase durations"):
        Scenario.model_validate({"name": "x", "horizon": {"periods": 8, "period": "index"},
                                 "initiatives": [{**PLATFORM, "duration": 4}]})


def test_checker_catches_phase_breaches() -> None:
    sc = two_step("platform.design")
    plan = solve_checked(sc)
    with tempfile.TemporaryDirectory() as tmp:
        out = write_plan(plan, Path(tmp) / "plan")
        # portal one period earlier: before the design is done
        pf = pd.read_csv(out / "portfolio.csv", dtype=str, keep_default_na=False)
        pf.loc[pf["initiative"] == "portal", ["start", "finish"]] = ["2", "3"]
        pf.to_csv(out / "portfolio.csv", index=False)
        rules = check_plan(sc, out).rules()
        assert rules.get("dependency") == 1
        # restore, then move 5 h of the build from period 3 into the design period 2
        pf.loc[pf["initiative"] == "portal", ["start", "finish"]] = ["3", "4"]
        pf.to_csv(out / "portfolio.csv", index=False)
        a = pd.read_csv(out / "assignments.csv", dtype=str, keep_default_na=False)
        build = np.flatnonzero((a["work"] == "platform") & (a["skill"] == "eng")
                               & (a["period"] == "3"))
        row = a.iloc[build[0]].copy()
        a.loc[a.index[build[0]], "hours"] = str(float(row["hours"]) - 5)
        row["period"], row["hours"] = "2", "5"
        a = pd.concat([a, row.to_frame().T], ignore_index=True)
        a.to_csv(out / "assignments.csv", index=False)
        report = check_plan(sc, out)
        assert report.rules().get("staffing") == 1 and report.rules().get("phase") == 1
        assert "needs 10.00 h, delivered 5.00 h" in report.to_text()
