"""Views of a plan re-planned as of a period (``--as-of``); empty for any other plan.

- ``in_flight``: each initiative running at the as-of period, per effort line: its
  total, delivered before the as-of period, remaining, per period from then on, and
  whether the remaining hours came from ``progress.csv``;
- ``past_exceptions``: rules the past breaks (from the actuals or the baseline);
- ``actuals``, ``baseline_past``, ``progress``: the rows the past was fixed to and the
  progress given, so that the plan folder carries what ``planner check`` needs.

:data:`REPLAN_FILES` are written into the plan folder next to the usual views.
"""

from __future__ import annotations

import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS, Plan

IN_FLIGHT_COLUMNS = ["initiative", "start", "planned_finish", "finish", "unit", "skill",
                     "total", "delivered", "remaining", "per_period", "source"]
EXCEPTION_COLUMNS = ["rule", "item", "period", "message", "amount", "source"]
PROGRESS_COLUMNS = ["initiative", "unit", "skill", "remaining_hours"]
#: files a re-planned plan folder holds besides the views
REPLAN_FILES = ("in_flight", "past_exceptions", "actuals", "baseline_past", "progress")


def in_flight(plan: Plan) -> pd.DataFrame:
    """Remaining effort of every in-flight initiative, per line (empty without a re-plan)."""
    rows = []
    if plan.replan is not None:
        for f in plan.replan.in_flight:
            for ln in f.lines:
                rows.append((f.id, f.start, f.planned_finish, f.finish, ln.unit, ln.skill,
                             ln.total, ln.delivered, ln.remaining, ln.per_period,
                             "progress" if ln.from_progress else "past"))
    return pd.DataFrame(rows, columns=IN_FLIGHT_COLUMNS)


def past_exceptions(plan: Plan) -> pd.DataFrame:
    """Rules the frozen past breaks (overtime, ...): reported, never refused."""
    rows = [] if plan.replan is None else [
        [getattr(e, c) for c in EXCEPTION_COLUMNS] for e in plan.replan.past_exceptions]
    return pd.DataFrame(rows, columns=EXCEPTION_COLUMNS)


def replan_frames(plan: Plan) -> dict[str, pd.DataFrame]:
    """The :data:`REPLAN_FILES` frames of a re-planned plan (empty dict otherwise).

    ``actuals`` and ``progress`` only when they were given.
    """
    rp = plan.replan
    if rp is None:
        return {}
    out = {"in_flight": in_flight(plan), "past_exceptions": past_exceptions(plan)}
    if rp.actuals_file is not None:
        out["actuals"] = rp.rows("actuals")
    out["baseline_past"] = rp.rows("baseline_past")
    if rp.progress_file is not None:
        out["progress"] = pd.DataFrame(rp.progress, columns=PROGRESS_COLUMNS)
    for name in ("actuals", "baseline_past"):
        if name in out:
            out[name] = out[name][ASSIGNMENT_COLUMNS]
    return out
