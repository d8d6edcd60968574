"""Money rounding never shows a plan that keeps its budget as over it (issue 18.2).

Three initiatives need a skill only contractors have, at 1 per hour: 10.006, 20.007
and 69.987 hours, exactly 100.000 against a budget of 100. Rounded to cents one by
one they are 10.01 + 20.01 + 69.99 = 100.01: the views must show 100.00.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support import scenario, solve_checked

from models.plan import Plan
from planner.checker import check_plan
from planner.io.export import write_plan
from planner.views import VIEWS

HOURS = (10.006, 20.007, 69.987)


def _case(unit_budget: float | None = None, budget: float = 100) -> Plan:
    units = [{"id": "dev"} if unit_budget is None else {"id": "dev", "budget": unit_budget}]
    return solve_checked(scenario(
        units=units,
        staff=[{"id": "d1", "unit": "dev", "skills": ["code"]}],
        initiatives=[{"id": f"i{k}", "sponsor": "dev", "contributes": {"grow": "strong"},
                      "effort": [{"unit": "dev", "skill": "cloud", "hours": h}]}
                     for k, h in enumerate(HOURS)],
        external=[{"skill": "cloud", "max_fte": 100, "cost_per_hour": 1}],
        policy={"budget": budget},
    ))


def _spend_everywhere(plan: Plan) -> dict[str, float]:
    s = VIEWS["summary"](plan).set_index("metric")["value"]
    b = VIEWS["budget"](plan).set_index("scope")
    fin = VIEWS["finance"](plan)
    costs = VIEWS["initiative_costs"](plan)
    return {
        "summary": float(s["incremental_spend"]),
        "summary_remaining": float(s["budget_remaining"]),
        "budget_total": float(b.loc["total", "incremental_spend"]),
        "budget_unit": float(b[b["unit"] == "dev"]["incremental_spend"].iloc[0]),
        "finance": round(float(fin[fin["category"] != "internal_labour"]["amount"].sum()), 2),
        "initiative_costs": round(float(costs["external_cost"].sum()), 2),
    }


def test_total_budget_kept_in_every_view() -> None:
    plan = _case()
    assert plan.selected == ["i0", "i1", "i2"]
    got = _spend_everywhere(plan)
    assert got["summary_remaining"] == 0
    for view in ("summary", "budget_total", "budget_unit", "finance", "initiative_costs"):
        assert got[view] == 100.0, (view, got)


def test_unit_budget_kept_in_every_view() -> None:
    plan = _case(unit_budget=100, budget=1000)
    got = _spend_everywhere(plan)
    b = VIEWS["budget"](plan).set_index("scope")
    assert float(b[b["unit"] == "dev"]["remaining"].iloc[0]) == 0
    assert got["budget_unit"] == 100.0


def test_every_row_stays_within_two_cents_of_exact() -> None:
    fin = VIEWS["finance"](_case())
    ext = fin[fin["category"] == "external"].groupby("work")["amount"].sum()
    for k, h in enumerate(HOURS):
        assert abs(ext[f"i{k}"] - h) <= 0.02


def test_checker_catches_a_breach_of_two_cents(tmp_path: Path) -> None:
    # hours written with 4 decimals are off by at most 0.00005 h a row: at 1/h the
    # tolerance is about a cent, so 2 cents over the budget is a breach
    plan = _case()
    out = write_plan(plan, tmp_path / "plan")
    a = pd.read_csv(out / "assignments.csv", dtype=str, keep_default_na=False)
    row = a.index[a["work"] == "i0"][0]
    a.loc[row, "hours"] = f"{float(a.loc[row, 'hours']) + 0.02:.4f}"
    a.to_csv(out / "assignments.csv", index=False)
    report = check_plan(plan.scenario, out)
    assert any(v.rule == "budget" for v in report.violations), report.to_text()


@pytest.mark.parametrize("extra", [0.0])
def test_checker_accepts_the_written_plan(tmp_path: Path, extra: float) -> None:
    plan = _case()
    out = write_plan(plan, tmp_path / "plan")
    assert check_plan(plan.scenario, out).ok
