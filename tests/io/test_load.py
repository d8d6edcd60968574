"""Reading scenarios: YAML safety, located errors, CSV conventions, overrides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from models.scenario import Scenario
from planner.errors import Issue, ScenarioError
from planner.io.load import (
    apply_overrides,
    load_scenario,
    load_scenario_text,
    read_scenario,
    read_scenario_text,
)

HEAD = """\
name: csv
horizon: {start: 2027-01, periods: 12}
strategy:
  objectives: [{id: retention}, {id: cost}]
  kpis: [{id: nps}]
units: [{id: ops}, {id: it}]
"""


def errors(text: str, tmp_path: Path, files: dict[str, str] | None = None,
           overrides: tuple[str, ...] = ()) -> list[str]:
    for name, content in (files or {}).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, tmp_path, "scenario.yaml", overrides)
    return [str(i) for i in info.value.issues]


def load(text: str, tmp_path: Path, files: dict[str, str]) -> Scenario:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return load_scenario_text(text, tmp_path, "scenario.yaml")


# --------------------------------------------------------------------------- YAML


def test_load_minimal_from_file(write_scenario: Callable[..., Path], minimal: str) -> None:
    scenario = load_scenario(write_scenario(minimal))
    assert scenario.name == "minimal"
    assert scenario.staff[0].skills == {"agent": 1.0, "analyst": 1.0}
    assert scenario.initiatives[0].total_hours == 200


def test_load_text_fixture(load_text: Callable[..., Scenario], minimal: str) -> None:
    assert load_text(minimal).horizon.periods == 12


def test_issue_str() -> None:
    issue = Issue("scenario.yaml", "initiatives 'crm'", "deadline", "bad", 42)
    assert str(issue) == "scenario.yaml:42: initiatives 'crm', field 'deadline': bad"
    warn = Issue("s.yaml", None, None, "hm", None, "warning")
    assert str(warn) == "s.yaml: warning: hm"
    err = ScenarioError([issue, issue])
    assert str(err).splitlines() == [
        "the scenario is invalid (2 errors):",
        "  scenario.yaml:42: initiatives 'crm', field 'deadline': bad",
        "  scenario.yaml:42: initiatives 'crm', field 'deadline': bad",
    ]


def test_unknown_key_suggests_the_closest(minimal: str, tmp_path: Path) -> None:
    text = minimal + "policy:\n  budgt: 800000\n"
    assert errors(text, tmp_path) == [
        "scenario.yaml:23: policy, field 'budgt': unknown key 'budgt'; did you mean 'budget'?"
    ]


def test_unknown_key_in_a_list_item(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("duration: 2", "duraton: 2")
    assert errors(text, tmp_path) == [
        "scenario.yaml:19: initiatives 'crm', field 'duraton': unknown key 'duraton'; "
        "did you mean 'duration'?"
    ]


def test_unknown_key_without_a_close_match_lists_the_keys(minimal: str, tmp_path: Path) -> None:
    found = errors(minimal.replace("{id: ops}", "{id: ops, zzz: 1}"), tmp_path)
    assert found == [
        "scenario.yaml:9: units 'ops', field 'zzz': unknown key 'zzz' "
        "(valid keys: id, name, owner, budget)"
    ]


def test_missing_required_field(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("periods: 12, ", "")
    assert errors(text, tmp_path) == [
        "scenario.yaml:2: horizon, field 'periods': required field is missing"
    ]


def test_several_errors_together(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("weight: 5", "weight: -1").replace("duration: 2", "duration: x")
    text += "polcy: {}\n"
    assert errors(text, tmp_path) == [
        "scenario.yaml:5: objectives 'retention', field 'weight': Input should be greater than "
        "or equal to 0, got -1",
        "scenario.yaml:19: initiatives 'crm', field 'duration': Input should be a valid integer, "
        "unable to parse string as an integer, got 'x'",
        "scenario.yaml:22: field 'polcy': unknown key 'polcy'; did you mean 'policy'?",
    ]


def test_object_tags_are_refused_not_executed(minimal: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = minimal + f"description: !!python/object/apply:os.system ['touch {marker}']\n"
    assert errors(text, tmp_path) == [
        "scenario.yaml:22: invalid YAML: the tag !!python/object/apply:os.system is not "
        "allowed: a scenario holds plain data only"
    ]
    assert not marker.exists()


def test_yaml_syntax_error_names_the_line(minimal: str, tmp_path: Path) -> None:
    text = minimal.replace("  - {id: it}", "  - {id: it")
    [message] = errors(text, tmp_path)
    assert message.startswith("scenario.yaml:11: invalid YAML: ")


def test_duplicate_yaml_key(minimal: str, tmp_path: Path) -> None:
    assert errors(minimal + "name: again\n", tmp_path) == ["scenario.yaml:22: duplicate key 'name'"]


def test_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    text = HEAD + "initiatives:\n  - &base {id: a, duration: 2, contributes: {cost: 1}}\n" \
        "  - {<<: *base, id: b}\n"
    scenario = load(text, tmp_path, {})
    assert [i.id for i in scenario.initiatives] == ["a", "b"]
    assert scenario.initiatives[1].duration == 2


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- a\n- b\n", "scenario.yaml:1: the top level must be a mapping (name:, horizon:, ...), "
                       "got a list"),
        ("", "scenario.yaml: the top level must be a mapping (name:, horizon:, ...), got an "
             "empty document"),
        ("a: &x [*x]\n", "scenario.yaml: invalid YAML: an alias refers to itself"),
    ],
)
def test_not_a_scenario(text: str, expected: str, tmp_path: Path) -> None:
    assert errors(text, tmp_path) == [expected]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        refs = ", ".join([f"*a{k - 1}"] * 10)
        lines.append(f"a{k}: &a{k} [{refs}]")
    [message] = errors("\n".join(lines) + "\n", tmp_path)
    assert "expands to more than" in message


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(missing)
    assert str(info.value.issues[0]) == f"{missing}: file not found"
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert "is a directory" in str(info.value.issues[0])
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(bad)
    assert "not UTF-8" in str(info.value.issues[0])


def test_read_scenario_returns_warnings(write_scenario: Callable[..., Path],
                                        minimal: str) -> None:
    loaded = read_scenario(write_scenario(minimal + "  - {id: idle}\n"))
    assert [w.item for w in loaded.warnings] == ["initiatives 'idle'"] * 2
    assert loaded.source.locate(("initiatives", 1)).line == 22


def test_index_labels_may_be_integers(tmp_path: Path) -> None:
    text = ("name: idx\nhorizon: {periods: 10, period: index, start: 1}\n"
            "units: [{id: u}]\n"
            "staff: [{id: p, unit: u, skills: [s], availability: {3: 0.5}}]\n"
            "initiatives: [{id: a, deadline: 8, earliest_start: 2}]\n")
    scenario = load(text, tmp_path, {})
    assert scenario.staff[0].availability == {"3": 0.5}
    assert scenario.initiatives[0].deadline == "8"


# --------------------------------------------------------------------------- CSV

STAFF_CSV = """\
id,name,unit,skills,fte,cost_per_hour,max_change_share,availability,develop
p001,A. Lee,ops,agent;analyst,,45,0.5,2027-08:0.5;2027-09:0,data;ml
p002,,it,engineer:1;analyst:0.8,0.5,,,,
"""

RTB_HOURS_CSV = """\
unit,skill,priority,hours
ops,agent,must,100
ops,analyst,,20
"""

PERIODS = [f"2027-{m:02d}" for m in range(1, 13)]
RTB_PERIODS_CSV = "unit,skill,priority," + ",".join(PERIODS) + "\n" \
    "ops,agent,normal," + ",".join(str(k) for k in range(12)) + "\n"

INITIATIVES_CSV = "\n".join([
    "id,name,sponsor,contributes,kpi_impacts,value,cost,duration,earliest_start,deadline,"
    "mandatory,depends_on,exclusive_with",
    "crm,CRM consolidation,ops,retention:strong;cost:0.25,nps:4,800000,150000,4,2027-02,"
    "2027-10,false,lake,crm-lite",
    "lake,Data lake,it,cost:low,,,,2,,,true,,",
    "crm-lite,,,retention:low,,,,1,,,,,crm",
    "",
])

EFFORT_CSV = """\
initiative,unit,skill,hours
crm,it,engineer,1200
crm,ops,analyst,320
lake,it,engineer,400
"""

CSV_YAML = HEAD + """\
staff: {csv: staff.csv}
run_the_business: {csv: rtb.csv}
initiatives: {csv: initiatives.csv, effort: effort.csv}
"""


def test_staff_csv_conventions(tmp_path: Path) -> None:
    s = load(CSV_YAML, tmp_path, {"staff.csv": STAFF_CSV, "rtb.csv": RTB_HOURS_CSV,
                                  "initiatives.csv": INITIATIVES_CSV,
                                  "effort.csv": EFFORT_CSV})
    p1, p2 = s.staff
    assert p1.name == "A. Lee" and p1.fte == 1.0 and p1.cost_per_hour == 45
    assert p1.skills == {"agent": 1.0, "analyst": 1.0}
    assert p1.availability == {"2027-08": 0.5, "2027-09": 0.0}
    assert p1.develop == {"data": None, "ml": None} and p1.max_change_share == 0.5
    assert s.wishes(p1) == {"data": 40.0, "ml": 40.0}  # a list wants the default hours
    assert p2.name is None and p2.fte == 0.5 and p2.availability == {}
    assert p2.skills == {"engineer": 1.0, "analyst": 0.8}


def test_rtb_csv_hours_and_default_priority(tmp_path: Path) -> None:
    s = load(CSV_YAML, tmp_path, {"staff.csv": STAFF_CSV, "rtb.csv": RTB_HOURS_CSV,
                                  "initiatives.csv": INITIATIVES_CSV,
                                  "effort.csv": EFFORT_CSV})
    assert [(r.skill, r.hours, r.priority) for r in s.run_the_business] == [
        ("agent", 100.0, "must"), ("analyst", 20.0, "high")]


def test_rtb_csv_one_column_per_period(tmp_path: Path) -> None:
    s = load(CSV_YAML, tmp_path, {"staff.csv": STAFF_CSV, "rtb.csv": RTB_PERIODS_CSV,
                                  "initiatives.csv": INITIATIVES_CSV,
                                  "effort.csv": EFFORT_CSV})
    [line] = s.run_the_business
    assert line.hours == [float(k) for k in range(12)] and line.priority == "normal"


def test_initiatives_and_effort_csv(tmp_path: Path) -> None:
    s = load(CSV_YAML, tmp_path, {"staff.csv": STAFF_CSV, "rtb.csv": RTB_HOURS_CSV,
                                  "initiatives.csv": INITIATIVES_CSV,
                                  "effort.csv": EFFORT_CSV})
    crm, lake, lite = s.initiatives
    assert crm.contributes == {"retention": "strong", "cost": 0.25}
    assert crm.kpi_impacts == {"nps": 4.0}
    assert (crm.value, crm.cost, crm.duration) == (800000, 150000, 4)
    assert (crm.earliest_start, crm.deadline, crm.mandatory) == ("2027-02", "2027-10", False)
    assert crm.depends_on == ["lake"] and crm.exclusive_with == ["crm-lite"]
    assert [(e.unit, e.skill, e.hours) for e in crm.effort] == [
        ("it", "engineer", 1200), ("ops", "analyst", 320)]
    assert lake.mandatory and lake.total_hours == 400 and lake.value == 0
    assert lite.effort == [] and lite.name is None


def test_csv_errors_name_the_csv_file_and_row(tmp_path: Path) -> None:
    staff = STAFF_CSV + "p003,,it,engineer,abc,,,2027-08=0.5,\n"
    rtb = RTB_PERIODS_CSV + "ops,analyst,,1,2,3,4,5,6,7,8,9,10,11,\n"
    effort = EFFORT_CSV + "crn,it,engineer,5\nlake,it,engineer,-1\n"
    initiatives = INITIATIVES_CSV.replace("exclusive_with\n", "exclusive_with,colour\n")
    found = errors(CSV_YAML, tmp_path, {"staff.csv": staff, "rtb.csv": rtb,
                                        "initiatives.csv": initiatives, "effort.csv": effort})
    assert found == [
        "effort.csv:5: field 'initiative': unknown initiative 'crn'; did you mean 'crm'?",
        "effort.csv:6: initiatives 'lake', field 'effort[1].hours': Input should be greater "
        "than or equal to 0, got '-1'",
        "initiatives.csv:1: unknown column 'colour' (columns: id, name, sponsor, contributes, "
        "kpi_impacts, value, cost, duration, earliest_start, deadline, mandatory, depends_on, "
        "exclusive_with, pin, start, status)",
        "rtb.csv:3: run_the_business[1], field 'hours': no hours for period(s) 2027-12; "
        "write 0 for a period without demand",
        "staff.csv:4: staff 'p003', field 'availability': cannot read '2027-08=0.5': write "
        "key:value pairs separated by ';' (e.g. 2027-08:0.5;2027-09:0)",
        "staff.csv:4: staff 'p003', field 'fte': Input should be a valid number, unable to "
        "parse string as a number, got 'abc'",
    ]


@pytest.mark.parametrize("cell, expected", [
    ("data;ml", {"data": None, "ml": None}),
    ("data:60;ml:20", {"data": 60.0, "ml": 20.0}),
    ("data; ml:20", {"data": None, "ml": 20.0}),
    ("data:0", {"data": 0.0}),
])
def test_staff_csv_develop_cell(cell: str, expected: dict, tmp_path: Path) -> None:
    staff = STAFF_CSV.replace(",data;ml\n", f",{cell}\n")
    s = load(CSV_YAML, tmp_path, {"staff.csv": staff, "rtb.csv": RTB_HOURS_CSV,
                                  "initiatives.csv": INITIATIVES_CSV, "effort.csv": EFFORT_CSV})
    assert s.staff[0].develop == expected


@pytest.mark.parametrize("cell, message", [
    ("data:", "cannot read 'data:': write skills, or skill:hours pairs, separated by ';' "
              "(e.g. data:60;ml:20)"),
    ("data:60;data:20", "'data' is given twice"),
    ("data:lots", "Input should be a valid number, unable to parse string as a number, "
                  "got 'lots'"),
    ("data:-5", "hours wanted for 'data' must be a number in [0, 1e6], got -5.0"),
])
def test_staff_csv_develop_cell_errors(cell: str, message: str, tmp_path: Path) -> None:
    staff = STAFF_CSV.replace(",data;ml\n", f",{cell}\n")
    found = errors(CSV_YAML, tmp_path, {"staff.csv": staff, "rtb.csv": RTB_HOURS_CSV,
                                        "initiatives.csv": INITIATIVES_CSV,
                                        "effort.csv": EFFORT_CSV})
    assert len(found) == 1 and found[0].startswith("staff.csv:2: staff 'p001', field 'develop")
    assert found[0].endswith(message)


def test_rtb_csv_period_columns_must_cover_the_horizon(tmp_path: Path) -> None:
    rtb = "unit,skill,2027-01,2027-02,2027-13\nops,agent,1,2,3\n"
    found = errors(HEAD + "run_the_business: {csv: rtb.csv}\n", tmp_path, {"rtb.csv": rtb})
    assert found[0].startswith("rtb.csv:1: unknown column '2027-13'")
    assert found[1].startswith("rtb.csv:1: per-period columns must cover every period; "
                               "missing: 2027-03, 2027-04")


def test_rtb_csv_hours_and_periods_both_given(tmp_path: Path) -> None:
    rtb = "unit,skill,hours," + ",".join(PERIODS) + "\nops,agent,5," + ",".join("1" * 12) + "\n"
    assert errors(HEAD + "run_the_business: {csv: rtb.csv}\n", tmp_path, {"rtb.csv": rtb}) == [
        "rtb.csv:2: run_the_business[0], field 'hours': give either 'hours' or one column per "
        "period, not both"
    ]


def test_missing_csv_file_is_located_in_the_yaml(tmp_path: Path) -> None:
    assert errors(HEAD + "staff: {csv: people.csv}\n", tmp_path) == [
        f"scenario.yaml:7: staff, field 'csv': CSV file 'people.csv' not found "
        f"({tmp_path / 'people.csv'})"
    ]


def test_csv_reference_with_unknown_key(tmp_path: Path) -> None:
    assert errors(HEAD + "staff: {csv: s.csv, sep: ';'}\n", tmp_path,
                  {"s.csv": "id,unit,skills\np,ops,a\n"}) == [
        "scenario.yaml:7: staff: unknown key 'sep'"
    ]
    assert errors(HEAD + "staff: {cvs: s.csv}\n", tmp_path) == [
        "scenario.yaml:7: staff: expected a list of items or {csv: FILE} "
        "(unknown key 'cvs'; did you mean 'csv'?)"
    ]


def test_empty_csv_and_bad_encoding(tmp_path: Path) -> None:
    assert errors(HEAD + "staff: {csv: s.csv}\n", tmp_path, {"s.csv": ""}) == [
        "s.csv:1: the CSV file is empty (no header row)"
    ]
    (tmp_path / "b.csv").write_bytes(b"id,unit,skills\np\xe9,ops,a\n")
    [message] = errors(HEAD + "staff: {csv: b.csv}\n", tmp_path)
    assert message.startswith("b.csv: not UTF-8 text")


def test_csv_extra_cells(tmp_path: Path) -> None:
    assert errors(HEAD + "staff: {csv: s.csv}\n", tmp_path,
                  {"s.csv": "id,unit,skills\np,ops,a,oops\n"}) == [
        "s.csv:2: the row has 4 cells but the header has 3 columns"
    ]


def test_csv_beside_a_yaml_in_a_subfolder(tmp_path: Path) -> None:
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "s.csv").write_text("id,unit,skills\np,opx,a\n", encoding="utf-8")
    (folder / "scenario.yaml").write_text(HEAD + "staff: {csv: s.csv}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder / "scenario.yaml")
    assert str(info.value.issues[0]) == (
        f"{folder / 's.csv'}:2: staff 'p', field 'unit': unknown unit 'opx'; "
        "did you mean 'ops'?"
    )


# --------------------------------------------------------------------------- overrides


def test_overrides_set_values(minimal: str, tmp_path: Path) -> None:
    s = load_scenario_text(minimal, tmp_path, overrides=[
        "policy.budget=800000", "initiatives.crm.mandatory=true",
        "staff.p001.availability.2027-08=0.5", "run_the_business.0.priority=must",
        "strategy.objectives.retention.weight=2",
    ])
    assert s.policy.budget == 800000
    assert s.initiatives[0].mandatory is True
    assert s.staff[0].availability == {"2027-08": 0.5}
    assert s.run_the_business[0].priority == "must"
    assert s.strategy.objectives[0].weight == 2


def test_overrides_report_every_bad_path(minimal: str, tmp_path: Path) -> None:
    found = errors(minimal, tmp_path, overrides=(
        "policy.budgt=3", "initiatives.cmr.duration=3", "nonsense",
        "horizon.periods.x=1", "units.ops.budget=-5", "name=[unclosed",
    ))
    assert found == [
        "--set: field 'policy.budgt': 'policy.budgt=3': unknown key 'budgt' in policy; "
        "did you mean 'budget'?",
        "--set: field 'initiatives.cmr.duration': 'initiatives.cmr.duration=3': no item 'cmr' "
        "in initiatives; did you mean 'crm'?",
        "--set: 'nonsense': expected PATH=VALUE, e.g. policy.budget=800000",
        "--set: field 'horizon.periods.x': 'horizon.periods.x=1': horizon.periods is a single "
        "value; it has no 'x'",
        "--set: field 'name': 'name=[unclosed': cannot read the value as YAML: invalid YAML: "
        "while parsing a flow sequence, expected ',' or ']', but got '<stream end>'",
        "--set: units 'ops', field 'budget': Input should be greater than or equal to 0, "
        "got -5",
    ]


def test_apply_overrides_does_not_change_its_input() -> None:
    data = {"name": "x", "policy": {"budget": 1}}
    out = apply_overrides(data, ["policy.budget=2", "policy.borrowing=true"])
    assert data == {"name": "x", "policy": {"budget": 1}}
    assert out["policy"] == {"budget": 2, "borrowing": True}
    with pytest.raises(ScenarioError):
        apply_overrides(data, ["policy.nope=1"])


def test_override_creates_missing_sections() -> None:
    out = apply_overrides({"name": "x"}, ["policy.solver.time_limit=5"])
    assert out["policy"] == {"solver": {"time_limit": 5}}


def test_read_scenario_text_default_names(minimal: str) -> None:
    loaded = read_scenario_text(minimal)
    assert loaded.source.default_file == "<string>"
