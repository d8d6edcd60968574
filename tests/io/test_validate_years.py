"""Validation of the several-years fields: located errors, refused combinations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from models.scenario import Scenario
from planner.errors import ScenarioError

BASE = """\
name: years
horizon: {start: 2027-07, periods: 18, period: month}
strategy:
  objectives: [{id: grow}]
  kpis: [{id: nps, baseline: 1, targets: {2027: 2, 2028: 3}}]
units: [{id: u, budget: {2027: 10, 2028: 20}}]
staff: [{id: p, unit: u, skills: [x]}]
initiatives:
  - id: a
    contributes: {grow: 1}
    phases:
      - {name: design, duration: 2, effort: [{unit: u, skill: x, hours: 10}]}
      - {name: build, duration: 2, effort: [{unit: u, skill: x, hours: 10}]}
  - {id: b, contributes: {grow: 1}, duration: 1, depends_on: [a.design]}
policy: {budget: {2027: 100, 2028: 200}, carry_over: true, discount_rate: 0.05}
"""


def errors(load_text: Callable[..., Scenario], text: str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_text(text)
    return [str(i)[str(i).index("scenario.yaml"):] for i in err.value.issues]


def test_a_valid_long_term_scenario(load_text: Callable[..., Scenario]) -> None:
    sc = load_text(BASE)
    assert sc.initiatives[0].duration == 4
    assert sc.policy.budget == {2027: 100, 2028: 200}


def test_every_year_of_the_horizon_needs_an_amount(load_text: Callable[..., Scenario]) -> None:
    got = errors(load_text, BASE.replace("budget: {2027: 100, 2028: 200}", "budget: {2027: 100}"))
    assert got == ["scenario.yaml:15: policy, field 'budget': has no amount for 2028 (the "
                   "horizon covers 2027 .. 2028): give every year, or one amount for the whole "
                   "horizon"]
    got = errors(load_text, BASE.replace("{2027: 10, 2028: 20}", "{2027: 10, 2028: 20, 2030: 1}"))
    assert got == ["scenario.yaml:6: units 'u', field 'budget[2030]': year 2030 is outside the "
                   "horizon (2027 .. 2028)"]


def test_index_periods_have_no_years(load_text: Callable[..., Scenario]) -> None:
    text = BASE.replace("{start: 2027-07, periods: 18, period: month}",
                        "{periods: 18, period: index}")
    got = errors(load_text, text)
    assert any("policy, field 'budget': a budget per year needs calendar periods" in g
               for g in got)
    assert any("field 'discount_rate': needs calendar periods" in g for g in got)
    assert any("field 'targets[2027]': a yearly target needs calendar periods" in g for g in got)


def test_phase_references_and_profiles(load_text: Callable[..., Scenario]) -> None:
    got = errors(load_text, BASE.replace("depends_on: [a.design]", "depends_on: [a.desing]"))
    assert got == ["scenario.yaml:14: initiatives 'b', field 'depends_on[0]': 'a' has no phase "
                   "'desing'; did you mean 'design'?"]
    got = errors(load_text, BASE.replace("depends_on: [a.design]", "depends_on: [b.x]"))
    assert any("an initiative cannot depend on its own phase" in g for g in got)
    three = "- id: a\n    cost_profile: [0.5, 0.25, 0.25]\n"
    got = errors(load_text, BASE.replace("- id: a\n", three))
    assert any("cost_profile': has 3 shares; expected 2 (one per phase) or 4" in g for g in got)
    got = errors(load_text, BASE.replace("- id: a\n", "- id: a\n    cost_profile: [0.5, 0.6]\n"))
    assert any("cost_profile shares must sum to 1, they sum to 1.1" in g for g in got)
    got = errors(load_text, BASE.replace("duration: 2, effort: [{unit: u, skill: x, hours: 10}]}\n"
                                         "      - {name: build",
                                         "duration: 2, gap_max: 2, effort: []}\n"
                                         "      - {name: build"))
    assert any("field 'phases[0].gap_max': gap_max 2 is not supported" in g for g in got)


CSV_YAML = """\
name: csv phases
horizon: {periods: 8, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow}]}
units: [{id: u}]
staff: [{id: a, unit: u, skills: [arch]}, {id: e, unit: u, skills: [eng]}]
initiatives: {csv: i.csv, effort: e.csv}
"""
CSV_INITIATIVES = """\
id,contributes,phases,cost,cost_profile,value_per_period,value_ramp,depends_on,duration
platform,grow:1,design:2;build:3,100,0.4;0.6,5,2,,
portal,grow:1,,,,,,platform.design,2
"""


def test_phases_in_csv(load_text: Callable[..., Scenario]) -> None:
    effort = ("initiative,phase,unit,skill,hours\nplatform,design,u,arch,20\n"
              "platform,build,u,eng,30\nportal,,u,eng,10\n")
    sc = load_text(CSV_YAML, {"i.csv": CSV_INITIATIVES, "e.csv": effort})
    platform = sc.initiatives[0]
    assert [(p.name, p.duration, p.total_hours) for p in platform.phases] == [
        ("design", 2, 20), ("build", 3, 30)]
    assert (platform.cost_profile, platform.value_per_period, platform.value_ramp) == (
        [0.4, 0.6], 5, 2)
    assert sc.initiatives[1].depends_on == ["platform.design"]
    with pytest.raises(ScenarioError) as err:
        load_text(CSV_YAML, {"i.csv": CSV_INITIATIVES,
                             "e.csv": effort.replace("build,u,eng", "biuld,u,eng")})
    text = str(err.value.issues[0])
    assert text[text.index("e.csv"):] == ("e.csv:3: platform, field 'phase': unknown phase "
                                          "'biuld' of 'platform'; did you mean 'build'?")


def test_phases_are_set_by_name(load_text: Callable[..., Scenario]) -> None:
    sc = load_text(BASE, overrides=("initiatives.a.phases.build.duration=3",))
    assert [p.duration for p in sc.initiatives[0].phases] == [2, 3]
    assert sc.initiatives[0].duration == 5
    with pytest.raises(ScenarioError, match="no item 'biuld' in initiatives.a.phases; did you"):
        load_text(BASE, overrides=("initiatives.a.phases.biuld.duration=3",))
