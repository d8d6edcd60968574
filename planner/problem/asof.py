"""Re-planning as of a period: the frozen past and what it leaves for the rest of the year.

Given the scenario (as it is now), the baseline plan, the as-of period and optionally
actuals and progress, :func:`as_of_state` works out

- the **past**: assignments of every period before the as-of period, equal to the
  actuals for each (person, period) the actuals give and to the baseline's rows for
  every other (person, period), unchanged;
- each initiative's **status**: *done* (the baseline started it before the as-of
  period and it finished before it), *in flight* (started, not finished), *stopped*
  (in flight but ``pin: out``) or not started;
- the **remaining effort** of each in-flight initiative per effort line: the line's
  total less the hours delivered on it in the past (hours x proficiency; contractors
  1.0), spread evenly over its remaining periods; or ``progress.csv``'s
  ``remaining_hours``, which may lengthen it: at the planned pace (line total /
  duration per period) a line needs ``ceil(remaining / pace)`` periods, and the
  finish moves to the latest line's (capped at the horizon's end);
- the **money already spent or committed** (counted against the budgets): the full
  cost of every done and in-flight initiative, the cost of a stopped one times the
  share of its periods elapsed, and the past contractor hours x their rate;
- **conflicts** (a deadline an in-flight initiative now misses; hard, i.e. exit 3,
  when it is mandatory, or when what is committed already exceeds a budget) and
  **past exceptions** (rules the past breaks: reported, never refused).

:mod:`planner.problem.future` turns the state into the scenario of the remaining
periods, which the usual solve plans.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS, InFlight, PastException, Plan, RemainingLine, Stopped
from models.scenario import Initiative, Scenario
from planner.errors import Issue, PlannerError
from planner.io.actuals import EXTERNAL, Actuals, ActualsError, Progress
from planner.problem.calendar import Calendar
from planner.problem.cohorts import person_capacity

Source = Literal["actuals", "baseline"]


class AsOfError(PlannerError):
    """The as-of period, or the baseline, does not fit the scenario."""


@dataclass
class AsOf:
    """Everything a re-plan as of period ``t0`` keeps from the past (see the module)."""

    scenario: Scenario
    baseline: Plan
    t0: int  # the as-of period number (the first period that is re-planned)
    labels: list[str]
    past: pd.DataFrame  # ASSIGNMENT_COLUMNS + "source" (actuals | baseline)
    baseline_past: pd.DataFrame  # the baseline's rows of the past periods
    actuals: Actuals | None = None
    progress: Progress | None = None
    done: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (start, finish)
    in_flight: dict[str, InFlight] = field(default_factory=dict)
    stopped: dict[str, Stopped] = field(default_factory=dict)
    #: initiatives that can no longer start, with why (their window or a started rival)
    closed: dict[str, str] = field(default_factory=dict)
    committed: float = 0.0
    committed_by_unit: dict[str, float] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    hard: list[str] = field(default_factory=list)  # conflicts no plan can resolve (exit 3)
    exceptions: list[PastException] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The as-of period label."""
        return self.labels[self.t0]

    @property
    def started(self) -> set[str]:
        """Ids of the initiatives the baseline started before the as-of period."""
        return set(self.done) | set(self.in_flight) | set(self.stopped)

    def finish(self, iid: str) -> int:
        """Finish period number of a done or in-flight initiative."""
        if iid in self.done:
            return self.done[iid][1]
        return self.labels.index(self.in_flight[iid].finish)


def merged_lines(ini: Initiative) -> dict[tuple[str, str], float]:
    """(unit, skill) -> total hours of an initiative's effort lines (positive only)."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for ln in ini.effort:
        out[(ln.unit, ln.skill)] += ln.hours
    return {k: h for k, h in out.items() if h > 0}


def as_of_state(scenario: Scenario, baseline: Plan, as_of: str, actuals: Actuals | None = None,
                progress: Progress | None = None) -> AsOf:
    """The frozen past and the state of every initiative as of period ``as_of``.

    Raises
    ------
    AsOfError
        When ``as_of`` is not a period of the horizon, or the baseline's horizon does
        not start like the scenario's.
    """
    cal = Calendar(scenario.horizon)
    if as_of not in cal.index:
        raise AsOfError(f"--as-of '{as_of}' is not a period of the horizon "
                        f"{cal.labels[0]} .. {cal.labels[-1]}")
    t0 = cal.of(as_of)
    base_labels = Calendar(baseline.scenario.horizon).labels
    if base_labels[:t0] != cal.labels[:t0]:
        raise AsOfError(f"the baseline plan's periods ({base_labels[0]} .. {base_labels[-1]}) "
                        f"do not match the scenario's before {as_of}")
    past_labels = set(cal.labels[:t0])
    b = baseline.assignments[ASSIGNMENT_COLUMNS]
    b_past = b[b["period"].isin(past_labels)].reset_index(drop=True)
    state = AsOf(scenario, baseline, t0, cal.labels, past=_past(b_past, actuals),
                 baseline_past=b_past, actuals=actuals, progress=progress)
    if actuals is not None:
        state.warnings.extend(actuals.warnings)
    _statuses(state)
    _closed(state)
    _money(state)
    state.exceptions = past_exceptions(scenario, state.past, t0)
    return state


def _past(b_past: pd.DataFrame, actuals: Actuals | None) -> pd.DataFrame:
    """Actual rows where the actuals give the (person, period), baseline rows elsewhere."""
    if actuals is None:
        return b_past.assign(source="baseline")
    keys = actuals.keys()
    given = pd.Series([k in keys for k in zip(b_past["person"], b_past["period"],
                                                strict=True)], index=b_past.index, dtype=bool)
    a = actuals.rows[actuals.rows["hours"] > 0]
    return pd.concat([a.assign(source="actuals"), b_past[~given].assign(source="baseline")],
                     ignore_index=True)


def delivered(scenario: Scenario, rows: pd.DataFrame) -> pd.Series:
    """Delivered hours of each row: hours x the person's proficiency (contractors 1.0)."""
    prof = {(p.id, k): q for p in scenario.staff for k, q in p.skills.items()}
    q = [1.0 if str(p).startswith(EXTERNAL) else prof.get((p, k), 0.0)
         for p, k in zip(rows["person"], rows["skill"], strict=True)]
    return rows["hours"].astype(float) * np.asarray(q, dtype=float)


def _statuses(state: AsOf) -> None:
    """Done, in flight or stopped: each initiative the baseline started before ``t0``."""
    sc, t0, labels = state.scenario, state.t0, state.labels
    inits = {i.id: i for i in sc.initiatives}
    past = state.past
    got = past.assign(d=delivered(sc, past)).groupby(["work", "for_unit", "skill"])["d"].sum()
    progress = state.progress.remaining if state.progress is not None else {}
    started: set[str] = set()
    for r in state.baseline.initiatives:
        if not r.selected or r.start not in labels or labels.index(r.start) >= t0:
            continue
        ini = inits.get(r.id)
        if ini is None:
            raise AsOfError(f"initiative '{r.id}' started in {r.start} in the baseline plan "
                            "but is not in the scenario")
        started.add(r.id)
        s = labels.index(r.start)
        planned = s + ini.duration - 1
        lines = []
        stretch = max(planned - t0 + 1, 0)
        for (u, k), total in sorted(merged_lines(ini).items()):
            done_h = float(got.get((r.id, u, k), 0.0))
            given = progress.get((r.id, u, k))
            rem = given if given is not None else max(total - done_h, 0.0)
            if given is not None and rem > 1e-9:
                pace = total / ini.duration
                stretch = max(stretch, math.ceil(rem / pace - 1e-9))
            lines.append((u, k, total, done_h, rem, given is not None))
        if stretch == 0:  # finished before t0 (and progress does not say otherwise)
            if ini.pin == "out" and not ini.mandatory:
                state.warnings.append(Issue("--as-of", f"initiatives '{r.id}'", "pin",
                                            f"pin: out ignored: it finished in "
                                            f"{labels[planned]}", None, "warning"))
            state.done[r.id] = (s, planned)
            continue
        if ini.pin == "out" and not ini.mandatory:
            state.stopped[r.id] = _stopped(state, ini, s)
            continue
        left = len(labels) - t0
        if stretch > left:
            state.conflicts.append(
                f"{r.id} needs {stretch} more periods at its planned pace but the horizon "
                f"has {left} from {state.label}: it is planned to finish in {labels[-1]} at "
                "a faster pace")
            stretch = left
        finish = t0 + stretch - 1
        state.in_flight[r.id] = InFlight(
            id=r.id, start=r.start, planned_finish=labels[min(planned, len(labels) - 1)],
            finish=labels[finish],
            lines=[RemainingLine(unit=u, skill=k, total=round(tot, 4), delivered=round(dh, 4),
                                 remaining=round(rem, 4), per_period=round(rem / stretch, 4),
                                 from_progress=fp)
                   for u, k, tot, dh, rem, fp in lines])
        if ini.deadline is not None and finish > labels.index(str(ini.deadline)):
            msg = (f"{r.id} now finishes in {labels[finish]}, after its deadline "
                   f"{ini.deadline} (planned finish {labels[min(planned, len(labels) - 1)]})")
            state.conflicts.append(msg + (": it is mandatory" if ini.mandatory else ""))
            if ini.mandatory:
                state.hard.append(msg + ": it is mandatory (stop another initiative or lower "
                                  "its remaining hours)")
    if state.progress is not None:
        issues = [Issue(state.progress.file, None, "initiative",
                        f"'{key[0]}' had not started before {state.label} in the baseline "
                        "plan: progress is for started initiatives", line)
                  for key, line in state.progress.lines.items() if key[0] not in started]
        if issues:
            raise ActualsError(issues)
    _unplanned_work(state, started)


def _unplanned_work(state: AsOf, started: set[str]) -> None:
    """Warn about past hours on initiatives the baseline had not started by then."""
    p = state.past
    change = p[~p["work"].str.startswith("rtb:") & ~p["work"].isin(started)]
    for iid, h in change.groupby("work")["hours"].sum().items():
        state.warnings.append(Issue(
            "actuals", f"initiatives '{iid}'", None,
            f"{h:g} h worked on it before {state.label}, but the baseline had not started it "
            "by then: the hours stay in the past, the initiative is treated as not started",
            None, "warning"))


def _stopped(state: AsOf, ini: Initiative, s: int) -> Stopped:
    """What a started initiative stopped with ``pin: out`` already cost."""
    p = state.past
    mine = p[p["work"] == ini.id]
    rate = _rates(state.scenario)
    cost = [rate.get(c, 0.0) if c else rate.get(("staff", per), 0.0)
            for per, c in zip(mine["person"], mine["contract"], strict=True)]
    labour = float((mine["hours"].to_numpy() * np.asarray(cost, dtype=float)).sum())
    ext = float(sum(h * rate.get(c, 0.0) for h, c in zip(mine["hours"], mine["contract"],
                                                          strict=True) if c))
    share = min(state.t0 - s, ini.duration) / ini.duration
    return Stopped(id=ini.id, start=state.labels[s], hours=round(float(mine["hours"].sum()), 4),
                   labour_cost=round(labour, 2), spend=round(ini.cost * share + ext, 2))


def _rates(sc: Scenario) -> dict:
    """Contract id -> cost per hour, and ("staff", person id) -> cost per hour."""
    out: dict = {cid: e.cost_per_hour for cid, e in zip(sc.external_ids(), sc.external,
                                                        strict=True)}
    out.update({("staff", p.id): p.cost_per_hour for p in sc.staff})
    return out


def _closed(state: AsOf) -> None:
    """Initiatives not started that can no longer start: window passed, rival started."""
    cal_labels, t0 = state.labels, state.t0
    started = set(state.done) | set(state.in_flight)
    for ini in state.scenario.initiatives:
        if ini.id in state.started:
            continue
        why = ""
        if ini.start is not None and cal_labels.index(str(ini.start)) < t0:
            why = f"its fixed start {ini.start} is before {state.label}"
        elif ini.deadline is not None and (
                cal_labels.index(str(ini.deadline)) - ini.duration + 1 < t0):
            why = f"it cannot finish by its deadline {ini.deadline} starting in {state.label}"
        else:
            rivals = sorted(started & set(ini.exclusive_with)) + sorted(
                j.id for j in state.scenario.initiatives
                if j.id in started and ini.id in j.exclusive_with)
            stopped = sorted(set(ini.depends_on) & set(state.stopped))
            if rivals:
                why = f"mutually exclusive with {rivals[0]} (started)"
            elif stopped:
                why = f"its prerequisite {stopped[0]} is stopped"
        if not why:
            continue
        state.closed[ini.id] = why
        if ini.mandatory or ini.pin == "in":
            kind = "mandatory" if ini.mandatory else "pinned in"
            state.hard.append(f"{ini.id} ({kind}) can no longer be planned: {why}")


def _money(state: AsOf) -> None:
    """Budget money spent or committed before ``t0``, in total and per unit."""
    sc = state.scenario
    inits = {i.id: i for i in sc.initiatives}
    by_unit: dict[str, float] = defaultdict(float)
    parts: list[str] = []
    for iid in sorted(set(state.done) | set(state.in_flight), key=list(inits).index):
        ini = inits[iid]
        if ini.cost > 0:
            parts.append(f"{iid} {ini.cost:,.0f}")
            if ini.sponsor:
                by_unit[ini.sponsor] += ini.cost
    total = sum(inits[i].cost for i in set(state.done) | set(state.in_flight))
    for iid, st in state.stopped.items():
        ini = inits[iid]
        share = ini.cost * min(state.t0 - state.labels.index(st.start), ini.duration) / \
            ini.duration
        total += share
        if ini.sponsor:
            by_unit[ini.sponsor] += share
        if share > 0:
            parts.append(f"{iid} (stopped) {share:,.0f}")
    rates = _rates(sc)
    ext = state.past[state.past["contract"] != ""]
    ext_cost = 0.0
    for h, c, u in zip(ext["hours"], ext["contract"], ext["for_unit"], strict=True):
        x = float(h) * rates.get(c, 0.0)
        ext_cost += x
        by_unit[u] += x
    total += ext_cost
    if ext_cost > 0:
        parts.append(f"contractors {ext_cost:,.0f}")
    state.committed = round(total, 2)
    state.committed_by_unit = {u: round(x, 2) for u, x in sorted(by_unit.items()) if x > 0}
    what = "; ".join(parts)
    budget = sc.policy.budget
    if budget is not None and total > budget + 0.005:
        state.hard.append(f"budget: {total:,.2f} already spent or committed before "
                          f"{state.label} ({what}) exceeds the budget {budget:,.2f}; stop a "
                          "started initiative with pin: out")
    for unit in sc.units:
        spent = by_unit.get(unit.id, 0.0)
        if unit.budget is not None and spent > unit.budget + 0.005:
            state.hard.append(f"budget of {unit.id}: {spent:,.2f} already spent or committed "
                              f"before {state.label} exceeds its budget {unit.budget:,.2f}")


def past_exceptions(scenario: Scenario, past: pd.DataFrame, t0: int) -> list[PastException]:
    """Rules the past rows break: capacity, change share, skills, contractor limits."""
    cal = Calendar(scenario.horizon)
    if past.empty:
        return []
    out: list[PastException] = []
    people = scenario.staff
    staff = {p.id: k for k, p in enumerate(people)}
    cap = person_capacity(scenario, cal)
    mu = scenario.policy.max_utilisation
    st = past[past["person"].isin(list(staff))].copy()
    st["k"] = st["person"].map(staff).astype(int)
    st["t"] = st["period"].map(cal.index).astype(int)
    st["change"] = ~st["work"].str.startswith("rtb:")
    st["chg_hours"] = st["hours"].where(st["change"], 0.0)
    st["actual"] = st["source"] == "actuals"
    g = st.groupby(["person", "period"], sort=True).agg(
        k=("k", "first"), t=("t", "first"), total=("hours", "sum"),
        chg=("chg_hours", "sum"), actual=("actual", "any")).reset_index()
    avail = cap[g["k"].to_numpy(), g["t"].to_numpy()]
    share = np.array([people[k].max_change_share for k in g["k"]], dtype=float)
    g["limit"], g["climit"] = mu * avail, share * avail

    def src(actual: bool) -> Source:
        return "actuals" if actual else "baseline"

    for r in g.itertuples(index=False):
        if r.total > r.limit + 0.01:
            out.append(PastException(rule="capacity", item=str(r.person), period=str(r.period),
                                     message=f"worked {r.total:g} h, limit {r.limit:g} h "
                                     "(max_utilisation x capacity)",
                                     amount=round(r.total - r.limit, 4), source=src(r.actual)))
        if r.chg > r.climit + 0.01:
            out.append(PastException(rule="change_share", item=str(r.person),
                                     period=str(r.period), message=f"{r.chg:g} h on initiatives, "
                                     f"limit {r.climit:g} h (max_change_share x capacity)",
                                     amount=round(r.chg - r.climit, 4), source=src(r.actual)))
    held = {(p.id, k) for p in people for k in p.skills}
    lack = np.array([(p, k) not in held for p, k in zip(st["person"], st["skill"], strict=True)],
                    dtype=bool)
    lacks = st[lack & (st["hours"] > 0).to_numpy()]
    for (person, period, skill), h in lacks.groupby(["person", "period", "skill"])[
            "hours"].sum().items():
        out.append(PastException(rule="skill", item=str(person), period=str(period),
                                 message=f"{h:g} h as '{skill}', not a skill of theirs",
                                 amount=float(h), source=src(bool(
                                     g.set_index(["person", "period"]).loc[
                                         (person, period), "actual"]))))
    if not scenario.policy.borrowing:
        own = st["person"].map({p.id: p.unit for p in people})
        lent = st[(st["for_unit"] != own) & (st["for_unit"] != "")]
        for (person, period), grp in lent.groupby(["person", "period"]):
            h = float(grp["hours"].sum())
            out.append(PastException(rule="borrowing", item=str(person), period=str(period),
                                     message=f"{h:g} h for another unit, borrowing is off",
                                     amount=h, source=src(bool(grp["actual"].any()))))
    limits = {cid: e.max_fte * cal.hours_per_fte
              for cid, e in zip(scenario.external_ids(), scenario.external, strict=True)}
    ext = past[past["contract"] != ""].assign(actual=lambda f: f["source"] == "actuals")
    e = ext.groupby(["contract", "period"], sort=True).agg(
        hours=("hours", "sum"), actual=("actual", "any")).reset_index()
    for r in e.itertuples(index=False):
        lim = limits.get(str(r.contract), 0.0)
        if r.hours > lim + 0.01:
            out.append(PastException(rule="external_capacity", item=str(r.contract),
                                     period=str(r.period), message=f"{r.hours:g} h, limit "
                                     f"{lim:g} h (max_fte x hours_per_fte)",
                                     amount=round(r.hours - lim, 4), source=src(r.actual)))
    return out
