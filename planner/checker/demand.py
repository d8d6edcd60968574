"""What the scenario asks of the plan, as the checker reads it, and what the plan delivers.

Shared by the rule families of the independent checker (:mod:`planner.checker`):
RTB demand by priority and how delivered hours fill it, the hours an unphased
initiative's effort lines need per active period, what each contract costs, and
needs merged against the delivered hours of the plan's rows. Like the rest of the
checker it reads the scenario alone, never :mod:`planner.problem` or the formulation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from models.scenario import PRIORITIES, External, Initiative, Scenario


def rtb_demand(sc: Scenario, n: int) -> dict[tuple[str, str], np.ndarray]:
    """RTB hours per (unit, skill): an array of 3 rows (must, high, normal) x ``n`` periods.

    Lines whose list of hours is not ``n`` long are left out (the validator rejects them).
    """
    demand: dict[tuple[str, str], np.ndarray] = {}
    for ln in sc.run_the_business:
        hrs = ln.hours if isinstance(ln.hours, list) else [ln.hours] * n
        if len(hrs) != n:
            continue
        arr = demand.setdefault((ln.unit, ln.skill), np.zeros((3, n)))
        arr[PRIORITIES.index(ln.priority)] += np.asarray(hrs, dtype=float)
    return demand


def rtb_shortfalls(need: Sequence[pd.Series] | np.ndarray, got: pd.Series | float
                   ) -> tuple[pd.Series | float, pd.Series | float, pd.Series | float]:
    """Hours short of each priority when ``got`` delivered hours fill ``need`` (must,
    high, normal) in that order; element-wise on columns."""
    must, high, normal = need
    left = np.maximum(got - must, 0.0)
    left_normal = np.maximum(left - high, 0.0)
    return (np.maximum(must - np.maximum(got, 0.0), 0.0), np.maximum(high - left, 0.0),
            np.maximum(normal - left_normal, 0.0))


def line_hours(init: Initiative) -> dict[tuple[str, str], float]:
    """An unphased initiative's effort per (unit, skill), lines of the same pair merged."""
    lines: dict[tuple[str, str], float] = {}
    for line in init.effort:
        lines[(line.unit, line.skill)] = lines.get((line.unit, line.skill), 0.0) + line.hours
    return lines


def contracts(sc: Scenario) -> dict[str, External]:
    """The contractor pools by contract id, the first of each id."""
    out: dict[str, External] = {}
    for cid, e in zip(sc.external_ids(), sc.external, strict=True):
        out.setdefault(cid, e)
    return out


def contract_rates(sc: Scenario) -> dict[str, float]:
    """Cost per hour of each contract id (the first pool of each id)."""
    return {cid: e.cost_per_hour for cid, e in contracts(sc).items()}


def merge_delivered(need: pd.DataFrame, rows: pd.DataFrame, keys: Sequence[str]
                    ) -> pd.DataFrame:
    """``need`` (one row per ``keys``) with the ``delivered`` hours of the matching
    ``rows`` summed and the number of ``rows`` summed (both 0 where none match)."""
    keys = list(keys)
    got = (
        rows.groupby(keys, sort=False)
        .agg(delivered=("delivered", "sum"), rows=("delivered", "size"))
        .reset_index()
    )
    need = need.astype({c: rows[c].dtype for c in keys})
    m = need.merge(got, on=keys, how="left")
    m[["delivered", "rows"]] = m[["delivered", "rows"]].fillna(0.0)
    return m


def contractor_rows(sc: Scenario, a: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The contractor rows of the prepared assignments ``a`` inside the horizon, the cost
    per hour of each (0 for an unknown contract) and its period number."""
    ex = a[a["ext"] & a["t"].notna()]
    rate = ex["contract"].map(contract_rates(sc)).fillna(0.0).to_numpy(dtype=float)
    return ex, rate, ex["t"].to_numpy(dtype=int)
