"""Planning policy: budget, limits, objective and the weights of its secondary terms."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.fields import Budget, Strict, check_budget, finite


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
        return finite(v)

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
        return check_budget(v)

    @field_validator("discount_rate")
    @classmethod
    def _rate(cls, v: float) -> float:
        return finite(v)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        # it goes into number formats of the workbook: no digits, quotes, ';' or '\\'
        if v is not None and not re.fullmatch(r'[^"\\;\d\x00-\x1f]{1,8}', v):
            raise ValueError(f"currency must be a symbol or code of 1 to 8 characters without "
                             f"digits, quotes, backslashes or ';' (e.g. '€' or 'EUR'), got {v!r}")
        return v
