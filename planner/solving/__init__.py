"""Solving: ``solve(scenario, settings) -> Plan`` and the paths it takes.

- :mod:`~planner.solving.settings`: what the user can set, and the time shares;
- :mod:`~planner.solving.driver`: the one entry point;
- :mod:`~planner.solving.greedy`: the rank-and-cut baseline (also the warm start);
- :mod:`~planner.solving.search`: the neighbourhood search;
- :mod:`~planner.solving.paths`: one function per way of spending the time limit;
- :mod:`~planner.solving.assemble`: a column vector becomes a Plan
  (:mod:`~planner.solving.allocate` names the people, :mod:`~planner.solving.reasons`
  explains what was left out);
- :mod:`~planner.solving.diagnose`: why a scenario is infeasible.
"""

from planner.solving.driver import solve
from planner.solving.settings import Settings

__all__ = ["Settings", "solve"]
