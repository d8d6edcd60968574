"""KPI path: the forecast of each KPI period by period as chosen initiatives land."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.problem.kpi import Target, describe, forecast, outcomes, targets, total_impacts
from planner.views._common import PlanFacts, facts, join


def finish_periods(f: PlanFacts) -> dict[str, int]:
    """Chosen initiative id -> finish period number."""
    return {iid: fin for iid, (_s, fin) in f.starts.items()}


def kpi_path(plan: Plan) -> pd.DataFrame:
    """One row per KPI target: baseline, forecast at the end of each period, target and gap.

    The forecast at the end of a period is the baseline (0 when absent) plus the
    total impact (value paths included, :mod:`planner.problem.kpi`) of every chosen
    initiative that finishes in or before that period. A KPI has a row for its
    ``target`` and one for each yearly target (``target_year`` then names the
    year; the forecasts repeat), or one row without a target. ``direction`` is
    ``up`` (higher is better) or ``down`` (the target is below the baseline);
    empty without a target. ``by`` is the period by whose end the target is to be
    reached (a yearly target: that year's last period in the horizon) and
    ``forecast`` the value then (the plan's committed target); ``year_end`` the
    value at the end of the horizon. ``gap`` is how far ``forecast`` is from the
    target in the good direction: positive when short, 0 or negative when met
    (``met``). ``initiatives`` lists the chosen initiatives that move the KPI,
    directly or along a value path, in finish order.
    """
    f = facts(plan)
    labels = f.labels
    s = plan.scenario
    paths = forecast(s, finish_periods(f), len(labels))
    points: dict[str, list[Target]] = {}
    for tg in targets(s, f.calendar):
        points.setdefault(tg.id, []).append(tg)
    impacts = dict(zip((i.id for i in s.initiatives), total_impacts(s), strict=True))
    order = sorted(f.starts.items(), key=lambda x: (x[1][1], x[0]))
    rows = []
    for k in s.strategy.kpis:
        path = paths[k.id]
        cps: list[Target | None] = list(points.get(k.id, [])) or [None]
        for t in cps:
            row: dict[str, object] = {
                "kpi": k.id,
                "name": k.name or k.id,
                "objective": k.objective or "",
                "unit": k.unit or "",
                "direction": "" if t is None else ("down" if t.direction < 0 else "up"),
                "baseline": k.baseline,
            }
            for p, label in enumerate(labels):
                row[label] = round(path[p], 6)
            row["target"] = t.target if t is not None else None
            row["by"] = labels[t.by] if t is not None else ""
            row["target_year"] = t.year if t is not None and t.year is not None else ""
            row["forecast"] = round(path[t.by], 6) if t is not None else None
            row["year_end"] = round(path[-1], 6)
            row["gap"] = round(t.gap(path[t.by]), 6) + 0.0 if t is not None else None
            row["met"] = t.met(path[t.by]) if t is not None else None
            row["must_meet"] = k.must_meet
            row["initiatives"] = join([iid for iid, _sf in order if impacts[iid].get(k.id)])
            rows.append(row)
    columns = ["kpi", "name", "objective", "unit", "direction", "baseline", *labels, "target",
               "by", "target_year", "forecast", "year_end", "gap", "met", "must_meet",
               "initiatives"]
    return pd.DataFrame(rows, columns=columns)


def kpi_line(plan: Plan) -> str:
    """``KPI targets: 3 of 5 met; missed: nps 38 of 40 by 2027-12 (short 2)``."""
    f = facts(plan)
    return describe(outcomes(plan.scenario, finish_periods(f), f.calendar), f.labels)
