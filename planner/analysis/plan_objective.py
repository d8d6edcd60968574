"""The objective of a written plan, from its decisions and assignments alone.

A robust plan (:mod:`planner.analysis.robust`) is made for an inflated scenario
and brought back to the real one, so the solver's objective is not the real
scenario's. :func:`objective_of` scores a plan against its own scenario with
the terms of :mod:`planner.formulation.objective`:

* each chosen initiative's weight x its earliness factor (and the tie-break);
* less the RTB shortfall penalties (the shortfall of a unit, skill and period is
  its demand less the work delivered, put on the cheaper priority first), the
  borrowing penalty per lent hour and the money weight x contractor spend;
* plus the KPI target terms: the share of each gap closed by ``by`` (at most
  all of it) and the bonus for a target met;
* plus the development reward per hour of a wish met (per cohort, at most its
  wishes) less the learners' tie-break.

The stability terms of a re-plan against a baseline are not included.
"""

from __future__ import annotations

from collections import defaultdict

from models.plan import Plan
from planner.formulation.development import LEARNER_TIE
from planner.formulation.objective import TIE_BREAK, kpi_unit
from planner.problem.data import compile_problem


def objective_of(plan: Plan) -> float:
    """The plan's objective in its own scenario (see the module docstring)."""
    sc = plan.scenario
    data = compile_problem(sc)
    cal = data.calendar
    n = max(len(data.initiatives), 1)
    scale = max((abs(i.weight) for i in data.initiatives), default=1.0) or 1.0
    total = 0.0
    finish: dict[str, int] = {}
    for r in plan.initiatives:
        if r.selected and r.finish is not None:
            ini = data.by_id[r.id]
            finish[r.id] = cal.of(r.finish)
            start = cal.of(r.start) if r.start is not None else finish[r.id] - ini.duration + 1
            total += ini.weight_at(start) * data.earliness_factor(finish[r.id])
            total += TIE_BREAK * scale * (n - ini.index) / n

    units = {p.id: p.unit for p in sc.staff}
    q_of = {p.id: sc.proficiencies(p) for p in sc.staff}
    cohort_of = {sc.staff[m].id: g.index for g in data.cohorts for m in g.members}
    rates = dict(zip(sc.external_ids(), (e.cost_per_hour for e in sc.external), strict=True))
    delivered: dict[tuple[str, str, int], float] = defaultdict(float)
    on_skill: dict[tuple[int, str], float] = defaultdict(float)
    lent = money = 0.0
    a = plan.assignments
    for person, period, work, for_unit, skill, hours, contract in zip(
        a["person"], a["period"], a["work"], a["for_unit"], a["skill"], a["hours"],
        a["contract"], strict=True,
    ):
        person, skill, h = str(person), str(skill), float(hours)
        external = person.startswith("external:")
        if external:  # discounted like the model (all factors 1 without a discount rate)
            t = cal.of(str(period))
            d = float(data.discount[t]) if len(data.discount) == data.T else 1.0
            money += h * rates.get(str(contract), 0.0) * d
        else:
            if units.get(person) != str(for_unit):
                lent += h
            on_skill[(cohort_of[person], skill)] += h
        if str(work).startswith("rtb:"):
            q = 1.0 if external else q_of.get(person, {}).get(skill, 0.0)
            delivered[(str(work)[4:], skill, cal.of(str(period)))] += h * q

    cheap_first = sorted([(data.penalty_high, 1), (data.penalty_normal, 2)])
    for (u, sk), arr in data.rtb.items():
        for t in range(data.T):
            short = max(float(arr[:, t].sum()) - delivered.get((u, sk, t), 0.0), 0.0)
            for penalty, p in cheap_first:
                part = min(short, float(arr[p, t]))
                total -= penalty * part
                short -= part
    total -= data.penalty_borrow * lent
    total -= data.money_weight * money

    pol = sc.policy.kpi_targets
    for k in data.kpis:
        if k.gap0 <= 0:
            continue
        moved = sum(data.impacts[data.by_id[i].index].get(k.id, 0.0)
                    for i, f in finish.items() if f <= k.by)
        closed = min(k.gap0, k.direction * moved)
        unit = kpi_unit(data, k) * k.share  # a KPI's checkpoints share its reward
        total += pol.weight * unit * closed / k.gap0
        if pol.met_bonus > 0 and closed >= k.gap0 * (1 - 1e-9):
            total += pol.met_bonus * unit

    for g in data.cohorts:
        for sk, wish in g.wished.items():
            total += data.development_weight * min(float(wish.sum()), on_skill[(g.index, sk)])
        for sk in g.learning:
            total -= LEARNER_TIE * data.per_hour * on_skill[(g.index, sk)]
    return round(total, 6)
