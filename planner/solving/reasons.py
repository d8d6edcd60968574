"""Why each initiative left out of a plan was left out, in plain words.

The checks run from the most to the least definite cause: a rule that forbids
the initiative outright, a partner or prerequisite decision, money, then
capacity at its best possible start, and finally the trade-off the optimiser
made (its capacity was worth more elsewhere).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from planner.problem.data import InitiativeData, ProblemData
from planner.problem.money import BudgetLimit
from planner.solving.allocate import Schedule


def spend_by_rule(
    data: ProblemData, schedule: Schedule, assignments: pd.DataFrame
) -> dict[str, float]:
    """Spend of a plan counted by each budget rule (:class:`BudgetLimit`), by name."""
    rates = {e.id: e.cost_per_hour for e in data.externals}
    ext = assignments[assignments["contract"] != ""]
    index = {label: t for t, label in enumerate(data.calendar.labels)}
    cost = (ext["hours"] * ext["contract"].map(rates)).to_numpy(dtype=float)
    t_of = ext["period"].map(index).to_numpy(dtype=int)
    units = ext["for_unit"].to_numpy()
    out: dict[str, float] = {}
    for lim in data.budgets:
        total = sum(data.initiatives[i].cost_in(s, lim.mask) for i, s in schedule.starts.items()
                    if lim.unit is None or data.initiatives[i].sponsor == lim.unit)
        keep = lim.mask[t_of] if len(t_of) else np.zeros(0, bool)
        if lim.unit is not None:
            keep = keep & (units == lim.unit)
        out[lim.name] = total + float(cost[keep].sum())
    return out


def _over(data: ProblemData, ini: InitiativeData, s: int, spent: dict[str, float],
          extra: np.ndarray | None = None) -> tuple[float, BudgetLimit] | None:
    """The budget rule ``ini`` started in ``s`` breaks most (with ``extra`` money per
    period on top, for rules of the whole organisation), and by how much."""
    worst = None
    for lim in data.budgets:
        if lim.unit is not None and ini.sponsor != lim.unit:
            continue
        add = ini.cost_in(s, lim.mask)
        if extra is not None and lim.unit is None:
            add += float(extra[lim.mask].sum())
        over = spent[lim.name] + add - lim.limit
        if add > 0 and over > 1e-6 and (worst is None or over > worst[0]):
            worst = (over, lim)
    return worst


def _money_block(data: ProblemData, ini: InitiativeData, schedule: Schedule,
                 spent: dict[str, float]) -> str | None:
    """``would exceed ...`` when every start of ``ini`` breaks a budget rule."""
    best = None
    for s in ini.starts:
        if any(schedule.starts.get(p, 10**9) + ini.lag(p) > s for p in ini.depends_on):
            continue
        got = _over(data, ini, s, spent)
        if got is None:
            return None
        if best is None or got[0] < best[0][0]:
            best = (got, s)
    if best is None:
        return None
    (over, lim), s = best
    text = f"would exceed {lim.describe()} by {over:,.0f}"
    if lim.year is not None:  # where the money falls depends on the start
        text += f" even at its best start ({data.calendar.labels[s]})"
    return text


def free_capacity(
    data: ProblemData, assignments: pd.DataFrame
) -> tuple[dict[tuple[str, str, int], float], dict[tuple[str, int], list[tuple[float, float]]]]:
    """Unplanned hours per unit, skill and period, and free contractor hours.

    Staff: a multi-skill person's free hours (x proficiency) count under each of
    their skills (and, when borrowing is allowed, under every unit): an
    optimistic figure, which is what a "not even this would fit" argument needs.
    Contractors: ``(skill, period) -> [(rate, free hours)]``, cheapest first.
    """
    used = assignments[assignments["contract"] == ""].groupby(["person", "period"])["hours"].sum()
    used_map = {(p, per): h for (p, per), h in used.items()}
    labels = data.calendar.labels
    free: dict[tuple[str, str, int], float] = defaultdict(float)
    staff = data.scenario.staff
    for g in data.cohorts:
        targets = data.units if data.borrowing else [g.unit]
        for m_idx, person in enumerate(g.members):
            pid = staff[person].id
            for t in range(data.T):
                room = g.member_capacity[m_idx, t] - used_map.get((pid, labels[t]), 0.0)
                if room <= 1e-6:
                    continue
                for sk, q in g.skills.items():
                    for u in targets:
                        free[(u, sk, t)] += room * q
    ext_used = (
        assignments[assignments["contract"] != ""].groupby(["contract", "period"])["hours"].sum()
    )
    ext: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
    for e in data.externals:
        for t in range(data.T):
            room = e.capacity[t] - float(ext_used.get((e.id, labels[t]), 0.0))
            if room > 1e-6:
                ext[(e.skill, t)].append((e.cost_per_hour, room))
    for key in ext:
        ext[key].sort()
    return free, ext


#: said of a reason found by forcing the initiative in (see :mod:`planner.solving.forced`)
ALONE = "even with no other optional initiative"
#: said of a reason that holds against this plan's chosen work
NEXT_TO = "next to the chosen initiatives"
#: added when the forced-in re-solve found that it fits without the other optional work
FITS = " (forced in, it would fit, at the expense of chosen work or RTB)"


def explain(
    data: ProblemData,
    schedule: Schedule,
    assignments: pd.DataFrame,
    backend: str = "highs",
    deadline: float | None = None,
    only: set[str] | None = None,
    force: bool = True,
) -> dict[str, str]:
    """Reason text for every initiative not in ``schedule``, keyed by id.

    First the rules that rule it out against this plan (pin, alignment, window,
    prerequisite, exclusive partner). Then each other left-out initiative is forced
    in by an elastic re-solve (:func:`~planner.solving.forced.forced_in`, until
    ``deadline``): what falls short then is the binding reason, said "even with no
    other optional initiative". When it would fit without the chosen initiatives, or
    its re-solve was not reached in time, the reason is worked out against the plan's
    remaining budget and free capacity, and said "next to the chosen initiatives".
    ``only`` limits the answer to some initiatives; ``force=False`` skips the re-solves.
    """
    chosen = set(schedule.starts)
    out: dict[str, str] = {}
    rest: list[str] = []
    for ini in data.initiatives:
        if ini.index in chosen or (only is not None and ini.id not in only):
            continue
        rule = _rule(data, ini, chosen)
        if rule:
            out[ini.id] = rule
        else:
            rest.append(ini.id)
    from planner.solving.forced import forced_in

    forced = forced_in(data, rest, backend=backend, deadline=deadline) if force else {}
    relative = _relative(data, schedule, assignments, rest)
    for iid in rest:
        short = forced.get(iid)
        if short:
            out[iid] = _alone(data, short)
        elif iid in forced and relative[iid].startswith("trade-off"):
            out[iid] = relative[iid]
        elif iid in forced:
            out[iid] = relative[iid] + FITS
        else:
            out[iid] = relative[iid]
    return out


def _rule(data: ProblemData, ini, chosen: set[int]) -> str:
    """A rule that keeps ``ini`` out of this plan, or ""."""
    if ini.pin == "out":
        return ini.out_reason or "pinned out"
    if ini.misaligned and not ini.required:
        return "misaligned: contributes to no objective (chosen only if mandatory)"
    if ini.latest < ini.earliest:
        return (
            f"window impossible: {ini.duration} periods do not fit between the earliest "
            "start (after its prerequisites) and the deadline or the end of the horizon"
        )
    missing = [data.initiatives[p].id for p in ini.depends_on if p not in chosen]
    if missing:
        return "prerequisite left out: " + ", ".join(missing)
    rivals = [data.initiatives[j].id for j in ini.exclusive_with if j in chosen]
    if rivals:
        return "mutually exclusive with " + ", ".join(rivals) + " (chosen)"
    return ""


def _alone(data: ProblemData, shortfalls: list) -> str:
    """The shortfalls of the forced-in re-solve, in words."""
    labels = data.calendar.labels
    parts: list[str] = []
    if any(s.kind == "left_out" for s in shortfalls):
        return ("cannot be placed: its window, a prerequisite or an exclusive partner "
                "rules it out " + ALONE)
    hours: dict[tuple[str, str, str], list] = {}
    for s in shortfalls:
        if s.kind in ("change", "rtb"):
            hours.setdefault((s.kind, s.unit, s.skill), []).append(s)
    for (kind, u, sk), rows in sorted(hours.items(), key=lambda kv: -sum(r.amount for r in kv[1])):
        periods = sorted(labels.index(r.period) for r in rows)
        first, last = labels[periods[0]], labels[periods[-1]]
        span = first if first == last else f"{first}..{last}"
        what = " of must RTB" if kind == "rtb" else ""
        parts.append(f"capacity: {u}/{sk} short {sum(r.amount for r in rows):,.0f} h{what} "
                     f"in {span}")
    for s in shortfalls:
        when = f" ({s.period})" if s.period else ""  # the year of a per-year budget
        if s.kind == "budget":
            parts.append(f"budget{when} short by {s.amount:,.0f}")
        elif s.kind == "unit_budget":
            parts.append(f"budget of unit {s.unit}{when} short by {s.amount:,.0f}")
    return "; ".join(parts) + " " + ALONE


def _relative(data: ProblemData, schedule: Schedule, assignments: pd.DataFrame,
              ids: list[str]) -> dict[str, str]:
    """Against this plan: its remaining budget, then its free capacity at the best start."""
    labels = data.calendar.labels
    spent = spend_by_rule(data, schedule, assignments) if ids else {}
    room = None
    out: dict[str, str] = {}
    for iid in ids:
        ini = data.by_id[iid]
        blocked = _money_block(data, ini, schedule, spent) if ini.cost > 0 else None
        if blocked is not None:
            out[iid] = f"{blocked} {NEXT_TO}"
            continue
        if room is None:
            room = free_capacity(data, assignments)
        best = _best_start(data, ini, schedule, *room)
        if best is None:
            out[iid] = "window impossible: its prerequisites finish too late"
            continue
        short, worst, money, ext_hours, s, by_period = best
        if short > 1e-6 and worst is not None:
            (u, sk), periods, hrs = worst
            first, last = labels[periods[0]], labels[periods[-1]]
            span = first if first == last else f"{first}..{last}"
            out[iid] = (f"capacity: {u}/{sk} short {hrs:,.0f} h in {span} at its best start "
                        f"{NEXT_TO}")
            continue
        got = _over(data, ini, s, spent, by_period) if money > 0 else None
        if got is not None:
            over, lim = got
            out[iid] = (
                f"would exceed {lim.describe()} by {over:,.0f} "
                f"(including {ext_hours:,.0f} h of contractors it would need) {NEXT_TO}"
            )
            continue
        out[iid] = (
            "trade-off: capacity exists, but the hours are worth more on RTB or on the "
            "chosen initiatives"
        )
    return out


def _best_start(
    data: ProblemData,
    ini,
    schedule: Schedule,
    free: dict[tuple[str, str, int], float],
    ext: dict[tuple[str, int], list[tuple[float, float]]],
):
    """At the start that needs least, the hours short, the worst line and contractor money.

    Returns ``(hours short after contractors, worst line or None, contractor cost,
    contractor hours, the start, contractor cost per period)`` or None when no start
    follows the prerequisites.
    """
    best = None
    for s in ini.starts:
        if any(schedule.starts.get(p, 10**9) + ini.lag(p) > s for p in ini.depends_on):
            continue
        short = money = ext_hours = 0.0
        by_period = np.zeros(data.T)
        worst = None
        ext_left = {k: list(v) for k, v in ext.items()}
        lines: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
        for u, sk, t, need in ini.demand(s):
            lines[(u, sk)].append((t, need))
        for (u, sk), needs in lines.items():
            periods, line_short = [], 0.0
            for t, need in needs:
                gap = need - free.get((u, sk, t), 0.0)
                for k, (rate, avail) in enumerate(ext_left.get((sk, t), [])):
                    if gap <= 1e-6:
                        break
                    take = min(gap, avail)
                    gap -= take
                    money += take * rate
                    by_period[t] += take * rate
                    ext_hours += take
                    ext_left[(sk, t)][k] = (rate, avail - take)
                if gap > 1e-6:
                    periods.append(t)
                    line_short += gap
            short += line_short
            if periods and (worst is None or line_short > worst[2]):
                worst = ((u, sk), periods, line_short)
        key = (short, money)
        if best is None or key < best[0]:
            best = (key, (short, worst, money, ext_hours, s, by_period))
    return best[1] if best else None
