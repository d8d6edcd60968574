"""Plan checker, KPI part: ``must_meet`` targets hold and ``kpi_path.csv`` tells the truth.

Part of the independent checker (:mod:`planner.checker`): it re-implements the
forecast rules of the scenario format from the scenario alone and imports
nothing from the formulation, the solve or :mod:`planner.problem.kpi`.

Rules
-----
``kpi_target``
    every ``must_meet`` target is reached by the end of its ``by`` period
    (default: the last) by the written plan: ``baseline`` + the impacts, along
    the ``drives`` value paths, of the selected initiatives finishing in or
    before ``by`` (amount: how far short).
``kpi_path``
    when ``kpi_path.csv`` is present, its per-period forecasts, ``forecast``,
    ``gap`` (target - forecast for a rising KPI, forecast - target for a
    falling one) and ``met`` agree with the forecast recomputed here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from models.scenario import KPI, Scenario
from planner.problem.calendar import Calendar

#: written values have 4 decimals: compare with this slack (+ 1e-6 relative)
TOL = 1e-4

Add = Callable[[str, str, "str | None", str, float], None]


def impacts(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Initiative id -> KPI -> total impact, following ``drives`` (depth-first, memoised)."""
    kpis = {k.id: k for k in scenario.strategy.kpis}
    # effect of one unit of change of KPI k on every KPI (itself included)
    memo: dict[str, dict[str, float]] = {}

    def unit_effect(k: str, depth: int = 0) -> dict[str, float]:
        if k in memo:
            return memo[k]
        if depth > len(kpis):
            raise ValueError("drives cycle")  # validation rules it out
        out = {k: 1.0}
        for other, factor in kpis[k].drives.items():
            if other in kpis:
                for j, x in unit_effect(other, depth + 1).items():
                    out[j] = out.get(j, 0.0) + factor * x
        memo[k] = out
        return out

    result: dict[str, dict[str, float]] = {}
    for ini in scenario.initiatives:
        tot: dict[str, float] = {}
        for k, x in ini.kpi_impacts.items():
            if k in kpis:
                for j, e in unit_effect(k).items():
                    tot[j] = tot.get(j, 0.0) + x * e
        result[ini.id] = tot
    return result


def forecasts(scenario: Scenario, cal: Calendar,
              finish: dict[str, int]) -> dict[str, list[float]]:
    """KPI -> forecast at the end of each period."""
    imp = impacts(scenario)
    out = {}
    for k in scenario.strategy.kpis:
        base = k.baseline if k.baseline is not None else 0.0
        out[k.id] = [base + sum(imp.get(i, {}).get(k.id, 0.0) for i, f in finish.items()
                                if f <= t) for t in range(len(cal))]
    return out


def check_kpis(scenario: Scenario, cal: Calendar, finish: dict[str, int], plan_dir: Path,
               add: Add, notes: list[str]) -> None:
    """Report ``kpi_target`` and ``kpi_path`` violations through ``add``."""
    paths = forecasts(scenario, cal, finish)
    for k in scenario.strategy.kpis:
        if k.target is None or not k.must_meet:
            continue
        by = cal.index.get(str(k.by)) if k.by is not None else len(cal) - 1
        if by is None:
            continue
        base = k.baseline if k.baseline is not None else 0.0
        down = k.target < base
        value = paths[k.id][by]
        short = (value - k.target) if down else (k.target - value)
        if short > 1e-6 * max(1.0, abs(k.target)):
            add("kpi_target", k.id, cal.labels[by],
                f"must_meet target {k.target:g} missed: the plan reaches {value:.6g}", short)
    path = plan_dir / "kpi_path.csv"
    if not path.is_file():
        if scenario.strategy.kpis:
            notes.append("kpi_path.csv absent: KPI forecasts not compared")
        return
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as e:
        add("file", "kpi_path.csv", None, f"{path} cannot be read: {e}", 1)
        return
    rows = {r["kpi"]: r for r in df.to_dict("records")} if "kpi" in df.columns else {}
    for k in scenario.strategy.kpis:
        row = rows.get(k.id)
        if row is None:
            add("kpi_path", k.id, None, "missing from kpi_path.csv", 1)
            continue
        _compare_row(k, row, paths[k.id], cal, add)


def _num(text: object) -> float | None:
    try:
        x = float(str(text))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _compare_row(k: KPI, row: dict[str, str], path: list[float], cal: Calendar, add: Add) -> None:
    def off(written: object, want: float, what: str, period: str | None) -> None:
        got = _num(written)
        if got is None or abs(got - want) > TOL + 1e-6 * abs(want):
            add("kpi_path", k.id, period, f"{what} is '{written}', the plan gives {want:.6g}",
                abs(got - want) if got is not None else 1)

    for t, label in enumerate(cal.labels):
        if label in row:
            off(row[label], path[t], "forecast", label)
    if k.target is None:
        return
    by = cal.index.get(str(k.by)) if k.by is not None else len(cal) - 1
    if by is None:
        return
    base = k.baseline if k.baseline is not None else 0.0
    sign = -1.0 if k.target < base else 1.0
    value = path[by]
    gap = sign * (k.target - value)
    if "forecast" in row:
        off(row["forecast"], value, "forecast at by", cal.labels[by])
    if "gap" in row:
        off(row["gap"], gap, "gap", cal.labels[by])
    if "met" in row:
        met = gap <= 1e-6 * max(1.0, abs(k.target))
        if str(row["met"]).strip().lower() != ("true" if met else "false"):
            add("kpi_path", k.id, cal.labels[by],
                f"met is '{row['met']}', the plan {'meets' if met else 'misses'} the target", 1)
