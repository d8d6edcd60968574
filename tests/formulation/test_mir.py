"""MIR rows of lumpy change load against RTB shortfall: right coefficients, never cut a plan."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from support import lp_value, scenario

from benchmarks.generate import generate
from models.scenario import Scenario
from planner.formulation import mir, unit_mir
from planner.formulation.build import build
from planner.formulation.model import ModelArrays
from planner.problem.data import compile_problem


def _team(**extra):
    # 3 developers x 10 h = 30 h per period; 10 h of normal RTB leaves b = 20 h
    return scenario(
        horizon={"periods": 2, "period": "index", "hours_per_fte": 10},
        units=[{"id": "dev"}],
        staff=[{"id": f"d{k}", "unit": "dev", "skills": ["code"]} for k in range(3)],
        run_the_business=[{"unit": "dev", "skill": "code", "hours": 10, "priority": "normal"}],
        **extra,
    )


def _line(id: str, hours: float, duration: int = 1, score: str = "strong") -> dict:
    return {"id": id, "duration": duration, "contributes": {"grow": score},
            "effort": [{"unit": "dev", "skill": "code", "hours": hours}]}


def _row(arrays: ModelArrays, name: str) -> dict[str, float]:
    r = arrays.row_names.index(name)
    row = arrays.matrix.getrow(r)
    return {arrays.col_names[c]: float(v) for c, v in zip(row.indices, row.data, strict=True)}


def test_row_by_hand():
    # a and b need 15 h each in one period. b = 30 - 10 = 20; delta = 15: b/delta = 4/3,
    # f = 1/3, floor 1; each line: 15/15 = 1 -> coefficient 1. Shortfall: -1/(15 * 2/3) = -0.1.
    # act_a + act_b - short/10 <= 1: running both costs 10 h of RTB (30 + 10 > 30).
    sc = _team(initiatives=[_line("a", 15), _line("b", 15)])
    arrays = build(compile_problem(sc)).model.arrays()
    for t in ("1", "2"):
        row = _row(arrays, f"mir[dev,code,{t},0]")
        assert row == {
            f"x[a,{t}]": 1.0, f"x[b,{t}]": 1.0, f"short[dev,code,{t},normal]": pytest.approx(-0.1)
        }
        r = arrays.row_names.index(f"mir[dev,code,{t},0]")
        assert arrays.row_hi[r] == 1.0


def test_no_row_where_all_lines_fit():
    # 10 + 10 <= 20: the lumps always fit, there is nothing to round
    sc = _team(initiatives=[_line("a", 10), _line("b", 10)])
    arrays = build(compile_problem(sc)).model.arrays()
    assert not [n for n in arrays.row_names if n.startswith("mir[")]


def _without_mir(monkeypatch, sc: Scenario) -> ModelArrays:
    with monkeypatch.context() as m:
        m.setattr(mir, "shortfall_mir", lambda *a: None)
        return build(compile_problem(sc)).model.arrays()


def test_no_plan_is_cut_off(monkeypatch):
    # every choice of starts has the same best completion with and without the rows
    sc = _team(initiatives=[_line("a", 15), _line("b", 12), _line("c", 18, duration=2),
                            _line("e", 7)])
    with_rows = build(compile_problem(sc)).model.arrays()
    without = _without_mir(monkeypatch, sc)
    assert with_rows.col_names == without.col_names
    assert any(n.startswith("mir[") for n in with_rows.row_names)
    xs = [c for c, n in enumerate(with_rows.col_names) if n.startswith("x[")]
    checked = 0
    for bits in itertools.product((0.0, 1.0), repeat=len(xs)):
        fix = dict(zip(xs, bits, strict=True))
        a, b = lp_value(with_rows, fix), lp_value(without, fix)
        assert (a is None) == (b is None), fix
        if a is not None:
            assert a == pytest.approx(b, abs=1e-7), fix
            checked += 1
    assert checked > 10


def test_lp_bound_tighter_on_a_generated_organisation(monkeypatch):
    # the rows alone, without the unit-level rows that came later and overlap them
    monkeypatch.setattr(unit_mir, "unit_mir", lambda *a: None)
    sc = Scenario.model_validate(generate("S", seed=0))
    tight = lp_value(build(compile_problem(sc)).model.arrays())
    loose = lp_value(_without_mir(monkeypatch, sc))
    assert tight is not None and loose is not None
    assert tight < loose * 0.97  # measured: 78.7 against 83.7


@pytest.mark.parametrize("family", ["mir[", "umir["])  # per skill, and per unit (unit_mir)
def test_rows_hold_for_the_greedy_plan(family):
    from planner.solving.greedy import run_greedy

    sc = Scenario.model_validate(generate("S", seed=1))
    data = compile_problem(sc)
    f = build(data)
    arrays = f.model.arrays()
    x = run_greedy(data, f).x
    act = arrays.matrix @ x
    rows = [r for r, n in enumerate(arrays.row_names) if n.startswith(family)]
    assert rows
    assert np.all(act[rows] <= arrays.row_hi[rows] + 1e-6)
