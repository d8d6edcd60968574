"""The objective of the CP-SAT schedule model: the MIP's, as an upper bound in integers.

Every start binary carries its coefficient in the MIP (weight x earliness,
tie-break, baseline bonuses), rounded up after scaling; the RTB shortfall the
change load forces is charged at a lower bound of its penalty (rounded down);
KPI targets earn their ``kc``/``km`` reward (rounded up). So the CP objective of
a schedule is at least the MIP objective of its best staffing, equal to it when
the room is exact (:mod:`planner.backends.cpsat_model`); the MIP's other terms
(borrowing, contractor money, baseline hours) only ever lower the MIP objective,
and development wishes (hours, not schedules) are counted at their most.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.backends.cpsat_scale import OBJ_RESOLUTION, down, hour_scale, up
from planner.problem.data import ProblemData

if TYPE_CHECKING:
    from planner.backends.cpsat_model import Resource, ScheduleModel


def rtb_figures(data: ProblemData, u: str, sk: str) -> list[float]:
    """RTB demand and deliverable hours of a unit and skill (for the hour scale)."""
    if (u, sk) not in data.rtb:
        return []
    arr = data.rtb[(u, sk)]
    return list(arr.ravel()) + list(deliverable(data, u, sk))


def deliverable(data: ProblemData, u: str, sk: str) -> np.ndarray:
    """Most hours (x proficiency) unit ``u`` can get in skill ``sk`` per period, RTB or change.

    Every cohort of the unit with the skill gives all its capacity to it, every
    contractor of the skill works for the unit, and with borrowing every other
    cohort with the skill lends all of its capacity: an upper bound.
    """
    q = np.zeros(data.T)
    for g in data.cohorts:
        if sk in g.skills and (g.unit == u or data.borrowing):
            q += g.skills[sk] * g.capacity
    for e in data.externals:
        if e.skill == sk:
            q += e.capacity
    return q


def objective(sm: ScheduleModel) -> None:
    """Maximise the MIP's objective of the schedule, scaled to integers (see the module)."""
    m, data, a = sm.model, sm.data, sm.arrays
    v = sm.f.vars
    coefs = {key: float(a.obj[col]) for key, col in v.x.items()}
    top = max([abs(c) for c in coefs.values()]
              + [data.penalty_high, data.penalty_normal, 1e-12])
    sm.obj_scale = OBJ_RESOLUTION / top
    sm.obj_const = float(a.obj_offset)
    # development wishes: hours, which the schedule does not decide; their reward is
    # counted at its most (an upper bound), so a plan's objective here is never below
    # the MIP's, and the room is not exact
    dev = [col for col in v.dev.values() if a.obj[col] > 0]
    if dev:
        sm.obj_const += float(sum(a.obj[col] * a.ub[col] for col in dev))
        sm.inexact.append("development wishes (their reward counted at its most)")
    terms: list[Any] = []
    for i in sm.members:
        for t, b in sm.xs[i].items():
            c = math.ceil(coefs[(i, t)] * sm.obj_scale)
            if c:
                terms.append(c * b)
    terms += shortfall_terms(sm)
    terms += kpi_terms(sm)
    m.maximize(sum(terms))


def shortfall_terms(sm: ScheduleModel) -> list[Any]:
    """Penalty of the RTB shortfall the change load forces, a lower bound per cell.

    In unit ``u``, skill ``k``, period ``t`` at most ``Q`` hours can be delivered
    (:func:`deliverable`); the change load ``L`` and all RTB demand need
    ``L + must + high + normal``, so at least the excess over ``Q`` of high and
    normal RTB is left undone, normal first (it is the cheaper penalty).
    """
    data, m = sm.data, sm.model
    T = data.T
    out: list[Any] = []
    pn, ph = data.penalty_normal, data.penalty_high
    for (u, sk), arr in sorted(data.rtb.items()):
        res = sm.resources.get((u, sk))
        q = deliverable(sm.data, u, sk)
        scale = res.scale if res is not None else hour_scale(
            list(arr.ravel()) + list(q))[0]
        for t in range(T):
            must, high, normal = (float(x) for x in arr[:, t])
            if high + normal <= 0:
                continue
            active = loads(sm, res, t) if res is not None else []
            excess = must + high + normal - float(q[t])
            most = excess + sum(d / scale for d, _b in active)
            if most <= 1e-9:
                continue
            if not active:  # fixed: the same penalty in every plan
                short = min(max(excess, 0.0), high + normal)
                sm.obj_const -= pn * min(short, normal) + ph * max(short - normal, 0.0)
                continue
            n_int, h_int = up(normal * scale), up(high * scale)
            need = down((must + high + normal) * scale) - up(float(q[t]) * scale)
            sn = m.new_int_var(0, n_int, f"shn[{u},{sk},{t}]")
            sh = m.new_int_var(0, h_int, f"shh[{u},{sk},{t}]")
            m.add(sn + sh >= sum(d * b for d, b in active) + need)
            cn = math.floor(pn * sm.obj_scale / scale)
            chh = math.floor(ph * sm.obj_scale / scale)
            out += [-cn * sn, -chh * sh]
    return out


def loads(sm: ScheduleModel, res: Resource, t: int) -> list[tuple[int, Any]]:
    """(demand, start binary) pairs that put load on ``res`` in period ``t``."""
    out = []
    for i, a in res.items:
        if a <= 0:
            continue
        d = sm.data.initiatives[i].duration
        out += [(a, b) for s, b in sm.xs[i].items() if s <= t < s + d]
    return out


def kpi_terms(sm: ScheduleModel) -> list[Any]:
    """KPI targets: ``must_meet`` rows, and the objective of ``kc`` and ``km``.

    ``D_k`` (the KPI's change from initiatives finished by its period) is the
    same sum of start columns as in :func:`planner.formulation.kpi.finished_by`;
    coefficients are rounded up and thresholds down (a relaxation). ``kc`` runs
    from its lower bound in integer steps ``y >= 0``, so rounding its objective
    coefficient up keeps the objective an upper bound.
    """
    from planner.formulation.kpi import finished_by

    data, m, a, v = sm.data, sm.model, sm.arrays, sm.f.vars
    at = {col: key for key, col in v.x.items()}
    out: list[Any] = []
    for k in data.kpis:
        cols, vals = finished_by(data, v, k)
        pairs = [(at[c], x) for c, x in zip(cols, vals, strict=True)
                 if at[c][0] in sm.xs and at[c][1] in sm.xs[at[c][0]]]
        kc, km = v.kc.get(k.id), v.km.get(k.id)
        lo_kc = float(a.lb[kc]) if kc is not None else 0.0
        scale, exact = hour_scale([x for _k, x in pairs] + [k.gap0, lo_kc])
        if not exact:
            sm.inexact.append(f"KPI {k.id} impacts are not small fractions")
        d = sum(up(x * scale) * sm.xs[i][s] for (i, s), x in pairs)
        if k.must_meet:
            m.add(d >= down(k.gap0 * scale))
        if kc is None:
            continue
        lo = down(lo_kc * scale)
        y = m.new_int_var(0, max(up(k.gap0 * scale) - lo, 0), f"kc[{k.id}]")
        m.add(lo + y <= d)
        c = float(a.obj[kc])
        sm.obj_const += c * lo / scale
        out.append(math.ceil(c * sm.obj_scale / scale) * y)
        if km is not None:
            met = m.new_bool_var(f"km[{k.id}]")
            m.add(down(k.gap0 * scale) * met <= lo + y)
            out.append(math.ceil(float(a.obj[km]) * sm.obj_scale) * met)
    return out
