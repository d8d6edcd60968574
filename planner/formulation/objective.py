"""The objective: what the plan maximises.

``sum_i sum_s W_i * (1 + earliness * (T-1-finish(i,s)) / T) * x[i,s]``
``- penalty_high * short_high - penalty_normal * short_normal``
``- penalty_borrow * lent hours - money_weight * contractor cost``

``W_i`` is the strategic score (sum over objectives of weight x rating) for
``objective: strategic``, value minus cost for ``value``, and an even blend of
each initiative's share of total score and total value for ``blend``. Penalties
are multiples (``policy.rtb_penalty``, ``policy.borrow_penalty``) of the
average weight per effort hour, so they stay meaningful whatever the scale of
the scores. A tiny tie-break that prefers the earlier listed initiative keeps
plans deterministic between equally good choices.
"""

from __future__ import annotations

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData

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
