"""``{csv: FILE}`` sections: staff, run-the-business and initiatives (+ effort) tables.

Conventions (see the scenario format): lists are ``a;b``, maps ``key:value;key:value``
(``skills`` may omit ``:1``), an empty cell means the default, and a run-the-business
table has either an ``hours`` column or one column per period label. Every problem
names the CSV file and its line.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.scenario import Horizon
from planner.errors import Issue
from planner.io.sourcemap import Path_, SourceMap, dotted, item_label, suggest
from planner.problem.calendar import Calendar, PeriodError

_STAFF_COLUMNS = (
    "id", "name", "unit", "skills", "fte", "cost_per_hour", "max_change_share",
    "availability", "develop",
)
_INITIATIVE_COLUMNS = (
    "id", "name", "sponsor", "contributes", "kpi_impacts", "value", "cost", "duration",
    "earliest_start", "deadline", "mandatory", "depends_on", "exclusive_with", "pin", "start",
    "status",
)
_EFFORT_COLUMNS = ("initiative", "unit", "skill", "hours")
_RTB_COLUMNS = ("unit", "skill", "priority", "hours", "sustains")
#: Plain tables (issue 14): document path -> columns, every cell a scalar.
PLAIN_TABLES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("ratings",): ("stakeholder", "initiative", "objective", "rating"),
    ("strategy", "pairwise"): ("a", "b", "ratio"),
}
#: Every table a scenario may give as CSV: document path of the list -> its columns
#: (``("initiatives", "effort")`` is the ``effort: FILE`` beside the initiatives' ``csv``).
#: The run-the-business table may have one column per period label instead of ``hours``.
CSV_COLUMNS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("staff",): _STAFF_COLUMNS,
    ("run_the_business",): _RTB_COLUMNS,
    ("initiatives",): _INITIATIVE_COLUMNS,
    ("initiatives", "effort"): _EFFORT_COLUMNS,
    **PLAIN_TABLES,
}


@dataclass
class _Csv:
    """One CSV file: display name, columns and rows (line number, cells by column)."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


class _Reader:
    """Resolves ``{csv: FILE}`` references, collecting issues."""

    def __init__(self, base_dir: Path, filename: str, source: SourceMap) -> None:
        self.base_dir = base_dir
        self.filename = filename
        self.source = source
        self.issues: list[Issue] = []

    def issue(self, file: str, line: int | None, item: str | None, fld: str | None,
              message: str) -> None:
        self.issues.append(Issue(file, item, fld, message, line))

    # -- files

    def read(self, ref: object, path: Path_) -> _Csv | None:
        loc = self.source.locate(path)
        item, fld = str(path[0]), dotted(path[1:])
        if not isinstance(ref, str) or not ref.strip():
            self.issue(loc.file, loc.line, item, fld, "expected a CSV file name")
            return None
        display = os.path.normpath(os.path.join(os.path.dirname(self.filename), ref))
        target = self.base_dir / ref
        try:
            with open(target, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                rows = []
                header: list[str] | None = None
                for cells in reader:
                    if header is None:
                        header = [c.strip() for c in cells]
                        continue
                    if not any(c.strip() for c in cells):
                        continue
                    rows.append((reader.line_num, cells))
        except FileNotFoundError:
            self.issue(loc.file, loc.line, item, fld, f"CSV file '{ref}' not found ({target})")
            return None
        except IsADirectoryError:
            self.issue(loc.file, loc.line, item, fld, f"'{ref}' is a directory, not a CSV file")
            return None
        except OSError as exc:
            self.issue(loc.file, loc.line, item, fld,
                       f"cannot read CSV file '{ref}': {exc.strerror or exc}")
            return None
        except UnicodeDecodeError as exc:
            self.issue(display, None, None, None,
                       f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8")
            return None
        except csv.Error as exc:
            self.issue(display, None, None, None, f"cannot read CSV: {exc}")
            return None
        if header is None or not any(header):
            self.issue(display, 1, None, None, "the CSV file is empty (no header row)")
            return None
        dup = sorted({c for c in header if c and header.count(c) > 1})
        if dup:
            self.issue(display, 1, None, None, f"duplicate column(s): {', '.join(dup)}")
            return None
        out: list[tuple[int, dict[str, str]]] = []
        for line, cells in rows:
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                self.issue(display, line, None, None,
                           f"the row has {len(cells)} cells but the header has "
                           f"{len(header)} columns")
            values = {col: (cells[k].strip() if k < len(cells) else "")
                      for k, col in enumerate(header) if col}
            out.append((line, values))
        return _Csv(display, [c for c in header if c], out)

    def check_columns(self, table: _Csv, allowed: Sequence[str]) -> list[str]:
        """Report unknown columns; return the known ones."""
        known = []
        for col in table.columns:
            if col in allowed:
                known.append(col)
            else:
                self.issue(table.name, 1, None, None,
                           f"unknown column '{col}'{suggest(col, allowed)} "
                           f"(columns: {', '.join(allowed)})")
        return known

    def check_ref_keys(self, ref: dict[Any, Any], path: Path_, allowed: Sequence[str]) -> None:
        for key in ref:
            if key not in allowed:
                loc = self.source.locate(path + (str(key),))
                self.issue(loc.file, loc.line, str(path[0]), None,
                           f"unknown key '{key}'{suggest(str(key), allowed)}")

    # -- cell conventions

    def split_list(self, cell: str) -> list[str]:
        return [p.strip() for p in cell.split(";") if p.strip()]

    def split_develop(self, cell: str, table: _Csv, line: int,
                      item: str) -> list[str] | dict[str, str | None] | None:
        """``data;ml`` (a list) or ``data:60;ml:20`` (skill -> hours; a bare skill gets the
        policy's default hours)."""
        parts = self.split_list(cell)
        if not any(":" in part for part in parts):
            return parts
        out: dict[str, str | None] = {}
        for part in parts:
            key, _, value = part.rpartition(":") if ":" in part else (part, "", "")
            key, value = key.strip(), value.strip()
            if not key or (":" in part and not value):
                self.issue(table.name, line, item, "develop",
                           f"cannot read '{part}': write skills, or skill:hours pairs, "
                           "separated by ';' (e.g. data:60;ml:20)")
                return None
            if key in out:
                self.issue(table.name, line, item, "develop", f"'{key}' is given twice")
                return None
            out[key] = value or None
        return out

    def split_map(self, cell: str, table: _Csv, line: int, item: str, col: str,
                  default: str | None = None) -> dict[str, str] | None:
        out: dict[str, str] = {}
        for part in self.split_list(cell):
            if ":" in part:
                key, _, value = part.rpartition(":")
                key, value = key.strip(), value.strip()
            elif default is not None:
                key, value = part, default
            else:
                key = value = ""
            if not key or not value:
                example = "2027-08:0.5;2027-09:0" if col == "availability" else "a:1;b:0.5"
                self.issue(table.name, line, item, col,
                           f"cannot read '{part}': write key:value pairs separated by ';' "
                           f"(e.g. {example})")
                return None
            if key in out:
                self.issue(table.name, line, item, col, f"'{key}' is given twice")
                return None
            out[key] = value
        return out

    def _row_item(self, section: str, index: int, values: dict[str, str]) -> str:
        return item_label(section, index, values.get("id") or None)

    def _record_row(self, path: Path_, table: _Csv, line: int, values: dict[str, Any]) -> None:
        self.source.set(path, table.name, line)
        for key in values:
            self.source.set(path + (key,), table.name, line)

    # -- sections

    def staff(self, table: _Csv) -> list[dict[str, Any]]:
        cols = self.check_columns(table, _STAFF_COLUMNS)
        out: list[dict[str, Any]] = []
        for line, row in table.rows:
            item = self._row_item("staff", len(out), row)
            d: dict[str, Any] = {}
            for col in cols:
                cell = row[col]
                if cell == "":
                    continue  # an empty cell means the default
                if col == "skills":
                    d[col] = self.split_map(cell, table, line, item, col, default="1")
                elif col == "availability":
                    d[col] = self.split_map(cell, table, line, item, col)
                elif col == "develop":
                    d[col] = self.split_develop(cell, table, line, item)
                else:
                    d[col] = cell
            d = {k: v for k, v in d.items() if v is not None}
            self._record_row(("staff", len(out)), table, line, d)
            out.append(d)
        return out

    def rtb(self, table: _Csv, labels: list[str] | None) -> list[dict[str, Any]]:
        fixed = [c for c in table.columns if c in _RTB_COLUMNS]
        others = [c for c in table.columns if c not in _RTB_COLUMNS]
        periods = others
        if labels is not None:
            unknown = [c for c in others if c not in labels]
            for col in unknown:
                self.issue(table.name, 1, None, None,
                           f"unknown column '{col}'{suggest(col, [*_RTB_COLUMNS, *labels])}: "
                           f"columns are {', '.join(_RTB_COLUMNS)} and, instead of 'hours', "
                           f"one per period {labels[0]} .. {labels[-1]}")
            present = [c for c in others if c in labels]
            missing = [lab for lab in labels if lab not in present]
            if present and missing:
                self.issue(table.name, 1, None, None,
                           f"per-period columns must cover every period; missing: "
                           f"{', '.join(missing)}")
            periods = [lab for lab in labels if lab in present]
        out: list[dict[str, Any]] = []
        for line, row in table.rows:
            item = item_label("run_the_business", len(out), None)
            d: dict[str, Any] = {c: row[c] for c in fixed if row[c] != "" and c != "hours"}
            if "sustains" in d:
                d["sustains"] = self.split_list(d["sustains"])
            hours = row.get("hours", "")
            per = [row[c] for c in periods]
            if hours != "":
                if any(per):
                    self.issue(table.name, line, item, "hours",
                               "give either 'hours' or one column per period, not both")
                d["hours"] = hours
            elif any(per):
                empty = [c for c, v in zip(periods, per, strict=True) if v == ""]
                if empty:
                    self.issue(table.name, line, item, "hours",
                               f"no hours for period(s) {', '.join(empty)}; "
                               "write 0 for a period without demand")
                else:
                    d["hours"] = per
            self._record_row(("run_the_business", len(out)), table, line, d)
            out.append(d)
        return out

    def plain(self, table: _Csv, path: Path_, columns: Sequence[str]) -> list[dict[str, Any]]:
        """Rows of a table of scalars; missing cells are left to the model to report."""
        cols = self.check_columns(table, columns)
        out: list[dict[str, Any]] = []
        for line, row in table.rows:
            d = {c: row[c] for c in cols if row[c] != ""}
            self._record_row(path + (len(out),), table, line, d)
            out.append(d)
        return out

    def initiatives(self, table: _Csv, effort: _Csv | None) -> list[dict[str, Any]]:
        cols = self.check_columns(table, _INITIATIVE_COLUMNS)
        out: list[dict[str, Any]] = []
        for line, row in table.rows:
            item = self._row_item("initiatives", len(out), row)
            d: dict[str, Any] = {}
            for col in cols:
                cell = row[col]
                if cell == "":
                    continue
                if col in ("contributes", "kpi_impacts"):
                    d[col] = self.split_map(cell, table, line, item, col)
                elif col in ("depends_on", "exclusive_with"):
                    d[col] = self.split_list(cell)
                else:
                    d[col] = cell
            d = {k: v for k, v in d.items() if v is not None}
            self._record_row(("initiatives", len(out)), table, line, d)
            out.append(d)
        if effort is None:
            return out
        ecols = self.check_columns(effort, _EFFORT_COLUMNS)
        index = {d["id"]: k for k, d in enumerate(out) if "id" in d}
        for line, row in effort.rows:
            ident = row.get("initiative", "")
            if ident == "":
                self.issue(effort.name, line, None, "initiative", "the initiative id is missing")
                continue
            if ident not in index:
                self.issue(effort.name, line, None, "initiative",
                           f"unknown initiative '{ident}'{suggest(ident, index)}")
                continue
            k = index[ident]
            lines = out[k].setdefault("effort", [])
            e = {c: row[c] for c in ecols if c != "initiative" and row[c] != ""}
            self._record_row(("initiatives", k, "effort", len(lines)), effort, line, e)
            lines.append(e)
        return out


#: Public names for readers of other tables of the same conventions (unit forms, issue 14).
Table = _Csv
TableReader = _Reader


def _labels_of(data: dict[str, Any]) -> list[str] | None:
    try:
        return Calendar(Horizon.model_validate(data.get("horizon"))).labels
    except (ValidationError, PeriodError, TypeError, ValueError):
        return None


def resolve_csv(data: dict[str, Any], base_dir: Path, filename: str,
                source: SourceMap) -> list[Issue]:
    """Replace ``{csv: FILE}`` sections of ``data`` by the rows of the files (in place).

    Returns the issues found (unreadable files, unknown columns, bad cells).
    """
    reader = _Reader(base_dir, filename, source)
    for section in ("staff", "run_the_business", "initiatives"):
        ref = data.get(section)
        if not isinstance(ref, dict):
            continue
        allowed = ("csv", "effort") if section == "initiatives" else ("csv",)
        if "csv" not in ref:
            loc = source.locate((section,))
            reader.issue(loc.file, loc.line, section, None,
                         f"expected a list of items or {{csv: FILE}}"
                         f"{' (with an optional effort: FILE)' if section == 'initiatives' else ''}"
                         f"{suggest_key(ref, allowed)}")
            data[section] = []
            continue
        reader.check_ref_keys(ref, (section,), allowed)
        table = reader.read(ref["csv"], (section, "csv"))
        rows: list[dict[str, Any]] = []
        if table is not None:
            if section == "staff":
                rows = reader.staff(table)
            elif section == "run_the_business":
                rows = reader.rtb(table, _labels_of(data))
            else:
                effort = None
                if "effort" in ref:
                    effort = reader.read(ref["effort"], (section, "effort"))
                rows = reader.initiatives(table, effort)
        data[section] = rows
    for path, columns in PLAIN_TABLES.items():
        parent: Any = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        ref = parent.get(path[-1]) if isinstance(parent, dict) else None
        if not isinstance(ref, dict):
            continue
        if "csv" not in ref:
            loc = source.locate(path)
            reader.issue(loc.file, loc.line, path[-1], None,
                         f"expected a list of items or {{csv: FILE}}{suggest_key(ref, ('csv',))}")
            parent[path[-1]] = []
            continue
        reader.check_ref_keys(ref, path, ("csv",))
        table = reader.read(ref["csv"], path + ("csv",))
        parent[path[-1]] = [] if table is None else reader.plain(table, path, columns)
    return reader.issues


def suggest_key(ref: dict[Any, Any], allowed: Sequence[str]) -> str:
    """A suggestion for the first key of ``ref`` that is not allowed."""
    for key in ref:
        if key not in allowed:
            s = suggest(str(key), allowed)
            if s:
                return f" (unknown key '{key}'{s})"
    return ""
