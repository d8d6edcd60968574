"""Stakeholder ratings: median per objective, disagreement flags, explicit contributes wins."""

from __future__ import annotations

import pytest

from planner.errors import ScenarioError
from planner.gather.ratings import disagreements, median_ratings
from planner.io.export import write_plan
from planner.io.load import read_scenario
from planner.solving import Settings, solve
from planner.views import portfolio

SCENARIO = """\
name: scoring
horizon: {periods: 4, period: index, hours_per_fte: 10}
strategy:
  objectives:
    - {id: retention, weight: 5}
    - {id: cost, weight: 3}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
  - {id: a, effort: [{unit: dev, skill: code, hours: 10}]}
  - {id: b, effort: [{unit: dev, skill: code, hours: 10}]}
  - {id: c, contributes: {cost: extreme}, effort: [{unit: dev, skill: code, hours: 10}]}
ratings: {csv: ratings.csv}
"""

RATINGS = """\
stakeholder,initiative,objective,rating
alice,a,retention,strong
bob,a,retention,low
carol,a,retention,strong
alice,a,cost,none
bob,a,cost,low
alice,b,retention,moderate
bob,b,retention,0.75
alice,c,retention,extreme
"""


def test_median_per_objective_with_even_counts_averaged(write_scenario):
    loaded = read_scenario(write_scenario(SCENARIO, {"ratings.csv": RATINGS}))
    s = loaded.scenario
    by_id = {i.id: i for i in s.initiatives}
    # a/retention: strong, low, strong -> median strong (0.75)
    # a/cost: none (0), low (0.25) -> even count: mean of the middle two = 0.125
    assert by_id["a"].contributes == {"retention": "strong", "cost": 0.125}
    # b/retention: moderate (0.5) and 0.75 -> 0.625
    assert by_id["b"].contributes == {"retention": 0.625}
    # c keeps its own contributes; its rating is ignored, with a warning naming it
    assert by_id["c"].contributes == {"cost": "extreme"}
    assert s.strategic_score(by_id["a"]) == pytest.approx(5 * 0.75 + 3 * 0.125)
    [warning] = [str(w) for w in loaded.warnings]
    assert "initiative 'c' has its own contributes and is also rated" in warning
    assert warning.startswith(f"{loaded.source.default_file}:12: warning: initiatives 'c'")


def test_disagreement_two_levels_apart_is_flagged_in_the_portfolio(write_scenario, tmp_path):
    s = read_scenario(write_scenario(SCENARIO, {"ratings.csv": RATINGS})).scenario
    # a/retention low..strong is two levels apart; b/retention moderate..0.75 is one
    assert disagreements(s.ratings) == {"a": {"retention": (0.25, 0.75)}}
    plan = solve(s, Settings(strategy="greedy"))
    frame = portfolio(plan).set_index("initiative")
    assert frame.loc["a", "disagreement"] == "retention low..strong"
    assert frame.loc["b", "disagreement"] == ""
    assert "stakeholders disagree on retention low..strong" in plan.initiative("a").reason
    out = write_plan(plan, tmp_path / "plan")
    assert "retention low..strong" in (out / "portfolio.csv").read_text()


def test_median_helpers_on_numbers_and_words():
    from models.scenario import StakeholderRating as R

    rows = [R(stakeholder=s, initiative="x", objective="o", rating=r)
            for s, r in (("p", "low"), ("q", "moderate"), ("r", 1.0), ("s", "none"))]
    # sorted 0, 0.25, 0.5, 1 -> (0.25 + 0.5) / 2
    assert median_ratings(rows) == {"x": {"o": 0.375}}
    assert disagreements(rows) == {"x": {"o": (0.0, 1.0)}}


def test_rating_errors_name_the_csv_line(write_scenario):
    bad = ("stakeholder,initiative,objective,rating\n"
           "alice,a,retention,strong\n"
           "alice,zz,retention,low\n"
           "alice,a,retention,low\n"
           "bob,a,costs,low\n")
    folder = write_scenario(SCENARIO, {"ratings.csv": bad}).parent
    with pytest.raises(ScenarioError) as exc:
        read_scenario(folder / "scenario.yaml")
    assert [str(i) for i in exc.value.issues] == [
        f"{folder}/ratings.csv:3: ratings[1], field 'initiative': unknown initiative 'zz'",
        f"{folder}/ratings.csv:4: ratings[2]: stakeholder 'alice' rated 'a' on 'retention' "
        f"twice (also {folder}/ratings.csv:2)",
        f"{folder}/ratings.csv:5: ratings[3], field 'objective': unknown objective 'costs'; "
        "did you mean 'cost'?",
    ]
    write_scenario(SCENARIO, {"ratings.csv": "stakeholder,initiative,objective,rating\n"
                                             "alice,a,retention,hihg\n"})
    with pytest.raises(ScenarioError) as exc:
        read_scenario(folder / "scenario.yaml")
    [issue] = exc.value.issues
    assert str(issue).startswith(f"{folder}/ratings.csv:2: ratings[0], field 'rating': ")
    assert "'none', 'low', 'moderate', 'strong' or 'extreme'" in str(issue)
