"""Decision variables of the planning model.

- ``x[i,s]`` (binary): initiative ``i`` starts in period ``s``.
- ``r[g,k,t]`` / ``c[g,k,t]``: hours cohort ``g`` gives to its own unit's RTB / change
  work in skill ``k`` in period ``t``.
- ``lr[g,k,t]`` / ``lc[g,k,t]``: hours cohort ``g`` lends to other units' RTB / change
  work (only when ``policy.borrowing``); they flow through a pool per skill and
  period, from which ``br[u,k,t]`` / ``bc[u,k,t]`` are borrowed (delivered hours).
- ``er[e,u,t]`` / ``ec[e,u,t]``: contractor hours of external pool ``e`` on unit ``u``'s
  RTB / change work.
- ``sh[u,k,t,p]``: RTB hours of priority ``p`` (high, normal) left undone.
- ``dev[g,k]``: hours of cohort ``g``'s development wishes in skill ``k`` met over
  the horizon (created by :mod:`planner.formulation.development`).
- ``kc[k]`` / ``km[k]``: share of KPI ``k``'s gap closed and "target met" (added by
  :mod:`planner.formulation.kpi`).

Variables are created only where they can be non-zero (a skill the cohort has,
a period where demand can exist), which keeps the model small.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from planner.formulation.model import LinearModel
from planner.problem.cohorts import Cohort
from planner.problem.data import ProblemData

Key3 = tuple[int, str, int]


def _cohort_cells(data: ProblemData) -> Iterator[tuple[Cohort, str, int, str]]:
    """Each (cohort, skill, period) where the cohort has hours, with its column label."""
    labels = data.calendar.labels
    for g in data.cohorts:
        for sk in g.skills:
            for t in range(data.T):
                if g.capacity[t] > 0:
                    yield g, sk, t, f"{g.name},{sk},{labels[t]}"


@dataclass
class Vars:
    """Column indices of every variable family, keyed by their indices."""

    x: dict[tuple[int, int], int] = field(default_factory=dict)
    r: dict[Key3, int] = field(default_factory=dict)
    c: dict[Key3, int] = field(default_factory=dict)
    lr: dict[Key3, int] = field(default_factory=dict)
    lc: dict[Key3, int] = field(default_factory=dict)
    br: dict[tuple[str, str, int], int] = field(default_factory=dict)
    bc: dict[tuple[str, str, int], int] = field(default_factory=dict)
    er: dict[tuple[int, str, int], int] = field(default_factory=dict)
    ec: dict[tuple[int, str, int], int] = field(default_factory=dict)
    sh: dict[tuple[str, str, int, str], int] = field(default_factory=dict)
    dev: dict[tuple[int, str], int] = field(default_factory=dict)
    #: (unit, skill, period) where RTB / change demand can be non-zero
    rtb_cells: set[tuple[str, str, int]] = field(default_factory=set)
    change_cells: set[tuple[str, str, int]] = field(default_factory=set)
    selectable: list[int] = field(default_factory=list)
    #: KPI id -> column of the gap closed / of "target met" (planner.formulation.kpi)
    kc: dict[str, int] = field(default_factory=dict)
    km: dict[str, int] = field(default_factory=dict)


def selectable(data: ProblemData) -> list[int]:
    """Indices of the initiatives that may enter the plan at all (see ``InitiativeData``)."""
    return [i.index for i in data.initiatives if i.selectable]


def add_variables(model: LinearModel, data: ProblemData) -> Vars:
    """Create every column of the model (objective coefficients are set later)."""
    v = Vars(selectable=selectable(data))
    labels = data.calendar.labels
    for k in v.selectable:
        ini = data.initiatives[k]
        for s in ini.starts:
            v.x[(k, s)] = model.add_var(f"x[{ini.id},{labels[s]}]", 0, 1, integer=True)
            for u, sk, _h in ini.lines:
                for t in range(s, s + ini.duration):
                    v.change_cells.add((u, sk, t))
    for (u, sk), arr in data.rtb.items():
        for t in range(data.T):
            if arr[:, t].sum() > 0:
                v.rtb_cells.add((u, sk, t))

    for g, sk, t, lab in _cohort_cells(data):
        if (g.unit, sk, t) in v.rtb_cells:
            v.r[(g.index, sk, t)] = model.add_var(f"r[{lab}]")
        if (g.unit, sk, t) in v.change_cells and g.change_share > 0:
            v.c[(g.index, sk, t)] = model.add_var(f"c[{lab}]")

    if data.borrowing:
        _borrowing_vars(model, data, v)

    for e in data.externals:
        for t in range(data.T):
            if e.capacity[t] <= 0:
                continue
            for u in data.units:
                lab = f"{e.id},{u},{labels[t]}"
                if (u, e.skill, t) in v.rtb_cells:
                    v.er[(e.index, u, t)] = model.add_var(f"er[{lab}]")
                if (u, e.skill, t) in v.change_cells:
                    v.ec[(e.index, u, t)] = model.add_var(f"ec[{lab}]")

    for u, sk, t in sorted(v.rtb_cells):
        arr = data.rtb[(u, sk)]
        for p, row in (("high", 1), ("normal", 2)):
            if arr[row, t] > 0:
                v.sh[(u, sk, t, p)] = model.add_var(
                    f"short[{u},{sk},{labels[t]},{p}]", 0, float(arr[row, t])
                )
    return v


def _borrowing_vars(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """Lending columns for cohorts, borrowing columns for units (via a pool per skill/period)."""
    labels = data.calendar.labels
    holders: dict[str, set[str]] = {}
    for g in data.cohorts:
        for sk in g.skills:
            holders.setdefault(sk, set()).add(g.unit)
    for cells, borrowed in ((v.rtb_cells, v.br), (v.change_cells, v.bc)):
        for u, sk, t in sorted(cells):
            if holders.get(sk, set()) - {u}:
                name = "br" if borrowed is v.br else "bc"
                borrowed[(u, sk, t)] = model.add_var(f"{name}[{u},{sk},{labels[t]}]")
    borrowers_r: dict[tuple[str, int], set[str]] = {}
    borrowers_c: dict[tuple[str, int], set[str]] = {}
    for u, sk, t in v.br:
        borrowers_r.setdefault((sk, t), set()).add(u)
    for u, sk, t in v.bc:
        borrowers_c.setdefault((sk, t), set()).add(u)
    for g, sk, t, lab in _cohort_cells(data):
        # lending only makes sense when some other unit can borrow this skill then
        if borrowers_r.get((sk, t), set()) - {g.unit}:
            v.lr[(g.index, sk, t)] = model.add_var(f"lr[{lab}]")
        if g.change_share > 0 and borrowers_c.get((sk, t), set()) - {g.unit}:
            v.lc[(g.index, sk, t)] = model.add_var(f"lc[{lab}]")
