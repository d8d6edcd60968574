"""Long-term money of the recomputed objective (issue 15): NPV weights and discounting.

Part of the independent checker (:mod:`planner.checker.objective`): it re-derives
the rules of README "Several years" and ``docs/long_term.md`` from the scenario
alone and imports nothing from the formulation, the solve or
:mod:`planner.problem` (only the calendar's labels and kind of period).

* Discounting: money at the end of period ``t`` (0-based) is worth
  ``(1 + r) ** -((t + 1) x L)`` today, ``r`` = ``policy.discount_rate`` and ``L``
  the period length in years (1/12 for months, 1/4 for quarters, 7/365.2425 for
  weeks). It applies to ``objective: value`` only (other objectives weigh money
  undiscounted).
* NPV of an initiative started in ``s`` (finish ``f = s + duration - 1``): its
  one-off ``value`` at the end of ``f`` (when ``f`` is in the horizon), plus
  ``value_per_period x min(1, k / value_ramp)`` in the k-th period after ``f``
  within the horizon, minus its ``cost`` along its cost profile in the active
  periods within the horizon, each amount discounted.
* With ``objective: value`` a chosen initiative's weight is its NPV at its start.
  The scale of the other terms (the average weight per effort hour, and the
  average positive weight of the KPI reward) takes each initiative at its
  *earliest allowed start*: ``earliest_start`` (a fixed ``start`` is the only
  one), moved later by each prerequisite's earliest start + its lag (its
  duration, or the end of the phase waited for); an initiative with no allowed
  start (after the latest starts that a deadline, a fixed start and a forced
  dependant allow) is weighed ``value - cost``.
"""

from __future__ import annotations

import graphlib

import numpy as np

from models.scenario import Initiative, Scenario
from planner.checker.phases import phase_ends
from planner.checker.years import cost_per_period
from planner.problem.calendar import Calendar

#: length of one period in years, by kind of period (discounting)
YEARS_PER_PERIOD = {"month": 1 / 12, "quarter": 1 / 4, "week": 7 / 365.2425}


def discount(sc: Scenario, cal: Calendar) -> np.ndarray:
    """Value today of one unit of money at the end of each period (1 unless
    ``objective: value`` with a ``discount_rate``)."""
    T = len(cal)
    rate = sc.policy.discount_rate
    length = YEARS_PER_PERIOD.get(cal.horizon.period)
    if sc.policy.objective != "value" or rate <= 0 or length is None:
        return np.ones(T)
    return np.array([(1.0 + rate) ** -((t + 1) * length) for t in range(T)])


def npv(ini: Initiative, start: int, disc: np.ndarray) -> float:
    """Net present value within the horizon of ``ini`` started in ``start``."""
    T = len(disc)
    finish = start + ini.duration - 1
    flow = np.zeros(T)
    if 0 <= finish < T:
        flow[finish] += ini.value
    ramp = max(ini.value_ramp, 1)
    for t in range(max(finish + 1, 0), T):
        flow[t] += ini.value_per_period * min(1.0, (t - finish) / ramp)
    for o, c in enumerate(cost_per_period(ini)):
        if 0 <= start + o < T:
            flow[start + o] -= c
    return float(flow @ disc)


def earliest_starts(sc: Scenario, cal: Calendar) -> dict[str, int | None]:
    """Initiative id -> earliest allowed start, None when it has no allowed start."""
    T = len(cal)
    inits = {i.id: i for i in reversed(sc.initiatives)}
    lo: dict[str, int] = {}
    hi: dict[str, int] = {}
    for i in inits.values():
        first = cal.index.get(str(i.earliest_start), 0) if i.earliest_start else 0
        last_finish = cal.index.get(str(i.deadline), T - 1) if i.deadline else T - 1
        latest = last_finish - i.duration + 1
        if i.start is not None and str(i.start) in cal.index:
            s = cal.index[str(i.start)]
            first, latest = (s, s) if first <= s <= latest else (s, s - 1)
        lo[i.id], hi[i.id] = first, latest
    lags = {iid: _lags(i, inits) for iid, i in inits.items()}
    order = list(graphlib.TopologicalSorter(
        {iid: set(lag) for iid, lag in lags.items()}).static_order())
    for iid in order:
        for pre, lag in lags.get(iid, {}).items():
            lo[iid] = max(lo[iid], lo[pre] + lag)
    required = {iid for iid, i in inits.items() if _forced(sc, i)}
    for iid in reversed(order):
        if iid in required:
            for pre, lag in lags.get(iid, {}).items():
                required.add(pre)
                hi[pre] = min(hi[pre], hi[iid] - lag)
    return {iid: lo[iid] if hi[iid] >= lo[iid] else None for iid in inits}


def _lags(i: Initiative, inits: dict[str, Initiative]) -> dict[str, int]:
    """Prerequisite id -> periods after its start at which ``i`` may start."""
    out: dict[str, int] = {}
    for ref in i.depends_on:
        if ref in inits or "." not in ref:
            pre, lag = ref, inits[ref].duration if ref in inits else None
        else:
            pre, _, phase = ref.rpartition(".")
            lag = phase_ends(inits[pre]).get(phase) if pre in inits else None
        if lag is not None:
            out[pre] = max(out.get(pre, 0), lag)
    return out


def _forced(sc: Scenario, i: Initiative) -> bool:
    """Mandatory (or committed), or pinned in and not kept out."""
    mandatory = i.mandatory or i.status == "committed"
    return mandatory or (i.pin == "in" and sc.out_reason(i) is None)


def value_weights(sc: Scenario, cal: Calendar,
                  window: dict[str, tuple[int, int]]) -> tuple[dict[str, float], dict[str, float]]:
    """``objective: value``: (weight of each chosen initiative at its written start,
    scale weight of every initiative at its earliest allowed start)."""
    disc = discount(sc, cal)
    inits = {i.id: i for i in reversed(sc.initiatives)}
    chosen = {iid: npv(inits[iid], s, disc) for iid, (s, _f) in window.items() if iid in inits}
    scale = {}
    for iid, first in earliest_starts(sc, cal).items():
        i = inits[iid]
        scale[iid] = npv(i, first, disc) if first is not None else i.value - i.cost
    return chosen, scale
