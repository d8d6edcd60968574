"""Rules on ``plan.json``: it parses, its run is honest, and it is the plan the CSVs show.

``plan_json``
    ``plan.json`` is a JSON object of format ``planner-plan/1``; ``run.status`` is
    ``optimal`` or ``feasible`` (an interrupted solve is ``feasible`` with
    ``run.interrupted``); ``run.objective`` is a finite number, ``run.bound`` (when
    given) is not below it and an ``optimal`` plan's gap is at most 1e-6;
    ``overrides`` is a list of ``path=value`` texts; its initiatives (chosen,
    start, finish) are those of ``portfolio.csv`` and its assignments those of
    ``assignments.csv`` (hours to 4 decimals).
``objective``
    ``run.objective`` equals the objective recomputed from the scenario's policy
    and the written plan (:mod:`planner.checker.objective`), less ``run.stability_cost``
    for a plan made against a baseline (which may not be negative), within the
    rounding of the written hours and the model's 1e-7 tie-break.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS
from planner.checker.context import Context
from planner.checker.objective import recompute

FORMAT = "planner-plan/1"
KNOWN_STATUS = ("optimal", "feasible")
#: relative gap at or below which a plan may be called optimal (as the solve decides)
PROVEN_GAP = 1e-6


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(x) else None


def check_run(ctx: Context, data: dict[str, Any]) -> dict[str, Any] | None:
    """The envelope and ``run`` of plan.json; returns ``run`` when it is usable."""
    def bad(message: str, amount: float = 1) -> None:
        ctx.add("plan_json", "plan.json", None, message, amount)

    if data.get("format") != FORMAT:
        bad(f"format is {str(data.get('format'))[:40]!r}, expected {FORMAT!r}")
    overrides = data.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        bad("overrides is not a list of path=value texts")
    run = data.get("run")
    if not isinstance(run, dict):
        bad("has no run object (status, objective, bound, gap)")
        return None
    status = run.get("status")
    if status not in KNOWN_STATUS:
        bad(f"run.status is {str(status)[:40]!r}, not one of {', '.join(KNOWN_STATUS)}")
    if not isinstance(run.get("interrupted", False), bool):
        bad("run.interrupted is not true or false")
    objective = _number(run.get("objective"))
    if objective is None:
        bad(f"run.objective is {str(run.get('objective'))[:40]!r}, not a finite number")
        return None
    bound = run.get("bound")
    if bound is not None:
        b = _number(bound)
        if b is None:
            bad(f"run.bound is {str(bound)[:40]!r}, not a finite number")
        elif b < objective - 1e-6 * max(1.0, abs(objective)):
            bad(f"run.bound {b:.6g} is below the objective {objective:.6g} (the plan "
                "maximises: no plan can beat its bound)", objective - b)
    gap = run.get("gap")
    g = _number(gap) if gap is not None else None
    if gap is not None and (g is None or g < 0):
        bad(f"run.gap is {str(gap)[:40]!r}, not a number >= 0")
    if status == "optimal" and g is not None and g > PROVEN_GAP:
        bad(f"run.status is optimal but the gap is {g:.6g}", g)
    return run


def check_objective(ctx: Context, run: dict[str, Any], a: pd.DataFrame) -> None:
    """``run.objective`` against the objective recomputed from the written plan."""
    objective = float(run["objective"])
    cost = run.get("stability_cost")
    stability = _number(cost) if cost is not None else 0.0
    if stability is None:
        ctx.add("plan_json", "plan.json", None,
                f"run.stability_cost is {str(cost)[:40]!r}, not a finite number", 1)
        return
    terms = recompute(ctx, a)
    tol = terms.tolerance(objective)
    if stability < -tol:
        ctx.add("objective", "plan.json", None,
                f"run.stability_cost is {stability:.6g}: changes from a baseline cannot "
                "raise the objective", -stability)
    want = terms.total - stability
    if abs(objective - want) > tol:
        parts = (f"initiatives {terms.initiatives:.6g} - RTB short high {terms.rtb_high:.6g} "
                 f"- normal {terms.rtb_normal:.6g} - borrowing {terms.borrowing:.6g} "
                 f"- contractors {terms.contractors:.6g} + KPI targets {terms.kpi:.6g}")
        if stability:
            parts += f" - stability {stability:.6g}"
        ctx.add("objective", "plan.json", None,
                f"run.objective is {objective:.10g}, the written plan gives {want:.10g} "
                f"({parts})", abs(objective - want))


def check_agreement(ctx: Context, data: dict[str, Any], pf: pd.DataFrame | None,
                    a: pd.DataFrame | None) -> None:
    """plan.json's initiatives and assignments are those of portfolio.csv and assignments.csv."""
    inits = data.get("initiatives")
    if pf is not None and isinstance(inits, list):
        written = {str(r.get("id")): r for r in inits if isinstance(r, dict)}
        for row in pf.drop_duplicates("initiative").to_dict("records"):
            r = written.get(row["initiative"])
            if r is None:
                ctx.add("plan_json", row["initiative"], None,
                        "is in portfolio.csv but not in plan.json", 1)
                continue
            chosen = str(row["selected"]).strip().lower() in ("true", "1", "yes")
            same = (bool(r.get("selected")) == chosen
                    and (r.get("start") or "") == str(row["start"]).strip()
                    and (r.get("finish") or "") == str(row["finish"]).strip())
            if not same:
                ctx.add("plan_json", row["initiative"], None,
                        f"plan.json has selected={r.get('selected')}, start={r.get('start')}, "
                        f"finish={r.get('finish')}; portfolio.csv has selected="
                        f"{row['selected']}, start={row['start']}, finish={row['finish']}", 1)
    table = data.get("assignments")
    if a is None or not isinstance(table, dict):
        if a is not None:
            ctx.add("plan_json", "plan.json", None, "has no assignments table", 1)
        return
    try:
        js = pd.DataFrame(table["data"], columns=table["columns"])
        js = js[list(ASSIGNMENT_COLUMNS)]
    except (KeyError, ValueError, TypeError) as exc:
        ctx.add("plan_json", "plan.json", None, f"its assignments cannot be read: {exc}", 1)
        return
    keys = [c for c in ASSIGNMENT_COLUMNS if c != "hours"]
    js = js.fillna({c: "" for c in keys})
    js[keys] = js[keys].astype(str)
    hours = pd.to_numeric(js["hours"], errors="coerce").to_numpy(dtype=float)
    # as for assignments.csv: a bad number counts 0 (the ``hours`` rule reports it there)
    js["hours"] = np.where(np.isfinite(hours) & (hours >= 0), hours, 0.0)
    left = js.groupby(keys, sort=False)["hours"].agg(["sum", "size"]).add_suffix("_json")
    right = a.groupby(keys, sort=False)["hours"].agg(["sum", "size"]).add_suffix("_csv")
    m = left.join(right, how="outer").fillna(0.0)
    diff = (m["sum_json"] - m["sum_csv"]).abs()
    rows = np.maximum(m["size_json"], m["size_csv"])
    off = m[~(diff <= 1e-4 * np.maximum(rows, 1) + 1e-9)]
    for key, r in off.head(50).iterrows():
        d = dict(zip(keys, key, strict=True))
        ctx.add("plan_json", d["person"], d["period"],
                f"{d['work']} ({d['skill']}): plan.json has {r['sum_json']:.4f} h, "
                f"assignments.csv {r['sum_csv']:.4f} h", float(diff[key]))
    if len(off) > 50:
        ctx.report.notes.append(f"plan.json and assignments.csv differ in {len(off)} "
                                "assignments; the first 50 are listed")
