"""What a re-plan as of a period changed against its baseline, and because of what.

:func:`replan_changes` is ``changes.csv`` of a plan made with ``--as-of``. Each row
has a ``cause``:

- ``actuals``: the past differs from the baseline (``past hours``: hours per piece
  of work and period), and so does the remaining effort of an in-flight initiative
  (``remaining effort``: hours still to deliver on it, planned against now);
- ``progress``: ``progress.csv`` changed an initiative's remaining effort, moved its
  finish (``finish moved``) or made it late for its deadline (``late``);
- ``replan``: what the re-plan decided for the rest of the year (``dropped``,
  ``added``, ``moved``, as in a re-plan without ``--as-of``, and ``stopped``, for a
  started initiative pinned out).
"""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.analysis.compare import baseline_changes

COLUMNS = ["cause", "initiative", "change", "period", "base_start", "start", "base_finish",
           "finish", "shift", "base_hours", "hours", "reason"]


def replan_changes(base: Plan, plan: Plan) -> pd.DataFrame:
    """Changes of ``plan`` (made as of a period) against ``base``, with their cause."""
    rp = plan.replan
    if rp is None:
        return baseline_changes(base, plan).assign(cause="replan")
    rows: list[dict[str, object]] = []
    rows += _past_hours(base, plan)
    rows += _in_flight(base, plan)
    started = {f.id for f in rp.in_flight} | set(rp.done) | {s.id for s in rp.stopped}
    for s in rp.stopped:
        rows.append({"cause": "replan", "initiative": s.id, "change": "stopped",
                     "base_start": s.start, "reason": plan.initiative(s.id).reason})
    for r in baseline_changes(base, plan).to_dict("records"):
        if r["initiative"] not in started:
            rows.append({"cause": "replan", **r})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"shift": "Int64"})


def _past_hours(base: Plan, plan: Plan) -> list[dict[str, object]]:
    """Hours per piece of work and past period that the actuals changed."""
    rp = plan.replan
    assert rp is not None
    labels = _labels(plan)
    past = set(labels[:labels.index(rp.as_of)])

    def per_work(frame: pd.DataFrame) -> pd.Series:
        f = frame[frame["period"].isin(past)]
        return f.groupby(["work", "period"])["hours"].sum()

    b, n = per_work(base.assignments), per_work(plan.assignments)
    both = pd.concat([b.rename("b"), n.rename("n")], axis=1).fillna(0.0)
    both = both[(both["b"] - both["n"]).abs() > 1e-3]
    order = {label: k for k, label in enumerate(labels)}
    out = []
    for (work, period), r in sorted(both.iterrows(), key=lambda x: (order[x[0][1]], x[0][0])):
        d = r["n"] - r["b"]
        out.append({"cause": "actuals", "initiative": work, "change": "past hours",
                    "period": period, "base_hours": round(r["b"], 4), "hours": round(r["n"], 4),
                    "reason": f"{abs(d):,.4g} h {'more' if d > 0 else 'less'} than planned"})
    return out


def _in_flight(base: Plan, plan: Plan) -> list[dict[str, object]]:
    """Remaining effort, finish and deadline of each in-flight initiative."""
    rp = plan.replan
    assert rp is not None
    labels = _labels(plan)
    t0 = labels.index(rp.as_of)
    inits = {i.id: i for i in plan.scenario.initiatives}
    out: list[dict[str, object]] = []
    for f in rp.in_flight:
        ini = inits[f.id]
        planned_left = max(labels.index(f.planned_finish) - t0 + 1, 0)
        for cause, lines in (("actuals", [ln for ln in f.lines if not ln.from_progress]),
                             ("progress", [ln for ln in f.lines if ln.from_progress])):
            was = sum(ln.total / ini.duration * planned_left for ln in lines)
            now = sum(ln.remaining for ln in lines)
            if abs(was - now) > 1e-3:
                which = ", ".join(f"{ln.unit}/{ln.skill} {ln.remaining:,.4g} h" for ln in lines)
                out.append({"cause": cause, "initiative": f.id, "change": "remaining effort",
                            "base_hours": round(was, 4), "hours": round(now, 4),
                            "reason": f"{now:,.4g} h remain (planned {was:,.4g}): {which}"})
        if f.finish != f.planned_finish:
            out.append({"cause": "progress", "initiative": f.id, "change": "finish moved",
                        "base_start": f.start, "start": f.start,
                        "base_finish": f.planned_finish, "finish": f.finish,
                        "shift": labels.index(f.finish) - labels.index(f.planned_finish),
                        "reason": "remaining hours at the planned pace need more periods"})
        if ini.deadline is not None and labels.index(f.finish) > labels.index(str(ini.deadline)):
            out.append({"cause": "progress", "initiative": f.id, "change": "late",
                        "finish": f.finish,
                        "reason": f"finishes in {f.finish}, after its deadline {ini.deadline}"})
    return out


def _labels(plan: Plan) -> list[str]:
    from planner.problem.calendar import Calendar

    return Calendar(plan.scenario.horizon).labels
