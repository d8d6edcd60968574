"""The rank-and-cut baseline: what a planner does in a spreadsheet, with an exact capacity check.

Initiatives are ranked by objective weight per effort hour (required ones
first, prerequisites before their dependants) and taken one by one at their
earliest start where the remaining capacity covers them; anything that does
not fit is skipped. Unlike a spreadsheet count, the capacity check is exact:
it is the LP of the planning model itself with the start binaries fixed, so
multi-skill people, proficiency, ``max_utilisation``, ``max_change_share``,
borrowing, contractors, budgets and ``must`` RTB are all honoured, and a
candidate is accepted only if the high/normal RTB shortfall does not grow
beyond what the RTB-only plan has (RTB is protected).

One HiGHS instance holds the LP relaxation of the model; fixing a candidate
is a bound change, and the dual simplex re-solves from the previous basis, so
each check costs a few pivots. A cheap aggregate bound (deliverable hours per
unit, skill and period; money left) skips candidates that cannot fit without
an LP.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from planner.backends.highs_lp import FixedStartLP
from planner.errors import InfeasibleError
from planner.formulation.build import Formulation, build
from planner.problem.data import ProblemData, _topological
from planner.problem.kpi import Target
from planner.solving.allocate import Flows, Schedule, read_solution
from planner.solving.greedy_proofs import Proofs

#: relative tolerance on the RTB shortfall penalty (and on hours in the pre-filter)
REL_TOL = 1e-6


@dataclass
class GreedyResult:
    """What the greedy found: the starts, a full column vector of the model, and counters."""

    starts: dict[int, int]
    x: np.ndarray  # full column vector (binaries and continuous), feasible for the MIP
    objective: float  # model objective of ``x`` (with the tie-break, as the MIP reports it)
    stats: dict[str, float] = field(default_factory=dict)


def greedy(data: ProblemData) -> tuple[Schedule, Flows]:
    """Rank-and-cut plan of ``data`` (deterministic).

    Raises
    ------
    InfeasibleError
        When a required initiative (or ``must`` RTB) cannot fit.
    """
    f = build(data)
    res = run_greedy(data, f)
    return read_solution(f.vars, res.x)


def greedy_start(data: ProblemData, formulation: Formulation) -> np.ndarray:
    """A full feasible column vector of ``formulation`` from the greedy, to warm-start the MIP.

    Raises
    ------
    InfeasibleError
        When a required initiative (or ``must`` RTB) cannot fit.
    """
    return run_greedy(data, formulation).x


def run_greedy(
    data: ProblemData, formulation: Formulation, deadline: float | None = None
) -> GreedyResult:
    """Run the greedy on a built formulation; see the module docstring.

    ``deadline`` (a ``time.perf_counter()`` value): after it, no more optional
    initiatives are tried (required ones always are), so the result is still a
    valid plan, only a thinner one.
    """
    return _Greedy(data, formulation).run(deadline)


class _Greedy:
    def __init__(self, data: ProblemData, f: Formulation) -> None:
        self.data = data
        self.f = f
        self.v = f.vars
        self.arrays = f.model.arrays()
        # "choose exactly once" of required initiatives is enforced by the greedy itself
        choose_rows = [r for ini in data.initiatives
                       if (r := f.model.row_of(f"choose[{ini.id}]")) is not None]
        # must_meet KPI targets hold only once the greedy has placed what they need
        self.must_rows = [r for k in data.kpis
                          if (r := f.model.row_of(f"kpimust[{k.key}]")) is not None]
        # "target met" binaries are set from the closure after each solve (_met_bonus)
        fixed = [*f.vars.x.values(), *f.vars.km.values()]
        self.lp = FixedStartLP(self.arrays, fixed, choose_rows, self.must_rows)
        self.starts: dict[int, int] = {}
        #: initiative cost committed against each budget rule (contractors are in the LP)
        self.spent: dict[str, float] = defaultdict(float)
        self.committed: dict[tuple[str, str, int], float] = defaultdict(float)
        self.upper = self._deliverable()
        self.prefiltered = 0
        self.proofs = Proofs(self)
        sh = sorted(self.v.sh.items())
        self.sh_cols = np.array([c for _k, c in sh], dtype=np.int64)
        self.sh_pen = np.array(
            [data.penalty_high if k[3] == "high" else data.penalty_normal for k, _c in sh], float
        )
        self.kept: set[int] = set()  # taken for a must_meet target: never dropped
        # KPI closure columns and what "target met" is worth (the km binaries)
        self.met_cols = [(f.vars.kc[k.key], k.gap0, f.vars.km[k.key],
                          float(self.arrays.obj[f.vars.km[k.key]]))
                         for k in data.kpis if k.key in f.vars.km]

    # -- bounds without an LP -------------------------------------------------------------

    def _deliverable(self) -> dict[tuple[str, str, int], float]:
        """Upper bound on change hours each (unit, skill, period) cell can ever get.

        Every cohort that could work there gives its whole change capacity to this one
        skill, every lender lends everything, every contractor works only here: an
        optimistic figure, so a candidate beyond it certainly does not fit.
        """
        data, v = self.data, self.v
        up: dict[tuple[str, str, int], float] = defaultdict(float)
        own: dict[tuple[str, str, int], float] = defaultdict(float)
        pool: dict[tuple[str, int], float] = defaultdict(float)
        for (g, sk, t), _col in v.c.items():
            cohort = data.cohorts[g]
            own[(cohort.unit, sk, t)] += cohort.skills[sk] * float(cohort.change_capacity[t])
        for (g, sk, t), _col in v.lc.items():
            cohort = data.cohorts[g]
            pool[(sk, t)] += cohort.skills[sk] * float(cohort.change_capacity[t])
        ext: dict[tuple[int, str, int], float] = {
            k: float(data.externals[k[0]].capacity[k[2]]) for k in v.ec
        }
        for u, sk, t in v.change_cells:
            up[(u, sk, t)] = own.get((u, sk, t), 0.0)
            if (u, sk, t) in v.bc:
                up[(u, sk, t)] += pool.get((sk, t), 0.0)
        for (e, u, t), cap in ext.items():
            up[(u, data.externals[e].skill, t)] += cap
        return up

    def _may_fit(self, i: int, s: int) -> bool:
        """False when initiative ``i`` started in ``s`` certainly does not fit."""
        ini = self.data.initiatives[i]
        data = self.data
        if ini.cost > 0:
            for lim in data.budgets:
                if lim.unit is not None and ini.sponsor != lim.unit:
                    continue
                c = ini.cost_in(s, lim.mask)
                if c > 0 and self.spent[lim.name] + c > lim.limit * (1 + REL_TOL) + 1e-6:
                    return False
        for u, sk, t, per in ini.demand(s):
            cap = self.upper.get((u, sk, t), 0.0)
            if self.committed[(u, sk, t)] + per > cap * (1 + REL_TOL) + 1e-6:
                return False
        return True

    # -- ranking --------------------------------------------------------------------------

    def _order(self) -> tuple[list[int], list[int]]:
        """Required initiatives (prerequisites first), then the others by weight per hour."""
        data = self.data
        selectable = set(self.v.selectable)
        topo = _topological(data.initiatives)
        required = [i.index for i in topo if i.required]

        kpi_value = self._kpi_value()

        def ratio(i: int) -> float:
            ini = data.initiatives[i]
            w = ini.weight + kpi_value.get(i, 0.0)
            if w <= 0:
                return -math.inf
            return math.inf if ini.hours <= 0 else w / ini.hours

        # a prerequisite ranks as high as its best dependant (it opens the way to it)
        eff: dict[int, float] = {}
        dependants: dict[int, list[int]] = defaultdict(list)
        for ini in data.initiatives:
            for p in ini.depends_on:
                dependants[p].append(ini.index)
        for ini in reversed(topo):
            k = ini.index
            best = ratio(k) if k in selectable else -math.inf
            for d in dependants[k]:
                best = max(best, eff[d])
            eff[k] = best if k in selectable else -math.inf

        others = [
            k for k in selectable
            if not data.initiatives[k].required and eff[k] > -math.inf
        ]
        # topological order that always picks the best-ranked ready initiative
        waiting = {k: sum(1 for p in data.initiatives[k].depends_on if p in others)
                   for k in others}
        others_set = set(others)
        heap = [(-eff[k], k) for k in others if waiting[k] == 0]
        heapq.heapify(heap)
        out: list[int] = []
        while heap:
            _r, k = heapq.heappop(heap)
            out.append(k)
            for d in dependants[k]:
                if d in others_set:
                    waiting[d] -= 1
                    if waiting[d] == 0:
                        heapq.heappush(heap, (-eff[d], d))
        return required, out

    def _kpi_value(self) -> dict[int, float]:
        """What each initiative alone earns from soft KPI targets, finishing at its earliest.

        The closure reward of the gap share it closes (at most the whole gap) plus the
        met bonus when it meets the target on its own: cheap initiatives that close a
        gap rank high.
        """
        data, arrays, v = self.data, self.arrays, self.v
        out: dict[int, float] = defaultdict(float)
        for k in data.kpis:
            if k.key not in v.kc or k.gap0 <= 0:
                continue
            per_share = float(arrays.obj[v.kc[k.key]]) * k.gap0
            bonus = float(arrays.obj[v.km[k.key]]) if k.key in v.km else 0.0
            for ini in data.initiatives:
                x = k.direction * data.impacts[ini.index].get(k.id, 0.0)
                if x <= 0 or ini.earliest + ini.duration - 1 > k.by:
                    continue
                share = min(1.0, x / k.gap0)
                out[ini.index] += per_share * share + (bonus if share >= 1.0 else 0.0)
        return out

    def _met_bonus(self, x: np.ndarray) -> float:
        """Objective of the "target met" binaries implied by the closure in ``x``."""
        return sum(w for c, gap, _m, w in self.met_cols if x[c] >= gap * (1 - 1e-9))

    # -- the run --------------------------------------------------------------------------

    def run(self, deadline: float | None = None) -> GreedyResult:
        data, lp = self.data, self.lp
        base = lp.solve()
        if base is None:
            raise InfeasibleError(
                "the 'must' run-the-business work cannot be covered even with no initiatives"
            )
        self.obj, self.x = base
        s0 = self._shortfall(self.x)
        self.cap = s0 + REL_TOL * max(s0, data.per_hour, 1.0)
        lp.add_cap(self.sh_cols, self.sh_pen, self.cap)

        required, others = self._order()
        for i in required:
            if not self._place(i, required=True):
                raise InfeasibleError(self._why(i))
        self._meet_targets()
        stopped = False
        for i in others:
            if deadline is not None and time.perf_counter() > deadline:
                stopped = True
                break
            self._place(i, required=False)
        self._drop_enablers()

        x = self.x.copy()
        for (i, s), col in self.v.x.items():
            x[col] = 1.0 if self.starts.get(i) == s else 0.0
        for c, gap, m, _w in self.met_cols:
            x[m] = 1.0 if x[c] >= gap * (1 - 1e-9) else 0.0
        objective = float(self.arrays.obj @ x + self.arrays.obj_offset)
        stats = {
            "lp_solves": float(lp.solves),
            "prefiltered": float(self.prefiltered),
            "stopped_at_deadline": float(stopped),
        }
        return GreedyResult(dict(sorted(self.starts.items())), x, objective, stats)

    def _shortfall(self, x: np.ndarray) -> float:
        return float(self.sh_pen @ x[self.sh_cols]) if len(self.sh_cols) else 0.0

    def _candidate_starts(self, i: int) -> list[int]:
        """Allowed starts of ``i`` after its chosen prerequisites finish (empty if one is out)."""
        data = self.data
        ini = data.initiatives[i]
        first = ini.earliest
        for p in ini.depends_on:
            if p not in self.starts:
                return []
            first = max(first, self.starts[p] + ini.lag(p))
        if any(j in self.starts for j in ini.exclusive_with):
            return []
        return [s for s in range(first, ini.latest + 1) if (i, s) in self.v.x]

    def _place(self, i: int, required: bool, starts: list[int] | None = None) -> bool:
        """Take ``i`` at its earliest start that fits (and pays); False when none does."""
        if starts is None:
            starts = self._candidate_starts(i)
        if self._try_starts(i, starts, required):
            return True
        if required and starts:
            # mandatory work comes before high/normal RTB: lift the RTB cap for it
            self.lp.set_cap(math.inf)
            self.proofs.clear()
            ok = self._try_starts(i, starts, required)
            if ok:
                s1 = self._shortfall(self.x)
                self.cap = max(self.cap, s1 + REL_TOL * max(s1, self.data.per_hour, 1.0))
            self.lp.set_cap(self.cap)
            self.proofs.clear()
            return ok
        return False

    def _try_starts(self, i: int, starts: list[int], required: bool) -> bool:
        data, lp = self.data, self.lp
        ini = data.initiatives[i]
        for s in starts:
            col = self.v.x[(i, s)]
            if not self._may_fit(i, s) or self.proofs.rules_out(col):
                self.prefiltered += 1
                continue
            lp.fix(col, 1.0)
            got = lp.solve()
            if got is None:
                self.proofs.learn(col)
            if got is not None:
                obj, x = got
                gain = (ini.weight_at(s) * data.earliness_factor(s + ini.duration - 1)
                        + obj - self.obj
                        + self._met_bonus(x) - self._met_bonus(self.x))
                # an enabler (weight <= 0) is taken for its dependants, dropped later if useless
                if required or gain > 0 or ini.weight <= 0:
                    self._accept(i, s, obj, x)
                    return True
            lp.fix(col, 0.0)
        return False

    def _accept(self, i: int, s: int, obj: float, x: np.ndarray) -> None:
        ini = self.data.initiatives[i]
        self.starts[i] = s
        self.obj, self.x = obj, x
        self.proofs.fixed(self.v.x[(i, s)])
        for lim in self.data.budgets:
            if ini.cost > 0 and (lim.unit is None or ini.sponsor == lim.unit):
                self.spent[lim.name] += ini.cost_in(s, lim.mask)
        for u, sk, t, h in ini.demand(s):
            self.committed[(u, sk, t)] += h

    def _drop_enablers(self) -> None:
        """Remove non-required initiatives of weight <= 0 none of whose dependants was taken."""
        data = self.data
        dropped, changed = False, True
        while changed:
            changed = False
            for i in sorted(self.starts, reverse=True):
                ini = data.initiatives[i]
                if ini.required or ini.weight > 0 or i in self.kept:
                    continue
                if any(i in data.initiatives[d].depends_on for d in self.starts):
                    continue
                self.lp.fix(self.v.x[(i, self.starts.pop(i))], 0.0)
                dropped = changed = True
        if dropped:
            got = self.lp.solve()
            if got is None:  # cannot happen: removing work keeps the plan feasible
                raise RuntimeError("greedy: LP infeasible after removing work")
            self.obj, self.x = got

    def _meet_targets(self) -> None:
        """Place what the ``must_meet`` targets need, then make their rows hard.

        For each target not yet reached, the initiatives that move it the right way
        are tried, most KPI per effort hour first, at the starts that finish by
        ``by``, like required work (whatever their gain), until it is reached.

        Raises
        ------
        InfeasibleError
            When the greedy cannot reach a target this way (the MIP then decides,
            and the diagnosis explains when no plan can).
        """
        data, lp = self.data, self.lp
        if not self.must_rows:
            return
        labels = data.calendar.labels
        for k in data.kpis:
            if not k.must_meet:
                continue
            movers = []
            for ini in data.initiatives:
                x = k.direction * data.impacts[ini.index].get(k.id, 0.0)
                if x > 0 and ini.index in self.v.selectable:
                    movers.append((-(x / ini.hours if ini.hours > 0 else math.inf), ini.index))
            for _r, i in sorted(movers):
                if self._reached(k):
                    break
                if i in self.starts:
                    continue
                ini = data.initiatives[i]
                starts = [s for s in self._candidate_starts(i) if s + ini.duration - 1 <= k.by]
                if starts and self._place(i, required=True, starts=starts):
                    self.kept.add(i)
            if not self._reached(k):
                raise InfeasibleError(
                    f"the greedy could not reach the must_meet target of KPI '{k.key}' "
                    f"by {labels[k.by]}"
                )
        lp.restore()
        self.proofs.clear()

    def _reached(self, k: Target) -> bool:
        """True when the chosen starts meet ``must_meet`` target ``k``."""
        data = self.data
        total = 0.0
        for i, s in self.starts.items():
            if s + data.initiatives[i].duration - 1 <= k.by:
                total += k.direction * data.impacts[i].get(k.id, 0.0)
        return total >= k.gap0 - 1e-9 * max(1.0, k.gap0)

    def _why(self, i: int) -> str:
        data = self.data
        ini = data.initiatives[i]
        labels = data.calendar.labels
        missing = [data.initiatives[p].id for p in ini.depends_on if p not in self.starts]
        partners = [data.initiatives[j].id for j in ini.exclusive_with if j in self.starts]
        if missing:
            why = f"its prerequisite(s) {', '.join(missing)} could not be placed"
        elif partners:
            why = f"it is exclusive with required {', '.join(partners)}"
        elif ini.latest < ini.earliest or not self._candidate_starts(i):
            why = "no start period is left in its window"
        else:
            s = self._candidate_starts(i)
            why = (
                f"capacity, budget or 'must' RTB leave no room for it at any start "
                f"from {labels[s[0]]} to {labels[s[-1]]}"
            )
        return f"required initiative '{ini.id}' cannot fit: {why}"
