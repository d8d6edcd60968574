"""Analyses of plans and scenarios: comparisons, frontiers, re-plans, tracking, risk.

- :mod:`~planner.analysis.compare`, :mod:`~planner.analysis.frontier`,
  :mod:`~planner.analysis.batch`: several plans side by side, value against budget,
  scenario files solved as pieces;
- :mod:`~planner.analysis.replan`, :mod:`~planner.analysis.track`: changes with their
  cause, plan against actual;
- :mod:`~planner.analysis.risk` (with :mod:`~planner.analysis.sampling`,
  :mod:`~planner.analysis.plan_model`, :mod:`~planner.analysis.simulate`): Monte Carlo
  risk of a plan; :mod:`~planner.analysis.robust` (with
  :mod:`~planner.analysis.plan_objective`): robust plans;
- :mod:`~planner.analysis.parallel`: independent pieces on Dask or in this process.

Modules are imported on use; importing this package imports none of them.
"""
