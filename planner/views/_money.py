"""Money of a plan in whole cents, so that every money table adds up exactly.

Amounts are computed in full precision, then rounded to cents group by group
(a group is one category of one piece of work, e.g. the non-labour cost of one
initiative) with the largest-remainder method: each group's rows sum exactly to
the group's total rounded to cents. Every money view and the summary are sums
of these cents, so they agree to the cent.

Rounding alone must never show a plan that keeps its budget as over it (three
amounts of x.xx6 each round up). So when the spend of a budget's scope (a unit
with a ``budget``, then the whole plan against ``policy.budget``) comes to more
cents than the budget while its exact amount is within the budget (up to what
hours written with 4 decimals can add, :data:`WRITTEN_HOURS` per row, priced),
the surplus cents are taken back from the rows rounded up the most. A real breach
is shown as it is. Each row stays within two cents of its exact amount.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from models.plan import Plan
from planner.views._common import PlanFacts

CATEGORIES = ("internal_labour", "external", "non_labour")
#: categories that are incremental spend (what budgets limit)
SPEND = ("non_labour", "external")
#: largest difference between an hour figure and its value written with 4 decimals
WRITTEN_HOURS = 0.00005

COLUMNS = [
    "category", "unit", "staff_unit", "work", "initiative", "objective", "period", "hours",
    "cents",
]


def allocate_cents(amounts: list[float]) -> list[int]:
    """Round ``amounts`` to whole cents so that they sum to their rounded total exactly.

    Largest remainder: every amount is floored, then the cents left over go one
    by one to the largest fractional parts (ties to the earlier amount).
    """
    raw = [a * 100.0 for a in amounts]
    total = round(math.fsum(raw))
    floors = [math.floor(x + 1e-9) for x in raw]
    left = total - sum(floors)
    order = sorted(range(len(raw)), key=lambda k: (-(raw[k] - floors[k]), k))
    if left >= 0:
        for k in order[:left]:
            floors[k] += 1
    else:  # only possible through float noise: take back from the smallest remainders
        for k in reversed(order[left:]):
            floors[k] -= 1
    return floors


def money_rows(plan: Plan, f: PlanFacts) -> pd.DataFrame:
    """Every piece of money of the plan, in cents (see the module docstring).

    Computed once per :class:`PlanFacts` and shared: do not modify the frame.
    """
    return f.memoised("money_rows", lambda: _money_rows(plan, f))


def _money_rows(plan: Plan, f: PlanFacts) -> pd.DataFrame:
    a = f.assignments
    staff = plan.scenario.staff
    rate = {p.id: p.cost_per_hour for p in staff}
    # (category, unit, staff_unit, work, initiative, objective, t, hours, amount)
    raw: list[tuple] = []

    def split(category: str, unit: str, staff_unit: str, work: str, iid: str, t: int,
              hours: float, amount: float) -> None:
        shares = f.objective_shares(iid) if iid else {}
        if not shares:
            raw.append((category, unit, staff_unit, work, iid, "", t, hours, amount))
            return
        for obj, sh in shares.items():
            raw.append((category, unit, staff_unit, work, iid, obj, t, hours * sh, amount * sh))

    staff_rows = a[~a["external"]]
    cost = staff_rows["hours"] * staff_rows["person"].map(rate).astype(float)
    lab = (
        staff_rows.assign(amount=cost)
        .groupby(["for_unit", "unit", "work", "initiative", "t"], sort=False)[["hours", "amount"]]
        .sum()
    )
    for (u, su, work, iid, t), r in lab.iterrows():
        split("internal_labour", u, su, work, iid, int(t), float(r["hours"]), float(r["amount"]))

    ext_rows = a[a["external"]]
    ecost = ext_rows["hours"] * ext_rows["contract"].map(f.ext_rate).astype(float)
    ext = (
        ext_rows.assign(amount=ecost)
        .groupby(["for_unit", "work", "initiative", "t"], sort=False)[["hours", "amount"]]
        .sum()
    )
    for (u, work, iid, t), r in ext.iterrows():
        split("external", u, "", work, iid, int(t), float(r["hours"]), float(r["amount"]))

    for r in plan.initiatives:
        if not r.selected or r.id not in f.starts or r.cost <= 0:
            continue
        s, fin = f.starts[r.id]
        n = fin - s + 1
        for t in range(s, fin + 1):
            split("non_labour", r.sponsor or "", "", r.id, r.id, t, 0.0, r.cost / n)

    frame = pd.DataFrame(
        raw, columns=["category", "unit", "staff_unit", "work", "initiative", "objective", "t",
                      "hours", "amount"]
    )
    cents = [0] * len(frame)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, (cat, work) in enumerate(zip(frame["category"], frame["work"], strict=True)):
        groups[(cat, work)].append(k)
    amounts = frame["amount"].tolist()
    for idx in groups.values():
        for k, c in zip(idx, allocate_cents([amounts[k] for k in idx]), strict=True):
            cents[k] = c
    _keep_budgets(plan, f, frame, cents)
    frame["cents"] = pd.Series(cents, index=frame.index, dtype="int64")
    frame["period"] = [f.labels[t] for t in frame["t"]]
    cat_order = {c: k for k, c in enumerate(CATEGORIES)}
    frame = frame.assign(_c=frame["category"].map(cat_order))
    frame = frame.sort_values(["_c", "unit", "work", "objective", "t", "staff_unit"], kind="stable")
    return frame[COLUMNS + ["t"]].reset_index(drop=True)


def _keep_budgets(plan: Plan, f: PlanFacts, frame: pd.DataFrame, cents: list[int]) -> None:
    """Take back cents that rounding added over a budget the plan keeps (in place)."""
    spend = frame["category"].isin(SPEND).to_numpy()
    amounts = frame["amount"].to_numpy(dtype=float)
    units = frame["unit"].to_numpy()
    ext = f.assignments[f.assignments["external"]]
    ext_rates = ext["contract"].map(f.ext_rate).astype(float)
    scopes: list[tuple[float, str | None]] = [
        (u.budget, u.id) for u in plan.scenario.units if u.budget is not None
    ]
    if plan.scenario.policy.budget is not None:
        scopes.append((float(plan.scenario.policy.budget), None))
    for limit, unit in scopes:
        rows = [k for k in range(len(cents)) if spend[k] and (unit is None or units[k] == unit)]
        limit_cents = math.floor(limit * 100 + 1e-6)
        excess = sum(cents[k] for k in rows) - limit_cents
        if excess <= 0:
            continue
        rates = ext_rates if unit is None else ext_rates[ext["for_unit"] == unit]
        slack = 0.01 + 1e-9 * limit + WRITTEN_HOURS * float(rates.sum())
        if math.fsum(amounts[k] for k in rows) > limit + slack:
            continue  # a real breach: shown as it is
        order = sorted(rows, key=lambda k: (-(cents[k] - amounts[k] * 100), k))
        while excess > 0 and any(cents[k] > 0 for k in order):
            for k in order:
                if excess <= 0:
                    break
                if cents[k] > 0:
                    cents[k] -= 1
                    excess -= 1


def to_money(cents: int | float) -> float:
    """Cents as a money amount with 2 decimals."""
    return round(int(cents) / 100.0, 2)
