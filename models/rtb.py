"""Run-the-business work: recurring hours per unit and skill, with a priority."""

from __future__ import annotations

import math
import typing
from typing import Literal

from pydantic import Field, field_validator

from models.fields import Strict

Priority = Literal["must", "high", "normal"]
#: RTB priorities, most important first
PRIORITIES: tuple[str, ...] = typing.get_args(Priority)


class RTBLine(Strict):
    """Run-the-business demand of one unit for one skill."""

    unit: str = Field(min_length=1, description="The unit whose staff do this work.")
    skill: str = Field(min_length=1, description="The skill the work needs.")
    hours: float | list[float] = Field(
        description="Hours PER PERIOD (not per year): one number for every period, or a "
        "list with one number per period."
    )
    priority: Priority = Field(
        default="high",
        description="must (hard) | high | normal (may fall short at a penalty, high costs "
        "more).",
    )
    sustains: list[str] = Field(
        default_factory=list,
        description="KPIs this recurring work keeps up; links RTB hours to goals in unit "
        "and individual plans.",
    )

    @field_validator("hours")
    @classmethod
    def _hours(cls, v: float | list[float]) -> float | list[float]:
        values = v if isinstance(v, list) else [v]
        for h in values:
            if not math.isfinite(h) or h < 0:
                raise ValueError(f"hours must be finite and >= 0, got {h}")
            if h > 1e9:
                raise ValueError(f"hours {h} is implausibly large (over 1e9)")
        return v
