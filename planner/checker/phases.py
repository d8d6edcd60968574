"""Plan checker, phases part (issue 15): phases staffed one by one, dependencies on phases.

Part of the independent checker (:mod:`planner.checker`): it re-implements the
rules from the scenario alone and imports nothing from the formulation, the
solve or :mod:`planner.problem`.

Rules
-----
``schedule``
    a phased initiative's duration is the sum of its phases' durations (its
    finish, start + duration - 1, is checked by the main checker).
``staffing``
    phases run back to back from the start in the order listed; each effort
    line of a phase (lines with the same unit and skill merged, across phases
    too) gets ``hours / phase duration`` delivered in every period of that phase.
``phase``
    no hours on a phased initiative's line in a period where none of its phases
    needs that line.
``dependency``
    ``depends_on: [x.phase]``: ``x`` is selected and that phase has finished
    before the dependant starts (start >= start of ``x`` + the durations of its
    phases up to and including that one).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from models.scenario import Initiative, Scenario
from planner.checker.demand import merge_delivered
from planner.checker.report import htol
from planner.problem.calendar import Calendar

Add = Callable[[str, str, "str | None", str, float], None]


def phase_ends(init: Initiative) -> dict[str, int]:
    """Phase name -> offset from the start just after its last period (back to back)."""
    out, end = {}, 0
    for p in init.phases:
        end += p.duration
        out[p.name] = end
    return out


def needs(init: Initiative, start: int, n_periods: int) -> dict[tuple[str, str, int], float]:
    """(unit, skill, period) -> hours a phased initiative started in ``start`` needs there."""
    out: dict[tuple[str, str, int], float] = {}
    t0 = start
    for p in init.phases:
        for ln in p.effort:
            if ln.hours <= 0:
                continue
            for t in range(t0, min(t0 + p.duration, n_periods)):
                key = (ln.unit, ln.skill, t)
                out[key] = out.get(key, 0.0) + ln.hours / p.duration
        t0 += p.duration
    return out


def check_phase_dependencies(scenario: Scenario, cal: Calendar, selected: set[str],
                             window: dict[str, tuple[int, int]], add: Add) -> None:
    """``dependency`` violations of ``depends_on: [x.phase]`` entries (see module)."""
    inits = {i.id: i for i in reversed(scenario.initiatives)}
    for iid in sorted(selected):
        for ref in inits[iid].depends_on:
            if ref in inits or "." not in ref:
                continue  # a whole initiative: the main checker's rule
            base, _, phase = ref.rpartition(".")
            pre = inits.get(base)
            if pre is None or phase not in phase_ends(pre):
                add("dependency", iid, None, f"depends on unknown phase '{ref}'", 1)
                continue
            if base not in selected:
                add("dependency", iid, None,
                    f"depends on '{ref}', but '{base}' is not selected", 1)
                continue
            if iid not in window or base not in window:
                continue
            s, ready = window[iid][0], window[base][0] + phase_ends(pre)[phase]
            if s < ready:
                add("dependency", iid, cal.labels[s],
                    f"starts before phase '{phase}' of '{base}' finishes "
                    f"({cal.labels[min(ready - 1, len(cal) - 1)]})", ready - s)


def check_phases(scenario: Scenario, cal: Calendar, window: dict[str, tuple[int, int]],
                 a: pd.DataFrame, add: Add) -> None:
    """``schedule``, ``staffing`` and ``phase`` violations of phased initiatives.

    ``a`` is the checker's prepared assignments (``work``, ``for_unit``, ``skill``,
    ``period``, ``t``, ``delivered``, ``rtb``).
    """
    inits = {i.id: i for i in reversed(scenario.initiatives)}
    n = len(cal)
    rows = []
    for iid, (s, _f) in window.items():
        init = inits[iid]
        if not init.phases:
            continue
        total = sum(p.duration for p in init.phases)
        if init.duration != total:
            add("schedule", iid, None, f"duration {init.duration} is not the sum of its "
                f"phase durations ({total})", abs(init.duration - total))
        lines = {(ln.unit, ln.skill) for p in init.phases for ln in p.effort if ln.hours > 0}
        need = needs(init, s, n)
        for u, k in sorted(lines):
            for t in range(s, min(s + total, n)):
                rows.append((iid, u, k, cal.labels[t], need.get((u, k, t), 0.0)))
    if not rows:
        return
    req = pd.DataFrame(rows, columns=["work", "for_unit", "skill", "period", "need"])
    m = merge_delivered(req, a[~a["rtb"]], ["work", "for_unit", "skill", "period"])
    tol = htol(m["need"], m["rows"])
    for r in m[(m["need"] > 0) & (m["need"] - m["delivered"] > tol)].to_dict("records"):
        add("staffing", r["work"], r["period"],
            f"phase line {r['for_unit']}/{r['skill']} needs {r['need']:.2f} h, delivered "
            f"{r['delivered']:.2f} h", r["need"] - r["delivered"])
    for r in m[(m["need"] <= 0) & (m["delivered"] > tol)].to_dict("records"):
        add("phase", r["work"], r["period"],
            f"{r['delivered']:.2f} h on line {r['for_unit']}/{r['skill']} in a period where "
            "none of its phases needs it", r["delivered"])
