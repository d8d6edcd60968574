"""The schedule-level CP-SAT model of a planning problem: a relaxation of the MIP.

It decides only the schedule (which initiatives, starting when) and leaves the
hours to the exact staffing LP (:mod:`planner.backends.staffing_lp`):

* **initiatives**: every selectable initiative (``vars.selectable``) gets an
  interval of fixed duration whose start lies in its window, optional unless the
  initiative is required, and one Boolean ``x[i,s]`` per allowed start (the
  model's start binaries; they carry the objective and the no-good cuts);
* **dependencies**: a dependant needs its prerequisite chosen and starts after
  it finishes; **exclusivity**: at most one of a pair;
* **capacity**: per unit and skill, a cumulative constraint of the effort lines'
  per-period hours against the unit's *room* for change work in that skill
  (:func:`planner.formulation.capacity.change_room`, an upper bound valid in
  every plan), lowered period by period with fixed blocking intervals;
* **budgets**: the costs of chosen initiatives within the total and unit
  budgets (contractor spend only adds to them);
* **KPI targets**: a ``must_meet`` target's change from the initiatives that
  finish by its period reaches the gap, and (``full`` mode) the gap closed
  (``kc``) and "target met" (``km``) earn what they earn in the MIP
  (:mod:`planner.formulation.kpi`, whose start columns are reused);
* **objective** (``full`` mode): each start binary's coefficient in the MIP
  (weight x earliness, tie-break, baseline bonuses), minus a lower bound on the
  RTB shortfall penalty each unit, skill and period must pay, scaled to
  integers. Two modes hold only the required initiatives (see
  :mod:`planner.backends.cpsat`): ``fit`` relaxes their deadlines and minimises
  the largest overrun; ``deadline`` keeps the deadlines and minimises the
  largest start relative to its latest start (a makespan, for PSPLIB).

**A relaxation, always.** Hours are scaled to integers per unit and skill;
when a scale makes every figure integral they are exact, otherwise demands
are rounded down and capacities up. Objective coefficients are rounded up and
penalties down. So every schedule the MIP can staff is feasible here, and this
model's objective of it is at least the MIP's. Hence an infeasibility proved
here, or a bound, holds for the whole planning model (up to the solvers'
1e-6-level tolerances on hours).

**Exact** (every schedule found here can be staffed, and its objective here
equals the MIP's up to the integer scaling) when, in addition: every cohort has
exactly one skill, borrowing is off, there are no contractors, and every
figure scaled to integers exactly (:attr:`ScheduleModel.exact`, reasons in
:attr:`ScheduleModel.inexact`). That is the PSPLIB shape. Otherwise a schedule
found here may be unstaffable (a multi-skill person counted in two skills'
rooms at once); the search then cuts it off and goes on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from planner.backends.cpsat_objective import objective, rtb_figures
from planner.backends.cpsat_scale import down, hour_scale, up
from planner.formulation.build import Formulation
from planner.formulation.capacity import change_room
from planner.formulation.model import ModelArrays
from planner.problem.data import ProblemData


@dataclass
class Resource:
    """One unit and skill: the effort lines against its room, as integers."""

    unit: str
    skill: str
    scale: float
    room: list[int]  # per period
    items: list[tuple[int, int]] = field(default_factory=list)  # (initiative, demand)


class ScheduleModel:
    """A CP-SAT model of which initiatives run when (see the module docstring).

    Parameters
    ----------
    data, formulation, arrays
        The problem, its built MIP and the MIP's arrays (for the objective).
    mode
        ``full``: every selectable initiative, the MIP's objective. ``fit``: only the
        required initiatives, deadlines relaxed, minimise the largest overrun.
        ``deadline``: only the required initiatives within their windows.
    """

    def __init__(
        self, data: ProblemData, formulation: Formulation, arrays: ModelArrays,
        mode: str = "full",
    ) -> None:
        self.data, self.f, self.arrays, self.mode = data, formulation, arrays, mode
        self.model = cp_model.CpModel()
        self.inexact: list[str] = []
        #: a reason when the rules alone rule every plan out (no search needed)
        self.infeasible: str | None = None
        #: presence literal of each optional member (required members are always present)
        self.optional: dict[int, Any] = {}
        self.start: dict[int, cp_model.IntVar] = {}
        self.xs: dict[int, dict[int, Any]] = {}
        self.interval: dict[int, cp_model.IntervalVar] = {}
        self.obj_scale = 1.0
        self.obj_const = 0.0  # model units, added to the scaled objective / obj_scale
        self.late: cp_model.IntVar | None = None
        chosen = formulation.vars.selectable
        if mode in ("fit", "deadline"):
            chosen = [i for i in chosen if data.initiatives[i].required]
        self.members = sorted(chosen)
        self._check_required()
        self._initiatives()
        self._dependencies()
        self._exclusivity()
        self.resources = self._resources()
        self._capacity()
        self._budgets()
        if mode == "full":
            objective(self)
        else:
            self._overrun()

    # -- shape ----------------------------------------------------------------------------

    @property
    def exact(self) -> bool:
        """True when every schedule of this model can be staffed (see the module docstring)."""
        return not self.inexact

    def _check_required(self) -> None:
        data = self.data
        have = set(self.members)
        for ini in data.initiatives:
            if ini.required and ini.index not in have:
                self.infeasible = (f"required initiative '{ini.id}' has no allowed start "
                                   "(window, pin or alignment)")
                return
        for g in data.cohorts:
            if len(g.skills) != 1:
                self.inexact.append(f"cohort {g.name} has {len(g.skills)} skills")
                break
        if data.borrowing:
            self.inexact.append("borrowing is on")
        if data.externals:
            self.inexact.append("contractor pools")

    # -- variables ------------------------------------------------------------------------

    def _horizon_end(self) -> int:
        """Last period a start may take in ``fit`` mode (deadlines relaxed)."""
        inits = [self.data.initiatives[i] for i in self.members]
        if not inits:
            return self.data.T
        return max(i.earliest for i in inits) + sum(i.duration for i in inits)

    def _initiatives(self) -> None:
        m, data = self.model, self.data
        stretch = self._horizon_end() if self.mode == "fit" else 0
        for i in self.members:
            ini = data.initiatives[i]
            lo, hi = ini.earliest, ini.latest
            if self.mode != "full":
                if self.mode == "fit":
                    hi = max(hi, stretch)
                s = m.new_int_var(lo, hi, f"s[{ini.id}]")
                self.start[i] = s
                self.interval[i] = m.new_fixed_size_interval_var(s, ini.duration, f"i[{ini.id}]")
                continue
            xs = {t: m.new_bool_var(f"x[{ini.id},{t}]") for t in range(lo, hi + 1)}
            s = m.new_int_var(lo, hi, f"s[{ini.id}]")
            if ini.required:
                m.add_exactly_one(xs.values())
                m.add(s == sum(t * b for t, b in xs.items()))
                iv = m.new_fixed_size_interval_var(s, ini.duration, f"i[{ini.id}]")
            else:
                p = m.new_bool_var(f"p[{ini.id}]")
                m.add(sum(xs.values()) == p)
                # absent: every x is 0 and the start rests at the window's first period
                m.add(s == sum(t * b for t, b in xs.items()) + lo * (1 - p))
                iv = m.new_optional_fixed_size_interval_var(s, ini.duration, p, f"i[{ini.id}]")
                self.optional[i] = p
            self.start[i], self.xs[i], self.interval[i] = s, xs, iv

    def _dependencies(self) -> None:
        m, data = self.model, self.data
        for i in self.members:
            ini = data.initiatives[i]
            p_i = self.optional.get(i)
            for j in ini.depends_on:
                if j not in self.start:
                    # the prerequisite can never be chosen (required ones always are members)
                    if p_i is None:
                        self.infeasible = (f"required initiative '{ini.id}' depends on "
                                           f"'{data.initiatives[j].id}', which cannot be chosen")
                        return
                    m.add(p_i == 0)
                    continue
                pre = data.initiatives[j]
                p_j = self.optional.get(j)
                if p_j is not None:
                    if p_i is None:
                        m.add(p_j == 1)
                    else:
                        m.add_implication(p_i, p_j)
                c = m.add(self.start[i] >= self.start[j] + pre.duration)
                if p_i is not None:
                    c.only_enforce_if(p_i)

    def _exclusivity(self) -> None:
        m, data = self.model, self.data
        for i in self.members:
            for j in data.initiatives[i].exclusive_with:
                if j <= i or j not in self.start:
                    continue
                a, b = self.optional.get(i), self.optional.get(j)
                if a is None and b is None:
                    self.infeasible = (f"required initiatives '{data.initiatives[i].id}' and "
                                       f"'{data.initiatives[j].id}' exclude each other")
                    return
                if a is None:
                    m.add(b == 0)
                elif b is None:
                    m.add(a == 0)
                else:
                    m.add_at_most_one(a, b)

    # -- capacity -------------------------------------------------------------------------

    def _resources(self) -> dict[tuple[str, str], Resource]:
        """Each unit and skill with lines: scale, room and demands (integers)."""
        data = self.data
        room = change_room(data)
        lines: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
        for i in self.members:
            ini = data.initiatives[i]
            for u, sk, h in ini.lines:
                lines[(u, sk)].append((i, h / ini.duration))
        out: dict[tuple[str, str], Resource] = {}
        rounded = []
        for (u, sk), items in sorted(lines.items()):
            rooms = [room[(u, sk, t)] for t in range(data.T)]
            figures = [a for _i, a in items] + rooms + rtb_figures(data, u, sk)
            scale, exact = hour_scale(figures)
            if not exact:
                rounded.append(f"{u}/{sk}")
            out[(u, sk)] = Resource(
                u, sk, scale, [up(r * scale) for r in rooms],
                [(i, down(a * scale)) for i, a in items],
            )
        if rounded:
            self.inexact.append(f"hours rounded (no small integral scale) in {len(rounded)} "
                                f"unit/skill pair{'s' if len(rounded) > 1 else ''}, e.g. "
                                + ", ".join(rounded[:3]))
        return out

    def _capacity(self) -> None:
        m, data = self.model, self.data
        T = data.T
        for res in self.resources.values():
            # skip a resource whose demand fits in every period whatever the schedule
            load = np.zeros(T + 1)
            for i, a in res.items:
                ini = data.initiatives[i]
                lo, hi = ini.earliest, min(ini.latest + ini.duration, T)
                load[lo:hi] += a
            if self.mode != "fit" and all(load[t] <= res.room[t] for t in range(T)):
                continue
            cap = max(res.room) if res.room else 0
            intervals = [self.interval[i] for i, a in res.items if a > 0]
            demands = [a for _i, a in res.items if a > 0]
            t = 0
            while t < T:  # block the room a period leaves below the peak
                gap = cap - res.room[t]
                e = t
                while e + 1 < T and cap - res.room[e + 1] == gap:
                    e += 1
                if gap > 0:
                    intervals.append(m.new_fixed_size_interval_var(t, e - t + 1, "blocked"))
                    demands.append(gap)
                t = e + 1
            m.add_cumulative(intervals, demands, cap)

    def _budgets(self) -> None:
        data = self.data
        rules: list[tuple[float, list[int]]] = []
        if data.budget is not None:
            rules.append((data.budget, self.members))
        for unit, limit in sorted(data.unit_budgets.items()):
            rules.append((limit, [i for i in self.members if data.initiatives[i].sponsor == unit]))
        for limit, who in rules:
            costs = [(i, data.initiatives[i].cost) for i in who if data.initiatives[i].cost > 0]
            if not costs:
                continue
            scale, exact = hour_scale([c for _i, c in costs] + [limit])
            top = max(c for _i, c in costs) * scale
            if top * len(costs) > 1e15:  # keep sums far inside 64 bits
                scale *= 1e15 / (top * len(costs))
                exact = False
            if not exact:
                self.inexact.append("costs or budgets are not integral at any small scale")
            terms = [down(c * scale) * self.optional.get(i, 1) for i, c in costs]
            self.model.add(sum(terms) <= up(limit * scale))

    # -- objective ------------------------------------------------------------------------

    def _overrun(self) -> None:
        """Minimise the largest start past (``fit``) or relative to (``deadline``) its latest."""
        m, data = self.model, self.data
        if not self.members:
            return
        inits = [data.initiatives[i] for i in self.members]
        if self.mode == "fit":
            lo, top = 0, max(self._horizon_end() - i.latest for i in inits)
        else:
            lo, top = min(i.earliest - i.latest for i in inits), 0
        self.late = m.new_int_var(min(lo, 0), max(top, 0), "overrun")
        for i in self.members:
            m.add(self.late >= self.start[i] - data.initiatives[i].latest)
        m.minimize(self.late)

    # -- use ------------------------------------------------------------------------------

    def hint(self, starts: dict[int, int]) -> None:
        """Hint a schedule (initiative -> start); other initiatives are hinted absent."""
        m = self.model
        m.clear_hints()
        for i in self.members:
            ini = self.data.initiatives[i]
            s = starts.get(i)
            if s is not None and not ini.earliest <= s <= ini.latest and self.mode == "full":
                s = None
            p = self.optional.get(i)
            if p is not None:
                m.add_hint(p, s is not None)
            if s is not None:
                m.add_hint(self.start[i], s)
            elif p is not None:
                m.add_hint(self.start[i], ini.earliest)
            for t, b in self.xs.get(i, {}).items():
                m.add_hint(b, t == s)

    def forbid(self, starts: dict[int, int], exact: bool = False) -> None:
        """No-good: not all of these starts together (``exact``: not this very schedule)."""
        lits = [self.xs[i][s].Not() for i, s in starts.items()]
        if exact:
            lits += [p for i, p in self.optional.items() if i not in starts]
        self.model.add_bool_or(lits)

    def read(self, value: Any) -> dict[int, int]:
        """The schedule of a solution; ``value`` is ``solver.value`` or ``callback.value``."""
        out = {}
        for i in self.members:
            p = self.optional.get(i)
            if p is None or value(p):
                out[i] = int(value(self.start[i]))
        return out

    def to_model_units(self, scaled: float) -> float:
        """An objective value or bound of this model in the MIP's units."""
        return scaled / self.obj_scale + self.obj_const
