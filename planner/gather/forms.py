"""The layout of a unit's form and how to read one back (workbook or CSV folder).

A form belongs to one unit: ``forms/<unit>.xlsx`` (sheets ``staff``, ``rtb``,
``proposals``, ``effort``, plus ``instructions``) or a folder ``forms/<unit>/``
with ``staff.csv``, ``rtb.csv``, ``proposals.csv`` and ``effort.csv`` of the same
columns. The unit is the file or folder name without extension.

Columns (the unit itself is implied: staff belong to it, RTB is its own, it
sponsors its proposals):

- ``staff``: id, name, skills, fte, cost_per_hour, max_change_share,
  availability, develop (cells as in a staff CSV: ``a;b:0.8``,
  ``2027-08:0.5;2027-09:0``, ``data;ml``)
- ``rtb``: skill, priority, sustains (KPI ids, ``a;b``), and ``hours`` (every
  period) or one column per period label
- ``proposals``: id, name, status, one ``contributes:<objective>`` column per
  objective (a rating), one ``kpi_impacts:<kpi>`` column per KPI (a number),
  value, cost, duration, earliest_start, deadline, mandatory, depends_on,
  exclusive_with, pin, start
- ``effort``: initiative (one of this form's proposals), unit (the unit asked),
  skill, hours
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from models.scenario import Scenario
from planner.errors import Issue
from planner.io.csv_sections import Table
from planner.io.sourcemap import suggest
from planner.problem.calendar import Calendar

STAFF = ("id", "name", "skills", "fte", "cost_per_hour", "max_change_share", "availability",
         "develop")
RTB = ("skill", "priority", "sustains", "hours")
PROPOSAL_HEAD = ("id", "name", "status")
PROPOSAL_TAIL = ("value", "cost", "duration", "earliest_start", "deadline", "mandatory",
                 "depends_on", "exclusive_with", "pin", "start")
EFFORT = ("initiative", "unit", "skill", "hours")
SHEETS = ("staff", "rtb", "proposals", "effort")
INSTRUCTIONS = "instructions"
CONTRIBUTES = "contributes:"
KPI_IMPACTS = "kpi_impacts:"


@dataclass(frozen=True)
class Layout:
    """The columns of each sheet for one scenario's objectives, KPIs and periods."""

    objectives: tuple[str, ...]
    kpis: tuple[str, ...]
    periods: tuple[str, ...]
    period_kind: str

    @classmethod
    def of(cls, scenario: Scenario) -> Layout:
        """The layout of forms for ``scenario``."""
        return cls(tuple(o.id for o in scenario.strategy.objectives),
                   tuple(k.id for k in scenario.strategy.kpis),
                   tuple(Calendar(scenario.horizon).labels), scenario.horizon.period)

    def columns(self, sheet: str) -> tuple[str, ...]:
        """Every column of ``sheet``, in order."""
        if sheet == "staff":
            return STAFF
        if sheet == "rtb":
            return RTB + self.periods
        if sheet == "proposals":
            return (PROPOSAL_HEAD + tuple(CONTRIBUTES + o for o in self.objectives)
                    + tuple(KPI_IMPACTS + k for k in self.kpis) + PROPOSAL_TAIL)
        return EFFORT


@dataclass
class Form:
    """One unit's returned form: a table per sheet, or issues when it could not be read."""

    path: Path
    display: str  # how messages name it, e.g. forms/it.xlsx
    unit: str
    kind: str  # "xlsx" or "csv"
    tables: dict[str, Table] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def sheet_name(self, sheet: str) -> str:
        """How messages name a sheet: ``forms/it.xlsx, sheet 'staff'`` or ``forms/it/staff.csv``."""
        if self.kind == "xlsx":
            return f"{self.display}, sheet '{sheet}'"
        return f"{self.display}/{sheet}.csv"

    def error(self, message: str, sheet: str | None = None, row: int | None = None) -> None:
        """Record an error about the form (or one of its sheets)."""
        where = self.display if sheet is None else self.sheet_name(sheet)
        if row is not None:
            where += f", row {row}"
        self.issues.append(Issue(where, None, None, message))


def find_forms(folder: Path) -> list[tuple[Path, str]]:
    """``(path, kind)`` of every form in ``folder``: ``*.xlsx`` files and folders with CSVs.

    Office lock files (``~$...``) and hidden entries are skipped; forms are sorted
    by name so the result does not depend on the file system.
    """
    out = []
    for p in sorted(folder.iterdir(), key=lambda q: q.name):
        if p.name.startswith((".", "~$")):
            continue
        if p.is_file() and p.suffix.lower() == ".xlsx":
            out.append((p, "xlsx"))
        elif p.is_dir() and any(q.suffix.lower() == ".csv" for q in p.iterdir()):
            out.append((p, "csv"))
    return out


def cell_text(value: object, period_kind: str) -> str:
    """A cell as the text a CSV would hold (numbers without a spurious ``.0``).

    Dates (a spreadsheet turns a typed ``2027-03`` into one) become period labels
    for monthly horizons and ISO dates otherwise.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}" if period_kind == "month" else (
            value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat())
    return str(value).strip()


def read_form(path: Path, kind: str, display: str, layout: Layout) -> Form:
    """Read every sheet of a form into tables of text cells (rows keep their row numbers)."""
    form = Form(path, display, path.stem if kind == "xlsx" else path.name, kind)
    if kind == "xlsx":
        _read_workbook(form, layout)
    else:
        _read_folder(form, layout)
    for sheet, table in form.tables.items():
        allowed = layout.columns(sheet)
        for col in table.columns:
            if col not in allowed:
                form.error(f"unknown column '{col}'{suggest(col, allowed)} "
                           f"(columns: {', '.join(allowed)})", sheet, 1)
        dup = sorted({c for c in table.columns if table.columns.count(c) > 1})
        if dup:
            form.error(f"duplicate column(s): {', '.join(dup)}", sheet, 1)
    return form


def _table(form: Form, sheet: str, rows: Sequence[tuple[int, Sequence[object]]],
           layout: Layout) -> None:
    if not rows:
        form.error("the sheet is empty: it needs its header row", sheet)
        return
    _, head = rows[0]
    header = [cell_text(c, layout.period_kind) for c in head]
    while header and header[-1] == "":
        header.pop()
    body = []
    for line, cells in rows[1:]:
        text = [cell_text(c, layout.period_kind) for c in cells]
        if not any(text):
            continue
        extra = [t for t in text[len(header):] if t]
        if extra:
            form.error(f"cells beyond the last column: {', '.join(extra)}", sheet, line)
        body.append((line, {col: (text[k] if k < len(text) else "")
                            for k, col in enumerate(header) if col}))
    form.tables[sheet] = Table(form.sheet_name(sheet), [c for c in header if c], body)


def _read_workbook(form: Form, layout: Layout) -> None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(form.path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        form.error(f"cannot read the workbook: {exc}")
        return
    try:
        for sheet in SHEETS:
            if sheet not in wb.sheetnames:
                form.error(f"no sheet '{sheet}'{suggest(sheet, wb.sheetnames)} "
                           f"(a form has sheets {', '.join(SHEETS)})")
                continue
            ws = wb[sheet]
            rows = [(k, row) for k, row in enumerate(ws.iter_rows(values_only=True), start=1)]
            _table(form, sheet, rows, layout)
    finally:
        wb.close()


def _read_folder(form: Form, layout: Layout) -> None:
    for sheet in SHEETS:
        file = form.path / f"{sheet}.csv"
        if not file.is_file():
            form.error(f"no {sheet}.csv (write its header row when there is nothing to list)")
            continue
        try:
            with open(file, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                rows = [(reader.line_num, cells) for cells in reader]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            form.error(f"cannot read {sheet}.csv: {exc}")
            continue
        _table(form, sheet, rows, layout)
