"""planner: annual operational planning with an exact optimiser.

The public API (see the README's "From Python" section)::

    import planner
    scenario = planner.load("scenarios/services_firm.yaml")
    result = planner.solve(scenario, time_limit=10)   # or a path, with overrides=[...]
    print(result.summary())
    result.plan.selected                              # the chosen initiatives
    result.views()["workload"]                        # every view as a DataFrame
    result.write("plan/")                             # what `planner solve` writes
    planner.check("scenarios/services_firm.yaml", "plan/").ok
    planner.risk("plan/", samples=1000).initiatives   # how likely is it to hold?
"""

from importlib.metadata import PackageNotFoundError, version

from models.plan import Plan
from models.scenario import Scenario
from planner.api import Result, Status, check, load, risk, solve
from planner.errors import InfeasibleError, PlannerError, ScenarioError, SolveError
from planner.solving.settings import Settings

try:
    __version__ = version("planner")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "InfeasibleError", "Plan", "PlannerError", "Result", "Scenario", "ScenarioError",
    "Settings", "SolveError", "Status", "__version__", "check", "load", "risk", "solve",
]
