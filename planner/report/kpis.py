"""KPI targets of a plan, read in one place.

KPI targets are growing (``target``, ``by``, ``must_meet``; per-year
``targets`` may follow), so every read of them is in :func:`kpi_targets`: it
takes what the ``kpi_path`` view says (``by``, ``forecast``, ``met``,
``must_meet``, ``gap`` where the view has them) and otherwise works it out
from the view's path and the KPI, through ``getattr`` with the documented
defaults. An older or newer model or view still gives a report.
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


def _flag(x: Any) -> bool | None:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return None
    if isinstance(x, str):
        return {"true": True, "false": False}.get(x.strip().lower())
    return bool(x)


def kpi_targets(plan: Plan) -> pd.DataFrame:
    """One row per KPI: its forecast path, target, the period it is due and whether it is met.

    ``path`` is the ``kpi_path`` view's forecast per period. ``by`` is the
    period the target is due (the KPI's ``by``, else the last period);
    ``value_by`` the forecast then. A target below the baseline means lower is
    better. ``met`` is None without a target; ``gap`` is how far ``value_by``
    is from the target in the good direction (positive when short, 0 or less
    when met). ``must_meet`` is False when the model has no such field.
    """
    kp = kpi_path(plan)
    labels = [c for c in kp.columns if c in _labels(plan)]
    kpis = {k.id: k for k in plan.scenario.strategy.kpis}
    rows = []
    for r in kp.to_dict("records"):
        k = kpis.get(str(r["kpi"]))
        path = [_number(r[c]) for c in labels]
        target = _number(r.get("target", getattr(k, "target", None)))
        baseline = _number(r.get("baseline", getattr(k, "baseline", None)))
        by = r.get("by") or getattr(k, "by", None)
        by = str(by) if by is not None and str(by) in labels else (labels[-1] if labels else "")
        must = _flag(r.get("must_meet", getattr(k, "must_meet", False))) or False
        value_by = path[labels.index(by)] if labels else None
        met, gap = _flag(r.get("met")), _number(r.get("gap"))
        if target is None or value_by is None:
            met, gap = None, None
        elif "by" not in r or "met" not in r:  # the view predates targets with a due period
            down = baseline is not None and target < baseline
            gap = round((value_by - target) if down else (target - value_by), 6) + 0.0
            met = gap <= 1e-9
        rows.append({
            "kpi": str(r["kpi"]), "name": str(r.get("name") or r["kpi"]),
            "objective": str(r.get("objective") or ""), "unit": str(r.get("unit") or ""),
            "baseline": baseline, "target": target, "by": by, "must_meet": must,
            "value_by": value_by, "year_end": path[-1] if path else None, "met": met,
            "gap": gap, "path": path, "initiatives": str(r.get("initiatives") or ""),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _labels(plan: Plan) -> set[str]:
    from planner.problem.calendar import Calendar

    return set(Calendar(plan.scenario.horizon).labels)
