"""Development: whether people who asked to grow a skill get work that grows it."""

from __future__ import annotations

import numpy as np
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
    wanted = {p.id for p in plan.scenario.staff if p.develop}
    mine_by: dict[str, tuple[list[str], list[str], list[int], np.ndarray]] = {}
    if wanted:
        sub = a[a["person"].isin(wanted)]
        for pid, g in sub.groupby("person", sort=False):
            mine_by[str(pid)] = (g["work"].tolist(), g["skill"].tolist(), g["t"].tolist(),
                                 g["hours"].to_numpy(dtype=float))
    empty: tuple[list[str], list[str], list[int], np.ndarray] = ([], [], [], np.zeros(0))
    rows = []
    for p in plan.scenario.staff:
        if not p.develop:
            continue
        works, skills, ts, hours = mine_by.get(p.id, empty)
        for sk in p.develop:
            need = needs.get(sk, set())
            in_mask = np.array([s == sk for s in skills], dtype=bool)
            along_mask = np.array(
                [s != sk and w in need for s, w in zip(skills, works, strict=True)], dtype=bool
            )
            span: dict[str, tuple[int, int]] = {}
            for k in [*np.flatnonzero(in_mask), *np.flatnonzero(along_mask)]:
                w, t = works[k], ts[k]
                lo, hi = span.get(w, (t, t))
                span[w] = (min(lo, t), max(hi, t))
            spans = []
            for w in sorted(span):
                first, last = f.labels[span[w][0]], f.labels[span[w][1]]
                spans.append(f"{w} ({first})" if first == last else f"{w} ({first}..{last})")
            h_in, h_along = float(hours[in_mask].sum()), float(hours[along_mask].sum())
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
