"""Money rounding keeps per-year budgets too (issue 15 with issue 18.2).

The case of ``test_money_budget``: three initiatives need contractors at 1 per hour
for 10.006, 20.007 and 69.987 hours, exactly 100.000, which cents rounded one by one
show as 100.01. The horizon is 2027-12 and 2028-01, one period in each year, and
every initiative lasts one period, so its contractor money falls in the year of its
start. Each year's budget scope must show what the plan keeps: 100.00.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import scenario, solve_checked

from models.plan import Plan
from planner.checker import check_plan
from planner.io.export import write_plan
from planner.views import VIEWS

HOURS = (10.006, 20.007, 69.987)


def _case(budget: dict[int, float], carry_over: bool = False,
          unit_budget: dict[int, float] | None = None) -> Plan:
    unit = {"id": "dev"} if unit_budget is None else {"id": "dev", "budget": unit_budget}
    return solve_checked(scenario(
        horizon={"start": "2027-12", "periods": 2, "period": "month"},
        units=[unit],
        staff=[{"id": "d1", "unit": "dev", "skills": ["code"]}],
        # i2's contractor hours cost more than an average initiative is worth unless it
        # is worth more than the average itself (the earliness reward is small on 2 periods)
        initiatives=[{"id": f"i{k}", "sponsor": "dev",
                      "contributes": {"grow": "extreme" if k == 2 else "low"},
                      "effort": [{"unit": "dev", "skill": "cloud", "hours": h}]}
                     for k, h in enumerate(HOURS)],
        external=[{"skill": "cloud", "max_fte": 100, "cost_per_hour": 1}],
        policy={"budget": budget, "carry_over": carry_over},
    ))


def _years(plan: Plan) -> dict[int, float]:
    lt = VIEWS["long_term_plan"](plan).set_index("year")
    return {int(y): float(v) for y, v in lt["spend"].items()}


@pytest.mark.parametrize(("budget", "carry", "year"), [
    ({2027: 100, 2028: 0}, False, 2027),   # everything in 2027-12
    ({2027: 0, 2028: 100}, True, 2028),    # cumulative: 100 up to the end of 2028
])
def test_each_year_shows_its_budget_kept(budget: dict[int, float], carry: bool, year: int,
                                         tmp_path: Path) -> None:
    plan = _case(budget, carry)
    assert plan.selected == ["i0", "i1", "i2"]
    assert {plan.initiative(i).start[:4] for i in plan.selected} == {str(year)}
    assert _years(plan)[year] == 100.0
    fin = VIEWS["finance"](plan)
    assert round(float(fin[fin["category"] == "external"]["amount"].sum()), 2) == 100.0
    assert float(VIEWS["summary"](plan).set_index("metric")["value"]["incremental_spend"]) \
        == 100.0
    assert check_plan(plan.scenario, write_plan(plan, tmp_path / "plan")).ok


def test_a_unit_year_shows_its_budget_kept() -> None:
    plan = _case({2027: 1000, 2028: 1000}, unit_budget={2027: 100, 2028: 0})
    assert plan.selected == ["i0", "i1", "i2"]
    lt = VIEWS["long_term_plan"](plan).set_index("year")
    assert float(lt.loc[2027, "spend[dev]"]) == 100.0
