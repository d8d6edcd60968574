"""Checks that figures are on the scale the format expects (warnings, never errors).

* RTB ``hours`` are per period. A unit whose RTB asks for several times the hours its
  people have in a period was most likely given annual figures.
* ``cost_per_hour`` defaults to 0: when some people have a rate and others do not,
  the others' work looks free in every money view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.problem.calendar import Calendar, PeriodError

if TYPE_CHECKING:
    from models.scenario import Scenario
    from planner.io.validate import _Checker

#: RTB of a unit more than this many times its capacity in a period draws a warning
RTB_OVER_CAPACITY = 3.0


def scale_issues(c: _Checker) -> None:
    """Add the warnings of this module to the checker ``c``."""
    rtb_per_period(c)
    missing_rates(c)


def rtb_per_period(c: _Checker) -> None:
    """Warn, once per unit, when its RTB is several times what its people can give."""
    s = c.s
    try:
        cal = Calendar(s.horizon)
    except PeriodError:
        return
    T = len(cal)
    hpf = s.horizon.hours_per_fte
    cap = {u.id: [0.0] * T for u in s.units}
    for p in s.staff:
        if p.unit not in cap:
            continue
        for t, label in enumerate(cal.labels):
            cap[p.unit][t] += hpf * p.fte * p.availability.get(label, 1.0)
    demand: dict[str, list[float]] = {}
    first: dict[str, int] = {}
    for k, line in enumerate(s.run_the_business):
        if line.unit not in cap:
            continue
        hours = line.hours if isinstance(line.hours, list) else [line.hours] * T
        if len(hours) != T:
            continue
        row = demand.setdefault(line.unit, [0.0] * T)
        first.setdefault(line.unit, k)
        for t, h in enumerate(hours):
            row[t] += h
    for unit, row in demand.items():
        total_cap = sum(cap[unit])
        total = sum(row)
        if total <= 0 or total_cap <= 0:  # no people: borrowing or contractors may do it
            continue
        ratio = total / total_cap
        if ratio > RTB_OVER_CAPACITY:
            per = total_cap / T
            times = f"{ratio:.1f} times its capacity"
            c.warning(("run_the_business", first[unit], "hours"),
                      f"unit '{unit}' has RTB of {total / T:,.0f} h a period on average, "
                      f"{times} ({per:,.0f} h a period from its {_people(s, unit)}): did "
                      f"you enter annual hours? RTB hours are per {s.horizon.period}, "
                      "not per year")


def _people(s: Scenario, unit: str) -> str:
    n = sum(1 for p in s.staff if p.unit == unit)
    return f"{n} {'person' if n == 1 else 'people'}"


def missing_rates(c: _Checker) -> None:
    """Warn when some people have a ``cost_per_hour`` and others none (it then means 0).

    An explicit ``cost_per_hour: 0`` is taken as meant.
    """
    staff = c.s.staff
    priced = [p for p in staff if p.cost_per_hour > 0]
    free = [k for k, p in enumerate(staff) if "cost_per_hour" not in p.model_fields_set]
    if not priced or not free:
        return
    names = ", ".join(staff[k].id for k in free[:5]) + (" ..." if len(free) > 5 else "")
    c.warning(("staff", free[0], "cost_per_hour"),
              f"{len(free)} of {len(staff)} people have no cost_per_hour ({names}) while "
              "others have one: their hours count as free (0) in every money view (write "
              "cost_per_hour: 0 where that is meant)")
