"""The elastic diagnosis of an infeasible scenario: what is short, where, and for whom.

(The change-hours and must-RTB cases are in ``test_driver.py``; these add money and
a required chain, each worked out by hand.)
"""

from __future__ import annotations

import pytest
from support import scenario

from planner.problem.data import compile_problem
from planner.solving.diagnose_kpi import diagnose


def _dev(n: int = 2, **extra):
    return scenario(
        horizon={"periods": 2, "period": "index", "hours_per_fte": 10},
        units=[{"id": "dev", "budget": extra.pop("unit_budget", None)}],
        staff=[{"id": f"d{k}", "unit": "dev", "skills": ["code"]} for k in range(n)],
        **extra,
    )


def _work(iid, hours, cost=0.0, **kw):
    return {"id": iid, "contributes": {"grow": 1}, "cost": cost, "sponsor": "dev",
            "effort": [{"unit": "dev", "skill": "code", "hours": hours}], **kw}


def test_a_budget_too_small_for_the_mandatory_work_is_named_with_the_amount():
    # m costs 700 and must run; the budget is 500: 200 short
    sc = _dev(initiatives=[_work("m", 5, cost=700, mandatory=True)], policy={"budget": 500})
    d = diagnose(compile_problem(sc))
    [s] = d.shortfalls
    assert s.kind == "budget" and s.amount == pytest.approx(200)
    assert "budget" in d.to_text()


def test_a_unit_budget_is_named_with_its_unit():
    sc = _dev(unit_budget=100, initiatives=[_work("m", 5, cost=250, mandatory=True)])
    [s] = diagnose(compile_problem(sc)).shortfalls
    assert (s.kind, s.unit) == ("unit_budget", "dev") and s.amount == pytest.approx(150)


def test_a_prerequisite_of_mandatory_work_is_short_by_its_own_hours():
    # m (mandatory, period 2) needs p first (period 1); p needs 30 h of 20 h: 10 h short,
    # and the diagnosis says p is there because m needs it
    sc = _dev(initiatives=[_work("p", 30), _work("m", 5, mandatory=True, depends_on=["p"])])
    d = diagnose(compile_problem(sc))
    [s] = d.shortfalls
    assert (s.kind, s.period, s.initiatives) == ("change", "1", ["p"])
    assert s.amount == pytest.approx(10)
    assert "prerequisite of m" in d.to_text()


def test_a_feasible_scenario_has_nothing_short():
    d = diagnose(compile_problem(_dev(initiatives=[_work("m", 5, mandatory=True)])))
    assert d.shortfalls == []
