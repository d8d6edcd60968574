"""The planning horizon: first period, how many, their length, hours per FTE."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.fields import PeriodLabel, Strict, finite, to_label

#: default ``hours_per_fte`` per kind of period (a quarter is three months of 140 h)
HOURS_PER_FTE = {"month": 140.0, "quarter": 420.0, "week": 140.0, "index": 140.0}


class Horizon(Strict):
    """The planning horizon cut into periods (one year, or several)."""

    start: PeriodLabel | None = Field(
        default=None,
        description="Label of the first period (2027-01, 2027-W01, 2027-Q1; 1 by default "
        "for `index`).",
    )
    periods: int = Field(gt=0, le=520, description="How many periods the plan covers.")
    period: Literal["month", "week", "quarter", "index"] = Field(
        default="month", description="Length of a period: month | week | quarter | index."
    )
    hours_per_fte: float = Field(
        default=140.0, gt=0, le=10_000,
        description="Hours one full-time person gives per period; default 140 (420 with "
        "period: quarter, three months of 140).",
    )

    _lbl = field_validator("start", mode="before")(to_label)

    @model_validator(mode="before")
    @classmethod
    def _default_hours(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("hours_per_fte") is None:
            kind = data.get("period", "month")
            if isinstance(kind, str) and kind in HOURS_PER_FTE:
                data = {**data, "hours_per_fte": HOURS_PER_FTE[kind]}
        return data

    @field_validator("hours_per_fte")
    @classmethod
    def _fin(cls, v: float) -> float:
        return finite(v)
