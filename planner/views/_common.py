"""Shared building blocks of the plan views (not a view itself).

Everything here is derived from the :class:`~models.plan.Plan` alone (its
scenario and its assignments), so every view can be rebuilt from ``plan.json``.
Hours come in two kinds, and the views always say which:

* person-hours: the time a person (or contractor) spends, ``assignments.hours``;
* delivered hours: the work done, person-hours x the person's proficiency in
  the skill (contractors 1.0). Demand (RTB and initiative effort) is in
  delivered hours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from models.plan import Plan
from models.scenario import PRIORITIES, Initiative
from planner.problem.calendar import Calendar
from planner.problem.cohorts import person_capacity

#: Shortfalls and differences below this many hours are round-off, not shortfalls.
TOL = 1e-3


def r4(x: float) -> float:
    """Hours rounded to 4 decimals (as in the assignments), with -0.0 turned into 0.0."""
    y = round(float(x), 4)
    return 0.0 if y == 0 else y


def ratio(num: float, den: float) -> float:
    """``num / den`` rounded to 4 decimals; NaN when there is nothing to divide by."""
    return round(num / den, 4) if den > 1e-9 else float("nan")


@dataclass
class PlanFacts:
    """Indexed facts of one plan, computed once and shared by the views."""

    plan: Plan
    #: Results derived once and shared by the views (e.g. ``workload``, money rows).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memoised(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()`` once per facts object; later calls return the same result."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    @cached_property
    def calendar(self) -> Calendar:
        """The horizon's calendar."""
        return Calendar(self.plan.scenario.horizon)

    @property
    def labels(self) -> list[str]:
        """Period labels in order."""
        return self.calendar.labels

    @cached_property
    def period_index(self) -> dict[str, int]:
        """Period label -> period number."""
        return {label: k for k, label in enumerate(self.labels)}

    @cached_property
    def units(self) -> list[str]:
        """Unit ids in scenario order."""
        return [u.id for u in self.plan.scenario.units]

    @cached_property
    def available(self) -> np.ndarray:
        """Hours each person is available per period, shape (staff, T)."""
        return person_capacity(self.plan.scenario, self.calendar)

    @cached_property
    def capacity(self) -> np.ndarray:
        """Planned-hours limit of each person per period: available x max_utilisation."""
        return self.available * self.plan.scenario.policy.max_utilisation

    @cached_property
    def staff_index(self) -> dict[str, int]:
        """Person id -> index into ``scenario.staff``."""
        return {p.id: k for k, p in enumerate(self.plan.scenario.staff)}

    @cached_property
    def initiatives(self) -> dict[str, Initiative]:
        """Scenario initiatives by id."""
        return {i.id: i for i in self.plan.scenario.initiatives}

    @cached_property
    def sponsor(self) -> dict[str, str | None]:
        """Initiative id -> sponsoring unit."""
        return {i.id: i.sponsor for i in self.plan.scenario.initiatives}

    @cached_property
    def ext_rate(self) -> dict[str, float]:
        """Contract (external pool id) -> cost per hour."""
        s = self.plan.scenario
        return {cid: e.cost_per_hour for cid, e in zip(s.external_ids(), s.external, strict=True)}

    @cached_property
    def skill_table(self) -> pd.Series:
        """Proficiency per (person id, skill) of the staff; wished skills at learner proficiency."""
        sc = self.plan.scenario
        pairs = [(p.id, sk, float(q)) for p in sc.staff for sk, q in sc.proficiencies(p).items()]
        frame = pd.DataFrame(pairs, columns=["person", "skill", "q"]).drop_duplicates(
            ["person", "skill"], keep="last")
        return frame.set_index(["person", "skill"])["q"]

    @cached_property
    def assignments(self) -> pd.DataFrame:
        """The plan's assignments with ``delivered``, ``external``, ``change`` and ``initiative``.

        ``initiative`` is the initiative id, or ``""`` for RTB work.
        """
        a = self.plan.assignments.copy()
        for col in ("unit", "contract", "for_unit"):
            a[col] = a[col].fillna("").astype(str)
        a["hours"] = a["hours"].astype(float)
        a["external"] = a["contract"] != ""
        a["change"] = ~a["work"].astype(str).str.startswith("rtb:")
        skills = self.skill_table
        key = pd.MultiIndex.from_arrays([a["person"], a["skill"]])
        prof = skills.reindex(key).to_numpy(dtype=float, na_value=0.0, copy=True)
        prof[a["external"].to_numpy(dtype=bool)] = 1.0
        # rounded per row as written, so every view's sums of delivered hours match
        # assignments.csv exactly (a sum of 4-decimal numbers stays on the 4-decimal grid)
        a["delivered"] = np.round(a["hours"].to_numpy() * prof, 4)
        a["initiative"] = a["work"].where(a["change"], "")
        a["t"] = a["period"].map(self.period_index).astype(int)
        return a

    @cached_property
    def starts(self) -> dict[str, tuple[int, int]]:
        """Chosen initiative id -> (start period, finish period) numbers."""
        out = {}
        for r in self.plan.initiatives:
            if r.selected and r.start is not None and r.finish is not None:
                out[r.id] = (self.period_index[r.start], self.period_index[r.finish])
        return out

    def effort_lines(self, ini: Initiative) -> dict[tuple[str, str], float]:
        """Merged effort of an initiative: (unit, skill) -> total hours."""
        merged: dict[tuple[str, str], float] = defaultdict(float)
        for ln in ini.effort:
            merged[(ln.unit, ln.skill)] += ln.hours
        return {k: h for k, h in merged.items() if h > 0}

    @cached_property
    def change_demand(self) -> dict[tuple[str, str, int], float]:
        """Delivered hours the chosen initiatives need per (unit, skill, period)."""
        out: dict[tuple[str, str, int], float] = defaultdict(float)
        rp = self.plan.replan
        # re-planned as of a period: an in-flight initiative's remaining effort from then on
        rest = {(f.id, ln.unit, ln.skill): ln.per_period
                for f in (rp.in_flight if rp is not None else []) for ln in f.lines}
        t0 = self.period_index[rp.as_of] if rp is not None else len(self.labels)
        for iid, (s, f) in self.starts.items():
            ini = self.initiatives[iid]
            for (u, sk), h in self.effort_lines(ini).items():
                for t in range(s, f + 1):
                    late = t >= t0 and (iid, u, sk) in rest
                    out[(u, sk, t)] += rest[(iid, u, sk)] if late else h / ini.duration
        return out

    @cached_property
    def rtb_demand(self) -> dict[tuple[str, str], np.ndarray]:
        """RTB demand per (unit, skill): array (3, T) of must, high, normal hours."""
        T = len(self.labels)
        out: dict[tuple[str, str], np.ndarray] = {}
        for line in self.plan.scenario.run_the_business:
            arr = out.setdefault((line.unit, line.skill), np.zeros((3, T)))
            hours = line.hours if isinstance(line.hours, list) else [line.hours] * T
            arr[PRIORITIES.index(line.priority)] += np.asarray(hours, dtype=float)
        return out

    @cached_property
    def rtb_planned(self) -> dict[tuple[str, str, int], float]:
        """Delivered RTB hours per (unit served, skill, period)."""
        a = self.assignments
        g = a[~a["change"]].groupby(["for_unit", "skill", "t"])["delivered"].sum()
        return {k: float(v) for k, v in g.items()}

    def rtb_short(self, unit: str, skill: str, t: int) -> tuple[float, float, float]:
        """RTB hours short by priority (must, high, normal); delivered hours fill must first."""
        arr = self.rtb_demand.get((unit, skill))
        if arr is None:
            return (0.0, 0.0, 0.0)
        got = self.rtb_planned.get((unit, skill, t), 0.0)
        out = []
        for k in range(3):
            need = float(arr[k, t])
            short = max(need - max(got, 0.0), 0.0)
            out.append(short if short > TOL else 0.0)
            got -= need
        return (out[0], out[1], out[2])

    def objective_shares(self, iid: str) -> dict[str, float]:
        """Share of an initiative attributed to each objective (weight x rating), summing to 1.

        Empty for a misaligned initiative.
        """
        ini = self.initiatives[iid]
        w = {o.id: o.weight * ini.rating(o.id) for o in self.plan.scenario.strategy.objectives}
        w = {k: v for k, v in w.items() if v > 0}
        total = sum(w.values())
        return {k: v / total for k, v in w.items()} if total > 0 else {}

    def objectives_of(self, iid: str) -> list[str]:
        """Objectives an initiative serves (rating > 0), strongest contribution first."""
        ini = self.initiatives[iid]
        objs = self.plan.scenario.strategy.objectives
        scored = [(o.weight * ini.rating(o.id), k, o.id) for k, o in enumerate(objs)
                  if ini.rating(o.id) > 0]
        return [oid for _w, _k, oid in sorted(scored, key=lambda x: (-x[0], x[1]))]

    def kpis_of(self, iid: str) -> list[str]:
        """KPIs an initiative moves (its kpi_impacts) or that measure an objective it serves."""
        ini = self.initiatives[iid]
        objs = set(self.objectives_of(iid))
        return [k.id for k in self.plan.scenario.strategy.kpis
                if k.id in ini.kpi_impacts or (k.objective is not None and k.objective in objs)]


_SHARED: ContextVar[PlanFacts | None] = ContextVar("planner_shared_facts", default=None)


def facts(plan: Plan) -> PlanFacts:
    """Facts of ``plan`` (computed on first use).

    Inside :func:`shared_facts` for the same plan, every view gets the same
    facts, so what they have in common is computed once.
    """
    shared = _SHARED.get()
    if shared is not None and shared.plan is plan:
        return shared
    return PlanFacts(plan)


@contextmanager
def shared_facts(plan: Plan) -> Iterator[PlanFacts]:
    """Share one :class:`PlanFacts` between all views of ``plan`` built in this block.

    The plan must not change inside the block.
    """
    token = _SHARED.set(PlanFacts(plan))
    try:
        yield _SHARED.get()  # type: ignore[misc]
    finally:
        _SHARED.reset(token)


def join(items: list[str] | tuple[str, ...], sep: str = "; ") -> str:
    """Join ids for a single text cell."""
    return sep.join(items)
