"""``{csv: FILE}`` sections: staff, run-the-business and initiatives (+ effort) tables.

Conventions (see the scenario format): lists are ``a;b``, maps ``key:value;key:value``
(``skills`` may omit ``:1``), an empty cell means the default, and a run-the-business
table has either an ``hours`` column or one column per period label. Every problem
names the CSV file and its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.scenario import Horizon
from planner.errors import Issue
from planner.io.csv_files import MAX_SHOWN, CsvTable, display_name, open_table
from planner.io.files import ReadOptions
from planner.io.sourcemap import Path_, SourceMap, dotted, item_label, suggest
from planner.io.text import snippet
from planner.problem.calendar import Calendar, PeriodError

_STAFF_COLUMNS = (
    "id", "name", "unit", "skills", "fte", "cost_per_hour", "max_change_share",
    "availability", "develop",
)
_INITIATIVE_COLUMNS = (
    "id", "name", "sponsor", "contributes", "kpi_impacts", "value", "cost", "duration",
    "earliest_start", "deadline", "mandatory", "depends_on", "exclusive_with", "pin", "start",
    "status", "phases", "cost_profile", "value_per_period", "value_ramp",
)
_EFFORT_COLUMNS = ("initiative", "unit", "skill", "hours", "phase")
_RTB_COLUMNS = ("unit", "skill", "priority", "hours", "sustains")
_STAFF_NUMBERS = frozenset({"fte", "cost_per_hour", "max_change_share"})
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
    """A table given whole: display name, columns and rows (line number, cells by column).

    Unit forms (:mod:`planner.gather`) build these; the readers below take them as
    well as a streamed :class:`~planner.io.csv_files.CsvTable`.
    """

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _stream(table: CsvTable | _Csv) -> CsvTable:
    """A streamed table of ``table`` (a given table's rows become cells in column order)."""
    if isinstance(table, CsvTable):
        return table
    header = list(table.columns)
    return CsvTable(table.name, header,
                    iter([(n, [r.get(c, "") for c in header]) for n, r in table.rows]))


class _Reader:
    """Resolves ``{csv: FILE}`` references, collecting issues."""

    def __init__(self, base_dir: Path, filename: str, source: SourceMap,
                 options: ReadOptions | None = None) -> None:
        self.base_dir = base_dir
        self.options = options or ReadOptions.from_env()
        self.filename = filename
        self.source = source
        self.issues: list[Issue] = []
        #: the CSV files read (as named: base folder + the name in the scenario)
        self.files: list[Path] = []
        # one object per distinct text of a repeated cell (unit, skill, period label, number)
        self._interned: dict[str, Any] = {}
        self._maps: dict[tuple[str, str], dict[str, Any]] = {}
        self._numbers: dict[str, float | str] = {}

    def issue(self, file: str, line: int | None, item: str | None, fld: str | None,
              message: str) -> None:
        self.issues.append(Issue(file, item, fld, message, line))

    # -- files

    def read(self, ref: object, path: Path_) -> CsvTable | None:
        loc = self.source.locate(path)
        item, fld = str(path[0]), dotted(path[1:])
        if not isinstance(ref, str) or not ref.strip():
            self.issue(loc.file, loc.line, item, fld, "expected a CSV file name")
            return None
        self.files.append(self.base_dir / ref)

        def report(file: str | None, line: int | None, column: str | None, msg: str) -> None:
            if file is None:  # about the reference itself: located in the scenario file
                self.issue(loc.file, loc.line, item, fld, msg)
            else:
                self.issue(file, line, None, column, msg)

        return open_table(ref, self.base_dir, display_name(self.filename, ref), self.options,
                          report)

    def check_columns(self, table: CsvTable, allowed: Sequence[str]) -> list[str]:
        """Report unknown columns; return the known ones."""
        known = [c for c in table.columns if c in allowed]
        unknown = [c for c in table.columns if c not in allowed]
        for col in unknown[:MAX_SHOWN]:
            self.issue(table.name, 1, None, None,
                       f"unknown column '{snippet(col)}'{suggest(col, allowed)} "
                       f"(columns: {', '.join(allowed)})")
        self._more_unknown(table, unknown)
        return known

    def _more_unknown(self, table: CsvTable, unknown: list[str]) -> None:
        if len(unknown) > MAX_SHOWN:
            self.issue(table.name, 1, None, None,
                       f"... and {len(unknown) - MAX_SHOWN:,} more unknown columns (is the "
                       "first line a header row?)")

    def check_ref_keys(self, ref: dict[Any, Any], path: Path_, allowed: Sequence[str]) -> None:
        for key in ref:
            if key not in allowed:
                loc = self.source.locate(path + (str(key),))
                self.issue(loc.file, loc.line, str(path[0]), None,
                           f"unknown key '{snippet(key)}'{suggest(str(key), allowed)}")

    # -- cell conventions

    def intern(self, text: str) -> str:
        """One shared object per distinct text (units, skills and labels repeat a lot)."""
        return self._interned.setdefault(text, text)  # type: ignore[no-any-return]

    def number(self, text: str) -> float | str:
        """A plain decimal (``84``, ``0.8``) as a float, shared per distinct text; any
        other text is left for the model to read (and to refuse with its message)."""
        got = self._numbers.get(text)
        if got is None:
            plain = text.isascii() and text.replace(".", "", 1).isdigit()
            got = self._numbers[text] = float(text) if plain else text
        return got

    def split_list(self, cell: str) -> list[str]:
        return [self.intern(p.strip()) for p in cell.split(";") if p.strip()]

    def split_develop(self, cell: str, table: CsvTable, line: int,
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
                           f"cannot read '{snippet(part)}': write skills, or skill:hours "
                           "pairs, separated by ';' (e.g. data:60;ml:20)")
                return None
            if key in out:
                self.issue(table.name, line, item, "develop",
                           f"'{snippet(key)}' is given twice")
                return None
            out[key] = value or None
        return out

    def split_map(self, cell: str, table: CsvTable, line: int,
                  item: str | tuple[str, int, str | None], col: str,
                  default: str | None = None, numbers: bool = False) -> dict[str, Any] | None:
        """``key:value;key:value`` as a dict (a fresh copy per call: each item owns its
        dict); a valid cell text is parsed once however many rows repeat it."""
        memo = (col, cell)
        got = self._maps.get(memo)
        if got is not None:
            return dict(got)
        out: dict[str, Any] = {}
        for part in cell.split(";"):
            part = part.strip()
            if not part:
                continue
            if ":" in part:
                key, _, value = part.rpartition(":")
                key, value = key.strip(), value.strip()
            elif default is not None:
                key, value = part, default
            else:
                key = value = ""
            if not key or not value:
                example = "2027-08:0.5;2027-09:0" if col == "availability" else "a:1;b:0.5"
                self.issue(table.name, line, _label(item), col,
                           f"cannot read '{snippet(part)}': write key:value pairs separated by "
                           f"';' (e.g. {example})")
                return None
            if key in out:
                self.issue(table.name, line, _label(item), col,
                           f"'{snippet(key)}' is given twice")
                return None
            out[self.intern(key)] = self.number(value) if numbers else value
        self._maps[memo] = out
        return dict(out)

    # -- sections

    def staff(self, table: CsvTable | _Csv) -> list[dict[str, Any]]:
        table = _stream(table)
        known = self.check_columns(table, _STAFF_COLUMNS)
        at = {c: table.position(c) for c in known}
        plain: list[tuple[int, str]] = [(at[c], c) for c in ("id", "name") if c in at]
        numbers = [(at[c], c) for c in _STAFF_NUMBERS if c in at]
        unit, skills = at.get("unit"), at.get("skills")
        avail, develop = at.get("availability"), at.get("develop")
        ident = at.get("id")
        lines = self.source.table(("staff",), table.name)
        number, intern = self.number, self.intern
        out: list[dict[str, Any]] = []
        for line, cells in table.rows():
            # the item's name, made only for a message
            item = ("staff", len(out), cells[ident] if ident is not None else None)
            d: dict[str, Any] = {}  # an empty cell means the default: no key
            for k, col in plain:
                if cells[k]:
                    d[col] = cells[k]
            if unit is not None and cells[unit]:
                d["unit"] = intern(cells[unit])
            if skills is not None and cells[skills]:
                got = self.split_map(cells[skills], table, line, item, "skills", default="1",
                                     numbers=True)
                if got is not None:
                    d["skills"] = got
            for k, col in numbers:
                if cells[k]:
                    d[col] = number(cells[k])
            if avail is not None and cells[avail]:
                got = self.split_map(cells[avail], table, line, item, "availability",
                                     numbers=True)
                if got is not None:
                    d["availability"] = got
            if develop is not None and cells[develop]:
                dev = self.split_develop(cells[develop], table, line, _label(item))
                if dev is not None:
                    d["develop"] = dev
            lines.append(line)
            out.append(d)
        return out

    def rtb(self, table: CsvTable | _Csv, labels: list[str] | None) -> list[dict[str, Any]]:
        table = _stream(table)
        fixed = [c for c in table.columns if c in _RTB_COLUMNS]
        others = [c for c in table.columns if c not in _RTB_COLUMNS]
        periods = others
        if labels is not None:
            unknown = [c for c in others if c not in labels]
            for col in unknown[:MAX_SHOWN]:
                self.issue(table.name, 1, None, None,
                           f"unknown column '{snippet(col)}'"
                           f"{suggest(col, [*_RTB_COLUMNS, *labels])}: "
                           f"columns are {', '.join(_RTB_COLUMNS)} and, instead of 'hours', "
                           f"one per period {labels[0]} .. {labels[-1]}")
            self._more_unknown(table, unknown)
            present = [c for c in others if c in labels]
            missing = [lab for lab in labels if lab not in present]
            if present and missing:
                self.issue(table.name, 1, None, None,
                           f"per-period columns must cover every period; missing: "
                           f"{', '.join(missing)}")
            periods = [lab for lab in labels if lab in present]
        at = {c: table.position(c) for c in table.columns}
        lines = self.source.table(("run_the_business",), table.name)
        out: list[dict[str, Any]] = []
        for line, cells in table.rows():
            item = item_label("run_the_business", len(out), None)
            d: dict[str, Any] = {c: cells[at[c]] for c in fixed
                                 if cells[at[c]] != "" and c != "hours"}
            if "sustains" in d:
                d["sustains"] = self.split_list(d["sustains"])
            hours = cells[at["hours"]] if "hours" in at else ""
            per = [cells[at[c]] for c in periods]
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
            lines.append(line)
            out.append(d)
        return out

    def plain(self, table: CsvTable | _Csv, path: Path_,
              columns: Sequence[str]) -> list[dict[str, Any]]:
        """Rows of a table of scalars; missing cells are left to the model to report."""
        table = _stream(table)
        at = [(table.position(c), c) for c in self.check_columns(table, columns)]
        out: list[dict[str, Any]] = []
        for line, cells in table.rows():
            self.source.set(path + (len(out),), table.name, line)
            out.append({c: cells[k] for k, c in at if cells[k] != ""})
        return out

    def initiatives(self, table: CsvTable | _Csv,
                    effort: CsvTable | _Csv | None) -> list[dict[str, Any]]:
        table = _stream(table)
        effort = _stream(effort) if effort is not None else None
        cols = [(table.position(c), c) for c in self.check_columns(table, _INITIATIVE_COLUMNS)]
        ident = table.position("id") if "id" in table.columns else None
        lines = self.source.table(("initiatives",), table.name)
        out: list[dict[str, Any]] = []
        for line, cells in table.rows():
            item = item_label("initiatives", len(out), cells[ident] if ident is not None else None)
            d: dict[str, Any] = {}
            for k, col in cols:
                cell = cells[k]
                if cell == "":
                    continue
                if col in ("contributes", "kpi_impacts"):
                    d[col] = self.split_map(cell, table, line, item, col)
                elif col in ("depends_on", "exclusive_with", "cost_profile"):
                    d[col] = self.split_list(cell)
                elif col == "phases":  # issue 15: name:duration;name:duration, in order
                    got = self.split_map(cell, table, line, item, col)
                    d[col] = None if got is None else [
                        {"name": n, "duration": v, "effort": []} for n, v in got.items()]
                else:
                    d[col] = cell
            d = {k: v for k, v in d.items() if v is not None}
            lines.append(line)
            out.append(d)
        if effort is None:
            return out
        ecols = [(effort.position(c), c) for c in self.check_columns(effort, _EFFORT_COLUMNS)
                 if c != "initiative"]
        which = effort.position("initiative") if "initiative" in effort.columns else None
        at_phase = effort.position("phase") if "phase" in effort.columns else None
        index = {d["id"]: k for k, d in enumerate(out) if "id" in d}
        for line, cells in effort.rows():
            name = cells[which] if which is not None else ""
            if name == "":
                self.issue(effort.name, line, None, "initiative", "the initiative id is missing")
                continue
            if name not in index:
                self.issue(effort.name, line, None, "initiative",
                           f"unknown initiative '{snippet(name)}'{suggest(name, index)}")
                continue
            k = index[name]
            e = {c: cells[j] for j, c in ecols if c != "phase" and cells[j] != ""}
            phase = cells[at_phase] if at_phase is not None else ""
            if phase:
                phases = out[k].get("phases") or []
                names = [p["name"] for p in phases]
                if phase not in names:
                    what = (f"'{snippet(name)}' has no phases column entry" if not names
                            else f"unknown phase '{snippet(phase)}' of '{snippet(name)}'"
                                 f"{suggest(phase, names)}")
                    self.issue(effort.name, line, name, "phase", what)
                    continue
                p = names.index(phase)
                rows = phases[p]["effort"]
                self.source.set(("initiatives", k, "phases", p, "effort", len(rows)),
                                effort.name, line)
            else:
                rows = out[k].setdefault("effort", [])
                self.source.set(("initiatives", k, "effort", len(rows)), effort.name, line)
            rows.append(e)
        return out


def _label(item: str | tuple[str, int, str | None]) -> str:
    return item if isinstance(item, str) else item_label(*item)


#: Public names for readers of other tables of the same conventions (unit forms, issue 14).
Table = _Csv
TableReader = _Reader


def _labels_of(data: dict[str, Any]) -> list[str] | None:
    try:
        return Calendar(Horizon.model_validate(data.get("horizon"))).labels
    except (ValidationError, PeriodError, TypeError, ValueError):
        return None


def resolve_csv(data: dict[str, Any], base_dir: Path, filename: str,
                source: SourceMap, files: list[Path] | None = None,
                options: ReadOptions | None = None) -> list[Issue]:
    """Replace ``{csv: FILE}`` sections of ``data`` by the rows of the files (in place).

    Returns the issues found (unreadable files, unknown columns, bad cells); the
    paths of the files named are appended to ``files`` when given. Which files may
    be read, and how large, follows ``options`` (:mod:`planner.io.files`).
    """
    reader = _Reader(base_dir, filename, source, options)
    if files is not None:
        reader.files = files
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
                return f" (unknown key '{snippet(key)}'{s})"
    return ""
