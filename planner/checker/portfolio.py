"""Rules on the portfolio: listing, schedule, windows, choice, pins, dependencies.

``portfolio``, ``schedule``, ``earliest_start``, ``deadline``, ``mandatory``,
``pin``, ``start``, ``misaligned``, ``exclusive`` and ``dependency`` (see
:mod:`planner.checker`).
"""

from __future__ import annotations

import pandas as pd

from planner.checker.context import Context

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}

def check_portfolio(ctx: Context, pf: pd.DataFrame) -> None:
    """Rules 1-3: listing, selected flag, start/finish of each initiative."""
    counts = pf["initiative"].value_counts(sort=False)
    for iid, n in counts.items():
        if n > 1:
            ctx.add("portfolio", iid, None, f"listed {n} times", n - 1)
        if iid not in ctx.inits:
            ctx.add("portfolio", iid, None, "is not an initiative of the scenario", 1)
    for iid in ctx.inits:
        if iid not in counts.index:
            ctx.add("portfolio", iid, None, "is missing from portfolio.csv", 1)
    n_periods = len(ctx.cal)
    for row in pf.drop_duplicates("initiative").to_dict("records"):
        iid = row["initiative"]
        init = ctx.inits.get(iid)
        if init is None:
            continue
        flag = str(row["selected"]).strip().lower()
        start, finish = str(row["start"]).strip(), str(row["finish"]).strip()
        if flag not in _TRUE | _FALSE:
            ctx.add(
                "portfolio", iid, None, f"selected is '{row['selected']}', not true/false", 1
            )
        if flag not in _TRUE:
            if start or finish:
                ctx.add("portfolio", iid, None, "not selected but has a start or finish", 1)
            continue
        ctx.selected.add(iid)
        s = ctx.cal.index.get(start)
        if s is None:
            ctx.add(
                "schedule",
                iid,
                start or None,
                f"start '{start}' is not a period of the horizon",
                1,
            )
            continue
        f = s + init.duration - 1
        if f >= n_periods:
            ctx.add(
                "schedule",
                iid,
                start,
                f"duration {init.duration} runs {f - n_periods + 1} period(s) past the horizon",
                f - n_periods + 1,
            )
        else:
            fi = ctx.cal.index.get(finish)
            if fi != f:
                ctx.add(
                    "schedule",
                    iid,
                    start,
                    f"finish is '{finish}', expected {ctx.cal.labels[f]}"
                    " (start + duration - 1)",
                    abs(fi - f) if fi is not None else 1,
                )
        es = ctx.cal.index.get(str(init.earliest_start)) if init.earliest_start else None
        if es is not None and s < es:
            ctx.add(
                "earliest_start",
                iid,
                start,
                f"starts before earliest_start {init.earliest_start}",
                es - s,
            )
        dl = ctx.cal.index.get(str(init.deadline)) if init.deadline else None
        if dl is not None and f > dl:
            ctx.add(
                "deadline",
                iid,
                start,
                f"finishes {f - dl} period(s) after deadline {init.deadline}",
                f - dl,
            )
        ctx.window[iid] = (s, min(f, n_periods - 1))


def check_choice(ctx: Context) -> None:
    """Rules 2, 5, 6: mandatory, pins, fixed starts, exclusivity, misalignment."""
    # required: mandatory or pinned in, and (transitively) their prerequisites
    # (committed counts as mandatory; rejected and not approved as pinned out)
    required = {iid for iid, i in ctx.inits.items() if ctx.sc.is_required(i)}
    todo = list(required)
    while todo:
        init = ctx.inits.get(todo.pop())
        for pre in init.depends_on if init is not None else ():
            if pre not in required:
                required.add(pre)
                todo.append(pre)
    for iid, init in ctx.inits.items():
        chosen = iid in ctx.selected
        if init.mandatory and not chosen:
            ctx.add("mandatory", iid, None, "is mandatory but not selected", 1)
        if init.pin == "in" and not chosen:
            ctx.add("pin", iid, None, "is pinned in but not selected", 1)
        if init.status == "committed" and not init.mandatory and not chosen:
            ctx.add("mandatory", iid, None, "is committed but not selected", 1)
        out = ctx.sc.out_reason(init)
        if out is not None and chosen:
            what = "pinned out" if out == "pinned out" else f"{out} (status {init.status})"
            ctx.add("pin", iid, None, f"is {what} but selected", 1)
        if chosen and init.start is not None and iid in ctx.window:
            want = ctx.cal.index.get(str(init.start))
            s = ctx.window[iid][0]
            if want is not None and s != want:
                ctx.add(
                    "start",
                    iid,
                    ctx.cal.labels[s],
                    f"starts in {ctx.cal.labels[s]}, fixed start is {init.start}",
                    abs(s - want),
                )
        if chosen and ctx.sc.is_misaligned(init) and iid not in required:
            ctx.add("misaligned", iid, None,
                     "contributes to no objective and is not mandatory (nor a "
                     "prerequisite of a mandatory initiative)", 1)
    pairs = {
        frozenset((iid, other))
        for iid, init in ctx.inits.items()
        for other in init.exclusive_with
        if other != iid
    }
    for pair in sorted(pairs, key=sorted):
        i, j = sorted(pair)
        if i in ctx.selected and j in ctx.selected:
            ctx.add("exclusive", i, None, f"selected together with exclusive '{j}'", 1)


def check_dependencies(ctx: Context) -> None:
    """Rule 4: prerequisites selected and finished before the dependant starts."""
    for iid in sorted(ctx.selected):
        for pre in ctx.inits[iid].depends_on:
            if pre not in ctx.inits and "." in pre:
                continue  # x.phase: planner.checker.phases
            if pre not in ctx.selected:
                ctx.add(
                    "dependency", iid, None, f"depends on '{pre}', which is not selected", 1
                )
            elif iid in ctx.window and pre in ctx.window:
                s, pf = ctx.window[iid][0], ctx.window[pre][1]
                if pf >= s:
                    ctx.add(
                        "dependency",
                        iid,
                        ctx.cal.labels[s],
                        f"starts before '{pre}' finishes ({ctx.cal.labels[pf]})",
                        pf - s + 1,
                    )
