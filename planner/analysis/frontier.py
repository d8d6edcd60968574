"""Efficient frontier: how much plan each extra unit of money (or headcount) buys.

:func:`sweep` solves one ordinary plan per point of a grid of budgets (and,
optionally, extra FTE of one skill in one unit, added as synthetic people), as
independent pieces on Dask (a local cluster of ``workers`` processes, or an
existing cluster; :mod:`planner.analysis.parallel`), and reports the objective,
strategic score, value and spend of each point and the initiatives that enter
(and leave) from one step to the next. Each piece is a pure function of the
point's scenario and the settings, so wherever it runs it gives the same plan;
with more than one point, every point solves in one process (``threads=1``)
however many workers there are.

**The reported frontier never falls.** A point with more budget and more
capacity than another can always use that other point's plan (it stays
feasible), so when a solve comes back worse (a time limit, a gap), the better
plan of a dominated point is kept instead, marked in ``kept_from``. With
proven optimal solves this never triggers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models.plan import Plan
from models.scenario import Person, Scenario
from planner.errors import PlannerError
from planner.io.guard import Input

COLUMNS = [
    "budget", "added_fte", "status", "objective", "strategic_score", "value", "spend",
    "initiatives", "entered", "left", "kept_from", "plan", "note",
]
TOL = 1e-9


@dataclass
class Capacity:
    """Extra FTE of ``skill`` in ``unit``, one point per value of ``fte``."""

    unit: str
    skill: str
    fte: list[float]


def with_capacity(scenario: Scenario, unit: str, skill: str, fte: float) -> Scenario:
    """A copy of ``scenario`` with ``fte`` more FTE of ``skill`` in ``unit``.

    The extra capacity is synthetic people ``new-<unit>-<skill>-<n>`` of up to
    1 FTE each, with only that skill, costed at the average rate (and with the
    change share of the first) of the unit's people who have the skill.
    """
    from planner.io.sourcemap import suggest

    units = [u.id for u in scenario.units]
    if unit not in units:
        raise ValueError(f"--capacity: unknown unit '{unit}'{suggest(unit, units)}")
    skills = scenario.all_skills()
    if skill not in skills:
        raise ValueError(f"--capacity: unknown skill '{skill}'{suggest(skill, skills)} (no one "
                         "has it and no work needs it)")
    sc = scenario.model_copy(deep=True)
    if fte <= 0:
        return sc
    peers = [p for p in scenario.staff if p.unit == unit and skill in p.skills]
    rate = sum(p.cost_per_hour for p in peers) / len(peers) if peers else 0.0
    share = peers[0].max_change_share if peers else 1.0
    left, k = fte, 0
    while left > 1e-9:
        k += 1
        part = min(1.0, left)
        sc.staff.append(Person(id=f"new-{unit}-{skill}-{k}", unit=unit, skills={skill: 1.0},
                               fte=round(part, 6), cost_per_hour=rate, max_change_share=share))
        left -= part
    return sc


def point_scenario(
    scenario: Scenario, budget: float | None, capacity: Capacity | None, fte: float
) -> Scenario:
    """The scenario of one point: the budget set and the extra capacity added."""
    sc = scenario.model_copy(deep=True)
    if budget is not None:
        sc.policy.budget = budget
    if capacity is not None:
        sc = with_capacity(sc, capacity.unit, capacity.skill, fte)
    from planner.io.validate import validate

    validate(sc)
    return sc


def _solve_point(args: tuple[dict[str, Any], dict[str, Any]]) -> tuple[str, Any]:
    """One piece: solve one point; ``("ok", plan)`` or ``("infeasible" | "error", message)``.

    A pure function of its argument (the point's scenario as JSON data, the settings).
    """
    from planner.errors import InfeasibleError
    from planner.solving import Settings, solve

    data, settings = args
    sc = Scenario.model_validate(data)
    try:
        return "ok", solve(sc, Settings(**settings))
    except InfeasibleError as exc:
        return "infeasible", str(exc)
    except PlannerError as exc:
        return "error", str(exc)


def sweep(
    scenario: Scenario,
    budgets: Sequence[float] | None = None,
    capacity: Capacity | None = None,
    settings: dict[str, Any] | None = None,
    workers: int = 2,
    overrides: Sequence[str] = (),
    on_point: Callable[[int, int, str, str], None] | None = None,
    *,
    scheduler: str | None = None,
    client: Any = None,
) -> tuple[pd.DataFrame, list[Plan | None]]:
    """Solve every point of the grid; the frontier table and each point's plan (or None).

    Parameters
    ----------
    scenario
        The validated scenario (overrides already applied).
    budgets
        Budgets to try; None keeps the scenario's budget.
    capacity
        Extra FTE of one skill in one unit to try at every budget.
    settings
        Keyword arguments of :class:`planner.solving.Settings` for every solve.
    workers
        Worker processes of a local Dask cluster (1 solves in this process).
    overrides
        The ``--set`` overrides the scenario was loaded with; recorded in each
        plan with the point's ``policy.budget``.
    on_point
        Called as each point is solved: ``(points done, points in all, the point's
        label, its status)`` (progress for a terminal).
    scheduler, client
        Solve the points on the Dask cluster at this address (``tcp://host:8786``) or
        on this ``distributed.Client`` (see :func:`planner.analysis.parallel.run_all`).
    """
    from planner.analysis.parallel import run_all

    own = scenario.policy.budget  # a per-year map is kept as it is (no budget column)
    bs: list[float | None] = (list(sorted(set(budgets))) if budgets
                              else [None if isinstance(own, dict) else own])
    ftes = capacity.fte if capacity is not None else [0.0]
    points = [(f, b) for f in sorted(set(ftes)) for b in bs]
    scenarios = [point_scenario(scenario, b, capacity, f) for f, b in points]
    point_settings = dict(settings or {})
    if len(scenarios) > 1:
        # the points share the cores, and a point's plan must not depend on where it is
        # solved: each solves in one process (no MIP beside the search)
        point_settings.setdefault("threads", 1)
    jobs = [(sc.model_dump(mode="json", by_alias=True, exclude_none=True), point_settings)
            for sc in scenarios]
    results: list[Any] = [None] * len(jobs)
    done = [0]

    def finished(k: int, result: Any) -> None:
        results[k] = result
        done[0] += 1
        if on_point is not None:
            status = result[1].run.status if result[0] == "ok" else str(result[0])
            on_point(done[0], len(jobs), _label(*points[k]), status)

    run_all(_solve_point, [(job,) for job in jobs], workers=min(workers, len(jobs)),
            scheduler=scheduler, client=client, on_done=finished)

    plans: list[Plan | None] = []
    rows = []
    for k, ((f, b), sc, (status, got)) in enumerate(zip(points, scenarios, results, strict=True)):
        plan = got if status == "ok" else None
        kept = ""
        # a dominated point's plan is feasible here too: never report less than it
        best = None
        for j in range(k):
            pj = plans[j]
            fj, bj = points[j]
            if pj is None or fj > f or (bj is not None and (b is None or bj > b)):
                continue
            if best is None or pj.run.objective > best[1].run.objective:
                best = (j, pj)
        if best is not None and (plan is None or best[1].run.objective > plan.run.objective
                                 + TOL * max(1.0, abs(plan.run.objective))):
            j, pj = best
            run = pj.run.model_copy(update={
                "status": "feasible",
                "message": f"plan of a point with less budget/capacity kept ({_label(*points[j])})",
            })
            plan = Plan(scenario=sc, run=run, initiatives=[r.model_copy() for r in pj.initiatives],
                        assignments=pj.assignments.copy())
            kept, status = _label(*points[j]), "ok"
        if plan is not None:
            extra = [f"policy.budget={b:g}"] if b is not None else []
            plan.overrides = list(overrides) + extra
        plans.append(plan)
        rows.append(_row(f, b, plan, status, got, kept, capacity is not None))

    table = pd.DataFrame(rows, columns=COLUMNS)
    _entered(table, plans, points)
    return table, plans


def frontier(scenario: Scenario, budgets: Sequence[float] | None = None, **kwargs: Any
             ) -> pd.DataFrame:
    """The frontier table of :func:`sweep` (see there for the arguments)."""
    return sweep(scenario, budgets, **kwargs)[0]


def _label(fte: float, budget: float | None) -> str:
    parts = []
    if budget is not None:
        parts.append(f"budget {budget:,.0f}")
    if fte:
        parts.append(f"+{fte:g} FTE")
    return ", ".join(parts) or "base"


def _row(f: float, b: float | None, plan: Plan | None, status: str, got: Any, kept: str,
         with_fte: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"budget": b, "added_fte": f if with_fte else 0.0, "kept_from": kept,
                           "plan": "", "entered": "", "left": "", "note": ""}
    if plan is None:
        lines = [ln.strip(" -") for ln in str(got or "").splitlines() if ln.strip()]
        # the first shortfall says most ("dev/code in 1: 40.0 h short ...")
        note = lines[1] if len(lines) > 1 and lines[0].endswith(":") else (lines or [""])[0]
        row.update(status=status, objective=None, strategic_score=None, value=None, spend=None,
                   initiatives=None, note=note)
        return row
    from planner.views import VIEWS

    s = VIEWS["summary"](plan).set_index("metric")["value"]
    row.update(
        status=plan.run.status,
        objective=round(plan.run.objective, 6),
        strategic_score=s["strategic_score"],
        value=s["value"],
        spend=s["incremental_spend"],
        initiatives=len(plan.selected),
    )
    return row


def _entered(table: pd.DataFrame, plans: list[Plan | None],
             points: list[tuple[float, float | None]]) -> None:
    """Initiatives that enter / leave against the previous point.

    The previous point is the next lower budget at the same added FTE; for the
    lowest budget, the same budget at the next lower added FTE.
    """
    for k in range(len(points)):
        f, b = points[k]
        lower_b = [j for j in range(k) if points[j][0] == f]
        lower_f = [j for j in range(k) if points[j][1] == b]
        prev = lower_b[-1] if lower_b else (lower_f[-1] if lower_f else None)
        plan = plans[k]
        if plan is None:
            continue
        earlier = plans[prev] if prev is not None else None
        now = set(plan.selected)
        before = set(earlier.selected) if earlier is not None else set()
        order = [r.id for r in plan.initiatives]
        table.at[k, "entered"] = "; ".join(i for i in order if i in now - before)
        table.at[k, "left"] = "; ".join(i for i in order if i in before - now)


def write_frontier(
    table: pd.DataFrame, plans: list[Plan | None], out: str | Path, write_plans: bool = False,
    inputs: Iterable[Input] = (),
) -> Path:
    """Write ``frontier.csv`` and ``frontier.png`` (and ``points/<n>/`` plan folders) to ``out``.

    ``out`` is refused when it is, holds or lies inside one of ``inputs`` (or holds
    the current directory), and locked while written (:mod:`planner.io.guard`).
    """
    from planner.io.guard import check_destination
    from planner.io.lock import destination_lock

    check_destination(out, inputs)
    with destination_lock(out):
        return _write_frontier(table, plans, Path(out), write_plans)


def _write_frontier(table: pd.DataFrame, plans: list[Plan | None], folder: Path,
                    write_plans: bool) -> Path:
    from planner.io.export import frame_to_csv, write_plan

    folder.mkdir(parents=True, exist_ok=True)
    table = table.copy()
    if write_plans:
        for k, plan in enumerate(plans):
            if plan is not None:
                name = f"point-{k:03d}"
                write_plan(plan, folder / name, force=True)
                table.at[k, "plan"] = name
    (folder / "frontier.csv").write_text(frame_to_csv(table), encoding="utf-8")
    plot(table, folder / "frontier.png")
    return folder


def plot(table: pd.DataFrame, path: str | Path) -> None:
    """Objective against budget (one line per added FTE), entering initiatives labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    by_budget = table["budget"].notna().any() and table["budget"].nunique() > 1
    x_col = "budget" if by_budget else "added_fte"
    groups = table.groupby("added_fte") if by_budget else [(None, table)]
    for fte, g in groups:
        g = g[g["objective"].notna()]
        label = f"+{fte:g} FTE" if fte is not None and table["added_fte"].nunique() > 1 else None
        ax.step(g[x_col], g["objective"], where="post", marker="o", label=label)
        for x, y, text in zip(g[x_col], g["objective"], g["entered"], strict=True):
            if text:
                ax.annotate(str(text).replace("; ", "\n"), (x, y), textcoords="offset points",
                            xytext=(4, 4), fontsize=7)
    ax.set_xlabel("budget" if by_budget else "added FTE")
    ax.set_ylabel("objective")
    ax.set_title("Efficient frontier")
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
