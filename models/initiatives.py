"""Change initiatives: effort, phases, ratings against objectives, review status."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.fields import PeriodLabel, Strict, finite, to_label

#: Numeric value of each rating word in ``contributes``.
RATINGS: dict[str, float] = {
    "none": 0.0,
    "low": 0.25,
    "moderate": 0.5,
    "strong": 0.75,
    "extreme": 1.0,
}


class EffortLine(Strict):
    """Total hours an initiative needs from one unit in one skill."""

    unit: str = Field(min_length=1, description="The unit whose staff do the work.")
    skill: str = Field(min_length=1, description="The skill the work needs.")
    hours: float = Field(
        ge=0, le=1e9,
        description="Total hours over the initiative's duration (spread evenly).",
    )

    @field_validator("hours")
    @classmethod
    def _fin(cls, v: float) -> float:
        return finite(v)


class Phase(Strict):
    """One phase of an initiative (issue 15): its own duration and effort.

    Phases run back to back in the order listed; each effort line of a phase is
    spread evenly over the phase's periods and fully staffed in each of them.
    """

    name: str = Field(
        min_length=1, pattern=r"^[^.]+$",
        description="Name of the phase, unique in the initiative (depends_on: [id.name]).",
    )
    duration: int = Field(ge=1, le=520, description="Periods the phase lasts.")
    effort: list[EffortLine] = Field(
        default_factory=list,
        description="Total hours of the phase by unit and skill, spread evenly over it.",
    )
    gap_max: int = Field(
        default=0, ge=0, le=520,
        description="Most periods allowed between the end of the previous phase and this "
        "one. Only 0 (back to back) is supported so far.",
    )

    @field_validator("duration", mode="before")
    @classmethod
    def _whole(cls, v: object) -> object:
        return _whole_periods(v)

    @property
    def total_hours(self) -> float:
        """Total effort hours of the phase."""
        return float(sum(line.hours for line in self.effort))


def _whole_periods(v: object) -> object:
    if isinstance(v, float):
        if not math.isfinite(v) or v != int(v):
            raise ValueError(f"duration must be a positive whole number of periods, got {v}")
        return int(v)
    return v


Rating = Literal["none", "low", "moderate", "strong", "extreme"] | float

#: Review status of an initiative (issue 14): ``committed`` behaves as mandatory,
#: ``rejected`` as ``pin: out``; ``proposed`` and ``approved`` are candidates.
InitiativeStatus = Literal["proposed", "approved", "committed", "rejected"]


def _check_rating(r: Rating, what: str) -> None:
    if not isinstance(r, str) and (not math.isfinite(r) or r < 0 or r > 1):
        raise ValueError(
            f"rating for '{what}' must be none|low|moderate|strong|extreme "
            f"or a number in [0, 1], got {r}"
        )


class Initiative(Strict):
    """A change initiative that may be chosen and scheduled."""

    id: str = Field(min_length=1, description="Unique id of the initiative.")
    name: str | None = Field(default=None, description="Display name (default: the id).")
    sponsor: str | None = Field(default=None, description="The unit that owns it.")
    contributes: dict[str, Rating] = Field(
        default_factory=dict,
        description="Value path to objectives: objective id -> none | low | moderate | "
        "strong | extreme, or a number in [0, 1].",
    )
    kpi_impacts: dict[str, float] = Field(
        default_factory=dict, description="Expected KPI change when delivered: KPI id -> change."
    )
    value: float = Field(
        default=0.0, ge=0, le=1e15, description="Benefit when delivered (money)."
    )
    cost: float = Field(
        default=0.0, ge=0, le=1e15,
        description="Non-labour spend (money), spread evenly over its periods.",
    )
    duration: int = Field(default=1, ge=1, le=520, description="Periods it runs (>= 1).")
    earliest_start: PeriodLabel | None = Field(
        default=None, description="First period it may start in (default: the first)."
    )
    deadline: PeriodLabel | None = Field(
        default=None, description="It must finish by the end of this period."
    )
    mandatory: bool = Field(
        default=False, description="Must be in the plan (regulatory, committed)."
    )
    depends_on: list[str] = Field(
        default_factory=list, description="Initiatives that must finish before it starts."
    )
    exclusive_with: list[str] = Field(
        default_factory=list, description="At most one of it and these is chosen."
    )
    effort: list[EffortLine] = Field(
        default_factory=list, description="Total hours by unit and skill (may be empty)."
    )
    # extensions (issue 5): force in/out, or fix the start period
    pin: Literal["in", "out"] | None = Field(
        default=None, description="in: force into the plan; out: keep out of it."
    )
    start: PeriodLabel | None = Field(default=None, description="Fix the start period.")
    # extension (issue 14): review status, see docs/gathering.md
    status: InitiativeStatus = Field(
        default="proposed",
        description="proposed | approved | committed | rejected: committed is planned like "
        "mandatory, rejected like pin: out.",
    )
    # several years (issue 15): phases, spend over time, benefits over time
    phases: list[Phase] = Field(
        default_factory=list,
        description="Phases run back to back instead of one duration and effort; "
        "duration is then the sum of the phases' durations.",
    )
    cost_profile: list[float] | None = Field(
        default=None,
        description="Shares of `cost` (summing to 1) per phase, or per active period; "
        "default: spread evenly over the active periods.",
    )
    value_per_period: float = Field(
        default=0.0, ge=0, le=1e15,
        description="Benefit (money) in each period after delivery, from the period after the "
        "finish to the end of the horizon (ramped by value_ramp); counted with objective: "
        "value and in the NPV.",
    )
    value_ramp: int = Field(
        default=0, ge=0, le=520,
        description="Periods over which value_per_period ramps up linearly after delivery "
        "(1/n of it in the first period, 2/n in the second, ...); 0 or 1: in full at once.",
    )

    _lbl = field_validator("earliest_start", "deadline", "start", mode="before")(to_label)

    @model_validator(mode="before")
    @classmethod
    def _phased(cls, data: object) -> object:
        """A phased initiative's duration is the sum of its phases' (given or derived)."""
        if not isinstance(data, dict) or not data.get("phases"):
            return data
        phases = data["phases"]
        if not isinstance(phases, list):
            return data
        try:
            total = sum(int(p.duration if isinstance(p, Phase) else p["duration"])
                        for p in phases)
        except (KeyError, TypeError, ValueError):
            return data  # the phase itself reports what is wrong
        given = data.get("duration")
        if given is not None and given != total:
            raise ValueError(
                f"duration {given} differs from the sum of the phase durations ({total}): "
                "give phases or duration, not both"
            )
        if data.get("effort"):
            raise ValueError(
                "give the effort of each phase (phases[].effort), not effort beside phases"
            )
        return {**data, "duration": total}

    @field_validator("duration", mode="before")
    @classmethod
    def _whole(cls, v: object) -> object:
        return _whole_periods(v)

    @field_validator("phases")
    @classmethod
    def _names(cls, v: list[Phase]) -> list[Phase]:
        seen: set[str] = set()
        for p in v:
            if p.name in seen:
                raise ValueError(f"phase name '{p.name}' is used twice")
            seen.add(p.name)
        return v

    @field_validator("cost_profile")
    @classmethod
    def _shares(cls, v: list[float] | None) -> list[float] | None:
        if v is None:
            return None
        if not v:
            raise ValueError("cost_profile needs at least one share")
        for x in v:
            if not math.isfinite(x) or x < 0:
                raise ValueError(f"cost_profile shares must be finite and >= 0, got {x}")
        if abs(math.fsum(v) - 1.0) > 1e-6:
            raise ValueError(f"cost_profile shares must sum to 1, they sum to {math.fsum(v):g}")
        return v

    @field_validator("value_per_period")
    @classmethod
    def _vpp(cls, v: float) -> float:
        return finite(v)

    @field_validator("contributes")
    @classmethod
    def _ratings(cls, v: dict[str, Rating]) -> dict[str, Rating]:
        for obj, r in v.items():
            _check_rating(r, obj)
        return v

    @field_validator("kpi_impacts")
    @classmethod
    def _impacts(cls, v: dict[str, float]) -> dict[str, float]:
        for kpi, x in v.items():
            finite(x, f"impact on '{kpi}'")
        return v

    @field_validator("value", "cost")
    @classmethod
    def _fin(cls, v: float) -> float:
        return finite(v)

    def rating(self, objective: str) -> float:
        """Numeric rating in [0, 1] of this initiative's contribution to ``objective``."""
        r = self.contributes.get(objective, 0.0)
        return RATINGS[r] if isinstance(r, str) else float(r)

    @property
    def total_hours(self) -> float:
        """Total effort hours over all lines (of every phase)."""
        return float(sum(line.hours for line in self.all_effort))

    @property
    def all_effort(self) -> list[EffortLine]:
        """Every effort line: ``effort``, or the lines of every phase in order."""
        if self.phases:
            return [line for p in self.phases for line in p.effort]
        return list(self.effort)


class StakeholderRating(Strict):
    """One stakeholder's rating of one initiative's contribution to one objective (issue 14)."""

    stakeholder: str = Field(min_length=1, description="Who rated.")
    initiative: str = Field(min_length=1, description="The initiative rated.")
    objective: str = Field(min_length=1, description="The objective it is rated against.")
    rating: Rating = Field(
        description="none | low | moderate | strong | extreme, or a number in [0, 1]."
    )

    @model_validator(mode="after")
    def _range(self) -> StakeholderRating:
        _check_rating(self.rating, self.objective)
        return self
