"""Rule ``view`` on ``long_term_plan.csv`` (issue 15): each year's money agrees with the plan.

Recomputed from the scenario and the written schedule and assignments (never from
:mod:`planner.views`): per calendar year (the year in a period's label; one row
with an empty ``year`` for ``index`` periods) ``initiative_cost`` (each chosen
initiative's ``cost`` by its cost profile, :func:`planner.checker.years.cost_per_period`),
``external_cost`` (contractor hours x rate), ``spend`` (their sum) and
``spend_to_date`` (the running total), ``budget`` (the year's amount of a
per-year ``policy.budget``) and ``benefits`` (undiscounted: each delivered
initiative's one-off ``value`` in its finish period, then ``value_per_period``
ramped over ``value_ramp`` periods). The views round money to cents piece by
piece, each piece within two cents: the tolerance is two cents per piece of
money in the year (per objective an initiative serves) plus the written hours'
rounding priced.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.checker.context import Context
from planner.checker.demand import contractor_rows
from planner.checker.read import read_table
from planner.checker.years import cost_per_period

#: the most an hour written with 4 decimals is off
WRITTEN_HOURS = 0.00005


def _years(ctx: Context) -> list[tuple[str, list[int]]]:
    """``(year text, periods)`` of each calendar year, or one group for ``index`` periods."""
    T = len(ctx.cal)
    if ctx.cal.horizon.period == "index":
        return [("", list(range(T)))]
    out: dict[str, list[int]] = {}
    for t, label in enumerate(ctx.cal.labels):
        out.setdefault(str(int(label[:4])), []).append(t)
    return list(out.items())


def check_long_term(ctx: Context, a: pd.DataFrame) -> None:
    """``view`` violations of ``long_term_plan.csv`` (see module)."""
    lt = read_table(ctx, "long_term_plan.csv", ("year", "initiative_cost", "external_cost",
                                                "spend", "spend_to_date", "budget",
                                                "benefits"), must_exist=False)
    if lt is None:
        return
    sc, T = ctx.sc, len(ctx.cal)
    split = max(len(sc.strategy.objectives), 1)  # money rows split by objective share
    cost, pieces = np.zeros(T), np.zeros(T)
    benefit = np.zeros(T)
    for iid, (s, f) in ctx.window.items():
        ini = ctx.inits[iid]
        for o, c in enumerate(cost_per_period(ini)):
            if 0 <= s + o < T and c > 0:
                cost[s + o] += c
                pieces[s + o] += split
        if 0 <= f < T:
            benefit[f] += ini.value
        ramp = max(ini.value_ramp, 1)
        for t in range(f + 1, T):
            benefit[t] += ini.value_per_period * min(1.0, (t - f) / ramp)
    ex, rate, t_ex = contractor_rows(sc, a)
    ext, slack, ext_pieces = np.zeros(T), np.zeros(T), np.zeros(T)
    np.add.at(ext, t_ex, ex["hours"].to_numpy(dtype=float) * rate)
    np.add.at(slack, t_ex, WRITTEN_HOURS * rate)
    groups = ex[rate > 0].groupby(["for_unit", "work", "t"]).size().reset_index()
    np.add.at(ext_pieces, groups["t"].to_numpy(dtype=int), split)
    budget = sc.policy.budget
    rows = {str(r["year"]).strip(): r for r in lt.to_dict("records")}
    to_date = tol_to_date = 0.0
    for year, ts in _years(ctx):
        row = rows.get(year)
        if row is None:
            ctx.add("view", "long_term_plan.csv", year or None, "no row for the year", 1)
            continue
        c, e = float(cost[ts].sum()), float(ext[ts].sum())
        tol_c = 0.02 * float(pieces[ts].sum()) + 0.01
        tol_e = 0.02 * float(ext_pieces[ts].sum()) + float(slack[ts].sum()) + 0.01
        to_date += c + e
        tol_to_date += tol_c + tol_e
        want = {"initiative_cost": (c, tol_c), "external_cost": (e, tol_e),
                "spend": (c + e, tol_c + tol_e), "spend_to_date": (to_date, tol_to_date),
                "benefits": (float(benefit[ts].sum()), 0.01 + 1e-9 * abs(benefit[ts].sum()))}
        if isinstance(budget, dict) and year and int(year) in budget:
            want["budget"] = (float(budget[int(year)]), 0.01)
        for col, (value, tol) in want.items():
            _money(ctx, year, col, row[col], value, tol)


def _money(ctx: Context, year: str, col: str, written: object, want: float,
           tol: float) -> None:
    try:
        got = float(str(written))
    except ValueError:
        got = math.nan
    if not math.isfinite(got) or abs(got - want) > tol:
        ctx.add("view", "long_term_plan.csv", year or None,
                f"{col} is '{str(written)[:40]}', the plan gives {want:.2f}",
                abs(got - want) if math.isfinite(got) else 1)
