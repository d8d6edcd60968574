"""Why-left-out reasons are the binding ones: forcing the initiative in agrees (issue 18.1).

Each reason is checked against an independent question: pin the initiative in and
run the infeasibility diagnosis on that scenario. A reason said "even with no other
optional initiative" must name what the diagnosis finds short; a reason said "next to
the chosen initiatives" (or a trade-off) must belong to an initiative that fits
when pinned in.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import scenario, solve_checked

from models.plan import Plan
from models.scenario import Scenario
from planner import api
from planner.problem.data import compile_problem
from planner.solving import Settings, solve
from planner.solving.allocate import Schedule
from planner.solving.diagnose_kpi import diagnose
from planner.solving.reasons import ALONE, FITS, NEXT_TO, explain

ROOT = Path(__file__).resolve().parents[2]
RULES = ("pinned out", "misaligned", "window impossible", "prerequisite left out",
         "mutually exclusive", "cannot be placed")


def portal_case() -> Scenario:
    """The issue's case: a capacity shortfall in the plan, but money is what binds.

    One developer (10 h a period, 4 periods). ``erp`` is pinned in (10 h, one period),
    ``big`` fills the other three periods (30 h). ``portal`` needs 20 h in one period:
    next to the plan no staff hour is free and only 10 contractor hours are, so it
    looks short of capacity. Forced in without ``big``, a free developer period gives
    10 h and contractors the other 10 h at 10/h = 100, over the budget of 50 by 50.
    """
    return scenario(
        units=[{"id": "dev"}],
        staff=[{"id": "d1", "unit": "dev", "skills": ["code"]}],
        initiatives=[
            {"id": "erp", "pin": "in", "contributes": {"grow": "low"},
             "effort": [{"unit": "dev", "skill": "code", "hours": 10}]},
            {"id": "big", "duration": 3, "contributes": {"grow": "extreme"},
             "effort": [{"unit": "dev", "skill": "code", "hours": 30}]},
            {"id": "portal", "contributes": {"grow": "low"},
             "effort": [{"unit": "dev", "skill": "code", "hours": 20}]},
        ],
        external=[{"skill": "code", "max_fte": 1, "cost_per_hour": 10}],
        policy={"budget": 50},
    )


def test_budget_binds_not_capacity() -> None:
    plan = solve_checked(portal_case())
    assert plan.selected == ["erp", "big"]
    assert plan.initiative("portal").reason == f"budget short by 50 {ALONE}"
    # pinning it in says the same
    pinned = portal_case()
    pinned.initiatives[2].pin = "in"
    r = api.solve(pinned)
    assert r.status == api.Status.INFEASIBLE
    assert "budget short by 50" in r.message


def test_capacity_binds_when_nobody_has_the_skill() -> None:
    sc = portal_case()
    sc.initiatives[2].effort[0].skill = "design"  # nobody, and no contractor, has it
    plan = solve_checked(sc)
    reason = plan.initiative("portal").reason
    assert re.fullmatch(rf"capacity: dev/design short 20 h in [1-4] {ALONE}", reason), reason


def test_fits_alone_says_next_to_the_chosen() -> None:
    sc = portal_case()
    sc.policy.budget = 100  # forced in, 10 staff + 10 contractor hours = 100 fits
    plan = solve_checked(sc)
    reason = plan.initiative("portal").reason
    assert NEXT_TO in reason and reason.endswith(FITS), reason


def _schedule(plan: Plan) -> Schedule:
    data = compile_problem(plan.scenario)
    labels = data.calendar.labels
    return Schedule({data.by_id[r.id].index: labels.index(r.start)
                     for r in plan.initiatives if r.selected and r.start})


def _agrees(sc: Scenario, iid: str, reason: str) -> None:
    """Pin ``iid`` in, diagnose, and compare with ``reason``."""
    pinned = sc.model_copy(deep=True)
    next(i for i in pinned.initiatives if i.id == iid).pin = "in"
    short = diagnose(compile_problem(pinned)).shortfalls
    if reason.endswith(ALONE):
        assert short, f"{iid}: '{reason}' but it fits when pinned in"
        for amount in re.findall(r"budget short by ([\d,]+)", reason):
            money = sum(s.amount for s in short if s.kind == "budget")
            assert round(money) == int(amount.replace(",", "")), (iid, reason, short)
        for u, sk in re.findall(r"capacity: ([^/\s]+)/(\S+) short", reason):
            assert any(s.unit == u and s.skill == sk for s in short), (iid, reason, short)
        kinds = {s.kind for s in short}
        if "budget" in kinds:
            assert "budget short" in reason, (iid, reason, short)
        if kinds & {"change", "rtb"}:
            assert "capacity:" in reason, (iid, reason, short)
    else:
        assert reason.startswith("trade-off") or reason.endswith(FITS), (iid, reason)
        assert not short, f"{iid}: '{reason}' but pinned in it is short: {short}"


def _check_all(sc: Scenario, plan: Plan, most: int = 1000) -> int:
    data = compile_problem(sc)
    reasons = explain(data, _schedule(plan), plan.assignments, deadline=None)
    checked = 0
    for iid, reason in reasons.items():
        if reason.startswith(RULES) or checked >= most:
            continue
        _agrees(sc, iid, reason)
        checked += 1
    return checked


@pytest.mark.parametrize("case", ["portal", "portal-design", "portal-100"])
def test_hand_made_reasons_agree_with_pinning(case: str) -> None:
    sc = portal_case()
    if case == "portal-design":
        sc.initiatives[2].effort[0].skill = "design"
    elif case == "portal-100":
        sc.policy.budget = 100
    plan = solve(sc)
    assert _check_all(sc, plan) == 1


def test_services_firm_reasons_agree_with_pinning() -> None:
    sc = api.load(ROOT / "scenarios" / "services_firm.yaml")
    plan = solve(sc, Settings(time_limit=30))
    assert _check_all(sc, plan) >= 2


def test_generated_s_reasons_agree_with_pinning(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--size", "S",
                    "--seed", "3", "--out", str(tmp_path)], check=True, capture_output=True)
    sc = api.load(tmp_path / "scenario.yaml")
    plan = solve(sc, Settings(strategy="greedy"))
    assert _check_all(sc, plan, most=4) == 4
