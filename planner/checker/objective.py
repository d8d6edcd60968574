"""The objective of a written plan, recomputed from the scenario's policy and the plan alone.

Re-implements README "What is optimised" without the formulation, so that
``plan.json``'s ``run.objective`` can be verified (:mod:`planner.checker.plan_json`):

    sum over chosen initiatives of W_i x (1 + earliness x (T-1-finish_i) / T)
    - penalty_high x RTB hours short (high) - penalty_normal x RTB hours short (normal)
    - penalty_borrow x hours lent to other units - money_weight x contractor cost
    + sum over KPI targets of R_k x closed_k / G_k + B_k x [target k met]
    + development_weight x hours of development wishes met - 0.001 x per_hour x learner hours

``W_i``: the strategic score (``strategic``), the initiative's NPV at its written
start (``value``, :mod:`planner.checker.objective_money`: value - cost without
``value_per_period`` and ``discount_rate``), or
``n x (score_i / total score + value_i / total value) / 2`` (``blend``). The
penalties are ``policy.rtb_penalty`` and ``policy.borrow_penalty`` times the
average weight per effort hour (the total weight of the initiatives with effort
over their total effort hours, phase effort included; under ``value`` each
initiative weighed at its earliest allowed start); a contractor hour at the
average contractor rate costs half that (``objective: value``: money counts one
for one, discounted to the start of the horizon from the end of the period
worked). Delivered RTB hours cover ``must`` first, then ``high``, then ``normal``.
KPI checkpoints: a KPI's ``target`` (at ``by``) and each yearly target (at the end
of its year) is a target ``k`` of its own, earning ``1 / (the KPI's checkpoints)``
of the KPI's reward. ``R_k`` and ``B_k`` are
``policy.kpi_targets.weight`` and ``met_bonus`` times the average positive
initiative weight (as in the per-hour scale) times the KPI's objective weight over
the average objective weight (1 without an objective), times that share;
``closed_k`` is the KPI's change in the good direction by the checkpoint, at most
its gap ``G_k``. A development wish is met by a person's
hours in the skill, up to the hours wished, rewarded at ``policy.development.weight``
times the average weight per effort hour; every hour a learner works in a skill they
do not have costs a thousandth of that average (the model's learner tie-break).

The model's 1e-7 tie-break (at most ``1e-7 x max |W_i|`` per chosen initiative)
is left to the tolerance (:func:`tolerance`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.scenario import Scenario
from planner.checker.context import Context
from planner.checker.demand import contractor_rows, rtb_demand, rtb_shortfalls
from planner.checker.kpi import checkpoints, forecasts
from planner.checker.objective_money import discount, value_weights

TIE_BREAK = 1e-7
#: cost of a learner's hour in a skill they lack, in average weights per effort hour
LEARNER_TIE = 0.001


@dataclass
class Terms:
    """The objective of a plan term by term (see the module docstring)."""

    initiatives: float = 0.0
    rtb_high: float = 0.0
    rtb_normal: float = 0.0
    borrowing: float = 0.0
    contractors: float = 0.0
    kpi: float = 0.0
    development: float = 0.0
    learners: float = 0.0
    #: the largest |objective coefficient| x rounding error summed over the rows used
    rounding: float = 0.0
    #: the most the model's tie-break can add
    tie_break: float = 0.0

    @property
    def total(self) -> float:
        """The objective."""
        return (self.initiatives - self.rtb_high - self.rtb_normal - self.borrowing
                - self.contractors + self.kpi + self.development - self.learners)

    def tolerance(self, objective: float) -> float:
        """How far a written objective may be from :attr:`total`: rounding of the written
        hours, the tie-break, and 1e-6 relative."""
        return 1e-6 * max(1.0, abs(objective), abs(self.total)) + self.rounding + self.tie_break


def weights(sc: Scenario) -> dict[str, float]:
    """Objective weight ``W_i`` of each initiative (before the earliness reward)."""
    scores = {i.id: sc.strategic_score(i) for i in sc.initiatives}
    if sc.policy.objective == "strategic":
        return scores
    if sc.policy.objective == "value":
        return {i.id: i.value - i.cost for i in sc.initiatives}
    total_s = sum(scores.values()) or 1.0
    total_v = sum(i.value for i in sc.initiatives) or 1.0
    n = max(len(sc.initiatives), 1)
    return {i.id: n * (0.5 * scores[i.id] / total_s + 0.5 * i.value / total_v)
            for i in sc.initiatives}


def recompute(ctx: Context, a: pd.DataFrame) -> Terms:
    """The objective of the plan read into ``ctx`` (schedule) and ``a`` (prepared
    assignments, see :func:`planner.checker.people.prepare`)."""
    sc, pol = ctx.sc, ctx.sc.policy
    T = len(ctx.cal)
    w = weights(sc)  # the scale weights; the chosen initiatives' weights below
    chosen_w = w
    if pol.objective == "value":  # NPV at the start (planner.checker.objective_money)
        chosen_w, w = value_weights(sc, ctx.cal, ctx.window)
    per_hour = _per_hour(sc, w)
    money_weight = 1.0 if pol.objective == "value" else _contractor_weight(sc, per_hour)

    t = Terms()
    chosen = [iid for iid in ctx.window if iid in chosen_w]
    for iid in chosen:
        finish = ctx.window[iid][1]
        t.initiatives += chosen_w[iid] * (1.0 + pol.earliness * (T - 1 - finish) / T)
    scale = max((abs(x) for x in w.values()), default=1.0) or 1.0
    t.tie_break = TIE_BREAK * scale * len(chosen)

    high = pol.rtb_penalty.high * per_hour
    normal = pol.rtb_penalty.normal * per_hour
    short_high, short_normal, rows = _rtb_short(ctx, a)
    t.rtb_high, t.rtb_normal = high * short_high, normal * short_normal
    # delivered hours are person-hours x proficiency, each written to 4 decimals
    t.rounding += high * 5e-5 * rows

    staff = a[~a["ext"] & a["t"].notna()]
    lent = staff[(staff["for_unit"] != staff["unit"]) & staff["for_unit"].ne("")]
    borrow = pol.borrow_penalty * per_hour
    t.borrowing = borrow * float(lent["hours"].sum())
    t.rounding += borrow * 5e-5 * len(lent)

    ext, rate, t_ext = contractor_rows(sc, a)
    # contractor money is discounted to the start of the horizon (objective: value)
    rate = rate * discount(sc, ctx.cal)[t_ext]
    t.contractors = money_weight * float(np.dot(ext["hours"].to_numpy(dtype=float), rate))
    t.rounding += money_weight * 5e-5 * float(rate.sum())

    t.kpi = _kpi_reward(ctx, w)
    _development(ctx, staff, per_hour, t)
    return t


def _development(ctx: Context, staff: pd.DataFrame, per_hour: float, t: Terms) -> None:
    """Development reward and the learners' tie-break (see the module docstring)."""
    sc = ctx.sc
    people = {p.id: p for p in reversed(sc.staff)}
    if not any(p.develop for p in people.values()):
        return
    hours = staff.groupby(["person", "skill"], sort=False)["hours"].agg(["sum", "size"])
    got = {k: (float(r["sum"]), int(r["size"])) for k, r in hours.iterrows()}
    reward = sc.policy.development.weight * per_hour
    tie = LEARNER_TIE * per_hour
    for pid, p in people.items():
        for skill, wish in sc.wishes(p).items():
            h, n = got.get((pid, skill), (0.0, 0))
            t.development += reward * min(wish, h)
            t.rounding += reward * 5e-5 * n
            if skill not in p.skills:
                t.learners += tie * h
                t.rounding += tie * 5e-5 * n


def _per_hour(sc: Scenario, w: dict[str, float]) -> float:
    """Weight of one hour of effort: the weights of initiatives with effort over all their
    hours; 1 when either total is not positive."""
    hours = {i.id: sum(ln.hours for ln in i.all_effort if ln.hours > 0)
             for i in sc.initiatives}
    total_h = sum(hours.values())
    total_w = sum(w[i] for i in w if hours.get(i, 0.0) > 0)
    if total_h <= 0 or total_w <= 0:
        return 1.0
    return total_w / total_h


def _contractor_weight(sc: Scenario, per_hour: float) -> float:
    """Weight of one unit of contractor money under the ``strategic`` objective: an hour
    at the mean of the contract rates (those above 0) weighs half an hour of effort."""
    rates = [e.cost_per_hour for e in sc.external if e.cost_per_hour > 0]
    if not rates:
        return 0.0
    mean_rate = sum(rates) / len(rates)
    return 0.5 * per_hour / mean_rate


def _rtb_short(ctx: Context, a: pd.DataFrame) -> tuple[float, float, int]:
    """High and normal RTB hours short over the horizon, and the rows summed."""
    n = len(ctx.cal)
    r = a[a["rtb"] & a["t"].notna()]
    got = r.assign(ti=r["t"].astype(int)).groupby(["rtb_unit", "skill", "ti"], sort=False)[
        "delivered"].sum()
    delivered = {(u, sk, int(t)): float(v) for (u, sk, t), v in got.items()}
    high = normal = 0.0
    for (u, sk), arr in rtb_demand(ctx.sc, n).items():
        for t in range(n):
            _, h, nm = rtb_shortfalls(arr[:, t], delivered.get((u, sk, t), 0.0))
            high += float(h)
            normal += float(nm)
    return high, normal, len(r)


def _kpi_reward(ctx: Context, w: dict[str, float]) -> float:
    """Reward of the KPI checkpoints: each ``target`` (at ``by``) and yearly target (at
    the end of its year) closes its own gap and earns ``1 / checkpoints`` of the KPI's."""
    sc = ctx.sc
    pol = sc.policy.kpi_targets
    positive = [x for x in w.values() if x > 0]
    average = sum(positive) / len(positive) if positive else 1.0
    obj_w = {o.id: o.weight for o in sc.strategy.objectives}
    mean = sum(obj_w.values()) / len(obj_w) if obj_w else 0.0
    paths = forecasts(sc, ctx.cal, {i: f for i, (_s, f) in ctx.window.items()})
    total = 0.0
    for k in sc.strategy.kpis:
        points = checkpoints(k, ctx.cal)
        base = k.baseline if k.baseline is not None else 0.0
        rel = obj_w.get(k.objective, 0.0) / mean if k.objective is not None and mean > 0 else 1.0
        unit = average * rel / max(len(points), 1)
        for _year, target, by in points:
            gap = abs(target - base)
            if gap <= 0:
                continue
            sign = -1.0 if target < base else 1.0
            moved = sign * (paths[k.id][by] - base)
            total += pol.weight * unit * min(moved, gap) / gap
            if pol.met_bonus > 0 and moved >= gap * (1 - 1e-9):
                total += pol.met_bonus * unit
    return total
