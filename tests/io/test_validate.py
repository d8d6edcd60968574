"""Cross-entity checks (planner.io.validate): one small input per rule, exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.scenario import Scenario
from planner.errors import ScenarioError
from planner.io.load import read_scenario_text
from planner.io.validate import capacity_table, check, validate

INI = "  - {id: %s, contributes: {retention: 1}%s}\n"


def ini(ident: str, extra: str = "") -> str:
    """One more initiative line (flow style) to append to MINIMAL."""
    return INI % (ident, ", " + extra if extra else "")


def errors(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        read_scenario_text(text, tmp_path, "scenario.yaml")
    return [str(i) for i in info.value.issues]


def warnings(text: str, tmp_path: Path) -> list[str]:
    return [str(i) for i in read_scenario_text(text, tmp_path, "scenario.yaml").warnings]


def test_minimal_is_valid_without_warnings(minimal: str, tmp_path: Path) -> None:
    assert warnings(minimal, tmp_path) == []


# one case per rule: (edit of MINIMAL, expected error messages)
ERROR_CASES = {
    "unknown unit (staff)": (
        ("unit: it, skills", "unit: itt, skills"), "",
        ["scenario.yaml:13: staff 'p002', field 'unit': unknown unit 'itt'; did you mean 'it'?"],
    ),
    "unknown unit (rtb)": (
        ("{unit: ops, skill: agent", "{unit: hr, skill: agent"), "",
        ["scenario.yaml:15: run_the_business[0], field 'unit': unknown unit 'hr' "
         "(known: ops, it)"],
    ),
    "unknown unit (effort)": (
        ("{unit: it, skill: engineer, hours: 200}", "{unit: ti, skill: engineer, hours: 200}"),
        "",
        ["scenario.yaml:21: initiatives 'crm', field 'effort[0].unit': unknown unit 'ti' "
         "(known: ops, it)"],
    ),
    "unknown sponsor": (
        None, "    sponsor: opps\n",
        ["scenario.yaml:22: initiatives 'crm', field 'sponsor': unknown unit 'opps'; "
         "did you mean 'ops'?"],
    ),
    "unknown objective in contributes": (
        ("retention: strong", "retension: strong"), "",
        ["scenario.yaml:18: initiatives 'crm', field 'contributes.retension': unknown "
         "objective 'retension'; did you mean 'retention'?"],
    ),
    "unknown objective of a KPI": (
        ("objective: retention}", "objective: growth}"), "",
        ["scenario.yaml:7: kpis 'nps', field 'objective': unknown objective 'growth' "
         "(known: retention)"],
    ),
    "unknown KPI": (
        None, "    kpi_impacts: {npx: 4}\n",
        ["scenario.yaml:22: initiatives 'crm', field 'kpi_impacts.npx': unknown KPI 'npx'; "
         "did you mean 'nps'?"],
    ),
    "unknown dependency": (
        None, "    depends_on: [lake]\n",
        ["scenario.yaml:22: initiatives 'crm', field 'depends_on[0]': unknown initiative "
         "'lake' (known: crm)"],
    ),
    "unknown exclusivity partner": (
        None, "    exclusive_with: [crm-lite]\n",
        ["scenario.yaml:22: initiatives 'crm', field 'exclusive_with[0]': unknown initiative "
         "'crm-lite' (known: crm)"],
    ),
    "self dependency": (
        None, "    depends_on: [crm]\n",
        ["scenario.yaml:22: initiatives 'crm', field 'depends_on[0]': an initiative cannot "
         "depend on itself"],
    ),
    "duplicate unit": (
        ("- {id: it}", "- {id: ops}"), "",
        ["scenario.yaml:10: units 'ops', field 'id': duplicate id 'ops' in units "
         "(first at line 9)",
         "scenario.yaml:13: staff 'p002', field 'unit': unknown unit 'it' (known: ops)",
         "scenario.yaml:21: initiatives 'crm', field 'effort[0].unit': unknown unit 'it' "
         "(known: ops)"],
    ),
    "duplicate staff": (
        ("{id: p002", "{id: p001"), "",
        ["scenario.yaml:13: staff 'p001', field 'id': duplicate id 'p001' in staff "
         "(first at line 12)"],
    ),
    "duplicate initiative": (
        None, ini("crm"),
        ["scenario.yaml:22: initiatives 'crm', field 'id': duplicate id 'crm' in initiatives "
         "(first at line 17)"],
    ),
    "duplicate objective": (
        ("- {id: retention, weight: 5}", "- {id: retention}\n    - {id: retention}"), "",
        ["scenario.yaml:6: objectives 'retention', field 'id': duplicate id 'retention' in "
         "objectives (first at line 5)"],
    ),
    "duplicate KPI": (
        ("- {id: nps, objective: retention}", "- {id: nps}\n    - {id: nps}"), "",
        ["scenario.yaml:8: kpis 'nps', field 'id': duplicate id 'nps' in kpis "
         "(first at line 7)"],
    ),
    "duplicate external id": (
        None, "external:\n  - {id: x, skill: a, max_fte: 1}\n  - {id: x, skill: b, max_fte: 1}\n",
        ["scenario.yaml:24: external 'x', field 'id': duplicate id 'x' in external "
         "(first at line 23)"],
    ),
    "dependency cycle": (
        None, "    depends_on: [b]\n" + ini("b", "depends_on: [c]") + ini("c", "depends_on: [crm]"),
        ["scenario.yaml:22: initiatives 'crm', field 'depends_on': dependency cycle: "
         "crm -> b -> c -> crm (each depends on the next)"],
    ),
    "per-period list of the wrong length": (
        ("hours: 60}", "hours: [60, 60, 60]}"), "",
        ["scenario.yaml:15: run_the_business[0], field 'hours': has 3 entries; the horizon "
         "has 12 periods (give one number per period, or a single number for every period)"],
    ),
    "deadline outside the horizon": (
        None, "    deadline: 2028-01\n",
        ["scenario.yaml:22: initiatives 'crm', field 'deadline': period '2028-01' is outside "
         "the horizon 2027-01 .. 2027-12"],
    ),
    "earliest_start outside the horizon": (
        None, "    earliest_start: 2026-12\n",
        ["scenario.yaml:22: initiatives 'crm', field 'earliest_start': period '2026-12' is "
         "outside the horizon 2027-01 .. 2027-12"],
    ),
    "availability key outside the horizon": (
        ("skills: [engineer]}", "skills: [engineer], availability: {2028-02: 0.5}}"), "",
        ["scenario.yaml:13: staff 'p002', field 'availability.2028-02': period '2028-02' is "
         "outside the horizon 2027-01 .. 2027-12"],
    ),
    "external from outside the horizon": (
        None, "external:\n  - {skill: engineer, max_fte: 1, from: 2026-03}\n",
        ["scenario.yaml:23: external[0], field 'from': period '2026-03' is outside the "
         "horizon 2027-01 .. 2027-12"],
    ),
    "horizon start malformed": (
        ("start: 2027-01", "start: 2027-13"), "",
        ["scenario.yaml:2: horizon, field 'start': '2027-13' is not a month label like 2027-01"],
    ),
    "earliest_start after deadline": (
        None, "    earliest_start: 2027-10\n    deadline: 2027-05\n",
        ["scenario.yaml:22: initiatives 'crm', field 'earliest_start': earliest_start 2027-10 "
         "is after the deadline 2027-05"],
    ),
    "mandatory does not fit its window": (
        None, "    mandatory: true\n    earliest_start: 2027-05\n    deadline: 2027-05\n",
        ["scenario.yaml:19: initiatives 'crm', field 'duration': duration 2 does not fit "
         "between 2027-05 and the deadline 2027-05: only 1 period"],
    ),
    "pinned in must finish within the horizon": (
        None, "    pin: in\n    earliest_start: 2027-12\n",
        ["scenario.yaml:19: initiatives 'crm', field 'duration': duration 2 does not fit "
         "between 2027-12 and the end of the horizon 2027-12: only 1 period (an initiative "
         "must finish within the horizon)"],
    ),
    "start outside the window": (
        None, "    start: 2027-12\n",
        ["scenario.yaml:22: initiatives 'crm', field 'start': start 2027-12 is outside the "
         "window: with duration 2 it must start between 2027-01 and 2027-11"],
    ),
    "mandatory depends on pinned out": (
        None, "    mandatory: true\n    depends_on: [b]\n" + ini("b", "pin: out"),
        ["scenario.yaml:23: initiatives 'crm', field 'depends_on': mandatory initiative "
         "depends on 'b', which is pinned out"],
    ),
    "mandatory depends on pinned out via a chain": (
        None, "    mandatory: true\n    depends_on: [b]\n" + ini("b", "depends_on: [c]")
        + ini("c", "pin: out"),
        ["scenario.yaml:23: initiatives 'crm', field 'depends_on': mandatory initiative "
         "depends on 'c' (via crm -> b -> c), which is pinned out"],
    ),
    "mandatory depends on one that cannot fit": (
        None, "    mandatory: true\n    depends_on: [b]\n"
        + ini("b", "duration: 3, earliest_start: 2027-11"),
        ["scenario.yaml:23: initiatives 'crm', field 'depends_on': depends on 'b' "
         "(via crm -> b), which cannot fit in its window"],
    ),
    "two mandatory initiatives exclusive": (
        None, "    mandatory: true\n    exclusive_with: [b]\n" + ini("b", "mandatory: true"),
        ["scenario.yaml:23: initiatives 'crm', field 'exclusive_with[0]': 'crm' and 'b' are "
         "exclusive but both must be in the plan ('crm' is mandatory; 'b' is mandatory)"],
    ),
    "effort skill nobody has (issue 18.9: an error, with did-you-mean)": (
        None, "      - {unit: it, skill: enginer, hours: 10}\n",
        ["scenario.yaml:22: initiatives 'crm', field 'effort[1].skill': nobody has skill "
         "'enginer' and no external capacity offers it: this effort cannot be staffed; did "
         "you mean 'engineer'? (add the skill to someone, or an `external` entry with it)"],
    ),
    "mandatory pinned out": (
        None, "    mandatory: true\n    pin: out\n",
        ["scenario.yaml:23: initiatives 'crm', field 'pin': a mandatory initiative cannot be "
         "pinned out"],
    ),
}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_error_rules(case: str, minimal: str, tmp_path: Path) -> None:
    edit, tail, expected = ERROR_CASES[case]
    text = minimal if edit is None else minimal.replace(*edit)
    assert text != minimal or tail, "the edit did not apply"
    assert errors(text + tail, tmp_path) == expected


# per-item rules checked by the models, located by the loader
MODEL_CASES = {
    "non-finite number": (
        ("weight: 5", "weight: .nan"),
        "scenario.yaml:5: objectives 'retention', field 'weight': must be a finite number, "
        "got nan",
    ),
    "infinite number": (
        ("hours: 60}", "hours: .inf}"),
        "scenario.yaml:15: run_the_business[0], field 'hours': must be a finite number, "
        "got inf",
    ),
    "negative number": (
        ("hours: 200}", "hours: -1}"),
        "scenario.yaml:21: initiatives 'crm', field 'effort[0].hours': Input should be greater "
        "than or equal to 0, got -1",
    ),
    "rating outside the scale": (
        ("retention: strong", "retention: 1.5"),
        "scenario.yaml:18: initiatives 'crm', field 'contributes': rating for 'retention' must "
        "be none|low|moderate|strong|extreme or a number in [0, 1], got 1.5",
    ),
    "rating word unknown": (
        ("retention: strong", "retention: huge"),
        "scenario.yaml:18: initiatives 'crm', field 'contributes.retention': Input should be "
        "'none', 'low', 'moderate', 'strong' or 'extreme' or a valid number, unable to parse "
        "string as a number, got 'huge'",
    ),
    "availability above 1": (
        ("skills: [engineer]}", "skills: [engineer], availability: {2027-08: 1.5}}"),
        "scenario.yaml:13: staff 'p002', field 'availability': availability in 2027-08 must be "
        "in [0, 1], got 1.5",
    ),
    "fractional duration": (
        ("duration: 2", "duration: 2.5"),
        "scenario.yaml:19: initiatives 'crm', field 'duration': duration must be a positive "
        "whole number of periods, got 2.5",
    ),
    "zero duration": (
        ("duration: 2", "duration: 0"),
        "scenario.yaml:19: initiatives 'crm', field 'duration': Input should be greater than or "
        "equal to 1, got 0",
    ),
}


@pytest.mark.parametrize("case", list(MODEL_CASES), ids=list(MODEL_CASES))
def test_model_rules(case: str, minimal: str, tmp_path: Path) -> None:
    edit, expected = MODEL_CASES[case]
    text = minimal.replace(*edit)
    assert text != minimal
    assert errors(text, tmp_path) == [expected]


WARNING_CASES = {
    # a genuine infeasibility: validation warns, `planner solve` exits 3 with the diagnosis
    "mandatory cannot finish after its dependency": (
        "    mandatory: true\n    deadline: 2027-03\n    depends_on: [b]\n"
        + ini("b", "duration: 3"),
        ["scenario.yaml:25: warning: initiatives 'b': has no effort: it only takes calendar "
         "time",
         "scenario.yaml:24: warning: initiatives 'crm', field 'depends_on': cannot finish by "
         "2027-03: its dependency 'b' finishes in 2027-03 at the earliest and it then needs 2 "
         "period(s); the mandatory work cannot fit, so the plan is infeasible"],
    ),
    "optional initiative that cannot fit": (
        "    earliest_start: 2027-12\n",
        ["scenario.yaml:19: warning: initiatives 'crm', field 'duration': duration 2 does not "
         "fit between 2027-12 and the end of the horizon 2027-12: only 1 period (an initiative "
         "must finish within the horizon); it can never be chosen"],
    ),
    "misaligned and no effort": (
        "  - {id: x}\n",
        ["scenario.yaml:22: warning: initiatives 'x': has no effort: it only takes calendar "
         "time",
         "scenario.yaml:22: warning: initiatives 'x', field 'contributes': contributes to no "
         "objective (misaligned): it is chosen only if mandatory"],
    ),
    "skill nobody in the unit has": (
        "      - {unit: ops, skill: engineer, hours: 10}\n",
        ["scenario.yaml:22: warning: initiatives 'crm', field 'effort[1].skill': nobody in "
         "unit 'ops' has skill 'engineer', borrowing is off and no external capacity offers "
         "it: this effort cannot be staffed"],
    ),
    "skill nobody has, on a line of 0 hours": (
        "      - {unit: it, skill: plumber, hours: 0}\n",
        ["scenario.yaml:22: warning: initiatives 'crm', field 'effort[1].skill': nobody has "
         "skill 'plumber' and no external capacity offers it: this effort cannot be staffed "
         "(the line has 0 hours: nothing to staff)"],
    ),
    "skill only outside": (
        "      - {unit: it, skill: plumber, hours: 10}\n"
        "external:\n  - {skill: plumber, max_fte: 1}\n",
        [],
    ),
}


@pytest.mark.parametrize("case", list(WARNING_CASES), ids=list(WARNING_CASES))
def test_warning_rules(case: str, minimal: str, tmp_path: Path) -> None:
    tail, expected = WARNING_CASES[case]
    assert warnings(minimal + tail, tmp_path) == expected


DEVELOP_CASES = {
    "skill no work uses": (
        "develop: [engineerr]", "",
        "field 'develop.engineerr': no run-the-business work or initiative uses skill "
        "'engineerr': this wish cannot be met; did you mean 'engineer'?"),
    "work only in another unit": (
        "develop: {engineer: 60}", "",
        "field 'develop.engineer': no work of skill 'engineer' in unit 'ops' (only in it) and "
        "borrowing is off: this wish cannot be met"),
    "more hours than the year": (
        "develop: {agent: 2000}", "",
        "field 'develop.agent': 2000 h wished is more than the 1680 h this person can be "
        "planned over the 12 periods: it can only be met in part"),
    "outsized weight": (
        "develop: [agent]", "policy: {development: {weight: 2}}\n",
        "policy, field 'development.weight': 2 x the average weight per effort hour is as "
        "much as an average initiative earns per hour: growth may now displace initiatives "
        "(default 0.1)"),
}


@pytest.mark.parametrize("case", list(DEVELOP_CASES), ids=list(DEVELOP_CASES))
def test_develop_warnings(case: str, minimal: str, tmp_path: Path) -> None:
    wish, tail, expected = DEVELOP_CASES[case]
    text = minimal.replace("skills: [agent, analyst]}", f"skills: [agent, analyst], {wish}}}")
    found = warnings(text + tail, tmp_path)
    assert len(found) == 1 and found[0].endswith(expected), found


def test_develop_with_borrowing_and_work_is_fine(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("skills: [agent, analyst]}",
                           "skills: [agent, analyst], develop: {engineer: 60, agent: 10}}")
    assert warnings(text + "policy: {borrowing: true}\n", tmp_path) == []


def test_develop_hours_must_not_be_negative(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("skills: [agent, analyst]}",
                           "skills: [agent, analyst], develop: {agent: -3}}")
    assert errors(text, tmp_path) == [
        "scenario.yaml:12: staff 'p001', field 'develop': hours wanted for 'agent' must be a "
        "number in [0, 1e6], got -3.0"]


def test_several_errors_are_reported_together(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("unit: it, skills", "unit: x, skills") + (
        "    sponsor: y\n    deadline: 2030-01\n"
    )
    found = errors(text, tmp_path)
    assert len(found) == 3
    assert [s.split(":")[1] for s in found] == ["13", "22", "23"]


def test_validate_api_without_source(minimal: str, tmp_path: Path) -> None:
    scenario = read_scenario_text(minimal, tmp_path).scenario
    assert validate(scenario) == []
    bad = scenario.model_copy(deep=True)
    bad.staff[0].unit = "nowhere"
    with pytest.raises(ScenarioError) as info:
        validate(bad)
    assert str(info.value.issues[0]) == (
        "<scenario>: staff 'p001', field 'unit': unknown unit 'nowhere' (known: ops, it)"
    )
    assert [i.severity for i in check(bad)] == ["error", "warning"]


def test_index_horizon_integer_labels(tmp_path: Path) -> None:
    text = (
        "name: idx\nhorizon: {periods: 52, period: index}\n"
        "initiatives:\n  - {id: a, deadline: 43, earliest_start: 3, duration: 2}\n"
        "  - {id: b, deadline: 60}\n"
    )
    assert errors(text, tmp_path) == [
        "scenario.yaml:5: initiatives 'b', field 'deadline': period '60' is outside the "
        "horizon 1 .. 52"
    ]


def test_capacity_table(minimal: str, tmp_path: Path) -> None:
    text = minimal + "policy: {max_utilisation: 0.5}\nexternal:\n  - {skill: engineer, " \
        "max_fte: 1, from: 2027-07}\n"
    scenario: Scenario = read_scenario_text(text, tmp_path).scenario
    df = capacity_table(scenario).set_index(["unit", "skill"])
    assert df.loc[("ops", "agent"), "capacity"] == pytest.approx(140 * 12 * 0.5)
    assert bool(df.loc[("ops", "agent"), "shared"]) is True
    assert bool(df.loc[("it", "engineer"), "shared"]) is False
    assert df.loc[("ops", "agent"), "rtb_high"] == pytest.approx(60 * 12)
    assert df.loc[("it", "engineer"), "change"] == pytest.approx(200)
    assert df.loc[("(external)", "engineer"), "capacity"] == pytest.approx(140 * 6)
    assert df.loc[("ops", "agent"), "ratio"] == pytest.approx(720 / 840)
    assert df.loc[("ops", "analyst"), "ratio"] == 0
