"""Goals cascade on the tiny two-unit plan of tests/test_views.py, worked by hand.

x (rev +1) gets 200 delivered dev hours from p1 (unit a) and 60 qa hours from p3
(unit b); y (spendk -2) gets 60 dev hours from p1. a's RTB (ops, done by p2)
sustains rev.
"""

from __future__ import annotations

import copy

import pytest

from models.scenario import Scenario
from planner.solving import Settings, solve
from planner.views import VIEWS
from tests.test_views import TINY


@pytest.fixture(scope="module")
def plan():
    data = copy.deepcopy(TINY)
    data["run_the_business"][0]["sustains"] = ["rev"]
    return solve(Scenario.model_validate(data), Settings(time_limit=20))


def test_unit_goals_split_the_change_by_delivered_hours(plan) -> None:
    ug = VIEWS["unit_goals"](plan).set_index(["unit", "kpi"])
    a = ug.loc[("a", "rev")]
    assert a.role == "owner; contributes; sustains"
    assert (a.target, a.by, a.committed, a.met, a.gap) == (12, "3", 11, False, 1)
    assert a.plan_change == 1 and a.contribution == pytest.approx(200 / 260, abs=1e-6)
    assert a.rtb_hours == 300 and a.change_hours == 200
    b = ug.loc[("b", "rev")]
    assert b.role == "contributes" and b.contribution == pytest.approx(60 / 260, abs=1e-6)
    # the units' contributions add up to the plan's change
    assert a.contribution + b.contribution == pytest.approx(a.plan_change)
    y = ug.loc[("a", "spendk")]  # all of y's work is a's
    assert (y.direction, y.contribution, y.contribution_share, y.met) == ("down", -2, 1, True)
    assert ("b", "spendk") not in ug.index


def test_individual_goals_and_no_goal_reason(plan) -> None:
    ig = VIEWS["individual_goals"](plan)
    p1 = ig[ig.person == "p1"].set_index("kpi")
    assert p1.loc["rev", "kind"] == "change" and p1.loc["rev", "hours"] == 200
    assert p1.loc["rev", "contribution"] == pytest.approx(200 / 260, abs=1e-6)
    assert p1.loc["spendk", "contribution"] == -2 and p1.loc["spendk", "committed"] == 3
    p2 = ig[ig.person == "p2"].iloc[0]
    assert (p2.kpi, p2.kind, p2.hours, p2.committed, p2.work) == ("rev", "sustains", 300, 11,
                                                                  "rtb:a")
    p3 = ig[ig.person == "p3"].iloc[0]
    assert (p3.kpi, p3.kind) == ("rev", "change")
    # people's contributions add up to the plan's change too
    assert ig[ig.kpi == "rev"]["contribution"].sum() == pytest.approx(1)


def test_person_without_goal_says_why() -> None:
    data = copy.deepcopy(TINY)  # here RTB sustains nothing: p2 (ops RTB only) has no goal
    plan = solve(Scenario.model_validate(data), Settings(time_limit=20))
    ig = VIEWS["individual_goals"](plan)
    p2 = ig[ig.person == "p2"]
    assert len(p2) == 1 and p2.iloc[0].kind == "none"
    assert p2.iloc[0].note == "RTB work of a/ops sustains no KPI"
    ip = VIEWS["individual_plans"](plan)
    assert set(ip[ip.person == "p2"]["kpis"]) == {""}
