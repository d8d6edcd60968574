"""The development split (planner.solving.practice): who in a cohort practises a wished skill.

Hand-built cohorts of two members, one period; the numbers are in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.problem.cohorts import Cohort, Piece, split_cohort
from planner.solving.practice import practice_targets


def hand_cohort(wishes: list[float], share: float = 1.0) -> Cohort:
    """Two members of 100 h in one period (change limit ``share`` x 100), learning data."""
    return Cohort(index=0, unit="a", skills={"data": 0.5, "ops": 1.0}, change_share=share,
                  members=[0, 1], member_capacity=np.full((2, 1), 100.0),
                  member_change=np.full((2, 1), 100.0 * share),
                  wished={"data": np.array(wishes)}, learning=frozenset({"data"}))


def test_practice_targets_by_hand() -> None:
    g = hand_cohort([10.0, 50.0])
    pieces = [Piece("I", "a", "data", 60.0, True), Piece("rtb:a", "a", "ops", 140.0, False)]
    targets = practice_targets(g, {0: pieces})
    assert targets == {0: {("I", "a", "data"): pytest.approx({0: 10.0, 1: 50.0})}}
    # without the targets the split fills member 0 first
    naive = split_cohort(g, 0, pieces)
    assert [(m, p.skill, p.hours) for m, p in naive][:1] == [(0, "data", 60.0)]
    split = split_cohort(g, 0, pieces, reserved=targets[0])
    got = {(m, p.skill): p.hours for m, p in split}
    assert got == pytest.approx({(0, "data"): 10, (1, "data"): 50, (0, "ops"): 90,
                                 (1, "ops"): 50})


def test_targets_keep_room_for_change_work() -> None:
    # change limit 50 h each. The cohort does 60 h of a data initiative and 40 h of an
    # ops initiative: all 100 h of its change room. The targets (member 1 50 h of data,
    # member 0 10 h) leave member 0 40 h of change room for the ops initiative, and
    # the RTB fills the rest (50 h each).
    g = hand_cohort([10.0, 50.0], share=0.5)
    pieces = [Piece("I", "a", "data", 60.0, True), Piece("K", "a", "ops", 40.0, True),
              Piece("rtb:a", "a", "ops", 100.0, False)]
    targets = practice_targets(g, {0: pieces})
    split = split_cohort(g, 0, pieces, reserved=targets[0])
    change = {m: sum(p.hours for mm, p in split if mm == m and p.change) for m in (0, 1)}
    total = {m: sum(p.hours for mm, p in split if mm == m) for m in (0, 1)}
    assert max(change.values()) <= 50 + 1e-6 and max(total.values()) <= 100 + 1e-6
    assert sum(p.hours for _m, p in split) == pytest.approx(200)
    data_h = {m: sum(p.hours for mm, p in split if mm == m and p.skill == "data")
              for m in (0, 1)}
    assert data_h == pytest.approx({0: 10, 1: 50})
