"""Tests of the independent plan checker (planner.checker).

Each test starts from one small scenario and a plan that satisfies it, breaks one
rule, and checks the rule, item, period and amount reported. Numbers are small
enough to work out by hand.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.scenario import Scenario
from planner.checker import ASSIGNMENT_COLUMNS, CheckReport, Violation, check_plan

PF_COLUMNS = ["initiative", "name", "selected", "start", "finish", "strategic_score", "value",
              "cost", "labour_hours", "reason"]

# Horizon 1..3, 100 h per FTE.
# ops: p1 (agent, proficiency 1) covers RTB must 50 + high 20 = 70 h each period.
# it: p2 (eng, proficiency 0.5) staffs crm (80 h eng over 2 periods = 40 h per period):
#     period 1: 80 h x 0.5 = 40; period 2: 70 h x 0.5 = 35 + 5 external hours.
# Spend: crm cost 500 + 5 h x 10 = 550 <= budget 2000; unit it budget 550.
BASE = {
    "name": "tiny",
    "horizon": {"periods": 3, "period": "index", "hours_per_fte": 100},
    "strategy": {"objectives": [{"id": "growth", "weight": 2}]},
    "units": [{"id": "ops"}, {"id": "it", "budget": 550}],
    "staff": [
        {"id": "p1", "unit": "ops", "skills": ["agent"]},
        {"id": "p2", "unit": "it", "skills": {"eng": 0.5}},
    ],
    "run_the_business": [
        {"unit": "ops", "skill": "agent", "hours": 50, "priority": "must"},
        {"unit": "ops", "skill": "agent", "hours": [20, 20, 20], "priority": "high"},
    ],
    "initiatives": [
        {"id": "crm", "sponsor": "it", "contributes": {"growth": "strong"}, "duration": 2,
         "deadline": 3, "cost": 500, "effort": [{"unit": "it", "skill": "eng", "hours": 80}]},
        {"id": "x", "sponsor": "ops", "contributes": {"growth": 0.5}, "duration": 1},
    ],
    "external": [{"skill": "eng", "max_fte": 0.5, "cost_per_hour": 10, "from": 2}],
    "policy": {"budget": 2000},
}

PORTFOLIO = [
    {"initiative": "crm", "selected": "true", "start": "1", "finish": "2"},
    {"initiative": "x", "selected": "false", "start": "", "finish": ""},
]


def row(person, period, work, skill, hours, for_unit=None, unit=None, contract=""):
    """One assignments.csv row; unit and for_unit default from the tiny scenario."""
    units = {"p1": "ops", "p2": "it"}
    unit = units.get(person, "") if unit is None else unit
    if for_unit is None:
        for_unit = work[4:] if work.startswith("rtb:") else "it"
    return {"person": person, "unit": unit, "period": str(period), "work": work,
            "for_unit": for_unit, "skill": skill, "hours": hours, "contract": contract}


def assignments():
    rows = [row("p1", t, "rtb:ops", "agent", 70) for t in (1, 2, 3)]
    rows += [row("p2", 1, "crm", "eng", 80), row("p2", 2, "crm", "eng", 70)]
    rows.append(row("external:eng", 2, "crm", "eng", 5, contract="eng"))
    return rows


def write(folder: Path, name: str, rows: list[dict], columns) -> None:
    with open(folder / name, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore", restval="")
        w.writeheader()
        w.writerows(rows)


def run(tmp_path: Path, scenario=None, portfolio=None, rows=None) -> CheckReport:
    """Write the plan into tmp_path and check it against the scenario."""
    sc = Scenario.model_validate(scenario if scenario is not None else BASE)
    write(tmp_path, "portfolio.csv", portfolio if portfolio is not None else PORTFOLIO, PF_COLUMNS)
    write(tmp_path, "assignments.csv", rows if rows is not None else assignments(),
          ASSIGNMENT_COLUMNS)
    return check_plan(sc, tmp_path)


def base():
    return copy.deepcopy(BASE)


def pf():
    return copy.deepcopy(PORTFOLIO)


def one(report: CheckReport, rule: str) -> Violation:
    """The single violation of the report, which must be of ``rule``."""
    assert [v.rule for v in report.violations] == [rule], report.to_text()
    return report.violations[0]


def init(sc: dict, iid: str) -> dict:
    return next(i for i in sc["initiatives"] if i["id"] == iid)


# -- the correct plan ---------------------------------------------------------


def test_correct_plan_passes(tmp_path):
    report = run(tmp_path)
    assert report.ok, report.to_text()
    assert report.notes == []
    assert report.to_text().startswith("plan OK")


def test_rounding_within_tolerance_passes(tmp_path):
    rows = assignments()
    rows[3]["hours"] = 79.99  # 39.995 delivered: 0.005 short, inside the 0.01 h slack
    rows[0]["hours"] = 70.01  # p1 is at 70 of 100: far from capacity; RTB over-covered
    assert run(tmp_path, rows=rows).ok


# -- files -------------------------------------------------------------------


def test_missing_file(tmp_path):
    sc = Scenario.model_validate(BASE)
    write(tmp_path, "portfolio.csv", PORTFOLIO, PF_COLUMNS)
    v = one(check_plan(sc, tmp_path), "file")
    assert v.item == "assignments.csv"


def test_missing_column(tmp_path):
    sc = Scenario.model_validate(BASE)
    write(tmp_path, "portfolio.csv", PORTFOLIO, PF_COLUMNS)
    write(tmp_path, "assignments.csv", assignments(), [c for c in ASSIGNMENT_COLUMNS
                                                        if c != "contract"])
    v = one(check_plan(sc, tmp_path), "file")
    assert "contract" in v.message


def test_empty_file(tmp_path):
    sc = Scenario.model_validate(BASE)
    write(tmp_path, "assignments.csv", assignments(), ASSIGNMENT_COLUMNS)
    (tmp_path / "portfolio.csv").write_text("")
    v = one(check_plan(sc, tmp_path), "file")
    assert v.item == "portfolio.csv"


# -- 1. portfolio --------------------------------------------------------------


def test_initiative_missing_from_portfolio(tmp_path):
    v = one(run(tmp_path, portfolio=pf()[:1]), "portfolio")
    assert (v.item, v.period, v.amount) == ("x", None, 1)


def test_initiative_listed_twice(tmp_path):
    v = one(run(tmp_path, portfolio=pf() + pf()[:1]), "portfolio")
    assert (v.item, v.amount) == ("crm", 1)


def test_unknown_initiative(tmp_path):
    extra = {"initiative": "zz", "selected": "false", "start": "", "finish": ""}
    v = one(run(tmp_path, portfolio=pf() + [extra]), "portfolio")
    assert v.item == "zz"


def test_selected_flag_not_boolean(tmp_path):
    p = pf()
    p[1]["selected"] = "maybe"
    v = one(run(tmp_path, portfolio=p), "portfolio")
    assert v.item == "x"


# -- 2. mandatory, pins, fixed start ----------------------------------------------


def test_mandatory_not_selected(tmp_path):
    sc = base()
    init(sc, "x")["mandatory"] = True
    v = one(run(tmp_path, scenario=sc), "mandatory")
    assert (v.item, v.period, v.amount) == ("x", None, 1)


def test_pin_in_not_selected(tmp_path):
    sc = base()
    init(sc, "x")["pin"] = "in"
    assert one(run(tmp_path, scenario=sc), "pin").item == "x"


def test_pin_out_selected(tmp_path):
    sc = base()
    init(sc, "crm")["pin"] = "out"
    assert one(run(tmp_path, scenario=sc), "pin").item == "crm"


def test_fixed_start_moved(tmp_path):
    sc = base()
    init(sc, "crm")["start"] = 2
    v = one(run(tmp_path, scenario=sc), "start")
    assert (v.item, v.period, v.amount) == ("crm", "1", 1)


# -- 3. schedule -------------------------------------------------------------------


def test_finish_not_start_plus_duration(tmp_path):
    p = pf()
    p[0]["finish"] = "3"
    v = one(run(tmp_path, portfolio=p), "schedule")
    assert (v.item, v.amount) == ("crm", 1)


def test_start_not_a_label(tmp_path):
    p = pf()
    p[0]["start"] = "2027-01"
    rows = [r for r in assignments() if r["work"] != "crm"]
    report = run(tmp_path, portfolio=p, rows=rows)
    assert one(report, "schedule").item == "crm"


def test_runs_past_horizon(tmp_path):
    sc = base()
    init(sc, "x")["duration"] = 2
    p = pf()
    p[1].update(selected="true", start="3", finish="")
    v = one(run(tmp_path, scenario=sc, portfolio=p), "schedule")
    assert (v.item, v.period, v.amount) == ("x", "3", 1)


def test_starts_before_earliest_start(tmp_path):
    sc = base()
    init(sc, "crm")["earliest_start"] = 2
    v = one(run(tmp_path, scenario=sc), "earliest_start")
    assert (v.item, v.period, v.amount) == ("crm", "1", 1)


def test_finishes_after_deadline(tmp_path):
    sc = base()
    init(sc, "crm")["deadline"] = 1
    v = one(run(tmp_path, scenario=sc), "deadline")
    assert (v.item, v.amount) == ("crm", 1)


# -- 4-6. dependencies, exclusivity, misalignment -------------------------------------


def test_prerequisite_not_selected(tmp_path):
    sc = base()
    init(sc, "crm")["depends_on"] = ["x"]
    v = one(run(tmp_path, scenario=sc), "dependency")
    assert (v.item, v.amount) == ("crm", 1)


def test_prerequisite_not_finished(tmp_path):
    sc = base()
    init(sc, "crm")["depends_on"] = ["x"]
    p = pf()
    p[1].update(selected="true", start="1", finish="1")  # x finishes in 1, crm starts in 1
    v = one(run(tmp_path, scenario=sc, portfolio=p), "dependency")
    assert (v.item, v.period, v.amount) == ("crm", "1", 1)


def test_exclusive_both_selected(tmp_path):
    sc = base()
    init(sc, "x")["exclusive_with"] = ["crm"]
    p = pf()
    p[1].update(selected="true", start="3", finish="3")
    v = one(run(tmp_path, scenario=sc, portfolio=p), "exclusive")
    assert v.item == "crm" and "x" in v.message


def test_misaligned_selected(tmp_path):
    sc = base()
    init(sc, "x")["contributes"] = {}
    p = pf()
    p[1].update(selected="true", start="3", finish="3")
    assert one(run(tmp_path, scenario=sc, portfolio=p), "misaligned").item == "x"
    init(sc, "x")["mandatory"] = True
    assert run(tmp_path, scenario=sc, portfolio=p).ok


# -- 7-8. staffing and where hours go ---------------------------------------------------


def test_line_understaffed(tmp_path):
    rows = assignments()
    rows[3]["hours"] = 60  # p2 in period 1: 60 x 0.5 = 30 of 40 needed
    v = one(run(tmp_path, rows=rows), "staffing")
    assert (v.item, v.period, v.amount) == ("crm", "1", pytest.approx(10))


def test_duplicate_effort_lines_are_merged(tmp_path):
    sc = base()
    init(sc, "crm")["effort"] = [{"unit": "it", "skill": "eng", "hours": 40}] * 2
    assert run(tmp_path, scenario=sc).ok
    init(sc, "crm")["effort"].append({"unit": "it", "skill": "eng", "hours": 4})  # +2 h/period
    report = run(tmp_path, scenario=sc)
    assert [(v.rule, v.period, v.amount) for v in report.violations] == [
        ("staffing", "1", pytest.approx(2)), ("staffing", "2", pytest.approx(2))]


def test_hours_on_unselected_initiative(tmp_path):
    rows = assignments() + [row("p2", 3, "x", "eng", 10)]
    v = one(run(tmp_path, rows=rows), "work")
    assert (v.item, v.period, v.amount) == ("x", "3", 10)


def test_hours_outside_active_periods(tmp_path):
    rows = assignments() + [row("p2", 3, "crm", "eng", 10)]
    v = one(run(tmp_path, rows=rows), "work")
    assert (v.item, v.period, v.amount) == ("crm", "3", 10)
    assert "active" in v.message


def test_hours_on_line_that_does_not_exist(tmp_path):
    rows = assignments() + [row("external:eng", 2, "crm", "eng", 5, for_unit="ops",
                                contract="eng")]
    v = one(run(tmp_path, rows=rows), "work")
    assert (v.item, v.period, v.amount) == ("crm", "2", 5)


def test_period_outside_horizon(tmp_path):
    rows = assignments() + [row("p1", 4, "rtb:ops", "agent", 1)]
    v = one(run(tmp_path, rows=rows), "work")
    assert (v.item, v.period) == ("rtb:ops", "4")


def test_rtb_row_for_other_unit(tmp_path):
    rows = assignments()
    rows[0]["for_unit"] = "it"
    report = run(tmp_path, rows=rows)
    assert {v.rule for v in report.violations} == {"work", "borrowing"}
    assert [v.item for v in report.violations if v.rule == "work"] == ["rtb:ops"]


# -- 9-10. people -------------------------------------------------------------------------


def test_unknown_person(tmp_path):
    rows = assignments() + [row("p9", 3, "rtb:ops", "agent", 1, unit="ops")]
    v = one(run(tmp_path, rows=rows), "person")
    assert (v.item, v.amount) == ("p9", 1)


def test_wrong_unit(tmp_path):
    rows = assignments()
    rows[0]["unit"] = "it"
    v = one(run(tmp_path, rows=rows), "person")
    assert (v.item, v.amount) == ("p1", 70)


def test_skill_not_held(tmp_path):
    rows = assignments() + [row("p1", 3, "rtb:ops", "eng", 10)]
    v = one(run(tmp_path, rows=rows), "person")
    assert (v.item, v.amount) == ("p1", 10)


def learner_scenario(develop=None):
    """BASE plus p3 in it (skill ops) who may wish to develop eng."""
    sc = base()
    p3 = {"id": "p3", "unit": "it", "skills": ["ops"]}
    if develop is not None:
        p3["develop"] = develop
    sc["staff"].append(p3)
    return sc


def learner_rows(p3_hours):
    # period 2 of crm: p2 60 h x 0.5 = 30 delivered, p3 (learner) p3_hours x 0.5, no contractor
    rows = [r for r in assignments() if not (r["period"] == "2" and r["work"] == "crm")]
    rows += [row("p2", 2, "crm", "eng", 60), row("p3", 2, "crm", "eng", p3_hours, unit="it")]
    return rows


def test_learner_delivers_at_learner_proficiency(tmp_path):
    # 20 h of the learner deliver 10 h: 30 + 10 = the 40 h crm needs in period 2
    assert run(tmp_path, scenario=learner_scenario(["eng"]), rows=learner_rows(20)).ok
    # 18 h deliver 9 h: 1 h short
    v = one(run(tmp_path, scenario=learner_scenario(["eng"]), rows=learner_rows(18)),
            "staffing")
    assert (v.item, v.period, v.amount) == ("crm", "2", pytest.approx(1.0))


def test_learner_proficiency_is_the_policy_s(tmp_path):
    sc = learner_scenario({"eng": 10})
    sc["policy"]["development"] = {"learner_proficiency": 0.25}
    v = one(run(tmp_path, scenario=sc, rows=learner_rows(20)), "staffing")
    assert v.amount == pytest.approx(5.0)  # 20 h x 0.25 = 5 of the 10 h needed


def test_skill_neither_held_nor_wished(tmp_path):
    report = run(tmp_path, scenario=learner_scenario(), rows=learner_rows(20))
    assert report.rules() == {"person": 1, "staffing": 1}
    v = next(x for x in report.violations if x.rule == "person")
    assert (v.item, v.amount) == ("p3", 20)
    assert "neither a skill of theirs nor one they wish to develop" in v.message


DEV_COLUMNS = ["person", "skill", "hours_wished", "hours_planned", "met", "work"]


def dev_row(**change):
    out = {"person": "p3", "skill": "eng", "hours_wished": "40", "hours_planned": "20",
           "met": "false", "work": "crm (2)"}
    out.update(change)
    return out


def run_dev(tmp_path, *dev_rows):
    write(tmp_path, "development.csv", list(dev_rows), DEV_COLUMNS)
    return run(tmp_path, scenario=learner_scenario(["eng"]), rows=learner_rows(20))


def test_development_csv_agrees(tmp_path):
    assert run_dev(tmp_path, dev_row()).ok
    # 20 h of 40 planned: met must be false; the list wish gets the default 40 h
    for bad, what in [({"met": "true"}, "met is"), ({"hours_planned": "25"}, "assignments give"),
                      ({"hours_wished": "60"}, "the scenario wishes"),
                      ({"work": "crm (2); rtb:it (1)"}, "work lists")]:
        v = one(run_dev(tmp_path, dev_row(**bad)), "development")
        assert v.item == "p3/eng" and what in v.message


def test_development_csv_lists_every_wish_once(tmp_path):
    v = one(run_dev(tmp_path), "development")
    assert v.message == "wish missing from development.csv"
    v = one(run_dev(tmp_path, dev_row(), dev_row(skill="ops")), "development")
    assert "does not have" in v.message


def test_development_not_written_is_a_note(tmp_path):
    report = run(tmp_path, scenario=learner_scenario(["eng"]), rows=learner_rows(20))
    assert report.ok and report.notes == ["development.csv not written: development not checked"]


@pytest.mark.parametrize("bad", ["-5", "nan", "abc", "inf"])
def test_bad_hours(tmp_path, bad):
    rows = assignments() + [row("p1", 3, "rtb:ops", "agent", bad)]
    v = one(run(tmp_path, rows=rows), "hours")
    assert (v.item, v.period) == ("p1", "3")
    assert v.amount == (5 if bad == "-5" else float("inf"))


def test_over_capacity(tmp_path):
    rows = assignments()
    rows[0]["hours"] = 110
    v = one(run(tmp_path, rows=rows), "capacity")
    assert (v.item, v.period, v.amount) == ("p1", "1", pytest.approx(10))


def test_capacity_uses_availability_fte_and_utilisation(tmp_path):
    sc = base()
    sc["staff"][0].update(fte=0.8, availability={2: 0.5})  # capacity 80, 40, 80
    sc["policy"]["max_utilisation"] = 0.9  # limits 72, 36, 72
    v = one(run(tmp_path, scenario=sc), "capacity")
    assert (v.item, v.period, v.amount) == ("p1", "2", pytest.approx(34))


def test_change_share(tmp_path):
    sc = base()
    sc["staff"][1]["max_change_share"] = 0.75  # 75 h of change: period 1 has 80
    v = one(run(tmp_path, scenario=sc), "change_share")
    assert (v.item, v.period, v.amount) == ("p2", "1", pytest.approx(5))


def test_borrowing_off(tmp_path):
    rows = assignments() + [row("p2", 3, "rtb:ops", "eng", 10)]
    v = one(run(tmp_path, rows=rows), "borrowing")
    assert (v.item, v.period, v.amount) == ("p2", "3", 10)
    sc = base()
    sc["policy"]["borrowing"] = True
    assert run(tmp_path, scenario=sc, rows=rows).ok


# -- 11. RTB ----------------------------------------------------------------------------


def test_must_rtb_short(tmp_path):
    rows = assignments()
    rows[1]["hours"] = 40  # period 2: 40 of 50 must
    report = run(tmp_path, rows=rows)
    v = one(report, "rtb")
    assert (v.item, v.period, v.amount) == ("ops", "2", pytest.approx(10))
    assert report.notes == ["RTB short: unit ops, skill agent, high: 20.00 h over the horizon"]


def test_high_rtb_short_is_a_note(tmp_path):
    rows = assignments()
    rows[1]["hours"] = 60
    report = run(tmp_path, rows=rows)
    assert report.ok
    assert report.notes == ["RTB short: unit ops, skill agent, high: 10.00 h over the horizon"]


# -- 12. externals --------------------------------------------------------------------------


def test_external_unknown_contract(tmp_path):
    rows = assignments()
    rows[-1]["contract"] = "nope"
    report = run(tmp_path, rows=rows)
    v = one(report, "external")
    assert (v.item, v.period, v.amount) == ("nope", "2", 5)


def test_external_wrong_skill(tmp_path):
    sc = base()
    sc["external"].append({"id": "temps", "skill": "agent", "max_fte": 1})
    rows = assignments()
    rows[-1]["contract"] = "temps"
    v = one(run(tmp_path, scenario=sc, rows=rows), "external")
    assert (v.item, v.period) == ("temps", "2")


def test_external_before_from(tmp_path):
    rows = assignments() + [row("external:eng", 1, "rtb:ops", "eng", 3, contract="eng")]
    v = one(run(tmp_path, rows=rows), "external")
    assert (v.item, v.period, v.amount) == ("eng", "1", 3)


def test_external_over_max_fte(tmp_path):
    sc = base()
    sc["units"][1]["budget"] = None
    rows = assignments()
    rows[-1]["hours"] = 60  # 0.5 FTE x 100 h = 50
    v = one(run(tmp_path, scenario=sc, rows=rows), "external_capacity")
    assert (v.item, v.period, v.amount) == ("eng", "2", pytest.approx(10))


# -- 13-14. budgets -----------------------------------------------------------------------


def test_budget_exceeded(tmp_path):
    sc = base()
    sc["policy"]["budget"] = 540  # 500 + 5 h x 10 = 550
    v = one(run(tmp_path, scenario=sc), "budget")
    assert v.amount == pytest.approx(10)


def test_unit_budget_exceeded(tmp_path):
    sc = base()
    sc["units"][1]["budget"] = 520
    v = one(run(tmp_path, scenario=sc), "unit_budget")
    assert (v.item, v.amount) == ("it", pytest.approx(30))


# -- report ----------------------------------------------------------------------------------


def test_to_text_lists_violations(tmp_path):
    rows = assignments()
    for r in rows[:3]:
        r["hours"] = 120
    text = run(tmp_path, rows=rows).to_text(limit=2)
    assert "plan INVALID: 3 violation(s) (capacity: 3)" in text
    assert "... and 1 more" in text


# -- property: plans built to fit pass, one perturbation is caught ---------------------------


@st.composite
def fitted_plans(draw):
    """A small random scenario and a plan that meets it exactly.

    Every person spends r hours per period on their unit's RTB in their first
    skill (must demand = the sum delivered); one person also staffs the only
    initiative with g hours in each of its active periods (its only effort line).
    """
    n = draw(st.integers(2, 5))
    n_units = draw(st.integers(1, 2))
    people = []
    for k in range(draw(st.integers(1, 4))):
        skills = draw(st.lists(st.sampled_from("ab"), min_size=1, max_size=2, unique=True))
        people.append({
            "id": f"p{k}",
            "unit": f"u{draw(st.integers(0, n_units - 1))}",
            "skills": {s: draw(st.sampled_from([0.5, 1.0])) for s in skills},
            "fte": draw(st.sampled_from([0.5, 1.0])),
        })
    rtb = {p["id"]: draw(st.integers(1, 40)) for p in people}
    lead = draw(st.sampled_from(people))
    skill, q = next(iter(lead["skills"].items()))
    d = draw(st.integers(1, n))
    s = draw(st.integers(0, n - d))
    g = draw(st.integers(1, 10))
    must: dict[tuple[str, str], float] = {}
    rows = []
    for p in people:
        k, qp = next(iter(p["skills"].items()))
        must[(p["unit"], k)] = must.get((p["unit"], k), 0.0) + rtb[p["id"]] * qp
        rows += [{"person": p["id"], "unit": p["unit"], "period": str(t + 1),
                  "work": f"rtb:{p['unit']}", "for_unit": p["unit"], "skill": k,
                  "hours": rtb[p["id"]], "contract": ""} for t in range(n)]
    rows += [{"person": lead["id"], "unit": lead["unit"], "period": str(t + 1), "work": "i",
              "for_unit": lead["unit"], "skill": skill, "hours": g, "contract": ""}
             for t in range(s, s + d)]
    scenario = {
        "name": "random",
        "horizon": {"periods": n, "period": "index", "hours_per_fte": 100},
        "strategy": {"objectives": [{"id": "o"}]},
        "units": [{"id": f"u{k}"} for k in range(n_units)],
        "staff": people,
        "run_the_business": [{"unit": u, "skill": k, "hours": h, "priority": "must"}
                             for (u, k), h in must.items()],
        "initiatives": [{"id": "i", "contributes": {"o": "strong"}, "duration": d,
                         "effort": [{"unit": lead["unit"], "skill": skill, "hours": g * q * d}]}],
    }
    portfolio = [{"initiative": "i", "selected": "true", "start": str(s + 1),
                  "finish": str(s + d)}]
    return scenario, portfolio, rows


PERTURBATIONS = {
    "drop": {"rtb", "staffing"},
    "scale": {"rtb", "staffing"},
    "shift": {"schedule"},
    "capacity": {"capacity"},
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fitted_plans(), st.sampled_from(sorted(PERTURBATIONS)), st.randoms(use_true_random=False))
def test_property_fitted_plan_passes_and_perturbation_is_caught(tmp_path_factory, plan, how, rnd):
    scenario, portfolio, rows = plan
    folder = tmp_path_factory.mktemp("plan")
    report = run(folder, scenario=scenario, portfolio=portfolio, rows=rows)
    assert report.ok, report.to_text()

    rows = copy.deepcopy(rows)
    portfolio = copy.deepcopy(portfolio)
    k = rnd.randrange(len(rows))
    if how == "drop":
        del rows[k]
    elif how == "scale":
        rows[k]["hours"] = rows[k]["hours"] / 2
    elif how == "shift":
        n = scenario["horizon"]["periods"]
        start = int(portfolio[0]["start"])
        portfolio[0]["start"] = str(start + 1 if start < n else start - 1)
    else:
        person = next(p for p in scenario["staff"] if p["id"] == rows[k]["person"])
        rows.append({**rows[k], "hours": 100 * person["fte"] + 1})
    report = run(folder, scenario=scenario, portfolio=portfolio, rows=rows)
    assert not report.ok
    assert PERTURBATIONS[how] & {v.rule for v in report.violations}, report.to_text()


def test_empty_plan_of_empty_scenario(tmp_path):
    sc = {"name": "empty", "horizon": {"periods": 2, "period": "index"},
          "initiatives": [{"id": "a", "contributes": {}}]}
    p = [{"initiative": "a", "selected": "false", "start": "", "finish": ""}]
    assert run(tmp_path, scenario=sc, portfolio=p, rows=[]).ok


def test_month_labels_and_must_list(tmp_path):
    sc = {"name": "m", "horizon": {"start": "2027-11", "periods": 3},
          "units": [{"id": "ops"}],
          "staff": [{"id": "p1", "unit": "ops", "skills": {"agent": 0.8}}],
          "run_the_business": [{"unit": "ops", "skill": "agent", "hours": [80, 100, 0],
                                "priority": "must"}]}
    rows = [row("p1", lbl, "rtb:ops", "agent", 100, unit="ops")
            for lbl in ("2027-11", "2027-12", "2028-01")]
    v = one(run(tmp_path, scenario=sc, portfolio=[], rows=rows), "rtb")
    assert (v.item, v.period, v.amount) == ("ops", "2027-12", pytest.approx(20))
