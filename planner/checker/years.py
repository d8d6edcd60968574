"""Plan checker, money by year (issue 15): per-year budgets of the organisation and of units.

Part of the independent checker (:mod:`planner.checker`): it re-implements the
rules from the scenario alone and imports nothing from the formulation, the
solve or :mod:`planner.problem` (only the calendar's labels).

Rules
-----
``budget``, ``unit_budget`` (per-year maps)
    money is counted in the calendar year of the period it falls in (the year
    in a period's label; an ISO week's year for weeks): an initiative's
    ``cost`` over its active periods (evenly, or by ``cost_profile``: one share
    per phase, spread evenly over the phase, or one per active period),
    contractor hours x rate in the period worked. Each year's spend (of a unit:
    the initiatives it sponsors and contractor hours on its work) is within that
    year's amount; with ``policy.carry_over`` the spend up to the end of each
    year is within the amounts up to that year. One amount for the whole
    horizon is the main checker's rule. The money tolerance is the main checker's:
    0.01 + 1e-9 x the limit + 0.00005 h (the most an hour written with 4 decimals
    is off) x the rate of every contractor row summed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from models.scenario import Initiative, Scenario
from planner.checker.demand import contractor_rows
from planner.problem.calendar import Calendar

MONEY_ABS = 0.01
MONEY_REL = 1e-9
#: as ``planner.checker.MONEY_HOURS`` (not imported: the package imports this module)
MONEY_HOURS = 0.00005

Add = Callable[[str, str, "str | None", str, float], None]


def cost_per_period(init: Initiative) -> list[float]:
    """``cost`` in each active period, offsets 0 .. duration-1 (see module)."""
    d = init.duration
    prof = init.cost_profile
    if prof is None:
        return [init.cost / d] * d
    if len(prof) == d:
        return [init.cost * x for x in prof]
    out: list[float] = []
    for p, share in zip(init.phases, prof, strict=True):
        out += [init.cost * share / p.duration] * p.duration
    return out


def check_year_budgets(scenario: Scenario, cal: Calendar, window: dict[str, tuple[int, int]],
                       a: pd.DataFrame, add: Add,
                       sunk: dict[str | None, np.ndarray] | None = None) -> None:
    """``budget`` and ``unit_budget`` violations of per-year budgets.

    ``a`` is the checker's prepared assignments (``ext``, ``contract``, ``hours``,
    ``for_unit``, ``t``). ``sunk``: more money per period (key None: the whole
    organisation, else a unit), e.g. what stopped initiatives of a re-plan cost.
    """
    every: list[tuple[str | None, object]] = [(None, scenario.policy.budget)]
    every += [(u.id, u.budget) for u in scenario.units]
    maps = [(u, b) for u, b in every if isinstance(b, dict)]
    if not maps:
        return
    n = len(cal)
    year = np.array([int(label[:4]) for label in cal.labels])
    inits = {i.id: i for i in reversed(scenario.initiatives)}
    ex, rate, t_ex = contractor_rows(scenario, a)
    for unit, budget in maps:
        assert isinstance(budget, dict)
        extra = (sunk or {}).get(unit)
        spend = np.zeros(n) if extra is None else np.array(extra, dtype=float)
        slack = np.zeros(n)
        for iid, (s, _f) in window.items():
            init = inits[iid]
            if unit is not None and init.sponsor != unit:
                continue
            for o, c in enumerate(cost_per_period(init)):
                if s + o < n:
                    spend[s + o] += c
        keep = np.ones(len(ex), bool) if unit is None else (ex["for_unit"] == unit).to_numpy()
        np.add.at(spend, t_ex[keep], ex["hours"].to_numpy(dtype=float)[keep] * rate[keep])
        np.add.at(slack, t_ex[keep], MONEY_HOURS * rate[keep])
        so_far = 0.0
        for y, amount in sorted(budget.items()):
            so_far += amount
            mask = year <= y if scenario.policy.carry_over else year == y
            limit = so_far if scenario.policy.carry_over else amount
            got = float(spend[mask].sum())
            if got - limit > MONEY_ABS + MONEY_REL * limit + float(slack[mask].sum()):
                rule = "budget" if unit is None else "unit_budget"
                what = f"up to the end of {y}" if scenario.policy.carry_over else f"in {y}"
                add(rule, unit or "policy", str(y),
                    f"spend {what} {got:.2f} (initiatives + contractors) exceeds the budget "
                    f"{limit:.2f}", got - limit)
