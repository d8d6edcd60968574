"""People data of the report, compact enough for 5,000 people in one file.

A person's page is not in the HTML: the report embeds this data as JSON and
the browser builds the page of one person when their anchor
(``#person-<id>``) or the search is used. Work ids are stored once
(``work``) and referred to by position.
"""

from __future__ import annotations

from typing import Any

from models.plan import Plan
from planner.views import development, individual_goals
from planner.views._common import facts


def _r(x: float, nd: int = 4) -> float | int:
    y = round(float(x), nd)
    return int(y) if y == int(y) else y


def people_data(plan: Plan) -> dict[str, Any]:
    """Everything a person's page shows, for every person of the plan.

    Keys: ``periods`` (labels), ``max_utilisation``, ``work`` (one entry per
    piece of work: id, name, kind ``rtb``/``change``, unit served or sponsor,
    objectives, KPIs), ``people`` (one list per person: id, name, unit,
    skills as ``{skill: proficiency}``, fte, max change share, available hours
    per period, then the work as a flat list ``[t, work index, hours, other,
    ...]``: hours as in the assignments summed per period, piece of work and
    whether it is for another unit (``other`` 1) or the person's own (0)) and
    ``development`` (person id -> rows of the development view).
    """
    f = facts(plan)
    s = plan.scenario
    a = f.assignments
    staff = a[~a["external"]]
    staff = staff.assign(other=(staff["unit"] != staff["for_unit"]).astype(int))
    per = staff.groupby(["person", "t", "work", "other"], sort=True)["hours"].sum().reset_index()
    works = sorted({str(w) for w in per["work"]}, key=lambda w: (not w.startswith("rtb:"), w))
    windex = {w: k for k, w in enumerate(works)}
    pids = per["person"].astype(str).tolist()
    cols = (per["t"].tolist(), per["work"].astype(str).map(windex).tolist(),
            [_r(h) for h in per["hours"].tolist()], per["other"].tolist())
    items: dict[str, list[float | int]] = {}
    start = 0
    for end in range(1, len(pids) + 1):  # rows are sorted by person: one slice each
        if end == len(pids) or pids[end] != pids[start]:
            items[pids[start]] = [x for row in zip(*(c[start:end] for c in cols), strict=True)
                                  for x in row]
            start = end
    available = f.available
    people = []
    for k, p in enumerate(s.staff):
        people.append([
            p.id, p.name or p.id, p.unit, {sk: _r(q, 3) for sk, q in p.skills.items()},
            _r(p.fte, 3), _r(p.max_change_share, 3), [_r(x, 2) for x in available[k]],
            items.get(p.id, []),
        ])
    dev: dict[str, list[list[Any]]] = {}
    for r in development(plan).itertuples(index=False):
        note = f"mentor: {r.mentor_name}" if r.mentor else ""
        if not r.met and r.reason:
            note += ("; " if note else "") + str(r.reason)
        dev.setdefault(str(r.person), []).append([
            r.skill, _r(r.proficiency, 3), _r(r.hours_wished), _r(r.hours_planned),
            bool(r.met), r.work, note,
        ])
    goals: dict[str, list[list[Any]]] = {}
    for g in individual_goals(plan).itertuples(index=False):
        goals.setdefault(str(g.person), []).append([
            g.kpi, g.kind, _num(g.hours), _num(g.contribution), _num(g.target), str(g.by or ""),
            _num(g.committed), None if g.met is None or g.met != g.met else bool(g.met),
            g.work, g.note,
        ])
    return {
        "periods": list(f.labels),
        "max_utilisation": s.policy.max_utilisation,
        "work": [_work_info(plan, w) for w in works],
        "people": people,
        "development": dev,
        "goals": goals,
    }


def _num(x: Any) -> float | int | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return _r(v) if v == v else None


def _work_info(plan: Plan, work: str) -> list[Any]:
    """``[id, name, kind, unit, objectives, kpis]`` of one piece of work."""
    f = facts(plan)
    if work.startswith("rtb:"):
        unit = work[4:]
        # RTB lines may name the KPIs they sustain (read defensively: a newer field)
        kpis: list[str] = []
        for line in plan.scenario.run_the_business:
            if line.unit == unit:
                kpis += [k for k in (getattr(line, "sustains", None) or []) if k not in kpis]
        return [work, f"run the business ({unit})", "rtb", unit, [], kpis]
    ini = f.initiatives.get(work)
    if ini is None:
        return [work, work, "change", "", [], []]
    return [work, ini.name or work, "change", ini.sponsor or "", f.objectives_of(work),
            f.kpis_of(work)]
