"""What the rule families of the checker share: the scenario, the report, the schedule read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from models.scenario import Person, Scenario
from planner.checker.report import CheckReport, Violation, htol
from planner.io.files import ReadOptions
from planner.problem.calendar import Calendar

EXTERNAL_PREFIX = "external:"
RTB_PREFIX = "rtb:"


def per_value(s: pd.Series, f: Callable[[str], object], dtype: type) -> np.ndarray:
    """``f`` applied to each distinct value of ``s`` (fast on long, repetitive columns)."""
    codes, uniques = pd.factorize(s)
    return np.array([f(u) for u in uniques], dtype=dtype)[codes]


def totals(rows: pd.DataFrame, keys: list[str], column: str = "hours") -> pd.DataFrame:
    """``column`` of ``rows`` summed per ``keys``: the keys, ``sum`` and ``size`` (rows)."""
    return rows.groupby(keys, sort=False)[column].agg(["sum", "size"]).reset_index()


@dataclass
class Context:
    """One check of one plan folder: inputs, findings so far, and the schedule read."""

    sc: Scenario
    dir: Path
    options: ReadOptions = field(default_factory=ReadOptions.from_env)
    report: CheckReport = field(default_factory=CheckReport)
    #: chosen initiatives (portfolio.csv)
    selected: set[str] = field(default_factory=set)
    #: chosen initiatives with a readable schedule: (start, finish) period numbers
    window: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cal = Calendar(self.sc.horizon)
        self.inits = {i.id: i for i in reversed(self.sc.initiatives)}

    def add(self, rule: str, item: str, period: str | None, message: str, amount: float) -> None:
        self.report.violations.append(Violation(rule, str(item), period, message, float(amount)))

    def add_rows(
        self, rule: str, df: pd.DataFrame, item: str, period: str | None, fmt: str
    ) -> None:
        """One violation per row of ``df``; ``fmt`` is formatted with the row's columns."""
        for row in df.to_dict("records"):
            self.add(
                rule,
                row[item],
                None if period is None else row[period],
                fmt.format(**row),
                row["amount"],
            )

    def add_over(self, rule: str, tot: pd.DataFrame, limit: pd.Series | np.ndarray,
                 item: str, fmt: str) -> None:
        """One violation per (item, period) row of ``tot`` (see :func:`totals`) whose
        ``sum`` of hours passes ``limit`` by more than the hour tolerance; ``fmt`` may
        name ``sum``, ``limit`` and ``amount`` (the excess)."""
        tot = tot.assign(limit=limit, amount=tot["sum"] - limit)
        over = tot[tot["amount"] > htol(limit, tot["size"])]
        self.add_rows(rule, over, item, "period", fmt)

    def add_short(self, rule: str, m: pd.DataFrame, need: str, item: str, fmt: str) -> None:
        """One violation per (item, period) row of ``m`` (see
        :func:`planner.checker.demand.merge_delivered`) whose ``delivered`` hours fall
        short of its ``need`` column by more than the hour tolerance; ``fmt`` may name
        ``amount`` (the shortfall)."""
        m = m.assign(amount=m[need] - m["delivered"])
        self.add_rows(rule, m[m["amount"] > htol(m[need], m["rows"])], item, "period", fmt)

    def proficiencies(self, p: Person) -> dict[str, float]:
        """Skills a person may work in: their own, and wished ones at learner proficiency."""
        learner = self.sc.policy.development.learner_proficiency
        out = {k: learner for k in p.develop}
        out.update(p.skills)
        return out

    def staff(self) -> list[Person]:
        """The staff, the first of each id."""
        seen: dict[str, Person] = {}
        for p in self.sc.staff:
            seen.setdefault(p.id, p)
        return list(seen.values())

    def capacity(self, df: pd.DataFrame) -> np.ndarray:
        """Capacity (hours) of each (person, period) row of ``df``; NaN for unknown people."""
        hpf = self.cal.hours_per_fte
        base = {p.id: hpf * p.fte for p in self.staff()}
        avail = pd.DataFrame(
            [(p.id, lbl, x) for p in self.staff() for lbl, x in p.availability.items()],
            columns=["person", "period", "avail"],
        ).astype({"person": df["person"].dtype, "period": df["period"].dtype})
        m = df[["person", "period"]].merge(avail, on=["person", "period"], how="left")
        return df["person"].map(base).to_numpy(dtype=float) * m["avail"].fillna(1.0).to_numpy()
