"""Rules on the assignments: hours, work, staffing of effort lines, people and capacity.

``hours``, ``work``, ``staffing``, ``person``, ``capacity``, ``change_share`` and
``borrowing`` (see :mod:`planner.checker`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS
from planner.checker.context import EXTERNAL_PREFIX, RTB_PREFIX, Context, per_value, totals
from planner.checker.demand import line_hours, merge_delivered


def prepare(ctx: Context, a: pd.DataFrame) -> pd.DataFrame:
    """Parse hours, flag rows; report non-numeric or negative hours (rule 9)."""
    a = a[list(ASSIGNMENT_COLUMNS)].copy()
    raw = a["hours"]
    hours = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(hours) | (hours < 0)
    if bad.any():
        b = a.loc[bad, ["person", "period", "work"]].copy()
        b["raw"] = raw[bad].to_numpy()
        h = hours[bad]
        b["amount"] = np.where(np.isfinite(h), np.abs(h), math.inf)
        ctx.add_rows(
            "hours",
            b,
            "person",
            "period",
            "hours '{raw}' on {work} is not a finite number >= 0",
        )
        hours = np.where(bad, 0.0, hours)
    a["hours"] = hours
    a["ext"] = per_value(a["person"], lambda x: x.startswith(EXTERNAL_PREFIX), bool)
    a["rtb"] = per_value(a["work"], lambda x: x.startswith(RTB_PREFIX), bool)
    a["rtb_unit"] = per_value(
        a["work"], lambda x: x[len(RTB_PREFIX) :] if x.startswith(RTB_PREFIX) else "", object
    )
    a["t"] = a["period"].map(ctx.cal.index)  # NaN outside the horizon
    prof = pd.Series(
        {(p.id, k): q for p in ctx.staff() for k, q in ctx.proficiencies(p).items()},
        dtype=float,
    )
    if prof.empty:
        q = np.zeros(len(a))
    else:
        q = prof.reindex(pd.MultiIndex.from_arrays([a["person"], a["skill"]])).to_numpy()
    a["prof"] = np.where(a["ext"].to_numpy(), 1.0, np.nan_to_num(q, nan=0.0))
    a["delivered"] = a["hours"] * a["prof"]
    return a


def check_staffing(ctx: Context, a: pd.DataFrame) -> None:
    """Rule 7: every effort line gets hours / duration in each active period."""
    need: list[tuple[str, str, str, str, float]] = []
    for iid, (s, f) in ctx.window.items():
        init = ctx.inits[iid]
        if init.phases:
            continue  # staffed phase by phase: planner.checker.phases
        for (u, k), h in line_hours(init).items():
            if h > 0:
                need.extend(
                    (iid, u, k, ctx.cal.labels[t], h / init.duration) for t in range(s, f + 1)
                )
    if not need:
        return
    req = pd.DataFrame(need, columns=["work", "for_unit", "skill", "period", "need"])
    m = merge_delivered(req, a[~a["rtb"]], ["work", "for_unit", "skill", "period"])
    ctx.add_short(
        "staffing",
        m,
        "need",
        "work",
        "line {for_unit}/{skill} needs {need:.2f} h, delivered {delivered:.2f} h",
    )


def check_work(ctx: Context, a: pd.DataFrame) -> None:
    """Rule 8 (and the horizon of every row): hours only where work exists."""
    pos = a[a["hours"] > 0]
    reason = pd.Series("", index=pos.index, dtype=object)
    reason[pos["t"].isna()] = "period is not in the horizon"
    change = pos[~pos["rtb"] & pos["t"].notna()]
    known = change["work"].isin(list(ctx.inits))
    chosen = change["work"].isin(list(ctx.selected))
    s = change["work"].map({i: w[0] for i, w in ctx.window.items()})
    f = change["work"].map({i: w[1] for i, w in ctx.window.items()})
    outside = s.notna() & ((change["t"] < s) | (change["t"] > f))
    keys = {(iid, ln.unit, ln.skill) for iid in ctx.window
            for ln in ctx.inits[iid].all_effort}
    line = pd.MultiIndex.from_arrays(
        [change["work"], change["for_unit"], change["skill"]]
    ).isin(list(keys))
    r = np.select(
        [~known, ~chosen, outside, s.notna() & ~line],
        [
            "is not an initiative",
            "is not selected",
            "is outside its active periods",
            "is not one of its effort lines",
        ],
        "",
    )
    reason[change.index] = r
    rtb = pos[pos["rtb"]]
    units = {u.id for u in ctx.sc.units}
    rtb_unit = rtb["rtb_unit"]
    reason[rtb.index[~rtb_unit.isin(list(units))]] = "is RTB of an unknown unit"
    reason[rtb.index[rtb_unit.isin(list(units)) & (rtb_unit != rtb["for_unit"])]] = (
        "is RTB of another unit than for_unit"
    )
    bad = pos[reason != ""].assign(reason=reason[reason != ""])
    if bad.empty:
        return
    g = (
        bad.groupby(["reason", "work", "for_unit", "skill", "period"], sort=False)["hours"]
        .sum()
        .reset_index()
        .rename(columns={"hours": "amount"})
    )
    ctx.add_rows(
        "work", g, "work", "period", "{amount:.2f} h for {for_unit}/{skill}: work {reason}"
    )


def check_people(ctx: Context, a: pd.DataFrame) -> None:
    """Rules 9 and 10: staff identity, unit, skills, capacity, change share, borrowing."""
    st = a[~a["ext"]]
    people = {p.id: p for p in ctx.staff()}
    known = st["person"].isin(list(people))
    unk = st[~known].groupby("person", sort=False)["hours"].sum().reset_index(name="amount")
    ctx.add_rows("person", unk, "person", None, "is not a member of staff ({amount:.2f} h)")
    st = st[known]
    own = st["person"].map({p.id: p.unit for p in people.values()})
    wrong = st[st["unit"] != own].assign(own=own)
    g = (
        wrong.groupby(["person", "unit", "own"], sort=False)["hours"]
        .sum()
        .reset_index(name="amount")
    )
    ctx.add_rows(
        "person", g, "person", None, "rows give unit '{unit}', the person is in '{own}'"
    )
    noskill = st[st["prof"] <= 0]
    g = (
        noskill.groupby(["person", "skill"], sort=False)["hours"]
        .sum()
        .reset_index(name="amount")
    )
    ctx.add_rows("person", g, "person", None,
                 "works {amount:.2f} h as '{skill}', neither a skill of theirs nor one "
                 "they wish to develop")
    if not ctx.sc.policy.borrowing:
        lent = st[(st["for_unit"] != own) & st["for_unit"].ne("") & (st["hours"] > 0)]
        lent = lent.assign(own=own)
        g = (
            lent.groupby(["person", "period", "for_unit", "own"], sort=False)["hours"]
            .sum()
            .reset_index(name="amount")
        )
        ctx.add_rows(
            "borrowing",
            g,
            "person",
            "period",
            "works for '{for_unit}' (own unit '{own}') but borrowing is off",
        )
    st = st[st["t"].notna()]
    tot = totals(st, ["person", "period"])
    if tot.empty:
        return
    ctx.add_over(
        "capacity",
        tot,
        ctx.capacity(tot) * ctx.sc.policy.max_utilisation,
        "person",
        "planned {sum:.2f} h, limit {limit:.2f} h (max_utilisation x capacity)",
    )
    tot = totals(st[~st["rtb"]], ["person", "period"])
    if tot.empty:
        return
    share = tot["person"].map({p.id: p.max_change_share for p in people.values()})
    ctx.add_over(
        "change_share",
        tot,
        ctx.capacity(tot) * share.to_numpy(dtype=float),
        "person",
        "{sum:.2f} h on initiatives, limit {limit:.2f} h (max_change_share x capacity)",
    )
