"""``compare``: an initiative added in a scenario is explained by the base's plan and budget.

Issue 18.1: a lower-budget scenario adds ``a`` (cost 80, strong) once the pair b + c
(50 + 40) no longer fits; the base left ``a`` out because its budget of 100 went to
b and c. The reason must say so, not read as if the lower budget were too small.
"""

from __future__ import annotations

from support import scenario, solve_checked

from planner.analysis.compare import initiative_changes
from tests.solving.test_driver import dev_team, work


def _case(budget: float):
    return scenario(
        **dev_team(3),
        initiatives=[
            work("a", 10, score="strong", cost=80),
            work("b", 10, score="moderate", cost=50),
            work("c", 10, score="moderate", cost=40),
        ],
        policy={"budget": budget},
    )


def test_added_reason_names_the_base_plan_and_both_budgets() -> None:
    base, cut = solve_checked(_case(100)), solve_checked(_case(80))
    assert base.selected == ["b", "c"] and cut.selected == ["a"]
    t = initiative_changes({"base": base, "cut": cut}).set_index("initiative")
    assert t.loc["a", "change"] == "added"
    assert t.loc["a", "reason"] == (
        "left out in the base: would exceed the budget by 70 next to the base's chosen "
        "initiatives (forced in, it would fit, at the expense of chosen work or RTB) "
        "(budget in the base 100, here 80)")
