"""Benefits over time and net present value, worked by hand.

``app`` runs two quarters from 2027-Q1 (8 quarters, 2027-2028), costs 1,000
(500 a quarter), and brings 400 a quarter after delivery, ramped over 2
quarters: 200 in 2027-Q3, then 400 in each of 2027-Q4 .. 2028-Q4. Money at the
end of quarter t (t = 0 .. 7) is discounted at 10% a year: d_t = 1.1^-((t+1)/4).

    d_0 .. d_7 = 0.976454, 0.953463, 0.931012, 0.909091,
                 0.887686, 0.866784, 0.846375, 0.826446
    NPV = -500 (d_0 + d_1) + 200 d_2 + 400 (d_3 + d_4 + d_5 + d_6 + d_7)
        = -964.958 + 186.202 + 1734.553 = 955.80
"""

from __future__ import annotations

import pytest
from support import scenario, solve_checked

from models.scenario import Horizon, Scenario
from planner.problem.calendar import Calendar, PeriodError
from planner.problem.money import benefits, discount_factors, npv
from planner.views import VIEWS

QUARTERS = {"start": "2027-Q1", "periods": 8, "period": "quarter"}
APP = {"id": "app", "contributes": {"grow": 1}, "duration": 2, "cost": 1000,
       "value_per_period": 400, "value_ramp": 2}


def app(**policy: object) -> Scenario:
    return scenario(horizon=QUARTERS, units=[{"id": "u"}], initiatives=[APP],
                    policy={"objective": "value", "discount_rate": 0.1, **policy})


def test_discount_factors_and_benefits() -> None:
    cal = Calendar(Horizon.model_validate(QUARTERS))
    d = discount_factors(cal, 0.1)
    assert d == pytest.approx([0.976454, 0.953463, 0.931012, 0.909091, 0.887686, 0.866784,
                               0.846375, 0.826446], abs=1e-6)
    sc = app()
    assert list(benefits(sc.initiatives[0], 1, 8)) == [0, 0, 200, 400, 400, 400, 400, 400]
    assert npv(sc.initiatives[0], 0, cal, 0.1) == pytest.approx(955.80, abs=0.01)
    # without discounting: 2,200 of benefits less 1,000 of cost
    assert npv(sc.initiatives[0], 0, cal, 0.0) == pytest.approx(1200.0)


def test_npv_is_the_objective_and_in_the_portfolio() -> None:
    plan = solve_checked(app(earliness=0))
    assert plan.initiative("app").start == "2027-Q1"  # later starts bring less
    assert plan.run.objective == pytest.approx(955.80, abs=0.01)
    row = VIEWS["portfolio"](plan).set_index("initiative").loc["app"]
    assert (row["npv"], row["npv_start"]) == (955.80, "2027-Q1")
    years = VIEWS["long_term_plan"](plan).set_index("year")
    assert list(years["benefits"]) == [600, 1600]


def test_a_negative_npv_is_left_out() -> None:
    # 3,000 of cost (1,500 a quarter, 2,894.9 discounted) and 2,200 of benefits (1,920.8
    # discounted): NPV -974.12, not worth it
    plan = solve_checked(scenario(horizon=QUARTERS, units=[{"id": "u"}],
                                  initiatives=[{**APP, "cost": 3000}],
                                  policy={"objective": "value", "discount_rate": 0.1}))
    assert plan.selected == []
    row = VIEWS["portfolio"](plan).set_index("initiative").loc["app"]
    assert row["npv"] == pytest.approx(-974.12, abs=0.01)


def test_quarters_default_to_three_months_of_hours() -> None:
    assert Horizon.model_validate(QUARTERS).hours_per_fte == 420
    assert Horizon.model_validate({**QUARTERS, "hours_per_fte": 400}).hours_per_fte == 400
    assert Horizon.model_validate({"start": "2027-01", "periods": 36}).hours_per_fte == 140
    cal = Calendar(Horizon.model_validate({**QUARTERS, "periods": 12}))
    assert (cal.labels[0], cal.labels[-1]) == ("2027-Q1", "2029-Q4")
    assert cal.years == [2027, 2028, 2029] and cal.year_end(2028) == 7


def test_years_of_weeks_and_index() -> None:
    weeks = Calendar(Horizon(start="2026-W52", periods=3, period="week"))
    assert weeks.labels == ["2026-W52", "2026-W53", "2027-W01"]
    assert weeks.period_years == [2026, 2026, 2027]  # ISO week-numbering years
    index = Calendar(Horizon(periods=3, period="index"))
    assert index.years == []
    with pytest.raises(PeriodError):
        index.period_years  # noqa: B018
