"""Constraint family on money: total and unit budgets on incremental spend."""

from __future__ import annotations

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def budgets(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``budget``: initiative cost of chosen initiatives + contractor cost <= policy.budget.

    ``budget[u]``: cost of the initiatives unit ``u`` sponsors + contractor cost of work
    done for ``u`` <= the unit's budget.
    """
    if data.budget is not None:
        cols, vals = _spend(data, v, None)
        model.add_row("budget", cols, vals, hi=data.budget)
    for u, limit in sorted(data.unit_budgets.items()):
        cols, vals = _spend(data, v, u)
        model.add_row(f"budget[{u}]", cols, vals, hi=limit)


def _spend(data: ProblemData, v: Vars, unit: str | None) -> tuple[list[int], list[float]]:
    cols: list[int] = []
    vals: list[float] = []
    for (i, _s), col in v.x.items():
        ini = data.initiatives[i]
        if ini.cost > 0 and (unit is None or ini.sponsor == unit):
            cols.append(col)
            vals.append(ini.cost)
    for fam in (v.er, v.ec):
        for (e, u, _t), col in fam.items():
            rate = data.externals[e].cost_per_hour
            if rate > 0 and (unit is None or u == unit):
                cols.append(col)
                vals.append(rate)
    return cols, vals
