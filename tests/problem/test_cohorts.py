"""Cohorts: identical people are one group, and the group's limits are the members' sums."""

from __future__ import annotations

import numpy as np
from support import scenario

from planner.problem.calendar import Calendar
from planner.problem.cohorts import build_cohorts, person_capacity


def _team():
    return scenario(
        units=[{"id": "a"}, {"id": "b"}],
        staff=[
            {"id": "p1", "unit": "a", "skills": {"x": 1, "y": 0.5}},
            {"id": "p2", "unit": "a", "skills": {"y": 0.5, "x": 1}, "fte": 0.5,
             "availability": {"2": 0}},
            {"id": "p3", "unit": "a", "skills": {"x": 1}},
            {"id": "p4", "unit": "a", "skills": {"x": 1, "y": 0.5}, "max_change_share": 0.2},
            {"id": "p5", "unit": "b", "skills": {"x": 1, "y": 0.5}},
        ],
    )


def test_person_capacity_is_hours_x_fte_x_availability():
    sc = _team()
    cap = person_capacity(sc, Calendar(sc.horizon))
    assert cap.shape == (5, 4)
    assert list(cap[0]) == [10, 10, 10, 10]
    assert list(cap[1]) == [5, 0, 5, 5]  # half time, away in period 2


def test_same_unit_skills_proficiency_and_share_make_one_cohort():
    sc = _team()
    groups = build_cohorts(sc, Calendar(sc.horizon), max_utilisation=0.9)
    members = [[sc.staff[m].id for m in g.members] for g in groups]
    # p1 and p2 (skills in another order, other fte) are one; skills, share and unit split
    assert members == [["p1", "p2"], ["p3"], ["p4"], ["p5"]]
    g = groups[0]
    assert np.allclose(g.capacity, 0.9 * np.array([15, 10, 15, 15]))
    assert np.allclose(groups[2].change_capacity, 0.2 * 10)
    assert [g.name for g in groups] == ["g0000", "g0001", "g0002", "g0003"]
