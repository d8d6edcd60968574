"""Development: whether people who asked to grow a skill get work that grows it."""

from __future__ import annotations

import pandas as pd

from models.plan import Plan
from planner.views._common import facts, join, r4

COLUMNS = [
    "person", "name", "unit", "skill", "proficiency", "hours_in_skill", "hours_alongside",
    "growing_hours", "assignments", "met", "note",
]


def development(plan: Plan) -> pd.DataFrame:
    """One row per person and skill in their ``develop`` list.

    ``hours_in_skill``: person-hours they work in that skill (any work);
    ``hours_alongside``: person-hours in other skills on chosen initiatives that
    need the skill (working next to people who use it); ``growing_hours`` the
    sum. ``assignments`` lists the work concerned with its periods. ``met`` is
    false when no hours grow the skill; ``note`` then says why as far as the
    plan shows (no chosen initiative needs the skill, or the person is not on
    those that do).
    """
    f = facts(plan)
    a = f.assignments
    needs: dict[str, set[str]] = {}
    for iid in f.starts:
        for _u, sk in f.effort_lines(f.initiatives[iid]):
            needs.setdefault(sk, set()).add(iid)
    rows = []
    for p in plan.scenario.staff:
        if not p.develop:
            continue
        mine = a[a["person"] == p.id]
        for sk in p.develop:
            in_skill = mine[mine["skill"] == sk]
            along = mine[(mine["skill"] != sk) & mine["work"].isin(needs.get(sk, set()))]
            used = pd.concat([in_skill, along])
            spans = []
            for w, g in used.groupby("work", sort=True):
                ts = sorted(set(g["t"]))
                first, last = f.labels[ts[0]], f.labels[ts[-1]]
                spans.append(f"{w} ({first})" if first == last else f"{w} ({first}..{last})")
            h_in, h_along = float(in_skill["hours"].sum()), float(along["hours"].sum())
            met = h_in + h_along > 1e-6
            if met:
                note = ""
            elif not needs.get(sk):
                note = f"no chosen initiative needs {sk}"
            else:
                note = f"not staffed on the initiatives that need {sk}: " + join(sorted(needs[sk]))
            rows.append({
                "person": p.id,
                "name": p.name or p.id,
                "unit": p.unit,
                "skill": sk,
                "proficiency": p.skills.get(sk, 0.0),
                "hours_in_skill": r4(h_in),
                "hours_alongside": r4(h_along),
                "growing_hours": r4(h_in + h_along),
                "assignments": join(spans),
                "met": met,
                "note": note,
            })
    return pd.DataFrame(rows, columns=COLUMNS)
