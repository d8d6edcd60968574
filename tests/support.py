"""Test helper: solve a small scenario dict and verify the written plan independently.

Every solve in the test suite goes through :func:`solve_checked`, which writes
the plan with the real writer and runs the independent checker on it.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from models.plan import Plan
from models.scenario import Scenario
from planner.checker import check_plan
from planner.io.export import write_plan
from planner.solving import Settings, solve


def scenario(**sections: Any) -> Scenario:
    """A validated scenario from keyword sections; defaults: 4 index periods of 10 h."""
    data: dict[str, Any] = {
        "name": "test",
        "horizon": {"periods": 4, "period": "index", "hours_per_fte": 10},
        "strategy": {"objectives": [{"id": "grow", "weight": 1}]},
    }
    data.update(sections)
    from planner.io.validate import validate

    sc = Scenario.model_validate(data)
    validate(sc)  # raises ScenarioError on cross-entity errors
    return sc


def solve_checked(sc: Scenario, **settings: Any) -> Plan:
    """Solve, write the plan, and assert the independent checker accepts it."""
    plan = solve(sc, Settings(**settings))
    with tempfile.TemporaryDirectory() as tmp:
        out = write_plan(plan, Path(tmp) / "plan")
        report = check_plan(sc, out)
        assert report.ok, report.to_text()
    return plan


def hours(plan: Plan, **match: str) -> float:
    """Sum of assignment hours over rows matching every ``column=value``."""
    a = plan.assignments
    for col, val in match.items():
        a = a[a[col] == val]
    return round(float(a["hours"].sum()), 6)


def docs_script(name: str) -> ModuleType:
    """Import ``docs/<name>.py`` (the docs scripts are not a package)."""
    path = Path(__file__).resolve().parents[1] / "docs" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def lp_value(arrays: Any, fix: dict[int, float] | None = None) -> float | None:
    """Optimum of the LP relaxation of model ``arrays`` (HiGHS), with columns fixed
    as ``fix`` says; None when it is not optimal."""
    import highspy

    from planner.backends.highs import to_highs_lp

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(to_highs_lp(arrays, relax=True))
    for col, val in (fix or {}).items():
        h.changeColBounds(col, val, val)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(h.getInfo().objective_function_value)
