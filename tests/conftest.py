"""Shared fixtures: write a scenario (YAML + CSV files) into a temporary folder and load it.

Use ``write_scenario(yaml_text, files={"staff.csv": "..."})`` to get the path of the
YAML file, or ``load_text(yaml_text, files)`` to get a validated Scenario.
``MINIMAL`` is a small valid scenario; its line numbers are relied on by tests.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from models.scenario import Scenario
from planner.io.load import load_scenario

# Hypothesis profiles: "ci" (default) and "nightly" (many more examples), chosen with
# HYPOTHESIS_PROFILE=nightly. Tests that set max_examples scale it with
# tests.end_to_end.test_reliability_property.examples(). "ci" draws the same examples on
# every run (derandomize), so a red or green suite is the code's doing, not the draw's;
# "nightly" draws fresh ones each night, and what it finds becomes a test of its own.
settings.register_profile("ci", deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: A small valid scenario. Line numbers matter: tests append to it or edit it.
MINIMAL = """\
name: minimal
horizon: {start: 2027-01, periods: 12, period: month, hours_per_fte: 140}
strategy:
  objectives:
    - {id: retention, weight: 5}
  kpis:
    - {id: nps, objective: retention}
units:
  - {id: ops}
  - {id: it}
staff:
  - {id: p001, unit: ops, skills: [agent, analyst]}
  - {id: p002, unit: it, skills: [engineer]}
run_the_business:
  - {unit: ops, skill: agent, hours: 60}
initiatives:
  - id: crm
    contributes: {retention: strong}
    duration: 2
    effort:
      - {unit: it, skill: engineer, hours: 200}
"""


def write_scenario_files(
    folder: Path, yaml_text: str, files: dict[str, str] | None = None,
    name: str = "scenario.yaml",
) -> Path:
    """Write ``yaml_text`` (dedented) and ``files`` into ``folder``; return the YAML path."""
    folder.mkdir(parents=True, exist_ok=True)
    for fname, content in (files or {}).items():
        target = folder / fname
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding="utf-8")
    path = folder / name
    path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    return path


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """``write_scenario(yaml_text, files=None, name="scenario.yaml") -> Path`` in tmp_path."""

    def write(yaml_text: str, files: dict[str, str] | None = None,
              name: str = "scenario.yaml") -> Path:
        return write_scenario_files(tmp_path, yaml_text, files, name)

    return write


@pytest.fixture
def load_text(write_scenario: Callable[..., Path]) -> Callable[..., Scenario]:
    """``load_text(yaml_text, files=None, overrides=()) -> Scenario`` (written to tmp_path)."""

    def load(yaml_text: str, files: dict[str, str] | None = None,
             overrides: tuple[str, ...] = ()) -> Scenario:
        return load_scenario(write_scenario(yaml_text, files), overrides)

    return load


@pytest.fixture
def minimal() -> str:
    """The text of :data:`MINIMAL`."""
    return MINIMAL
