"""Validation of KPI targets and value paths: located errors and warnings."""

from __future__ import annotations

from models.scenario import Scenario
from planner.io.validate import check

BASE = {
    "name": "t",
    "horizon": {"start": "2027-01", "periods": 6, "period": "month"},
    "units": [{"id": "u"}],
    "staff": [{"id": "p", "unit": "u", "skills": ["x"]}],
}


def issues(kpis: list[dict], **extra: object) -> list[str]:
    sc = Scenario.model_validate({**BASE, "strategy": {"objectives": [{"id": "o"}],
                                                       "kpis": kpis}, **extra})
    return [f"{i.severity}: {i}" for i in check(sc)]


def test_unknown_kpi_in_drives_and_sustains_with_suggestion() -> None:
    got = issues([{"id": "nps", "drives": {"churnn": 1}}, {"id": "churn"}],
                 run_the_business=[{"unit": "u", "skill": "x", "hours": 5, "sustains": ["np"]}])
    assert any("kpis 'nps', field 'drives.churnn': unknown KPI 'churnn'; did you mean 'churn'?"
               in g and g.startswith("error") for g in got)
    assert any("run_the_business[0], field 'sustains[0]': unknown KPI 'np'; did you mean 'nps'"
               in g for g in got)


def test_drives_cycle_is_named() -> None:
    got = issues([{"id": "a", "drives": {"b": 1}}, {"id": "b", "drives": {"c": 2}},
                  {"id": "c", "drives": {"a": 1}}])
    assert sum("value path cycle" in g for g in got) == 1
    assert any("value path cycle: a -> b -> c -> a" in g for g in got)
    assert any("cannot drive itself" in g for g in issues([{"id": "a", "drives": {"a": 1}}]))


def test_by_outside_horizon_and_must_meet_without_target() -> None:
    got = issues([{"id": "a", "baseline": 1, "target": 2, "by": "2028-01"},
                  {"id": "b", "baseline": 1, "must_meet": True}])
    assert any("kpis 'a', field 'by': period '2028-01' is outside the horizon" in g for g in got)
    assert any("kpis 'b', field 'must_meet': a must_meet KPI needs a target" in g for g in got)


def test_warnings_target_equals_baseline_and_unreachable_must_meet() -> None:
    got = issues(
        [{"id": "a", "baseline": 3, "target": 3},
         {"id": "b", "baseline": 0, "target": 10, "must_meet": True, "by": "2027-03"}],
        initiatives=[
            {"id": "i", "contributes": {"o": 1}, "kpi_impacts": {"b": 4}, "duration": 2,
             "effort": [{"unit": "u", "skill": "x", "hours": 1}]},
            # finishes in 2027-04 at the earliest: after by
            {"id": "j", "contributes": {"o": 1}, "kpi_impacts": {"b": 9}, "duration": 2,
             "earliest_start": "2027-03", "effort": [{"unit": "u", "skill": "x", "hours": 1}]},
        ])
    warnings = [g for g in got if g.startswith("warning")]
    assert any("kpis 'a', field 'target': equals the baseline 3" in g for g in warnings)
    assert any("must_meet target 10 cannot be reached by 2027-03" in g and "at best 4" in g
               for g in warnings)
    assert not [g for g in got if g.startswith("error")]
