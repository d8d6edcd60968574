"""Objective weights from pairwise comparisons (AHP), checked against hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.scenario import Comparison
from planner.errors import ScenarioError
from planner.gather.pairwise import ahp, consistency_ratio, principal_weights, worst_triple
from planner.io.load import read_scenario


def pairs(*rows: tuple[str, str, float]) -> list[Comparison]:
    return [Comparison(a=a, b=b, ratio=r) for a, b, r in rows]


def test_consistent_three_objectives_by_hand():
    # a is 2x b, b is 3x c, a is 6x c: consistent. The matrix
    #   [[1, 2, 6], [1/2, 1, 3], [1/6, 1/3, 1]]
    # is w w^-T for w = (6, 3, 1): row i of A times w = sum_j (w_i / w_j) w_j = 3 w_i,
    # so w is the eigenvector for lambda = 3 = n. Normalised: (0.6, 0.3, 0.1).
    # CI = (3 - 3) / 2 = 0, CR = 0.
    r = ahp(["a", "b", "c"], pairs(("a", "b", 2), ("b", "c", 3), ("a", "c", 6)))
    assert r.weights == pytest.approx([0.6, 0.3, 0.1], abs=1e-12)
    assert r.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert r.consistency_index == pytest.approx(0.0, abs=1e-12)
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert r.weight("b") == pytest.approx(0.3)


def test_inconsistent_three_objectives_by_hand():
    # a/b = 2, b/c = 2, but a/c = 1 (consistency would need 4). For a 3x3 reciprocal
    # matrix the principal eigenvector is the vector of row geometric means:
    #   a: (1 * 2 * 1)^(1/3)     = 2^(1/3)   = 1.259921
    #   b: (1/2 * 1 * 2)^(1/3)   = 1
    #   c: (1 * 1/2 * 1)^(1/3)   = 2^(-1/3)  = 0.793701      sum 3.053622
    # -> w = (1.259921, 1, 0.793701) / 3.053622 = (0.412599, 0.327480, 0.259921).
    # Check on the unnormalised w: (A w)_b = 0.5*1.259921 + 1 + 2*0.793701
    #    = 3.217362 = lambda * w_b, so lambda_max = 3.217362 = 1 + 4^(1/3) + 4^(-1/3)
    # (with r = a_ab * a_bc / a_ac = 4). CI = 0.217362 / 2 = 0.108681, CR = CI / 0.58
    # = 0.187381 > 0.1.
    r = ahp(["a", "b", "c"], pairs(("a", "b", 2), ("b", "c", 2), ("a", "c", 1)))
    assert r.weights == pytest.approx([0.412599, 0.327480, 0.259921], abs=1e-6)
    assert r.lambda_max == pytest.approx(1 + 4 ** (1 / 3) + 4 ** (-1 / 3), abs=1e-9)
    assert r.lambda_max == pytest.approx(3.217362, abs=1e-6)
    assert r.consistency_index == pytest.approx(0.108681, abs=1e-6)
    assert r.consistency_ratio == pytest.approx(0.187381, abs=1e-6)
    assert r.worst is not None and r.worst.ids == ("a", "b", "c")
    assert r.worst.implied == pytest.approx(4) and r.worst.given == pytest.approx(1)


def test_one_wrong_judgement_among_four_is_found():
    # true weights 8:4:2:1 (a/b = 2, a/c = 4, ...), but c/d is judged 1/4 instead of 2
    m = pairs(("a", "b", 2), ("a", "c", 4), ("a", "d", 8), ("b", "c", 2), ("b", "d", 4),
              ("c", "d", 1 / 4))
    r = ahp(["a", "b", "c", "d"], m)
    assert r.consistency_ratio > 0.1
    assert r.worst is not None and {"c", "d"} <= set(r.worst.ids)
    fixed = ahp(["a", "b", "c", "d"], m[:-1] + pairs(("c", "d", 2)))
    assert fixed.weights == pytest.approx(np.array([8, 4, 2, 1]) / 15, abs=1e-12)
    assert fixed.consistency_ratio == pytest.approx(0, abs=1e-12)


def test_reverse_pair_is_the_reciprocal_and_missing_pairs_are_named():
    # "c over a is 1/6" is the same judgement as "a over c is 6"
    r = ahp(["a", "b", "c"], pairs(("a", "b", 2), ("b", "c", 3), ("c", "a", 1 / 6)))
    assert r.weights == pytest.approx([0.6, 0.3, 0.1], abs=1e-12)
    with pytest.raises(ValueError, match="missing for a / c"):
        ahp(["a", "b", "c"], pairs(("a", "b", 2), ("b", "c", 3)))


def test_building_blocks():
    w, lam = principal_weights(np.array([[1.0, 3.0], [1 / 3, 1.0]]))
    assert w == pytest.approx([0.75, 0.25]) and lam == pytest.approx(2)
    assert consistency_ratio(2.5, 2) == (0.0, 0.0)  # two objectives are always consistent
    assert consistency_ratio(3.0, 3) == (0.0, 0.0)
    ci, cr = consistency_ratio(4.27, 4)
    assert ci == pytest.approx(0.09) and cr == pytest.approx(0.1)
    assert worst_triple(np.eye(2), ["a", "b"]) is None


OBJECTIVES = """\
name: weights
horizon: {start: 2027-01, periods: 12}
strategy:
  objectives:
    - {id: a, weight: 5}
    - {id: b, weight: 3}
    - {id: c, weight: 2}
  pairwise: {csv: pairwise.csv}
"""


def test_weights_from_a_csv_are_scaled_to_the_written_total(write_scenario):
    path = write_scenario(OBJECTIVES, {"pairwise.csv": "a,b,ratio\na,b,2\nb,c,3\nc,a,1/6\n"})
    loaded = read_scenario(path)
    weights = {o.id: o.weight for o in loaded.scenario.strategy.objectives}
    # written weights total 10: the eigenvector (0.6, 0.3, 0.1) is scaled to it
    assert weights == pytest.approx({"a": 6.0, "b": 3.0, "c": 1.0})
    assert not loaded.warnings


def test_inconsistent_csv_warns_naming_the_triple(write_scenario):
    path = write_scenario(OBJECTIVES, {"pairwise.csv": "a,b,ratio\na,b,2\nb,c,2\na,c,1\n"})
    loaded = read_scenario(path)
    [warning] = [str(w) for w in loaded.warnings]
    assert "consistency ratio 0.187 > 0.1" in warning
    assert "a, b, c" in warning and "should be about 4" in warning
    assert warning.startswith(f"{path}:8: warning: pairwise: the comparisons are inconsistent")
    total = sum(o.weight for o in loaded.scenario.strategy.objectives)
    assert math.isclose(total, 10)


def test_pairwise_errors_name_file_and_line(write_scenario):
    folder = write_scenario(OBJECTIVES, {"pairwise.csv": "a,b,ratio\na,b,12\n"}).parent
    with pytest.raises(ScenarioError) as exc:
        read_scenario(folder / "scenario.yaml")
    assert [str(i) for i in exc.value.issues] == [
        f"{folder}/pairwise.csv:2: pairwise[0], field 'ratio': ratio must be on Saaty's "
        "scale 1/9 .. 9, got 12"]
    # cross-entity errors come once every row is well-formed
    write_scenario(OBJECTIVES, {"pairwise.csv": "a,b,ratio\na,b,2\nb,cc,3\nb,a,1/2\nc,c,1\n"})
    with pytest.raises(ScenarioError) as exc:
        read_scenario(folder / "scenario.yaml")
    assert [str(i) for i in exc.value.issues] == [
        f"{folder}/pairwise.csv:3: pairwise[1], field 'b': unknown objective 'cc'; did you "
        "mean 'c'?",
        f"{folder}/pairwise.csv:4: pairwise[2]: the pair b / a is compared twice (also "
        f"{folder}/pairwise.csv:2); give each pair once (the reverse is implied)",
        f"{folder}/pairwise.csv:5: pairwise[3], field 'b': 'c' is compared with itself",
    ]


def test_missing_pairs_are_an_error(write_scenario):
    path = write_scenario(OBJECTIVES, {"pairwise.csv": "a,b,ratio\na,b,2\n"})
    with pytest.raises(ScenarioError, match=r"missing for a / c, b / c"):
        read_scenario(path)


def test_validate_and_the_summary_report_the_consistency_ratio(write_scenario, tmp_path):
    from click.testing import CliRunner

    from planner.cli import main

    text = OBJECTIVES + """\
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
  - {id: x, status: approved, contributes: {a: strong},
     effort: [{unit: dev, skill: code, hours: 10}]}
"""
    path = write_scenario(text, {"pairwise.csv": "a,b,ratio\na,b,2\nb,c,2\na,c,1\n"})
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(path)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())  # the console wraps long lines
    # eigenvector (0.412599, 0.327480, 0.259921) x the written total 10
    assert ("objective weights from pairwise comparisons: a 4.13, b 3.27, c 2.6; "
            "consistency ratio 0.187 (above 0.1)") in out
    assert "status: 1 approved" in out
    res = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "p"), "-q",
                               "--strategy", "greedy"])
    assert res.exit_code == 0, res.output
    summary = (tmp_path / "p" / "summary.csv").read_text()
    assert "pairwise_consistency_ratio,0.1874,ratio" in summary
