"""Build the planning model: variables, then each constraint family in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.formulation import (
    budget,
    capacity,
    development,
    external,
    kpi,
    mir,
    objective,
    rtb,
    schedule,
    staffing,
    unit_mir,
)
from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars, add_variables
from planner.problem.data import ProblemData

if TYPE_CHECKING:
    from models.plan import Plan


@dataclass
class Formulation:
    """The built model with its variable registry."""

    model: LinearModel
    vars: Vars
    #: objective coefficients without the stability terms (set when built with a
    #: baseline; columns added by them have none): what the plan is worth on its own
    plain_obj: list[float] | None = None


def build(data: ProblemData, previous: Plan | None = None) -> Formulation:
    """Formulate the whole planning problem once, solver-neutrally.

    With a ``previous`` plan (``--baseline``), changes from it are penalised
    (:mod:`planner.formulation.stability`).
    """
    m = LinearModel()
    v = add_variables(m, data)
    schedule.choose_once(m, data, v)
    schedule.dependencies(m, data, v)
    schedule.exclusivity(m, data, v)
    capacity.cohort_capacity(m, data, v)
    capacity.change_knapsacks(m, data, v)
    mir.shortfall_mir(m, data, v)
    unit_mir.unit_mir(m, data, v)
    rtb.rtb_cover(m, data, v)
    staffing.change_cover(m, data, v)
    staffing.borrowing_pools(m, data, v)
    external.external_capacity(m, data, v)
    budget.budgets(m, data, v)
    development.development(m, data, v)
    kpi.kpi_targets(m, data, v)
    objective.objective(m, data, v)
    if previous is None:
        return Formulation(m, v)
    from planner.formulation.stability import keep_previous

    plain = list(m.col_obj)
    keep_previous(m, data, v, previous)
    return Formulation(m, v, plain)
