"""Which engine decides: the first proof wins, a plan from either counts, none means exit 5."""

from __future__ import annotations

import time

import psplib
import pytest
import yaml
from click.testing import CliRunner
from support import scenario, solve_checked

from models.scenario import Scenario
from planner.cli import main
from planner.errors import InfeasibleError
from planner.formulation.build import build
from planner.problem.data import compile_problem
from planner.solving import Settings, solve
from planner.solving.shape import shape_of


def _loose(n: int = 12, periods: int = 13) -> Scenario:
    """Two people with skills a and b (10 h a period each); n required initiatives of
    two periods needing 6 h of a and 6 h of b a period (12 h).

    CP-SAT's room counts each person in both skills (20 h of a, 20 h of b), so there
    three initiatives may overlap; the people can staff one at a time. 12 x 2 periods
    of 12 h = 288 h > 13 x 20 h = 260 h: infeasible, which the LP relaxation shows at
    once and CP-SAT only after hundreds of cuts (measured: it gives up at its limit of
    500 restarts after 15 s).
    """
    return scenario(
        horizon={"periods": periods, "period": "index", "hours_per_fte": 10},
        units=[{"id": "eng"}],
        staff=[{"id": f"p{k}", "unit": "eng", "skills": ["a", "b"]} for k in range(2)],
        initiatives=[{"id": f"w{j}", "duration": 2, "mandatory": True,
                      "effort": [{"unit": "eng", "skill": "a", "hours": 12},
                                 {"unit": "eng", "skill": "b", "hours": 12}],
                      "contributes": {"grow": "strong"}} for j in range(n)],
    )


def _psplib_with_two_skills(name: str, horizon: int) -> Scenario:
    """A PSPLIB instance whose first person also has a skill no work needs.

    The schedule question is unchanged, but a person with two skills makes CP-SAT's
    room inexact, so the solve keeps HiGHS in the lead (shape ``mip``) and brings
    CP-SAT in only because the greedy cannot place the required work.
    """
    doc = psplib.scenario(name, horizon)
    doc["staff"][0]["skills"] = [doc["staff"][0]["skills"][0], "spare"]
    return Scenario.model_validate(doc)


def _engine(sc: Scenario) -> str:
    data = compile_problem(sc)
    return shape_of(data, build(data)).engine


def test_cpsat_proves_first_where_the_mip_cannot():
    # j305_3 one period short: HiGHS was still running at 100 s (issue 19)
    sc = _psplib_with_two_skills("j305_3", psplib.optimum("j305_3") - 1)
    assert _engine(sc) == "mip"
    t0 = time.perf_counter()
    with pytest.raises(InfeasibleError) as err:
        solve(sc, Settings(time_limit=30))
    assert err.value.proved_by == "cpsat"
    assert "CP-SAT proved that some must run at least 1 period past its deadline" \
        in str(err.value)
    assert time.perf_counter() - t0 < 25


def test_highs_proves_first_where_the_cpsat_relaxation_is_loose():
    sc = _loose()
    assert _engine(sc) == "mip"
    with pytest.raises(InfeasibleError) as err:
        solve(sc, Settings(time_limit=30))
    assert err.value.proved_by == "highs"
    d = err.value.diagnosis
    assert d is not None and d.found
    # 24 initiative-periods in 13 periods: at best 11 periods hold two (24 h against
    # 20 h), so the elastic diagnosis of the MIP's proof finds 11 x 4 h short
    short = [s for s in d.shortfalls if s.kind == "change"]
    assert sum(s.amount for s in short) == pytest.approx(44.0)


@pytest.mark.parametrize("threads", [None, 1])
def test_the_race_plans_where_the_greedy_could_not(threads):
    # two cores: CP-SAT beside the MIP; one: CP-SAT first, then HiGHS from its plan
    name = "j305_3"
    opt = psplib.optimum(name)
    sc = _psplib_with_two_skills(name, opt)
    plan = solve_checked(sc, time_limit=15, gap=1.0, threads=threads)
    finish = max(int(i.finish) for i in plan.initiatives if i.finish is not None)
    assert all(i.selected for i in plan.initiatives) and finish == opt


def _undecided(tmp_path, doc: dict, limit: float) -> tuple[object, float]:
    path = tmp_path / "hard.yaml"
    path.write_text(yaml.safe_dump(doc))
    t0 = time.perf_counter()
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "plan"),
                                       "--time-limit", str(limit)])
    return result, time.perf_counter() - t0


def test_undecided_in_the_limit_is_exit_5_and_ends_on_time(tmp_path):
    # j3013_2 one period short: the proof takes CP-SAT several seconds (one of the
    # hardest j30 instances), so 2 s decide nothing
    name = "j3013_2"
    result, seconds = _undecided(tmp_path, psplib.scenario(name, psplib.optimum(name) - 1), 2)
    assert result.exit_code == 5, result.output
    assert "could not decide in the time limit (2 s)" in result.output
    assert seconds < 2 + 3
    assert not (tmp_path / "plan").exists()


def test_undecided_race_is_exit_5_and_ends_on_time(tmp_path):
    # the same instance with HiGHS leading: neither engine decides it in 3 s
    name = "j3013_2"
    doc = psplib.scenario(name, psplib.optimum(name) - 1)
    doc["staff"][0]["skills"] = [doc["staff"][0]["skills"][0], "spare"]
    result, seconds = _undecided(tmp_path, doc, 3)
    assert result.exit_code == 5, result.output
    assert "could not decide in the time limit (3 s)" in result.output
    assert seconds < 3 + 4


def test_a_small_overrun_proof_names_what_is_short_where():
    # u0 has no one with s1 at all (63 h over 3 periods) and u2 no one with s2 but p1
    # lent from u0: the required initiative cannot run. Whichever engine proves it, the
    # error carries the elastic diagnosis (found by hypothesis: CP-SAT's proof fell back
    # to its own words when HiGHS stopped at a 1e-4 gap it then called "feasible")
    from planner.io.load import load_scenario_text
    from planner.solving import Settings, solve

    sc = load_scenario_text("""
name: overrun
horizon: {periods: 4, period: index, hours_per_fte: 20}
strategy: {objectives: [{id: o0, weight: 1}]}
units: [{id: u0}, {id: u1}, {id: u2}]
staff:
  - {id: p0, unit: u0, skills: {s0: 1.0}, max_change_share: 0.5, availability: {3: 0.5}}
  - {id: p1, unit: u0, skills: {s0: 1.0, s2: 1.0}, develop: [s1]}
run_the_business:
  - {unit: u1, skill: s0, priority: must, hours: 14}
initiatives:
  - {id: i0, duration: 1, contributes: {o0: low}, mandatory: true, deadline: 3}
  - id: i1
    duration: 3
    contributes: {o0: low}
    mandatory: true
    deadline: 4
    effort: [{unit: u0, skill: s1, hours: 63}, {unit: u2, skill: s2, hours: 57}]
policy: {borrowing: true, max_utilisation: 0.9}
""")
    with pytest.raises(InfeasibleError) as info:
        solve(sc, Settings(time_limit=20))
    d = info.value.diagnosis
    assert d is not None and d.shortfalls
    where = {(s.kind, s.unit, s.skill) for s in d.shortfalls}
    assert ("change", "u0", "s1") in where
    assert "u0/s1" in str(info.value)
