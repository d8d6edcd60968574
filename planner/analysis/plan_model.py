"""A written plan compiled into arrays for :mod:`planner.analysis.simulate`.

:func:`compile_plan` reads the plan once: its chosen initiatives, their starts
and lines, who delivers each piece of work in the plan (its routes, in the
plan's proportions), RTB demand and what the plan covers by priority, the
sources each piece may draw on when its own run short, and money.

**A plan re-planned as of a period** (``plan.replan``) is carried out from that
period on: the past happened. Initiatives done before it keep their finish;
one in flight keeps its start and has its remaining effort (``in_flight``
lines of the plan) left to do, paced over the periods from the as-of period to
its finish now; RTB counts from the as-of period; the money spent or committed
before it (``replan.committed``, which holds the full cost of every started
initiative) is spent already.
"""

from __future__ import annotations

import graphlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.plan import Plan
from planner.analysis.sampling import Population, population
from planner.problem.calendar import Calendar
from planner.problem.money import total_budget

PRIORITIES = ("must", "high", "normal")


@dataclass
class Route:
    """Where one piece of work draws its hours in the plan."""

    sources: np.ndarray  # source indices
    shares: np.ndarray  # (offsets, n_sources) share of the delivered work per source
    q: np.ndarray  # delivered work per hour of each source


@dataclass
class PlanModel:
    """A plan compiled for simulation (see the module docstring)."""

    pop: Population
    T: int
    labels: list[str]
    n_int: int  # internal groups are sources 0..n_int-1, contractors after them
    src_unit: list[str | None]
    src_rate: np.ndarray  # money per hour (0 for internal groups)
    ext_capacity: np.ndarray  # (E, T)
    units: list[str]
    chosen: list[int]  # initiative indices (scenario order numbers), in plan order
    ids: list[str]
    start: np.ndarray  # (C,) planned start
    finish: np.ndarray  # (C,) planned finish
    duration: np.ndarray  # (C,) periods from ``begin`` to the planned finish
    begin: np.ndarray  # (C,) period the work is paced from: the start, or t0 in flight
    started: np.ndarray  # (C,) bool: started before t0 (in flight or done)
    done: np.ndarray  # (C,) bool: done before t0 (not simulated)
    line_total: dict[int, float]  # line -> hours still to deliver (the estimate, or what
    # is left of it in flight)
    deadline: np.ndarray  # (C,) last period it may finish in (T-1 without a deadline)
    prereqs: list[list[int]]  # positions in ``chosen``
    topo: list[int]  # positions in ``chosen``, prerequisites first
    lines: list[list[int]]  # per chosen initiative: line indices into ``pop``
    line_route: dict[int, Route]
    line_unit: dict[int, int]  # line -> index into ``units`` (the unit whose work it is)
    unit_index: dict[str, int]
    spare: dict[tuple[str, str], np.ndarray]  # (unit, skill) -> sources, phase 2 order
    spare_internal: dict[tuple[str, str], np.ndarray]
    q_of: dict[tuple[int, str], float]
    rtb_keys: list[tuple[str, str]]
    rtb_order: list[int]  # keys with the fewest possible sources first
    rtb_demand: np.ndarray  # (K, 3, T)
    rtb_target: np.ndarray  # (K, 3, T) what the plan covers, by priority
    rtb_route: list[list[Route | None]]  # [K][T]
    cost: float  # non-labour cost of the chosen initiatives
    unit_cost: np.ndarray  # (U,) of the chosen initiatives each unit sponsors
    budget: float  # policy.budget (inf without one)
    unit_budget: np.ndarray  # (U,) each unit's budget (inf without one)
    planned_spend: float
    planned_unit_spend: np.ndarray  # (U,)
    planned_rtb_short: np.ndarray  # (K, 3) over the horizon (from t0)
    t0: int = 0  # first period carried out (the as-of period of a re-plan)


def compile_plan(plan: Plan, pop: Population | None = None) -> PlanModel:
    """Arrays of ``plan`` for :func:`simulate` (``pop`` from its scenario by default)."""
    sc = plan.scenario
    cal = Calendar(sc.horizon)
    rp = plan.replan
    t0 = cal.of(rp.as_of) if rp is not None else 0
    pop = pop if pop is not None else population(sc, start=t0)
    T = len(cal)
    G = pop.n_groups
    units = [u.id for u in sc.units]
    uidx = {u: k for k, u in enumerate(units)}

    ext_ids = sc.external_ids()
    ext_cap = np.zeros((len(sc.external), T))
    for e, x in enumerate(sc.external):
        ext_cap[e] = x.max_fte * cal.hours_per_fte
        if x.from_ is not None:
            ext_cap[e, : cal.of(x.from_)] = 0.0
    src_unit: list[str | None] = [*pop.group_unit, *([None] * len(sc.external))]
    src_rate = np.array([0.0] * G + [x.cost_per_hour for x in sc.external])
    q_of: dict[tuple[int, str], float] = {}
    for g, skills in enumerate(pop.group_q):
        for s, q in skills.items():
            q_of[(g, s)] = q
    for e, x in enumerate(sc.external):
        q_of[(G + e, x.skill)] = 1.0
    learner = sc.policy.development.learner_proficiency

    # -- the chosen initiatives, in plan order
    results = {r.id: r for r in plan.initiatives}
    index = {i.id: k for k, i in enumerate(sc.initiatives)}
    chosen = [index[r.id] for r in plan.initiatives if r.selected and r.start is not None]
    chosen.sort(key=lambda k: (cal.of(str(results[sc.initiatives[k].id].start)), k))
    pos = {k: c for c, k in enumerate(chosen)}
    ids = [sc.initiatives[k].id for k in chosen]
    start = np.array([cal.of(str(results[i].start)) for i in ids], dtype=int)
    finish = np.array([cal.of(str(results[i].finish)) if results[i].finish else
                       cal.of(str(results[i].start)) + sc.initiatives[k].duration - 1
                       for i, k in zip(ids, chosen, strict=True)], dtype=int)
    started = start < t0
    done = started & (finish < t0)
    begin = np.where(started, t0, start)
    duration = np.maximum(finish - begin + 1, 1)
    deadline = np.array([_last(cal, sc.initiatives[k].deadline) for k in chosen], dtype=int)
    prereqs = [[pos[index[d]] for d in sc.initiatives[k].depends_on if index[d] in pos]
               for k in chosen]
    sorter = graphlib.TopologicalSorter({c: prereqs[c] for c in range(len(chosen))})
    topo = [int(c) for c in sorter.static_order()]
    line_of: dict[tuple[int, str, str], int] = {
        (int(i), u, s): n
        for n, (i, u, s) in enumerate(zip(pop.line_init, pop.line_unit, pop.line_skill,
                                          strict=True))
    }
    lines = [[] if done[c] else [n for n in range(len(pop.line_init)) if pop.line_init[n] == k]
             for c, k in enumerate(chosen)]
    line_total = {n: float(pop.line_hours[n]) for ls in lines for n in ls}
    if rp is not None:  # in flight: what is left of each line
        for fl in rp.in_flight:
            if fl.id not in index or index[fl.id] not in pos:
                continue
            rest = {(ln.unit, ln.skill): ln.remaining for ln in fl.lines}
            for n in lines[pos[index[fl.id]]]:
                line_total[n] = float(rest.get((pop.line_unit[n], pop.line_skill[n]), 0.0))

    # -- the plan's staffing: who delivers what, when
    a = plan.assignments
    group_of = {p.id: int(pop.person_group[n]) for n, p in enumerate(sc.staff)}
    ext_of = {x: G + e for e, x in enumerate(ext_ids)}
    per: dict[tuple[Any, ...], dict[int, float]] = {}
    for person, period, work, for_unit, skill, hours, contract in zip(
        a["person"], a["period"], a["work"], a["for_unit"], a["skill"], a["hours"],
        a["contract"], strict=True,
    ):
        if hours <= 0:
            continue
        src = ext_of.get(str(contract)) if str(person).startswith("external:") else \
            group_of.get(str(person))
        if src is None:
            continue
        q = q_of.get((src, str(skill)), learner)
        t = cal.of(str(period))
        key: tuple[Any, ...]
        if str(work).startswith("rtb:"):
            key = ("rtb", str(work)[4:], str(skill), t)
        else:
            k = index.get(str(work))
            line = line_of.get((k, str(for_unit), str(skill))) if k is not None else None
            if k is None or k not in pos or line is None:
                continue
            key = ("line", line, t - int(start[pos[k]]))
        bucket = per.setdefault(key, {})
        bucket[src] = bucket.get(src, 0.0) + float(hours) * q

    line_route: dict[int, Route] = {}
    for c in range(len(chosen)):
        d = int(finish[c] - start[c] + 1)
        for n in lines[c]:
            offsets = [per.get(("line", n, tau), {}) for tau in range(d)]
            total: dict[int, float] = {}
            for o in offsets:
                for src, h in o.items():
                    total[src] = total.get(src, 0.0) + h
            srcs = np.array(sorted(total), dtype=int)
            shares = np.zeros((d + 1, len(srcs)))
            for tau, o in enumerate([*offsets, total]):
                delivered = sum(o.values())
                for j, src in enumerate(srcs):
                    if delivered > 0:
                        shares[tau, j] = o.get(int(src), 0.0) / delivered
            line_route[n] = Route(srcs, shares, np.array([q_of.get((int(x), pop.line_skill[n]),
                                                                   learner) for x in srcs]))

    # -- RTB: demand, what the plan covers by priority, and who covers it
    keys = sorted({(r.unit, r.skill) for r in sc.run_the_business})
    kidx = {k: n for n, k in enumerate(keys)}
    demand = np.zeros((len(keys), 3, T))
    for r in sc.run_the_business:
        hours = r.hours if isinstance(r.hours, list) else [r.hours] * T
        demand[kidx[(r.unit, r.skill)], PRIORITIES.index(r.priority)] += np.asarray(hours)
    demand[:, :, :t0] = 0.0  # the past happened
    target = np.zeros_like(demand)
    routes: list[list[Route | None]] = []
    for n, (u, s) in enumerate(keys):
        row: list[Route | None] = []
        for t in range(T):
            got = per.get(("rtb", u, s, t), {})
            covered = sum(got.values())
            left = covered
            for p in range(3):
                target[n, p, t] = min(demand[n, p, t], left)
                left -= target[n, p, t]
            if covered > 0:
                srcs = np.array(sorted(got), dtype=int)
                row.append(Route(srcs, np.array([[got[int(x)] / covered for x in srcs]]),
                                 np.array([q_of.get((int(x), s), learner) for x in srcs])))
            else:
                row.append(None)
        routes.append(row)
    planned_short = (demand - target).sum(axis=2)

    # -- spare capacity for phase 2 (and internal only for phase 3)
    def order(srcs: list[int]) -> list[int]:
        # specialists first, then higher proficiency
        return sorted(srcs, key=lambda g: (len(pop.group_skills[g]), -q_of[(g, s)], g))

    spare: dict[tuple[str, str], np.ndarray] = {}
    spare_int: dict[tuple[str, str], np.ndarray] = {}
    wanted = set(keys) | {(pop.line_unit[n], pop.line_skill[n]) for ls in lines for n in ls}
    for u, s in sorted(wanted):
        own = order([g for g in range(G) if pop.group_unit[g] == u and s in pop.group_skills[g]])
        other = order([g for g in range(G) if pop.group_unit[g] != u
                       and s in pop.group_skills[g]]) if sc.policy.borrowing else []
        ext = [G + e for e, x in enumerate(sc.external) if x.skill == s]
        spare[(u, s)] = np.array(own + other + ext, dtype=int)
        spare_int[(u, s)] = np.array(own + other, dtype=int)

    # money: started initiatives are in what the re-plan found committed
    fresh = [k for c, k in enumerate(chosen) if not started[c]]
    cost = float(sum(sc.initiatives[k].cost for k in fresh))
    unit_cost = np.zeros(len(units))
    for k in fresh:
        sp = sc.initiatives[k].sponsor
        if sp in uidx:
            unit_cost[uidx[sp]] += sc.initiatives[k].cost
    if rp is not None:
        cost += rp.committed
        for u, spent in rp.committed_by_unit.items():
            if u in uidx:
                unit_cost[uidx[u]] += spent
    ext_rows = a[a["person"].astype(str).str.startswith("external:")]
    if t0 > 0:
        ext_rows = ext_rows[ext_rows["period"].astype(str).map(cal.of) >= t0]
    rate = dict(zip(ext_ids, (x.cost_per_hour for x in sc.external), strict=True))
    planned_unit = unit_cost.copy()
    ext_money = 0.0
    for contract, for_unit, hours in zip(ext_rows["contract"], ext_rows["for_unit"],
                                         ext_rows["hours"], strict=True):
        m = float(hours) * rate.get(str(contract), 0.0)
        ext_money += m
        if str(for_unit) in uidx:
            planned_unit[uidx[str(for_unit)]] += m
    return PlanModel(
        pop=pop, T=T, labels=list(cal.labels), n_int=G, src_unit=src_unit, src_rate=src_rate,
        ext_capacity=ext_cap, units=units, chosen=chosen, ids=ids, start=start,
        finish=finish, duration=duration, begin=begin, started=started, done=done,
        line_total=line_total, deadline=deadline, prereqs=prereqs,
        topo=topo, lines=lines, line_route=line_route,
        line_unit={n: uidx.get(pop.line_unit[n], -1) for ls in lines for n in ls},
        rtb_order=sorted(range(len(keys)), key=lambda n: (len(spare[keys[n]]), n)),
        unit_index=uidx, spare=spare, spare_internal=spare_int, q_of=q_of, rtb_keys=keys,
        rtb_demand=demand, rtb_target=target, rtb_route=routes, cost=cost, unit_cost=unit_cost,
        budget=_money(getattr(sc.policy, "budget", None)),
        unit_budget=np.array([_money(u.budget) for u in sc.units]),
        planned_spend=cost + ext_money, planned_unit_spend=planned_unit,
        planned_rtb_short=planned_short, t0=t0,
    )


def _money(value: object) -> float:
    """A budget as a number (inf without one; a per-year map: the sum of its years,
    so risk judges a long-term plan's money over the whole horizon)."""
    total = total_budget(value) if isinstance(value, int | float | dict) else None
    return math.inf if total is None else total


def _last(cal: Calendar, deadline: str | None) -> int:
    """Last period an initiative may finish in."""
    return cal.of(deadline) if deadline else len(cal) - 1
