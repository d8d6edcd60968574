"""Horizon labels and period arithmetic.

Periods are numbered 0 .. N-1 inside the engine; users only ever see labels:
``month`` -> ``2027-01``, ``week`` -> ``2027-W01``, ``quarter`` -> ``2027-Q1``,
``index`` -> ``1`` .. ``N``.
"""

from __future__ import annotations

import datetime as dt
import re

from models.scenario import Horizon

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")

_EXAMPLE = {"month": "2027-01", "week": "2027-W01", "quarter": "2027-Q1", "index": "1"}


class PeriodError(ValueError):
    """A period label that does not fit the horizon."""


def example_label(kind: str) -> str:
    """An example label of this kind, for error messages."""
    return _EXAMPLE[kind]


def labels(horizon: Horizon) -> list[str]:
    """All period labels of the horizon, in order.

    Raises
    ------
    PeriodError
        When ``start`` is not a label of the horizon's kind.
    """
    n, kind = horizon.periods, horizon.period
    start = horizon.start
    if kind == "index":
        first = 1 if start is None else _int(start)
        return [str(first + k) for k in range(n)]
    if start is None:
        raise PeriodError(f"start is required for period '{kind}' (e.g. {_EXAMPLE[kind]})")
    if kind == "month":
        m = _MONTH.match(start)
        if not m or not 1 <= int(m[2]) <= 12:
            raise PeriodError(f"'{start}' is not a month label like {_EXAMPLE[kind]}")
        y, mo = int(m[1]), int(m[2]) - 1
        return [f"{y + (mo + k) // 12:04d}-{(mo + k) % 12 + 1:02d}" for k in range(n)]
    if kind == "quarter":
        m = _QUARTER.match(start)
        if not m:
            raise PeriodError(f"'{start}' is not a quarter label like {_EXAMPLE[kind]}")
        y, q = int(m[1]), int(m[2]) - 1
        return [f"{y + (q + k) // 4:04d}-Q{(q + k) % 4 + 1}" for k in range(n)]
    m = _WEEK.match(start)
    try:
        if not m:
            raise ValueError
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise PeriodError(f"'{start}' is not an ISO week label like {_EXAMPLE[kind]}") from None
    out = []
    for k in range(n):
        iso = (monday + dt.timedelta(weeks=k)).isocalendar()
        out.append(f"{iso.year:04d}-W{iso.week:02d}")
    return out


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise PeriodError(f"'{text}' is not a whole number (period: index)") from None


def periods_of(n: int, availability: dict[str, float], inside: set[str]) -> float:
    """A person's time in a horizon of ``n`` periods (labels ``inside``), in periods:
    ``n`` less what the ``availability`` shares in the horizon take away.

    Summed in C when every label is in the horizon (the usual case: validation sums
    it for up to a million people).
    """
    if not availability:
        return n
    if inside.issuperset(availability):
        return n - len(availability) + sum(availability.values())
    return n + sum(a - 1.0 for lab, a in availability.items() if lab in inside)


class Calendar:
    """Maps labels to period numbers for one horizon."""

    def __init__(self, horizon: Horizon) -> None:
        self.horizon = horizon
        self.labels = labels(horizon)
        self.index = {label: k for k, label in enumerate(self.labels)}
        self.hours_per_fte = horizon.hours_per_fte

    def __len__(self) -> int:
        return len(self.labels)

    def of(self, label: str) -> int:
        """Period number of ``label``.

        Raises
        ------
        PeriodError
            When the label is not in the horizon.
        """
        try:
            return self.index[str(label)]
        except KeyError:
            first, last = self.labels[0], self.labels[-1]
            raise PeriodError(
                f"period '{label}' is outside the horizon {first} .. {last}"
            ) from None
