"""Writers: contract files, CSV safety, atomic folders, XLSX, round trip."""

from __future__ import annotations

import copy
import csv
import json
import os

import pandas as pd
import pytest

from models.scenario import Scenario
from planner.errors import PlannerError
from planner.io import cells, workbook
from planner.io import export as ex
from planner.io.export import (
    ExportError,
    OutputExistsError,
    csv_cell,
    export,
    format_number,
    read_plan,
    write_plan,
)
from planner.solving import Settings, solve
from planner.views import VIEWS
from tests.views.test_views import TINY

#: Formula-like texts fed through ids and names of the evil plan.
FED = {"=cmd|'/c calc'!A0", "+1", "@SUM(1)", "-2+3", "\tTAB", "=1+1"}
EVIL = ["=cmd|'/c calc'!A0", "+1", "@SUM(1)", "-2+3", "\tx", "\rx"]


@pytest.fixture(scope="module")
def plan():
    return solve(Scenario.model_validate(TINY), Settings(time_limit=20))


@pytest.fixture(scope="module")
def evil_plan():
    """TINY with formula-like ids and names everywhere text comes from the user."""
    s = copy.deepcopy(TINY)
    s["name"] = EVIL[0]
    s["units"][0].update(id="+1", name="@SUM(1)")
    for p in s["staff"]:
        p["name"] = EVIL[0]
        if p["unit"] == "a":
            p["unit"] = "+1"
    s["run_the_business"][0]["unit"] = "+1"
    s["staff"][0]["skills"] = {"-2+3": 1}
    s["staff"][1]["skills"] = {"-2+3": 0.5, "ops": 1}
    x, y = s["initiatives"]
    x.update(id="@SUM(1)", name="=cmd|'/c calc'!A0", sponsor="+1")
    y["name"] = "-2+3"
    for ini in (x, y):
        for ln in ini["effort"]:
            if ln["unit"] == "a":
                ln["unit"] = "+1"
            if ln["skill"] == "dev":
                ln["skill"] = "-2+3"
    s["strategy"]["objectives"][0]["id"] = "=1+1"
    x["contributes"] = {"=1+1": "strong", "cost": "low"}
    s["strategy"]["kpis"][0].update(objective="=1+1", unit="+1", name="\tTAB")
    return solve(Scenario.model_validate(s), Settings(time_limit=20))


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_contract_files_and_columns(plan, tmp_path):
    out = write_plan(plan, tmp_path / "plan")
    names = set(os.listdir(out))
    assert {"portfolio.csv", "assignments.csv", "workload.csv", "plan.json"} <= names
    assert {f"{v}.csv" for v in VIEWS} <= names
    port = _rows(out / "portfolio.csv")
    assert port[0][:10] == ["initiative", "name", "selected", "start", "finish",
                            "strategic_score", "value", "cost", "labour_hours", "reason"]
    assert port[1][:5] == ["x", "x", "true", "1", "2"]
    asg = _rows(out / "assignments.csv")
    assert asg[0][:8] == ["person", "unit", "period", "work", "for_unit", "skill", "hours",
                          "contract"]
    wl = _rows(out / "workload.csv")[0]
    for col in ("capacity", "rtb_demand", "rtb_planned", "rtb_short", "change_demand",
                "change_planned", "lent", "borrowed", "external", "utilisation"):
        assert col in wl
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert data["run"]["status"] == "optimal"


def test_number_formatting():
    assert format_number(1 / 3) == "0.3333"
    assert format_number(2.50) == "2.5"
    assert format_number(-0.00001) == "0"
    assert format_number(100.0) == "100"
    assert format_number(0.1 + 0.2) == "0.3"
    assert csv_cell(True) == "true" and csv_cell(None) == "" and csv_cell(float("nan")) == ""
    assert csv_cell(-2.0) == "-2" and csv_cell("-2") == "-2"  # numbers are left alone
    for text in EVIL:
        assert csv_cell(text) == "'" + text


def test_csv_injection_neutralised(evil_plan, tmp_path):
    out = write_plan(evil_plan, tmp_path / "evil")
    seen_evil = set()
    negative_numbers = 0
    for name in VIEWS:
        for row in _rows(out / f"{name}.csv"):
            for cell in row:
                if cell[:1] in ("=", "+", "@", "\t", "\r"):
                    pytest.fail(f"{name}.csv: unsafe cell {cell!r}")
                if cell.startswith("-"):
                    float(cell)  # only plain numbers may start with '-'
                    negative_numbers += 1
                for e in FED:
                    if cell == "'" + e or cell.startswith("'" + e + " "):
                        seen_evil.add(e)
    assert seen_evil == FED  # every text we fed in came out neutralised
    assert negative_numbers > 0  # the kpi path's negative impact stays a number
    port = _rows(out / "portfolio.csv")
    assert port[1][0] == "'@SUM(1)" and port[1][1] == "'=cmd|'/c calc'!A0"
    # plan.json keeps the exact text
    assert read_plan(out).initiatives[0].id == "@SUM(1)"


def test_existing_folder_needs_force(plan, tmp_path):
    target = tmp_path / "plan"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(OutputExistsError) as err:
        write_plan(plan, target)
    assert isinstance(err.value, PlannerError) and "--force" in str(err.value)
    write_plan(plan, target, force=True)
    assert not (target / "old.txt").exists() and (target / "plan.json").exists()
    assert _leftovers(tmp_path) == []


def _leftovers(parent):
    return [n for n in os.listdir(parent) if n.startswith(".")]


def _boom(*_a, **_k):
    raise OSError("disk full")


def test_failure_mid_write_leaves_nothing(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "write_xlsx", _boom)  # after plan.json and the CSVs
    with pytest.raises(ExportError, match="disk full"):
        write_plan(plan, tmp_path / "plan", formats=("csv", "xlsx"))
    assert not (tmp_path / "plan").exists()
    assert _leftovers(tmp_path) == []


def test_failure_keeps_old_folder(plan, tmp_path, monkeypatch):
    target = tmp_path / "plan"
    write_plan(plan, target)
    before = {n: (target / n).read_bytes() for n in os.listdir(target)}
    monkeypatch.setattr(cells, "frame_to_csv", lambda *_: (_ for _ in ()).throw(ValueError("bug")))
    with pytest.raises(ValueError):
        write_plan(plan, target, force=True)
    assert {n: (target / n).read_bytes() for n in os.listdir(target)} == before
    assert _leftovers(tmp_path) == []


def test_failed_swap_restores_old_folder(plan, tmp_path, monkeypatch):
    target = tmp_path / "plan"
    write_plan(plan, target)
    (target / "marker").write_text("old")
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # moving the new folder into place
            raise OSError("rename failed")
        return real(src, dst)

    monkeypatch.setattr(ex.os, "replace", flaky)
    with pytest.raises(ExportError):
        write_plan(plan, target, force=True)
    monkeypatch.undo()
    assert (target / "marker").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_xlsx_one_sheet_per_view(plan, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = write_plan(plan, tmp_path / "plan", formats=("csv", "xlsx"))
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    views = list(VIEWS)
    assert wb.sheetnames == [*views[:views.index("change_plan") + 1], "roadmap",
                             *views[views.index("change_plan") + 1:]]
    for ws in wb.worksheets:
        assert ws.freeze_panes == ("C2" if ws.title == "roadmap" else "A2")
        assert ws["A1"].font.b
    port = wb["portfolio"]
    header = [c.value for c in port[1]]
    assert header[:3] == ["initiative", "name", "selected"]
    assert port.cell(2, header.index("cost") + 1).number_format == "#,##0.00"
    assert port.cell(2, header.index("selected") + 1).value is True


def test_xlsx_text_is_never_a_formula(evil_plan, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = write_plan(evil_plan, tmp_path / "plan", formats=("xlsx",))
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    assert wb["portfolio"]["B2"].value == "=cmd|'/c calc'!A0"
    assert wb["portfolio"]["B2"].data_type == "s"


def test_json_views_and_round_trip(plan, tmp_path):
    out = write_plan(plan, tmp_path / "plan", formats=("json",))
    data = json.loads((out / "workload.json").read_text(encoding="utf-8"))
    assert data["columns"][:3] == ["unit", "skill", "period"]
    again = read_plan(out)
    for name, fn in VIEWS.items():
        pd.testing.assert_frame_equal(fn(again), fn(plan), check_dtype=False, obj=name)


def test_output_is_deterministic(plan, tmp_path):
    a = write_plan(plan, tmp_path / "a", formats=("csv", "xlsx", "json"))
    b = write_plan(plan, tmp_path / "b", formats=("csv", "xlsx", "json"))
    assert sorted(os.listdir(a)) == sorted(os.listdir(b))
    for n in os.listdir(a):
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def test_export_in_place_and_elsewhere(plan, tmp_path):
    src = write_plan(plan, tmp_path / "plan")
    (src / "solve.log").write_text("kept")
    export(src, ["xlsx"])
    assert (src / "plan.xlsx").exists() and (src / "solve.log").read_text() == "kept"
    assert (src / "finance.csv").exists()
    other = export(src, ["json"], out=tmp_path / "other")
    assert (other / "summary.json").exists() and not (other / "plan.xlsx").exists()
    with pytest.raises(ExportError, match="unknown format"):
        export(src, ["pdf"], out=tmp_path / "x")
    with pytest.raises(ExportError, match="plan.json"):
        read_plan(tmp_path / "nowhere")
    assert _leftovers(tmp_path) == []


def test_xlsx_roadmap_is_a_gantt(plan, tmp_path):
    # TINY: x runs in periods 1-2, y in 3
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(write_plan(plan, tmp_path / "p", formats=("xlsx",)) / "plan.xlsx")
    ws = wb["roadmap"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["1", "2", "3"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["x"][-3:] == (1, 1, None) and rows["y"][-3:] == (None, None, 1)
    active = ws.cell(2, len(header) - 2)
    assert active.fill.fgColor.rgb.endswith("4472C4") and active.number_format == ";;;"


def test_xlsx_money_in_the_currency_and_utilisation_coloured(plan, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    for currency, fmt in (("€", '"€"#,##0.00'), ("EUR", '#,##0.00 "EUR"')):
        p = plan.model_copy(deep=True)
        p.scenario.policy.currency = currency
        out = write_plan(p, tmp_path / currency, formats=("xlsx",))
        wb = openpyxl.load_workbook(out / "plan.xlsx")
        port = wb["portfolio"]
        header = [c.value for c in port[1]]
        assert port.cell(2, header.index("cost") + 1).number_format == fmt
    up = wb["unit_plans"]
    col = [c.value for c in up[1]].index("utilisation") + 1
    letter = openpyxl.utils.get_column_letter(col)
    rules = {str(cf.sqref): [r.type for r in cf.rules] for cf in up.conditional_formatting}
    assert rules == {f"{letter}2:{letter}{up.max_row}": ["colorScale"]}
