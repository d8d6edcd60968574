"""Constraint family on money: total and unit budgets on incremental spend, per year or overall."""

from __future__ import annotations

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData
from planner.problem.money import BudgetLimit


def budgets(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """One row per budget rule (:class:`~planner.problem.money.BudgetLimit`).

    ``budget`` / ``budget[u]`` (one amount for the horizon), ``budget[2027]`` /
    ``budget[u,2027]`` (per year, or up to the end of that year with
    ``carry_over``): the cost of the chosen initiatives (of those unit ``u``
    sponsors) falling in the rule's periods, by each start's cost profile, plus
    contractor cost in those periods (of work done for ``u``) <= the amount.
    """
    for limit in data.budgets:
        cols, vals = spend_terms(data, v, limit)
        model.add_row(limit.name, cols, vals, hi=limit.limit)


def spend_terms(data: ProblemData, v: Vars, limit: BudgetLimit) -> tuple[list[int], list[float]]:
    """Columns and coefficients of the spend that ``limit`` counts."""
    cols: list[int] = []
    vals: list[float] = []
    for (i, s), col in v.x.items():
        ini = data.initiatives[i]
        if ini.cost > 0 and (limit.unit is None or ini.sponsor == limit.unit):
            c = ini.cost_in(s, limit.mask)
            if c > 0:
                cols.append(col)
                vals.append(c)
    for fam in (v.er, v.ec):
        for (e, u, t), col in fam.items():
            rate = data.externals[e].cost_per_hour
            if rate > 0 and limit.mask[t] and (limit.unit is None or u == limit.unit):
                cols.append(col)
                vals.append(rate)
    return cols, vals
