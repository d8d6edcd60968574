"""Plans the report tests share, each solved (and checked) once per test session."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from models.plan import Plan
from models.scenario import Scenario
from planner.io.load import load_scenario
from tests.support import solve_checked
from tests.views.test_views import SQUEEZE, TINY

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scenarios" / "services_firm.yaml"


def solved(data: dict[str, Any]) -> Plan:
    """Solve a scenario given as a dict (a fresh copy each time); the plan passes the checker."""
    return solve_checked(Scenario.model_validate(copy.deepcopy(data)), time_limit=20)


@functools.cache
def tiny() -> Plan:
    """TINY of the view tests: x runs in periods 1-2, y in 3 (numbers worked out there)."""
    return solved(TINY)


@functools.cache
def squeeze() -> Plan:
    """SQUEEZE of the view tests: unit a borrows from b and hires contractors."""
    return solved(SQUEEZE)


@functools.cache
def services() -> Plan:
    """The services firm example (40 people, currency €)."""
    return solve_checked(load_scenario(str(SERVICES)), time_limit=30)
