"""Individual plans: each person's hours per period, and the goals they support."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts, join, r4, ratio
from planner.views.development import Practice, practice_by_period
from planner.views.goals import goals_of

COLUMNS = [
    "person", "name", "unit", "period", "available", "capacity", "rtb_hours", "change_hours",
    "other_unit_hours", "total_hours", "utilisation", "max_utilisation", "work", "objectives",
    "kpis", "development", "mentor",
]


def individual_plans(plan: Plan) -> pd.DataFrame:
    """One row per person and period (every period, also when nothing is planned).

    ``available`` = hours_per_fte x fte x availability (the real capacity);
    ``capacity`` = that x ``max_utilisation`` (the most that may be planned);
    ``utilisation`` = total_hours / available, with the policy's
    ``max_utilisation`` cap beside it (utilisation never exceeds it).
    ``other_unit_hours`` are the hours (RTB or change) for another unit.
    ``work`` lists the pieces of work with their hours, e.g.
    ``rtb:ops 80; crm 40``; ``objectives`` and ``kpis`` are the goals their
    initiatives in that period support, and ``kpis`` also the KPIs their RTB work
    in that period sustains (RTB ``sustains``). The goals over the year, with
    targets and contributions, are in :func:`planner.views.goals.individual_goals`.
    ``development`` lists the hours on each skill the person wishes to develop,
    with the year's total against the wish (``data 20 (year 60 of 60)``),
    ``mentor`` the colleague proficient in it beside them (``c01 (M. Okafor)``,
    see :func:`planner.views.development.practice_by_period`).
    """
    f = facts(plan)
    a = f.assignments
    staff_rows = a[~a["external"]]
    per = staff_rows.groupby(["person", "t", "work"], sort=False)["hours"].sum()
    work_by: dict[tuple[str, int], list[tuple[str, float]]] = {}
    for (p, t, w), h in per.items():
        work_by.setdefault((p, int(t)), []).append((w, float(h)))
    sustains = goals_of(plan).sustains
    rtb_kpis: dict[tuple[str, int], list[str]] = {}
    rtb_rows = staff_rows[~staff_rows["change"]]
    for (pid, t, w, sk) in rtb_rows.groupby(["person", "t", "work", "skill"]).size().index:
        got = rtb_kpis.setdefault((pid, int(t)), [])
        got += [k for k in sustains.get((str(w)[4:], sk), []) if k not in got]
    other = staff_rows[staff_rows["unit"] != staff_rows["for_unit"]]
    other_h = {
        (p, int(t)): float(h)
        for (p, t), h in other.groupby(["person", "t"])["hours"].sum().items()
    }
    available = f.available.tolist()
    capacity = f.capacity.tolist()
    practice: dict[tuple[str, int], list[Practice]] = {}
    year: dict[tuple[str, str], float] = {}
    for pr in practice_by_period(plan):
        practice.setdefault((pr.person, pr.t), []).append(pr)
        year[(pr.person, pr.skill)] = year.get((pr.person, pr.skill), 0.0) + pr.hours
    wished = {(p.id, sk): h for p in plan.scenario.staff
              for sk, h in plan.scenario.wishes(p).items()}
    objectives_of: dict[str, list[str]] = {}
    kpis_of: dict[str, list[str]] = {}
    rows = []
    for k, p in enumerate(plan.scenario.staff):
        name = p.name or p.id
        for t, label in enumerate(f.labels):
            items = sorted(work_by.get((p.id, t), []), key=lambda x: (not x[0].startswith("rtb:"),
                                                                    x[0]))
            rtb = sum(h for w, h in items if w.startswith("rtb:"))
            change = sum(h for w, h in items if not w.startswith("rtb:"))
            inis = [w for w, _h in items if not w.startswith("rtb:")]
            objs: list[str] = []
            kpis: list[str] = []
            for i in inis:
                if i not in objectives_of:
                    objectives_of[i] = f.objectives_of(i)
                    kpis_of[i] = f.kpis_of(i)
                objs += [o for o in objectives_of[i] if o not in objs]
                kpis += [x for x in kpis_of[i] if x not in kpis]
            kpis += [x for x in rtb_kpis.get((p.id, t), []) if x not in kpis]
            cap = capacity[k][t]
            rows.append({
                "person": p.id,
                "name": name,
                "unit": p.unit,
                "period": label,
                "available": r4(available[k][t]),
                "capacity": r4(cap),
                "rtb_hours": r4(rtb),
                "change_hours": r4(change),
                "other_unit_hours": r4(other_h.get((p.id, t), 0.0)),
                "total_hours": r4(rtb + change),
                "utilisation": ratio(rtb + change, available[k][t]),
                "max_utilisation": plan.scenario.policy.max_utilisation,
                "work": join([f"{w} {r4(h):g}" for w, h in items]),
                "objectives": join(objs),
                "kpis": join(kpis),
                "development": join([
                    f"{x.skill} {r4(x.hours):g} (year {r4(year[(p.id, x.skill)]):g} of "
                    f"{r4(wished[(p.id, x.skill)]):g})" for x in practice.get((p.id, t), [])]),
                "mentor": join([f"{x.mentor} ({x.mentor_name})"
                                for x in practice.get((p.id, t), []) if x.mentor]),
            })
    return pd.DataFrame(rows, columns=COLUMNS)
