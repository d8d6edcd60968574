"""The objective: what the plan maximises.

``sum_i sum_s W_i * (1 + earliness * (T-1-finish(i,s)) / T) * x[i,s]``
``- penalty_high * short_high - penalty_normal * short_normal``
``- penalty_borrow * lent hours - money_weight * contractor cost``
``+ sum_k R_k * (kc[k] / G_k + met_bonus / weight * km[k])`` (KPI targets)
``+ development_weight * development hours met - tie * learner hours``

``W_i`` is the strategic score (sum over objectives of weight x rating) for
``objective: strategic``, value minus cost for ``value``, and an even blend of
each initiative's share of total score and total value for ``blend``. Penalties
are multiples (``policy.rtb_penalty``, ``policy.borrow_penalty``) of the
average weight per effort hour, so they stay meaningful whatever the scale of
the scores; so is the development reward (``policy.development.weight``, see
:mod:`planner.formulation.development`). A tiny tie-break that prefers the
earlier listed initiative keeps plans deterministic between equally good choices.

KPI targets (:mod:`planner.formulation.kpi`): ``kc[k] / G_k`` is the share of
KPI ``k``'s gap to its target closed by ``by``; closing it all earns ``R_k =
policy.kpi_targets.weight x W x r_k``, where ``W`` is the average objective
weight of an initiative and ``r_k`` the weight of the KPI's objective over the
average objective weight (1 for a KPI without objective). Meeting the target
earns ``policy.kpi_targets.met_bonus x W x r_k`` more (``km[k]``).
"""

from __future__ import annotations

from planner.formulation.development import LEARNER_TIE, learner_columns
from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData
from planner.problem.kpi import Target

TIE_BREAK = 1e-7


def objective(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """Set the objective coefficient of every column (maximisation)."""
    n = max(len(data.initiatives), 1)
    scale = max((abs(i.weight) for i in data.initiatives), default=1.0) or 1.0
    for (i, s), col in v.x.items():
        ini = data.initiatives[i]
        finish = s + ini.duration - 1
        tie = TIE_BREAK * scale * (n - i) / n
        model.col_obj[col] = ini.weight * data.earliness_factor(finish) + tie
    for (_u, _sk, _t, p), col in v.sh.items():
        model.col_obj[col] = -(data.penalty_high if p == "high" else data.penalty_normal)
    for fam in (v.lr, v.lc):
        for col in fam.values():
            model.col_obj[col] = -data.penalty_borrow
    for fam in (v.er, v.ec):
        for (e, _u, _t), col in fam.items():
            model.col_obj[col] = -data.money_weight * data.externals[e].cost_per_hour
    for col in v.dev.values():
        model.col_obj[col] = data.development_weight
    for col in learner_columns(data, v):  # people with the skill first, other things equal
        model.col_obj[col] -= LEARNER_TIE * data.per_hour
    kpi_objective(model, data, v)


def kpi_unit(data: ProblemData, k: Target) -> float:
    """``W x r_k``: the average initiative weight x the KPI's relative objective weight."""
    from planner.formulation.stability import average_weight

    objs = data.scenario.strategy.objectives
    weights = {o.id: o.weight for o in objs}
    mean = sum(weights.values()) / len(weights) if weights else 0.0
    rel = weights.get(k.objective, 0.0) / mean if k.objective is not None and mean > 0 else 1.0
    return average_weight(data) * rel


def kpi_objective(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """Objective coefficients of the KPI target columns ``kc`` and ``km``."""
    pol = data.scenario.policy.kpi_targets
    for k in data.kpis:
        unit = kpi_unit(data, k)
        if k.id in v.kc:
            model.col_obj[v.kc[k.id]] = pol.weight * unit / k.gap0
        if k.id in v.km:
            model.col_obj[v.km[k.id]] = pol.met_bonus * unit
