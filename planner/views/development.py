"""Development: every wish to grow a skill, the practice the plan gives it, and why not.

A wish (``staff[].develop``) is a skill and the hours of practice wanted over the
horizon (a list entry wants ``policy.development.default_hours``). The practice
is the person's hours on work of that skill (any work: their unit's RTB and
initiatives, or another unit's when borrowing is allowed); it is met when those
hours reach the hours wished.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from models.plan import Plan
from planner.views._common import TOL, PlanFacts, facts, join, r4

COLUMNS = [
    "person", "name", "unit", "skill", "proficiency", "hours_wished", "hours_planned", "met",
    "work", "periods", "mentor", "mentor_name", "cause", "reason",
]

#: ``cause`` codes of an unmet wish, in the order they are tested
CAUSES = ("no_work", "borrowing_off", "no_capacity", "change_share", "work_taken", "other")


@dataclass(frozen=True)
class Practice:
    """One person's hours on one wished skill in one period, with their mentor."""

    person: str
    skill: str
    t: int
    hours: float
    work: tuple[str, ...]
    mentor: str  # person id, "" when nobody proficient works beside them
    mentor_name: str


def development(plan: Plan) -> pd.DataFrame:
    """One row per wish (person and skill).

    ``proficiency`` is what an hour of theirs delivers in the skill (their own,
    or ``learner_proficiency`` when they do not have it). ``hours_planned`` are
    their hours on the skill over the horizon; ``met`` when they reach
    ``hours_wished``. ``work`` lists the work with the periods of those hours
    (``crm (2027-02..2027-04); rtb:ops (2027-06)``), ``periods`` the periods.
    ``mentor`` / ``mentor_name``: the colleague more proficient in the skill who
    works most hours beside them on the same work in the same periods (empty
    when there is none). ``cause`` and ``reason`` say why an unmet wish is not
    met: ``no_work`` (no work of the skill in the plan they could do),
    ``borrowing_off`` (there is some, in other units only), ``no_capacity``
    (fully planned in every period with such work), ``change_share`` (the only
    such work is initiative work and they already spend their
    ``max_change_share`` on initiatives), ``work_taken`` (all of it already
    grows other people's wishes, or theirs), ``other`` (the plan uses their
    spare hours otherwise; e.g. a plan not proven optimal).
    """
    f = facts(plan)
    return f.memoised("development", lambda: _development(plan, f)).copy()


def _development(plan: Plan, f: PlanFacts) -> pd.DataFrame:
    sc = plan.scenario
    practice = practice_by_period(plan)
    per_wish: dict[tuple[str, str], list[Practice]] = defaultdict(list)
    for pr in practice:
        per_wish[(pr.person, pr.skill)].append(pr)
    why = _Reasons(plan, f, practice)
    rows = []
    for p in sc.staff:
        prof = sc.proficiencies(p)
        for sk, wished in sc.wishes(p).items():
            items = sorted(per_wish.get((p.id, sk), []), key=lambda x: x.t)
            planned = sum(x.hours for x in items)
            met = planned + TOL >= wished
            cause, reason = ("", "") if met else why.of(p.id, sk, planned, wished)
            mentor, mentor_name = _main_mentor(items)
            rows.append({
                "person": p.id,
                "name": p.name or p.id,
                "unit": p.unit,
                "skill": sk,
                "proficiency": prof[sk],
                "hours_wished": r4(wished),
                "hours_planned": r4(planned),
                "met": met,
                "work": join(_spans(f, items)),
                "periods": _ranges(f, sorted({x.t for x in items})),
                "mentor": mentor,
                "mentor_name": mentor_name,
                "cause": cause,
                "reason": reason,
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def practice_by_period(plan: Plan) -> list[Practice]:
    """Every person's hours on each wished skill per period, with the period's mentor.

    The mentor of a period is the colleague with a higher proficiency in the
    skill (their own, not a learner's) who works most hours beside the person on
    the same work (same initiative or RTB, unit and skill) in that period; ties
    go to the higher proficiency, then the id.
    """
    f = facts(plan)
    return f.memoised("practice", lambda: _practice(plan, f))


def _practice(plan: Plan, f: PlanFacts) -> list[Practice]:
    sc = plan.scenario
    wishes = {(p.id, sk) for p in sc.staff for sk in p.develop}
    if not wishes:
        return []
    a = f.assignments
    st = a[~a["external"] & (a["hours"] > 0)]
    keys = list(zip(st["person"], st["skill"], strict=True))
    mine = st[[k in wishes for k in keys]]
    if mine.empty:
        return []
    own = {(p.id, sk): q for p in sc.staff for sk, q in p.skills.items()}
    learner = {(p.id, sk): q for p in sc.staff for sk, q in sc.proficiencies(p).items()}
    names = {p.id: p.name or p.id for p in sc.staff}
    # who works on each (work, for_unit, skill, period), with their hours
    beside: dict[tuple[str, str, str, int], list[tuple[str, float]]] = defaultdict(list)
    skills_wished = {sk for _p, sk in wishes}
    for person, work, fu, sk, t, h in zip(
        st["person"], st["work"], st["for_unit"], st["skill"], st["t"], st["hours"], strict=True
    ):
        if sk in skills_wished:
            beside[(work, fu, sk, int(t))].append((person, float(h)))
    cells: dict[tuple[str, str, int], list[tuple[str, str, float]]] = defaultdict(list)
    for person, work, fu, sk, t, h in zip(
        mine["person"], mine["work"], mine["for_unit"], mine["skill"], mine["t"], mine["hours"],
        strict=True,
    ):
        cells[(person, sk, int(t))].append((work, fu, float(h)))
    out = []
    for (person, sk, t), pieces in sorted(cells.items()):
        mine_q = learner[(person, sk)]
        score: dict[str, float] = defaultdict(float)
        for work, fu, h in pieces:
            for other, h2 in beside[(work, fu, sk, t)]:
                q = own.get((other, sk), 0.0)
                if other != person and q > mine_q:
                    score[other] += min(h, h2)
        mentor = ""
        if score:
            mentor = min(score, key=lambda o: (-score[o], -own[(o, sk)], o))
        out.append(Practice(
            person, sk, t, sum(h for _w, _u, h in pieces),
            tuple(sorted({w for w, _u, _h in pieces})), mentor, names.get(mentor, ""),
        ))
    return out


def _main_mentor(items: list[Practice]) -> tuple[str, str]:
    """The mentor of most of the practice hours over the horizon."""
    hours: dict[tuple[str, str], float] = defaultdict(float)
    for x in items:
        if x.mentor:
            hours[(x.mentor, x.mentor_name)] += x.hours
    if not hours:
        return "", ""
    return min(hours, key=lambda k: (-hours[k], k[0]))


def _ranges(f: PlanFacts, ts: list[int]) -> str:
    """Sorted period numbers as label ranges: ``2027-01..2027-03; 2027-06``."""
    runs: list[list[int]] = []
    for t in ts:
        if runs and t == runs[-1][1] + 1:
            runs[-1][1] = t
        else:
            runs.append([t, t])
    return join([f.labels[a] if a == b else f"{f.labels[a]}..{f.labels[b]}" for a, b in runs])


def _spans(f: PlanFacts, items: list[Practice]) -> list[str]:
    """``work (first..last)`` for each piece of work the practice is on."""
    span: dict[str, tuple[int, int]] = {}
    for x in items:
        for w in x.work:
            lo, hi = span.get(w, (x.t, x.t))
            span[w] = (min(lo, x.t), max(hi, x.t))
    out = []
    for w in sorted(span):
        first, last = f.labels[span[w][0]], f.labels[span[w][1]]
        out.append(f"{w} ({first})" if first == last else f"{w} ({first}..{last})")
    return out


class _Reasons:
    """Why an unmet wish is not met, in plain words (see :func:`development`)."""

    def __init__(self, plan: Plan, f: PlanFacts, practice: list[Practice]) -> None:
        sc = plan.scenario
        self.sc, self.f = sc, f
        self.borrowing = sc.policy.borrowing
        self.optimal = plan.run.status == "optimal"
        # periods with work of a skill, per unit: RTB demand and chosen initiatives' lines
        self.rtb: dict[tuple[str, str], set[int]] = defaultdict(set)
        for (u, sk), arr in f.rtb_demand.items():
            self.rtb[(u, sk)] = {t for t in range(len(f.labels)) if arr[:, t].sum() > TOL}
        self.change: dict[tuple[str, str], set[int]] = defaultdict(set)
        for (u, sk, t), h in f.change_demand.items():
            if h > TOL:
                self.change[(u, sk)].add(t)
        a = f.assignments
        st = a[~a["external"]]
        self.total = {(p, int(t)): float(h)
                      for (p, t), h in st.groupby(["person", "t"])["hours"].sum().items()}
        self.change_used = {
            (p, int(t)): float(h)
            for (p, t), h in st[st["change"]].groupby(["person", "t"])["hours"].sum().items()
        }
        self.index = f.staff_index
        # hours on each skill per (for_unit, skill, period) that grow nobody's wish:
        # non-wishers, contractors, and wishers beyond their wish (spread evenly)
        wished = {(p.id, sk): h for p in sc.staff for sk, h in sc.wishes(p).items()}
        done: dict[tuple[str, str], float] = defaultdict(float)
        for x in practice:
            done[(x.person, x.skill)] += x.hours
        self.spare_work: dict[tuple[str, str, int], float] = defaultdict(float)
        for person, fu, sk, t, h in zip(a["person"], a["for_unit"], a["skill"], a["t"],
                                        a["hours"], strict=True):
            w = wished.get((person, sk))
            if w is None:
                self.spare_work[(fu, sk, int(t))] += float(h)
            elif done[(person, sk)] > w + TOL:
                self.spare_work[(fu, sk, int(t))] += float(h) * (1 - w / done[(person, sk)])

    def of(self, pid: str, sk: str, planned: float, wished: float) -> tuple[str, str]:
        sc, f = self.sc, self.f
        p = sc.staff[self.index[pid]]
        head = f"{r4(planned):g} of {r4(wished):g} h planned: " if planned > TOL else ""
        units = [u for u in f.units if self.rtb.get((u, sk)) or self.change.get((u, sk))]
        if not units:
            return "no_work", head + (
                f"no work of skill {sk} in the plan (no RTB needs it and no chosen "
                "initiative does)")
        if p.unit not in units and not self.borrowing:
            return "borrowing_off", head + (
                f"no work of skill {sk} in the plan in unit {p.unit}, and borrowing is not "
                f"allowed ({_have(units)})")
        targets = units if self.borrowing else [p.unit]
        k = self.index[pid]
        cap = f.capacity[k]
        chg = f.available[k] * min(p.max_change_share, sc.policy.max_utilisation)
        rtb_ts = set().union(*(self.rtb.get((u, sk), set()) for u in targets))
        chg_ts = set().union(*(self.change.get((u, sk), set()) for u in targets))
        ts = sorted(rtb_ts | chg_ts)
        spare = {t: cap[t] - self.total.get((pid, t), 0.0) for t in ts}
        where = _ranges(f, ts)
        if all(s <= TOL for s in spare.values()):
            return "no_capacity", head + (
                f"no spare capacity: fully planned in every period with skill {sk} work "
                f"({where})")
        room = {t: spare[t] if t in rtb_ts else
                min(spare[t], chg[t] - self.change_used.get((pid, t), 0.0)) for t in ts}
        if all(r <= TOL for r in room.values()):
            return "change_share", head + (
                f"change share exhausted: the only skill {sk} work is on initiatives, and "
                f"they already spend their max_change_share ({p.max_change_share:g}) on "
                f"initiatives in the periods with spare time ({where})")
        free = sum(self.spare_work.get((u, sk, t), 0.0) for u in targets for t in ts
                   if room[t] > TOL)
        if free <= TOL:
            return "work_taken", head + (
                f"all the skill {sk} work in the periods they have room "
                f"({_ranges(f, [t for t in ts if room[t] > TOL])}) already counts toward "
                "development wishes")
        why = ("the solver stopped before it placed them (the plan is not proven optimal)"
               if not self.optimal else "the plan keeps that work with colleagues")
        return "other", head + (
            f"{r4(free):g} h of skill {sk} work in periods where they have room go to "
            f"others: {why}")


def _have(units: list[str]) -> str:
    return (f"unit {units[0]} has some" if len(units) == 1
            else f"units {', '.join(units)} have some")
