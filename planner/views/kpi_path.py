"""KPI path: the expected value of each KPI period by period as chosen initiatives land."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts, join


def kpi_path(plan: Plan) -> pd.DataFrame:
    """One row per KPI: baseline, expected value in each period, target and gap.

    An initiative's ``kpi_impacts`` count from the period after it finishes. One
    column per period label holds the expected value at that period. When a KPI
    has no baseline the path starts from 0 (it then shows the change).
    ``year_end`` is the value in the last period; ``pending`` is the impact of
    initiatives finishing in the last period (it lands after the horizon).
    ``gap`` is ``target - year_end``; ``met`` says whether ``year_end`` reached
    the target in the direction of travel (down when the target is below the
    baseline). ``initiatives`` lists the chosen initiatives that move the KPI.
    """
    f = facts(plan)
    labels = f.labels
    T = len(labels)
    rows = []
    for k in plan.scenario.strategy.kpis:
        base = k.baseline if k.baseline is not None else 0.0
        path = [base] * T
        pending = 0.0
        movers = []
        for iid, (_s, fin) in sorted(f.starts.items(), key=lambda x: (x[1][1], x[0])):
            impact = f.initiatives[iid].kpi_impacts.get(k.id)
            if not impact:
                continue
            movers.append(iid)
            if fin + 1 >= T:
                pending += impact
            for t in range(fin + 1, T):
                path[t] += impact
        row: dict[str, object] = {
            "kpi": k.id,
            "name": k.name or k.id,
            "objective": k.objective or "",
            "unit": k.unit or "",
            "baseline": k.baseline,
        }
        for t, label in enumerate(labels):
            row[label] = round(path[t], 6)
        year_end = round(path[-1], 6)
        row["target"] = k.target
        row["year_end"] = year_end
        row["pending"] = round(pending, 6)
        if k.target is None:
            row["gap"], row["met"] = None, None
        else:
            down = k.baseline is not None and k.target < k.baseline
            row["gap"] = round(k.target - year_end, 6)
            row["met"] = bool(year_end <= k.target + 1e-9 if down else year_end >= k.target - 1e-9)
        row["initiatives"] = join(movers)
        rows.append(row)
    columns = ["kpi", "name", "objective", "unit", "baseline", *labels, "target", "year_end",
               "pending", "gap", "met", "initiatives"]
    return pd.DataFrame(rows, columns=columns)
