"""The CP-SAT schedule search: small cases worked out by hand, and the MIP as a referee."""

from __future__ import annotations

import time

import highspy
import pytest

from models.scenario import Scenario
from planner.backends.cpsat import cpsat_schedule, schedule_vector
from planner.backends.staffing_lp import violations
from planner.formulation.build import build
from planner.problem.data import ProblemData, compile_problem
from planner.solving import Settings, solve


def _data(periods: int, staff: list[dict], inits: list[dict], **extra: object) -> ProblemData:
    units = sorted({p["unit"] for p in staff} | {ln["unit"] for i in inits for ln in i["effort"]})
    doc = {
        "name": "cpsat test",
        "horizon": {"periods": periods, "period": "index", "hours_per_fte": 10},
        "strategy": {"objectives": [{"id": "goal", "weight": 1}]},
        "units": [{"id": u} for u in units],
        "staff": staff,
        "initiatives": inits,
        **extra,
    }
    return compile_problem(Scenario.model_validate(doc))


def _job(iid: str, duration: int, per_period: dict[tuple[str, str], float], *,
         mandatory: bool = True, after: tuple[str, ...] = (), strength: str = "strong",
         **more: object) -> dict:
    return {
        "id": iid,
        "duration": duration,
        "mandatory": mandatory,
        "depends_on": list(after),
        "effort": [{"unit": u, "skill": s, "hours": h * duration}
                   for (u, s), h in per_period.items()],
        "contributes": {"goal": strength},
        **more,
    }


def _chain(periods: int) -> ProblemData:
    """One person, 10 h a period; A -> B and C each need 6 h a period: no two overlap.

    The shortest schedule runs them one after another: 2 + 2 + 3 = 7 periods.
    """
    staff = [{"id": "e1", "unit": "eng", "skills": ["dev"]}]
    inits = [
        _job("a", 2, {("eng", "dev"): 6}),
        _job("b", 2, {("eng", "dev"): 6}, after=("a",)),
        _job("c", 3, {("eng", "dev"): 6}),
    ]
    return _data(periods, staff, inits)


def _ids(data: ProblemData, starts: dict[int, int]) -> dict[str, int]:
    return {data.initiatives[i].id: s for i, s in starts.items()}


def test_highspy_and_ortools_run_in_one_process():
    # the pinned pair (SOLVER_NOTES: a newer highspy clashes with ortools' bundled HiGHS)
    assert highspy.Highs().version().startswith("1.12")
    res = cpsat_schedule(_chain(7), time_limit=20)
    assert res.status == "optimal"


def test_one_resource_chain_reaches_the_known_makespan():
    data = _chain(7)
    res = cpsat_schedule(data, time_limit=20)
    assert res.status == "optimal" and res.exact and not res.proved_infeasible
    starts = _ids(data, res.starts)
    spans = sorted((s, s + data.by_id[i].duration) for i, s in starts.items())
    assert spans[-1][1] == 7  # every job done by the end of period 7
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # no overlap
    assert starts["b"] >= starts["a"] + 2
    assert not violations(build(data).model.arrays(), res.x)
    # earliness: the MIP objective of this schedule is what the result says
    x, obj = schedule_vector(build(data), res.starts)
    assert obj == pytest.approx(res.objective)


def test_one_period_too_short_is_proved_infeasible():
    res = cpsat_schedule(_chain(6), time_limit=20)
    assert res.status == "infeasible" and res.proved_infeasible and res.proof == "overrun"
    assert res.starts is None and res.x is None
    assert res.stats["overrun_bound"] == pytest.approx(1.0)
    assert "at least 1 period past" in res.message


def _two_skill_person(periods: int, mandatory: bool) -> ProblemData:
    """One person with two skills, 10 h a period: a needs 10 h dev, b 10 h test, 1 period each.

    The room per skill counts the person fully in both (10 + 10), so CP-SAT alone
    would run a and b together; the LP knows the person has 10 hours in all.
    """
    staff = [{"id": "p1", "unit": "it", "skills": ["dev", "test"]}]
    inits = [
        _job("a", 1, {("it", "dev"): 10}, mandatory=mandatory, strength="strong"),
        _job("b", 1, {("it", "test"): 10}, mandatory=mandatory, strength="low"),
    ]
    return _data(periods, staff, inits)


def test_multi_skill_schedule_is_repaired_by_the_lp():
    data = _two_skill_person(2, mandatory=True)
    res = cpsat_schedule(data, time_limit=20)
    assert not res.exact and res.stats["cuts"] >= 1
    assert res.status == "optimal"
    starts = _ids(data, res.starts)
    assert sorted(starts.values()) == [0, 1]  # one after the other
    assert starts["a"] == 0  # the more valuable one earlier (earliness)
    assert not violations(build(data).model.arrays(), res.x)


def test_multi_skill_optional_keeps_the_better_one():
    data = _two_skill_person(1, mandatory=False)
    res = cpsat_schedule(data, time_limit=20)
    assert res.status == "optimal"
    assert _ids(data, res.starts) == {"a": 0}


def test_multi_skill_infeasibility_is_proved_through_the_cuts():
    res = cpsat_schedule(_two_skill_person(1, mandatory=True), time_limit=20)
    assert res.proved_infeasible and res.stats["cuts"] >= 1 and res.proof == "cpsat"


def test_must_rtb_beyond_capacity_is_proved_infeasible():
    data = _data(
        3, [{"id": "e1", "unit": "eng", "skills": ["dev"]}],
        [_job("a", 1, {("eng", "dev"): 1}, mandatory=False)],
        run_the_business=[{"unit": "eng", "skill": "dev", "hours": 12, "priority": "must"}],
    )
    res = cpsat_schedule(data, time_limit=20)
    assert res.proved_infeasible and res.proof == "staffing"
    assert "run-the-business" in res.message


def test_required_initiatives_that_exclude_each_other_are_a_proof_by_the_rules():
    staff = [{"id": "e1", "unit": "eng", "skills": ["dev"]}]
    inits = [_job("a", 1, {("eng", "dev"): 2}, exclusive_with=["b"]),
             _job("b", 1, {("eng", "dev"): 2})]
    res = cpsat_schedule(_data(3, staff, inits), time_limit=10)
    assert res.proved_infeasible and res.proof == "rules"
    assert "'a' and 'b' exclude each other" in res.message


def test_a_plan_carries_no_proof():
    res = cpsat_schedule(_chain(7), time_limit=20)
    assert res.status == "optimal" and res.proof is None


def test_hint_is_the_first_plan_and_kept_when_stopped():
    data = _chain(8)  # one period of slack: many schedules
    hint = {data.by_id["c"].index: 0, data.by_id["a"].index: 3, data.by_id["b"].index: 5}
    seen: list[dict[int, int]] = []
    t0 = time.perf_counter()
    res = cpsat_schedule(data, time_limit=20, hint=hint, stop=lambda: True,
                         on_plan=lambda s, x, o: seen.append(s))
    assert time.perf_counter() - t0 < 10
    assert seen[0] == hint
    assert res.starts == hint and res.status in ("feasible", "optimal")


def test_unstaffable_hint_is_not_a_plan():
    data = _chain(8)
    bad = {data.by_id["a"].index: 0, data.by_id["b"].index: 2, data.by_id["c"].index: 0}
    res = cpsat_schedule(data, time_limit=20, hint=bad)
    assert res.status == "optimal" and res.starts != bad
    assert not violations(build(data).model.arrays(), res.x)


def _small_org(kpis: bool = False) -> Scenario:
    """Single-skill cohorts (the exact shape), RTB of all priorities, a budget, rules.

    With ``kpis``: a must-meet target only crm and bot together reach, and a soft
    one that app or web move (by period 4).
    """
    staff = (
        [{"id": f"o{k}", "unit": "ops", "skills": ["agent"]} for k in range(3)]
        + [{"id": "o9", "unit": "ops", "skills": {"agent": 0.5}}]
        + [{"id": f"d{k}", "unit": "it", "skills": ["dev"], "max_change_share": 0.5}
           for k in range(2)]
    )
    inits = [
        _job("crm", 2, {("ops", "agent"): 10, ("it", "dev"): 5}, mandatory=False,
             strength="strong", cost=40),
        _job("app", 3, {("it", "dev"): 10}, mandatory=False, strength="strong", cost=30),
        _job("bot", 2, {("ops", "agent"): 15}, mandatory=False, strength="moderate",
             after=("crm",)),
        _job("web", 1, {("it", "dev"): 10}, mandatory=False, strength="low",
             exclusive_with=["app"]),
        _job("ops", 2, {("ops", "agent"): 5}, mandatory=True, strength="low"),
    ]
    doc = {
        "name": "small org",
        "horizon": {"periods": 5, "period": "index", "hours_per_fte": 10},
        "strategy": {"objectives": [{"id": "goal", "weight": 1}]},
        "units": [{"id": "ops"}, {"id": "it"}],
        "staff": staff,
        "initiatives": inits,
        "run_the_business": [
            {"unit": "ops", "skill": "agent", "hours": 10, "priority": "must"},
            {"unit": "ops", "skill": "agent", "hours": 10, "priority": "high"},
            {"unit": "ops", "skill": "agent", "hours": 5, "priority": "normal"},
            {"unit": "it", "skill": "dev", "hours": 5, "priority": "normal"},
        ],
        "policy": {"budget": 60},
    }
    if kpis:
        doc["strategy"]["kpis"] = [  # type: ignore[index]
            {"id": "sla", "objective": "goal", "baseline": 10, "target": 4, "must_meet": True},
            {"id": "csat", "objective": "goal", "baseline": 50, "target": 60, "by": 4},
        ]
        impacts = {"crm": {"sla": -4}, "bot": {"sla": -3}, "app": {"csat": 6},
                   "web": {"csat": 5}}
        for ini in inits:
            if ini["id"] in impacts:
                ini["kpi_impacts"] = impacts[ini["id"]]
    return Scenario.model_validate(doc)


def test_objective_equals_the_mip_on_a_small_scenario():
    scenario = _small_org()
    data = compile_problem(scenario)
    res = cpsat_schedule(data, time_limit=30)
    plan = solve(scenario, Settings(time_limit=60, threads=1))
    assert plan.run.status == "optimal" and res.status == "optimal" and res.exact
    assert res.objective == pytest.approx(plan.run.objective, rel=1e-6)
    assert res.bound == pytest.approx(plan.run.objective, rel=1e-6)
    # the budget (60) keeps crm (40) and app (30) apart, and RTB shortfall is paid for
    chosen = {data.initiatives[i].id for i in res.starts}
    assert not {"crm", "app"} <= chosen


def test_objective_equals_the_mip_with_kpi_targets():
    scenario = _small_org(kpis=True)
    data = compile_problem(scenario)
    res = cpsat_schedule(data, time_limit=30)
    plan = solve(scenario, Settings(time_limit=60, threads=1))
    assert plan.run.status == "optimal" and res.status == "optimal"
    assert res.objective == pytest.approx(plan.run.objective, rel=1e-6)
    chosen = {data.initiatives[i].id for i in res.starts}
    assert {"crm", "bot"} <= chosen  # the must-meet target needs both
    assert not violations(build(data).model.arrays(), res.x)


def test_stop_ends_the_search_early():
    data = compile_problem(_small_org())
    t0 = time.perf_counter()
    res = cpsat_schedule(data, time_limit=60, stop=lambda: True)
    assert time.perf_counter() - t0 < 20
    assert res.status in ("feasible", "optimal", "unknown")


def test_hours_scale_exactly_when_they_are_small_fractions():
    from planner.backends.cpsat_scale import down, hour_scale, up

    assert hour_scale([500 / 3, 126.0, 0.85 * 140, 250 / 7]) == (21.0, True)
    scale, exact = hour_scale([1 / 9973, 1 / 9967])  # no small common scale: rounded
    assert not exact and scale >= 1e6
    assert down(2.7) == 2 and up(2.1) == 3 and down(3.0000000001) == 3 == up(2.9999999999)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("periods", [6, 7])
def test_the_fit_decides_both_ways_on_one_thread_and_on_two(periods, workers):
    # the chain needs 7 periods: 6 is a proof (by either model), 7 a schedule
    res = cpsat_schedule(_chain(periods), time_limit=20, gap=1.0, workers=workers)
    assert res.stats["fit_by"] in ((2.0,) if workers == 1 else (1.0, 2.0))
    if periods == 6:
        assert res.proved_infeasible and res.proof == "overrun"
        assert res.stats["overrun_bound"] >= 1
    else:
        assert res.starts is not None and res.status in ("feasible", "optimal")
        assert res.stats["overrun_best"] == 0
        assert "a gap of 100% asks for no better one" in res.message
