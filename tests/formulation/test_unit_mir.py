"""The unit-level MIR rows (planner/formulation/unit_mir.py): exact for every plan, and tighter."""

from __future__ import annotations

import itertools

import pytest
from support import lp_value, scenario

from benchmarks.generate import generate
from models.scenario import Scenario
from planner.formulation import unit_mir
from planner.formulation.build import build
from planner.formulation.model import ModelArrays
from planner.problem.data import compile_problem


def _row(arrays: ModelArrays, name: str) -> dict[str, float]:
    r = arrays.row_names.index(name)
    row = arrays.matrix.getrow(r)
    return {arrays.col_names[c]: float(v) for c, v in zip(row.indices, row.data, strict=True)}


def _without(monkeypatch: pytest.MonkeyPatch, sc: Scenario) -> ModelArrays:
    with monkeypatch.context() as m:
        m.setattr(unit_mir, "unit_mir", lambda *a: None)
        return build(compile_problem(sc)).model.arrays()


def _two_skill_team(initiatives: list[dict], **extra: object) -> Scenario:
    # two people who both code and test (a at full, b at half proficiency in test):
    # 20 h per period; RTB 5 h code (normal) + 3 h test (high)
    return scenario(
        horizon={"periods": 3, "period": "index", "hours_per_fte": 10},
        units=[{"id": "dev"}],
        staff=[{"id": "a", "unit": "dev", "skills": ["code", "test"]},
               {"id": "b", "unit": "dev", "skills": {"code": 1.0, "test": 0.5}}],
        run_the_business=[
            {"unit": "dev", "skill": "code", "hours": 5, "priority": "normal"},
            {"unit": "dev", "skill": "test", "hours": 3, "priority": "high"},
        ],
        initiatives=initiatives,
        **extra,
    )


def _ini(id: str, code: float, test: float = 0.0, duration: int = 1) -> dict:
    effort = [{"unit": "dev", "skill": "code", "hours": code}]
    if test:
        effort.append({"unit": "dev", "skill": "test", "hours": test})
    return {"id": id, "duration": duration, "contributes": {"grow": "strong"},
            "effort": effort}


def test_row_by_hand():
    # C = 20 h; q(code) = q(test) = 1 (a holds test at 1.0); b = 20 - 5 - 3 = 12.
    # Lumps: p = 7 + 2 = 9, r = 8. The largest lump is the divisor: delta = 9,
    # b/delta = 4/3, f = 1/3, floor 1. p: 9/9 = 1 -> 1; r: 8/9, frac 8/9 > 1/3 ->
    # (8/9 - 1/3) / (2/3) = 5/6. Outside hours (both shortfalls): -1/(9 * 2/3) = -1/6.
    sc = _two_skill_team([_ini("p", 7, 2), _ini("r", 8)])
    arrays = build(compile_problem(sc)).model.arrays()
    row = _row(arrays, "umir[dev,1,0]")
    assert row == {
        "x[p,1]": 1.0, "x[r,1]": pytest.approx(5 / 6),
        "short[dev,code,1,normal]": pytest.approx(-1 / 6),
        "short[dev,test,1,high]": pytest.approx(-1 / 6),
    }
    assert arrays.row_hi[arrays.row_names.index("umir[dev,1,0]")] == 1.0
    # the skill rows miss it: each skill alone has 20 h for p's and r's 7 + 8 = 15 h
    # of code, so the per-skill MIR finds everything fits
    assert not [n for n in arrays.row_names if n.startswith("mir[")]


def test_row_tightens_thelp_value(monkeypatch):
    sc = _two_skill_team([_ini("p", 7, 2), _ini("r", 8)])
    tight = lp_value(build(compile_problem(sc)).model.arrays())
    loose = lp_value(_without(monkeypatch, sc))
    assert tight is not None and loose is not None
    assert tight < loose - 1e-6


def test_no_row_where_all_lumps_fit():
    sc = _two_skill_team([_ini("p", 4, 2), _ini("r", 5)])  # 6 + 5 <= 12
    arrays = build(compile_problem(sc)).model.arrays()
    assert not [n for n in arrays.row_names if n.startswith("umir[")]


CASES = {
    "two skills, proficiency": lambda: _two_skill_team(
        [_ini("p", 7, 2), _ini("r", 8), _ini("s", 10, 4, duration=2), _ini("w", 3, 3)]),
    "contractors": lambda: _two_skill_team(
        [_ini("p", 9, 3), _ini("r", 12, duration=2), _ini("s", 4, 6), _ini("w", 6)],
        external=[{"skill": "test", "max_fte": 0.3, "cost_per_hour": 50}]),
    "two units, borrowing": lambda: scenario(
        horizon={"periods": 2, "period": "index", "hours_per_fte": 10},
        units=[{"id": "dev"}, {"id": "ops"}],
        staff=[{"id": "a", "unit": "dev", "skills": {"code": 0.8, "test": 0.6}},
               {"id": "b", "unit": "dev", "skills": ["code"]},
               {"id": "c", "unit": "ops", "skills": {"test": 1.0, "code": 0.5}}],
        run_the_business=[
            {"unit": "dev", "skill": "code", "hours": 6, "priority": "normal"},
            {"unit": "dev", "skill": "test", "hours": 2, "priority": "must"},
            {"unit": "ops", "skill": "test", "hours": 4, "priority": "high"}],
        initiatives=[_ini("p", 7, 3), _ini("r", 9), _ini("s", 5, 5, duration=2),
                     {"id": "o", "duration": 1, "contributes": {"grow": "strong"},
                      "effort": [{"unit": "ops", "skill": "test", "hours": 7}]}],
        policy={"borrowing": True, "max_utilisation": 0.9}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_plan_is_cut_off(monkeypatch, case):
    # every choice of starts (feasible or not) has the same best completion with and
    # without the rows: they remove no plan, only fractional points
    sc = CASES[case]()
    with_rows = build(compile_problem(sc)).model.arrays()
    without = _without(monkeypatch, sc)
    assert with_rows.col_names == without.col_names
    assert any(n.startswith("umir[") for n in with_rows.row_names)
    xs = [c for c, n in enumerate(with_rows.col_names) if n.startswith("x[")]
    assert len(xs) <= 14
    checked = 0
    for bits in itertools.product((0.0, 1.0), repeat=len(xs)):
        fix = dict(zip(xs, bits, strict=True))
        a, b = lp_value(with_rows, fix), lp_value(without, fix)
        assert (a is None) == (b is None), fix
        if a is not None:
            assert a == pytest.approx(b, abs=1e-7), fix
            checked += 1
    assert checked > 10
    assert lp_value(with_rows) <= lp_value(without) + 1e-7


def test_lp_bound_tighter_on_a_generated_organisation(monkeypatch):
    sc = Scenario.model_validate(generate("S", seed=0))
    tight = lp_value(build(compile_problem(sc)).model.arrays())
    loose = lp_value(_without(monkeypatch, sc))
    assert tight is not None and loose is not None
    assert tight < loose - 1e-6
