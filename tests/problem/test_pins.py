"""Pins: ``pin: in | out`` force an initiative in or out, ``start:`` fixes its start.

One developer with 10 h per period over 4 periods; every initiative takes 10 h
in one period unless said otherwise, so each number below is checked by hand.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support import hours, scenario, solve_checked

from planner.cli import main
from planner.errors import InfeasibleError


def work(id: str, h: float, score: float, duration: int = 1, **kw: object) -> dict:
    return {"id": id, "contributes": {"grow": score}, "duration": duration,
            "effort": [{"unit": "dev", "skill": "code", "hours": h}], **kw}


def team(*initiatives: dict, **sections: object) -> object:
    return scenario(units=[{"id": "dev"}], staff=[{"id": "d0", "unit": "dev", "skills": ["code"]}],
                    initiatives=list(initiatives), **sections)


def test_pin_in_forces_an_initiative_the_optimiser_would_leave_out():
    # 40 h in all: "big" (40 h over 4 periods, score 1) or "small" (10 h, score 0.1)
    free = solve_checked(team(work("big", 40, 1.0, 4), work("small", 10, 0.1)))
    assert free.selected == ["big"]
    pinned = solve_checked(team(work("big", 40, 1.0, 4), work("small", 10, 0.1, pin="in")))
    assert pinned.selected == ["small"]
    assert pinned.initiative("big").reason != ""
    assert hours(pinned, work="small") == 10


def test_pin_out_keeps_the_best_initiative_out_and_says_so():
    plan = solve_checked(team(work("best", 10, 1.0, pin="out"), work("next", 10, 0.5)))
    assert plan.selected == ["next"]
    assert plan.initiative("best").start is None
    assert "pinned out" in plan.initiative("best").reason


def test_start_fixes_the_start_against_the_earliness_reward():
    # earliness alone would start it in period 1; start: 3 holds it in 3
    plan = solve_checked(team(work("a", 10, 1.0, start=3)))
    r = plan.initiative("a")
    assert (r.start, r.finish) == ("3", "3")
    assert hours(plan, work="a", period="3") == 10
    assert hours(plan, work="a") == 10


def test_start_without_pin_may_still_leave_the_initiative_out():
    # "late" may only start in 2, where mandatory "m" takes the whole 10 h
    plan = solve_checked(team(work("m", 10, 0.1, mandatory=True, start=2),
                              work("late", 10, 1.0, start=2)))
    assert plan.selected == ["m"]
    assert plan.initiative("m").start == "2"


def test_pin_in_with_fixed_start_is_placed_there():
    plan = solve_checked(team(work("a", 20, 0.2, 2, pin="in", start=2), work("b", 10, 1.0)))
    assert (plan.initiative("a").start, plan.initiative("a").finish) == ("2", "3")
    # b can only use period 1 or 4; earliness puts it in 1
    assert plan.initiative("b").start == "1"


def test_pinned_in_that_cannot_fit_names_the_pin_in_the_diagnosis():
    # 50 h in one period, the developer has 10 h: 40 h short in period 1
    with pytest.raises(InfeasibleError) as exc:
        solve_checked(team(work("huge", 50, 0.5, pin="in"), work("other", 10, 1.0)))
    text = str(exc.value)
    assert "pinned-in initiative huge" in text
    assert "dev/code in 1: 40.0 h short" in text
    assert "pin: in" in text  # what could change mentions lifting the pin


def test_fixed_start_that_cannot_fit_is_named_with_its_start():
    with pytest.raises(InfeasibleError) as exc:
        solve_checked(team(work("m", 10, 0.1, mandatory=True, start=2),
                           work("p", 10, 0.5, pin="in", start=2)))
    text = str(exc.value)
    assert "pinned-in initiative p (start fixed to 2)" in text
    assert "mandatory initiative m (start fixed to 2)" in text
    assert "10.0 h short" in text


PINNED = """\
name: pinned
horizon: {periods: 2, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
  - {id: a, contributes: {grow: strong}, duration: 1, effort: [{unit: dev, skill: code, hours: 30}]}
  - {id: b, contributes: {grow: low}, duration: 1, effort: [{unit: dev, skill: code, hours: 5}]}
"""


def test_cli_pin_by_override_exits_3_naming_the_pin(tmp_path):
    path = tmp_path / "pinned.yaml"
    path.write_text(PINNED)
    runner = CliRunner()
    ok = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "p1"),
                              "--set", "initiatives.b.pin=in"])
    assert ok.exit_code == 0, ok.output
    plan = json.loads((tmp_path / "p1" / "plan.json").read_text())
    assert plan["overrides"] == ["initiatives.b.pin=in"]
    assert [r["id"] for r in plan["initiatives"] if r["selected"]] == ["b"]
    bad = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "p2"),
                               "--set", "initiatives.a.pin=in"])
    assert bad.exit_code == 3
    assert "pinned-in initiative a" in bad.output
    assert not (tmp_path / "p2").exists()
