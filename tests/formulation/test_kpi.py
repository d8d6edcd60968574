"""KPI targets in the model: must_meet, soft reward, direction, value paths, by, the checker.

Every scenario is small enough to work out by hand: one person ``p`` gives 10
hours a period (4 index periods); ``big`` and ``small`` both need all periods 1-2
(deadline 2) and together more than 10 hours a period, so only one fits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import scenario, solve_checked

from models.scenario import KPI, Scenario
from planner.checker import check_plan
from planner.cli import main
from planner.errors import InfeasibleError
from planner.io.export import write_plan
from planner.problem.kpi import Target, forecast, propagate, targets
from planner.solving import Settings, solve
from planner.views import VIEWS


def two_way(big_rating: float, nps: dict[str, Any], **policy: Any) -> Scenario:
    """``big`` (rating big_rating, 20 h) or ``small`` (rating 0.5, 10 h, nps +5): not both."""
    return scenario(
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "nps", "objective": "grow", "baseline": 0, **nps}]},
        units=[{"id": "u"}],
        staff=[{"id": "p", "unit": "u", "skills": ["x"]}],
        initiatives=[
            {"id": "big", "contributes": {"grow": big_rating}, "duration": 2, "deadline": "2",
             "effort": [{"unit": "u", "skill": "x", "hours": 20}]},
            {"id": "small", "contributes": {"grow": 0.5}, "kpi_impacts": {"nps": 5},
             "duration": 2, "deadline": "2",
             "effort": [{"unit": "u", "skill": "x", "hours": 10}]},
        ],
        policy=policy,
    )


@pytest.mark.parametrize("strategy", ["optimal", "greedy"])
def test_must_meet_beats_the_top_score(strategy: str) -> None:
    # soft: big earns 1.0 x 1.05 (earliness); small 0.5 x 1.05 + the KPI reward
    # (0.5 + 0.01) x 0.75 (average weight) = 0.9075: the top-scored plan misses nps
    soft = solve_checked(two_way(1.0, {"target": 5}))
    assert soft.selected == ["big"]
    # must_meet: only small reaches nps 5, so the plan takes it
    hard = solve_checked(two_way(1.0, {"target": 5, "must_meet": True}), strategy=strategy)
    assert hard.selected == ["small"]
    row = VIEWS["kpi_path"](hard).set_index("kpi").loc["nps"]
    assert (row["forecast"], row["gap"], row["met"]) == (5, 0, True)
    assert hard.run.objective == pytest.approx(0.5 * 1.05 + 0.51 * 0.75, abs=1e-6)


def test_soft_target_cheap_initiative_beats_a_higher_score() -> None:
    # big 0.6 x 1.05 = 0.63; small 0.5 x 1.05 + (0.5 + 0.01) x 0.55 = 0.8055
    plan = solve_checked(two_way(0.6, {"target": 5}))
    assert plan.selected == ["small"]
    assert plan.run.objective == pytest.approx(0.8055, abs=1e-6)
    # without the reward the higher score wins
    plan = solve_checked(two_way(0.6, {"target": 5}, kpi_targets={"weight": 0, "met_bonus": 0}))
    assert plan.selected == ["big"]
    # no reward beyond the target: a target of 1 is worth the same as closing 1 of 1
    plan = solve_checked(two_way(0.6, {"target": 1}))
    assert plan.run.objective == pytest.approx(0.8055, abs=1e-6)


NO_PLAN = {
    "strategy": {"objectives": [{"id": "grow", "weight": 1}],
                 "kpis": [{"id": "nps", "objective": "grow", "baseline": 0, "target": 10,
                           "must_meet": True}]},
    "units": [{"id": "u"}],
    "staff": [{"id": "p", "unit": "u", "skills": ["x"]}],
    "initiatives": [
        {"id": "a", "contributes": {"grow": 0.5}, "kpi_impacts": {"nps": 5}, "duration": 2,
         "deadline": "2", "effort": [{"unit": "u", "skill": "x", "hours": 20}]},
        {"id": "b", "contributes": {"grow": 0.5}, "kpi_impacts": {"nps": 5}, "duration": 2,
         "deadline": "2", "effort": [{"unit": "u", "skill": "x", "hours": 20}]},
        {"id": "c", "contributes": {"grow": 0.5}, "kpi_impacts": {"nps": 3}, "duration": 2,
         "earliest_start": "4", "effort": []},
    ],
}


def test_no_plan_meets_must_meet_names_kpi_shortfall_and_blockers() -> None:
    # a and b each fill p's 10 h in periods 1-2: one of them, nps 5 of 10, short 5;
    # c cannot finish within the horizon at all (starts in 4, runs 2 periods)
    with pytest.raises(InfeasibleError) as err:
        solve(scenario(**NO_PLAN), Settings(time_limit=20))
    d = err.value.diagnosis
    [s] = d.shortfalls
    assert (s.kind, s.kpi, s.amount) == ("kpi", "nps", pytest.approx(5))
    # the elastic plan takes one of a and b: the other and c are what could close it
    [left_out] = sorted({"a", "b"} & set(s.initiatives))
    assert "c" in s.initiatives
    text = str(err.value)
    assert "KPI nps must reach 10 by 4" in text and "short by 5" in text
    assert "best reachable forecast is 5" in text
    assert "capacity: u/x short" in text
    assert f"{left_out} (+5: capacity" in text
    assert "c (+3: cannot finish by 4" in text


def test_no_plan_exit_3_on_the_command_line(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "horizon": {"periods": 4, "period": "index",
                                                              "hours_per_fte": 10}, **NO_PLAN}))
    res = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "o"), "-q"])
    assert res.exit_code == 3
    assert "KPI nps" in res.output and "short by 5" in res.output
    assert not (tmp_path / "o").exists()


def test_falling_kpi_direction_and_gap_sign() -> None:
    kpi = KPI(id="days", baseline=10, target=6)
    [t] = targets(Scenario.model_validate({
        "name": "t", "horizon": {"periods": 2, "period": "index"},
        "strategy": {"kpis": [kpi.model_dump()]}}))
    assert t.direction == -1 and t.gap0 == 4
    assert (t.gap(7), t.met(7)) == (1, False)  # 7 is one day short of 6
    assert (t.gap(5), t.met(5)) == (-1, True)  # one day better than the target
    rising = Target(0, "nps", 0, 5, 1, 1, False, None)
    assert (rising.gap(3), rising.met(3), rising.gap(6)) == (2, False, -1)


def test_falling_kpi_in_a_plan() -> None:
    sc = scenario(
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "days", "objective": "grow", "baseline": 10, "target": 6}]},
        units=[{"id": "u"}], staff=[{"id": "p", "unit": "u", "skills": ["x"]}],
        initiatives=[{"id": "fast", "contributes": {"grow": 1}, "kpi_impacts": {"days": -3},
                      "duration": 1, "effort": [{"unit": "u", "skill": "x", "hours": 5}]}],
    )
    row = VIEWS["kpi_path"](solve_checked(sc)).set_index("kpi").loc["days"]
    assert (row["direction"], row["forecast"], row["gap"], row["met"]) == ("down", 7, 1, False)
    assert [row[p] for p in ("1", "2", "3", "4")] == [7, 7, 7, 7]  # finishes at the end of 1


def test_drives_chain_by_hand() -> None:
    # a drives b by -2, b drives c by 0.5; i moves a +1 and b +3: b = 3 - 2 = 1, c = 0.5
    kpis = [KPI(id="a", drives={"b": -2}), KPI(id="b", drives={"c": 0.5}), KPI(id="c")]
    assert propagate(kpis, {"a": 1, "b": 3}) == {"a": 1, "b": 1, "c": 0.5}
    assert propagate(list(reversed(kpis)), {"a": 2}) == {"a": 2, "b": -4, "c": -2}
    sc = Scenario.model_validate({
        "name": "t", "horizon": {"periods": 3, "period": "index"},
        "strategy": {"kpis": [k.model_dump() | {"baseline": 10} for k in kpis]},
        "initiatives": [{"id": "i", "kpi_impacts": {"a": 1, "b": 3}},
                        {"id": "j", "kpi_impacts": {"c": 1}}],
    })
    paths = forecast(sc, {"i": 0, "j": 2}, 3)
    assert paths == {"a": [11, 11, 11], "b": [11, 11, 11], "c": [10.5, 10.5, 11.5]}
    from planner.checker.kpi import forecasts
    from planner.problem.calendar import Calendar

    assert forecasts(sc, Calendar(sc.horizon), {"i": 0, "j": 2}) == paths


def test_by_period_counts_only_initiatives_finished_by_then() -> None:
    # slow (score 1) finishes in 3 at the earliest, quick (score 0.5) in 2; target by 2
    sc = scenario(
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "nps", "objective": "grow", "baseline": 0, "target": 5,
                            "by": "2", "must_meet": True}]},
        units=[{"id": "u"}], staff=[{"id": "p", "unit": "u", "skills": ["x"]}],
        initiatives=[
            {"id": "slow", "contributes": {"grow": 1}, "kpi_impacts": {"nps": 5},
             "duration": 3, "effort": [{"unit": "u", "skill": "x", "hours": 30}]},
            {"id": "quick", "contributes": {"grow": 0.5}, "kpi_impacts": {"nps": 5},
             "duration": 2, "effort": [{"unit": "u", "skill": "x", "hours": 20}]},
        ],
    )
    assert forecast(sc, {"slow": 2}, 4)["nps"] == [0, 0, 5, 5]  # after by (period 2)
    plan = solve_checked(sc)
    assert "quick" in plan.selected
    assert plan.initiative("quick").finish in ("1", "2")
    row = VIEWS["kpi_path"](plan).set_index("kpi").loc["nps"]
    assert (row["by"], row["met"]) == ("2", True)


def test_checker_catches_a_hand_edited_plan_that_misses_must_meet(tmp_path: Path) -> None:
    sc = two_way(1.0, {"target": 5, "must_meet": True})
    plan = solve(sc, Settings(time_limit=20))
    out = write_plan(plan, tmp_path / "plan")
    assert check_plan(sc, out).ok
    pf = (out / "portfolio.csv").read_text()
    # swap: leave small out, put big in its place (same periods)
    lines = []
    for line in pf.splitlines():
        if line.startswith("small,"):
            line = line.replace(",true,1,2,", ",false,,,", 1)
        elif line.startswith("big,"):
            line = line.replace(",false,,,", ",true,1,2,", 1)
        lines.append(line)
    (out / "portfolio.csv").write_text("\n".join(lines) + "\n")
    report = check_plan(sc, out)
    assert "kpi_target" in report.rules()
    assert any(v.rule == "kpi_target" and v.item == "nps" and v.amount == 5
               for v in report.violations)
    # kpi_path.csv now disagrees with the portfolio too (forecast 5 written, 0 now)
    assert "kpi_path" in report.rules()


def test_checker_catches_a_wrong_gap_sign(tmp_path: Path) -> None:
    sc = two_way(0.6, {"target": 8})
    out = write_plan(solve(sc, Settings(time_limit=20)), tmp_path / "plan")
    assert check_plan(sc, out).ok
    text = (out / "kpi_path.csv").read_text()
    assert ",5,3,false," in text  # forecast 5, year end 5, gap 3 (short), not met
    (out / "kpi_path.csv").write_text(text.replace(",5,3,false,", ",5,-3,false,"))
    report = check_plan(sc, out)
    assert report.rules() == {"kpi_path": 1}
