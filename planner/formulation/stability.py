"""Baseline-stable re-planning: keep as much of an earlier plan as the new inputs allow.

Used only when ``solve`` is given a baseline plan (``planner solve --baseline
PLAN_DIR``). The family adds three kinds of terms to the objective, weighted by
``policy.stability`` (:class:`models.policy.Stability`):

* **keep the initiative**: every start column of an initiative chosen in the
  baseline earns ``keep_initiative x W``, where ``W`` is the average objective
  weight of an initiative; so dropping it costs that much.
* **keep its start**: the column of its baseline start earns ``keep_start x W``
  more; moving it costs that much.
* **keep the hours**: every hour a cohort (a group of interchangeable people)
  works more or less than in the baseline, per variable family (own RTB ``r``,
  own change ``c``, lent ``lr``/``lc``), skill and period, costs
  ``keep_hours x`` the average weight per effort hour; contractor hours per
  pool, unit and period likewise (``er``/``ec``). Where the baseline had hours
  a deviation column ``dev`` with two rows ``keep[...]`` measures ``|hours -
  baseline|``; where it had none the penalty sits on the hours column itself.

The constant ``obj_offset`` is lowered by the two initiative bonuses of every
baseline initiative, so the objective reads "the plan's objective minus the
cost of the changes" and equals the plain objective when nothing changes.

Not covered by the model (left to the person split, which prefers each
person's baseline work where the cohort totals allow,
:func:`planner.problem.cohorts.split_cohort`): which initiative a cohort's change hours
go to, and which member of a cohort does them. Baseline initiatives, people
or contractor pools missing from the new scenario, and baseline periods outside
the new horizon, are ignored.
"""

from __future__ import annotations

from collections import defaultdict

from models.plan import Plan
from planner.formulation.model import LinearModel
from planner.formulation.schedule import starts_of
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def average_weight(data: ProblemData) -> float:
    """Average objective weight of the initiatives with a positive weight (1.0 if none)."""
    w = [i.weight for i in data.initiatives if i.weight > 0]
    return sum(w) / len(w) if w else 1.0


def baseline_hours(data: ProblemData, baseline: Plan) -> dict[str, dict[tuple, float]]:
    """Baseline hours keyed like the variable families ``r, c, lr, lc, er, ec`` of ``data``."""
    period = {label: t for t, label in enumerate(data.calendar.labels)}
    cohort_of: dict[str, int] = {}
    for cohort in data.cohorts:
        for m in cohort.members:
            cohort_of[data.scenario.staff[m].id] = cohort.index
    ext_of = {e.id: e.index for e in data.externals}
    out: dict[str, dict[tuple, float]] = {k: defaultdict(float) for k in
                                          ("r", "c", "lr", "lc", "er", "ec")}
    a = baseline.assignments
    for person, unit, per, work, for_unit, skill, h, contract in zip(
        a["person"], a["unit"], a["period"], a["work"], a["for_unit"], a["skill"], a["hours"],
        a["contract"], strict=True,
    ):
        t = period.get(str(per))
        if t is None:
            continue
        rtb = str(work).startswith("rtb:")
        if contract:
            e = ext_of.get(contract)
            if e is not None:
                out["er" if rtb else "ec"][(e, for_unit, t)] += float(h)
            continue
        g = cohort_of.get(person)
        if g is None:
            continue
        if for_unit == unit:
            out["r" if rtb else "c"][(g, skill, t)] += float(h)
        else:
            out["lr" if rtb else "lc"][(g, skill, t)] += float(h)
    return out


def keep_previous(model: LinearModel, data: ProblemData, v: Vars, baseline: Plan) -> None:
    """Reward keeping the baseline's initiatives, starts and hours (see the module docstring).

    Must run after :func:`planner.formulation.objective.objective`, whose
    coefficients it adds to.
    """
    st = data.scenario.policy.stability
    labels = data.calendar.labels
    period = {label: t for t, label in enumerate(labels)}
    w = average_weight(data)
    for r in baseline.initiatives:
        ini = data.by_id.get(r.id)
        if not r.selected or ini is None:
            continue
        keep, at = st.keep_initiative * w, st.keep_start * w
        old = period.get(r.start) if r.start is not None else None
        for s, col in starts_of(v, data, ini.index):
            model.col_obj[col] += keep + (at if s == old else 0.0)
        model.obj_offset -= keep + at

    w_h = st.keep_hours * data.per_hour
    if w_h <= 0:
        return
    base = baseline_hours(data, baseline)
    fams = {"r": v.r, "c": v.c, "lr": v.lr, "lc": v.lc, "er": v.er, "ec": v.ec}
    for name, fam in fams.items():
        had = base[name]
        for key, col in fam.items():
            h = had.get(key, 0.0)
            if h <= 1e-9:
                model.col_obj[col] -= w_h
                continue
            a, b, t = key
            who = data.cohorts[a].name if name in ("r", "c", "lr", "lc") else data.externals[a].id
            lab = f"{name},{who},{b},{labels[t]}"
            dev = model.add_var(f"dev[{lab}]", obj=-w_h)
            v.keep_dev[dev] = (col, h)
            model.add_row(f"keep[{lab},up]", [col, dev], [1.0, -1.0], hi=h)
            model.add_row(f"keep[{lab},down]", [col, dev], [1.0, 1.0], lo=h)
