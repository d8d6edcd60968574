"""Rules on contractors and money: ``external``, ``external_capacity``, ``budget`` and
``unit_budget`` (see :mod:`planner.checker`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.checker.context import EXTERNAL_PREFIX, Context, totals
from planner.checker.demand import contract_rates, contracts
from planner.checker.report import MONEY_ABS, MONEY_HOURS, MONEY_REL


def check_externals(ctx: Context, a: pd.DataFrame) -> None:
    """Rule 12: contracts known, of the right skill, from their start, within max_fte."""
    pools = contracts(ctx.sc)
    staff_c = a[~a["ext"] & a["contract"].ne("")]
    g = (
        staff_c.groupby(["person", "contract"], sort=False)["hours"]
        .sum()
        .reset_index(name="amount")
    )
    ctx.add_rows("external", g, "person", None, "staff row names contract '{contract}'")
    ex = a[a["ext"]]
    if ex.empty:
        return
    cskill = ex["contract"].map({c: e.skill for c, e in pools.items()})
    cfrom = ex["contract"].map(
        {
            c: ctx.cal.index.get(str(e.from_), -1) if e.from_ else -1
            for c, e in pools.items()
        }
    )
    reason = np.select(
        [
            cskill.isna(),
            cskill != ex["skill"],
            ex["person"] != EXTERNAL_PREFIX + ex["skill"],
            ex["t"] < cfrom,
            ex["unit"] != "",
        ],
        [
            "contract '{contract}' is unknown",
            "contract '{contract}' is not of skill '{skill}'",
            "person '{person}' does not match skill '{skill}'",
            "contract '{contract}' is not available before its 'from' period",
            "external row has unit '{unit}' (must be empty)",
        ],
        "",
    )
    bad = ex[reason != ""].assign(reason=reason[reason != ""])
    bad = bad.assign(item=np.where(bad["contract"] != "", bad["contract"], bad["person"]))
    g = (
        bad.groupby(
            ["reason", "item", "contract", "person", "skill", "unit", "period"], sort=False
        )["hours"]
        .sum()
        .reset_index(name="amount")
    )
    for row in g.to_dict("records"):
        ctx.add(
            "external",
            row["item"],
            row["period"],
            row["reason"].format(**row) + f" ({row['amount']:.2f} h)",
            row["amount"],
        )
    ok = ex[cskill.notna() & ex["t"].notna()]
    tot = totals(ok, ["contract", "period"])
    limit = (
        tot["contract"]
        .map({c: e.max_fte * ctx.cal.hours_per_fte for c, e in pools.items()})
        .astype(float)
    )
    ctx.add_over(
        "external_capacity",
        tot,
        limit,
        "contract",
        "{sum:.2f} h planned, limit {limit:.2f} h (max_fte x hours_per_fte)",
    )


def check_budgets(ctx: Context, a: pd.DataFrame) -> None:
    """Rules 13 and 14: total budget and unit budgets."""
    ex = a[a["ext"]]
    rate = ex["contract"].map(contract_rates(ctx.sc)).fillna(0.0).to_numpy(dtype=float)
    ex = ex.assign(cost=ex["hours"].to_numpy() * rate, slack=MONEY_HOURS * rate)
    budget = ctx.sc.policy.budget
    if budget is not None and not isinstance(budget, dict):  # per year: checker.years
        spend = sum(ctx.inits[i].cost for i in ctx.selected) + float(ex["cost"].sum())
        tol = MONEY_ABS + MONEY_REL * budget + float(ex["slack"].sum())
        if spend - budget > tol:
            ctx.add(
                "budget",
                "policy",
                None,
                f"spend {spend:.2f} (initiatives + contractors) exceeds budget {budget:.2f}",
                spend - budget,
            )
    by_unit = ex.groupby("for_unit")[["cost", "slack"]].sum()
    for unit in ctx.sc.units:
        if unit.budget is None or isinstance(unit.budget, dict):  # per year: checker.years
            continue
        own = sum(ctx.inits[i].cost for i in ctx.selected if ctx.inits[i].sponsor == unit.id)
        ext = float(by_unit["cost"].get(unit.id, 0.0))
        slack = float(by_unit["slack"].get(unit.id, 0.0))
        spend = own + ext
        if spend - unit.budget > MONEY_ABS + MONEY_REL * unit.budget + slack:
            ctx.add(
                "unit_budget",
                unit.id,
                None,
                f"spend {spend:.2f} (initiatives {own:.2f} + contractors {ext:.2f}) "
                f"exceeds budget {unit.budget:.2f}",
                spend - unit.budget,
            )
