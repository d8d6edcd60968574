"""Pydantic models of a planning scenario (the input contract).

Each model validates what it can see on its own (types, ranges, enums).
Checks that look across entities (unknown units, cycles, period labels outside
the horizon) live in ``planner.io.validate`` so that they can name the file, the
item and the field together.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from models.fields import Budget, Money, PeriodLabel, Strict
from models.horizon import HOURS_PER_FTE, Horizon
from models.initiatives import (
    RATINGS,
    EffortLine,
    Initiative,
    InitiativeStatus,
    Phase,
    Rating,
    StakeholderRating,
)
from models.policy import (
    Development,
    KPITargets,
    Policy,
    RTBPenalty,
    SolverOptions,
    Stability,
)
from models.rtb import PRIORITIES, Priority, RTBLine
from models.staff import External, Person, Unit
from models.strategy import KPI, Comparison, Objective, Strategy
from models.uncertainty import Uncertainty

__all__ = [
    "HOURS_PER_FTE", "KPI", "PRIORITIES", "RATINGS", "Budget", "Comparison", "Development",
    "EffortLine", "External", "Horizon", "Initiative", "InitiativeStatus", "KPITargets",
    "Money", "Objective", "PeriodLabel", "Person", "Phase", "Policy", "Priority", "RTBLine",
    "RTBPenalty", "Rating", "Scenario", "SolverOptions", "Stability", "StakeholderRating",
    "Strategy", "Strict", "Uncertainty", "Unit",
]


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

    def all_skills(self) -> list[str]:
        """Every skill the scenario names, sorted: held by staff, needed by run-the-business
        work or by an initiative (its phases included), or brought by contractors."""
        return sorted({s for p in self.staff for s in p.skills}
                      | {r.skill for r in self.run_the_business}
                      | {ln.skill for i in self.initiatives for ln in i.all_effort}
                      | {e.skill for e in self.external})

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
