"""Monte Carlo risk of a written plan: how likely is it to hold?

:func:`assess` draws ``samples`` samples of reality from the scenario's
``uncertainty:`` section (:mod:`planner.analysis.sampling`), carries the plan
out in each by the recovery rule of :mod:`planner.analysis.simulate`, and
summarises the outcomes in tables (:class:`RiskReport`):

``initiatives``
    per chosen initiative: the probability to finish by its deadline (the
    last period when it has none) and by its planned finish, the expected and
    90th-percentile slip in periods, the probability to finish after the horizon.
``rtb``
    per unit, skill and priority: the plan's shortfall, the probability of any
    shortfall and of one worse than the plan's, its mean and 90th percentile.
``budget``
    total and per unit with a budget: planned and sampled spend, probability
    of overrunning the budget.
``kpis``
    per KPI with a target: the forecast (baseline + total impacts, value paths
    included, of the initiatives finished by the end of ``by``, default the last
    period; :mod:`planner.problem.kpi`) and the probability of meeting it.
``summary``
    one row per headline figure (samples, seed, probability that the whole
    plan holds, ...).

Samples run in pieces (batches of sample indices), on Dask when asked
(:mod:`planner.analysis.parallel`); a sample's outcome depends only on
(plan, seed, sample index), so the tables are the same however the pieces run.

A plan re-planned as of a period is judged from that period on (the past
happened; :mod:`planner.analysis.plan_model`): its done initiatives are on time
or not as they were, RTB counts from the as-of period, and spend starts from
what was committed before it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models.plan import Plan
from models.uncertainty import Uncertainty
from planner.analysis.plan_model import PRIORITIES, PlanModel, compile_plan
from planner.analysis.sampling import draw_batch, population
from planner.analysis.simulate import Outcome, simulate
from planner.errors import PlannerError

#: samples per piece at most (memory: a piece holds samples x groups x periods capacities)
MAX_BATCH = 250
NO_UNCERTAINTY = (
    "the plan's scenario has no 'uncertainty:' section, so there is nothing to sample. "
    "Add one to the scenario (see README, 'Risk and robust plans'), e.g.\n"
    "  uncertainty: {effort: {low: 0.8, high: 1.5}, attrition: 0.12, backfill: 3}\n"
    "and solve again, or pass it with --uncertainty SCENARIO_FILE."
)


class NoUncertaintyError(PlannerError):
    """The scenario has no ``uncertainty:`` section."""


@dataclass
class RiskReport:
    """The tables of a risk assessment (see the module docstring)."""

    samples: int
    seed: int
    initiatives: pd.DataFrame
    rtb: pd.DataFrame
    budget: pd.DataFrame
    kpis: pd.DataFrame
    summary: pd.DataFrame
    outcome: Outcome | None = field(default=None, repr=False)
    model: PlanModel | None = field(default=None, repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (the CSV files :func:`write_risk` writes)."""
        return {"summary": self.summary, "initiatives": self.initiatives, "rtb": self.rtb,
                "budget": self.budget, "kpis": self.kpis}

    def metric(self, name: str) -> Any:
        """One value of the ``summary`` table."""
        return self.summary.set_index("metric").loc[name, "value"]


def run_batch(model: PlanModel, seed: int, indices: Sequence[int]) -> Outcome:
    """One piece: samples ``indices`` of ``seed`` carried out (a pure function)."""
    return simulate(model, draw_batch(model.pop, seed, indices))


def batches(samples: int, pieces: int) -> list[list[int]]:
    """Sample indices cut into about ``pieces`` pieces of at most :data:`MAX_BATCH`."""
    n = max(pieces, math.ceil(samples / MAX_BATCH), 1)
    size = max(1, math.ceil(samples / n))
    return [list(range(k, min(k + size, samples))) for k in range(0, samples, size)]


def prepare(plan: Plan, uncertainty: Uncertainty | None = None) -> PlanModel:
    """The plan compiled for simulation; refuses a scenario without uncertainty."""
    unc = uncertainty or plan.scenario.uncertainty
    if unc is None:
        raise NoUncertaintyError(NO_UNCERTAINTY)
    return compile_plan(plan, population(plan.scenario, unc))


def assess(
    plan: Plan,
    samples: int = 1000,
    seed: int = 0,
    *,
    uncertainty: Uncertainty | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    progress: Callable[[int, int], None] | None = None,
    pieces: int | None = None,
) -> RiskReport:
    """Simulate ``plan`` against ``samples`` samples of reality drawn with ``seed``.

    Parameters
    ----------
    plan
        A plan (``plan.json`` alone is enough: it carries the scenario).
    uncertainty
        Use this instead of the scenario's ``uncertainty:`` section.
    workers, scheduler, client
        Where the pieces run (see :func:`planner.analysis.parallel.run_all`):
        in this process (``workers=1``), on a local Dask cluster of ``workers``
        processes, on the cluster at ``scheduler``, or on a Dask ``client``.
    progress
        Called with (pieces done, pieces) as pieces complete.
    pieces
        How many pieces to cut the samples into (at most :data:`MAX_BATCH`
        samples each); by default two per worker. The tables do not depend on it.

    Raises
    ------
    NoUncertaintyError
        When neither the scenario nor ``uncertainty`` describes any uncertainty.
    """
    from planner.analysis.parallel import run_all

    if samples < 1:
        raise ValueError("samples must be at least 1")
    model = prepare(plan, uncertainty)
    if pieces is None:
        pieces = 2 * max(workers, 1) if workers > 1 else 1
        if client is not None:
            pieces = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        elif scheduler is not None:
            pieces = 16
    parts = batches(samples, pieces)
    outcomes = run_all(run_batch, [(seed, b) for b in parts], shared=model, workers=workers,
                       scheduler=scheduler, client=client, progress=progress)
    return summarise(plan, model, Outcome.concat(outcomes), seed)


def summarise(plan: Plan, model: PlanModel, out: Outcome, seed: int) -> RiskReport:
    """The tables of :class:`RiskReport` from the outcomes of every sample."""
    on_time = out.finish <= model.deadline[None, :]
    tables = {
        "initiatives": _initiatives(plan, model, out, on_time),
        "rtb": _rtb(model, out),
        "budget": _budget(plan, model, out),
        "kpis": _kpis(plan, model, out),
    }
    holds = on_time.all(axis=1) & ~out.must_short.any(axis=1)
    budget = tables["budget"]
    total = budget[budget["scope"] == "total"]
    rows = [
        ("samples", out.finish.shape[0]),
        ("seed", seed),
        ("as_of", model.labels[model.t0] if model.t0 > 0 else None),
        ("initiatives_chosen", len(model.chosen)),
        ("p_all_on_time", _p(on_time.all(axis=1))),
        ("p_must_rtb_covered", _p(~out.must_short.any(axis=1))),
        ("p_plan_holds", _p(holds)),
        ("min_p_on_time", round(float(on_time.mean(axis=0).min()), 4) if model.chosen else None),
        ("expected_slip_periods", round(float(np.maximum(
            out.finish - model.finish[None, :], 0).sum(axis=1).mean()), 4)),
        ("p_budget_overrun", total["p_overrun"].iloc[0] if len(total) else None),
        ("planned_spend", round(model.planned_spend, 2)),
        ("expected_spend", round(float(out.spend.mean()), 2)),
    ]
    summary = pd.DataFrame(rows, columns=["metric", "value"])
    return RiskReport(samples=out.finish.shape[0], seed=seed, summary=summary, outcome=out,
                      model=model, **tables)


def _p(mask: Any) -> float:
    mask = np.asarray(mask)
    return round(float(np.mean(mask)), 4) if mask.size else float("nan")


def _label(model: PlanModel, t: int) -> str:
    return model.labels[t] if 0 <= t < model.T else f"+{t - model.T + 1} after the horizon"


def _initiatives(plan: Plan, model: PlanModel, out: Outcome, on_time: np.ndarray
                 ) -> pd.DataFrame:
    names = {r.id: r.name for r in plan.initiatives}
    rows = []
    for c, iid in enumerate(model.ids):
        late = out.finish[:, c] - model.finish[c]
        rows.append({
            "initiative": iid,
            "name": names.get(iid, iid),
            "progress": "done" if model.done[c] else
            ("in flight" if model.started[c] else "planned"),
            "planned_start": model.labels[model.start[c]],
            "planned_finish": model.labels[model.finish[c]],
            "deadline": model.labels[model.deadline[c]],
            "p_on_time": _p(on_time[:, c]),
            "p_by_planned_finish": _p(late <= 0),
            "expected_slip": round(float(np.maximum(late, 0).mean()), 4),
            "p90_slip": round(float(np.percentile(np.maximum(late, 0), 90)), 4),
            "p_after_horizon": _p(out.finish[:, c] >= model.T),
            "p_duration_slip": _p(out.slip[:, c] > 0),
            "p_late_start": _p(out.start[:, c] > model.start[c]),
        })
    return pd.DataFrame(rows, columns=[
        "initiative", "name", "progress", "planned_start", "planned_finish", "deadline",
        "p_on_time", "p_by_planned_finish", "expected_slip", "p90_slip", "p_after_horizon",
        "p_duration_slip", "p_late_start"])


def _rtb(model: PlanModel, out: Outcome) -> pd.DataFrame:
    rows = []
    demand = model.rtb_demand.sum(axis=2)
    for k, (u, s) in enumerate(model.rtb_keys):
        for p, prio in enumerate(PRIORITIES):
            if demand[k, p] <= 0:
                continue
            short = out.rtb_short[:, k, p]
            tol = 1e-6 * (1.0 + demand[k, p])
            planned = float(model.planned_rtb_short[k, p])
            rows.append({
                "unit": u, "skill": s, "priority": prio,
                "demand": round(float(demand[k, p]), 4),
                "planned_short": round(planned, 4),
                "p_short": _p(short > tol),
                "p_worse_than_plan": _p(short > planned + tol),
                "mean_short": round(float(short.mean()), 4),
                "p90_short": round(float(np.percentile(short, 90)), 4),
            })
    return pd.DataFrame(rows, columns=[
        "unit", "skill", "priority", "demand", "planned_short", "p_short",
        "p_worse_than_plan", "mean_short", "p90_short"])


def _budget(plan: Plan, model: PlanModel, out: Outcome) -> pd.DataFrame:
    sc = plan.scenario
    rows = []
    scopes: list[tuple[str, Any, float, np.ndarray]] = [
        ("total", getattr(sc.policy, "budget", None), model.planned_spend, out.spend)]
    for u in sc.units:
        if u.budget is not None:
            k = model.units.index(u.id)
            scopes.append((u.id, u.budget, float(model.planned_unit_spend[k]),
                           out.unit_spend[:, k]))
    for scope, budget, planned, spend in scopes:
        limit = float(budget) if isinstance(budget, int | float) else None
        rows.append({
            "scope": scope,
            "budget": limit,
            "planned_spend": round(planned, 2),
            "mean_spend": round(float(spend.mean()), 2),
            "p90_spend": round(float(np.percentile(spend, 90)), 2),
            "p_overrun": _p(spend > limit + 0.01) if limit is not None else None,
        })
    return pd.DataFrame(rows, columns=["scope", "budget", "planned_spend", "mean_spend",
                                       "p90_spend", "p_overrun"])


def _kpis(plan: Plan, model: PlanModel, out: Outcome) -> pd.DataFrame:
    """Per KPI target: the plan's forecast at ``by`` and the chance of meeting it."""
    from planner.problem.kpi import MET_TOL, targets, total_impacts

    sc = plan.scenario
    names = {k.id: k.name or k.id for k in sc.strategy.kpis}
    impacts = total_impacts(sc)
    rows = []
    for k in targets(sc):
        effect = np.array([impacts[i].get(k.id, 0.0) for i in model.chosen])
        sampled = k.baseline + ((out.finish <= k.by) * effect[None, :]).sum(axis=1)
        planned = k.baseline + float(((model.finish <= k.by) * effect).sum())
        tol = MET_TOL * max(1.0, abs(k.target))
        met = k.direction * (k.target - sampled) <= tol
        rows.append({
            "kpi": k.id, "name": names[k.id], "baseline": k.baseline, "target": k.target,
            "by": model.labels[k.by], "must_meet": k.must_meet,
            "planned_forecast": round(planned, 6),
            "planned_met": bool(k.met(planned)),
            "mean_forecast": round(float(sampled.mean()), 6),
            "p_meet": _p(met),
        })
    return pd.DataFrame(rows, columns=["kpi", "name", "baseline", "target", "by", "must_meet",
                                       "planned_forecast", "planned_met", "mean_forecast",
                                       "p_meet"])


def write_risk(report: RiskReport, out: str | Path) -> list[Path]:
    """Write every table of ``report`` as ``<name>.csv`` into ``out`` (created)."""
    from planner.io.export import frame_to_csv

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in report.tables().items():
        target = folder / f"{name}.csv"
        target.write_text(frame_to_csv(frame), encoding="utf-8")
        written.append(target)
    return written
