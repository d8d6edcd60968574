"""Horizon labels and period arithmetic.

Periods are numbered 0 .. N-1 inside the engine; users only ever see labels:
``month`` -> ``2027-01``, ``week`` -> ``2027-W01``, ``quarter`` -> ``2027-Q1``,
``index`` -> ``1`` .. ``N``.

Calendar years (issue 15: per-year budgets and targets, discounting): a month or
a quarter belongs to the year of its label; a week to its ISO week-numbering
year (``2026-W53`` is in 2026 even where its days fall in January 2027), so
every period lies in exactly one year. ``index`` periods have no calendar:
per-year fields are refused there.
"""

from __future__ import annotations

import datetime as dt
import re

from models.scenario import Horizon

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")

_EXAMPLE = {"month": "2027-01", "week": "2027-W01", "quarter": "2027-Q1", "index": "1"}

#: length of one period in years (for discounting): ISO weeks are 7 days of 365.2425
YEAR_FRACTION = {"month": 1 / 12, "quarter": 1 / 4, "week": 7 / 365.2425}


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

    @property
    def has_years(self) -> bool:
        """True when periods belong to calendar years (every kind but ``index``)."""
        return self.horizon.period != "index"

    @property
    def period_years(self) -> list[int]:
        """Calendar year of each period (the year in its label; ISO year for weeks).

        Raises
        ------
        PeriodError
            For ``period: index``, whose periods have no calendar year.
        """
        if not self.has_years:
            raise PeriodError("periods of kind 'index' have no calendar year")
        return [int(label[:4]) for label in self.labels]

    @property
    def years(self) -> list[int]:
        """Calendar years the horizon touches, in order (empty for ``index``)."""
        return sorted(set(self.period_years)) if self.has_years else []

    def periods_of(self, year: int) -> list[int]:
        """Period numbers that fall in calendar ``year`` (empty when outside the horizon)."""
        return [t for t, y in enumerate(self.period_years) if y == year]

    def year_end(self, year: int) -> int:
        """The last period of ``year`` in the horizon.

        Raises
        ------
        PeriodError
            When no period of the horizon falls in ``year``.
        """
        ts = self.periods_of(year)
        if not ts:
            first, last = self.years[0], self.years[-1]
            raise PeriodError(f"year {year} is outside the horizon ({first} .. {last})")
        return ts[-1]

    @property
    def period_length(self) -> float:
        """Length of one period in years (discounting).

        Raises
        ------
        PeriodError
            For ``period: index``.
        """
        if not self.has_years:
            raise PeriodError("periods of kind 'index' have no length in years")
        return YEAR_FRACTION[self.horizon.period]

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
