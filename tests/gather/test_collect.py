"""The gathering cycle on mid_org: template -> forms filled by unit heads -> collect -> solve.

The planning office's skeleton (``org.yaml``) is mid_org without the staff, RTB
and proposals of three units (IT, Finance, Marketing): their heads fill those
in from scratch, as they would by typing (a deadline typed into Excel becomes a
date, "mandatory" a TRUE cell); Marketing sends a folder of CSV files instead
of the workbook. The six other units send their pre-filled forms back as they
are. One mistake in IT's workbook (a misspelt unit in an effort row) must be
reported at workbook, sheet, row and column; once fixed, the collected scenario
equals mid_org in content and solves.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from models.scenario import Initiative, Scenario
from planner.cli import main
from planner.errors import ScenarioError
from planner.gather.collect import collect, write_collected
from planner.gather.forms import CONTRIBUTES, KPI_IMPACTS, Layout
from planner.gather.template import write_templates
from planner.gather.write import WriteError, develop_cell, num
from planner.io.load import load_scenario

ROOT = Path(__file__).resolve().parents[2]
MID_ORG = ROOT / "scenarios" / "mid_org.yaml"
HEADS = ("it", "finance", "marketing")


@pytest.fixture(scope="module")
def truth() -> Scenario:
    return load_scenario(MID_ORG)


def new_proposals(truth: Scenario) -> set[str]:
    """The three units' initiatives that no other initiative names (the heads type these)."""
    named = {x for i in truth.initiatives for x in (*i.depends_on, *i.exclusive_with)}
    return {i.id for i in truth.initiatives if i.sponsor in HEADS and i.id not in named}


@pytest.fixture
def office(tmp_path: Path, truth: Scenario) -> Path:
    """org.yaml: mid_org without the three units' staff, RTB and new proposals; forms/ from it."""
    new = new_proposals(truth)
    skeleton = truth.model_copy(update={
        "staff": [p for p in truth.staff if p.unit not in HEADS],
        "run_the_business": [r for r in truth.run_the_business if r.unit not in HEADS],
        "initiatives": [i for i in truth.initiatives if i.id not in new],
    })
    from planner.gather.write import write_scenario

    write_scenario(skeleton, tmp_path / "org.yaml")
    org = load_scenario(tmp_path / "org.yaml")
    write_templates(org, tmp_path / "forms")
    return tmp_path


def _proposal_row(ini: Initiative, layout: Layout) -> dict[str, Any]:
    row: dict[str, Any] = {"id": ini.id, "name": ini.name, "status": ini.status,
                           "value": ini.value, "cost": ini.cost, "duration": ini.duration,
                           "depends_on": ";".join(ini.depends_on) or None,
                           "exclusive_with": ";".join(ini.exclusive_with) or None,
                           "earliest_start": ini.earliest_start, "pin": ini.pin,
                           "start": ini.start}
    if ini.deadline is not None:  # typed 2027-09 into Excel: it keeps a date
        year, month = map(int, ini.deadline.split("-"))
        row["deadline"] = dt.datetime(year, month, 1)
    if ini.mandatory:
        row["mandatory"] = True
    for obj, rating in ini.contributes.items():
        row[CONTRIBUTES + obj] = rating
    for kpi, x in ini.kpi_impacts.items():
        row[KPI_IMPACTS + kpi] = x
    return row


def head_fills(truth: Scenario, unit: str, only_new: bool = True) -> dict[
    str, list[dict[str, Any]]
]:
    """What the head of ``unit`` types: its staff, RTB lines, proposals and their effort.

    Proposals: only those the form does not already hold, unless ``only_new`` is False
    (a CSV folder starts from nothing).
    """
    labels = Layout.of(truth).periods
    staff = [{"id": p.id, "name": p.name,
              "skills": ";".join(s if q == 1 else f"{s}:{num(q)}" for s, q in p.skills.items()),
              "fte": p.fte, "cost_per_hour": p.cost_per_hour,
              "max_change_share": p.max_change_share,
              "availability": ";".join(f"{k}:{num(v)}" for k, v in p.availability.items())
              or None, "develop": develop_cell(p) or None}
             for p in truth.staff if p.unit == unit]
    rtb = []
    for r in truth.run_the_business:
        if r.unit == unit:
            row: dict[str, Any] = {"skill": r.skill, "priority": r.priority,
                                   "sustains": ";".join(r.sustains) or None}
            if isinstance(r.hours, list):
                row.update(zip(labels, r.hours, strict=True))
            else:
                row["hours"] = r.hours
            rtb.append(row)
    layout = Layout.of(truth)
    new = new_proposals(truth)
    mine = [i for i in truth.initiatives
            if i.sponsor == unit and (i.id in new or not only_new)]
    return {
        "staff": staff, "rtb": rtb,
        "proposals": [_proposal_row(i, layout) for i in mine],
        "effort": [{"initiative": i.id, "unit": e.unit, "skill": e.skill, "hours": e.hours}
                   for i in mine for e in i.effort],
    }


def fill_workbook(path: Path, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Type ``rows`` below what each sheet holds; return the first new row of each sheet."""
    wb = load_workbook(path)
    first = {}
    for sheet, items in rows.items():
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        used = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value]
        first[sheet] = max(used, default=1) + 1
        for r, item in enumerate(items, start=first[sheet]):
            for key, value in item.items():
                if value is not None:
                    ws.cell(row=r, column=header.index(key) + 1, value=value)
    wb.save(path)
    return first


def fill_folder(folder: Path, layout: Layout, rows: dict[str, list[dict[str, Any]]]) -> None:
    folder.mkdir()
    for sheet, items in rows.items():
        with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(layout.columns(sheet)))
            w.writeheader()
            for item in items:
                w.writerow({k: ("" if v is None else v.strftime("%Y-%m")
                                if isinstance(v, dt.datetime) else v)
                            for k, v in item.items()})


def _sorted(s: Scenario) -> dict[str, Any]:
    d = s.model_dump()
    d["staff"].sort(key=lambda p: p["id"])
    d["initiatives"].sort(key=lambda i: i["id"])
    d["run_the_business"].sort(key=lambda r: (r["unit"], r["skill"], r["priority"]))
    return d


def test_the_cycle_on_mid_org(office: Path, truth: Scenario, monkeypatch):
    monkeypatch.chdir(office)
    layout = Layout.of(truth)
    forms = Path("forms")
    fills = {u: head_fills(truth, u, only_new=u != "marketing") for u in HEADS}
    assert all(fills[u]["staff"] and fills[u]["proposals"] for u in ("it", "finance"))
    # the one mistake: IT asks effort of a unit whose name is misspelt
    wrong = next(k for k, e in enumerate(fills["it"]["effort"]) if e["unit"] != "it")
    right = fills["it"]["effort"][wrong]["unit"]
    fills["it"]["effort"][wrong]["unit"] = right[:-1]
    first = fill_workbook(forms / "it.xlsx", fills["it"])
    fill_workbook(forms / "finance.xlsx", fills["finance"])
    (forms / "marketing.xlsx").unlink()
    fill_folder(forms / "marketing", layout, fills["marketing"])

    with pytest.raises(ScenarioError) as exc:
        collect("forms", "org.yaml")
    assert [str(i) for i in exc.value.issues] == [
        f"forms/it.xlsx, sheet 'effort', row {first['effort'] + wrong}, column 'unit': "
        f"unknown unit "
        f"'{right[:-1]}'; did you mean '{right}'?"
    ]

    wb = load_workbook(forms / "it.xlsx")
    wb["effort"].cell(row=first["effort"] + wrong, column=2, value=right)
    wb.save(forms / "it.xlsx")
    collected = collect("forms", "org.yaml")
    assert _sorted(collected.loaded.scenario) == _sorted(truth)
    assert not [w for w in collected.warnings if "no form" in str(w)]

    # where each item came from
    src = collected.sources.set_index(["section", "item"])
    person = next(p for p in truth.staff if p.unit == "marketing")
    assert tuple(src.loc[("staff", person.id)]) == (
        "marketing", "forms/marketing/staff.csv", "", 2)
    first_it = fills["it"]["proposals"][0]["id"]
    assert tuple(src.loc[("initiatives", first_it)]) == (
        "it", "forms/it.xlsx", "proposals", first["proposals"])

    paths = write_collected(collected, "collected.yaml")
    assert paths[0] == Path("collected.yaml")
    assert (Path("collected") / "sources.csv").is_file()
    assert _sorted(load_scenario("collected.yaml")) == _sorted(truth)
    runner = CliRunner()
    res = runner.invoke(main, ["validate", "collected.yaml"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["solve", "collected.yaml", "--out", "plan", "--strategy",
                               "greedy", "-q"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["check", "collected.yaml", "plan"])
    assert res.exit_code == 0, res.output


def test_sent_back_unchanged_the_forms_give_the_scenario_back_in_order(tmp_path, truth,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["template", str(MID_ORG), "--out", "forms"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in Path("forms").iterdir()) == sorted(
        f"{u.id}.xlsx" for u in truth.units)
    res = runner.invoke(main, ["collect", "forms", "--base", str(MID_ORG), "--out",
                               "round.yaml"])
    assert res.exit_code == 0, res.output
    # the base's order is kept, so the scenario is equal item for item
    assert load_scenario("round.yaml").model_dump() == truth.model_dump()
    # the output exists now: refused without --force; never written over an input
    res = runner.invoke(main, ["collect", "forms", "--base", str(MID_ORG), "--out",
                               "round.yaml"])
    assert res.exit_code == 1 and "already exists" in res.output
    with pytest.raises(WriteError, match="would replace the input"):
        write_collected(collect("forms", MID_ORG), MID_ORG, force=True)
    res = runner.invoke(main, ["template", str(MID_ORG), "--out", "forms"])
    assert res.exit_code == 1 and "already exists" in res.output


def test_duplicates_and_unknown_forms_are_located(office: Path, truth: Scenario, monkeypatch):
    monkeypatch.chdir(office)
    forms = Path("forms")
    ops = [p for p in truth.staff if p.unit == "operations"][0]
    sales_ini = next(i for i in truth.initiatives if i.sponsor == "sales")
    it = head_fills(truth, "it")
    it["staff"].append({"id": ops.id, "name": "moved?", "skills": "agent"})
    it["proposals"].append({"id": sales_ini.id, "name": "ours too", "duration": 2})
    first = fill_workbook(forms / "it.xlsx", it)
    shutil.copy(forms / "finance.xlsx", forms / "finanse.xlsx")
    with pytest.raises(ScenarioError) as exc:
        collect("forms", "org.yaml")
    text = [str(i) for i in exc.value.issues]
    it_staff_row = first["staff"] + len(it["staff"]) - 1
    it_prop_row = first["proposals"] + len(it["proposals"]) - 1
    ops_row = [p.id for p in truth.staff if p.unit == "operations"].index(ops.id) + 2
    sales_row = [i.id for i in truth.initiatives if i.sponsor == "sales"].index(
        sales_ini.id) + 2
    # forms are read in name order (it before operations and sales): the later one is
    # reported, naming the earlier
    assert text == [
        "forms/finanse.xlsx: unit 'finanse' does not exist; did you mean 'finance'?: a form "
        "is named after its unit (e.g. it.xlsx)",
        f"forms/operations.xlsx, sheet 'staff', row {ops_row}, column 'id': person "
        f"'{ops.id}' is listed twice: also in forms/it.xlsx, sheet 'staff', row {it_staff_row}",
        f"forms/sales.xlsx, sheet 'proposals', row {sales_row}, column 'id': initiative "
        f"'{sales_ini.id}' is submitted twice: also in forms/it.xlsx, sheet 'proposals', "
        f"row {it_prop_row}",
    ]


def test_template_prefills_and_validates(tmp_path, truth):
    [path] = write_templates(truth, tmp_path, units=["finance"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["instructions", "staff", "rtb", "proposals", "effort", "lists"]
    assert wb["lists"].sheet_state == "hidden"
    ins = {r[0]: r[1] for r in wb["instructions"].iter_rows(values_only=True)}
    assert ins["unit"] == "finance"
    staff = list(wb["staff"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in staff] == [p.id for p in truth.staff if p.unit == "finance"]
    rules: dict[str, dict[str, tuple[str, str | None]]] = {}
    for sheet in ("staff", "rtb", "proposals", "effort"):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        for dv in ws.data_validations.dataValidation:
            col = header[next(iter(dv.sqref.ranges)).min_col - 1]
            rules.setdefault(sheet, {})[col] = (dv.type, dv.formula1)
    assert rules["staff"]["skills"] == ("list", "skills")
    assert rules["staff"]["fte"][0] == "decimal"
    assert rules["rtb"]["priority"] == ("list", '"must,high,normal"')
    assert rules["rtb"]["2027-03"][0] == "decimal"
    assert rules["proposals"]["contributes:digital"] == ("list", "ratings")
    assert rules["proposals"]["status"] == ("list", '"proposed,approved,committed,rejected"')
    assert rules["proposals"]["deadline"] == ("list", "periods")
    assert rules["proposals"]["duration"][0] == "whole"
    assert rules["effort"]["unit"] == ("list", "units")
    assert rules["effort"]["initiative"] == ("list", "proposal_ids")


def test_a_csv_folder_form_reports_its_file(office: Path, truth: Scenario, monkeypatch):
    monkeypatch.chdir(office)
    layout = Layout.of(truth)
    rows = head_fills(truth, "marketing", only_new=False)
    rows["staff"][0]["fte"] = "lots"
    (Path("forms") / "marketing.xlsx").unlink()
    fill_folder(Path("forms") / "marketing", layout, rows)
    with pytest.raises(ScenarioError) as exc:
        collect("forms", "org.yaml")
    assert [str(i) for i in exc.value.issues] == [
        "forms/marketing/staff.csv, row 2, column 'fte': Input should be a valid number, "
        "unable to parse string as a number, got 'lots'"]


@pytest.mark.parametrize("name", ["services_firm", "full_features"])
def test_every_example_survives_the_round_trip(tmp_path, name):
    # full_features uses every field: proficiencies, leave, development wishes, RTB
    # sustains, pins, fixed starts, mandatory, misaligned and sponsor-less items
    path = ROOT / "scenarios" / f"{name}.yaml"
    original = load_scenario(path)
    write_templates(original, tmp_path / "forms")
    write_collected(collect(tmp_path / "forms", path), tmp_path / "back.yaml")
    assert load_scenario(tmp_path / "back.yaml").model_dump() == original.model_dump()
