"""Problem data: a validated scenario compiled into indexed arrays.

The formulation, the greedy baseline and the diagnosis read this object, never
the raw scenario, so that period labels, defaults and windows are resolved in
exactly one place.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, field

import numpy as np

from models.scenario import PRIORITIES, Scenario
from planner.problem.calendar import Calendar
from planner.problem.cohorts import Cohort, build_cohorts
from planner.problem.kpi import Target, targets, total_impacts


@dataclass
class InitiativeData:
    """One initiative with its window resolved to period numbers."""

    index: int
    id: str
    duration: int
    weight: float  # objective weight (score, value or blend)
    score: float  # strategic score
    value: float
    cost: float
    sponsor: str | None
    mandatory: bool
    misaligned: bool
    pin: str | None
    earliest: int  # first allowed start
    latest: int  # last allowed start (-1 when the window is impossible)
    lines: list[tuple[str, str, float]]  # merged (unit, skill, total hours)
    depends_on: list[int]
    exclusive_with: list[int]
    required: bool = False  # forced, or a prerequisite of a required initiative
    out_reason: str | None = None  # pinned out, rejected or not approved (then pin is "out")

    @property
    def starts(self) -> range:
        """Allowed start periods."""
        return range(self.earliest, self.latest + 1)

    @property
    def hours(self) -> float:
        """Total effort hours."""
        return float(sum(h for _, _, h in self.lines))

    @property
    def selectable(self) -> bool:
        """May enter the plan at all: not pinned out (unless mandatory), aligned with an
        objective (unless required), and with a possible start."""
        if self.pin == "out" and not self.mandatory:
            return False
        if self.misaligned and not self.required:
            return False
        return self.latest >= self.earliest

    @property
    def forced(self) -> bool:
        """Must be in the plan by its own rules (mandatory or pinned in)."""
        return self.mandatory or self.pin == "in"


@dataclass
class ExternalData:
    """One contractor pool, with its capacity per period."""

    index: int
    id: str
    skill: str
    cost_per_hour: float
    capacity: np.ndarray  # hours per period (0 before `from`)


@dataclass
class ProblemData:
    """Everything the optimiser needs, indexed by period number."""

    scenario: Scenario
    calendar: Calendar
    T: int
    units: list[str]
    skills: list[str]
    initiatives: list[InitiativeData]
    cohorts: list[Cohort]
    externals: list[ExternalData]
    rtb: dict[tuple[str, str], np.ndarray]  # (unit, skill) -> array (3, T): must, high, normal
    max_utilisation: float
    borrowing: bool
    budget: float | None
    unit_budgets: dict[str, float]
    per_hour: float  # average objective weight per effort hour (scale of penalties)
    penalty_high: float
    penalty_normal: float
    penalty_borrow: float
    money_weight: float  # objective weight of one unit of money spent on contractors
    earliness: float
    development_weight: float = 0.0  # reward per hour of a development wish met
    by_id: dict[str, InitiativeData] = field(default_factory=dict)
    #: KPI targets (``planner.problem.kpi``) and each initiative's total impact on each KPI
    kpis: list[Target] = field(default_factory=list)
    impacts: list[dict[str, float]] = field(default_factory=list)

    def earliness_factor(self, finish: int) -> float:
        """Multiplier of an initiative's weight when it finishes in period ``finish``.

        ``1 + earliness * (T - 1 - finish) / T``: finishing in the first period
        is worth ``earliness`` more than finishing in the last.
        """
        return 1.0 + self.earliness * (self.T - 1 - finish) / self.T


def compile_problem(scenario: Scenario) -> ProblemData:
    """Resolve labels, defaults, windows and cohorts of a validated scenario."""
    cal = Calendar(scenario.horizon)
    T = len(cal)
    pol = scenario.policy

    units = [u.id for u in scenario.units]
    skills = sorted(
        {s for p in scenario.staff for s in scenario.proficiencies(p)}
        | {r.skill for r in scenario.run_the_business}
        | {ln.skill for i in scenario.initiatives for ln in i.effort}
        | {e.skill for e in scenario.external}
    )

    rtb: dict[tuple[str, str], np.ndarray] = {}
    for line in scenario.run_the_business:
        arr = rtb.setdefault((line.unit, line.skill), np.zeros((3, T)))
        hours = line.hours if isinstance(line.hours, list) else [line.hours] * T
        arr[PRIORITIES.index(line.priority)] += np.asarray(hours, dtype=float)

    ids = {i.id: k for k, i in enumerate(scenario.initiatives)}
    scores = [scenario.strategic_score(i) for i in scenario.initiatives]
    values = [i.value for i in scenario.initiatives]
    weights = _weights(pol.objective, scores, values, [i.cost for i in scenario.initiatives])

    inits: list[InitiativeData] = []
    for k, ini in enumerate(scenario.initiatives):
        merged: dict[tuple[str, str], float] = {}
        for ln in ini.effort:
            merged[(ln.unit, ln.skill)] = merged.get((ln.unit, ln.skill), 0.0) + ln.hours
        lines = [(u, s, h) for (u, s), h in sorted(merged.items()) if h > 0]
        earliest = cal.of(ini.earliest_start) if ini.earliest_start else 0
        last_finish = cal.of(ini.deadline) if ini.deadline else T - 1
        latest = last_finish - ini.duration + 1
        if ini.start is not None:
            s = cal.of(ini.start)
            earliest, latest = (s, s) if earliest <= s <= latest else (s, s - 1)
        inits.append(
            InitiativeData(
                index=k,
                id=ini.id,
                duration=ini.duration,
                weight=weights[k],
                score=scores[k],
                value=ini.value,
                cost=ini.cost,
                sponsor=ini.sponsor,
                # status (issue 14): committed is mandatory; rejected, or proposed under
                # policy.plan_from=approved, is out like `pin: out`
                mandatory=ini.mandatory or ini.status == "committed",
                misaligned=scenario.is_misaligned(ini),
                pin="out" if scenario.out_reason(ini) else ini.pin,
                out_reason=scenario.out_reason(ini),
                earliest=earliest,
                latest=max(latest, earliest - 1),
                lines=lines,
                depends_on=[ids[d] for d in ini.depends_on],
                exclusive_with=[ids[x] for x in ini.exclusive_with],
            )
        )
    for item in inits:  # exclusivity is symmetric whichever side declared it
        for j in item.exclusive_with:
            if item.index not in inits[j].exclusive_with:
                inits[j].exclusive_with.append(item.index)
    _tighten_windows(inits)

    ext_ids = scenario.external_ids()
    externals = []
    for k, e in enumerate(scenario.external):
        cap = np.full(T, e.max_fte * cal.hours_per_fte)
        if e.from_ is not None:
            cap[: cal.of(e.from_)] = 0.0
        externals.append(ExternalData(k, ext_ids[k], e.skill, e.cost_per_hour, cap))

    total_hours = sum(i.hours for i in inits)
    total_weight = sum(i.weight for i in inits if i.hours > 0)
    per_hour = total_weight / total_hours if total_hours > 0 and total_weight > 0 else 1.0
    if pol.objective == "value":
        money_weight = 1.0
    else:
        rates = [e.cost_per_hour for e in scenario.external if e.cost_per_hour > 0]
        # a contractor hour at the average rate costs half the average weight per hour
        money_weight = 0.5 * per_hour / (sum(rates) / len(rates)) if rates else 0.0

    data = ProblemData(
        scenario=scenario,
        calendar=cal,
        T=T,
        units=units,
        skills=skills,
        initiatives=inits,
        cohorts=build_cohorts(scenario, cal, pol.max_utilisation),
        externals=externals,
        rtb=dict(sorted(rtb.items())),
        max_utilisation=pol.max_utilisation,
        borrowing=pol.borrowing,
        budget=pol.budget,
        unit_budgets={u.id: u.budget for u in scenario.units if u.budget is not None},
        per_hour=per_hour,
        penalty_high=pol.rtb_penalty.high * per_hour,
        penalty_normal=pol.rtb_penalty.normal * per_hour,
        penalty_borrow=pol.borrow_penalty * per_hour,
        money_weight=money_weight,
        earliness=pol.earliness,
        development_weight=pol.development.weight * per_hour,
    )
    data.by_id = {i.id: i for i in inits}
    data.kpis = targets(scenario, cal)
    data.impacts = total_impacts(scenario)
    return data


def _weights(
    objective: str, scores: list[float], values: list[float], costs: list[float]
) -> list[float]:
    """Objective weight of each initiative (before the earliness reward)."""
    if objective == "strategic":
        return list(scores)
    if objective == "value":
        return [v - c for v, c in zip(values, costs, strict=True)]
    total_s = sum(scores) or 1.0
    total_v = sum(values) or 1.0
    n = max(len(scores), 1)
    # blend: each initiative's share of the total score and of the total value, half each,
    # scaled so that the weights sum to the number of initiatives
    return [
        n * (0.5 * s / total_s + 0.5 * v / total_v)
        for s, v in zip(scores, values, strict=True)
    ]


def _tighten_windows(inits: list[InitiativeData]) -> None:
    """Prune start periods that dependencies make impossible.

    A dependant starts no earlier than each prerequisite's earliest finish + 1,
    and a prerequisite of a forced initiative must finish before that
    initiative's latest start.
    """
    order = _topological(inits)
    for i in order:
        for p in i.depends_on:
            pre = inits[p]
            i.earliest = max(i.earliest, pre.earliest + pre.duration)
    for i in inits:
        i.required = i.forced
    for i in reversed(order):
        if i.required:
            for p in i.depends_on:
                pre = inits[p]
                pre.required = True
                pre.latest = min(pre.latest, i.latest - pre.duration)
    for i in inits:
        i.latest = max(i.latest, i.earliest - 1)


def _topological(inits: list[InitiativeData]) -> list[InitiativeData]:
    """Prerequisites before dependants (validation has ruled out cycles)."""
    sorter = graphlib.TopologicalSorter({i.index: i.depends_on for i in inits})
    return [inits[k] for k in sorter.static_order()]
