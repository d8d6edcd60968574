"""Plan against actual: variance of hours and money, initiatives behind, forecast finishes.

:func:`track` compares an actuals file (the columns of ``assignments.csv``, read by
:func:`planner.io.actuals.read_actuals`) with a plan:

- **What is compared.** Each (person, period) the actuals give, against the plan's
  rows of that person and period (a person without rows in a period is taken to have
  worked as planned: write a row of 0 hours to record no work). ``through`` is the
  latest period in the actuals. Contractors' rows are keyed by ``external:<skill>``.
- **Variance** (``actual - planned``) of person-hours and of labour cost (hours x the
  person's ``cost_per_hour``, contractors at their pool's rate) at the finest grain
  (``variance``: person, unit, period, work) and rolled up by initiative (``work``:
  an initiative or ``rtb:<unit>``), unit (the person's unit; a contractor's is the
  unit whose work it did), person and period.
- **Progress** (``progress``) of every initiative the plan started by ``through``:
  delivered hours (hours x proficiency, contractors 1.0) planned and actual to date;
  *behind* when the actual falls short of the planned by more than 0.01 h.
- **Forecast finish at the pace so far**, per effort line: ``pace = delivered to date /
  periods elapsed`` (from its start through ``through``), ``periods = ceil(remaining /
  pace)`` with ``remaining = line total - delivered to date`` (less 0.01 h of
  round-off); the initiative's forecast is ``through + the largest periods over its
  lines`` (when nothing remains: ``through`` if it was planned to finish later, else
  its planned finish). A line with hours remaining and nothing delivered has no pace:
  no forecast (``forecast_finish`` empty, ``note`` says which line). The forecast may
  lie beyond the horizon (labels continue).

:func:`track_tables` returns the tables by name (``planner track`` writes one CSV
each; the HTML report can render them as a section).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS, Plan
from planner.problem.calendar import Calendar

TOL = 0.01
MEASURES = ["planned_hours", "actual_hours", "hours_variance", "planned_cost", "actual_cost",
            "cost_variance"]
PROGRESS_COLUMNS = ["initiative", "start", "finish", "total", "planned_to_date",
                    "actual_to_date", "variance", "done_share", "behind", "pace", "remaining",
                    "forecast_finish", "periods_late", "note"]


@dataclass
class Tracking:
    """The result of :func:`track`: the period compared through and the tables."""

    through: str
    variance: pd.DataFrame
    by_initiative: pd.DataFrame
    by_unit: pd.DataFrame
    by_person: pd.DataFrame
    by_period: pd.DataFrame
    progress: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (the CSV files ``planner track`` writes)."""
        return {"variance": self.variance, "variance_by_initiative": self.by_initiative,
                "variance_by_unit": self.by_unit, "variance_by_person": self.by_person,
                "variance_by_period": self.by_period, "progress": self.progress}

    @property
    def behind(self) -> list[str]:
        """Initiatives behind their plan to date."""
        p = self.progress
        return [str(i) for i in p.loc[p["behind"], "initiative"]]


def _costed(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with ``cost`` (hours x rate), ``delivered`` and the ``group`` unit."""
    sc = plan.scenario
    rate = {p.id: p.cost_per_hour for p in sc.staff}
    pool = dict(zip(sc.external_ids(), (e.cost_per_hour for e in sc.external), strict=True))
    prof = {(p.id, k): q for p in sc.staff for k, q in p.skills.items()}
    f = rows[ASSIGNMENT_COLUMNS].copy()
    f["hours"] = f["hours"].astype(float)
    ext = f["contract"].fillna("") != ""
    r = np.where(ext, f["contract"].map(pool).astype(float).fillna(0.0),
                 f["person"].map(rate).astype(float).fillna(0.0))
    q = np.where(ext, 1.0, [prof.get(k, 0.0) for k in zip(f["person"], f["skill"],
                                                          strict=True)])
    f["cost"] = f["hours"].to_numpy() * r
    f["delivered"] = f["hours"].to_numpy() * q
    f["group"] = np.where(ext, f["for_unit"], f["unit"])
    return f


def track(plan: Plan, actuals: pd.DataFrame) -> Tracking:
    """Variance of ``actuals`` (``ASSIGNMENT_COLUMNS`` rows) against ``plan`` (see module)."""
    labels = Calendar(plan.scenario.horizon).labels
    order = {label: k for k, label in enumerate(labels)}
    given = set(zip(actuals["person"], actuals["period"], strict=True))
    if not given:
        raise ValueError("the actuals have no rows")
    through = max((str(p) for _x, p in given), key=order.__getitem__)
    a = plan.assignments
    covered = [k in given for k in zip(a["person"], a["period"], strict=True)]
    planned = _costed(plan, a[covered])
    actual = _costed(plan, actuals)
    keys = ["person", "group", "period", "work"]
    both = pd.concat([
        planned.groupby(keys)[["hours", "cost"]].sum().rename(
            columns={"hours": "planned_hours", "cost": "planned_cost"}),
        actual.groupby(keys)[["hours", "cost"]].sum().rename(
            columns={"hours": "actual_hours", "cost": "actual_cost"}),
    ], axis=1).fillna(0.0).reset_index().rename(columns={"group": "unit"})
    both["hours_variance"] = both["actual_hours"] - both["planned_hours"]
    both["cost_variance"] = both["actual_cost"] - both["planned_cost"]
    both = both.assign(_t=both["period"].map(order)).sort_values(
        ["_t", "unit", "person", "work"]).drop(columns="_t")
    detail = _round(both[["person", "unit", "period", "work", *MEASURES]])

    def roll(by: list[str], sort: list[str] | None = None) -> pd.DataFrame:
        g = both.groupby(by, sort=False)[MEASURES].sum().reset_index()
        if "period" in by:
            g = g.assign(_t=g["period"].map(order)).sort_values("_t").drop(columns="_t")
        else:
            g = g.sort_values(sort or by)
        return _round(g.reset_index(drop=True))

    return Tracking(through, detail, roll(["work"]), roll(["unit"]), roll(["person", "unit"]),
                    roll(["period"]), _progress(plan, labels, through, given, planned, actual))


def _round(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in MEASURES:
        if c in out:
            out[c] = out[c].round(4 if "hours" in c else 2) + 0.0
    return out.reset_index(drop=True)


def _progress(plan: Plan, labels: list[str], through: str, given: set[tuple[str, str]],
              planned: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """Delivered to date, behind or not, and the forecast finish of each started initiative."""
    order = {label: k for k, label in enumerate(labels)}
    t_end = order[through]
    a = plan.assignments
    all_planned = _costed(plan, a)
    to_date = all_planned[all_planned["period"].map(order) <= t_end]
    # delivered to date per line: the plan's, with the covered (person, period)s replaced
    keys = ["work", "for_unit", "skill"]
    plan_line = to_date.groupby(keys)["delivered"].sum()
    act_line = plan_line.sub(planned.groupby(keys)["delivered"].sum(), fill_value=0.0).add(
        actual.groupby(keys)["delivered"].sum(), fill_value=0.0)
    inits = {i.id: i for i in plan.scenario.initiatives}
    long = _labels_beyond(plan, len(labels) * 4)
    rows = []
    for r in plan.initiatives:
        if not r.selected or r.start is None or r.finish is None or order[r.start] > t_end:
            continue
        ini = inits[r.id]
        lines: dict[tuple[str, str], float] = defaultdict(float)
        for ln in ini.effort:
            lines[(ln.unit, ln.skill)] += ln.hours
        s, f = order[r.start], order[r.finish]
        elapsed = t_end - s + 1
        total = sum(lines.values())
        pl = sum(float(plan_line.get((r.id, u, k), 0.0)) for u, k in lines)
        ac = sum(float(act_line.get((r.id, u, k), 0.0)) for u, k in lines)
        worst, note = 0, ""
        for (u, k), h in sorted(lines.items()):
            got = float(act_line.get((r.id, u, k), 0.0))
            left = h - got
            if left <= TOL:
                continue
            if got <= 1e-9:
                worst, note = -1, f"no progress on {u}/{k}: no pace to forecast from"
                break
            # rounded hours must not cost a period: 0.01 h short counts as done
            worst = max(worst, math.ceil((left - TOL) / (got / elapsed)))
        remaining = max(total - ac, 0.0)
        if worst < 0:
            forecast = ""
        elif worst == 0:  # nothing remains: done early, or done as planned
            forecast = through if f > t_end else r.finish
        else:
            forecast = long[t_end + worst]
        late = "" if not forecast else long.index(forecast) - f
        rows.append([r.id, r.start, r.finish, round(total, 4), round(pl, 4), round(ac, 4),
                     round(ac - pl, 4), round(ac / total, 4) if total > 0 else 1.0,
                     bool(ac < pl - TOL), round(ac / elapsed, 4), round(remaining, 4),
                     forecast, late, note])
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def _labels_beyond(plan: Plan, periods: int) -> list[str]:
    """Period labels of the horizon and as many after it as asked."""
    h = plan.scenario.horizon
    return Calendar(h.model_copy(update={"periods": h.periods + periods})).labels


def track_tables(plan: Plan, actuals: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`track`'s tables by name (for ``planner track`` and the HTML report)."""
    return track(plan, actuals).tables()
