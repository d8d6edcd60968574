"""Checks that look across entities of a scenario.

The pydantic models check each item on its own (types, ranges). This module
checks what needs several items at once: references (units, skills, objectives,
KPIs, initiatives), unique ids, dependency cycles, period labels against the
horizon, and whether each initiative can fit in its window.

API
---
- :func:`check` returns every issue (errors and warnings), located through a
  :class:`~planner.io.load.SourceMap` when one is given.
- :func:`validate` raises :class:`~planner.errors.ScenarioError` with all errors,
  and returns the warnings.
- :func:`capacity_table` is the capacity-versus-demand squeeze shown by
  ``planner validate``.

:func:`planner.io.load.load_scenario` calls :func:`check`, so a loaded scenario is
always valid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd

from models.scenario import Initiative, Scenario
from planner.errors import Issue, ScenarioError
from planner.io.cycles import find_cycles
from planner.io.scenario_checker import ScenarioChecker, unknown
from planner.io.sourcemap import SourceMap, suggest
from planner.io.text import snippet
from planner.problem.calendar import Calendar, PeriodError, periods_of
from planner.problem.phases import lag, split_ref


def check(scenario: Scenario, source: SourceMap | None = None) -> list[Issue]:
    """All cross-entity issues of ``scenario`` (errors and warnings), in document order."""
    return _Checker(scenario, source).run()


def validate(scenario: Scenario, source: SourceMap | None = None) -> list[Issue]:
    """Raise :class:`ScenarioError` if the scenario has errors; return its warnings."""
    issues = check(scenario, source)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise ScenarioError(errors)
    return [i for i in issues if not i.is_error]


class _Checker(ScenarioChecker):
    """One pass over a scenario, collecting located issues."""

    # -- checks

    def run(self) -> list[Issue]:
        from planner.io.validate_text import text_issues

        text_issues(self)
        self.horizon()
        self.duplicates()
        self.strategy()
        self.staff()
        self.rtb()
        self.external()
        self.initiatives()
        self.cycles_and_timing()
        self.forced()
        self.policy()
        self.kpi_targets()
        self.years()
        self.uncertainty()
        self.scale()
        return self.issues

    def years(self) -> None:
        from planner.io.validate_years import years_issues

        years_issues(self)

    def uncertainty(self) -> None:
        from planner.io.validate_uncertainty import uncertainty_issues

        uncertainty_issues(self)

    def scale(self) -> None:
        from planner.io.validate_scale import scale_issues

        scale_issues(self)

    def base(self, ref: str) -> str:
        """The initiative id a ``depends_on`` entry names (``x`` of ``x.phase``)."""
        return split_ref(ref, self.inits)[0]

    def kpi_targets(self) -> None:
        from planner.io.validate_kpi import kpi_issues

        kpi_issues(self)

    def policy(self) -> None:
        from planner.backends import BACKENDS

        name = self.s.policy.solver.backend
        if name is not None and name not in BACKENDS:
            self.error(("policy", "solver", "backend"), unknown("solver backend", name, BACKENDS))

    def horizon(self) -> None:
        try:
            self.cal = Calendar(self.s.horizon)
        except PeriodError as exc:
            self.error(("horizon", "start"), str(exc))

    def duplicates(self) -> None:
        sections: list[tuple[tuple[str, ...], list[Any]]] = [
            (("units",), self.s.units),
            (("staff",), self.s.staff),
            (("initiatives",), self.s.initiatives),
            (("external",), self.s.external),
            (("strategy", "objectives"), self.s.strategy.objectives),
            (("strategy", "kpis"), self.s.strategy.kpis),
        ]
        for path, items in sections:
            ids = self.people.ids if path == ("staff",) else [it.id for it in items]
            if len(set(ids)) == len(ids):
                continue  # all distinct: decided in bulk (the staff may be a million)
            first: dict[str, int] = {}
            for k, it in enumerate(items):
                if it.id is None:
                    continue
                if it.id in first:
                    where = self.source.locate(path + (first[it.id],))
                    at = f" (first at line {where.line})" if where.line else ""
                    self.error(path + (k, "id"),
                               f"duplicate id '{snippet(it.id)}' in {path[-1]}{at}")
                else:
                    first[it.id] = k

    def strategy(self) -> None:
        for k, kpi in enumerate(self.s.strategy.kpis):
            if kpi.objective is not None and kpi.objective not in self.objectives:
                self.error(("strategy", "kpis", k, "objective"),
                           unknown("objective", kpi.objective, self.objectives))
            if kpi.unit is not None and kpi.unit not in self.units:
                self.error(("strategy", "kpis", k, "unit"), unknown("unit", kpi.unit, self.units))

    def staff(self) -> None:
        known = self.cal.index if self.cal is not None else {}
        if not (self.people.units <= self.units.keys() and self.people.labels <= known.keys()):
            self._staff_one_by_one(known)
        from planner.io.validate_development import development_issues

        development_issues(self)

    def _staff_one_by_one(self, known: dict[str, int]) -> None:
        """Units and availability labels person by person (only when one is wrong: the
        distinct values decide it otherwise, and the staff may be a million)."""
        for k, p in enumerate(self.s.staff):
            if p.unit not in self.units:
                self.error(("staff", k, "unit"), unknown("unit", p.unit, self.units))
            for label in p.availability:
                if label not in known:
                    self.period(("staff", k, "availability", label), label)

    def _skill_demand(self, path: Sequence[Any], unit: str, skill: str, what: str,
                      hours: float = 0.0) -> None:
        """A skill no one can supply: an error for an effort line of some hours (the
        initiative can never run, usually a typo), a warning for RTB (it is reported
        short), for a line of 0 hours (nothing to staff) and for effort of a unit that
        has no staff yet; did-you-mean."""
        known = sorted(self.skills | self.external_skills)
        if skill not in self.skills and skill not in self.external_skills:
            text = (f"nobody has skill '{skill}' and no external capacity offers it: this "
                    f"{what} cannot be staffed{suggest(skill, known)}")
            if what == "effort" and hours <= 0:
                self.warning(path, text + " (the line has 0 hours: nothing to staff)")
            elif what == "effort" and unit in self.people.units:  # one pass over staff
                self.error(path, text + " (add the skill to someone, or an `external` "
                                        "entry with it)")
            elif what == "effort":
                # a unit with no staff yet (a planning office's skeleton before the units
                # send their forms back): incomplete rather than wrong
                self.warning(path, text + f" (unit '{unit}' has no staff yet)")
            else:
                self.warning(path, text)
        elif (unit in self.units and skill not in self.unit_skills[unit]
              and not self.s.policy.borrowing and skill not in self.external_skills):
            self.warning(path, f"nobody in unit '{unit}' has skill '{skill}', borrowing is off "
                               f"and no external capacity offers it: this {what} cannot be "
                               f"staffed{suggest(skill, sorted(self.unit_skills[unit]))}")

    def rtb(self) -> None:
        n = len(self.cal) if self.cal is not None else self.s.horizon.periods
        for k, line in enumerate(self.s.run_the_business):
            if line.unit not in self.units:
                self.error(("run_the_business", k, "unit"),
                           unknown("unit", line.unit, self.units))
            if isinstance(line.hours, list) and len(line.hours) != n:
                self.error(("run_the_business", k, "hours"),
                           f"has {len(line.hours)} entries; the horizon has {n} periods "
                           "(give one number per period, or a single number for every period)")
            self._skill_demand(("run_the_business", k, "skill"), line.unit, line.skill,
                               "RTB demand")

    def external(self) -> None:
        for k, e in enumerate(self.s.external):
            self.period(("external", k, "from"), e.from_)

    def initiatives(self) -> None:
        for k, ini in enumerate(self.s.initiatives):
            path = ("initiatives", k)
            if ini.sponsor is not None and ini.sponsor not in self.units:
                self.error(path + ("sponsor",), unknown("unit", ini.sponsor, self.units))
            for obj in ini.contributes:
                if obj not in self.objectives:
                    self.error(path + ("contributes", obj),
                               unknown("objective", obj, self.objectives))
            for kpi in ini.kpi_impacts:
                if kpi not in self.kpis:
                    self.error(path + ("kpi_impacts", kpi), unknown("KPI", kpi, self.kpis))
            for fld in ("depends_on", "exclusive_with"):
                for j, other in enumerate(getattr(ini, fld)):
                    if other == ini.id:
                        verb = "depend on" if fld == "depends_on" else "be exclusive with"
                        self.error(path + (fld, j), f"an initiative cannot {verb} itself")
                    elif other not in self.inits and (fld == "exclusive_with"
                                                      or self.base(other) not in self.inits):
                        self.error(path + (fld, j),
                                   unknown("initiative", other, self.inits))
            for j, line in enumerate(ini.effort):
                if line.unit not in self.units:
                    self.error(path + ("effort", j, "unit"),
                               unknown("unit", line.unit, self.units))
                self._skill_demand(path + ("effort", j, "skill"), line.unit, line.skill,
                                   "effort", line.hours)
            if not ini.all_effort:
                self.warning(path, "has no effort: it only takes calendar time")
            if self.s.is_misaligned(ini):
                note = ("it is in the plan only because it is mandatory"
                        if self.s.is_required(ini) and ini.pin != "in"
                        else "it is chosen only if mandatory")
                self.warning(path + ("contributes",),
                             f"contributes to no objective (misaligned): {note}")
            if ini.pin == "out" and ini.mandatory:
                self.error(path + ("pin",), "a mandatory initiative cannot be pinned out")
            if ini.pin == "out" and ini.start is not None:
                self.error(path + ("start",), "an initiative pinned out cannot have a start")
            self.status(k, ini)
            self.window(k, ini)

    def window(self, k: int, ini: Initiative) -> None:
        path = ("initiatives", k)
        es = self.period(path + ("earliest_start",), ini.earliest_start)
        dl = self.period(path + ("deadline",), ini.deadline)
        st = self.period(path + ("start",), ini.start)
        win = self.span(ini)
        if win is None or self.cal is None:
            return
        first, last = win
        labels = self.cal.labels
        if es is not None and dl is not None and es > dl:
            self.error(path + ("earliest_start",),
                       f"earliest_start {ini.earliest_start} is after the deadline {ini.deadline}")
            return
        room = last - first + 1
        if ini.duration > room:
            end = (f"the deadline {ini.deadline}" if ini.deadline is not None
                   else f"the end of the horizon {labels[-1]}")
            msg = (f"duration {ini.duration} does not fit between {labels[first]} and {end}: "
                   f"only {room} period{'s' if room != 1 else ''}")
            if ini.deadline is None:
                msg += " (an initiative must finish within the horizon)"
            if self.s.is_required(ini):
                self.error(path + ("duration",), msg)
            else:
                self.warning(path + ("duration",), msg + "; it can never be chosen")
        if st is not None and (st < first or st + ini.duration - 1 > last):
            self.error(path + ("start",),
                       f"start {ini.start} is outside the window: with duration {ini.duration} "
                       f"it must start between {labels[first]} and "
                       f"{labels[max(first, last - ini.duration + 1)]}")

    def cycles_and_timing(self) -> None:
        graph = {i.id: [self.base(d) for d in i.depends_on
                        if self.base(d) in self.inits and self.base(d) != i.id]
                 for i in self.s.initiatives}
        cycles, order = find_cycles(graph)
        for cycle in cycles:
            self.error(("initiatives", self.index[cycle[-1]], "depends_on"),
                       f"dependency cycle: {' -> '.join(cycle)} (each depends on the next)")
        if cycles or self.cal is None:
            return
        # earliest start and finish along dependency chains (order lists dependencies first)
        begin: dict[str, int] = {}
        finish: dict[str, int] = {}
        impossible: set[str] = set()  # cannot fit, or needs one that cannot: reported elsewhere
        for ident in order:
            ini = self.inits[ident]
            win = self.span(ini)
            if win is None:
                return
            if ini.duration > win[1] - win[0] + 1 or any(d in impossible for d in graph[ident]):
                impossible.add(ident)
                continue
            start = max([win[0], *(begin[d] + self._lag(d, ref) for ref in ini.depends_on
                                   if (d := self.base(ref)) in begin)])
            begin[ident] = start
            finish[ident] = start + ini.duration - 1
            if finish[ident] > win[1] and graph[ident]:
                impossible.add(ident)
                late = max(graph[ident], key=lambda d: finish[d])
                msg = (f"cannot finish by {self.cal.labels[win[1]]}: its dependency '{late}' "
                       f"finishes in {self.cal.labels[min(finish[late], len(self.cal) - 1)]} "
                       f"at the earliest and it then needs {ini.duration} period(s)")
                path = ("initiatives", self.index[ident], "depends_on")
                if self.s.is_required(ini):
                    # a genuine infeasibility, not a malformed input: `solve` exits 3 on it
                    self.warning(path, msg + "; the mandatory work cannot fit, so the plan is "
                                 "infeasible")
                else:
                    self.warning(path, msg + "; it can never be chosen")

    def forced(self) -> None:
        """Initiatives that must be in the plan (mandatory, pinned in, and what they need)."""
        roots = [i.id for i in self.s.initiatives if self.s.is_required(i)]
        why: dict[str, list[str]] = {}
        for first in roots:
            reach = {first: [first]}  # initiative -> dependency chain from the root
            todo = [first]
            while todo:
                cur = todo.pop()
                for ref in self.inits[cur].depends_on:
                    d = self.base(ref)
                    if d in self.inits and d not in reach:
                        reach[d] = reach[cur] + [d]
                        todo.append(d)
            for ident, found in reach.items():
                why.setdefault(ident, found)
        for ident, chain in why.items():
            ini = self.inits[ident]
            out = self.s.out_reason(ini)
            if out is not None and len(chain) > 1:
                root = self.inits[chain[0]]
                via = f" (via {' -> '.join(chain)})" if len(chain) > 2 else ""
                self.error(("initiatives", self.index[root.id], "depends_on"),
                           f"{self._kind(root, 'pinned-in')} initiative "
                           f"depends on '{ident}'{via}, which is {out}")
            elif len(chain) > 1 and not self.s.is_required(ini):
                win = self.span(ini)
                if win is not None and ini.duration > win[1] - win[0] + 1:
                    root = self.inits[chain[0]]
                    self.error(("initiatives", self.index[root.id], "depends_on"),
                               f"depends on '{ident}' (via {' -> '.join(chain)}), which cannot "
                               "fit in its window")
        done: set[frozenset[str]] = set()
        for ident in why:
            for j, other in enumerate(self.inits[ident].exclusive_with):
                pair = frozenset((ident, other))
                if other in why and other != ident and pair not in done:
                    done.add(pair)
                    self.error(("initiatives", self.index[ident], "exclusive_with", j),
                               f"'{ident}' and '{other}' are exclusive but both must be in "
                               f"the plan ({self._reason(why[ident])}; "
                               f"{self._reason(why[other])})")

    def _lag(self, base: str, ref: str) -> int:
        """Periods after ``base`` starts at which a dependant on ``ref`` may start."""
        phase = split_ref(ref, self.inits)[1]
        try:
            return lag(self.inits[base], phase)
        except KeyError:  # unknown phase: reported by validate_years
            return self.inits[base].duration

    def _kind(self, ini: Initiative, pinned: str) -> str:
        if ini.mandatory:
            return "mandatory"
        return "committed" if ini.status == "committed" else pinned

    def status(self, k: int, ini: Initiative) -> None:
        """Issue 14: a status that contradicts mandatory, pin or start."""
        path = ("initiatives", k, "status")
        if ini.status == "rejected":
            for contradiction, what in ((ini.mandatory, "mandatory"),
                                        (ini.pin == "in", "pinned in"),
                                        (ini.start is not None, "given a fixed start")):
                if contradiction:
                    self.error(path, f"a rejected initiative cannot be {what}")
        if ini.status == "committed" and ini.pin == "out":
            self.error(path, "a committed initiative cannot be pinned out")

    def _reason(self, chain: list[str]) -> str:
        root = self.inits[chain[0]]
        kind = self._kind(root, "pinned in")
        if len(chain) == 1:
            return f"'{root.id}' is {kind}"
        return f"'{chain[-1]}' is needed by {kind} '{root.id}' via {' -> '.join(chain)}"


# --------------------------------------------------------------------------- capacity


def capacity_table(scenario: Scenario) -> pd.DataFrame:
    """Capacity versus demand over the year, per unit and skill.

    A rough squeeze indicator, shown before solving. ``capacity`` is the sum over
    staff of ``hours_per_fte * fte * availability * max_utilisation`` over all
    periods; a person with several skills is counted in full under *each* skill
    (``shared`` is True there), so capacities of a unit's skills may not be added.
    A skill someone wishes to develop counts as one of their skills. Proficiency
    is ignored. External capacity appears under unit ``(external)``.
    ``change`` is the effort of *all* initiatives, chosen or not. ``ratio`` is
    demand / capacity (inf when there is no capacity).

    Columns: unit, skill, capacity, shared, rtb_must, rtb_high, rtb_normal, change,
    demand, ratio.
    """
    try:
        cal: Calendar | None = Calendar(scenario.horizon)
    except PeriodError:
        cal = None
    labels = cal.labels if cal is not None else [str(k) for k in range(scenario.horizon.periods)]
    n = len(labels)
    hpf = scenario.horizon.hours_per_fte
    util = scenario.policy.max_utilisation
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def row(unit: str, skill: str) -> dict[str, Any]:
        return rows.setdefault((unit, skill), {
            "unit": unit, "skill": skill, "capacity": 0.0, "shared": False,
            "rtb_must": 0.0, "rtb_high": 0.0, "rtb_normal": 0.0, "change": 0.0,
        })

    inside = set(labels)
    # people summed per unit and skill set first: a million people, a few hundred groups
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], float] = defaultdict(float)
    for p in scenario.staff:
        # n full periods, less what leave takes away
        share = periods_of(n, p.availability, inside)
        # with the skills they wish to develop (merged per group below, not per person)
        groups[(p.unit, tuple(p.skills), tuple(p.develop) if p.develop else ())] += \
            hpf * p.fte * util * share
    for (unit, own, wished), hours in groups.items():
        skills = tuple(dict.fromkeys(own + wished))  # as Scenario.proficiencies orders them
        for skill in skills:
            r = row(unit, skill)
            r["capacity"] += hours
            r["shared"] = r["shared"] or len(skills) > 1
    for e in scenario.external:
        start = 0
        if e.from_ is not None and cal is not None and e.from_ in cal.index:
            start = cal.of(e.from_)
        row("(external)", e.skill)["capacity"] += e.max_fte * hpf * (n - start)
    for line in scenario.run_the_business:
        total = sum(line.hours) if isinstance(line.hours, list) else line.hours * n
        row(line.unit, line.skill)[f"rtb_{line.priority}"] += total
    for ini in scenario.initiatives:
        for eff in ini.all_effort:
            row(eff.unit, eff.skill)["change"] += eff.hours
    columns = ["unit", "skill", "capacity", "shared", "rtb_must", "rtb_high", "rtb_normal",
               "change", "demand", "ratio"]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(list(rows.values()))
    df["_outside"] = df["unit"] == "(external)"  # outside capacity listed last
    df = df.sort_values(["_outside", "unit", "skill"], kind="stable")
    df["demand"] = df[["rtb_must", "rtb_high", "rtb_normal", "change"]].sum(axis=1)
    cap = df["capacity"].where(df["capacity"] > 0)
    df["ratio"] = (df["demand"] / cap).fillna(float("inf")).where(df["demand"] > 0, 0.0)
    return df[columns].reset_index(drop=True)
