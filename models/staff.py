"""Who does the work: organisational units, staff and external contractors."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import ConfigDict, Field, WithJsonSchema, field_validator

from models.fields import Budget, PeriodLabel, Strict, check_budget, finite, to_label, within


class Unit(Strict):
    """An organisational unit (department, team)."""

    id: str = Field(min_length=1, description="Unique id of the unit.")
    name: str | None = Field(default=None, description="Display name (default: the id).")
    owner: str | None = Field(default=None, description="Who heads the unit.")
    budget: Budget | None = Field(
        default=None,
        description="Incremental spend limit of the unit: cost of the initiatives it "
        "sponsors + contractors on its work; one amount for the whole horizon, or a map "
        "calendar year -> amount.",
    )

    @field_validator("budget")
    @classmethod
    def _fin(cls, v: Budget | None) -> Budget | None:
        return check_budget(v)


class Person(Strict):
    """A member of staff."""

    id: str = Field(min_length=1, description="Unique id of the person.")
    name: str | None = Field(default=None, description="Display name (default: the id).")
    unit: str = Field(min_length=1, description="The unit the person belongs to.")
    skills: dict[str, float] = Field(
        min_length=1,
        description="Skills: a list of names, or a map skill -> proficiency in (0, 1]; an "
        "hour of a skill at proficiency q delivers q hours of its work.",
    )
    fte: float = Field(default=1.0, gt=0, le=2.0, description="Full-time equivalent (1.0).")
    cost_per_hour: float = Field(
        default=0.0, ge=0, le=1e6,
        description="Fully loaded internal rate per hour (money); 0 when absent.",
    )
    max_change_share: float = Field(
        default=1.0, ge=0, le=1,
        description="At most this share of the person's capacity goes to initiatives.",
    )
    availability: dict[PeriodLabel, float] = Field(
        default_factory=dict,
        description="Share of a period available (leave, part year), by period label; "
        "default 1.0.",
    )
    develop: Annotated[dict[str, float | None], WithJsonSchema({
        "anyOf": [
            {"type": "object", "additionalProperties": {"type": ["number", "null"],
                                                        "minimum": 0}},
            {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        ],
    })] = Field(
        default_factory=dict,
        description=(
            "Skills this person wants to grow: a map skill -> hours of practice wanted over "
            "the horizon, or a list of skills (each then wants "
            "policy.development.default_hours). Skills they do not have may be worked at "
            "policy.development.learner_proficiency."
        ),
    )

    @field_validator("skills", mode="before")
    @classmethod
    def _skills(cls, v: object) -> object:
        if isinstance(v, list):
            if not all(isinstance(s, str) for s in v):
                raise ValueError(
                    "skills must be a list of skill names or a map skill -> proficiency"
                )
            return {s: 1.0 for s in v}
        return v

    @field_validator("skills")
    @classmethod
    def _prof(cls, v: dict[str, float]) -> dict[str, float]:
        if within(v.values(), 0.0, 1.0, low_open=True):
            return v
        for skill, q in v.items():
            if not math.isfinite(q) or q <= 0 or q > 1:
                raise ValueError(f"proficiency of skill '{skill}' must be in (0, 1], got {q}")
        return v

    @field_validator("availability", mode="before")
    @classmethod
    def _avail_keys(cls, v: object) -> object:
        if isinstance(v, dict):
            for k in v:  # a plain loop: this runs once per person
                if isinstance(k, int):
                    return {str(k) if isinstance(k, int) else k: x for k, x in v.items()}
        return v

    @field_validator("availability")
    @classmethod
    def _avail(cls, v: dict[str, float]) -> dict[str, float]:
        if not v or within(v.values(), 0.0, 1.0):
            return v
        for label, a in v.items():
            if not math.isfinite(a) or a < 0 or a > 1:
                raise ValueError(f"availability in {label} must be in [0, 1], got {a}")
        return v

    @field_validator("develop", mode="before")
    @classmethod
    def _develop(cls, v: object) -> object:
        if v is None:
            return {}
        if isinstance(v, str):
            raise ValueError(
                f"develop must be a list of skills or a map skill -> hours, e.g. [{v}] or "
                f"{{{v}: 40}}"
            )
        if isinstance(v, list):
            if not all(isinstance(s, str) for s in v):
                raise ValueError(
                    "develop must be a list of skill names or a map skill -> hours wanted"
                )
            twice = sorted({s for s in v if v.count(s) > 1})
            if twice:
                raise ValueError(f"develop lists skill '{twice[0]}' twice")
            return {s: None for s in v}
        return v

    @field_validator("develop")
    @classmethod
    def _develop_hours(cls, v: dict[str, float | None]) -> dict[str, float | None]:
        for skill, h in v.items():
            if not skill:
                raise ValueError("develop has an empty skill name")
            if h is not None and (not math.isfinite(h) or h < 0 or h > 1e6):
                raise ValueError(
                    f"hours wanted for '{skill}' must be a number in [0, 1e6], got {h}"
                )
        return v

    # fte and cost_per_hour need no finite check of their own: their bounds refuse inf
    # and nan, and the message names a non-finite number as such


class External(Strict):
    """Contractors or consultants of one skill, available to any unit."""

    id: str | None = Field(
        default=None, description="Id of the pool (default: the skill, or skill-n)."
    )
    name: str | None = Field(default=None, description="Display name.")
    skill: str = Field(min_length=1, description="The skill they bring.")
    max_fte: float = Field(ge=0, le=1e6, description="At most this many FTE per period.")
    cost_per_hour: float = Field(
        default=0.0, ge=0, le=1e6, description="Cost per contractor hour (money)."
    )
    from_: PeriodLabel | None = Field(
        default=None, alias="from", description="First period they are available."
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    _lbl = field_validator("from_", mode="before")(to_label)

    @field_validator("max_fte", "cost_per_hour")
    @classmethod
    def _fin(cls, v: float) -> float:
        return finite(v)
