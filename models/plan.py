"""Pydantic models of a plan (the output of a solve).

A :class:`Plan` is self-contained: it carries the scenario it was made from, so
every view and export can be regenerated from ``plan.json`` alone.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from models.scenario import Scenario

Status = Literal["optimal", "feasible"]

ASSIGNMENT_COLUMNS = ["person", "unit", "period", "work", "for_unit", "skill", "hours", "contract"]


class InitiativeResult(BaseModel):
    """The decision on one initiative."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    selected: bool
    start: str | None = None
    finish: str | None = None
    strategic_score: float
    value: float
    cost: float
    labour_hours: float = 0.0
    mandatory: bool = False
    misaligned: bool = False
    sponsor: str | None = None
    reason: str = ""


class RunInfo(BaseModel):
    """How the plan was made: solver status, objective, bound, gap and timings."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    strategy: Literal["optimal", "greedy"] = "optimal"
    backend: str | None = None
    objective: float
    bound: float | None = None
    gap: float | None = None
    seed: int = 0
    time_limit: float | None = None
    gap_limit: float | None = None
    message: str = ""
    interrupted: bool = False
    model: dict[str, int] = Field(default_factory=dict)  # columns, rows, binaries
    timings: dict[str, float] = Field(default_factory=dict)  # seconds per stage
    greedy_objective: float | None = None


class RemainingLine(BaseModel):
    """One effort line of an in-flight initiative at the as-of period (delivered hours)."""

    model_config = ConfigDict(extra="forbid")

    unit: str
    skill: str
    total: float  # the line's effort in the scenario
    delivered: float  # delivered before the as-of period (hours x proficiency)
    remaining: float  # still to deliver from the as-of period on
    per_period: float  # remaining / periods left (spread evenly)
    from_progress: bool = False  # remaining given by progress.csv


class InFlight(BaseModel):
    """An initiative that started before the as-of period and runs on."""

    model_config = ConfigDict(extra="forbid")

    id: str
    start: str
    planned_finish: str  # the baseline's finish
    finish: str  # the finish now (moves when progress.csv lengthens it)
    lines: list[RemainingLine] = Field(default_factory=list)


class Stopped(BaseModel):
    """A started initiative stopped with ``pin: out``, and what it already cost."""

    model_config = ConfigDict(extra="forbid")

    id: str
    start: str
    hours: float  # person-hours worked on it before the as-of period
    labour_cost: float  # those hours x cost per hour (contractors included)
    spend: float  # budget money sunk: its cost x share of its periods elapsed + contractors


class PastException(BaseModel):
    """A rule the past breaks (it happened: reported, never refused)."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    item: str
    period: str
    message: str
    amount: float
    source: Literal["actuals", "baseline"]


class Replan(BaseModel):
    """How a plan re-planned as of a period: the frozen past and what it carried on.

    ``actuals`` and ``baseline_past`` are the rows (``ASSIGNMENT_COLUMNS``) the past
    periods were fixed to, so that ``planner check`` can verify the past without the
    original files; ``progress`` the ``initiative, unit, skill, remaining_hours`` rows.
    """

    model_config = ConfigDict(extra="forbid")

    as_of: str
    baseline: str | None = None  # folder the baseline plan was read from
    actuals_file: str | None = None
    actuals_sha256: str | None = None
    progress_file: str | None = None
    progress_sha256: str | None = None
    actuals: list[list[Any]] = Field(default_factory=list)
    baseline_past: list[list[Any]] = Field(default_factory=list)
    progress: list[list[Any]] = Field(default_factory=list)
    #: initiative -> start of every initiative the baseline started before ``as_of``
    started: dict[str, str] = Field(default_factory=dict)
    done: list[str] = Field(default_factory=list)
    in_flight: list[InFlight] = Field(default_factory=list)
    stopped: list[Stopped] = Field(default_factory=list)
    #: budget money spent or committed before the as-of period (total and per unit)
    committed: float = 0.0
    committed_by_unit: dict[str, float] = Field(default_factory=dict)
    conflicts: list[str] = Field(default_factory=list)
    past_exceptions: list[PastException] = Field(default_factory=list)

    def rows(self, which: Literal["actuals", "baseline_past"]) -> pd.DataFrame:
        """The ``actuals`` or ``baseline_past`` rows as an assignments frame."""
        frame = pd.DataFrame(getattr(self, which), columns=ASSIGNMENT_COLUMNS)
        return frame.astype({"hours": float}).fillna({"unit": "", "for_unit": "",
                                                      "contract": ""})


class Plan(BaseModel):
    """A complete plan: decisions per initiative and hours per person, period and work."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    scenario: Scenario
    run: RunInfo
    initiatives: list[InitiativeResult]
    assignments: pd.DataFrame  # columns ASSIGNMENT_COLUMNS
    overrides: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    #: set when the plan re-planned an earlier one as of a period (``--as-of``)
    replan: Replan | None = None

    def __repr__(self) -> str:
        chosen = sum(r.selected for r in self.initiatives)
        return (f"Plan({self.scenario.name!r}, status={self.run.status!r}, "
                f"objective={self.run.objective:.6g}, {chosen} of {len(self.initiatives)} "
                f"initiatives chosen, {len(self.assignments)} assignment rows)")

    __str__ = __repr__

    def initiative(self, id: str) -> InitiativeResult:
        """The decision on initiative ``id``."""
        for r in self.initiatives:
            if r.id == id:
                return r
        raise KeyError(id)

    @property
    def selected(self) -> list[str]:
        """Ids of the chosen initiatives, in scenario order."""
        return [r.id for r in self.initiatives if r.selected]

    def to_json_dict(self) -> dict[str, Any]:
        """Everything as plain JSON data (assignments as columns + rows)."""
        a = self.assignments
        return {
            "format": "planner-plan/1",
            "run": self.run.model_dump(mode="json"),
            "overrides": self.overrides,
            "warnings": self.warnings,
            "initiatives": [r.model_dump(mode="json") for r in self.initiatives],
            "assignments": {
                "columns": list(a.columns),
                "data": a.astype(object).where(a.notna(), None).values.tolist(),
            },
            "scenario": self.scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
            **({"replan": self.replan.model_dump(mode="json")} if self.replan else {}),
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Plan:
        """Rebuild a plan from :meth:`to_json_dict` output."""
        a = data["assignments"]
        frame = pd.DataFrame(a["data"], columns=a["columns"])
        if "hours" in frame:
            frame["hours"] = frame["hours"].astype(float)
        frame = frame.fillna({"unit": "", "contract": ""})
        return cls(
            scenario=Scenario.model_validate(data["scenario"]),
            run=RunInfo.model_validate(data["run"]),
            initiatives=[InitiativeResult.model_validate(r) for r in data["initiatives"]],
            assignments=frame,
            overrides=data.get("overrides", []),
            warnings=data.get("warnings", []),
            replan=Replan.model_validate(data["replan"]) if data.get("replan") else None,
        )

    @classmethod
    def read_json(cls, path: str) -> Plan:
        """Read a ``plan.json`` file."""
        with open(path, encoding="utf-8") as f:
            return cls.from_json_dict(json.load(f))
