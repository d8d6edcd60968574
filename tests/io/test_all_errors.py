"""Every mistake in one round, did-you-mean on skills and --capacity (issue 18.9)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.analysis.frontier import with_capacity
from planner.cli import main
from planner.errors import ScenarioError
from planner.io.load import read_scenario

THREE = """\
name: three mistakes
horizon: {start: 2027-01, periods: 12, period: month, hours_per_fte: 140}
strategy:
  objectives:
    - {id: retention, weight: 5}
units:
  - {id: ops}
  - {id: it}
staff:
  - {id: p001, unit: ops, skills: [agent, analyst], fte: lots}
  - {id: p002, unit: it, skills: [engineer]}
initiatives:
  - id: crm
    contributes: {retention: strong}
    duration: 2
    deadline: 2028-03
    effort:
      - {unit: it, skill: engineer, hours: 200}
  - id: portal
    contributes: {retention: low}
    effort:
      - {unit: itt, skill: engineer, hours: 50}
"""


def _errors(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        read_scenario(path)
    return [str(i) for i in exc.value.issues]


def test_three_mistakes_come_back_together(write_scenario: Callable[..., Path]) -> None:
    errors = _errors(write_scenario(THREE))
    text = "\n".join(errors)
    assert len(errors) == 3, text
    assert "scenario.yaml:10:" in errors[0] and "'fte'" in errors[0]  # a type error
    assert "scenario.yaml:16:" in text and "outside the horizon" in text  # across items
    assert "scenario.yaml:22:" in text and "unknown unit 'itt'; did you mean 'it'?" in text


def test_cross_errors_keep_their_lines_when_an_item_is_dropped(
        write_scenario: Callable[..., Path]) -> None:
    # the first person has no unit at all (dropped whole): the initiative errors below
    # must still point at their own lines
    text = THREE.replace("{id: p001, unit: ops, skills: [agent, analyst], fte: lots}",
                         "{id: p001, skills: [agent, analyst]}")
    errors = _errors(write_scenario(text))
    assert any("scenario.yaml:10:" in e and "unit" in e for e in errors), errors
    assert any("scenario.yaml:16:" in e for e in errors), errors
    assert any("scenario.yaml:22:" in e for e in errors), errors


def test_effort_in_a_skill_nobody_has_is_an_error_with_a_suggestion(
        write_scenario: Callable[..., Path]) -> None:
    text = THREE.replace(", fte: lots", "").replace("deadline: 2028-03", "deadline: 2027-10")
    text = text.replace("{unit: itt, skill: engineer, hours: 50}",
                        "{unit: it, skill: enginer, hours: 50}")
    errors = _errors(write_scenario(text))
    assert len(errors) == 1, errors
    assert "nobody has skill 'enginer'" in errors[0]
    assert "did you mean 'engineer'?" in errors[0]


def test_effort_skill_of_contractors_only_is_fine(write_scenario: Callable[..., Path]) -> None:
    text = THREE.replace(", fte: lots", "").replace("deadline: 2028-03", "deadline: 2027-10")
    text = text.replace("{unit: itt, skill: engineer, hours: 50}",
                        "{unit: it, skill: cloud, hours: 50}")
    text += "external:\n  - {skill: cloud, max_fte: 1, cost_per_hour: 100}\n"
    read_scenario(write_scenario(text))


def test_capacity_unknown_unit_and_skill_suggest(write_scenario: Callable[..., Path]) -> None:
    text = THREE.replace(", fte: lots", "").replace("deadline: 2028-03", "deadline: 2027-10")
    text = text.replace("unit: itt", "unit: it")
    sc = read_scenario(write_scenario(text)).scenario
    with pytest.raises(ValueError, match="unknown unit 'itt'; did you mean 'it'?"):
        with_capacity(sc, "itt", "engineer", 1)
    with pytest.raises(ValueError, match="unknown skill 'enginer'; did you mean 'engineer'?"):
        with_capacity(sc, "it", "enginer", 1)
    path = write_scenario(text)
    r = CliRunner().invoke(main, ["frontier", str(path), "--capacity", "itt/engineer:+0:+1",
                                  "--out", str(path.parent / "f")])
    assert r.exit_code != 0 and "did you mean 'it'?" in r.output, r.output
