"""The checker's as-of rules: a written re-plan is verified, a tampered one is caught.

The re-plan of the small year of :mod:`asof_cases` as of period 3, with d0 working
15 h on a in period 1 (overtime: a past exception the checker must not refuse).
"""

from __future__ import annotations

import shutil

import pytest
from asof_cases import small, write_csv
from support import solve_checked

from planner import api
from planner.checker import check_plan
from planner.io.export import write_plan


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("asof")
    base = solve_checked(small(), time_limit=10)
    write_plan(base, folder / "base")
    act = write_csv(folder / "act.csv", "person,unit,period,work,skill,hours\nd0,dev,1,a,code,15")
    result = api.solve(small(), baseline=base, as_of="3", actuals=act, time_limit=10)
    result.write(folder / "plan")
    return folder


def edit(src, dst, name, old, new):
    shutil.copytree(src, dst)
    text = (dst / name).read_text()
    assert old in text, text
    (dst / name).write_text(text.replace(old, new, 1))
    return dst


def test_the_written_replan_passes_with_its_past_breaks_as_notes(written):
    report = check_plan(small(), written / "plan")
    assert report.ok, report.to_text()
    notes = "\n".join(report.notes)
    # d0's 15 h in period 1 break capacity: the past, kept as it was; a needs 5 h, not
    # 10, in period 3: its remaining effort, checked by the as-of rule instead
    assert "the past: [capacity] d0 @ 1" in notes
    assert "in flight: checked by the remaining rule: [staffing] a @ 3" in notes
    assert "the past breaks 2 rule(s)" in notes
    ok = api.check(small(), written / "plan", baseline=written / "base",
                   actuals=written / "act.csv")
    assert ok.ok, ok.to_text()


def test_a_past_row_changed_is_caught(written, tmp_path):
    bad = edit(written / "plan", tmp_path / "p", "assignments.csv", "d1,dev,1,b,dev,code,10,",
               "d1,dev,1,b,dev,code,9,")
    report = check_plan(small(), bad)
    assert report.rules().get("past") == 1
    v = next(v for v in report.violations if v.rule == "past")
    assert (v.item, v.period, v.amount) == ("d1", "1", 1.0)
    assert "9 h on b (dev/code), the past has 10 h" in v.message


def test_the_past_against_other_files_than_recorded(written, tmp_path):
    other = write_csv(tmp_path / "other.csv", "person,unit,period,work,skill,hours\n"
                                              "d0,dev,1,a,code,14")
    report = api.check(small(), written / "plan", actuals=other)
    assert [(v.rule, v.item, v.period) for v in report.violations] == [("past", "d0", "1")]
    assert "the actuals" in report.violations[0].message


def test_remaining_effort_not_staffed_is_caught(written, tmp_path):
    # a needs 30 - 25 = 5 h in period 3
    bad = edit(written / "plan", tmp_path / "p", "assignments.csv", "d0,dev,3,a,dev,code,5,",
               "d0,dev,3,a,dev,code,4,")
    report = check_plan(small(), bad)
    assert [(v.rule, v.item, v.period, v.amount) for v in report.violations] == [
        ("remaining", "a", "3", 1.0)]


def test_a_started_initiative_moved_is_caught(written, tmp_path):
    bad = edit(written / "plan", tmp_path / "p", "portfolio.csv", "a,a,true,1,3", "a,a,true,2,4")
    rules = check_plan(small(), bad).rules()
    assert rules.get("started") == 1


def test_a_plan_without_the_record_is_checked_as_before(written, tmp_path):
    report = check_plan(small(), written / "base")
    assert report.ok and not any("past" in n for n in report.notes)
