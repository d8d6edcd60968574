"""Rule ``view``: every view file in the plan folder agrees with the assignments.

Recomputed here from the scenario and the written ``portfolio.csv`` and
``assignments.csv`` (never from :mod:`planner.views`, whose bugs this is to catch),
for each file that exists:

* ``workload.csv``: every figure of every unit, skill and period (capacity: the
  available hours, before the ``max_utilisation`` cap; RTB
  demand, delivered and short by priority, change demand (a phased initiative's
  per phase, each phase's lines over its own periods) and delivered, own,
  borrowed, lent and contractor hours, planned hours, utilisation), and a row for
  every unit, skill and period where any of them is not zero;
* ``unit_plans.csv``: each unit's capacity, planned hours and utilisation per period;
* ``individual_plans.csv``: each person's available hours, capacity (available x
  ``max_utilisation``), total hours and utilisation (over available) per period;
* ``portfolio.csv``: each initiative's ``labour_hours``;
* ``summary.csv``: status, objective and bound (as in plan.json), initiatives
  chosen, strategic score, value, every money total, RTB hours short by priority,
  external, change, RTB and borrowed hours, ``max_utilisation`` and
  ``utilisation[<unit>]`` (over the available hours);
* ``finance.csv``: the amounts of each category (internal labour, external,
  non-labour) and of each piece of work within it;
* ``long_term_plan.csv``: each year's initiative cost, contractor cost, spend (and
  to date), per-year budget and benefits (:mod:`planner.checker.views_years`).

Hours are compared with the checker's hour tolerance for the rows summed; money
with a cent per group rounded (the views round each piece of work's money to
cents) plus the hour rounding priced.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from models.scenario import PRIORITIES
from planner.checker.context import Context
from planner.checker.demand import contract_rates, line_hours, rtb_demand, rtb_shortfalls
from planner.checker.phases import needs
from planner.checker.read import read_table
from planner.checker.report import htol
from planner.checker.views_years import check_long_term

_SHORT_TOL = 1e-3  # the views write shortfalls below this as 0

_WORKLOAD = ("capacity", "rtb_demand", "rtb_planned", "rtb_short", "rtb_short_must",
             "rtb_short_high", "rtb_short_normal", "change_demand", "change_planned", "own",
             "borrowed", "lent", "external", "planned_hours", "utilisation")


def _num(text: object) -> float | None:
    s = str(text).strip()
    if s == "":
        return math.nan
    try:
        return float(s)
    except ValueError:
        return None


class _Figures:
    """Recomputed facts of the written plan, shared by the view rules."""

    def __init__(self, ctx: Context, a: pd.DataFrame) -> None:
        self.ctx = ctx
        sc = ctx.sc
        T = len(ctx.cal)
        self.T = T
        util = sc.policy.max_utilisation
        #: available hours (hours_per_fte x fte x availability) and that x max_utilisation
        self.person_avail: dict[str, np.ndarray] = {}
        self.person_cap: dict[str, np.ndarray] = {}
        #: available hours per (unit, skill) and per unit: what utilisation is measured on
        self.cap: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(T))
        self.unit_cap: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(T))
        for p in sc.staff:
            avail = np.ones(T)
            for label, x in p.availability.items():
                if label in ctx.cal.index:
                    avail[ctx.cal.index[label]] = x
            real = ctx.cal.hours_per_fte * p.fte * avail  # the real capacity
            self.person_avail.setdefault(p.id, real)
            self.person_cap.setdefault(p.id, real * util)
            self.unit_cap[p.unit] += real
            for sk in ctx.proficiencies(p):  # learners count under wished skills too
                self.cap[(p.unit, sk)] += real
        self.rtb = rtb_demand(sc, T)
        self.change: dict[tuple[str, str, int], float] = defaultdict(float)
        for iid, (s, f) in ctx.window.items():
            ini = ctx.inits[iid]
            if ini.phases:  # each phase's lines over that phase's own periods
                for (u, sk, t), h in needs(ini, s, T).items():
                    self.change[(u, sk, t)] += h
                continue
            for (u, sk), h in line_hours(ini).items():
                if h > 0:
                    for t in range(s, f + 1):
                        self.change[(u, sk, t)] += h / ini.duration
        a = a[a["t"].notna()].assign(ti=lambda d: d["t"].astype(int))
        self.a = a
        staff = a[~a["ext"]]
        other = staff[staff["unit"] != staff["for_unit"]]
        self.sums: dict[str, pd.DataFrame] = {
            "own": staff[staff["unit"] == staff["for_unit"]].groupby(
                ["for_unit", "skill", "ti"])["delivered"].agg(["sum", "size"]),
            "borrowed": other.groupby(["for_unit", "skill", "ti"])["delivered"].agg(
                ["sum", "size"]),
            "lent": other.groupby(["unit", "skill", "ti"])["hours"].agg(["sum", "size"]),
            "external": a[a["ext"]].groupby(["for_unit", "skill", "ti"])["delivered"].agg(
                ["sum", "size"]),
            "planned_hours": staff.groupby(["unit", "skill", "ti"])["hours"].agg(
                ["sum", "size"]),
            "change_planned": a[~a["rtb"]].groupby(["for_unit", "skill", "ti"])[
                "delivered"].agg(["sum", "size"]),
            "rtb_planned": a[a["rtb"]].groupby(["for_unit", "skill", "ti"])["delivered"].agg(
                ["sum", "size"]),
        }
        self.get = {k: {key: (float(r["sum"]), int(r["size"])) for key, r in v.iterrows()}
                    for k, v in self.sums.items()}

    def value(self, name: str, key: tuple[str, str, int]) -> tuple[float, int]:
        return self.get[name].get(key, (0.0, 0))

    def short(self, u: str, sk: str, t: int) -> tuple[float, float, float]:
        arr = self.rtb.get((u, sk))
        if arr is None:
            return (0.0, 0.0, 0.0)
        got = self.value("rtb_planned", (u, sk, t))[0]
        must, high, normal = (float(s) if s > _SHORT_TOL else 0.0
                              for s in rtb_shortfalls(arr[:, t], got))
        return (must, high, normal)

    def workload_row(self, u: str, sk: str, t: int) -> dict[str, tuple[float, int]]:
        key = (u, sk, t)
        cap = float(self.cap[(u, sk)][t]) if (u, sk) in self.cap else 0.0
        must, high, normal = self.short(u, sk, t)
        arr = self.rtb.get((u, sk))
        planned, n = self.value("planned_hours", key)
        out = {
            "capacity": (cap, 1),
            "rtb_demand": (float(arr[:, t].sum()) if arr is not None else 0.0, 1),
            "rtb_short": (must + high + normal, self.value("rtb_planned", key)[1]),
            "rtb_short_must": (must, self.value("rtb_planned", key)[1]),
            "rtb_short_high": (high, self.value("rtb_planned", key)[1]),
            "rtb_short_normal": (normal, self.value("rtb_planned", key)[1]),
            "change_demand": (self.change.get(key, 0.0), 1),
        }
        for name in ("rtb_planned", "change_planned", "own", "borrowed", "lent", "external"):
            out[name] = self.value(name, key)
        out["planned_hours"] = (planned, n)
        out["utilisation"] = (planned / cap if cap > 1e-9 else math.nan, n)
        return out

    def keys(self) -> set[tuple[str, str]]:
        keys = {k for k, arr in self.cap.items()} | set(self.rtb)
        keys |= {(u, sk) for (u, sk, _t) in self.change}
        for got in self.get.values():
            keys |= {(u, sk) for (u, sk, _t) in got}
        return keys


def check_views(ctx: Context, a: pd.DataFrame, pf: pd.DataFrame,
                run: dict[str, Any] | None, as_of: bool = False) -> None:
    """Report every view figure that disagrees with the written plan (rule ``view``).

    ``as_of``: the plan was re-planned as of a period, so its change demand is the
    remaining effort of the periods left, which is not recomputed here.
    """
    fig = _Figures(ctx, a)
    _workload(ctx, fig, skip=("change_demand",) if as_of else ())
    _unit_plans(ctx, fig)
    _individual_plans(ctx, fig)
    _labour_hours(ctx, fig, pf)
    money = _money(ctx, fig)
    _summary(ctx, fig, money, run)
    _finance(ctx, money)
    check_long_term(ctx, a)


def _off(ctx: Context, view: str, item: str, period: str | None, what: str, written: object,
         want: float, rows: int, share: bool = False) -> None:
    got = _num(written)
    if share:
        ok = (got is not None and ((math.isnan(want) and (got is None or math.isnan(got)))
                                   or (not math.isnan(want) and not math.isnan(got)
                                       and abs(got - want) <= 1e-4 + 1e-6 + 0.0001 * rows)))
    else:
        ok = got is not None and not math.isnan(got) and abs(got - want) <= float(
            htol(want, rows))
    if not ok:
        label = f"{item}: {what}" if what else item
        ctx.add("view", view, period,
                f"{label} is '{str(written)[:40]}', the plan gives {want:.4f}",
                abs((got or 0.0) - want) if got is not None and not math.isnan(got) else 1)


def _workload(ctx: Context, fig: _Figures, skip: tuple[str, ...] = ()) -> None:
    w = read_table(ctx, "workload.csv", ("unit", "skill", "period", *_WORKLOAD),
                   must_exist=False)
    if w is None:
        return
    seen: set[tuple[str, str, int]] = set()
    for row in w.to_dict("records"):
        t = ctx.cal.index.get(row["period"])
        if t is None:
            ctx.add("view", "workload.csv", row["period"] or None,
                    f"{row['unit']}/{row['skill']}: period is not in the horizon", 1)
            continue
        key = (row["unit"], row["skill"], t)
        seen.add(key)
        want = fig.workload_row(*key)
        for col in _WORKLOAD:
            if col in skip:
                continue
            value, rows = want[col]
            _off(ctx, "workload.csv", f"{row['unit']}/{row['skill']}", row["period"], col,
                 row[col], value, rows, share=col == "utilisation")
    for u, sk in sorted(fig.keys()):
        for t in range(fig.T):
            if (u, sk, t) in seen:
                continue
            want = fig.workload_row(u, sk, t)
            if any(abs(v) > 1e-9 for col, (v, _n) in want.items()
                   if col != "utilisation" and col not in skip and not math.isnan(v)):
                ctx.add("view", "workload.csv", ctx.cal.labels[t],
                        f"{u}/{sk}: no row, though the plan has work or capacity there", 1)


def _unit_plans(ctx: Context, fig: _Figures) -> None:
    up = read_table(ctx, "unit_plans.csv", ("unit", "period", "capacity", "planned_hours",
                                            "utilisation"), must_exist=False)
    if up is None:
        return
    staff = fig.a[~fig.a["ext"]]
    planned = staff.groupby(["unit", "ti"])["hours"].agg(["sum", "size"])
    for row in up.to_dict("records"):
        t = ctx.cal.index.get(row["period"])
        if t is None:
            continue
        u = row["unit"]
        cap = float(fig.unit_cap[u][t]) if u in fig.unit_cap else 0.0
        ph, n = (float(planned.loc[(u, t), "sum"]), int(planned.loc[(u, t), "size"])) \
            if (u, t) in planned.index else (0.0, 0)
        _off(ctx, "unit_plans.csv", u, row["period"], "capacity", row["capacity"], cap, 1)
        _off(ctx, "unit_plans.csv", u, row["period"], "planned_hours", row["planned_hours"],
             ph, n)
        _off(ctx, "unit_plans.csv", u, row["period"], "utilisation", row["utilisation"],
             ph / cap if cap > 1e-9 else math.nan, n, share=True)


def _individual_plans(ctx: Context, fig: _Figures) -> None:
    ip = read_table(ctx, "individual_plans.csv", ("person", "period", "available", "capacity",
                                                  "total_hours", "utilisation"),
                    must_exist=False)
    if ip is None:
        return
    staff = fig.a[~fig.a["ext"]]
    total = staff.groupby(["person", "ti"])["hours"].agg(["sum", "size"])
    sums = {k: (float(r["sum"]), int(r["size"])) for k, r in total.iterrows()}
    for row in ip.to_dict("records"):
        t = ctx.cal.index.get(row["period"])
        p = row["person"]
        if t is None or p not in fig.person_cap:
            continue
        real = float(fig.person_avail[p][t])
        _off(ctx, "individual_plans.csv", p, row["period"], "available", row["available"],
             real, 1)
        _off(ctx, "individual_plans.csv", p, row["period"], "capacity", row["capacity"],
             float(fig.person_cap[p][t]), 1)
        h, n = sums.get((p, t), (0.0, 0))
        _off(ctx, "individual_plans.csv", p, row["period"], "total_hours", row["total_hours"],
             h, n)
        _off(ctx, "individual_plans.csv", p, row["period"], "utilisation", row["utilisation"],
             h / real if real > 1e-9 else math.nan, n, share=True)


def _labour_hours(ctx: Context, fig: _Figures, pf: pd.DataFrame) -> None:
    if "labour_hours" not in pf.columns:
        return
    change = fig.a[~fig.a["rtb"]].groupby("work")["hours"].agg(["sum", "size"])
    for row in pf.drop_duplicates("initiative").to_dict("records"):
        iid = row["initiative"]
        h, n = (float(change.loc[iid, "sum"]), int(change.loc[iid, "size"])) \
            if iid in change.index else (0.0, 0)
        _off(ctx, "portfolio.csv", iid, None, "labour_hours", row["labour_hours"], h, n)


def _money(ctx: Context, fig: _Figures) -> dict[tuple[str, str], tuple[float, float]]:
    """(category, work) -> (amount, tolerance) of the plan's money."""
    sc = ctx.sc
    out: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    rate = {p.id: p.cost_per_hour for p in reversed(sc.staff)}
    priced = (("internal_labour", fig.a[~fig.a["ext"]], "person", rate),
              ("external", fig.a[fig.a["ext"]], "contract", contract_rates(sc)))
    for category, rows, key, by in priced:
        r = rows[key].map(by).fillna(0.0).to_numpy(dtype=float)
        for work, amount, slack in zip(
                rows["work"], rows["hours"].to_numpy(dtype=float) * r, 5e-5 * r, strict=True):
            cell = out[(category, work)]
            cell[0] += amount
            cell[1] += slack
    for iid in ctx.window:
        cost = ctx.inits[iid].cost
        if cost > 0:
            out[("non_labour", iid)][0] += cost
    # each piece of work's money is rounded to cents as a whole, its rows to match
    return {k: (v[0], v[1] + 0.01) for k, v in out.items()}


def _total(money: dict[tuple[str, str], tuple[float, float]], category: str | None = None
           ) -> tuple[float, float]:
    cells = [v for (c, _w), v in money.items() if category is None or c == category]
    return sum(v[0] for v in cells), sum(v[1] for v in cells) + 0.01


def _summary(ctx: Context, fig: _Figures, money: dict[tuple[str, str], tuple[float, float]],
             run: dict[str, Any] | None) -> None:
    s = read_table(ctx, "summary.csv", ("metric", "value"), must_exist=False)
    if s is None:
        return
    rows = {r["metric"]: r["value"] for r in s.to_dict("records")}

    def money_is(metric: str, want: tuple[float, float]) -> None:
        if metric in rows:
            got = _num(rows[metric])
            if got is None or math.isnan(got) or abs(got - want[0]) > want[1]:
                ctx.add("view", "summary.csv", None,
                        f"{metric} is '{rows[metric][:40]}', the plan gives {want[0]:.2f}",
                        abs((got or 0.0) - want[0]) if got is not None else 1)

    def hours_is(metric: str, want: float, n: int) -> None:
        if metric in rows:
            _off(ctx, "summary.csv", metric, None, "", rows[metric], want, n)

    if run is not None:
        if "status" in rows and rows["status"] != str(run.get("status")):
            ctx.add("view", "summary.csv", None,
                    f"status is '{rows['status'][:40]}', plan.json says '{run.get('status')}'",
                    1)
        for metric in ("objective", "bound"):
            want = run.get(metric)
            if metric in rows and isinstance(want, int | float):
                got = _num(rows[metric])
                if got is None or math.isnan(got) or abs(got - want) > 1e-4 + 1e-9 * abs(want):
                    ctx.add("view", "summary.csv", None,
                            f"{metric} is '{rows[metric][:40]}', plan.json says {want:.6g}", 1)
    chosen = [ctx.inits[i] for i in ctx.selected if i in ctx.inits]
    if "initiatives_chosen" in rows and _num(rows["initiatives_chosen"]) != len(chosen):
        ctx.add("view", "summary.csv", None, f"initiatives_chosen is "
                f"'{rows['initiatives_chosen'][:40]}', the plan chooses {len(chosen)}", 1)
    hours_is("strategic_score", sum(ctx.sc.strategic_score(i) for i in chosen), 1)
    money_is("value", (sum(i.value for i in chosen), 0.01))
    labour, extern, non_labour = (_total(money, c) for c in
                                  ("internal_labour", "external", "non_labour"))
    money_is("initiative_cost", non_labour)
    money_is("external_cost", extern)
    money_is("incremental_spend", (non_labour[0] + extern[0], non_labour[1] + extern[1]))
    money_is("internal_labour_cost", labour)
    money_is("total_cost", _total(money))
    budget = ctx.sc.policy.budget
    if isinstance(budget, dict):  # a per-year budget: the sum of its years
        budget = math.fsum(budget.values())
    if budget is not None:
        money_is("budget", (budget, 0.01))
        money_is("budget_remaining", (budget - non_labour[0] - extern[0],
                                      non_labour[1] + extern[1]))
    a = fig.a
    shorts = np.zeros(3)
    for u, sk in fig.rtb:
        for t in range(fig.T):
            shorts += fig.short(u, sk, t)
    n_rtb = int(a["rtb"].sum())
    for k, prio in enumerate(PRIORITIES):
        hours_is(f"rtb_short_{prio}", float(shorts[k]), n_rtb)
    hours_is("external_hours", float(a.loc[a["ext"], "hours"].sum()), int(a["ext"].sum()))
    hours_is("change_hours", float(a.loc[~a["rtb"], "hours"].sum()), int((~a["rtb"]).sum()))
    hours_is("rtb_hours", float(a.loc[a["rtb"], "hours"].sum()), n_rtb)
    staff = a[~a["ext"]]
    other = staff[staff["unit"] != staff["for_unit"]]
    hours_is("borrowed_hours", float(other["delivered"].sum()), len(other))
    if "max_utilisation" in rows:
        _off(ctx, "summary.csv", "max_utilisation", None, "", rows["max_utilisation"],
             ctx.sc.policy.max_utilisation, 1, share=True)
    planned = staff.groupby("unit")["hours"].agg(["sum", "size"])
    for u, cap in fig.unit_cap.items():
        metric = f"utilisation[{u}]"
        if metric in rows:
            total_cap = float(cap.sum())
            ph, n = (float(planned.loc[u, "sum"]), int(planned.loc[u, "size"])) \
                if u in planned.index else (0.0, 0)
            _off(ctx, "summary.csv", metric, None, "", rows[metric],
                 ph / total_cap if total_cap > 1e-9 else math.nan, n, share=True)


def _finance(ctx: Context, money: dict[tuple[str, str], tuple[float, float]]) -> None:
    fin = read_table(ctx, "finance.csv", ("category", "work", "amount"), must_exist=False)
    if fin is None:
        return
    amounts = pd.to_numeric(fin["amount"], errors="coerce")
    if amounts.isna().any():
        ctx.add("view", "finance.csv", None,
                f"{int(amounts.isna().sum())} amount(s) are not numbers", 1)
        return
    written = fin.assign(amount=amounts).groupby(["category", "work"])["amount"].sum()
    keys = set(money) | {(str(c), str(w)) for c, w in written.index}
    for cat, work in sorted(keys):
        want, tol = money.get((cat, work), (0.0, 0.01))
        got = float(written.get((cat, work), 0.0))
        if abs(got - want) > tol:
            ctx.add("view", "finance.csv", None,
                    f"{cat} of {work}: the rows sum to {got:.2f}, the plan gives {want:.2f}",
                    abs(got - want))
