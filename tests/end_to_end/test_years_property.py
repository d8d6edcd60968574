"""Property test of the several-years rules: solve -> write -> independent check.

Hypothesis draws small long-term scenarios: months from 2027-10 over two or
three calendar years, phased and plain initiatives with cost profiles,
dependencies on a phase or a whole initiative, per-year budgets of the policy
and a unit (with or without carry-over), contractors, and a KPI with yearly
targets (hard or soft). ``solve`` (optimal and greedy) must either write a plan
that ``planner check`` accepts, or refuse with an infeasibility.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models.scenario import Scenario
from planner.checker import check_plan
from planner.errors import InfeasibleError
from planner.io.export import write_plan
from planner.io.validate import validate
from planner.solving import Settings, solve


@st.composite
def long_term(draw: st.DrawFn) -> dict[str, Any]:
    T = draw(st.integers(4, 15))  # from 2027-10: 2027 and 2028, or up to 2028-12
    years = sorted({2027 + (9 + k) // 12 for k in range(T)})
    inits: list[dict[str, Any]] = []
    for k in range(draw(st.integers(1, 4))):
        ini: dict[str, Any] = {"id": f"i{k}", "contributes": {"o": draw(st.sampled_from(
            [0.3, 0.6, 1.0]))}, "kpi_impacts": {"k": draw(st.sampled_from([0, 1, 2]))},
            "cost": draw(st.sampled_from([0, 1000, 5000])),
            "value_per_period": draw(st.sampled_from([0, 100]))}
        if draw(st.booleans()):
            n = draw(st.integers(2, 3))
            ini["phases"] = [{"name": f"p{j}", "duration": draw(st.integers(1, 2)),
                              "effort": [{"unit": "u", "skill": draw(st.sampled_from("xy")),
                                          "hours": draw(st.sampled_from([0, 10, 30]))}]}
                             for j in range(n)]
            if ini["cost"] and draw(st.booleans()):
                ini["cost_profile"] = [1.0] + [0.0] * (n - 1)
        else:
            ini["duration"] = draw(st.integers(1, 3))
            ini["effort"] = [{"unit": "u", "skill": draw(st.sampled_from("xy")),
                              "hours": draw(st.sampled_from([10, 20, 40]))}]
        if k and draw(st.booleans()):
            pre = inits[draw(st.integers(0, k - 1))]
            ref = pre["id"]
            if "phases" in pre and draw(st.booleans()):
                ref += ".p0"
            ini["depends_on"] = [ref]
        ini["sponsor"] = "u" if draw(st.booleans()) else None
        inits.append({key: v for key, v in ini.items() if v is not None})
    budget = {y: float(draw(st.sampled_from([0, 2000, 6000]))) for y in years}
    kpi: dict[str, Any] = {"id": "k", "baseline": 0,
                           "targets": {years[-1]: draw(st.sampled_from([1, 2, 3]))},
                           "must_meet": draw(st.booleans())}
    return {
        "name": "years",
        "horizon": {"start": "2027-10", "periods": T, "period": "month", "hours_per_fte": 10},
        "strategy": {"objectives": [{"id": "o"}], "kpis": [kpi]},
        "units": [{"id": "u", "budget": budget if draw(st.booleans()) else None}],
        "staff": [{"id": "a", "unit": "u", "skills": ["x", "y"]},
                  {"id": "b", "unit": "u", "skills": {"y": 0.5}}],
        "external": [{"skill": "x", "max_fte": 1, "cost_per_hour": 50}],
        "initiatives": inits,
        "policy": {"budget": budget, "carry_over": draw(st.booleans()),
                   "objective": draw(st.sampled_from(["strategic", "value"])),
                   "discount_rate": draw(st.sampled_from([0.0, 0.1]))},
    }


@settings(max_examples=20, deadline=None)
@given(long_term(), st.sampled_from(["optimal", "greedy"]))
def test_long_term_plans_pass_the_checker(data: dict[str, Any], strategy: str) -> None:
    sc = Scenario.model_validate(data)
    validate(sc)
    try:
        plan = solve(sc, Settings(strategy=strategy, time_limit=20))
    except InfeasibleError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        report = check_plan(sc, write_plan(plan, Path(tmp) / "plan"))
        assert report.ok, report.to_text()
