"""Field types, the base model and the value checks the scenario models share.

The checks are plain functions so that each model's validators can call them;
what they refuse is worded for the person who wrote the YAML.
"""

from __future__ import annotations

import math
import typing
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

PeriodLabel = Annotated[str, Field(min_length=1)]


def to_label(value: object) -> object:
    """Accept integer period labels (``period: index``) as strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def within(values: typing.Collection[float], low: float, high: float,
           low_open: bool = False) -> bool:
    """All ``values`` finite and in ``[low, high]`` (``(low, high]``), decided in C: this
    runs for each of a million people. False means: look at them one by one."""
    if not values or not math.isfinite(sum(values)):  # a finite sum: no inf, no nan
        return False
    least = min(values)
    return (least > low if low_open else least >= low) and max(values) <= high


def finite(value: float, what: str = "value") -> float:
    """``value`` itself; an error naming ``what`` when it is inf or nan."""
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value}")
    return value


def calendar_year(year: int) -> int:
    """``year`` itself; an error when it is not a calendar year (1 to 9999)."""
    if not 1 <= year <= 9999:
        raise ValueError(f"{year} is not a calendar year")
    return year


Money = Annotated[float, Field(ge=0, le=1e15)]
#: money for the whole horizon, or per calendar year (issue 15)
Budget = Money | dict[int, Money]


def check_budget(v: Budget | None) -> Budget | None:
    """A budget is a finite amount >= 0, or a map calendar year -> such an amount."""
    if v is None:
        return None
    if isinstance(v, dict):
        for year, x in v.items():
            calendar_year(year)
            finite(x, f"budget for {year}")
        return dict(sorted(v.items()))
    return finite(v)


class Strict(BaseModel):
    """Base: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)
