"""Validate warns about annual RTB hours and missing hourly rates (issue 18.10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.io.load import read_scenario
from tests.conftest import MINIMAL


def _warnings(path: Path) -> list[str]:
    return [str(w) for w in read_scenario(path).warnings]


def test_annual_rtb_hours_draw_a_loud_warning(write_scenario: Callable[..., Path]) -> None:
    # ops has one person, 140 h a period; 8,000 h "a period" is 57 times that
    text = MINIMAL.replace("{unit: ops, skill: agent, hours: 60}",
                           "{unit: ops, skill: agent, hours: 8000}")
    found = [w for w in _warnings(write_scenario(text)) if "annual" in w]
    assert len(found) == 1, found
    assert "scenario.yaml:15:" in found[0]
    assert "unit 'ops' has RTB of 8,000 h a period on average, 57.1 times its capacity" in found[0]
    assert "RTB hours are per month, not per year" in found[0]


def test_plausible_rtb_draws_none(write_scenario: Callable[..., Path]) -> None:
    text = MINIMAL.replace("hours: 60}", "hours: 300}")  # 2.1 times: busy, not annual
    assert not [w for w in _warnings(write_scenario(text)) if "annual" in w]


def test_some_rates_missing_is_a_warning(write_scenario: Callable[..., Path]) -> None:
    text = MINIMAL.replace("skills: [agent, analyst]}", "skills: [agent, analyst], "
                           "cost_per_hour: 50}")
    found = [w for w in _warnings(write_scenario(text)) if "cost_per_hour" in w]
    assert len(found) == 1, found
    assert "1 of 2 people have no cost_per_hour (p002)" in found[0]
    assert "scenario.yaml:13:" in found[0]
    # an explicit 0 is meant, and no rates at all is a consistent choice
    zero = text.replace("skills: [engineer]}", "skills: [engineer], cost_per_hour: 0}")
    assert not [w for w in _warnings(write_scenario(zero)) if "cost_per_hour" in w]
    assert not [w for w in _warnings(write_scenario(MINIMAL)) if "cost_per_hour" in w]
