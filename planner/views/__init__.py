"""Plan views: each a function ``plan -> pandas.DataFrame`` (writers live in ``planner.io.export``).

:data:`VIEWS` maps view names to functions in a fixed order; the export writes
one file (or sheet) per view, named after it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from models.plan import Plan
from planner.views._common import shared_facts
from planner.views.assignments import assignments
from planner.views.budget import budget
from planner.views.change_plan import change_plan
from planner.views.conflicts import conflicts
from planner.views.development import development
from planner.views.finance import finance
from planner.views.goals import individual_goals, unit_goals
from planner.views.individual_plans import individual_plans
from planner.views.initiative_costs import initiative_costs
from planner.views.kpi_path import kpi_path
from planner.views.portfolio import portfolio
from planner.views.spend_by_period import spend_by_period, spend_by_quarter
from planner.views.summary import summary
from planner.views.unit_plans import unit_plans
from planner.views.unit_summary import unit_summary
from planner.views.workload import workload

View = Callable[[Plan], pd.DataFrame]

#: Every view by name, in the order files and sheets are written.
VIEWS: dict[str, View] = {
    "summary": summary,
    "portfolio": portfolio,
    "change_plan": change_plan,
    "kpi_path": kpi_path,
    "workload": workload,
    "conflicts": conflicts,
    "unit_plans": unit_plans,
    "unit_summary": unit_summary,
    "unit_goals": unit_goals,
    "individual_plans": individual_plans,
    "individual_goals": individual_goals,
    "development": development,
    "finance": finance,
    "budget": budget,
    "spend_by_period": spend_by_period,
    "spend_by_quarter": spend_by_quarter,
    "initiative_costs": initiative_costs,
    "assignments": assignments,
}


def all_views(plan: Plan) -> dict[str, pd.DataFrame]:
    """Every view of ``plan``, by name, in :data:`VIEWS` order."""
    with shared_facts(plan):
        return {name: fn(plan) for name, fn in VIEWS.items()}


__all__ = [
    "VIEWS", "View", "all_views", "assignments", "budget", "change_plan", "conflicts",
    "development", "finance", "individual_goals", "individual_plans", "initiative_costs",
    "kpi_path", "portfolio", "spend_by_period", "spend_by_quarter", "summary", "unit_goals",
    "unit_plans", "unit_summary", "workload",
]
