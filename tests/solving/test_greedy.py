"""The rank-and-cut greedy on tiny scenarios worked out by hand.

Default horizon (``solving.scenario``): 4 index periods of 10 hours per FTE, one
objective ``grow`` of weight 1, so an initiative's score is its rating. Every
greedy plan is written and checked by the independent checker
(``solving.solve_checked``).
"""

from __future__ import annotations

import pytest
from support import hours, scenario, solve_checked

from benchmarks.generate import generate
from models.scenario import Scenario
from planner.errors import InfeasibleError
from planner.formulation.build import build
from planner.problem.data import compile_problem
from planner.solving.greedy import greedy, greedy_start, run_greedy


def work(id: str, hours: float, duration: int = 1, score: float = 0.75, **kw) -> dict:
    """An initiative with one effort line in dev/code."""
    skill = kw.pop("skill", "code")
    return {
        "id": id,
        "duration": duration,
        "contributes": {"grow": score},
        "effort": [{"unit": "dev", "skill": skill, "hours": hours}],
        **kw,
    }


def devs(n: int = 1, **person) -> dict:
    """``n`` developers in unit dev (10 h per period each)."""
    return {
        "units": [{"id": "dev"}],
        "staff": [{"id": f"d{k}", "unit": "dev", "skills": ["code"], **person} for k in range(n)],
    }


def chosen(plan) -> dict[str, str]:
    """Selected initiative -> start label."""
    return {i.id: i.start for i in plan.initiatives if i.selected}


def greedy_plan(sc: Scenario):
    return solve_checked(sc, strategy="greedy")


def test_ranks_by_score_per_hour_and_takes_earliest_start():
    # One developer, 10 h in each of 4 periods (40 h).
    # big: 40 h over 4 periods, score 1.0 -> 0.025/h; b: 20 h over 2, 0.6 -> 0.03/h;
    # c: 20 h over 2, 0.55 -> 0.0275/h. Greedy: b at 1 (periods 1-2), c at its earliest
    # feasible start 3 (periods 1-2 are full), big no longer fits anywhere.
    sc = scenario(
        **devs(),
        initiatives=[
            work("big", 40, duration=4, score=1.0),
            work("b", 20, duration=2, score=0.6),
            work("c", 20, duration=2, score=0.55),
        ],
    )
    plan = greedy_plan(sc)
    assert chosen(plan) == {"b": "1", "c": "3"}
    assert plan.run.strategy == "greedy"


def test_skips_what_does_not_fit_and_continues():
    # too_big needs 20 h in one period (one developer has 10); small ones still go in.
    sc = scenario(
        **devs(),
        initiatives=[
            work("too_big", 20, score=1.0),
            work("s1", 10, score=0.5),
            work("s2", 10, score=0.4, earliest_start=3),
        ],
    )
    plan = greedy_plan(sc)
    assert chosen(plan) == {"s1": "1", "s2": "3"}


def test_prerequisite_first_and_dependant_after_it_finishes():
    # base is worth little per hour but opens the way to top (depends_on base).
    # base runs 1-2, so top can start in 3 at the earliest, although period 1 is free
    # for it capacity-wise (two developers).
    sc = scenario(
        **devs(2),
        initiatives=[
            work("top", 10, score=1.0, depends_on=["base"]),
            work("base", 20, duration=2, score=0.1),
            work("filler", 40, duration=4, score=0.2),
        ],
    )
    plan = greedy_plan(sc)
    got = chosen(plan)
    assert got["base"] == "1" and got["top"] == "3"
    # filler (10 h/period) fits beside them: 20 h per period available
    assert got["filler"] == "1"


def test_dependant_skipped_when_prerequisite_cannot_fit():
    sc = scenario(
        **devs(),
        initiatives=[work("top", 10, score=1.0, depends_on=["base"]), work("base", 50)],
    )
    plan = greedy_plan(sc)
    assert chosen(plan) == {}


def test_exclusivity():
    # a and b are exclusive; a is better per hour, so b is skipped although it fits.
    sc = scenario(
        **devs(2),
        initiatives=[work("b", 10, score=0.5, exclusive_with=["a"]), work("a", 10, score=0.9)],
    )
    assert chosen(greedy_plan(sc)) == {"a": "1"}


def test_budget():
    # Each costs 60; budget 100 allows one: the better one per hour.
    sc = scenario(
        **devs(2),
        initiatives=[work("a", 10, score=0.5, cost=60), work("b", 10, score=0.9, cost=60),
                     work("free", 10, score=0.1)],
        policy={"budget": 100},
    )
    assert chosen(greedy_plan(sc)) == {"b": "1", "free": "1"}


def test_unit_budget():
    sc = scenario(
        units=[{"id": "dev", "budget": 50}],
        staff=[{"id": "d0", "unit": "dev", "skills": ["code"]}],
        initiatives=[work("a", 5, score=0.9, cost=60, sponsor="dev"),
                     work("b", 5, score=0.5, cost=40, sponsor="dev")],
    )
    assert chosen(greedy_plan(sc)) == {"b": "1"}


def test_multi_skill_people_used_exactly():
    # p_main does code only; p_multi does code (main skill) and test at 0.5.
    # x needs 10 h code and 5 h test in period 1. A spreadsheet counting each person in
    # the main skill only sees no tester and rejects x; exactly: p_main codes 10 h,
    # p_multi tests 10 h x 0.5 = 5 h.
    sc = scenario(
        units=[{"id": "dev"}],
        staff=[
            {"id": "p_main", "unit": "dev", "skills": ["code"]},
            {"id": "p_multi", "unit": "dev", "skills": {"code": 1.0, "test": 0.5}},
        ],
        initiatives=[
            {"id": "x", "duration": 1, "contributes": {"grow": 0.8},
             "effort": [{"unit": "dev", "skill": "code", "hours": 10},
                        {"unit": "dev", "skill": "test", "hours": 5}]},
        ],
    )
    plan = greedy_plan(sc)
    assert chosen(plan) == {"x": "1"}
    assert hours(plan, person="p_multi", work="x", skill="test") == 10
    assert hours(plan, person="p_main", work="x", skill="code") == 10


def test_change_share_and_utilisation():
    # max_utilisation 0.8 and max_change_share 0.5: 5 change hours per period.
    # six (6 h) does not fit in one period; five (5 h) does.
    sc = scenario(
        **devs(max_change_share=0.5),
        initiatives=[work("six", 6, score=1.0), work("five", 5, score=0.5)],
        policy={"max_utilisation": 0.8},
    )
    assert chosen(greedy_plan(sc)) == {"five": "1"}


def test_contractors_within_budget():
    # 15 h of code in period 1; the developer gives 10, a contractor (1 per hour) 5.
    base = dict(
        **devs(),
        initiatives=[work("x", 15, score=1.0, deadline=1)],
        external=[{"skill": "code", "max_fte": 1, "cost_per_hour": 1}],
    )
    plan = greedy_plan(scenario(**base, policy={"budget": 100}))
    assert chosen(plan) == {"x": "1"}
    assert hours(plan, person="external:code", work="x") == 5
    # with 4 of budget the contractor cannot be paid: x does not fit
    assert chosen(greedy_plan(scenario(**base, policy={"budget": 4}))) == {}


def test_borrowing_when_allowed():
    # ops has the only coder; dev's initiative needs 10 h of code.
    base = dict(
        units=[{"id": "dev"}, {"id": "ops"}],
        staff=[{"id": "o1", "unit": "ops", "skills": ["code"]}],
        initiatives=[work("x", 10, score=1.0)],
    )
    assert chosen(greedy_plan(scenario(**base))) == {}
    plan = greedy_plan(scenario(**base, policy={"borrowing": True}))
    assert chosen(plan) == {"x": "1"}
    assert hours(plan, person="o1", work="x") == 10


def test_rtb_protected_but_mandatory_work_comes_first():
    # The developer's 10 h per period: RTB high 6 h. opt (5 h) would push RTB short: skipped.
    rtb = [{"unit": "dev", "skill": "code", "hours": 6, "priority": "high"}]
    plan = greedy_plan(scenario(**devs(), run_the_business=rtb,
                                initiatives=[work("opt", 5, score=1.0)]))
    assert chosen(plan) == {}
    assert hours(plan, work="rtb:dev") == 24
    # mandatory work goes in anyway, at the cost of 1 h of high RTB in its period
    plan = greedy_plan(scenario(**devs(), run_the_business=rtb,
                                initiatives=[work("reg", 5, mandatory=True, deadline=1)]))
    assert chosen(plan) == {"reg": "1"}
    assert hours(plan, work="rtb:dev") == 23


def test_must_rtb_always_covered():
    # must RTB 8 h per period leaves 2 h: the 3 h initiative never fits, the 2 h one does.
    rtb = [{"unit": "dev", "skill": "code", "hours": 8, "priority": "must"}]
    sc = scenario(**devs(), run_the_business=rtb,
                  initiatives=[work("three", 3, score=1.0), work("two", 2, score=0.1)])
    assert chosen(greedy_plan(sc)) == {"two": "1"}


def test_pinned_start_and_pinned_out_and_misaligned():
    sc = scenario(
        **devs(2),
        initiatives=[
            work("fixed", 10, score=0.1, start=3),
            work("out", 10, score=1.0, pin="out"),
            work("stray", 10, score=0.0),
        ],
    )
    assert chosen(greedy_plan(sc)) == {"fixed": "3"}


def test_required_that_cannot_fit_raises():
    sc = scenario(**devs(), initiatives=[work("reg", 30, mandatory=True)])
    with pytest.raises(InfeasibleError, match="reg"):
        greedy(compile_problem(sc))


def test_must_rtb_that_cannot_fit_raises():
    rtb = [{"unit": "dev", "skill": "code", "hours": 12, "priority": "must"}]
    sc = scenario(**devs(), run_the_business=rtb)
    with pytest.raises(InfeasibleError, match="must"):
        greedy(compile_problem(sc))


def test_warm_start_is_a_feasible_column_vector():
    sc = scenario(
        **devs(),
        initiatives=[work("b", 20, duration=2, score=0.6), work("c", 20, duration=2, score=0.55)],
    )
    data = compile_problem(sc)
    f = build(data)
    x = greedy_start(data, f)
    m = f.model.arrays()
    assert x.shape == (m.num_cols,)
    ax = m.matrix @ x
    assert (ax >= m.row_lo - 1e-6).all() and (ax <= m.row_hi + 1e-6).all()
    assert (x >= m.lb - 1e-9).all() and (x <= m.ub + 1e-9).all()
    assert set(x[m.integer]) <= {0.0, 1.0}


TINY = {"staff": 25, "units": 3, "initiatives": 10, "periods": 6}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_optimiser_at_least_greedy_on_generated(seed):
    sc = Scenario.model_validate(generate("S", seed=seed, **TINY))
    g = solve_checked(sc, strategy="greedy")
    opt = solve_checked(sc, time_limit=5, gap=0.01)
    assert opt.run.greedy_objective == pytest.approx(g.run.objective, rel=1e-6, abs=1e-6)
    assert opt.run.objective >= g.run.objective - 1e-6
    if opt.run.bound is not None:
        assert opt.run.bound >= opt.run.objective - 1e-6
    assert "greedy" in opt.run.timings


def test_deterministic():
    sc = Scenario.model_validate(generate("S", seed=4, **TINY))
    data = compile_problem(sc)
    a = run_greedy(data, build(data))
    b = run_greedy(data, build(data))
    assert a.starts == b.starts
    assert (a.x == b.x).all()


def test_empty_model_and_effortless_initiative():
    # no RTB and no initiatives: an empty LP; an initiative without effort only takes time
    assert greedy(compile_problem(scenario(**devs())))[0].starts == {}
    sc = scenario(**devs(), initiatives=[{"id": "e", "duration": 2, "contributes": {"grow": 1}}])
    assert chosen(greedy_plan(sc)) == {"e": "1"}
