"""``track``: variance of a hand-written actuals file against a hand-written plan.

Four index periods. d0 (code 1.0, 100/h) and d1 (code 0.5, 60/h) in dev, o0 (ops,
40/h); a contractor pool ``code`` at 150/h. Plan: a (periods 1-2, 20 h: 10 a period)
and b (2-3, 12 h: 6 a period).

=======  ================================  =========================================
period   planned (person-hours)             actual
=======  ================================  =========================================
1        d0 a 10, d1 rtb:dev 4, o0 8        d0 a 8, d0 rtb:dev 2, d1 rtb:dev 4
2        d0 a 10, d1 b 12, o0 8             d0 a 12, d1 b 6, external:code b 2
3        d0 b 6, o0 8                       (not given)
=======  ================================  =========================================

o0 is not in the actuals: taken as planned, not compared.
"""

from __future__ import annotations

import pandas as pd
import pytest
from asof_cases import TRACK_ACTUALS as ACTUALS
from asof_cases import track_plan as hand_plan
from asof_cases import write_csv

from planner.analysis.track import track
from planner.io.actuals import read_actuals


@pytest.fixture
def result(tmp_path):
    plan = hand_plan()
    act = read_actuals(write_csv(tmp_path / "actuals.csv", ACTUALS), plan.scenario)
    return track(plan, act.rows)


def table(frame: pd.DataFrame, cols: list[str]) -> list[list[object]]:
    return frame[cols].values.tolist()


MEASURES = ["planned_hours", "actual_hours", "hours_variance", "planned_cost", "actual_cost",
            "cost_variance"]


def test_variance_per_person_period_and_work(result):
    assert result.through == "2"
    assert table(result.variance, ["person", "unit", "period", "work", *MEASURES]) == [
        ["d0", "dev", "1", "a", 10, 8, -2, 1000, 800, -200],
        ["d0", "dev", "1", "rtb:dev", 0, 2, 2, 0, 200, 200],
        ["d1", "dev", "1", "rtb:dev", 4, 4, 0, 240, 240, 0],
        ["d0", "dev", "2", "a", 10, 12, 2, 1000, 1200, 200],
        ["d1", "dev", "2", "b", 12, 6, -6, 720, 360, -360],
        # the contractor's unit is the unit whose work it did (dev), at 150/h
        ["external:code", "dev", "2", "b", 0, 2, 2, 0, 300, 300],
    ]


def test_rollups_by_initiative_unit_person_and_period(result):
    assert table(result.by_initiative, ["work", *MEASURES]) == [
        ["a", 20, 20, 0, 2000, 2000, 0],
        ["b", 12, 8, -4, 720, 660, -60],
        ["rtb:dev", 4, 6, 2, 240, 440, 200],
    ]
    # o0 (ops) is not in the actuals: not compared, so no ops row
    assert table(result.by_unit, ["unit", *MEASURES]) == [["dev", 36, 34, -2, 2960, 3100, 140]]
    assert table(result.by_person, ["person", "unit", "hours_variance", "cost_variance"]) == [
        ["d0", "dev", 2, 200], ["d1", "dev", -6, -360], ["external:code", "dev", 2, 300]]
    assert table(result.by_period, ["period", *MEASURES]) == [
        ["1", 14, 14, 0, 1240, 1240, 0],
        ["2", 22, 20, -2, 1720, 1860, 140],
    ]


def test_behind_and_forecast_finish_at_the_pace_so_far(result):
    cols = ["initiative", "total", "planned_to_date", "actual_to_date", "behind", "pace",
            "remaining", "forecast_finish", "periods_late"]
    assert table(result.progress, cols) == [
        # a: 8 + 12 = 20 delivered of 20, as planned by its finish
        ["a", 20, 20, 20, False, 10, 0, "2", 0],
        # b: planned 12 x 0.5 = 6 delivered by period 2; actual 6 x 0.5 + 2 = 5: behind.
        # Pace 5 a period (1 period elapsed), 7 left: ceil(7 / 5) = 2 periods -> period 4,
        # one after its planned finish 3
        ["b", 12, 6, 5, True, 5, 7, "4", 1],
    ]
    assert result.behind == ["b"]


def test_no_pace_no_forecast(tmp_path):
    plan = hand_plan()
    text = ACTUALS.replace("d1,dev,2,b,code,6", "d1,dev,2,b,code,0").replace(
        "external:code,,2,b,code,2", "external:code,,2,b,code,0")
    act = read_actuals(write_csv(tmp_path / "a.csv", text), plan.scenario)
    b = track(plan, act.rows).progress.set_index("initiative").loc["b"]
    assert (b["actual_to_date"], b["behind"], b["forecast_finish"]) == (0, True, "")
    assert b["note"] == "no progress on dev/code: no pace to forecast from"
