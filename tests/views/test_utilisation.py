"""Utilisation is against real capacity, the policy's cap beside it (issue 18.4).

One person, 10 h a period, ``max_utilisation`` 0.8, RTB of 10 h a period: 8 h are
planned, so utilisation is 0.8 of the 10 h capacity (not 1 of an 8 h capped one).
"""

from __future__ import annotations

from support import scenario, solve_checked

from planner.views import VIEWS


def _plan():
    return solve_checked(scenario(
        units=[{"id": "ops"}],
        staff=[{"id": "p1", "unit": "ops", "skills": ["agent"]}],
        run_the_business=[{"unit": "ops", "skill": "agent", "hours": 10}],
        policy={"max_utilisation": 0.8},
    ))


def test_every_view_reports_real_capacity_and_the_cap() -> None:
    plan = _plan()
    w = VIEWS["workload"](plan)
    assert w["capacity"].tolist() == [10.0] * 4
    assert w["planned_hours"].tolist() == [8.0] * 4
    assert w["utilisation"].tolist() == [0.8] * 4
    assert w["max_utilisation"].tolist() == [0.8] * 4
    up = VIEWS["unit_plans"](plan)
    got = up[["capacity", "utilisation", "max_utilisation"]].values.tolist()
    assert got == [[10, 0.8, 0.8]] * 4
    us = VIEWS["unit_summary"](plan).iloc[0]
    assert (us["capacity"], us["utilisation"], us["max_utilisation"]) == (40, 0.8, 0.8)
    ip = VIEWS["individual_plans"](plan)
    assert ip[["available", "capacity", "utilisation", "max_utilisation"]].values.tolist() == [
        [10, 8, 0.8, 0.8]] * 4
    s = VIEWS["summary"](plan).set_index("metric")["value"]
    assert float(s["utilisation[ops]"]) == 0.8
    assert float(s["max_utilisation"]) == 0.8
