"""Compare plans of several scenarios ("what if IT gets two more engineers?").

Every comparison is built by stacking each plan's views under a ``scenario``
index level (:func:`stack`), so any view in :data:`planner.views.VIEWS` can be
compared. :func:`compare_plans` derives four tables from the stacks, each
against the *first* plan (the base):

``headline``
    one row per metric (strategic score, value, spend against budget, RTB
    shortfall by priority, external hours, utilisation per unit), one column
    per scenario and one ``delta[<scenario>]`` column per other scenario; then
    each plan's solver ``status`` and ``gap``, and ``significant`` under each
    delta column: False when the two plans' objective ranges (objective to bound)
    overlap, so the differences may be the solver's rather than the scenario's.
``initiatives``
    the initiatives each other scenario added, dropped or moved, with the
    base's and the scenario's start and the reason.
``units``
    per unit and scenario: capacity, change hours, RTB shortfall, external
    hours and utilisation over the year, and their change against the base.
``people``
    per person and scenario, how many of their hours moved to other work or
    periods (``changed_hours``), most changed first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd

from models.plan import Plan
from planner.views import VIEWS

#: Headline metrics taken from the ``summary`` view, in this order (then utilisation[unit]).
HEADLINE = (
    "initiatives_chosen", "strategic_score", "kpi_targets_met", "kpi_targets_missed", "value",
    "initiative_cost", "external_cost", "incremental_spend", "budget", "budget_remaining",
    "internal_labour_cost",
    "rtb_short_must", "rtb_short_high", "rtb_short_normal", "external_hours", "change_hours",
    "objective",
)
UNIT_METRICS = ("capacity", "change_hours", "rtb_short", "external", "planned_hours")
TOL = 1e-6


def stack(plans: Mapping[str, Plan], view: str | Callable[[Plan], pd.DataFrame]) -> pd.DataFrame:
    """One view of every plan, stacked under a ``scenario`` index level.

    Parameters
    ----------
    plans
        Scenario name -> plan, in the order wanted.
    view
        A name in :data:`planner.views.VIEWS` or a function ``plan -> DataFrame``.
    """
    fn = VIEWS[view] if isinstance(view, str) else view
    frames = [fn(p) for p in plans.values()]
    return pd.concat(frames, keys=list(plans), names=["scenario", "row"])


def compare_plans(plans: Mapping[str, Plan]) -> dict[str, pd.DataFrame]:
    """The four comparison tables (see the module docstring), against the first plan."""
    if len(plans) < 1:
        raise ValueError("nothing to compare")
    return {
        "headline": headline(plans),
        "initiatives": initiative_changes(plans),
        "units": unit_changes(plans),
        "people": people_changes(plans),
    }


def _base(plans: Mapping[str, Plan]) -> str:
    return next(iter(plans))


def headline(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Headline metrics per scenario, with deltas against the first."""
    s = stack(plans, "summary").reset_index(level="row", drop=True).reset_index()
    keep = s["metric"].isin(HEADLINE) | s["metric"].str.startswith(("utilisation[", "kpi_gap["))
    s = s[keep]
    order = list(HEADLINE) + [m for m in dict.fromkeys(s["metric"]) if m not in HEADLINE]
    wide = s.pivot(index="metric", columns="scenario", values="value")
    wide = wide.reindex([m for m in order if m in wide.index])[list(plans)]
    wide = wide.apply(pd.to_numeric, errors="coerce")
    base = _base(plans)
    for name in list(plans)[1:]:
        wide[f"delta[{name}]"] = (wide[name] - wide[base]).round(6)
    wide = wide.reset_index()
    wide.columns.name = None
    return pd.concat([wide, _solver_rows(plans)], ignore_index=True)


def _solver_rows(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """``status`` and ``gap`` of each plan, then ``significant`` per other scenario.

    A plan not proved optimal lies somewhere between its objective and its bound.
    When those ranges of the base and a scenario overlap, the difference between the
    two plans may be the solver's, not the scenario's: ``significant`` is False.
    """
    base = _base(plans)
    status: dict[str, object] = {"metric": "status"}
    gaps: dict[str, object] = {"metric": "gap"}
    sig: dict[str, object] = {"metric": "significant"}
    for name, plan in plans.items():
        status[name] = plan.run.status
        gaps[name] = plan.run.gap if plan.run.status != "optimal" else 0.0
        if name != base:
            sig[f"delta[{name}]"] = significant(plans[base], plan)
    return pd.DataFrame([status, gaps, sig])


def objective_range(plan: Plan) -> tuple[float, float]:
    """Where the best plan of its scenario lies: ``(objective, bound)`` (equal when proved).

    A greedy plan or one without a bound has no upper end (``inf``).
    """
    run = plan.run
    low = float(run.objective)
    if run.status == "optimal":
        return low, low
    if run.bound is None or run.strategy == "greedy":
        return low, math.inf
    return low, max(low, float(run.bound))


def significant(base: Plan, plan: Plan) -> bool:
    """Whether two plans differ by more than their solvers' gaps (their ranges are apart)."""
    b, n = objective_range(base), objective_range(plan)
    if b == n and b[0] == b[1]:
        return False  # the same optimum: nothing differs in value
    return b[1] < n[0] - TOL or n[1] < b[0] - TOL


def initiative_changes(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Initiatives added, dropped or moved in each scenario against the first.

    Columns: ``scenario, initiative, name, change`` (added | dropped | moved),
    ``review_status`` (its ``status`` in this scenario, with the base's when it
    differs: ``approved (base: proposed)``), ``base_start, start`` (period
    labels, empty when not chosen), ``shift`` (periods later, for moved ones),
    ``reason`` (why dropped; why moved when a rule of the new scenario forbids
    the old start; for added ones, why the base had left it out).
    """
    cols = ["scenario", "initiative", "name", "change", "review_status", "base_start", "start",
            "shift", "reason"]
    base_name = _base(plans)
    base = plans[base_name]
    rows: list[dict[str, object]] = []
    for name, plan in plans.items():
        if name == base_name:
            continue
        rows.extend({"scenario": name, **r} for r in _changes(base, plan))
    return pd.DataFrame(rows, columns=cols)


def _changes(base: Plan, plan: Plan) -> list[dict[str, object]]:
    before = {r.id: r for r in base.initiatives}
    after = {r.id: r for r in plan.initiatives}
    was_status = {i.id: i.status for i in base.scenario.initiatives}
    now_status = {i.id: i.status for i in plan.scenario.initiatives}
    pos = {label: t for t, label in enumerate(_labels(plan))}
    out: list[dict[str, object]] = []
    for iid in list(before) + [i for i in after if i not in before]:
        b, a = before.get(iid), after.get(iid)
        was = b is not None and b.selected
        now = a is not None and a.selected
        status = now_status.get(iid, "")
        if was_status.get(iid, status) != status:
            status = f"{status} (base: {was_status[iid]})" if status else ""
        row = {"initiative": iid, "name": _name(a, b, iid),
               "review_status": status, "base_start": b.start if was and b else "",
               "start": a.start if now and a else "", "shift": None, "reason": ""}
        if was and not now:
            why = a.reason if a is not None else "not in this scenario"
            out.append({**row, "change": "dropped", "reason": why})
        elif now and not was:
            why = _why_added(base, plan, b.reason) if b is not None and b.reason else ""
            out.append({**row, "change": "added", "reason": why})
        elif was and now and b and a and b.start != a.start:
            shift = (pos[a.start] - pos[b.start]) if b.start in pos and a.start in pos else None
            out.append({**row, "change": "moved", "shift": shift,
                        "reason": _why_moved(plan, iid, b.start)})
    return out


def _name(a: object, b: object, iid: str) -> str:
    for r in (a, b):
        if r is not None:
            return str(getattr(r, "name", "") or iid)
    return iid


def _why_added(base: Plan, plan: Plan, reason: str) -> str:
    """The base's reason for leaving it out, said of the base's plan and budget."""
    from planner.solving.reasons import NEXT_TO

    text = reason.replace(NEXT_TO, "next to the base's chosen initiatives")
    b, n = base.scenario.policy.budget, plan.scenario.policy.budget
    if "budget" in reason and b != n:
        text += f" (budget in the base {_money(b)}, here {_money(n)})"
    return f"left out in the base: {text}"


def _money(budget: object) -> str:
    if budget is None:
        return "none"
    if isinstance(budget, dict):
        return ", ".join(f"{k}: {v:,.0f}" for k, v in budget.items())
    return f"{float(budget):,.0f}"  # type: ignore[arg-type]


def _labels(plan: Plan) -> list[str]:
    from planner.problem.calendar import Calendar

    return Calendar(plan.scenario.horizon).labels


def _why_moved(plan: Plan, iid: str, old: str | None) -> str:
    """Why the old start is no longer used: a rule of the new scenario, else a trade-off."""
    from planner.problem.data import compile_problem

    data = compile_problem(plan.scenario)
    ini = data.by_id[iid]
    labels = data.calendar.labels
    if old not in labels:
        return f"{old} is outside the horizon"
    t = labels.index(old)
    if not ini.earliest <= t <= ini.latest:
        first = labels[ini.earliest] if ini.earliest < len(labels) else "-"
        last = labels[ini.latest] if 0 <= ini.latest < len(labels) else "-"
        return f"{old} is outside its allowed starts {first} .. {last}"
    finish = {r.id: r.finish for r in plan.initiatives if r.selected}
    for p in ini.depends_on:
        pid = data.initiatives[p].id
        f = finish.get(pid)
        if f is not None and labels.index(f) >= t:
            return f"its prerequisite {pid} now finishes in {f}"
    return "re-scheduled to make room for other work"


def unit_changes(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Per unit and scenario: year totals and their change against the first plan.

    ``capacity`` and ``planned_hours`` are the unit's staff person-hours (limit
    and planned), ``change_hours`` their person-hours on initiatives (own and
    other units'), ``rtb_short`` RTB delivered hours short (all priorities),
    ``external`` contractor hours on the unit's work, ``utilisation`` =
    planned / capacity; ``delta_<column>`` is the difference to the base.
    """
    def per_unit(plan: Plan) -> pd.DataFrame:
        up = VIEWS["unit_plans"](plan)
        up["change_hours"] = up["change_own_hours"] + up["change_other_hours"]
        return up.groupby("unit", sort=False)[list(UNIT_METRICS)].sum().reset_index()

    s = stack(plans, per_unit).reset_index(level="row", drop=True).reset_index()
    s["utilisation"] = (s["planned_hours"] / s["capacity"].where(s["capacity"] > 0)).round(4)
    base = s[s["scenario"] == _base(plans)].set_index("unit")
    for col in (*UNIT_METRICS, "utilisation"):
        ref = s["unit"].map(base[col]).fillna(0.0)
        s[f"delta_{col}"] = (s[col] - ref).round(4)
        s[col] = s[col].round(4)
    return s.reset_index(drop=True)


def people_changes(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Per person and scenario, how much of their plan changed against the first.

    ``changed_hours`` = half the sum over (period, work, for_unit, skill) of
    the absolute difference in hours: an hour moved from one piece of work to
    another counts once. ``pieces_changed`` counts the (period, work) pieces
    whose hours differ. Rows with no change are left out; most changed first.
    """
    cols = ["scenario", "person", "unit", "base_hours", "hours", "changed_hours",
            "pieces_changed"]
    keys = ["person", "period", "work", "for_unit", "skill"]

    def staff(plan: Plan) -> pd.DataFrame:
        a = plan.assignments
        a = a[a["contract"].fillna("") == ""]
        return a.groupby(keys)["hours"].sum()

    base_name = _base(plans)
    b = staff(plans[base_name])
    units = {p.id: p.unit for pl in plans.values() for p in pl.scenario.staff}
    rows = []
    for name, plan in plans.items():
        if name == base_name:
            continue
        n = staff(plan)
        both = pd.concat([b.rename("base"), n.rename("new")], axis=1).fillna(0.0)
        both["diff"] = (both["new"] - both["base"]).abs()
        both = both.reset_index()
        per = both.groupby("person").agg(
            base_hours=("base", "sum"), hours=("new", "sum"), diff=("diff", "sum"),
            pieces_changed=("diff", lambda d: int((d > 1e-3).sum())),
        )
        for person, r in per.iterrows():
            changed = round(r["diff"] / 2, 4)
            if changed <= 1e-3:
                continue
            rows.append({"scenario": name, "person": person, "unit": units.get(str(person), ""),
                         "base_hours": round(r["base_hours"], 4), "hours": round(r["hours"], 4),
                         "changed_hours": changed, "pieces_changed": int(r["pieces_changed"])})
    out = pd.DataFrame(rows, columns=cols)
    if not out.empty:
        order = {n: k for k, n in enumerate(plans)}
        out = out.assign(_o=out["scenario"].map(order)).sort_values(
            ["_o", "changed_hours", "person"], ascending=[True, False, True]
        ).drop(columns="_o").reset_index(drop=True)
    return out


def changed_assignments(base: Plan, plan: Plan) -> int:
    """Number of (person, period, work, for_unit, skill) rows whose hours differ (> 0.001 h)."""
    keys = ["person", "period", "work", "for_unit", "skill"]
    b = base.assignments.groupby(keys)["hours"].sum()
    n = plan.assignments.groupby(keys)["hours"].sum()
    both = pd.concat([b.rename("b"), n.rename("n")], axis=1).fillna(0.0)
    return int(((both["b"] - both["n"]).abs() > 1e-3).sum())


# --------------------------------------------------------------------------- inputs


def scenario_names(paths: Iterable[str]) -> list[str]:
    """A short unique name per input: the file stem or folder name (``#2`` ... on clashes)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        name = path.stem if path.suffix.lower() in (".yaml", ".yml") else path.name
        name = name or str(p)
        candidate, k = name, 1
        while candidate in out:
            k += 1
            candidate = f"{name}#{k}"
        out.append(candidate)
    return out


def load_plan(path: str, settings: object | None = None, overrides: Iterable[str] = ()) -> Plan:
    """A plan folder is read; a scenario file is solved (with ``settings``, a Settings)."""
    p = Path(path)
    if p.is_dir() or p.name == "plan.json":
        from planner.io.export import read_plan

        return read_plan(p)
    from planner.io.load import load_scenario
    from planner.solving import Settings, solve

    sc = load_scenario(p, overrides=list(overrides))
    st = settings if isinstance(settings, Settings) else Settings()
    plan = solve(sc, st)
    plan.overrides = list(overrides)
    return plan


# --------------------------------------------------------------------------- output


def write_tables(tables: Mapping[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` in ``folder`` (created); returns the paths."""
    from planner.io.export import frame_to_csv

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        target = out / f"{name}.csv"
        target.write_text(frame_to_csv(frame), encoding="utf-8")
        written.append(target)
    return written


def baseline_changes(base: Plan, plan: Plan) -> pd.DataFrame:
    """What a re-plan changed against its baseline: :func:`initiative_changes` of the two."""
    return initiative_changes({"baseline": base, "plan": plan}).drop(columns="scenario")
