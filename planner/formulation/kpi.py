"""Constraint family on KPI targets: closure of each gap, and hard ``must_meet`` rows.

Each checkpoint of a KPI (its ``target`` at ``by``, and each yearly target at the
end of its year, :func:`planner.problem.kpi.targets`) is a target ``k`` of its
own below, named by its key (``nps``, ``nps@2027``). For every target ``k``
(see :mod:`planner.problem.kpi` for the forecast), with
``dir`` its direction, ``G = |target - baseline|`` its gap at the baseline and
``tot_ik`` initiative ``i``'s total impact on it (value paths included), the
change the plan brings by the end of period ``by`` is linear in the start
binaries: ``D_k = sum over starts s of i with s + d_i - 1 <= by of tot_ik x[i,s]``.

- ``kc[k]`` (continuous, ``<= G``): the part of the gap closed, with the row
  ``kpi[k]``: ``kc[k] <= dir * D_k``. The objective rewards ``kc[k] / G`` (a share
  of the gap, so the weight means the same whatever the KPI's units), never
  beyond the target; a plan that moves the KPI the wrong way gets a negative
  ``kc`` and pays for it.
- ``km[k]`` (binary, only when ``policy.kpi_targets.met_bonus`` > 0 and the target
  is reachable at all): 1 only when the target is met, row ``kpimet[k]``:
  ``G km[k] <= kc[k]``. It earns a small bonus, so that of two plans that close
  the same share of their gaps the one that meets more targets wins.
- ``kpimust[k]`` for ``must_meet`` targets: ``dir * D_k >= G`` (a hard rule).

Objective coefficients are set by :func:`planner.formulation.objective.kpi_objective`.
"""

from __future__ import annotations

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData
from planner.problem.kpi import Target


def finished_by(data: ProblemData, v: Vars, k: Target) -> tuple[list[int], list[float]]:
    """Start columns that finish by ``k.by`` with their effect ``dir x tot_ik`` on ``k``."""
    cols: list[int] = []
    vals: list[float] = []
    for (i, s), col in v.x.items():
        x = data.impacts[i].get(k.id, 0.0) if data.impacts else 0.0
        if x and s + data.initiatives[i].duration - 1 <= k.by:
            cols.append(col)
            vals.append(k.direction * x)
    return cols, vals


def kpi_targets(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """Add ``kc``/``km`` columns and the ``kpi``, ``kpimet`` and ``kpimust`` rows (see module)."""
    bonus = data.scenario.policy.kpi_targets.met_bonus > 0
    for k in data.kpis:
        cols, vals = finished_by(data, v, k)
        gap = k.gap0
        if k.must_meet:
            model.add_row(f"kpimust[{k.key}]", cols, vals, lo=gap)
        if gap <= 0 or not cols:
            continue  # nothing to close, or nothing can close it
        worst = _worst(data, v, cols, vals)
        c = model.add_var(f"kc[{k.key}]", lb=worst, ub=gap)
        v.kc[k.key] = c
        model.add_row(f"kpi[{k.key}]", [c, *cols], [1.0, *(-x for x in vals)], hi=0.0)
        if bonus and _best(data, v, cols, vals) >= gap * (1 - 1e-9):
            m = model.add_var(f"km[{k.key}]", 0, 1, integer=True)
            v.km[k.key] = m
            model.add_row(f"kpimet[{k.key}]", [m, c], [gap, -1.0], hi=0.0)


def _per_initiative(v: Vars, cols: list[int], vals: list[float]) -> dict[int, list[float]]:
    which = {col: i for (i, _s), col in v.x.items()}
    out: dict[int, list[float]] = {}
    for col, x in zip(cols, vals, strict=True):
        out.setdefault(which[col], []).append(x)
    return out


def _worst(data: ProblemData, v: Vars, cols: list[int], vals: list[float]) -> float:
    """Lowest ``dir x D_k`` any plan can reach (each initiative starts at most once)."""
    return sum(min(0.0, *xs) for xs in _per_initiative(v, cols, vals).values())


def _best(data: ProblemData, v: Vars, cols: list[int], vals: list[float]) -> float:
    """Highest ``dir x D_k`` ignoring every rule but "start at most once"."""
    return sum(max(0.0, *xs) for xs in _per_initiative(v, cols, vals).values())
