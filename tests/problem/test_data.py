"""Compiling a scenario: windows in period numbers, tightened by dependencies; weights."""

from __future__ import annotations

import pytest
from support import scenario

from planner.problem.data import compile_problem


def _ini(iid, duration=1, **kw):
    return {"id": iid, "duration": duration, "contributes": {"grow": 1}, **kw}


def test_windows_follow_earliest_start_deadline_and_prerequisites():
    sc = scenario(
        horizon={"periods": 6, "period": "index"},
        initiatives=[
            _ini("a", 2, earliest_start=2),          # may start 2..5
            _ini("b", 1, depends_on=["a"]),          # after a's earliest finish (3): 4..6
            _ini("c", 2, deadline=4, mandatory=True, depends_on=["d"]),  # starts 2..3
            _ini("d", 1),                            # must finish before c's last start: 1..2
        ],
    )
    data = compile_problem(sc)
    win = {i.id: (i.earliest + 1, i.latest + 1) for i in data.initiatives}
    assert win == {"a": (2, 5), "b": (4, 6), "c": (2, 3), "d": (1, 2)}
    assert data.by_id["d"].required and not data.by_id["a"].required


def test_an_impossible_window_is_empty_not_an_error():
    sc = scenario(horizon={"periods": 3, "period": "index"},
                  initiatives=[_ini("long", 3, earliest_start=2)])
    ini = compile_problem(sc).by_id["long"]
    assert ini.latest < ini.earliest and not ini.selectable


def test_exclusivity_is_symmetric_whoever_declares_it():
    sc = scenario(initiatives=[_ini("a", exclusive_with=["b"]), _ini("b")])
    data = compile_problem(sc)
    assert data.by_id["b"].exclusive_with == [data.by_id["a"].index]


@pytest.mark.parametrize(("objective", "expected"), [
    ("strategic", [0.75, 0.25]),
    ("value", [900 - 100, 0 - 0]),
    # blend: n x (half the share of the score + half the share of the value)
    ("blend", [2 * (0.5 * 0.75 + 0.5 * 1.0), 2 * (0.5 * 0.25 + 0.0)]),
])
def test_objective_weights(objective, expected):
    sc = scenario(
        initiatives=[
            {"id": "a", "contributes": {"grow": "strong"}, "value": 900, "cost": 100},
            {"id": "b", "contributes": {"grow": "low"}},
        ],
        policy={"objective": objective},
    )
    assert [i.weight for i in compile_problem(sc).initiatives] == pytest.approx(expected)
