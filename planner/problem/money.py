"""Money over time: budgets per year, spend per period, benefits after delivery, NPV.

Budgets (issue 15). ``policy.budget`` and a unit's ``budget`` are one amount
for the whole horizon, or a map calendar year -> amount. Spend is counted in
the calendar year of the period it falls in (:mod:`planner.problem.calendar`):
an initiative's ``cost`` by its cost profile (:func:`planner.problem.phases.cost_shares`),
contractor cost in the period worked. Each year's spend must stay within that
year's amount; with ``policy.carry_over: true`` what is left carries over, so the
limits hold cumulatively: spend up to the end of each year <= the amounts of that
year and all before it. A map must name every year the horizon touches (and no
other), and cannot be used with ``period: index`` (no calendar years).

Each limit is a :class:`BudgetLimit`: the periods whose spend counts and the
amount. The formulation, the greedy, the reasons and the diagnosis all read
these, so a single number and a map are one code path.

Benefits and net present value. An initiative finishing at the end of period
``f`` brings its one-off ``value`` then, and ``value_per_period`` in each later
period of the horizon; with ``value_ramp: n`` the k-th period after delivery
brings ``min(1, k / n)`` of it (k = 1, 2, ...). With ``policy.discount_rate``
``r`` (per year), money at the end of period ``t`` (0-based) is worth
``(1 + r) ** -((t + 1) * L)`` today, ``L`` the period length in years (1/12 for
months, 1/4 for quarters, 7/365.2425 for weeks): money is discounted from the
end of the period it falls in to the start of the horizon. An initiative's NPV
when started in ``s`` is the discounted one-off value, plus the discounted
benefits after delivery within the horizon, minus its discounted cost
(by cost profile). With ``objective: value`` it is the initiative's objective
weight at that start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from models.scenario import Budget, Initiative, Scenario
from planner.problem.calendar import Calendar
from planner.problem.phases import cost_shares


@dataclass(frozen=True)
class BudgetLimit:
    """One budget rule: spend in the periods of ``mask`` <= ``limit``."""

    name: str  # row name: budget, budget[2027], budget[ops], budget[ops,2027]
    unit: str | None  # None: the whole organisation (policy.budget)
    year: int | None  # None: the whole horizon
    cumulative: bool  # carry_over: the periods up to the end of ``year``
    mask: np.ndarray  # bool per period: spend in these periods counts
    limit: float

    def describe(self) -> str:
        """``the budget``, ``the 2027 budget of unit ops``, ``the budget up to 2028``."""
        what = "the budget" if self.year is None else (
            f"the budget up to {self.year}" if self.cumulative else f"the {self.year} budget")
        return what + (f" of unit {self.unit}" if self.unit else "")


def total_budget(budget: Budget | None) -> float | None:
    """The whole-horizon amount of a budget (the sum of a per-year map)."""
    if budget is None:
        return None
    if isinstance(budget, dict):
        return float(math.fsum(budget.values()))
    return float(budget)


def budget_limits(scenario: Scenario, cal: Calendar) -> list[BudgetLimit]:
    """Every budget rule of the scenario: the policy's first, then each unit's in order."""
    out: list[BudgetLimit] = []
    carry = scenario.policy.carry_over
    out += _limits("budget", None, scenario.policy.budget, cal, carry)
    for u in scenario.units:
        out += _limits(f"budget[{u.id}", u.id, u.budget, cal, carry)
    return out


def _limits(name: str, unit: str | None, budget: Budget | None, cal: Calendar,
            carry: bool) -> list[BudgetLimit]:
    T = len(cal)
    close = "]" if unit is not None else ""
    if budget is None:
        return []
    if not isinstance(budget, dict):
        return [BudgetLimit(name + close, unit, None, False, np.ones(T, bool), float(budget))]
    years = np.asarray(cal.period_years)
    out, so_far = [], 0.0
    for year, amount in sorted(budget.items()):
        so_far += amount
        mask = years <= year if carry else years == year
        sep = "," if unit is not None else "["
        out.append(BudgetLimit(f"{name}{sep}{year}]", unit, year, carry, mask,
                               so_far if carry else float(amount)))
    return out


def cost_by_offset(ini: Initiative) -> np.ndarray:
    """``cost`` per active period (offsets from the start)."""
    return ini.cost * cost_shares(ini)


def discount_factors(cal: Calendar, rate: float) -> np.ndarray:
    """Value today of one unit of money at the end of each period (all 1 at rate 0)."""
    T = len(cal)
    if rate <= 0:
        return np.ones(T)
    return (1.0 + rate) ** -(np.arange(1, T + 1) * cal.period_length)


def benefits(ini: Initiative, finish: int, T: int) -> np.ndarray:
    """Money per period from ``ini`` finishing at the end of ``finish`` (undiscounted).

    The one-off ``value`` falls in ``finish``; ``value_per_period`` (ramped) in
    every later period of the horizon.
    """
    out = np.zeros(T)
    if 0 <= finish < T:
        out[finish] += ini.value
    n = max(ini.value_ramp, 1)
    for t in range(finish + 1, T):
        out[t] += ini.value_per_period * min(1.0, (t - finish) / n)
    return out


def npv(ini: Initiative, start: int, cal: Calendar, rate: float) -> float:
    """Net present value within the horizon of ``ini`` started in ``start`` (see module)."""
    T = len(cal)
    disc = discount_factors(cal, rate)
    finish = start + ini.duration - 1
    flow = benefits(ini, finish, T)
    cost = cost_by_offset(ini)
    for k, c in enumerate(cost):
        if 0 <= start + k < T:
            flow[start + k] -= c
    return float(flow @ disc)


def npv_by_start(ini: Initiative, cal: Calendar, rate: float) -> np.ndarray:
    """NPV of ``ini`` for every start period 0 .. T-1 (starts running past the end included)."""
    return np.array([npv(ini, s, cal, rate) for s in range(len(cal))])
