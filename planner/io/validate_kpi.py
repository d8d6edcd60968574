"""Cross-entity checks of KPI targets and value paths (called by :mod:`planner.io.validate`).

Errors: unknown KPIs in ``drives`` and ``sustains`` (with the closest id
suggested), a ``drives`` cycle (named), ``by`` outside the horizon, a
``must_meet`` KPI without a target. Warnings: ``by`` without a target, a target
equal to the baseline, a target without a baseline (forecasts start from 0),
and a ``must_meet`` target that no plan can reach even with every initiative
that can finish by ``by`` (a cheap static bound: exclusivity, capacity and money
are ignored, so passing it proves nothing).
"""

from __future__ import annotations

from models.scenario import KPI
from planner.io.cycles import find_cycles
from planner.io.scenario_checker import ScenarioChecker, unknown
from planner.problem.kpi import propagate


def kpi_issues(ch: ScenarioChecker) -> None:
    """Report every KPI-target issue of the checker's scenario through ``ch``."""
    s = ch.s
    kpis = s.strategy.kpis
    for k, kpi in enumerate(kpis):
        path = ("strategy", "kpis", k)
        for other in kpi.drives:
            if other not in ch.kpis:
                ch.error(path + ("drives", other), unknown("KPI", other, ch.kpis))
            elif other == kpi.id:
                ch.error(path + ("drives", other), "a KPI cannot drive itself")
        if kpi.by is not None:
            ch.period(path + ("by",), kpi.by)
            if kpi.target is None:
                ch.warning(path + ("by",), "has no effect without a target")
        if kpi.must_meet and kpi.target is None and not kpi.targets:
            ch.error(path + ("must_meet",), "a must_meet KPI needs a target (or yearly targets)")
        if kpi.target is not None:
            if kpi.baseline is None:
                ch.warning(path + ("target",), "has no baseline: its forecast starts from 0")
            elif kpi.target == kpi.baseline:
                ch.warning(path + ("target",),
                           f"equals the baseline {kpi.baseline:g}: it is met without any "
                           "initiative, and its direction (higher or lower is better) is "
                           "unknown")
    for k, line in enumerate(s.run_the_business):
        for j, other in enumerate(line.sustains):
            if other not in ch.kpis:
                ch.error(("run_the_business", k, "sustains", j), unknown("KPI", other, ch.kpis))
    if _cycles(ch):
        return
    _unreachable(ch)


def _cycles(ch: ScenarioChecker) -> bool:
    """Report each ``drives`` cycle once; True when there is one."""
    kpis = ch.s.strategy.kpis
    index = {kpi.id: k for k, kpi in enumerate(kpis)}
    graph = {kpi.id: [d for d in kpi.drives if d in index and d != kpi.id] for kpi in kpis}
    cycles, _ = find_cycles(graph)
    for cycle in cycles:
        ch.error(("strategy", "kpis", index[cycle[-1]], "drives"),
                 f"value path cycle: {' -> '.join(cycle)} (each drives the next)")
    return bool(cycles)


def _unreachable(ch: ScenarioChecker) -> None:
    """Warn about ``must_meet`` targets beyond every initiative that can finish by ``by``."""
    s, cal = ch.s, ch.cal
    if cal is None:
        return
    kpis = s.strategy.kpis
    if any(k.id in kpi.drives for kpi in kpis for k in kpis if k.id not in ch.kpis):
        return
    impacts = [propagate(kpis, {k: x for k, x in ini.kpi_impacts.items() if k in ch.kpis})
               for ini in s.initiatives]
    for k, kpi in enumerate(kpis):
        if not kpi.must_meet:
            continue
        points: list[tuple[int, float, tuple[object, ...]]] = []
        try:
            if kpi.target is not None:
                points.append((cal.of(kpi.by) if kpi.by is not None else len(cal) - 1,
                               kpi.target, ("target",)))
            for year, value in kpi.targets.items():
                points.append((cal.year_end(year), value, ("targets", year)))
        except Exception:  # reported elsewhere (by or a year outside the horizon)
            continue
        for by, target, field in points:
            _reach(ch, k, kpi, impacts, by, target, field)


def _reach(ch: ScenarioChecker, k: int, kpi: KPI, impacts: list[dict[str, float]], by: int,
           target: float, field: tuple[object, ...]) -> None:
    """Warn when even every initiative that can finish by ``by`` misses ``target``."""
    s, cal = ch.s, ch.cal
    assert cal is not None
    base = kpi.baseline if kpi.baseline is not None else 0.0
    d = -1 if target < base else 1
    best = 0.0
    for ini, imp in zip(s.initiatives, impacts, strict=True):
        x = d * imp.get(kpi.id, 0.0)
        if ini.mandatory:
            best += x  # in every plan, for better or worse
            continue
        if x <= 0 or ini.pin == "out" or s.is_misaligned(ini):
            continue
        win = ch.span(ini)
        if win is None:
            continue
        if win[0] + ini.duration - 1 <= min(by, win[1]):
            best += x
    gap = abs(target - base)
    if best < gap - 1e-9 * max(1.0, gap):
        reach = base + d * best
        ch.warning(("strategy", "kpis", k, *field),
                   f"must_meet target {target:g} cannot be reached by "
                   f"{cal.labels[by]} even with every initiative that can finish by then "
                   f"(at best {reach:g}): the plan will be infeasible")
