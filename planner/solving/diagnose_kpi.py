"""Explain why no plan meets the ``must_meet`` KPI targets.

Called by :func:`planner.solving.diagnose.diagnose` once the required work alone fits.
The model is re-solved with a slack on every ``kpimust[k]`` row and the
objective of reaching the targets as closely as possible (the sum of the
shortfalls, each as a share of its gap); every other hard rule stays hard. For
each target still short, the answer gives the best reachable forecast, the
shortfall, and the initiatives that would move the KPI the right way but do
not count by ``by`` in that plan (left out, or finishing too late), with what
blocks them: the window or a prerequisite, an exclusive partner, the budget,
or capacity where and when (:func:`planner.solving.reasons.explain`).
"""

from __future__ import annotations

from dataclasses import replace

from planner.backends.base import SolverOptions
from planner.formulation.build import build
from planner.problem.data import ProblemData
from planner.problem.kpi import Target
from planner.solving.allocate import Schedule, assignments, read_solution
from planner.solving.diagnose import Diagnosis, Shortfall, diagnose_work
from planner.solving.reasons import explain


def diagnose_targets(
    data: ProblemData, backend: str = "highs", time_limit: float = 60.0
) -> list[tuple[Target, float, list[tuple[str, float, str]]]] | None:
    """``(target, shortfall, [(initiative, impact, what blocks it)])`` per target short.

    Returns None when the elastic model could not be solved.
    """
    from planner import backends

    f = build(data)
    m, v = f.model, f.vars
    m.col_obj = [0.0] * m.num_cols
    musts = [k for k in data.kpis if k.must_meet]
    slack: dict[str, int] = {}
    for k in musts:
        r = m.row_of(f"kpimust[{k.id}]")
        if r is None:
            continue
        scale = k.gap0 if k.gap0 > 0 else max(1.0, abs(k.target))
        col = m.add_var(f"kpishort[{k.id}]", obj=-1.0 / scale)
        m.add_term(r, col, 1.0)
        slack[k.id] = col
    res = backends.get(backend).solve(  # type: ignore[arg-type]
        m.arrays(), SolverOptions(time_limit=time_limit, gap=1e-6), None
    )
    if res.x is None:
        return None
    schedule, flows = read_solution(v, res.x)
    frame = None
    out = []
    for k in musts:
        short = float(res.x[slack[k.id]]) if k.id in slack else 0.0
        if short <= 1e-6 * max(1.0, k.gap0):
            continue
        if frame is None:
            frame = assignments(data, schedule, flows)
        out.append((k, short, _candidates(data, schedule, frame, k)))
    return out


def _candidates(
    data: ProblemData, schedule: Schedule, frame, k: Target
) -> list[tuple[str, float, str]]:
    """Initiatives that would move ``k`` the right way but do not count by ``by``."""
    labels = data.calendar.labels
    by = labels[k.by]
    out = []
    for ini in data.initiatives:
        x = data.impacts[ini.index].get(k.id, 0.0)
        if k.direction * x <= 0:
            continue
        s = schedule.starts.get(ini.index)
        if s is not None and s + ini.duration - 1 <= k.by:
            continue  # it already counts
        first_finish = ini.earliest + ini.duration - 1
        late = f"finishes in {labels[s + ini.duration - 1]}, after {by}; " if s is not None \
            else ""
        if first_finish > k.by:
            why = (f"cannot finish by {by}: its window and prerequisites allow "
                   f"{labels[min(first_finish, data.T - 1)]} at the earliest"
                   if first_finish < data.T else
                   f"cannot finish by {by}: it does not fit in its window")
        else:
            why = _blocker(data, schedule, frame, ini.index, k.by)
        out.append((ini.id, x, late + why))
    out.sort(key=lambda c: -abs(c[1]))
    return out


def _blocker(data: ProblemData, schedule: Schedule, frame, i: int, by: int) -> str:
    """What keeps initiative ``i`` from finishing by ``by`` in this plan (plain words)."""
    ini = data.initiatives[i]
    latest = min(ini.latest, by - ini.duration + 1)
    inits = list(data.initiatives)
    inits[i] = replace(ini, latest=latest)
    restricted = replace(data, initiatives=inits)
    starts = dict(schedule.starts)
    if i in starts:  # scheduled too late: consider it without its own hours
        del starts[i]
        frame = frame[frame["work"] != ini.id]
    reason = explain(restricted, Schedule(starts), frame, only={ini.id},
                     force=False).get(ini.id, "")
    if reason.startswith("trade-off"):
        reason = ("the capacity and money it needs by then go to other work that the "
                  "targets and required initiatives need")
    return reason


def diagnose(data: ProblemData, backend: str = "highs", time_limit: float = 60.0) -> Diagnosis:
    """Why a scenario is infeasible: the required work first, then ``must_meet`` targets.

    When the required work (mandatory and pinned initiatives, must RTB, budgets) cannot
    fit, that is what the diagnosis lists (:func:`~planner.solving.diagnose.diagnose_work`);
    when it fits, the infeasibility lies in the KPI targets that must be met.
    """
    d = diagnose_work(data, backend, time_limit)
    if d.found and not d.shortfalls and any(k.must_meet for k in data.kpis):
        return _targets(data, backend, time_limit, d.roles)
    return d


def _targets(data: ProblemData, backend: str, time_limit: float,
             roles: dict[str, str]) -> Diagnosis:
    """The required work fits: explain the ``must_meet`` targets no plan reaches."""
    found = diagnose_targets(data, backend, time_limit)
    if found is None:
        return Diagnosis([], found=False)
    labels = data.calendar.labels
    out = []
    for k, short, cands in found:
        best = k.target - k.direction * short
        text = (f"KPI {k.id} must reach {k.target:g} by {labels[k.by]} (must_meet): the best "
                f"reachable forecast is {best:.6g}, short by {short:.6g}.")
        if cands:
            parts = [f"{iid} ({x:+.6g}: {why})" for iid, x, why in cands]
            text += " Initiatives that could close it: " + "; ".join(parts)
        else:
            text += " No initiative moves it the right way."
        out.append(Shortfall("kpi", None, None, labels[k.by], short, [c[0] for c in cands],
                             kpi=k.id, note=text))
    return Diagnosis(out, roles=roles)
