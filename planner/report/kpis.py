"""KPI targets of a plan, read in one place.

KPI targets are growing (``target``, ``by``, ``must_meet``; per-year
``targets`` may follow), so every read of them is in :func:`kpi_targets` and
goes through ``getattr`` with the documented defaults: an older or newer
``KPI`` model still gives a report.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from models.plan import Plan
from planner.views import kpi_path

COLUMNS = [
    "kpi", "name", "objective", "unit", "baseline", "target", "by", "must_meet", "value_by",
    "year_end", "met", "gap", "path", "initiatives",
]


def _number(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def kpi_targets(plan: Plan) -> pd.DataFrame:
    """One row per KPI: its forecast path, target, the period it is due and whether it is met.

    The path is the ``kpi_path`` view's forecast per period. ``by`` is the
    KPI's ``by`` period when the model has one, else the last period;
    ``value_by`` is the forecast at the end of ``by``. A target below the
    baseline means lower is better. ``met`` is None when there is no target,
    ``gap`` is ``target - value_by``. ``must_meet`` is False when the model
    has no such field.
    """
    kp = kpi_path(plan)
    labels = [c for c in kp.columns if c in _labels(plan)]
    kpis = {k.id: k for k in plan.scenario.strategy.kpis}
    rows = []
    for r in kp.to_dict("records"):
        k = kpis.get(str(r["kpi"]))
        path = [_number(r[c]) for c in labels]
        target = _number(getattr(k, "target", None)) if k is not None else None
        baseline = _number(getattr(k, "baseline", None)) if k is not None else None
        by = getattr(k, "by", None) if k is not None else None
        by = str(by) if by is not None and str(by) in labels else (labels[-1] if labels else "")
        must = bool(getattr(k, "must_meet", False)) if k is not None else False
        value_by = path[labels.index(by)] if labels else None
        met: bool | None = None
        gap: float | None = None
        if target is not None and value_by is not None:
            down = baseline is not None and target < baseline
            met = value_by <= target + 1e-9 if down else value_by >= target - 1e-9
            gap = round(target - value_by, 6)
        rows.append({
            "kpi": str(r["kpi"]), "name": str(r.get("name") or r["kpi"]),
            "objective": str(r.get("objective") or ""), "unit": str(r.get("unit") or ""),
            "baseline": baseline, "target": target, "by": by, "must_meet": must,
            "value_by": value_by, "year_end": path[-1] if path else None, "met": met,
            "gap": gap, "path": path, "initiatives": str(r.get("initiatives") or ""),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _labels(plan: Plan) -> set[str]:
    from planner.periods import Calendar

    return set(Calendar(plan.scenario.horizon).labels)
