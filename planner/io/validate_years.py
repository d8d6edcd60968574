"""Cross-entity checks of the several-years fields (issue 15), called by :mod:`planner.io.validate`.

Errors: a per-year budget or yearly KPI target with ``period: index`` (its periods
have no calendar year), a year the horizon does not touch, a per-year budget
that leaves out a year of the horizon, ``discount_rate`` with ``period: index``,
``gap_max`` > 0 (phases with gaps are not supported), phase effort on an
unknown unit, a ``cost_profile`` of the wrong length, ``depends_on: [x.phase]``
naming an unknown phase or an initiative without phases (or itself).
Warnings: a phase skill nobody has; ``value_ramp`` without ``value_per_period``.
"""

from __future__ import annotations

from typing import Any

from models.scenario import Budget, Initiative
from planner.io.scenario_checker import ScenarioChecker, unknown
from planner.io.sourcemap import suggest
from planner.problem.phases import split_ref


def years_issues(ch: Any) -> None:
    """Report every issue of the several-years fields through ``ch`` (a validate checker)."""
    s = ch.s
    _budget(ch, ("policy", "budget"), s.policy.budget)
    for k, u in enumerate(s.units):
        _budget(ch, ("units", k, "budget"), u.budget)
    if s.policy.discount_rate > 0 and s.horizon.period == "index":
        ch.error(("policy", "discount_rate"),
                 "needs calendar periods (month, quarter or week): with period: index a "
                 "period has no length in years")
    for k, kpi in enumerate(s.strategy.kpis):
        for year in kpi.targets:
            _year(ch, ("strategy", "kpis", k, "targets", year), year, "a yearly target")
    for k, ini in enumerate(s.initiatives):
        _initiative(ch, k, ini)


def _years(ch: ScenarioChecker) -> list[int] | None:
    return ch.cal.years if ch.cal is not None and ch.cal.has_years else None


def _year(ch: ScenarioChecker, path: tuple[Any, ...], year: int, what: str) -> bool:
    """True when ``year`` is a calendar year of the horizon; reports it otherwise."""
    if ch.cal is None:
        return False
    if not ch.cal.has_years:
        ch.error(path, f"{what} needs calendar periods (month, quarter or week); with "
                       "period: index there are no calendar years")
        return False
    years = ch.cal.years
    if year not in years:
        ch.error(path, f"year {year} is outside the horizon ({years[0]} .. {years[-1]})")
        return False
    return True


def _budget(ch: ScenarioChecker, path: tuple[Any, ...], budget: Budget | None) -> None:
    if not isinstance(budget, dict) or ch.cal is None:
        return
    if not ch.cal.has_years:
        ch.error(path, "a budget per year needs calendar periods (month, quarter or week); "
                       "with period: index give one amount for the whole horizon")
        return
    ok = all([_year(ch, path + (year,), year, "a budget year") for year in budget])
    years = _years(ch) or []
    missing = [y for y in years if y not in budget]
    if ok and missing:
        ch.error(path, f"has no amount for {', '.join(map(str, missing))} (the horizon covers "
                       f"{years[0]} .. {years[-1]}): give every year, or one amount for the "
                       "whole horizon")


def _initiative(ch: Any, k: int, ini: Initiative) -> None:
    path = ("initiatives", k)
    for p, ph in enumerate(ini.phases):
        ppath = path + ("phases", p)
        if ph.gap_max > 0:
            ch.error(ppath + ("gap_max",),
                     f"gap_max {ph.gap_max} is not supported: phases run back to back "
                     "(gap_max: 0); split the initiative in two with a dependency to "
                     "allow time between them")
        for j, line in enumerate(ph.effort):
            if line.unit not in ch.units:
                ch.error(ppath + ("effort", j, "unit"), unknown("unit", line.unit, ch.units))
            ch._skill_demand(ppath + ("effort", j, "skill"), line.unit, line.skill, "effort",
                             line.hours)
    prof = ini.cost_profile
    if prof is not None:
        ok = len(prof) == ini.duration or (ini.phases and len(prof) == len(ini.phases))
        if not ok:
            want = (f"{len(ini.phases)} (one per phase) or {ini.duration} (one per active "
                    "period)" if ini.phases else f"{ini.duration} (one per active period)")
            ch.error(path + ("cost_profile",), f"has {len(prof)} shares; expected {want}")
    if ini.value_ramp > 1 and ini.value_per_period == 0:
        ch.warning(path + ("value_ramp",), "has no effect without value_per_period")
    for j, ref in enumerate(ini.depends_on):
        base, phase = split_ref(ref, ch.inits)
        if phase is None or base not in ch.inits:
            continue
        pre = ch.inits[base]
        if base == ini.id:
            ch.error(path + ("depends_on", j), "an initiative cannot depend on its own phase")
        elif not pre.phases:
            ch.error(path + ("depends_on", j),
                     f"'{base}' has no phases: depend on '{base}' itself")
        elif phase not in {p.name for p in pre.phases}:
            names = [p.name for p in pre.phases]
            hint = suggest(phase, names) or f" (its phases: {', '.join(names)})"
            ch.error(path + ("depends_on", j), f"'{base}' has no phase '{phase}'{hint}")
