"""Issue 20, item 8: reading a very large staff table stays exact while it gets cheap.

The staff list is validated in chunks (raw rows dropped as their people exist), CSV
rows are located by one line number each, and the garbage collector is paused while
reading. None of that may change what is read or how errors are reported: these
tests force tiny chunks and compare with the one-piece path.
"""

from __future__ import annotations

import gc

import pytest

import planner.io.load as load
from planner.errors import ScenarioError
from planner.io.load import read_scenario

SCENARIO = """\
name: big
horizon: {start: 2027-01, periods: 3, period: month, hours_per_fte: 10}
units: [{id: ops}, {id: it}]
staff: {csv: staff.csv}
"""
ROWS = [
    "p1,ops,agent:1;analyst:0.8,1,40,,2027-02:0.5,",
    "p2,it,engineer,0.5,55,0.5,,data",
    "p3,ops,agent,1,40,,,",
    "p4,it,engineer:0.9,1,60,,2027-01:0;2027-03:0.2,ml;data",
    "p5,ops,analyst,1,45,,,",
]
HEADER = "id,unit,skills,fte,cost_per_hour,max_change_share,availability,develop"


def _write(tmp_path, rows):
    (tmp_path / "s.yaml").write_text(SCENARIO)
    (tmp_path / "staff.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    return tmp_path / "s.yaml"


@pytest.fixture(params=[2, 20_000], ids=["chunks-of-2", "one-piece"])
def chunk(request, monkeypatch):
    monkeypatch.setattr(load, "STAFF_CHUNK", request.param)
    return request.param


def test_people_are_read_the_same_in_chunks(tmp_path, chunk):
    sc = read_scenario(_write(tmp_path, ROWS)).scenario
    assert [p.id for p in sc.staff] == ["p1", "p2", "p3", "p4", "p5"]
    p1, p2, _, p4, _ = sc.staff
    assert p1.skills == {"agent": 1.0, "analyst": 0.8} and p1.availability == {"2027-02": 0.5}
    assert (p2.fte, p2.cost_per_hour, p2.max_change_share, p2.develop) == (
        0.5, 55, 0.5, {"data": None})
    assert p4.availability == {"2027-01": 0.0, "2027-03": 0.2}
    assert p4.develop == {"ml": None, "data": None}
    # each person owns its maps, though the cell text was parsed once
    p1.skills["x"] = 1.0
    assert "x" not in read_scenario(tmp_path / "s.yaml").scenario.staff[0].skills


def test_errors_in_several_chunks_are_all_reported_at_their_lines(tmp_path, chunk):
    rows = list(ROWS)
    rows[1] = "p2,it,engineer,3,55,,,"  # fte over 2, line 3
    rows[4] = "p5,ops,analyst,1,-4,,,"  # negative cost, line 6
    with pytest.raises(ScenarioError) as err:
        read_scenario(_write(tmp_path, rows))
    text = [str(i) for i in err.value.issues]
    assert len(text) == 2, text
    assert text[0].endswith("staff.csv:3: staff 'p2', field 'fte': Input should be less than "
                            "or equal to 2, got 3.0")
    assert "staff.csv:6: staff 'p5', field 'cost_per_hour': " in text[1]


def test_overrides_reach_chunked_staff(tmp_path, chunk):
    sc = read_scenario(_write(tmp_path, ROWS), overrides=["staff.p4.fte=0.5"]).scenario
    assert sc.staff[3].fte == 0.5


def test_the_collector_is_left_as_it_was(tmp_path):
    path = _write(tmp_path, ROWS)
    assert gc.isenabled()
    read_scenario(path)
    assert gc.isenabled()
    gc.disable()
    try:
        read_scenario(path)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_checks_across_items_still_run_when_a_chunk_fails(tmp_path, chunk):
    """Every mistake at once (main's salvage) holds for chunked staff too: the unknown unit
    of p3 is reported beside p2's bad fte, at its own line, in both paths."""
    rows = list(ROWS)
    rows[1] = "p2,it,engineer,3,55,,,"  # fte over 2, line 3: p2 is dropped
    rows[2] = "p3,opz,agent,1,40,,,"    # a valid row with an unknown unit, line 4
    with pytest.raises(ScenarioError) as err:
        read_scenario(_write(tmp_path, rows))
    text = [str(i) for i in err.value.issues]
    assert len(text) == 2, text
    assert "staff.csv:3: staff 'p2', field 'fte'" in text[0]
    assert text[1].endswith("staff.csv:4: staff 'p3', field 'unit': unknown unit 'opz'; "
                            "did you mean 'ops'?")
