"""The checker's report: violations of hard rules, notes, and the tolerances it compares with.

Tolerances
----------
Plans are written with hours rounded to 4 decimals, so a rounded sum of n rows may
be off by a little per row. Hours are compared with a slack of ``HOURS_ABS``
(0.01 h) + ``HOURS_ROW`` (0.005 h) for every summed row beyond the second +
``HOURS_REL`` (1e-6) x the limit. Money is compared with ``MONEY_ABS`` (0.01) +
``MONEY_REL`` (1e-9) x the limit + ``MONEY_HOURS`` (0.00005 h, the most a figure
written with 4 decimals is off) x the hourly rate of every contractor row summed: no
wider, so that a real breach of two cents shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

HOURS_ABS = 0.01
HOURS_ROW = 0.005
HOURS_REL = 1e-6
MONEY_ABS = 0.01
MONEY_REL = 1e-9
MONEY_HOURS = 0.00005

@dataclass(frozen=True)
class Violation:
    """One broken hard rule: its ``rule`` family (e.g. ``capacity``, see
    :mod:`planner.checker`), the offending ``item`` (initiative, person, unit, contract
    or file), the ``period`` label (None when the rule is not about one period), a
    human-readable ``message``, and the ``amount`` the plan is off by (hours, money,
    periods; 1 for yes/no rules)."""

    rule: str
    item: str
    period: str | None
    message: str
    amount: float

    def __str__(self) -> str:
        where = f"{self.item} @ {self.period}" if self.period is not None else self.item
        return f"[{self.rule}] {where}: {self.message} (off by {self.amount:g})"


@dataclass
class CheckReport:
    """Result of checking a plan: violations of hard rules and informational notes."""

    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    def rules(self) -> dict[str, int]:
        """Number of violations per rule."""
        out: dict[str, int] = {}
        for v in self.violations:
            out[v.rule] = out.get(v.rule, 0) + 1
        return out

    def to_frame(self) -> pd.DataFrame:
        """Violations as a DataFrame (rule, item, period, message, amount)."""
        cols = ["rule", "item", "period", "message", "amount"]
        return pd.DataFrame([[getattr(v, c) for c in cols] for v in self.violations], columns=cols)

    def to_text(self, limit: int = 20) -> str:
        """Readable report; at most ``limit`` violations are listed per rule."""
        lines = []
        if self.ok:
            lines.append("plan OK: every hard rule holds")
        else:
            counts = self.rules()
            summary = ", ".join(f"{r}: {n}" for r, n in counts.items())
            lines.append(f"plan INVALID: {len(self.violations)} violation(s) ({summary})")
            shown: dict[str, int] = {}
            for v in self.violations:
                shown[v.rule] = shown.get(v.rule, 0) + 1
                if shown[v.rule] <= limit:
                    lines.append(f"  {v}")
                elif shown[v.rule] == limit + 1:
                    lines.append(f"  [{v.rule}] ... and {counts[v.rule] - limit} more")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def htol(limit: np.ndarray | float, rows: np.ndarray | float = 1) -> np.ndarray:
    """Slack allowed when comparing a sum of ``rows`` rounded hours with ``limit``."""
    return HOURS_ABS + HOURS_ROW * np.maximum(np.asarray(rows) - 2, 0) + HOURS_REL * np.abs(limit)
