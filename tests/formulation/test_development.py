"""Development wishes: learners, the development reward, the person split and the view.

Every scenario is small enough to work out by hand; the numbers are in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from models.scenario import Scenario
from planner.formulation.build import build
from planner.problem.data import compile_problem
from planner.solving.allocate import assignments, read_solution
from planner.solving.greedy import run_greedy
from planner.views import VIEWS
from planner.views.development import development
from tests.support import hours, scenario, solve_checked

HORIZON = {"periods": 3, "period": "index", "hours_per_fte": 100}


def learner_case(**policy: object) -> Scenario:
    """Unit a: expert E (data 1) and learner L (ops 1, wishes 60 h of data).

    Initiative I needs 90 h of data over 3 periods (30 h a period). L's ops RTB
    (high) takes 80 of their 100 h a period, so L has 60 h spare over the year:
    exactly the wish. L on I delivers 0.5 h per hour: 60 h -> 30 h; E does 60 h.
    """
    return scenario(
        horizon=HORIZON,
        units=[{"id": "a"}],
        staff=[
            {"id": "E", "name": "Expert", "unit": "a", "skills": {"data": 1}},
            {"id": "L", "name": "Learner", "unit": "a", "skills": {"ops": 1},
             "develop": {"data": 60}},
        ],
        run_the_business=[{"unit": "a", "skill": "ops", "hours": 80, "priority": "high"}],
        initiatives=[{"id": "I", "contributes": {"grow": 1}, "duration": 3,
                      "effort": [{"unit": "a", "skill": "data", "hours": 90}]}],
        policy=dict(policy),
    )


def test_learner_meets_wish_on_initiative() -> None:
    plan = solve_checked(learner_case())
    assert hours(plan, person="L", skill="data", work="I") == 60
    assert hours(plan, person="E", skill="data", work="I") == 60  # 90 - 60 x 0.5
    assert hours(plan, person="L", skill="ops") == 240  # ops RTB fully covered
    d = development(plan).set_index("person")
    assert d.loc["L", "hours_wished"] == 60 and d.loc["L", "hours_planned"] == 60
    assert d.loc["L", "met"] and d.loc["L", "proficiency"] == 0.5
    assert d.loc["L", "work"] == "I (1..3)" and d.loc["L", "periods"] == "1..3"
    assert (d.loc["L", "mentor"], d.loc["L", "mentor_name"]) == ("E", "Expert")
    # objective: I's weight 1 (finishes last: no earliness bonus), plus the tie-break,
    # plus 0.1 x average weight per effort hour (1/90) x 60 h of development, less
    # 0.001 x 1/90 for each of L's 60 h in a skill they do not have
    assert plan.run.objective == pytest.approx(1 + (0.1 - 0.001) * 60 / 90, abs=1e-6)
    ip = VIEWS["individual_plans"](plan).set_index(["person", "period"])
    assert ip.loc[("L", "2"), "development"] == "data 20 (year 60 of 60)"
    assert ip.loc[("L", "2"), "mentor"] == "E (Expert)"


def test_greedy_objective_is_the_model_objective() -> None:
    plan = solve_checked(learner_case(), strategy="greedy")
    assert hours(plan, person="L", skill="data") == 60
    assert plan.run.objective == pytest.approx(1 + (0.1 - 0.001) * 60 / 90, abs=1e-6)


def test_no_weight_no_growth() -> None:
    # weight 0: nothing rewards development; L only covers ops and E does all of I
    plan = solve_checked(learner_case(development={"weight": 0}))
    assert hours(plan, person="L", skill="data") == 0
    d = development(plan).set_index("person")
    assert not d.loc["L", "met"] and d.loc["L", "cause"] == "other"


def test_wish_without_work_says_why() -> None:
    sc = learner_case()
    sc.staff[1].develop = {"design": 30}
    plan = solve_checked(sc)
    d = development(plan).set_index("person")
    assert not d.loc["L", "met"] and d.loc["L", "hours_planned"] == 0
    assert d.loc["L", "cause"] == "no_work"
    assert d.loc["L", "reason"] == (
        "no work of skill design in the plan (no RTB needs it and no chosen initiative does)")


def test_list_wish_gets_default_hours() -> None:
    sc = learner_case(development={"default_hours": 45})
    sc.staff[1].develop = {"data": None}  # as `develop: [data]`
    plan = solve_checked(sc)
    d = development(plan).set_index("person")
    # L has 60 h to spare: 45 of them are rewarded; beyond the wish E does the work
    assert d.loc["L", "hours_wished"] == 45 and d.loc["L", "hours_planned"] == 45
    assert d.loc["L", "met"]


def displacement_case(weight: float | None = None) -> Scenario:
    """L (skill x, 10 h a period) wishes 40 h of y; E covers y's RTB.

    J needs all of L's 40 h of x (10 h a period for 4 periods): if L practised y,
    J could not run. J is worth 1; all 40 h of growth are worth 0.1 x (1/40) x 40 =
    0.1 at the default weight, so J stays and the wish says why.
    """
    policy = {} if weight is None else {"development": {"weight": weight}}
    return scenario(
        units=[{"id": "a"}],
        staff=[
            {"id": "L", "unit": "a", "skills": ["x"], "develop": {"y": 40}},
            {"id": "E", "unit": "a", "skills": ["y"]},
        ],
        run_the_business=[{"unit": "a", "skill": "y", "hours": 5, "priority": "normal"}],
        initiatives=[{"id": "J", "contributes": {"grow": 1}, "duration": 4,
                      "effort": [{"unit": "a", "skill": "x", "hours": 40}]}],
        policy=policy,
    )


def test_growth_never_displaces_a_chosen_initiative() -> None:
    plan = solve_checked(displacement_case())
    assert [r.id for r in plan.initiatives if r.selected] == ["J"]
    assert hours(plan, person="L", work="J") == 40 and hours(plan, person="L", skill="y") == 0
    d = development(plan).set_index("person")
    assert d.loc["L", "cause"] == "no_capacity"
    assert d.loc["L", "reason"] == (
        "no spare capacity: fully planned in every period with skill y work (1..4)")


def test_without_the_initiative_the_wish_is_met() -> None:
    # the same wish is met as soon as J does not need L: the test above is not vacuous
    sc = displacement_case()
    sc.initiatives[0].pin = "out"
    plan = solve_checked(sc)
    # all of y's RTB (5 h a period, 20 h) at 0.5 per hour: 40 h, the whole wish
    assert hours(plan, person="L", skill="y") == 40
    assert development(plan)["met"].all()


def test_an_outsized_weight_would_displace_it() -> None:
    # at 50 x the average weight per hour growth (50 x 1/40 x 40 = 50) beats J (1)
    plan = solve_checked(displacement_case(weight=50))
    assert not any(r.selected for r in plan.initiatives)


def learners(away: bool = False) -> Scenario:
    """Two learners (ops 1) who wish 40 h of data each; E (data 1) could do all the data.

    One period of 100 h: initiative I needs 40 h of data, 80 learner hours. Alike,
    the learners are one cohort: the model counts min(80, 80 learner hours) = 80 h of
    development, so the learners do all of I and E nothing. Filling L1 (listed
    first) first would give L1 all 80 h (40 beyond the wish) and L2 none; the
    development split gives each 40 h. With ``away``, L2 has only 50 h: no longer
    alike, so two cohorts, and the model gives each their 40 h itself.
    """
    staff = [{"id": "L1", "unit": "a", "skills": ["ops"], "develop": {"data": 40}},
             {"id": "L2", "unit": "a", "skills": ["ops"], "develop": {"data": 40}},
             {"id": "E", "unit": "a", "skills": ["data"]}]
    if away:
        staff[1]["availability"] = {"1": 0.5}
    return scenario(
        horizon={"periods": 1, "period": "index", "hours_per_fte": 100},
        units=[{"id": "a"}], staff=staff,
        initiatives=[{"id": "I", "contributes": {"grow": 1}, "duration": 1,
                      "effort": [{"unit": "a", "skill": "data", "hours": 40}]}],
    )


def members(data) -> list[list[str]]:
    return [sorted(data.scenario.staff[m].id for m in g.members) for g in data.cohorts]


def test_cohorts_group_people_with_the_same_wishes_and_capacity() -> None:
    data = compile_problem(learners())
    assert members(data) == [["L1", "L2"], ["E"]]
    g = data.cohorts[0]
    assert g.skills == {"data": 0.5, "ops": 1.0}
    assert g.wished["data"].tolist() == [40.0, 40.0] and g.learning == {"data"}
    # another capacity, other hours wished, or a skill held at 0.5 and wished (not a
    # learner of it): apart
    assert members(compile_problem(learners(away=True))) == [["L1"], ["L2"], ["E"]]
    sc = learners()
    sc.staff.append(sc.staff[0].model_copy(update={"id": "L3", "develop": {"data": 50}}))
    sc.staff.append(sc.staff[0].model_copy(update={"id": "L4",
                                                   "skills": {"ops": 1, "data": 0.5}}))
    sc.staff.append(sc.staff[2].model_copy(update={"id": "E2"}))
    data = compile_problem(sc)
    assert members(data) == [["L1", "L2"], ["E", "E2"], ["L3"], ["L4"]]
    assert data.cohorts[3].learning == frozenset() and "data" in data.cohorts[3].wished


@pytest.mark.parametrize("away", [False, True])
def test_split_gives_learners_the_hours_up_to_their_wish(away: bool) -> None:
    plan = solve_checked(learners(away))
    assert hours(plan, person="L1", skill="data") == 40
    assert hours(plan, person="L2", skill="data") == 40
    assert hours(plan, person="E") == 0
    assert development(plan)["met"].all()


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_split_realises_the_models_development(seed: int) -> None:
    """On generated organisations, sum over members of min(hours on k, wish) = dev[g,k]."""
    from benchmarks.generate import generate

    raw = generate("S", seed=seed, staff=40, units=3, initiatives=10, periods=6)
    for p in raw["staff"]:  # single-skill full-timers without leave wish 300 h of analyst
        if len(p["skills"]) == 1 and "analyst" not in p["skills"]:
            p.update(develop={"analyst": 300}, fte=1.0, availability={})
    sc = Scenario.model_validate(raw)
    data = compile_problem(sc)
    f = build(data)
    res = run_greedy(data, f)  # its flows are LP-optimal for its schedule
    schedule, flows = read_solution(f.vars, res.x)
    frame = assignments(data, schedule, flows)
    staff = data.scenario.staff
    got = frame.groupby(["person", "skill"])["hours"].sum()
    assert any(len(data.cohorts[g].members) > 1 for g, _sk in f.vars.dev), "cohorts to split"
    for (gi, sk), col in f.vars.dev.items():
        g = data.cohorts[gi]
        realised = sum(
            min(float(got.get((staff[m].id, sk), 0.0)), float(g.wished[sk][pos]))
            for pos, m in enumerate(g.members)
        )
        # what the model counts, named people get: no more (the flows are optimal for
        # the schedule), no less (the split is exact)
        assert realised == pytest.approx(res.x[col], abs=1e-3 * len(g.members))


def test_development_columns_and_rows() -> None:
    data = compile_problem(learner_case())
    f = build(data)
    names = f.model.col_names
    dev = [n for n in names if n.startswith("dev[")]
    assert dev == ["dev[g0001,data]"]
    r = f.model.row_of("grow[g0001,data]")
    assert r is not None
    arrays = f.model.arrays()
    col = names.index("dev[g0001,data]")
    assert arrays.ub[col] == 60
    # rewarded at 0.1 x the average weight per effort hour (1 / 90)
    assert arrays.obj[col] == pytest.approx(0.1 / 90)
    row = arrays.matrix.getrow(r).toarray().ravel()
    hours_cols = np.flatnonzero(row < 0)
    assert all(names[c].startswith("c[g0001,data,") for c in hours_cols)
    # a learner's hour in data costs a hundredth of the reward (people with it first)
    assert arrays.obj[hours_cols] == pytest.approx(np.full(3, -0.001 / 90))


def one_period(staff: list[dict], rtb: list[dict], initiatives: list[dict]) -> Scenario:
    return scenario(horizon={"periods": 1, "period": "index", "hours_per_fte": 100},
                    units=[{"id": "a"}], staff=staff, run_the_business=rtb,
                    initiatives=initiatives)


def test_work_taken_by_other_learners() -> None:
    # 30 h of data RTB is all the data work; at 0.5 it takes 60 learner hours, fewer
    # than the 120 h the two learners wish: whoever is short is short because the
    # work already grows a wish
    sc = one_period(
        [{"id": "L1", "unit": "a", "skills": ["ops"], "develop": {"data": 60}},
         {"id": "L2", "unit": "a", "skills": ["ops"], "develop": {"data": 60}},
         {"id": "E", "unit": "a", "skills": ["data"]}],
        [{"unit": "a", "skill": "data", "hours": 30}], [])
    plan = solve_checked(sc)
    d = development(plan).set_index("person")
    assert d["hours_planned"].sum() == 60 and hours(plan, person="E") == 0
    short = d[~d["met"]]
    assert len(short) >= 1 and (short["cause"] == "work_taken").all()
    assert "already counts toward development wishes" in short["reason"].iloc[0]


def test_change_share_exhausted() -> None:
    # L may spend 20 of their 100 h on initiatives; the only data work is initiative I
    sc = one_period(
        [{"id": "L", "unit": "a", "skills": ["ops"], "max_change_share": 0.2,
          "develop": {"data": 60}},
         {"id": "E", "unit": "a", "skills": ["data"]}],
        [], [{"id": "I", "contributes": {"grow": 1}, "duration": 1,
              "effort": [{"unit": "a", "skill": "data", "hours": 50}]}])
    plan = solve_checked(sc)
    assert hours(plan, person="L", work="I") == 20
    assert hours(plan, person="E", work="I") == 40  # 50 - 20 x 0.5
    d = development(plan).set_index("person")
    assert d.loc["L", "cause"] == "change_share"
    assert d.loc["L", "reason"].startswith("20 of 60 h planned: change share exhausted")
