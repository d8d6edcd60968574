"""Period labels and their numbers, for every kind of period."""

from __future__ import annotations

import pytest

from models.scenario import Horizon
from planner.problem.calendar import Calendar, PeriodError, labels


@pytest.mark.parametrize(("kind", "start", "n", "expected"), [
    ("month", "2027-11", 3, ["2027-11", "2027-12", "2028-01"]),
    ("quarter", "2027-Q3", 3, ["2027-Q3", "2027-Q4", "2028-Q1"]),
    # 2026 has 53 ISO weeks: W53 comes before 2027-W01
    ("week", "2026-W52", 3, ["2026-W52", "2026-W53", "2027-W01"]),
    ("index", None, 3, ["1", "2", "3"]),
    ("index", "5", 2, ["5", "6"]),
])
def test_labels(kind, start, n, expected):
    assert labels(Horizon(start=start, periods=n, period=kind)) == expected


@pytest.mark.parametrize(("kind", "start"), [
    ("month", "2027-13"), ("month", "27-01"), ("quarter", "2027-Q5"), ("week", "2027-W54"),
    ("week", None), ("index", "one"),
])
def test_bad_start_is_named(kind, start):
    with pytest.raises(PeriodError, match="start is required" if start is None else start):
        labels(Horizon(start=start, periods=2, period=kind))


def test_of_and_outside_the_horizon():
    cal = Calendar(Horizon(start="2027-01", periods=12, period="month"))
    assert len(cal) == 12 and cal.of("2027-03") == 2
    with pytest.raises(PeriodError, match=r"'2028-01' is outside the horizon 2027-01 \.\. 2027-12"):
        cal.of("2028-01")
