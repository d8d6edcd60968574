"""Money of a re-plan as of a period, year by year (per-year budgets, issue 15).

:mod:`planner.problem.asof` counts the money spent or committed before the as-of
period against the budgets: the full cost of every done and in-flight initiative,
the cost of a stopped one up to the as-of period, the past contractor hours. With a
budget of one amount the total is what matters. With a per-year budget the money
must land in its year, as for a fresh plan (:mod:`planner.problem.money`): an
initiative's cost along its cost profile from its start (an in-flight initiative's
future periods included: that money is committed), a stopped one's in the periods
it ran, contractor hours in the period worked.

What the future may then spend, for the years from the as-of period's on (earlier
years drop out of the map, as the future horizon no longer touches them):

- without ``carry_over``: each year's amount less what is committed in that year;
- with ``carry_over`` the limits hold cumulatively: up to the end of year ``y`` the
  future may spend ``L_y`` = the amounts up to ``y`` less the money committed up to
  ``y``. As future spend up to ``y`` is at most future spend up to any later year,
  the binding limit is ``min(L_z, z >= y)``, which never falls from one year to the
  next, so the future's map is its yearly increments, all >= 0.

A year whose committed money alone breaks its limit (or the limit up to it) is a
hard conflict: no plan of the periods left can keep it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from models.scenario import Budget
from planner.problem.calendar import Calendar
from planner.problem.money import cost_by_offset

if TYPE_CHECKING:
    from planner.problem.asof import AsOf

#: money below this is rounding, not a breach
CENT = 0.005


def committed_by_period(state: AsOf) -> dict[str | None, np.ndarray]:
    """Money spent or committed before the as-of period, per period it falls in.

    Key ``None``: the whole organisation; a unit id: what that unit's budget counts
    (the initiatives it sponsors, contractor hours on its work).
    """
    sc, labels = state.scenario, state.labels
    T = len(labels)
    inits = {i.id: i for i in sc.initiatives}
    out: dict[str | None, np.ndarray] = defaultdict(lambda: np.zeros(T))

    def put(unit: str | None, t: int, x: float) -> None:
        if 0 <= t < T and x:
            out[None][t] += x
            if unit:
                out[unit][t] += x

    starts = {i: s for i, (s, _f) in state.done.items()}
    starts.update({i: labels.index(f.start) for i, f in state.in_flight.items()})
    for iid, s in starts.items():
        ini = inits[iid]
        for o, c in enumerate(cost_by_offset(ini)):
            put(ini.sponsor, s + o, float(c))
    for iid, st in state.stopped.items():
        ini = inits[iid]
        s = labels.index(st.start)
        for o, c in enumerate(cost_by_offset(ini)[:max(state.t0 - s, 0)]):
            put(ini.sponsor, s + o, float(c))
    rates = {cid: e.cost_per_hour for cid, e in zip(sc.external_ids(), sc.external,
                                                     strict=True)}
    index = {label: t for t, label in enumerate(labels)}
    ext = state.past[state.past["contract"] != ""]
    for h, c, u, per in zip(ext["hours"], ext["contract"], ext["for_unit"], ext["period"],
                            strict=True):
        put(str(u) or None, index[str(per)], float(h) * rates.get(c, 0.0))
    return dict(out)


def future_budget(budget: dict[int, float], committed: np.ndarray, years: list[int],
                  first_year: int, carry_over: bool
                  ) -> tuple[dict[int, float], list[tuple[int, float, float]]]:
    """The future's per-year map, and the years committed money alone breaks.

    ``committed`` is money per period, ``years`` the calendar year of each period,
    ``first_year`` the as-of period's. Breaches are ``(year, committed, limit)``,
    cumulative (up to that year) with ``carry_over``.
    """
    yrs = np.asarray(years)
    spent = {y: float(committed[yrs == y].sum()) for y in budget}
    breaches: list[tuple[int, float, float]] = []
    if not carry_over:
        for y, amount in budget.items():
            if spent[y] > amount + CENT:
                breaches.append((y, spent[y], amount))
        return ({y: max(a - spent[y], 0.0) for y, a in budget.items() if y >= first_year},
                breaches)
    room: dict[int, float] = {}
    b_sum = c_sum = 0.0
    for y in sorted(budget):
        b_sum += budget[y]
        c_sum += spent[y]
        if c_sum > b_sum + CENT:
            breaches.append((y, c_sum, b_sum))
        room[y] = b_sum - c_sum
    future = sorted(y for y in budget if y >= first_year)
    binding, low = {}, float("inf")
    for y in reversed(future):
        low = min(low, room[y])
        binding[y] = max(low, 0.0)
    out, before = {}, 0.0
    for y in future:
        out[y] = binding[y] - before
        before = binding[y]
    return out, breaches


def future_amount(budget: Budget | None, committed_total: float,
                  committed: np.ndarray, years: list[int] | None, first_year: int | None,
                  carry_over: bool) -> Budget | None:
    """What the future may spend of ``budget`` (one amount, or a per-year map)."""
    if budget is None:
        return None
    if not isinstance(budget, dict):
        return max(budget - committed_total, 0.0)
    assert years is not None and first_year is not None  # maps need calendar years
    return future_budget(budget, committed, years, first_year, carry_over)[0]


def year_breaches(state: AsOf) -> list[str]:
    """Hard conflicts: per-year budgets the committed money alone breaks, in words."""
    sc = state.scenario
    scopes: list[tuple[str | None, Budget | None]] = [(None, sc.policy.budget)]
    scopes += [(u.id, u.budget) for u in sc.units]
    if not any(isinstance(b, dict) for _u, b in scopes):
        return []
    cal = Calendar(sc.horizon)
    years, first = cal.period_years, cal.period_years[state.t0]
    per = committed_by_period(state)
    out = []
    for unit, budget in scopes:
        if not isinstance(budget, dict):
            continue
        money = per.get(unit, np.zeros(len(cal)))
        for y, got, limit in future_budget(budget, money, years, first,
                                           sc.policy.carry_over)[1]:
            what = f"up to the end of {y}" if sc.policy.carry_over else f"in {y}"
            whose = f"the budget of {unit}" if unit else "the budget"
            out.append(f"{whose} {what}: {got:,.2f} already spent or committed before "
                       f"{state.label} exceeds {limit:,.2f}; stop a started initiative "
                       "with pin: out")
    return out
