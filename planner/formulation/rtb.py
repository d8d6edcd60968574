"""Constraint family on run-the-business work: cover per unit, skill and period."""

from __future__ import annotations

from collections import defaultdict

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def rtb_cover(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """``rtb[u,k,t]``: delivered RTB + allowed shortfall = demand.

    Delivered = own cohorts' hours x proficiency + borrowed + contractor hours.
    Shortfall is allowed only for ``high`` and ``normal`` demand (bounded by it),
    so ``must`` demand is covered in full.
    """
    labels = data.calendar.labels
    terms: dict[tuple[str, str, int], tuple[list[int], list[float]]] = defaultdict(
        lambda: ([], [])
    )
    for (g, sk, t), col in v.r.items():
        cohort = data.cohorts[g]
        cols, vals = terms[(cohort.unit, sk, t)]
        cols.append(col)
        vals.append(cohort.skills[sk])
    for (u, sk, t), col in v.br.items():
        cols, vals = terms[(u, sk, t)]
        cols.append(col)
        vals.append(1.0)
    for (e, u, t), col in v.er.items():
        cols, vals = terms[(u, data.externals[e].skill, t)]
        cols.append(col)
        vals.append(1.0)
    for (u, sk, t, _p), col in v.sh.items():
        cols, vals = terms[(u, sk, t)]
        cols.append(col)
        vals.append(1.0)
    for u, sk, t in sorted(v.rtb_cells):
        demand = float(data.rtb[(u, sk)][:, t].sum())
        cols, vals = terms.get((u, sk, t), ([], []))
        model.add_row(f"rtb[{u},{sk},{labels[t]}]", cols, vals, demand, demand)
