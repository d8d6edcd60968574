"""Strategy: objectives with weights, the KPIs that measure them, pairwise comparisons."""

from __future__ import annotations

from pydantic import Field, field_validator

from models.fields import PeriodLabel, Strict, calendar_year, finite, to_label


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
        return finite(v)


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

    _lbl = field_validator("by", mode="before")(to_label)

    @field_validator("baseline", "target")
    @classmethod
    def _fin(cls, v: float | None) -> float | None:
        return None if v is None else finite(v)

    @field_validator("targets")
    @classmethod
    def _yearly(cls, v: dict[int, float]) -> dict[int, float]:
        for year, x in v.items():
            calendar_year(year)
            finite(x, f"target for {year}")
        return dict(sorted(v.items()))

    @field_validator("drives")
    @classmethod
    def _factors(cls, v: dict[str, float]) -> dict[str, float]:
        for kpi, x in v.items():
            finite(x, f"factor for '{kpi}'")
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
        finite(v, "ratio")
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
