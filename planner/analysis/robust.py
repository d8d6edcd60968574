"""Robust plans: plans that hold in at least a given share of sampled realities.

:func:`robust_solve` calibrates buffers by simulation, with the ordinary
solver as a black box (:func:`planner.solve.solve`):

Every solve gets the time limit of the settings afresh (``--time-limit`` bounds
each solve, not the whole run).

1. Solve the scenario as it is (the *ordinary* plan).
2. Simulate the current plan on ``samples`` calibration samples (seed
   ``seed``; :mod:`planner.analysis.risk`). A chosen initiative *holds* when
   it finishes by its deadline (the last period when it has none) in at least
   ``level`` + a margin of 1.645 standard errors of the samples.
3. For each initiative that does not hold, raise its buffers: when it was late
   in some sample for lack of staff, its **effort inflation** climbs one rung
   (each line's estimate is replaced by a quantile of its own triangular
   spread: the median, 0.75, ``level``, (1 + ``level``) / 2, its ``high``,
   then 10% more per rung); when it was late in some sample without any
   staffing delay of its own (a duration slip, a late prerequisite), its
   **schedule buffer** grows by one period, or to the ``level`` quantile of
   its late start plus slip when that is more (its deadline is moved that many
   periods earlier). Mandatory initiatives never get a buffer that leaves
   them no start.
   When the budget is overrun in more than 1 - ``level`` (less the margin)
   of the samples, the **money buffer** grows by the overrun at the ``level``
   quantile of the sampled spend (at least 1% of the budget): the plan is made
   with ``policy.budget`` less the buffer, so contractors hired to recover
   stay within the real budget.
4. Solve the scenario with inflated effort, tightened deadlines and the
   reduced budget, turn that plan into a plan of the real scenario (below)
   and go back to 2, at most ``rounds`` times. When mandatory work no longer
   fits, the schedule buffers are dropped first, then the money buffer. The
   result is the first plan in which every chosen initiative holds and the
   budget holds; failing that, the one with the fewest failures (ties: the
   later round), reported as not holding.

**Back to the real scenario.** The plan of the inflated scenario staffs each
effort line with its inflated hours. The robust plan keeps its choices,
starts and RTB, and scales each line's hours in each period back down to the
real estimate (``hours / duration``), person by person; the hours given up
stay free in the plan, where the simulation's recovery rule finds them when
work overruns. Durations are never inflated and deadlines only tightened, so
the plan is a valid plan of the real scenario and passes ``planner check``.
Its objective is the real scenario's objective of that plan
(:func:`~planner.analysis.plan_objective.objective_of`).

**Must RTB.** The recovery rule pulls people off change work to cover must
RTB, so a must shortfall that remains in a sample is one no plan of the
scenario avoids (too few people with the skill, such as a lone specialist
who leaves). The robust plan reports the coverage but does not try to buy it.

The verdict comes from fresh samples (seed ``seed + 1``, never used in the
calibration), on which both plans are assessed with the same samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from models.plan import Plan, RunInfo
from models.scenario import Scenario
from planner.analysis.plan_objective import objective_of
from planner.analysis.risk import NO_UNCERTAINTY, NoUncertaintyError, RiskReport, assess
from planner.analysis.sampling import triangular_ppf
from planner.errors import InfeasibleError
from planner.problem.calendar import Calendar
from planner.problem.money import total_budget

#: standard normal quantile of the calibration margin (one-sided 95%)
Z_MARGIN = 1.645


@dataclass
class RobustResult:
    """A robust plan, the ordinary plan, how they compare and how the buffers grew."""

    plan: Plan
    ordinary: Plan
    level: float
    holds: bool  # on time and within budget in >= level of the fresh samples
    cost: pd.DataFrame  # metric, ordinary, robust, difference
    rounds: pd.DataFrame  # one row per calibration round
    buffers: pd.DataFrame  # per initiative: effort inflation and schedule buffer used
    fresh: RiskReport  # the robust plan on fresh samples
    fresh_ordinary: RiskReport  # the ordinary plan on the same fresh samples
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Tables to write next to the plan (``robust.csv``, ...)."""
        return {"robust": self.cost, "robust_rounds": self.rounds,
                "robust_buffers": self.buffers}


def rung_quantiles(level: float) -> list[float]:
    """Quantile of each line's spread used at each effort-inflation rung (from rung 1)."""
    return [0.5, 0.75, level, (1.0 + level) / 2.0, 1.0]


def inflation(low: float, high: float, rung: int, level: float) -> float:
    """Effort multiple of a line with spread (low, high) at ``rung`` (0: none)."""
    if rung <= 0:
        return 1.0
    qs = rung_quantiles(level)
    if rung <= len(qs):
        return float(triangular_ppf(np.array(qs[rung - 1]), np.array(low), np.array(high)))
    return high * (1.0 + 0.1 * (rung - len(qs)))


def inflated(scenario: Scenario, rungs: dict[str, int], buffers: dict[str, int],
             level: float, money: float = 0.0) -> Scenario:
    """The scenario with effort inflated, deadlines tightened and ``money`` less budget."""
    unc = scenario.uncertainty
    assert unc is not None
    cal = Calendar(scenario.horizon)
    sc = scenario.model_copy(deep=True)
    for ini in sc.initiatives:
        r = rungs.get(ini.id, 0)
        for ln in ini.effort:
            sp = unc.spread(ini.id, ln.unit, ln.skill)
            ln.hours = ln.hours * inflation(sp.low, sp.high, r, level)
        b = buffers.get(ini.id, 0)
        if b > 0:
            last = cal.of(ini.deadline) if ini.deadline else len(cal) - 1
            ini.deadline = cal.labels[max(0, last - b)]
    if money > 0 and isinstance(sc.policy.budget, int | float):
        sc.policy.budget = max(0.0, sc.policy.budget - money)
    return sc


def max_buffer(scenario: Scenario, iid: str) -> int:
    """Largest schedule buffer that still leaves an initiative a start in its window."""
    cal = Calendar(scenario.horizon)
    ini = next(i for i in scenario.initiatives if i.id == iid)
    last = cal.of(ini.deadline) if ini.deadline else len(cal) - 1
    begin = ini.start or ini.earliest_start
    first = cal.of(begin) if begin else 0
    return max(0, last - (first + ini.duration - 1))


def robust_solve(
    scenario: Scenario,
    level: float = 0.9,
    settings: Any = None,
    *,
    samples: int = 500,
    fresh_samples: int = 1000,
    seed: int = 0,
    rounds: int = 8,
    budget: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    log: Callable[[str], None] | None = None,
    ordinary: Plan | None = None,
) -> RobustResult:
    """A plan whose chosen initiatives finish on time in at least ``level`` of the samples.

    Parameters
    ----------
    scenario
        A validated scenario with an ``uncertainty:`` section.
    level
        Share of samples in which each chosen initiative must be on time.
    settings
        :class:`planner.solve.Settings` of every solve.
    samples, seed
        Calibration samples; the verdict uses ``fresh_samples`` of seed ``seed + 1``.
    rounds
        Re-solves at most.
    budget
        Also keep the (total) budget in ``level`` of the samples (money buffer).
    workers, scheduler, client
        Where the simulations run (:func:`planner.analysis.parallel.run_all`); one
        cluster serves every round.
    log
        Called with one line per round.
    ordinary
        The ordinary plan, when already solved.
    """
    if scenario.uncertainty is None:
        raise NoUncertaintyError(NO_UNCERTAINTY)
    if not 0 < level < 1:
        raise ValueError(f"--robust: the level must be in (0, 1), got {level}")
    owned = cluster = None
    if client is None and (scheduler is not None or workers > 1):
        from planner.analysis.parallel import connect

        owned, cluster = connect(workers, scheduler)
    try:
        return _calibrate(scenario, level, settings, samples, fresh_samples, seed, rounds,
                          budget, {"workers": workers, "client": client or owned}, log,
                          ordinary)
    finally:
        if owned is not None:
            owned.close()
        if cluster is not None:
            cluster.close()


def _calibrate(scenario: Scenario, level: float, settings: Any, samples: int,
               fresh_samples: int, seed: int, rounds: int, budget: bool,
               where: dict[str, Any], log: Callable[[str], None] | None,
               ordinary: Plan | None) -> RobustResult:
    """The rounds of :func:`robust_solve` (see the module docstring)."""
    from planner.solving import Settings, solve

    # each solve counts its time limit from its own start
    st = (settings if settings is not None else Settings()).but(clock=None)
    say = log or (lambda _msg: None)
    base = ordinary if ordinary is not None else solve(scenario, st)
    target = min(1.0, level + Z_MARGIN * math.sqrt(level * (1 - level) / samples))
    mandatory = {i.id for i in scenario.initiatives if i.mandatory or i.pin == "in"}
    fixed = {i.id for i in scenario.initiatives if i.start is not None}
    rungs: dict[str, int] = {}
    buffers: dict[str, int] = {}
    money = 0.0
    limit = total_budget(scenario.policy.budget) if budget else None
    history: list[dict[str, Any]] = []
    candidates: list[tuple[int, int, Plan, float]] = []  # (failures, -round, plan, money)
    plan = base
    for r in range(rounds + 1):
        report = assess(plan, samples, seed, **where)
        p = dict(zip(report.initiatives["initiative"], report.initiatives["p_on_time"],
                     strict=True))
        failing = [i for i in plan.selected if p.get(i, 1.0) < target]
        over = report.metric("p_budget_overrun") if limit is not None else None
        if over is not None and 1.0 - over < target:
            failing.append("budget")
        score = sum(x.strategic_score for x in plan.initiatives if x.selected)
        history.append({
            "round": r, "initiatives": len(plan.selected), "strategic_score": score,
            "objective": round(plan.run.objective, 6), "failing": "; ".join(failing),
            "min_p_on_time": report.metric("min_p_on_time"),
            "inflated": "; ".join(f"{k}:{v}" for k, v in sorted(rungs.items()) if v),
            "buffered": "; ".join(f"{k}:{v}" for k, v in sorted(buffers.items()) if v),
            "money_buffer": round(money, 2), "p_budget_overrun": over,
        })
        say(f"round {r}: {len(plan.selected)} initiatives, score {score:g}, "
            f"{len(failing)} below {target:.3f}" + (f" ({', '.join(failing)})" if failing else ""))
        candidates.append((len(failing), -r, plan, money))
        if not failing or r == rounds:
            break
        grew = _raise(report, [i for i in failing if i != "budget"], rungs, buffers, scenario,
                      mandatory, fixed, level)
        if "budget" in failing and limit is not None and report.outcome is not None:
            over_by = float(np.quantile(report.outcome.spend, level)) - float(limit)
            money += max(over_by, 0.01 * float(limit), 1.0)
            grew = True
        if not grew:
            break
        plan = _solve_inflated(scenario, rungs, buffers, money, level, st, base)

    failures, _r, best, reserve = min(candidates, key=lambda c: (c[0], c[1]))
    _reasons(best, base, level, reserve)
    fresh = assess(best, fresh_samples, seed + 1, **where)
    fresh_ord = assess(base, fresh_samples, seed + 1, **where)
    on_time = len(best.selected) == 0 or fresh.metric("min_p_on_time") >= level
    over = fresh.metric("p_budget_overrun")
    in_budget = limit is None or over is None or 1.0 - over >= level
    holds = bool(on_time and in_budget)
    best.run.message = (
        f"robust plan (level {level:g}): every chosen initiative on time in "
        f"{fresh.metric('min_p_on_time')!s} or more of {fresh_samples} fresh samples"
        + (f", budget kept in {1.0 - over:.4g}" if limit is not None and over is not None
           else "")
        + ("" if holds else f" - below {level:g}: the buffers did not reach it")
    )
    notes = []
    must = fresh.rtb[(fresh.rtb["priority"] == "must") & (fresh.rtb["p_short"] > 1 - level)]
    for row in must.itertuples(index=False):
        notes.append(f"must RTB {row.unit}/{row.skill} short in {row.p_short:.1%} of samples "
                     "whatever the plan (too few people with the skill)")
    return RobustResult(
        plan=best, ordinary=base, level=level, holds=holds,
        cost=_cost(base, best, fresh_ord, fresh), rounds=pd.DataFrame(history),
        buffers=_buffers(scenario, best, rungs, buffers, level), fresh=fresh,
        fresh_ordinary=fresh_ord, notes=notes,
    )


def _raise(report: RiskReport, failing: list[str], rungs: dict[str, int],
           buffers: dict[str, int], scenario: Scenario, mandatory: set[str],
           fixed: set[str], level: float) -> bool:
    """Raise the buffers of the failing initiatives; False when nothing can grow."""
    m, out = report.model, report.outcome
    assert m is not None and out is not None
    grew = False
    for iid in failing:
        c = m.ids.index(iid)
        late = out.finish[:, c] > m.deadline[c]
        dur = m.duration[c] + out.slip[:, c]
        own = out.finish[:, c] - (out.start[:, c] + dur - 1)  # periods lost for lack of staff
        if (late & (own > 0)).any():
            rungs[iid] = rungs.get(iid, 0) + 1
            grew = True
        if (late & (own <= 0)).any() and iid not in fixed:
            # room for the late start and slip it meets in ``level`` of the samples
            exo = out.start[:, c] - m.start[c] + out.slip[:, c]
            b = max(buffers.get(iid, 0) + 1, int(np.ceil(np.quantile(exo, level))))
            if iid not in mandatory or b <= max_buffer(scenario, iid):
                buffers[iid] = b
                grew = True
    return grew


def _solve_inflated(scenario: Scenario, rungs: dict[str, int], buffers: dict[str, int],
                    money: float, level: float, st: Any, base: Plan) -> Plan:
    """Solve the inflated scenario and bring its plan back to the real scenario.

    When mandatory work cannot fit, the schedule buffers go first, then the money.
    """
    from planner.io.validate import validate
    from planner.solving import solve

    attempts = [(buffers, money), ({}, money), ({}, 0.0)]
    for k, (b, m) in enumerate(attempts):
        sc = inflated(scenario, rungs, b, level, m)
        validate(sc)
        try:
            return to_real(solve(sc, st), scenario, base.overrides)
        except InfeasibleError:
            if k == len(attempts) - 1:
                raise
    raise AssertionError("unreachable")


def to_real(plan: Plan, scenario: Scenario, overrides: list[str] | None = None) -> Plan:
    """The plan of an inflated scenario as a plan of ``scenario`` (see the module docstring)."""
    a = plan.assignments.copy()
    skills = {p.id: scenario.proficiencies(p) for p in scenario.staff}
    q = np.array([1.0 if str(person).startswith("external:")
                  else skills.get(str(person), {}).get(str(skill), 0.0)
                  for person, skill in zip(a["person"], a["skill"], strict=True)])
    need: dict[tuple[str, str, str], float] = {}
    for ini in scenario.initiatives:
        for ln in ini.effort:
            key = (ini.id, ln.unit, ln.skill)
            need[key] = need.get(key, 0.0) + ln.hours / ini.duration
    change = ~a["work"].astype(str).str.startswith("rtb:")
    keys = list(zip(a["work"], a["for_unit"], a["skill"], strict=True))
    delivered = (a["hours"] * q).groupby([a["work"], a["for_unit"], a["skill"], a["period"]]
                                         ).transform("sum")
    want = np.array([need.get((str(w), str(u), str(s)), 0.0) for w, u, s in keys])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(delivered > 0, np.minimum(1.0, want / delivered), 0.0)
    scaled = np.minimum(a["hours"], np.ceil(a["hours"] * factor * 1e4 - 1e-6) / 1e4)
    a.loc[change, "hours"] = scaled[change]
    a = a[a["hours"] > 0].reset_index(drop=True)
    labour = a[~a["work"].astype(str).str.startswith("rtb:")].groupby("work")["hours"].sum()
    results = []
    for r in plan.initiatives:
        results.append(r.model_copy(update={
            "labour_hours": round(float(labour.get(r.id, 0.0)), 4) if r.selected else 0.0,
        }))
    real = Plan(scenario=scenario, run=plan.run.model_copy(), initiatives=results,
                assignments=a, overrides=list(overrides or []), warnings=list(plan.warnings))
    real.run = RunInfo(
        status="feasible", strategy=plan.run.strategy, backend=plan.run.backend,
        objective=objective_of(real), seed=plan.run.seed, time_limit=plan.run.time_limit,
        gap_limit=plan.run.gap_limit, message="robust plan", model=plan.run.model,
        timings=plan.run.timings,
    )
    return real


def _reasons(plan: Plan, base: Plan, level: float, reserve: float) -> None:
    """Why an initiative is left out of the robust plan, in terms of the real scenario."""
    if plan is base:
        return
    before = {r.id: r for r in base.initiatives}
    for r in plan.initiatives:
        b = before.get(r.id)
        if r.selected or b is None:
            continue
        if b.selected:
            r.reason = (f"left out by the robust plan: with it the plan would not hold in "
                        f"{level:g} of the samples (see robust_rounds.csv)")
        elif "budget" in r.reason and reserve > 0:
            r.reason += f" (the robust plan keeps {reserve:,.0f} of the budget for recovery)"


def _cost(base: Plan, robust: Plan, rb: RiskReport, rr: RiskReport) -> pd.DataFrame:
    """What robustness cost: headline figures of both plans and their difference."""

    def facts(plan: Plan, rep: RiskReport) -> dict[str, float]:
        chosen = [r for r in plan.initiatives if r.selected]
        return {
            "initiatives_chosen": len(chosen),
            "strategic_score": round(sum(r.strategic_score for r in chosen), 6),
            "value": round(sum(r.value for r in chosen), 2),
            "objective": round(plan.run.objective, 6),
            "min_p_on_time": rep.metric("min_p_on_time"),
            "p_all_on_time": rep.metric("p_all_on_time"),
            "p_must_rtb_covered": rep.metric("p_must_rtb_covered"),
            "p_plan_holds": rep.metric("p_plan_holds"),
            "expected_slip_periods": rep.metric("expected_slip_periods"),
            "p_budget_overrun": rep.metric("p_budget_overrun"),
            "expected_spend": rep.metric("expected_spend"),
            # KPI targets (value paths included) met on average over the samples
            "expected_kpi_targets_met": round(float(rep.kpis["p_meet"].sum()), 4),
        }

    fb, fr = facts(base, rb), facts(robust, rr)
    rows = []
    for k in fb:
        a, b = fb[k], fr[k]
        diff = None if a is None or b is None else round(float(b) - float(a), 6)
        rows.append({"metric": k, "ordinary": a, "robust": b, "difference": diff})
    return pd.DataFrame(rows, columns=["metric", "ordinary", "robust", "difference"])


def _buffers(scenario: Scenario, plan: Plan, rungs: dict[str, int], buffers: dict[str, int],
             level: float) -> pd.DataFrame:
    unc = scenario.uncertainty
    assert unc is not None
    rows = []
    chosen = set(plan.selected)
    for ini in scenario.initiatives:
        r, b = rungs.get(ini.id, 0), buffers.get(ini.id, 0)
        if not (r or b or ini.id in chosen):
            continue
        mults = [inflation(unc.spread(ini.id, ln.unit, ln.skill).low,
                           unc.spread(ini.id, ln.unit, ln.skill).high, r, level)
                 for ln in ini.effort] or [1.0]
        rows.append({"initiative": ini.id, "chosen": ini.id in chosen, "effort_rung": r,
                     "effort_inflation": round(max(mults), 4), "schedule_buffer": b})
    return pd.DataFrame(rows, columns=["initiative", "chosen", "effort_rung", "effort_inflation",
                                       "schedule_buffer"])
