"""Goals cascade: KPI targets carried down to units (unit_goals) and people (individual_goals).

For each KPI, the plan's *committed target* is its forecast at ``by`` (the
target's period, else the last one): the "updated goal target" each unit and
person works to. Contributions split the plan's change of the KPI by ``by``
onto who did the work:

* an initiative's total impact on the KPI (value paths included,
  :mod:`planner.problem.kpi`) is split in proportion to the *delivered* hours (hours x
  proficiency) on it; the hours of a unit's staff credit that unit (also when
  lent to another unit), contractor hours credit the unit whose work they did;
  an initiative without effort credits its sponsor.
* a unit's (or person's) contribution = sum over the chosen initiatives that
  finish by ``by`` of impact x its share of their delivered hours; the shares
  of all units add up to the plan's change (``committed - baseline``), less the
  impact of effortless initiatives without a sponsor.
* RTB lines with ``sustains: [kpi]`` link RTB hours to goals: a unit whose RTB
  sustains a KPI, and a person who works on such RTB, hold that KPI as a goal
  (contribution 0: RTB keeps the baseline up, it does not move it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from models.plan import Plan
from planner.problem.kpi import Target, direction, forecast, targets, total_impacts
from planner.views._common import PlanFacts, facts, join, r4
from planner.views.kpi_path import finish_periods


@dataclass
class _Goals:
    """What the two goal views share, computed once per plan."""

    by: dict[str, int]  # KPI -> period of its (committed) target
    committed: dict[str, float]  # KPI -> forecast at by
    impacts: dict[str, dict[str, float]]  # chosen initiative -> KPI -> total impact
    finish: dict[str, int]
    #: initiative -> credited unit / person -> delivered hours on it
    unit_delivered: dict[str, dict[str, float]] = field(default_factory=dict)
    person_delivered: dict[str, dict[str, float]] = field(default_factory=dict)
    total_delivered: dict[str, float] = field(default_factory=dict)
    person_hours: dict[tuple[str, str], float] = field(default_factory=dict)  # (person, ini)
    #: (unit, skill) -> KPIs its RTB sustains; (person, KPI) -> RTB hours sustaining it
    sustains: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    rtb_person: dict[tuple[str, str], float] = field(default_factory=dict)
    rtb_unit: dict[tuple[str, str], float] = field(default_factory=dict)

    def movers(self, kpi: str) -> list[str]:
        """Chosen initiatives that move ``kpi`` (any finish), in finish order."""
        out = [i for i, imp in self.impacts.items() if imp.get(kpi)]
        return sorted(out, key=lambda i: (self.finish[i], i))

    def counts(self, iid: str, kpi: str) -> bool:
        """True when ``iid`` finishes by the KPI's target period."""
        return self.finish[iid] <= self.by[kpi]

    def unit_share(self, iid: str, unit: str, sponsor: str | None) -> float:
        """Share of ``iid``'s delivered hours credited to ``unit``."""
        total = self.total_delivered.get(iid, 0.0)
        if total <= 0:
            return 1.0 if sponsor == unit else 0.0
        return self.unit_delivered.get(iid, {}).get(unit, 0.0) / total

    def person_share(self, iid: str, person: str) -> float:
        """Share of ``iid``'s delivered hours done by ``person``."""
        total = self.total_delivered.get(iid, 0.0)
        return self.person_delivered.get(iid, {}).get(person, 0.0) / total if total > 0 else 0.0


def goals_of(plan: Plan) -> _Goals:
    """The shared goal facts of ``plan`` (memoised with the view facts)."""
    f = facts(plan)
    return f.memoised("goals", lambda: _build(plan, f))  # type: ignore[no-any-return]


def _build(plan: Plan, f: PlanFacts) -> _Goals:
    s = plan.scenario
    T = len(f.labels)
    fin = finish_periods(f)
    paths = forecast(s, fin, T)
    tg = {t.id: t.by for t in targets(s, f.calendar)}
    by = {k.id: tg.get(k.id, T - 1) for k in s.strategy.kpis}
    all_imp = dict(zip((i.id for i in s.initiatives), total_impacts(s), strict=True))
    g = _Goals(by=by, committed={k: paths[k][by[k]] for k in by},
               impacts={i: all_imp[i] for i in fin}, finish=fin)
    a = f.assignments
    ch = a[a["change"]]
    credit = ch["unit"].where(~ch["external"], ch["for_unit"])
    for (iid, u), d in ch.assign(credit=credit).groupby(["initiative", "credit"])[
            "delivered"].sum().items():
        g.unit_delivered.setdefault(iid, {})[u] = float(d)
        g.total_delivered[iid] = g.total_delivered.get(iid, 0.0) + float(d)
    staff = ch[~ch["external"]]
    for (iid, p), d in staff.groupby(["initiative", "person"])["delivered"].sum().items():
        g.person_delivered.setdefault(iid, {})[p] = float(d)
    for (p, iid), h in staff.groupby(["person", "initiative"])["hours"].sum().items():
        g.person_hours[(p, iid)] = float(h)
    sus: dict[tuple[str, str], list[str]] = defaultdict(list)
    for line in s.run_the_business:
        for k in line.sustains:
            if k not in sus[(line.unit, line.skill)]:
                sus[(line.unit, line.skill)].append(k)
    g.sustains = dict(sus)
    rtb = a[~a["change"] & ~a["external"]]
    for (p, work, sk), h in rtb.groupby(["person", "work", "skill"])["hours"].sum().items():
        for k in sus.get((str(work)[4:], sk), []):
            g.rtb_person[(p, k)] = g.rtb_person.get((p, k), 0.0) + float(h)
    return g


UNIT_COLUMNS = [
    "unit", "kpi", "name", "role", "direction", "baseline", "target", "by", "committed", "met",
    "gap", "plan_change", "contribution", "contribution_share", "change_hours", "rtb_hours",
    "initiatives",
]


def unit_goals(plan: Plan) -> pd.DataFrame:
    """One row per unit and KPI it owns (``unit``) or contributes to.

    A unit contributes to a KPI when its people (or contractors on its work) work
    on a chosen initiative that moves it, when it sponsors one without effort,
    or when its RTB ``sustains`` it. ``role`` lists ``owner``, ``contributes``
    and ``sustains``. ``target`` is the strategic target, ``committed`` the
    plan's forecast at ``by`` (the updated goal target), ``met`` and ``gap`` as
    in ``kpi_path`` (gap > 0: short). ``plan_change`` = committed - baseline,
    ``contribution`` the unit's part of it (its share of the delivered hours of
    each initiative that moves the KPI by ``by``, times that initiative's impact;
    see the module docstring) and ``contribution_share`` = contribution /
    plan_change. ``change_hours``: its staff's person-hours on initiatives that
    move the KPI; ``rtb_hours``: on RTB lines that sustain it. ``initiatives``:
    the chosen initiatives that move it and that the unit works on or sponsors.
    """
    f = facts(plan)
    s = plan.scenario
    g = goals_of(plan)
    tg = {t.id: t for t in targets(s, f.calendar)}
    sponsor = f.sponsor
    unit_of = {p.id: p.unit for p in s.staff}
    rows = []
    for unit in s.units:
        u = unit.id
        for k in s.strategy.kpis:
            movers = [i for i in g.movers(k.id)
                      if g.unit_share(i, u, sponsor.get(i)) > 0]
            rtb_h = sum(h for (p, kk), h in g.rtb_person.items() if kk == k.id
                        and unit_of.get(p) == u)
            sustains = any(k.id in ks for (uu, _sk), ks in g.sustains.items() if uu == u)
            roles = [r for r, on in (("owner", k.unit == u), ("contributes", bool(movers)),
                                     ("sustains", sustains)) if on]
            if not roles:
                continue
            contrib = sum(g.impacts[i][k.id] * g.unit_share(i, u, sponsor.get(i))
                          for i in movers if g.counts(i, k.id))
            base = k.baseline if k.baseline is not None else 0.0
            change = g.committed[k.id] - base
            hours = sum(h for (p, i), h in g.person_hours.items()
                        if i in movers and unit_of.get(p) == u)
            t = tg.get(k.id)
            rows.append({
                "unit": u,
                "kpi": k.id,
                "name": k.name or k.id,
                "role": join(roles),
                "direction": "" if t is None else ("down" if direction(k) < 0 else "up"),
                "baseline": k.baseline,
                "target": k.target,
                "by": f.labels[g.by[k.id]],
                "committed": round(g.committed[k.id], 6),
                "met": t.met(g.committed[k.id]) if t is not None else None,
                "gap": round(t.gap(g.committed[k.id]), 6) + 0.0 if t is not None else None,
                "plan_change": round(change, 6) + 0.0,
                "contribution": round(contrib, 6) + 0.0,
                "contribution_share": round(contrib / change, 4) if abs(change) > 1e-12
                else None,
                "change_hours": r4(hours),
                "rtb_hours": r4(rtb_h),
                "initiatives": join(movers),
            })
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


PERSON_COLUMNS = [
    "person", "name", "unit", "kpi", "kind", "hours", "contribution", "target", "by",
    "committed", "met", "work", "note",
]


def individual_goals(plan: Plan) -> pd.DataFrame:
    """One row per person and goal; a person without any goal gets one row saying why.

    ``kind`` is ``change`` (their hours on chosen initiatives that move the KPI:
    ``hours`` person-hours, ``contribution`` their share of the delivered hours of
    each such initiative finishing by ``by`` x its impact, in KPI units) or
    ``sustains`` (their hours on RTB lines that sustain the KPI). ``target`` is
    the strategic target, ``committed`` the plan's forecast at ``by`` (the goal
    they work to), ``work`` the initiatives or RTB work concerned. A person with
    no goal has ``kind`` ``none`` and a ``note`` that says why.
    """
    f = facts(plan)
    s = plan.scenario
    g = goals_of(plan)
    kpis = {k.id: k for k in s.strategy.kpis}
    a = f.assignments
    staff_rows = a[~a["external"]]
    # per person, the distinct work and RTB skills (a dict: groupby().unique() is slow at L)
    worked = _distinct(staff_rows, "work")
    rtb_skills = _distinct(staff_rows[~staff_rows["change"]], "skill")
    movers_of = {k.id: g.movers(k.id) for k in s.strategy.kpis}  # once, not once per person
    tgt = {t.id: t for t in targets(s, f.calendar)}
    rows = []
    for p in s.staff:
        base: dict[str, object] = {"person": p.id, "name": p.name or p.id, "unit": p.unit}
        goals: list[dict[str, object]] = []
        for k in s.strategy.kpis:
            movers = [i for i in movers_of[k.id] if (p.id, i) in g.person_hours]
            if movers:
                contrib = sum(g.impacts[i][k.id] * g.person_share(i, p.id) for i in movers
                              if g.counts(i, k.id))
                goals.append(_goal(base, k.id, "change",
                                   sum(g.person_hours[(p.id, i)] for i in movers),
                                   contrib, kpis[k.id].target, f.labels[g.by[k.id]],
                                   g.committed[k.id], join(movers), tgt.get(k.id)))
            h = g.rtb_person.get((p.id, k.id), 0.0)
            if h > 0:
                goals.append(_goal(base, k.id, "sustains", h, 0.0, kpis[k.id].target,
                                   f.labels[g.by[k.id]], g.committed[k.id], f"rtb:{p.unit}",
                                   tgt.get(k.id)))
        if not goals:
            work = [str(w) for w in worked.get(p.id, [])]
            goals.append({**base, "kpi": "", "kind": "none", "hours": 0.0,
                          "contribution": None, "target": None, "by": "", "committed": None,
                          "met": None, "work": join(sorted(work)),
                          "note": _why_none(p.unit, work, rtb_skills.get(p.id, []))})
        rows.extend(goals)
    return pd.DataFrame(rows, columns=PERSON_COLUMNS)


def _distinct(rows: pd.DataFrame, col: str) -> dict[str, list[str]]:
    """Person -> the distinct values of ``col`` in their rows, in order of appearance."""
    out: dict[str, list[str]] = {}
    pairs = rows.drop_duplicates(["person", col])
    for p, v in zip(pairs["person"].tolist(), pairs[col].tolist(), strict=True):
        out.setdefault(str(p), []).append(v)
    return out


def _goal(base: dict[str, object], kpi: str, kind: str, hours: float, contrib: float,
          target: float | None, by: str, committed: float, work: str,
          t: Target | None) -> dict[str, object]:
    return {**base, "kpi": kpi, "kind": kind, "hours": r4(hours),
            "contribution": round(contrib, 6) + 0.0, "target": target, "by": by,
            "committed": round(committed, 6), "met": t.met(committed) if t else None,
            "work": work, "note": ""}


def _why_none(unit: str, work: list[str], rtb_skills: object) -> str:
    if not work:
        return "no work planned"
    inis = [w for w in work if not w.startswith("rtb:")]
    parts = []
    rtb = sorted(str(x) for x in rtb_skills)  # type: ignore[attr-defined]
    if rtb:
        parts.append(f"RTB work of {unit}/{', '.join(rtb)} sustains no KPI")
    if inis:
        parts.append(f"initiative(s) {', '.join(sorted(inis))} move no KPI")
    return "; ".join(parts)
