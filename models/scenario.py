"""Pydantic models of a planning scenario (the input contract).

Each model validates what it can see on its own (types, ranges, enums).
Checks that look across entities (unknown units, cycles, period labels outside
the horizon) live in ``planner.io.validate`` so that they can name the file, the
item and the field together.
"""

from __future__ import annotations

import math
import re
import typing
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from models.uncertainty import Uncertainty

#: Numeric value of each rating word in ``contributes``.
RATINGS: dict[str, float] = {
    "none": 0.0,
    "low": 0.25,
    "moderate": 0.5,
    "strong": 0.75,
    "extreme": 1.0,
}

PeriodLabel = Annotated[str, Field(min_length=1)]


def _label(value: object) -> object:
    """Accept integer period labels (``period: index``) as strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def _within(values: typing.Collection[float], low: float, high: float,
            low_open: bool = False) -> bool:
    """All ``values`` finite and in ``[low, high]`` (``(low, high]``), decided in C: this
    runs for each of a million people. False means: look at them one by one."""
    if not values or not math.isfinite(sum(values)):  # a finite sum: no inf, no nan
        return False
    least = min(values)
    return (least > low if low_open else least >= low) and max(values) <= high


def _finite(value: float, what: str = "value") -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value}")
    return value


def _year(year: int) -> int:
    if not 1 <= year <= 9999:
        raise ValueError(f"{year} is not a calendar year")
    return year


Money = Annotated[float, Field(ge=0, le=1e15)]
#: money for the whole horizon, or per calendar year (issue 15)
Budget = Money | dict[int, Money]


def _budget(v: Budget | None) -> Budget | None:
    """A budget is a finite amount >= 0, or a map calendar year -> such an amount."""
    if v is None:
        return None
    if isinstance(v, dict):
        for year, x in v.items():
            _year(year)
            _finite(x, f"budget for {year}")
        return dict(sorted(v.items()))
    return _finite(v)


class Strict(BaseModel):
    """Base: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


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

    _lbl = field_validator("start", mode="before")(_label)

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
        return _finite(v)


class Objective(Strict):
    """A strategic objective with a weight (importance)."""

    id: str = Field(min_length=1, description="Unique id of the objective.")
    name: str | None = Field(default=None, description="Display name (default: the id).")
    weight: float = Field(
        default=1.0, ge=0, le=1e6, description="Importance of the objective (relative)."
    )

    @field_validator("weight")
    @classmethod
    def _fin(cls, v: float) -> float:
        return _finite(v)


class KPI(Strict):
    """A key performance indicator that measures one objective, with an optional target.

    Forecast at the end of period t: ``baseline`` + the ``kpi_impacts`` of every
    chosen initiative that finishes in or before t, + for each KPI that ``drives``
    it, that KPI's forecast change x the factor (see ``planner.kpi``).
    """

    id: str = Field(min_length=1, description="Unique id of the KPI.")
    name: str | None = Field(default=None, description="Display name (default: the id).")
    objective: str | None = Field(
        default=None, description="The objective this KPI measures (its weight weighs the target)."
    )
    baseline: float | None = Field(
        default=None, description="Value today; forecasts start here (0 when absent)."
    )
    target: float | None = Field(
        default=None,
        description="Value to reach by the end of period `by`; below the baseline means "
        "lower is better.",
    )
    by: PeriodLabel | None = Field(
        default=None,
        description="Period label by whose end the target is to be reached (default: the "
        "last period). An initiative counts when it finishes in or before this period.",
    )
    must_meet: bool = Field(
        default=False,
        description="True: the target is a hard rule (no plan that misses it is written; "
        "exit 3 when none can meet it). False: it is rewarded, never forced.",
    )
    drives: dict[str, float] = Field(
        default_factory=dict,
        description="Value path: KPI id -> factor; one unit more of this KPI moves that KPI "
        "by the factor (e.g. {nps: -2}). Must not form a cycle.",
    )
    unit: str | None = Field(
        default=None, description="The unit that owns this KPI target (goals cascade)."
    )
    targets: dict[int, float] = Field(
        default_factory=dict,
        description="Target per calendar year (issue 15), e.g. {2027: 36, 2029: 42}: each is "
        "to be reached by the end of that year's last period in the horizon; with must_meet "
        "each is hard.",
    )

    _lbl = field_validator("by", mode="before")(_label)

    @field_validator("baseline", "target")
    @classmethod
    def _fin(cls, v: float | None) -> float | None:
        return None if v is None else _finite(v)

    @field_validator("targets")
    @classmethod
    def _yearly(cls, v: dict[int, float]) -> dict[int, float]:
        for year, x in v.items():
            _year(year)
            _finite(x, f"target for {year}")
        return dict(sorted(v.items()))

    @field_validator("drives")
    @classmethod
    def _factors(cls, v: dict[str, float]) -> dict[str, float]:
        for kpi, x in v.items():
            _finite(x, f"factor for '{kpi}'")
        return v


class Comparison(Strict):
    """One pairwise comparison of two objectives on Saaty's scale (issue 14).

    ``ratio`` says how many times more important ``a`` is than ``b``: 1 (equal)
    to 9 (extremely more important), or a reciprocal such as ``1/3`` when ``b``
    matters more. ``b`` against ``a`` is implied (1 / ratio).
    """

    a: str = Field(min_length=1, description="An objective id.")
    b: str = Field(min_length=1, description="The objective it is compared with.")
    ratio: float = Field(
        description="How many times more important a is than b: 1 to 9, or 1/9 to 1/2."
    )

    @field_validator("a", "b", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

    @field_validator("ratio", mode="before")
    @classmethod
    def _fraction(cls, v: object) -> object:
        if isinstance(v, str) and "/" in v:
            num, _, den = v.partition("/")
            try:
                return float(num) / float(den)
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"cannot read the ratio '{v}': write e.g. 3 or 1/3") from None
        return v

    @field_validator("ratio")
    @classmethod
    def _scale(cls, v: float) -> float:
        _finite(v, "ratio")
        if not 1 / 9 - 1e-9 <= v <= 9 + 1e-9:
            raise ValueError(f"ratio must be on Saaty's scale 1/9 .. 9, got {v:g}")
        return v


class Strategy(Strict):
    """Objectives (with weights) and the KPIs that measure them."""

    objectives: list[Objective] = Field(
        default_factory=list, description="Strategic objectives with their weights."
    )
    kpis: list[KPI] = Field(
        default_factory=list, description="KPIs that measure the objectives, with targets."
    )
    # extension (issue 14): objective weights from pairwise comparisons
    pairwise: list[Comparison] = Field(
        default_factory=list,
        description="Pairwise comparisons of objectives (a, b, ratio on Saaty's 1..9 scale), "
        "or {csv: pairwise.csv}: each objective's weight becomes the principal eigenvector.",
    )


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
        return _budget(v)


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
        if _within(v.values(), 0.0, 1.0, low_open=True):
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
        if not v or _within(v.values(), 0.0, 1.0):
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
        return _finite(v)


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

    _lbl = field_validator("earliest_start", "deadline", "start", mode="before")(_label)

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
        return _finite(v)

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
            _finite(x, f"impact on '{kpi}'")
        return v

    @field_validator("value", "cost")
    @classmethod
    def _fin(cls, v: float) -> float:
        return _finite(v)

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

    _lbl = field_validator("from_", mode="before")(_label)

    @field_validator("max_fte", "cost_per_hour")
    @classmethod
    def _fin(cls, v: float) -> float:
        return _finite(v)


class SolverOptions(Strict):
    """How to run the solver. Every field is optional."""

    backend: str | None = Field(
        default=None, description="Solver backend: highs (default) | cbc | scip."
    )
    time_limit: float | None = Field(
        default=None, gt=0, le=1e6,
        description="Seconds for the whole command, load to written plan (default 60).",
    )
    gap: float | None = Field(
        default=None, ge=0, le=1, description="Stop within this relative gap of the bound."
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="Random seed.")
    threads: int | None = Field(
        default=None, ge=1, le=256, description="1 keeps everything in one process."
    )


class RTBPenalty(Strict):
    """Penalty per RTB hour short, in multiples of the average strategic score per effort hour."""

    high: float = Field(
        default=10.0, ge=0, le=1e6, description="Penalty per high-priority RTB hour short."
    )
    normal: float = Field(
        default=2.0, ge=0, le=1e6, description="Penalty per normal-priority RTB hour short."
    )

    @model_validator(mode="after")
    def _order(self) -> RTBPenalty:
        if self.high < self.normal:
            raise ValueError("the penalty for high RTB must be at least the one for normal RTB")
        return self


class Stability(Strict):
    """Weights of baseline-stable re-planning (``planner solve --baseline PLAN_DIR``).

    ``keep_initiative`` and ``keep_start`` are in multiples of the average
    objective weight of an initiative: dropping an initiative of the baseline
    costs ``keep_initiative`` of that, moving it off its baseline start
    ``keep_start``. ``keep_hours`` is in multiples of the average weight per
    effort hour: every hour a group of interchangeable people works more or
    less on a piece of work (own RTB, own change, lent) than in the baseline.
    """

    keep_initiative: float = Field(
        default=1.0, ge=0, le=1e6, description="Cost of dropping a baseline initiative."
    )
    keep_start: float = Field(
        default=0.5, ge=0, le=1e6, description="Cost of moving it off its baseline start."
    )
    keep_hours: float = Field(
        default=0.01, ge=0, le=1e6, description="Cost of each hour of a group's work moved."
    )


class Development(Strict):
    """How development wishes (``staff[].develop``) are planned.

    A person may work on work of a skill they wish to develop without having it;
    each of their hours then delivers ``learner_proficiency`` hours of that work.
    The objective rewards every hour a person works in a wished skill, up to the
    hours wished, at ``weight`` x the average objective weight per effort hour.
    """

    learner_proficiency: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Hours of work one hour of a learner delivers in a skill they wish to "
        "develop but do not have (their own proficiency applies when they have the skill).",
    )
    weight: float = Field(
        default=0.1,
        ge=0,
        le=1e6,
        description="Reward per hour of a development wish met (up to the hours wished), in "
        "multiples of the average objective weight per effort hour. The default 0.1 is above "
        "borrow_penalty (0.05, so growth in another unit still pays) and far below what an "
        "initiative earns per hour (1 on average, so growth does not displace initiatives).",
    )
    default_hours: float = Field(
        default=40.0,
        ge=0,
        le=1e6,
        description="Hours of practice wanted for each skill of a develop list (a map gives "
        "its own hours).",
    )

    @field_validator("learner_proficiency", "weight", "default_hours")
    @classmethod
    def _fin(cls, v: float) -> float:
        return _finite(v)

class KPITargets(Strict):
    """Objective weights of soft KPI targets (``policy.kpi_targets``).

    Closing a KPI's gap to its target (``|target - baseline|``) is rewarded per
    share of the gap closed at ``by``, never beyond the target: closing a whole gap
    earns ``weight`` x the average objective weight of an initiative x the KPI's
    objective weight relative to the average objective weight (1 for a KPI with no
    objective). Meeting a target earns ``met_bonus`` of the same unit on top.
    Worsening a KPI costs at the same rate.
    """

    weight: float = Field(
        default=0.5, ge=0, le=1e6,
        description="Reward for closing a whole gap, in average initiative weights.",
    )
    met_bonus: float = Field(
        default=0.01, ge=0, le=1e6,
        description="Extra reward for meeting a target, in average initiative weights.",
    )


class Policy(Strict):
    """Planning policy: budget, limits and what to optimise."""

    budget: Budget | None = Field(
        default=None,
        description="Incremental spend limit: initiative cost + contractors (money); one "
        "amount for the whole horizon, or a map calendar year -> amount (spend counted in "
        "the year of the period it falls in).",
    )
    carry_over: bool = Field(
        default=False,
        description="With per-year budgets: unspent money carries over to later years "
        "(the limits hold cumulatively).",
    )
    discount_rate: float = Field(
        default=0.0, ge=0, le=10,
        description="Discount rate per year for net present values (objective: value): money "
        "at the end of a period is worth (1 + rate)^-(years since the start of the horizon) "
        "today.",
    )
    max_utilisation: float = Field(
        default=1.0, gt=0, le=1,
        description="Share of each person's capacity that may be planned.",
    )
    borrowing: bool = Field(
        default=False, description="Staff may work for other units (at a small penalty)."
    )
    objective: Literal["strategic", "value", "blend"] = Field(
        default="strategic", description="What to maximise: strategic | value | blend."
    )
    solver: SolverOptions = Field(
        default_factory=SolverOptions, description="How to run the solver."
    )
    # extensions: weights of the secondary terms (documented in README)
    rtb_penalty: RTBPenalty = Field(
        default_factory=RTBPenalty, description="Penalties per RTB hour short."
    )
    borrow_penalty: float = Field(
        default=0.05, ge=0, le=1e6, description="Penalty per hour lent to another unit."
    )
    earliness: float = Field(
        default=0.1, ge=0, le=10,
        description="Reward for finishing early: share more for the first period.",
    )
    stability: Stability = Field(  # issue 5: --baseline weights
        default_factory=Stability, description="Weights of re-planning against a baseline."
    )
    development: Development = Field(  # issue 11: growth wishes
        default_factory=Development, description="How development wishes are planned."
    )
    kpi_targets: KPITargets = Field(
        default_factory=KPITargets, description="Objective weights of soft KPI targets."
    )
    currency: str | None = Field(
        default=None,
        description="How money is shown in the report and the workbook: a symbol such as "
        "'€' or '$' (written before amounts) or a code such as 'EUR' (written after them). "
        "Default: none, amounts are plain numbers.",
    )
    # issue 14: ``approved`` plans only from approved and committed initiatives
    plan_from: Literal["all", "approved"] = Field(
        default="all",
        description="approved: plan only from approved and committed initiatives "
        "(planner solve --only approved).",
    )

    @field_validator("budget")
    @classmethod
    def _fin(cls, v: Budget | None) -> Budget | None:
        return _budget(v)

    @field_validator("discount_rate")
    @classmethod
    def _rate(cls, v: float) -> float:
        return _finite(v)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        # it goes into number formats of the workbook: no digits, quotes, ';' or '\\'
        if v is not None and not re.fullmatch(r'[^"\\;\d\x00-\x1f]{1,8}', v):
            raise ValueError(f"currency must be a symbol or code of 1 to 8 characters without "
                             f"digits, quotes, backslashes or ';' (e.g. '€' or 'EUR'), got {v!r}")
        return v


class Scenario(Strict):
    """One planning horizon (a year, or several): strategy, organisation, workload, initiatives
    and policy."""

    name: str = Field(min_length=1, description="Name of the scenario.")
    description: str | None = Field(default=None, description="Free text about it.")
    horizon: Horizon = Field(description="The periods: first label, count, length, hours per FTE.")
    strategy: Strategy = Field(
        default_factory=Strategy, description="Objectives and KPIs: what success is."
    )
    units: list[Unit] = Field(default_factory=list, description="Organisational units.")
    staff: list[Person] = Field(
        default_factory=list, description="People: a list, or {csv: staff.csv}."
    )
    run_the_business: list[RTBLine] = Field(
        default_factory=list,
        description="Recurring work per unit and skill, hours per period: a list, or "
        "{csv: rtb.csv}.",
    )
    initiatives: list[Initiative] = Field(
        default_factory=list,
        description="Change initiatives: a list, or {csv: initiatives.csv, effort: "
        "effort.csv}.",
    )
    external: list[External] = Field(
        default_factory=list, description="Contractors or consultants by skill."
    )
    policy: Policy = Field(default_factory=Policy, description="Budget, limits, objective.")
    # extension (issue 14): stakeholder ratings, the median per objective gives `contributes`
    ratings: list[StakeholderRating] = Field(
        default_factory=list,
        description="Stakeholder ratings (stakeholder, initiative, objective, rating), or "
        "{csv: ratings.csv}: an initiative's contributes is the median per objective.",
    )
    # extension (issue 16): how reality may differ from the estimates
    uncertainty: Uncertainty | None = Field(
        default=None,
        description="How reality may differ from the estimates: effort spreads, duration "
        "slips, attrition, unplanned absence (planner risk, planner solve --robust).",
    )

    @field_validator(
        "units", "staff", "run_the_business", "initiatives", "external", "ratings", mode="before"
    )
    @classmethod
    def _none_is_empty(cls, v: object) -> object:
        return [] if v is None else v

    @field_validator("strategy", "policy", mode="before")
    @classmethod
    def _none_is_default(cls, v: object) -> object:
        return {} if v is None else v

    def strategic_score(self, initiative: Initiative) -> float:
        """Strategic score: sum over objectives of weight x rating (ratings in [0, 1])."""
        return float(
            sum(o.weight * initiative.rating(o.id) for o in self.strategy.objectives)
        )

    def is_misaligned(self, initiative: Initiative) -> bool:
        """An initiative is misaligned when it contributes to no known objective."""
        return all(initiative.rating(o.id) <= 0 for o in self.strategy.objectives)

    def wishes(self, person: Person) -> dict[str, float]:
        """Hours of practice ``person`` wants per skill (list entries get the policy default)."""
        default = self.policy.development.default_hours
        return {k: default if h is None else float(h) for k, h in person.develop.items()}

    def proficiencies(self, person: Person) -> dict[str, float]:
        """Hours of work one hour of ``person`` delivers, per skill they may work in.

        Their own skills at their proficiency, plus every skill they wish to develop
        but do not have at ``policy.development.learner_proficiency``.
        """
        out = dict(person.skills)
        q = self.policy.development.learner_proficiency
        for skill in person.develop:
            out.setdefault(skill, q)
        return out

    def is_required(self, initiative: Initiative) -> bool:
        """Must be in the plan by its own fields: mandatory, pinned in or committed."""
        return (initiative.mandatory or initiative.pin == "in"
                or initiative.status == "committed")

    def out_reason(self, initiative: Initiative) -> str | None:
        """Why ``initiative`` is kept out of the plan whatever it is worth, or None.

        ``pinned out``; ``rejected`` (status); ``not approved`` when
        ``policy.plan_from`` is ``approved`` and it is only proposed (a
        mandatory or pinned-in initiative stays a candidate whatever its status).
        """
        if initiative.pin == "out":
            return "pinned out"
        if initiative.status == "rejected":
            return "rejected"
        if (self.policy.plan_from == "approved" and initiative.status == "proposed"
                and not self.is_required(initiative)):
            return "not approved"
        return None

    def external_ids(self) -> list[str]:
        """Stable id of each ``external`` entry, in order.

        The given ``id``; else the skill when only one entry has that skill; else
        ``<skill>-<n>`` with n counting the entries of that skill from 1.
        """
        counts: dict[str, int] = {}
        for e in self.external:
            counts[e.skill] = counts.get(e.skill, 0) + 1
        seen: dict[str, int] = {}
        out = []
        for e in self.external:
            seen[e.skill] = seen.get(e.skill, 0) + 1
            if e.id:
                out.append(e.id)
            elif counts[e.skill] == 1:
                out.append(e.skill)
            else:
                out.append(f"{e.skill}-{seen[e.skill]}")
        return out
