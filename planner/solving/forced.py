"""What stops an optional initiative when it is forced in: one elastic re-solve each.

This answers "what if I pinned it in?" exactly as ``planner solve`` with ``pin: in``
would (the elastic model of :mod:`planner.solving.diagnose`: only the required work,
plus this initiative and its prerequisites, every hard rule given a shortfall
column). The model is built once; each initiative only changes bounds.

An empty list of shortfalls means the initiative fits next to the required work, so
what kept it out of a plan is the competition with the other chosen initiatives.
"""

from __future__ import annotations

import time

from planner.backends.base import SolverOptions
from planner.problem.data import ProblemData
from planner.solving.diagnose import Shortfall, elastic_model, read_shortfalls

#: relative gap at which a re-solve counts as decided (shortfalls are hours and money)
GAP = 1e-4


def forced_in(
    data: ProblemData,
    ids: list[str],
    backend: str = "highs",
    deadline: float | None = None,
    per_solve: float = 5.0,
) -> dict[str, list[Shortfall]]:
    """Shortfalls of the required work plus each initiative of ``ids`` forced in.

    Stops at ``deadline`` (``time.perf_counter()`` seconds): initiatives not reached,
    or whose re-solve found no answer in time, are absent from the result.
    """
    from planner import backends

    out: dict[str, list[Shortfall]] = {}
    if not ids or (deadline is not None and time.perf_counter() >= deadline):
        return out
    el = elastic_model(data)
    m, v = el.model, el.vars
    solver = backends.get(backend)
    cols_of: dict[int, list[int]] = {}
    for (i, _s), col in v.x.items():
        cols_of.setdefault(i, []).append(col)
    for iid in ids:
        limit = per_solve
        if deadline is not None:
            limit = min(limit, deadline - time.perf_counter())
            if limit <= 0.05:
                break
        ini = data.by_id[iid]
        row = m.row_of(f"choose[{iid}]")
        if row is None:  # no possible start at all
            out[iid] = [Shortfall("left_out", None, None, None, 1, [iid])]
            continue
        opened = _with_prerequisites(data, ini.index)
        saved = {c: m.col_ub[c] for i in opened for c in cols_of.get(i, [])}
        for c in saved:
            m.col_ub[c] = 1.0
        old_lo = m.row_lo[row]
        m.row_lo[row] = 1.0
        try:
            res = solver.solve(m.arrays(), SolverOptions(time_limit=limit, gap=GAP), None)
        finally:
            m.row_lo[row] = old_lo
            for c, ub in saved.items():
                m.col_ub[c] = ub
        decided = res.status == "optimal" or (res.gap is not None and res.gap <= GAP)
        if res.x is None or not decided:
            continue  # not decided in time: the caller words its reason without it
        out[iid] = read_shortfalls(data, el, res.x)
    return out


def _with_prerequisites(data: ProblemData, i: int) -> set[int]:
    """``i`` and every initiative it waits for, directly or not."""
    seen = {i}
    todo = [i]
    while todo:
        for p in data.initiatives[todo.pop()].depends_on:
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen
