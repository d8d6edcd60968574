"""Monte Carlo risk of a plan: probabilities worked out by hand, seeds, pieces, the CLI.

The hand-computed cases (tolerances are 4 standard errors of the samples):

* **Effort.** One person (100 h a period, at most 60% on change), one
  initiative of 2 periods and 100 h, deadline at the end of period 2. With
  effort ``e`` ~ triangular(0.8, 1, 1.5) the line asks 50e a period and may
  catch up what it missed, so it finishes in time iff 100e <= 2 x 60, i.e.
  e <= 1.2: P = 1 - (1.5 - 1.2)^2 / ((1.5 - 0.8)(1.5 - 1)) = 0.742857.
  Its KPI (impact +1, target +1, by the last period) is met with the same P,
  and so is a KPI it drives (``drives``, target 2 = 2 x 1).
* **Slip.** The same with no effort spread and ``slip: {1: 0.3}``: on time 0.7.
* **Attrition and money.** One person covers 80 h of must RTB a month for a
  year; ``attrition: 0.2`` (so P(leave) = 0.2 over one year), ``backfill: 3``,
  a contractor at 10/h, budget 0. Must RTB is always covered (by the
  contractor), the budget is overrun iff the person leaves (P = 0.2), and the
  expected spend is 0.2 x E[min(3, 12 - L)] x 80 x 10 with L uniform on 0..11,
  E[min(3, 12 - L)] = 33 / 12: 440.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from support import scenario, solve_checked

from models.uncertainty import Uncertainty
from planner.analysis.risk import NoUncertaintyError, assess, prepare, run_batch
from planner.analysis.sampling import draw, population, triangular_ppf

P_EFFORT = 1 - 0.3**2 / (0.7 * 0.5)


def tol(p: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n) + 1e-9


def one_line(uncertainty: dict | None) -> object:
    return scenario(
        horizon={"periods": 2, "period": "index", "hours_per_fte": 100},
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "k", "objective": "grow", "baseline": 0, "target": 1,
                            "drives": {"k2": 2}},
                           {"id": "k2", "objective": "grow", "baseline": 0, "target": 2}]},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"], "max_change_share": 0.6}],
        initiatives=[{"id": "i", "contributes": {"grow": 1}, "duration": 2, "deadline": "2",
                      "kpi_impacts": {"k": 1},
                      "effort": [{"unit": "a", "skill": "x", "hours": 100}]}],
        uncertainty=uncertainty,
    )


@pytest.fixture(scope="module")
def effort_plan():
    plan = solve_checked(one_line({"effort": {"low": 0.8, "high": 1.5}}))
    assert plan.initiative("i").start == "1"
    return plan


def test_triangular_quantiles_match_the_distribution():
    u = np.linspace(0, 1, 11)
    x = triangular_ppf(u, np.full(11, 0.8), np.full(11, 1.5))
    assert x[0] == pytest.approx(0.8) and x[-1] == pytest.approx(1.5)
    # the mode 1 sits at the quantile (1 - 0.8) / (1.5 - 0.8)
    assert float(triangular_ppf(np.array(0.2 / 0.7), np.array(0.8), np.array(1.5))) == \
        pytest.approx(1.0)
    assert (triangular_ppf(u, np.ones(11), np.ones(11)) == 1).all()


def test_on_time_probability_of_one_line_matches_the_hand_computation(effort_plan):
    n = 4000
    r = assess(effort_plan, n, seed=7)
    row = r.initiatives.set_index("initiative").loc["i"]
    assert abs(row["p_on_time"] - P_EFFORT) < tol(P_EFFORT, n)
    assert row["p_by_planned_finish"] == row["p_on_time"]  # planned finish = deadline
    # late ones finish in the period after the horizon (catching up at 60 h)
    assert row["expected_slip"] == pytest.approx(1 - row["p_on_time"], abs=1e-9)
    kpi = r.kpis.set_index("kpi").loc["k"]
    assert kpi["planned_met"] and kpi["p_meet"] == row["p_on_time"]
    # k2 moves only along the value path k -> k2 (x 2): met exactly when k is
    driven = r.kpis.set_index("kpi").loc["k2"]
    assert driven["planned_forecast"] == 2 and driven["p_meet"] == row["p_on_time"]
    assert driven["mean_forecast"] == pytest.approx(2 * kpi["mean_forecast"])
    assert r.metric("p_plan_holds") == row["p_on_time"]


def test_duration_slip_probability(effort_plan):
    n = 4000
    r = assess(effort_plan, n, seed=3, uncertainty=Uncertainty(slip={1: 0.3}))
    row = r.initiatives.set_index("initiative").loc["i"]
    assert abs(row["p_on_time"] - 0.7) < tol(0.7, n)
    assert row["p_duration_slip"] == pytest.approx(1 - row["p_on_time"])


def test_no_uncertainty_reproduces_the_plan(effort_plan):
    r = assess(effort_plan, 50, seed=1, uncertainty=Uncertainty())
    assert r.metric("p_plan_holds") == 1.0
    assert (r.initiatives["p_by_planned_finish"] == 1.0).all()
    assert r.metric("expected_spend") == r.metric("planned_spend")


def test_attrition_must_rtb_and_budget_overrun_by_hand():
    sc = scenario(
        horizon={"start": "2027-01", "periods": 12, "period": "month", "hours_per_fte": 100},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"]}],
        run_the_business=[{"unit": "a", "skill": "x", "hours": 80, "priority": "must"}],
        external=[{"skill": "x", "max_fte": 1, "cost_per_hour": 10}],
        policy={"budget": 0},
        uncertainty={"attrition": 0.2, "backfill": 3},
    )
    plan = solve_checked(sc)
    n = 4000
    r = assess(plan, n, seed=11)
    assert r.metric("p_must_rtb_covered") == 1.0
    p = r.metric("p_budget_overrun")
    assert abs(p - 0.2) < tol(0.2, n)
    expected = 0.2 * 33 / 12 * 80 * 10
    sd = 80 * 10 * 3 * math.sqrt(0.2 / n)  # spend <= 2400, nonzero with P 0.2
    assert abs(r.metric("expected_spend") - expected) < 4 * sd
    # without the contractor the must RTB is short exactly when the person leaves
    sc2 = sc.model_copy(update={"external": []})
    r2 = assess(solve_checked(sc2), n, seed=11)
    assert abs(r2.metric("p_must_rtb_covered") - 0.8) < tol(0.8, n)
    row = r2.rtb.iloc[0]
    assert row["priority"] == "must" and row["p_short"] == pytest.approx(1 - 0.8, abs=tol(0.8, n))


def test_same_seed_same_numbers_and_pieces_do_not_matter(effort_plan):
    a = assess(effort_plan, 300, seed=5)
    b = assess(effort_plan, 300, seed=5)
    for name, frame in a.tables().items():
        assert frame.equals(b.tables()[name]), name
    c = assess(effort_plan, 300, seed=6)
    assert not a.initiatives.equals(c.initiatives)
    # one piece or three: the same outcome for every sample
    m = prepare(effort_plan)
    whole = run_batch(m, 5, list(range(30)))
    parts = [run_batch(m, 5, list(range(k, k + 10))) for k in (0, 10, 20)]
    assert np.array_equal(whole.finish, np.concatenate([p.finish for p in parts]))
    assert np.array_equal(whole.spend, np.concatenate([p.spend for p in parts]))
    # a sample is a pure function of (scenario, seed, index)
    pop = population(effort_plan.scenario)
    assert np.array_equal(draw(pop, 5, 17).effort, draw(pop, 5, 17).effort)
    assert not np.array_equal(draw(pop, 5, 17).effort, draw(pop, 5, 18).effort)


def test_uncertainty_section_is_validated(tmp_path):
    from planner.errors import ScenarioError

    with pytest.raises(ScenarioError, match="unknown initiative 'j'"):
        one_line({"initiatives": {"j": {"slip": {1: 0.1}}}})
    with pytest.raises(ScenarioError, match="'a/y' is not an effort line"):
        one_line({"initiatives": {"i": {"lines": {"a/y": {"low": 0.9, "high": 2}}}}})
    with pytest.raises(ValueError, match="sum to 1.2"):
        Uncertainty(slip={1: 0.7, 2: 0.5})
    u = Uncertainty(effort={"low": 0.8, "high": 1.5},
                    initiatives={"i": {"lines": {"a/x": {"low": 1, "high": 2}}}})
    assert u.spread("i", "a", "x").high == 2 and u.spread("i", "b", "x").high == 1.5
    assert u.spread("other", "a", "x").low == 0.8


def test_plan_without_uncertainty_is_refused():
    plan = solve_checked(one_line(None))
    with pytest.raises(NoUncertaintyError, match="no 'uncertainty:' section"):
        assess(plan, 10)


def test_a_phased_initiative_brings_its_phases_lines_and_they_may_be_spread():
    # design: 30 h of a/x then build: 50 h of a/x and 20 h of a/y -> lines a/x 80 h, a/y 20 h;
    # the spread named on a/x (a line of a phase only) is accepted and used
    from planner.io.validate import check

    sc = scenario(
        horizon={"periods": 3, "period": "index", "hours_per_fte": 100},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x", "y"]}],
        initiatives=[{"id": "i", "contributes": {"grow": 1}, "phases": [
            {"name": "design", "duration": 1,
             "effort": [{"unit": "a", "skill": "x", "hours": 30}]},
            {"name": "build", "duration": 2,
             "effort": [{"unit": "a", "skill": "x", "hours": 50},
                        {"unit": "a", "skill": "y", "hours": 20}]}]}],
        uncertainty={"initiatives": {"i": {"lines": {"a/x": {"low": 0.5, "high": 2}}}}},
    )
    assert [str(e) for e in check(sc)] == []
    pop = population(sc)
    got = {(u, s): (h, lo, hi) for u, s, h, lo, hi in zip(
        pop.line_unit, pop.line_skill, pop.line_hours, pop.line_low, pop.line_high,
        strict=True)}
    assert got == {("a", "x"): (80.0, 0.5, 2.0), ("a", "y"): (20.0, 1.0, 1.0)}
