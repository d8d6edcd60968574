"""Carry out a written plan in sampled realities: the recovery rule, vectorised.

:func:`~planner.analysis.plan_model.compile_plan` turns a plan into arrays
once; :func:`simulate` runs a batch of samples (:mod:`planner.analysis.sampling`)
through the horizon, all samples at once (numpy arrays over the sample axis;
every operation is elementwise per sample, so a sample's outcome does not
depend on the batch it runs in).

The recovery rule
-----------------
The plan's choices and start periods are fixed; what happens in each sample:

* **Who can work.** People come in groups of interchangeable people (unit,
  skills, proficiencies, change share). A group can give
  ``uncertainty.utilisation`` x its sampled capacity in a period, at most its
  ``max_change_share`` of it on initiatives. Contractors give their
  ``max_fte`` as in the scenario.
* **Schedule.** An initiative starts at its planned start, or later once all
  its prerequisites have finished. It runs ``duration + slip`` periods when
  fully staffed: each effort line asks in each period for what is due by the
  end of it at the even rate (its sampled hours / (duration + slip) per
  period) less what it has done, so it catches up on hours it missed but never
  works ahead. Lines progress on their own; the initiative finishes when the
  last line is done. A phased initiative's lines are its phases' lines summed
  per unit and skill and paced over its whole duration (an approximation: the
  plan runs them phase by phase). Work not staffed in time is done later, so an
  understaffed initiative slips.
* **Each period, in this order.** (1) The plan's own staffing first: every
  piece of work draws from the groups and contractors that do it in the plan,
  in the plan's proportions (a change line at the same offset from its start;
  beyond its planned duration in its average proportions). Must RTB comes
  first, and what it still lacks it takes at once from any capacity of the
  unit's people with the skill, idle hours first, then hours the plan gave to
  other work (people are pulled off projects to keep must work going). Then
  high and normal RTB (each up to what the plan covers) and the change lines
  in plan order (start, then scenario order) by the plan's routes; then (2)
  what they still lack, in the same order, from capacity left: the unit's own
  groups with the skill (specialists first, then higher proficiency), other
  units' groups when ``policy.borrowing`` allows, then, for must RTB and
  change lines only, contractors of the skill. (3) RTB the plan left short
  (high, then normal) from internal capacity left. Within a priority, RTB of
  the (unit, skill) with the fewest people able to do it goes first.
* **Money.** Spend = the non-labour cost of every chosen initiative (in full,
  late or not) + contractor hours x rate. Contractor hours (the plan's and
  extra) are hired only while the spend stays within the total budget and the
  budget of the unit whose work it is: beyond that the work waits (an
  initiative slips, RTB falls short). Must RTB is covered whatever it costs,
  so only must RTB can overrun a budget.

A plan re-planned as of a period is carried out from that period on (see
:mod:`planner.analysis.plan_model`): done initiatives keep their finish, one in
flight has its remaining effort (x its sampled multiple) to do from the as-of
period to its finish now (plus any sampled slip).

Not modelled: RTB demand is not sampled; nobody works beyond
``utilisation`` of their capacity; work is not re-planned (no initiative is
dropped, restarted or moved earlier, and a late initiative's hours are not
moved to other people than the rule above finds); a replacement is as
productive as the leaver from day one; hours an initiative cannot use in a
period are not offered to other initiatives of that period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.analysis.plan_model import PRIORITIES, PlanModel, Route, compile_plan
from planner.analysis.sampling import Sample

__all__ = ["PRIORITIES", "Outcome", "PlanModel", "Route", "compile_plan", "simulate"]

EPS = 1e-9
#: remaining hours of a line at or below this share of its total count as done
DONE_REL = 1e-9
DONE_ABS = 1e-6


@dataclass
class Outcome:
    """What happened in each sample of a batch (first axis: samples)."""

    start: np.ndarray  # (S, C) actual start (extrapolated past the horizon when needed)
    finish: np.ndarray  # (S, C) actual finish (extrapolated past the horizon)
    slip: np.ndarray  # (S, C) sampled duration slip
    rtb_short: np.ndarray  # (S, K, 3) RTB hours short over the horizon, by priority
    must_short: np.ndarray  # (S, K) bool: must RTB short in some period
    spend: np.ndarray  # (S,) initiative cost + contractor cost
    unit_spend: np.ndarray  # (S, U)

    @staticmethod
    def concat(parts: list[Outcome]) -> Outcome:
        """Outcomes of several batches, in order."""
        return Outcome(*(np.concatenate([getattr(p, f) for p in parts])
                         for f in ("start", "finish", "slip", "rtb_short", "must_short",
                                   "spend", "unit_spend")))


class _Period:
    """Capacity left in one period, per source and sample, and the takes from it."""

    def __init__(self, m: PlanModel, raw: np.ndarray, t: int, spend: np.ndarray,
                 unit_spend: np.ndarray) -> None:
        # raw: (S, G, T) sampled group capacity; spend (S,) and unit_spend (S, U) are
        # updated in place as contractors are hired
        S = raw.shape[0]
        g = raw[:, :, t].T  # (G, S)
        E = m.ext_capacity.shape[0]
        self.m = m
        self.avail = np.empty((m.n_int + E, S))
        self.avail[: m.n_int] = m.pop.utilisation * g
        self.avail[m.n_int:] = m.ext_capacity[:, t][:, None]
        self.change = np.empty_like(self.avail)
        self.change[: m.n_int] = m.pop.group_share[:, None] * g
        self.change[m.n_int:] = m.ext_capacity[:, t][:, None]
        self.spend = spend
        self.unit_spend = unit_spend

    def take(self, src: int, hours: np.ndarray, change: bool, unit: int,
             must: bool = False) -> np.ndarray:
        """Take up to ``hours`` (per sample) from ``src``; returns the hours taken.

        Contractor hours stay within what is left of the total budget and of the
        budget of the unit whose work it is, except for ``must`` RTB.
        """
        cap = np.minimum(self.avail[src], self.change[src]) if change else self.avail[src]
        m = self.m
        rate = float(m.src_rate[src]) if src >= m.n_int else 0.0
        if rate > 0 and not must:
            left = m.budget - self.spend
            if unit >= 0:
                left = np.minimum(left, m.unit_budget[unit] - self.unit_spend[:, unit])
            cap = np.minimum(cap, np.maximum(left, 0.0) / rate)
        got = np.minimum(np.maximum(hours, 0.0), cap)
        self.avail[src] -= got
        if change:
            self.change[src] -= got
        if rate > 0:
            self.spend += got * rate
            if unit >= 0:
                self.unit_spend[:, unit] += got * rate
        return got


def simulate(m: PlanModel, sample: Sample) -> Outcome:
    """Carry out the plan in every sample of the batch (the recovery rule)."""
    S = sample.effort.shape[0]
    C, T, K = len(m.chosen), m.T, len(m.rtb_keys)
    slip = sample.slip[:, m.chosen] if C else np.zeros((S, 0), dtype=int)
    slip = np.where(m.done[None, :], 0, slip)
    dur = m.duration[None, :] + slip  # (S, C)
    rate: dict[int, np.ndarray] = {}
    remaining: dict[int, np.ndarray] = {}
    hours_of: dict[int, np.ndarray] = {}
    total: dict[int, float] = {}
    for c in range(C):
        for n in m.lines[c]:
            hours = m.line_total[n] * sample.effort[:, n]
            remaining[n] = hours.copy()
            hours_of[n] = hours
            rate[n] = hours / dur[:, c]
            total[n] = m.line_total[n]
    start = np.full((S, C), -1, dtype=int)
    finish = np.full((S, C), -1, dtype=int)
    start[:, m.started] = m.start[m.started]  # a re-plan: started before t0
    finish[:, m.done] = m.finish[m.done]
    rtb_got = np.zeros((S, K, 3))
    must_short = np.zeros((S, K), dtype=bool)
    spend = np.full(S, m.cost)
    unit_spend = np.tile(m.unit_cost, (S, 1))

    for t in range(m.t0, T):
        # who starts now: planned start reached and every prerequisite finished before t
        for c in range(C):
            if t < m.start[c] or m.started[c]:
                continue
            ready = start[:, c] < 0
            for p in m.prereqs[c]:
                ready &= (finish[:, p] >= 0) & (finish[:, p] < t)
            start[ready, c] = t
        active = (start >= 0) & (start <= t) & (finish < 0)  # (S, C)
        # work is paced from its start, or from t0 when it was in flight then
        begin = np.where(m.started[None, :], m.t0, start)
        need: dict[int, np.ndarray] = {}
        for c in range(C):
            for n in m.lines[c]:
                # what is due by the end of t at the even rate, less what is done: a line
                # catches up on hours it missed, and never works ahead
                due = np.minimum(hours_of[n], (t - begin[:, c] + 1) * rate[n])
                behind = due - (hours_of[n] - remaining[n])
                need[n] = np.where(active[:, c], np.clip(behind, 0.0, remaining[n]), 0.0)
        period = _Period(m, sample.raw_capacity, t, spend, unit_spend)
        got_rtb, got_line = _staff_period(m, period, t, need, start)
        got = np.minimum(got_rtb.transpose(2, 0, 1), m.rtb_demand[None, :, :, t])
        rtb_got += got
        must_gap = m.rtb_demand[None, :, 0, t] - got[:, :, 0]
        must_short |= must_gap > 1e-6 * (1.0 + m.rtb_demand[None, :, 0, t])
        # progress and finishes
        for c in range(C):
            done = active[:, c].copy()
            for n in m.lines[c]:
                remaining[n] = remaining[n] - got_line[n]
                done &= remaining[n] <= DONE_REL * total[n] + DONE_ABS
            done &= t >= begin[:, c] + dur[:, c] - 1
            finish[done, c] = t

    _extrapolate(m, start, finish, dur, remaining, rate)
    rtb_short = np.maximum(m.rtb_demand.sum(axis=2)[None] - rtb_got, 0.0)
    return Outcome(start=start, finish=finish, slip=slip, rtb_short=rtb_short,
                   must_short=must_short, spend=spend, unit_spend=unit_spend)


@dataclass
class _Piece:
    """One piece of work of a period: an RTB priority of a (unit, skill), or a change line."""

    key: tuple[str, str]  # (unit, skill) of the work
    unit: int
    change: bool
    wants: list[tuple[int, float, np.ndarray]]  # the plan's (source, q, hours wanted)
    line: int = -1  # change line, or -1 for RTB
    rtb: tuple[int, int] = (-1, -1)  # (key index, priority) for RTB


def _staff_period(m: PlanModel, period: _Period, t: int, need: dict[int, np.ndarray],
                  start: np.ndarray) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Staff one period by the recovery rule; work delivered to RTB and to each line.

    Order: must RTB by the plan's routes, then from any capacity (idle first, then
    hours the plan gave to other work); high and normal RTB (up to the plan's
    cover) and change lines (plan order) by the plan's routes; the same from what
    is left; RTB the plan left short from internal capacity left.
    """
    S = period.avail.shape[1]
    K = len(m.rtb_keys)
    got_rtb = np.zeros((K, 3, S))
    got_line = {n: np.zeros(S) for n in need}
    pieces: list[_Piece] = []
    for p in range(3):
        for k in m.rtb_order:
            tgt = m.rtb_target[k, p, t]
            route = m.rtb_route[k][t]
            if tgt <= 0:
                continue
            wants = [] if route is None else [
                (int(src), float(route.q[j]), np.full(S, tgt * route.shares[0, j] / route.q[j]))
                for j, src in enumerate(route.sources)]
            pieces.append(_Piece(m.rtb_keys[k], _unit(m, m.rtb_keys[k][0]), False, wants,
                                 rtb=(k, p)))
    for c in range(len(m.chosen)):
        for n in m.lines[c]:
            if not need[n].any():
                continue
            route = m.line_route[n]
            tau = np.clip(t - start[:, c], 0, route.shares.shape[0] - 1)
            shares = route.shares[tau]  # (S, n_sources)
            wants = [(int(src), float(route.q[j]), need[n] * shares[:, j] / route.q[j])
                     for j, src in enumerate(route.sources)]
            pieces.append(_Piece((m.pop.line_unit[n], m.pop.line_skill[n]), m.line_unit[n],
                                 True, wants, line=n))

    def credit(piece: _Piece, work: np.ndarray) -> None:
        if piece.line >= 0:
            got_line[piece.line] += work
        else:
            got_rtb[piece.rtb[0], piece.rtb[1]] += work

    def target(piece: _Piece) -> np.ndarray:
        if piece.line >= 0:
            return need[piece.line] - got_line[piece.line]
        k, p = piece.rtb
        return m.rtb_target[k, p, t] - got_rtb[k, p]

    must = [pc for pc in pieces if pc.rtb[1] == 0]
    rest = [pc for pc in pieces if pc.rtb[1] != 0]
    for pc in must:
        for src, q, want in pc.wants:
            credit(pc, q * period.take(src, want, False, pc.unit, must=True))
    if must:
        # must RTB takes idle hours first, then hours the plan gave to other work
        reserved = np.zeros_like(period.avail)
        for pc in rest:
            for src, _q, want in pc.wants:
                reserved[src] += want
        for pc in must:
            gap = target(pc)
            if (gap > EPS).any():
                idle = np.maximum(period.avail - reserved, 0.0)
                work = _fill(m, period, m.spare[pc.key], pc.key, gap, False, limit=idle,
                             must=True)
                work += _fill(m, period, m.spare[pc.key], pc.key, gap - work, False, must=True)
                credit(pc, work)
    for pc in rest:
        for src, q, want in pc.wants:
            credit(pc, q * period.take(src, want, pc.change, pc.unit))
    for pc in rest:
        gap = target(pc)
        if (gap > EPS).any():
            # contractors are hired to recover change work (and must RTB), not other RTB
            sources = m.spare[pc.key] if pc.change else m.spare_internal[pc.key]
            credit(pc, _fill(m, period, sources, pc.key, gap, pc.change))
    for p in (1, 2):
        for k in m.rtb_order:
            gap = m.rtb_demand[k, p, t] - got_rtb[k, p]
            if m.rtb_demand[k, p, t] > m.rtb_target[k, p, t] and (gap > EPS).any():
                key = m.rtb_keys[k]
                got_rtb[k, p] += _fill(m, period, m.spare_internal[key], key, gap, False)
    return got_rtb, got_line


def _unit(m: PlanModel, unit: str) -> int:
    return m.unit_index.get(unit, -1)


def _fill(m: PlanModel, period: _Period, sources: np.ndarray, key: tuple[str, str],
          gap: np.ndarray, change: bool, limit: np.ndarray | None = None,
          must: bool = False) -> np.ndarray:
    """Serve ``gap`` (work, per sample) from ``sources`` in order; the work delivered.

    ``limit`` caps the hours taken from each source (rows: sources).
    """
    gap = np.maximum(gap, 0.0)
    delivered = np.zeros_like(gap)
    unit = _unit(m, key[0])
    for src in sources:
        q = m.q_of[(int(src), key[1])]
        hours = gap / q if limit is None else np.minimum(gap / q, limit[int(src)])
        got = q * period.take(int(src), hours, change, unit, must)
        delivered += got
        gap = gap - got
        if not (gap > EPS).any():
            break
    return delivered


def _extrapolate(m: PlanModel, start: np.ndarray, finish: np.ndarray, dur: np.ndarray,
                 remaining: dict[int, np.ndarray], rate: dict[int, np.ndarray]) -> None:
    """Finish (and start) past the horizon at the full rate, prerequisites first."""
    T = m.T
    for c in m.topo:
        open_ = finish[:, c] < 0
        if not open_.any():
            continue
        started = open_ & (start[:, c] >= 0)
        extra = np.zeros(start.shape[0], dtype=int)
        for n in m.lines[c]:
            with np.errstate(divide="ignore", invalid="ignore"):
                periods = np.where(rate[n] > 0, np.ceil(remaining[n] / rate[n] - 1e-9), 0)
            extra = np.maximum(extra, periods.astype(int))
        # a started initiative also runs at least its (slipped) duration
        begin = np.full(start.shape[0], m.t0) if m.started[c] else start[:, c]
        finish[started, c] = np.maximum(T - 1 + extra, begin + dur[:, c] - 1)[started]
        waiting = open_ & (start[:, c] < 0)
        if waiting.any():
            s0 = np.full(start.shape[0], max(T, int(m.start[c])))
            for p in m.prereqs[c]:
                s0 = np.maximum(s0, finish[:, p] + 1)
            start[waiting, c] = s0[waiting]
            finish[waiting, c] = (s0 + dur[:, c] - 1)[waiting]
