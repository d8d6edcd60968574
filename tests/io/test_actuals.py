"""Reading actuals.csv and progress.csv: defaults filled in, every error located."""

from __future__ import annotations

import pytest
from asof_cases import small, write_csv

from planner.io.actuals import ActualsError, read_actuals, read_progress


def test_actuals_fill_for_unit_and_contract_and_keep_zero_rows(tmp_path):
    path = write_csv(tmp_path / "actuals.csv", """
        person,unit,period,work,skill,hours,delivered
        d0,dev,1,a,code,15,15
        d1,dev,2,b,code,0,0
        external:code,,2,rtb:dev,code,2.123456,2
    """)
    act = read_actuals(path, small(), before="3")
    rows = act.rows.values.tolist()
    # for_unit: a's only code line is dev's; rtb:dev serves dev; the only code pool is "code"
    assert rows == [["d0", "dev", "1", "a", "dev", "code", 15.0, ""],
                    ["d1", "dev", "2", "b", "dev", "code", 0.0, ""],
                    ["external:code", "", "2", "rtb:dev", "dev", "code", 2.1235, "code"]]
    assert act.keys() == {("d0", "1"), ("d1", "2"), ("external:code", "2")}
    assert act.lines == [2, 3, 4]
    assert [w.field for w in act.warnings] == ["hours"]  # kept to 4 decimals


def test_every_actuals_error_names_file_line_and_field(tmp_path):
    path = write_csv(tmp_path / "actuals.csv", """
        person,unit,period,work,skill,hours
        d00,dev,1,a,code,5
        d0,ops,1,a,code,5
        d0,dev,3,a,code,5
        d0,dev,9,a,code,5
        d0,dev,1,aa,code,5
        d0,dev,1,rtb:ops,code,5
        d0,dev,1,a,cod,5
        d0,dev,1,a,code,-1
        d0,dev,1,a,code,many
        external:java,,1,a,code,5
    """)
    with pytest.raises(ActualsError) as err:
        read_actuals(path, small(), before="3")
    text = [str(i) for i in err.value.issues]
    name = str(path)
    assert text == [
        f"{name}:2: field 'person': 'd00' is not a member of staff; did you mean 'd0'?",
        f"{name}:3: field 'unit': 'ops' is not the unit of d0 ('dev')",
        f"{name}:4: field 'period': '3' is not before --as-of 3: actuals are of the past",
        f"{name}:5: field 'period': '9' is not a period of the horizon 1 .. 6",
        f"{name}:6: field 'work': 'aa' is not an initiative (or rtb:<unit>); did you mean 'a'?",
        f"{name}:7: field 'work': 'rtb:ops': 'ops' is not a unit",
        f"{name}:8: field 'skill': 'cod' is not a skill of the scenario; did you mean 'code'?",
        f"{name}:9: field 'hours': '-1' is not a number of hours in 0 .. 1e+06",
        f"{name}:10: field 'hours': 'many' is not a number of hours in 0 .. 1e+06",
        f"{name}:11: field 'person': 'external:java' does not match skill 'code' "
        "(external:<skill>)",
    ]
    assert str(err.value).startswith(f"{name} is invalid (10 errors):")


def test_missing_columns_are_one_error(tmp_path):
    path = write_csv(tmp_path / "a.csv", "person,period,work,hours\nd0,1,a,5")
    with pytest.raises(ActualsError, match="lacks column\\(s\\) unit, skill"):
        read_actuals(path, small())


def test_a_skill_the_person_lacks_is_a_warning(tmp_path):
    sc = small()
    sc.staff[1].skills = {"test": 1.0}
    path = write_csv(tmp_path / "a.csv", "person,unit,period,work,skill,hours\nd1,dev,1,a,code,4")
    act = read_actuals(path, sc)
    assert [(w.line, w.severity) for w in act.warnings] == [(2, "warning")]
    assert "does not have skill 'code'" in str(act.warnings[0])


def test_progress_rows_and_errors(tmp_path):
    good = write_csv(tmp_path / "p.csv", "initiative,unit,skill,remaining_hours\na,dev,code,25")
    assert read_progress(good, small()).remaining == {("a", "dev", "code"): 25.0}
    bad = write_csv(tmp_path / "q.csv", """
        initiative,unit,skill,remaining_hours
        x,dev,code,1
        a,ops,code,1
        a,dev,code,-2
        b,dev,code,1
        b,dev,code,2
    """)
    with pytest.raises(ActualsError) as err:
        read_progress(bad, small())
    got = [(i.line, i.field) for i in err.value.issues]
    assert got == [(2, "initiative"), (3, "skill"), (4, "remaining_hours"), (6, "initiative")]
    assert "ops/code is not an effort line of 'a' (lines: dev/code)" in str(err.value)
    assert "given twice (also on line 5)" in str(err.value)
