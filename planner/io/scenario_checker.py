"""The base of the cross-entity checks: located reporting and the scenario's ids.

:mod:`planner.io.validate` and :mod:`planner.io.validate_kpi` report through a
:class:`ScenarioChecker`, so every issue names file, item, field and line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from models.scenario import Initiative, Scenario
from planner.io.reporter import Reporter
from planner.io.sourcemap import SourceMap, suggest
from planner.problem.calendar import Calendar, PeriodError


def unknown(kind: str, value: str, known: Iterable[str]) -> str:
    """``unknown <kind> '<value>'`` with the closest known id suggested (or the known ids)."""
    known = list(known)
    hint = suggest(value, known)
    if not hint:
        if not known:
            hint = f" (no {kind}s are defined)"
        elif len(known) <= 8:
            hint = f" (known: {', '.join(known)})"
    return f"unknown {kind} '{value}'{hint}"


class ScenarioChecker(Reporter):
    """What every cross-entity check needs: the scenario, its ids, and located reporting."""

    def __init__(self, scenario: Scenario, source: SourceMap | None) -> None:
        super().__init__(scenario, source)
        self.s = scenario
        self.cal: Calendar | None = None
        # dicts, not sets: messages list known ids in document order
        self.units = dict.fromkeys(u.id for u in scenario.units)
        self.objectives = dict.fromkeys(o.id for o in scenario.strategy.objectives)
        self.kpis = dict.fromkeys(k.id for k in scenario.strategy.kpis)
        self.inits = {i.id: i for i in scenario.initiatives}
        self.index = {i.id: k for k, i in enumerate(scenario.initiatives)}
        # learners may work in a skill they wish to develop (at learner proficiency)
        self.skills = {sk for p in scenario.staff for sk in scenario.proficiencies(p)}
        self.external_skills = {e.skill for e in scenario.external}
        self.unit_skills: dict[str, set[str]] = defaultdict(set)
        for p in scenario.staff:
            self.unit_skills[p.unit] |= set(scenario.proficiencies(p))

    def period(self, path: Sequence[Any], label: str | None) -> int | None:
        """Period number of a label, reporting labels outside the horizon."""
        if label is None or self.cal is None:
            return None
        try:
            return self.cal.of(label)
        except PeriodError as exc:
            self.error(path, str(exc))
            return None

    def span(self, ini: Initiative) -> tuple[int, int] | None:
        """(first start, last finish) as period numbers, or None when labels are bad."""
        if self.cal is None:
            return None
        try:
            first = self.cal.of(ini.earliest_start) if ini.earliest_start is not None else 0
            last = self.cal.of(ini.deadline) if ini.deadline is not None else len(self.cal) - 1
        except PeriodError:
            return None
        return first, last
