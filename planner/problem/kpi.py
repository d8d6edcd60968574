"""KPI forecasts: the one place where the maths of targets, value paths and gaps lives.

A KPI's forecast at the end of period ``t`` is its ``baseline`` (0 when absent)
plus the *total impact* of every chosen initiative that finishes in or before
``t``. An initiative's total impact on a KPI is its own ``kpi_impacts`` entry
plus, along the value paths (``drives``), the change it brings to each driving
KPI times the factor: with ``delivery_days: {drives: {nps: -2}}`` an initiative
that moves ``delivery_days`` by -1 moves ``nps`` by +2. Everything is linear, so
total impacts are computed once per initiative in topological order of
``drives`` (validation rules out cycles).

Direction and gap: a target below the baseline means lower is better
(``direction`` -1), otherwise higher is better (+1). ``gap`` is how far the
forecast is from the target in the good direction: ``direction x (target -
forecast)``, positive when short, 0 or negative when met.

Used by the formulation (:mod:`planner.formulation.kpi`), the greedy, the
diagnosis and the views. The plan checker re-implements the same rules
independently (:mod:`planner.checker.kpi`).
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from dataclasses import dataclass

from models.scenario import KPI, Scenario
from planner.problem.calendar import Calendar

#: a forecast within this of its target (relative to max(1, |target|)) meets it
MET_TOL = 1e-6


@dataclass(frozen=True)
class Target:
    """One KPI with a target, resolved to period numbers."""

    index: int  # position in strategy.kpis
    id: str
    baseline: float
    target: float
    by: int  # period number by whose end the target is to be reached
    direction: int  # +1 higher is better, -1 lower is better
    must_meet: bool
    objective: str | None

    @property
    def gap0(self) -> float:
        """The gap at the baseline: ``|target - baseline|``."""
        return abs(self.target - self.baseline)

    def gap(self, forecast: float) -> float:
        """How far ``forecast`` is from the target in the good direction (> 0: short)."""
        return self.direction * (self.target - forecast)

    def met(self, forecast: float) -> bool:
        """True when ``forecast`` reaches the target (within :data:`MET_TOL`)."""
        return self.gap(forecast) <= MET_TOL * max(1.0, abs(self.target))


def direction(kpi: KPI) -> int:
    """+1 when higher is better, -1 when lower is better (target below the baseline)."""
    base = kpi.baseline if kpi.baseline is not None else 0.0
    return -1 if kpi.target is not None and kpi.target < base else 1


def drive_order(kpis: list[KPI]) -> list[str]:
    """KPI ids with every driver before the KPIs it drives (unknown ids ignored)."""
    known = {k.id for k in kpis}
    preds: dict[str, set[str]] = {k.id: set() for k in kpis}
    for k in kpis:
        for other in k.drives:
            if other in known and other != k.id:
                preds[other].add(k.id)
    return list(graphlib.TopologicalSorter(preds).static_order())


def propagate(kpis: list[KPI], direct: Mapping[str, float]) -> dict[str, float]:
    """Total change of every KPI from ``direct`` changes, following ``drives``.

    Only non-zero changes are returned.
    """
    by_id = {k.id: k for k in kpis}
    change = {k: float(v) for k, v in direct.items() if k in by_id}
    for kid in drive_order(kpis):
        d = change.get(kid, 0.0)
        if d == 0.0:
            continue
        for other, factor in by_id[kid].drives.items():
            if other in by_id:
                change[other] = change.get(other, 0.0) + d * factor
    return {k: v for k, v in change.items() if v != 0.0}


def total_impacts(scenario: Scenario) -> list[dict[str, float]]:
    """Total impact of each initiative (in scenario order) on each KPI it moves."""
    kpis = scenario.strategy.kpis
    return [propagate(kpis, ini.kpi_impacts) for ini in scenario.initiatives]


def targets(scenario: Scenario, calendar: Calendar | None = None) -> list[Target]:
    """Every KPI with a target, in scenario order, with ``by`` as a period number."""
    cal = calendar or Calendar(scenario.horizon)
    out = []
    for k, kpi in enumerate(scenario.strategy.kpis):
        if kpi.target is None:
            continue
        out.append(Target(
            index=k,
            id=kpi.id,
            baseline=kpi.baseline if kpi.baseline is not None else 0.0,
            target=kpi.target,
            by=cal.of(kpi.by) if kpi.by is not None else len(cal) - 1,
            direction=direction(kpi),
            must_meet=kpi.must_meet,
            objective=kpi.objective,
        ))
    return out


def forecast(
    scenario: Scenario, finishes: Mapping[str, int], periods: int
) -> dict[str, list[float]]:
    """Forecast of every KPI at the end of each period.

    ``finishes`` maps each chosen initiative id to its finish period number.
    """
    impacts = dict(zip((i.id for i in scenario.initiatives), total_impacts(scenario),
                       strict=True))
    out: dict[str, list[float]] = {}
    for kpi in scenario.strategy.kpis:
        step = [0.0] * periods
        for iid, fin in finishes.items():
            x = impacts.get(iid, {}).get(kpi.id, 0.0)
            if x and 0 <= fin < periods:
                step[fin] += x
        value = kpi.baseline if kpi.baseline is not None else 0.0
        path = []
        for t in range(periods):
            value += step[t]
            path.append(value)
        out[kpi.id] = path
    return out


@dataclass(frozen=True)
class Outcome:
    """Where a plan leaves one KPI target."""

    target: Target
    forecast: float  # at the end of period ``by``

    @property
    def gap(self) -> float:
        """Distance to the target in the good direction (> 0: short)."""
        return self.target.gap(self.forecast)

    @property
    def met(self) -> bool:
        """True when the target is reached by ``by``."""
        return self.target.met(self.forecast)


def outcomes(
    scenario: Scenario, finishes: Mapping[str, int], calendar: Calendar | None = None
) -> list[Outcome]:
    """The forecast at ``by`` of every KPI target, for a plan given by its finish periods."""
    cal = calendar or Calendar(scenario.horizon)
    paths = forecast(scenario, finishes, len(cal))
    return [Outcome(t, paths[t.id][t.by]) for t in targets(scenario, cal)]


def describe(outs: list[Outcome], labels: list[str]) -> str:
    """``KPI targets: 3 of 5 met; missed: nps 38 of 40 by 2027-12 (short 2)``."""
    if not outs:
        return "KPI targets: none set"
    met = sum(o.met for o in outs)
    text = f"KPI targets: {met} of {len(outs)} met"
    missed = [o for o in outs if not o.met]
    if missed:
        parts = [f"{o.target.id} {o.forecast:.4g} of {o.target.target:.4g} by "
                 f"{labels[o.target.by]} (short {o.gap:.4g})" for o in missed]
        text += "; missed: " + ", ".join(parts)
    return text
