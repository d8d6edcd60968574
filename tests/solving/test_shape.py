"""The engine follows the model's shape: CP-SAT for scheduling problems, HiGHS for packing."""

from __future__ import annotations

import psplib
from support import scenario

from benchmarks.generate import generate
from models.scenario import Scenario
from planner.formulation.build import build
from planner.problem.data import compile_problem
from planner.solving.shape import Shape, shape_of


def _shape(sc: Scenario) -> Shape:
    data = compile_problem(sc)
    return shape_of(data, build(data))


def _one_unit(*, skills: list[str], mandatory: tuple[bool, ...], **extra: object) -> Scenario:
    return scenario(
        units=[{"id": "eng"}],
        staff=[{"id": "e1", "unit": "eng", "skills": skills}],
        initiatives=[
            {"id": f"i{n}", "duration": 1, "mandatory": m,
             "effort": [{"unit": "eng", "skill": "dev", "hours": 2}],
             "contributes": {"grow": "strong"}}
            for n, m in enumerate(mandatory)
        ],
        **extra,
    )


def test_psplib_is_a_scheduling_problem():
    sh = _shape(Scenario.model_validate(psplib.scenario("j301_1", 43)))
    assert sh.required == sh.selectable == 30 and sh.inexact == []
    assert sh.engine == "cpsat"


def test_generated_organisations_are_packing_problems():
    sh = _shape(Scenario.model_validate(generate("S", seed=0)))
    assert "people with several skills" in sh.inexact and "contractor pools" in sh.inexact
    assert sh.required_share < 0.5
    assert sh.engine == "mip"


def test_half_required_with_one_skill_each_goes_to_cpsat_less_does_not():
    assert _shape(_one_unit(skills=["dev"], mandatory=(True, False))).engine == "cpsat"
    sh = _shape(_one_unit(skills=["dev"], mandatory=(True, False, False)))
    assert sh.required == 1 and sh.selectable == 3 and sh.engine == "mip"
    assert _shape(_one_unit(skills=["dev"], mandatory=(False, False))).engine == "mip"


def test_anything_that_makes_the_room_inexact_keeps_highs():
    two = _shape(_one_unit(skills=["dev", "ops"], mandatory=(True,)))
    assert two.inexact == ["people with several skills"] and two.engine == "mip"
    lend = _shape(_one_unit(skills=["dev"], mandatory=(True,),
                            policy={"borrowing": True}))
    assert lend.inexact == ["borrowing between units"] and lend.engine == "mip"


def test_long_term_features_cpsat_leaves_out_keep_highs():
    # a required initiative in two phases of uneven effort: CP-SAT's one demand per
    # line over the whole duration would be wrong, so HiGHS decides it alone
    sc = scenario(
        units=[{"id": "eng"}],
        staff=[{"id": "e1", "unit": "eng", "skills": ["dev"]}],
        initiatives=[{
            "id": "p", "mandatory": True, "contributes": {"grow": "strong"},
            "phases": [
                {"name": "a", "duration": 1, "effort": [{"unit": "eng", "skill": "dev",
                                                         "hours": 4}]},
                {"name": "b", "duration": 1, "effort": [{"unit": "eng", "skill": "dev",
                                                         "hours": 1}]},
            ],
        }],
    )
    sh = _shape(sc)
    assert sh.inexact == ["phases or uneven effort profiles"] and sh.engine == "mip"
    # the same work flat over two periods is a plain schedule again
    flat = _shape(_one_unit(skills=["dev"], mandatory=(True,)))
    assert flat.inexact == [] and flat.engine == "cpsat"
