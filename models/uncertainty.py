"""Pydantic models of the ``uncertainty:`` section of a scenario.

The section describes how reality may differ from the plan's point estimates.
``planner risk`` simulates a written plan against samples drawn from it and
``planner solve --robust`` plans against it. What each field means for one
sample is stated in its description; ``planner.analysis.sampling`` draws them.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Spread(_Strict):
    """Triangular spread of an effort estimate, as multiples of it (mode 1).

    A sample's effort is the estimate x a multiple drawn from the triangular
    distribution on [low, high] with its peak at 1. ``{low: 1, high: 1}`` is
    no uncertainty.
    """

    low: float = Field(
        default=1.0, gt=0, le=1,
        description="Smallest multiple of the estimate (in (0, 1]).",
    )
    high: float = Field(
        default=1.0, ge=1, le=100,
        description="Largest multiple of the estimate (>= 1).",
    )

    @field_validator("low", "high")
    @classmethod
    def _fin(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError(f"must be a finite number, got {v}")
        return v

    @property
    def mean(self) -> float:
        """Mean multiple: (low + 1 + high) / 3."""
        return (self.low + 1.0 + self.high) / 3.0


def _slip(v: dict[int, float]) -> dict[int, float]:
    for k, p in v.items():
        if k < 1:
            raise ValueError(f"slip: periods must be whole numbers >= 1, got {k}")
        if not math.isfinite(p) or p < 0 or p > 1:
            raise ValueError(f"slip: probability of {k} period(s) must be in [0, 1], got {p}")
    if sum(v.values()) > 1 + 1e-9:
        raise ValueError(f"slip: probabilities sum to {sum(v.values()):g}, more than 1")
    return dict(sorted(v.items()))


def _slip_or_none(v: dict[int, float] | None) -> dict[int, float] | None:
    return None if v is None else _slip(v)


SLIP_HELP = (
    "Duration slip: periods -> probability, e.g. {1: 0.2, 2: 0.05} = the initiative runs "
    "1 period longer with probability 0.2, 2 longer with 0.05, as planned otherwise. A "
    "slipped initiative spreads its (sampled) effort over the longer duration."
)


class InitiativeUncertainty(_Strict):
    """Uncertainty of one initiative, overriding the section's defaults."""

    effort: Spread | None = Field(
        default=None, description="Effort spread of every line of this initiative."
    )
    lines: dict[str, Spread] = Field(
        default_factory=dict,
        description="Effort spread of one line, keyed 'unit/skill' (overrides `effort`).",
    )
    slip: dict[int, float] | None = Field(default=None, description=SLIP_HELP)

    _check_slip = field_validator("slip")(_slip_or_none)


class Uncertainty(_Strict):
    """How reality may differ from the plan's point estimates (``uncertainty:``).

    One sample of reality draws, independently: for each initiative one
    quantile shared by its lines (an initiative is over- or under-estimated as
    a whole; each line keeps its own spread) and a duration slip; for each
    person whether they leave during the horizon, when, and their unplanned
    absence in each period. RTB demand, contractor capacity and costs are
    not sampled.
    """

    effort: Spread = Field(
        default_factory=Spread,
        description="Effort spread of every effort line (triangular multiples, mode 1).",
    )
    slip: dict[int, float] = Field(default_factory=dict, description=SLIP_HELP)
    attrition: float = Field(
        default=0.0, ge=0, lt=1,
        description="Share of staff leaving per year. A leaver leaves at a uniformly random "
        "period of the horizon and works no hours from then until replaced.",
    )
    backfill: int | None = Field(
        default=3, ge=0, le=520,
        description="Periods until a leaver is replaced by someone with the same profile "
        "(null: never within the horizon).",
    )
    availability_noise: float = Field(
        default=0.0, ge=0, lt=1,
        description="Mean share of a person's capacity lost to unplanned absence in a "
        "period (sickness, emergencies): drawn per person and period from an exponential "
        "distribution with this mean, capped at the whole period.",
    )
    utilisation: float = Field(
        default=1.0, gt=0, le=1,
        description="Share of a person's capacity usable when the plan is carried out; "
        "the headroom above policy.max_utilisation absorbs overruns.",
    )
    periods_per_year: int | None = Field(
        default=None, ge=1, le=366,
        description="Periods per year for attrition (default: 12 for month, 52 for week, "
        "4 for quarter, 12 for index).",
    )
    initiatives: dict[str, InitiativeUncertainty] = Field(
        default_factory=dict, description="Per-initiative overrides, keyed by initiative id."
    )

    _check_slip = field_validator("slip")(_slip)

    @field_validator("attrition", "availability_noise", "utilisation")
    @classmethod
    def _fin(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError(f"must be a finite number, got {v}")
        return v

    @model_validator(mode="before")
    @classmethod
    def _none_is_empty(cls, v: object) -> object:
        if isinstance(v, dict) and v.get("initiatives", {}) is None:
            return {**v, "initiatives": {}}
        return v

    def spread(self, initiative: str, unit: str, skill: str) -> Spread:
        """Effort spread of one line: the line's, else the initiative's, else the default."""
        own = self.initiatives.get(initiative)
        if own is not None:
            line = own.lines.get(f"{unit}/{skill}")
            if line is not None:
                return line
            if own.effort is not None:
                return own.effort
        return self.effort

    def slip_of(self, initiative: str) -> dict[int, float]:
        """Duration slip distribution of one initiative."""
        own = self.initiatives.get(initiative)
        if own is not None and own.slip is not None:
            return own.slip
        return self.slip
