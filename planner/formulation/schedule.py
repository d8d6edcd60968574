"""Constraint families on the portfolio: choose once, dependencies, exclusivity."""

from __future__ import annotations

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def starts_of(v: Vars, data: ProblemData, i: int) -> list[tuple[int, int]]:
    """``(start period, column)`` pairs of initiative ``i``."""
    return [(s, v.x[(i, s)]) for s in data.initiatives[i].starts if (i, s) in v.x]


def choose_once(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``choose[i]``: an initiative starts at most once; exactly once when required.

    Required = mandatory, pinned in, or a prerequisite of a required initiative.
    A required initiative with no possible start gets an empty row ``0 = 1`` so
    that the infeasibility is visible and named.
    """
    for ini in data.initiatives:
        cols = [c for _s, c in starts_of(v, data, ini.index)]
        if ini.required:
            model.add_row(f"choose[{ini.id}]", cols, [1.0] * len(cols), 1.0, 1.0)
        elif cols:
            model.add_row(f"choose[{ini.id}]", cols, [1.0] * len(cols), -float("inf"), 1.0)


def dependencies(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``dep[j<i,t]``: ``j`` can have started by ``t`` only if ``i`` started by ``t - lag``.

    ``lag`` is ``d_i`` when ``j`` waits for all of ``i``, or the offset just after the
    phase of ``i`` it waits for (``depends_on: [i.build]``).

    This per-period (aggregated) form is the strongest linear form of a
    finish-to-start precedence on start binaries; at the last start of ``j`` it
    also says a dependant needs its prerequisite chosen.
    """
    labels = data.calendar.labels
    for ini in data.initiatives:
        mine = starts_of(v, data, ini.index)
        if not mine:
            continue
        for p in ini.depends_on:
            pre = data.initiatives[p]
            theirs = starts_of(v, data, p)
            for t in sorted({s for s, _c in mine}):
                cols = [c for s, c in mine if s <= t]
                vals = [1.0] * len(cols)
                pre_cols = [c for s, c in theirs if s <= t - ini.lag(p)]
                model.add_row(
                    f"dep[{ini.id}<{pre.id},{labels[t]}]",
                    cols + pre_cols,
                    vals + [-1.0] * len(pre_cols),
                    -float("inf"),
                    0.0,
                )


def exclusivity(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``excl[i|j]``: at most one of two mutually exclusive initiatives."""
    done: set[tuple[int, int]] = set()
    for ini in data.initiatives:
        for j in ini.exclusive_with:
            pair = (min(ini.index, j), max(ini.index, j))
            if pair in done:
                continue
            done.add(pair)
            cols = [c for _s, c in starts_of(v, data, pair[0])]
            cols += [c for _s, c in starts_of(v, data, pair[1])]
            if cols:
                a, b = data.initiatives[pair[0]].id, data.initiatives[pair[1]].id
                model.add_row(f"excl[{a}|{b}]", cols, [1.0] * len(cols), -float("inf"), 1.0)
