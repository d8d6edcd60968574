"""Writers: plan folders with CSV, XLSX and JSON files of every view, written atomically.

Writers only write frames; every number comes from :mod:`planner.views`.

A plan folder holds the contract files ``portfolio.csv``, ``assignments.csv``,
``workload.csv`` and ``plan.json`` plus one CSV per other view (and, on
request, ``plan.xlsx`` and ``<view>.json``). It is built in a temporary folder
next to the target and renamed into place only when complete, so a reader never
sees half a plan and a failure leaves no partial folder behind.

(This module is over 500 lines until its cell formatting and its workbook writer move
into modules of their own.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from models.plan import Plan
from planner.errors import PlannerError
from planner.views import VIEWS, all_views
from planner.views.replan import REPLAN_FILES, replan_frames

if TYPE_CHECKING:
    from planner.solving.clock import Clock

FORMATS = ("csv", "xlsx", "json")
#: CSV encodings: plain UTF-8, or with a byte-order mark so that Excel on Windows reads
#: accents right ("D. Müller")
CSV_ENCODINGS = ("utf-8", "utf-8-sig")
PLAN_JSON = "plan.json"
XLSX = "plan.xlsx"

#: Text cells starting with one of these are neutralised in CSV (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_SET = frozenset(_FORMULA_START)
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class ExportError(PlannerError):
    """A plan folder could not be written or read."""


class OutputExistsError(ExportError):
    """The output folder exists and ``force`` was not given."""


# --------------------------------------------------------------------------- cells


def format_number(x: float, decimals: int = 4) -> str:
    """A float as text with at most ``decimals`` decimals and no trailing zeros or ``-0``."""
    if not math.isfinite(x):
        return ""
    text = f"{round(x, decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def safe_text(text: str) -> str:
    """Neutralise a text cell a spreadsheet would read as a formula (prefix ``'``).

    Plain numbers written as text (``-5``, ``12.5``) are left alone: they cannot
    execute anything.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    """One value as CSV text: booleans ``true``/``false``, numbers deterministic, text safe."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
        if isinstance(value, bool):
            return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    return safe_text(str(value))


def frame_to_csv(frame: pd.DataFrame) -> str:
    """A frame as CSV text (``\\n`` line ends, header row, cells from :func:`csv_cell`)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_text(str(c)) for c in frame.columns])
    if frame.shape[1] == 0:
        w.writerows([] for _ in range(len(frame)))
    w.writerows(zip(*(_csv_column(frame.iloc[:, j]) for j in range(frame.shape[1])),
                    strict=True))
    return buf.getvalue()


def _csv_column(col: pd.Series) -> list[str]:
    """The cells of one column as :func:`csv_cell` writes them, a column at a time."""
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
    if kind == "b":
        return ["true" if v else "false" for v in col.tolist()]
    if kind in ("i", "u"):
        return [str(v) for v in col.tolist()]
    if kind == "f":
        # many repeated values (0, whole hours): format each distinct value once
        seen: dict[float, str] = {}
        out = []
        for v in col.tolist():
            text = seen.get(v)
            if text is None:
                text = seen[v] = format_number(v)
            out.append(text)
        return out
    return [_text_cell(v) if type(v) is str else csv_cell(v) for v in _cells(col)]


def _cells(col: pd.Series) -> list[Any]:
    """The values of a column as iterating it yields them (``tolist`` where that is the same)."""
    if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
        return col.tolist()
    return list(col)


def _text_cell(text: str) -> str:
    return safe_text(text) if text[:1] in _FORMULA_START_SET else text


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def frame_to_json(frame: pd.DataFrame) -> str:
    """A frame as JSON: ``{"columns": [...], "rows": [{...}, ...]}`` (NaN as null)."""
    cols = [str(c) for c in frame.columns]
    columns = [_json_column(frame.iloc[:, j]) for j in range(frame.shape[1])]
    if columns:
        rows = [dict(zip(cols, row, strict=True)) for row in zip(*columns, strict=True)]
    else:
        rows = [{} for _ in range(len(frame))]
    return json.dumps({"columns": cols, "rows": rows}, indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


def _json_column(col: pd.Series) -> list[Any]:
    """The cells of one column as :func:`_json_value` gives them, a column at a time."""
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
    if kind in ("b", "i", "u"):
        return col.tolist()
    if kind == "f":
        return [v if math.isfinite(v) else None for v in col.tolist()]
    return [v if type(v) is str else _json_value(v) for v in _cells(col)]


def plan_json(plan: Plan) -> str:
    """``plan.json`` text: :meth:`Plan.to_json_dict`, UTF-8, stable order, strict JSON."""
    return json.dumps(_json_value(plan.to_json_dict()), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


# --------------------------------------------------------------------------- xlsx

_MONEY = ("cost", "budget", "spend", "amount", "value", "remaining", "per_point")
_SHARE = ("utilisation", "coverage", "used")


def _is_utilisation(column: str) -> bool:
    """A planned-over-capacity column (coloured), not the policy's cap beside it."""
    c = column.lower()
    return "utilisation" in c and not c.startswith("max_")
#: The sheet drawn as a Gantt chart: one column per period, filled where an initiative runs.
GANTT_SHEET = "roadmap"


#: columns whose month labels (``2027-03``) are written as dates in the workbook
_DATE_COLUMNS = ("period", "start", "finish", "by", "base_start")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_date(label: object) -> dt.datetime | None:
    """The first day of a month label such as ``2027-03`` (None for any other value)."""
    if not isinstance(label, str):
        return None
    m = _MONTH.fullmatch(label)
    if m is None or not 1 <= int(m[2]) <= 12:
        return None
    return dt.datetime(int(m[1]), int(m[2]), 1)


def _kind(column: str) -> str:
    c = column.lower()
    if any(k in c for k in _SHARE):
        return "share"
    if any(k in c for k in _MONEY):
        return "money"
    return "hours"


def money_format(currency: str | None = None) -> str:
    """Excel number format of money: ``#,##0.00``, with the currency before a symbol
    (``"€"#,##0.00``) or after a code (``#,##0.00 "EUR"``)."""
    if not currency:
        return "#,##0.00"
    from planner.report.fmt import currency_is_code

    return f'#,##0.00 "{currency}"' if currency_is_code(currency) else f'"{currency}"#,##0.00'


def workbook_frames(plan: Plan, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The workbook's sheets: every view, with the ``roadmap`` Gantt after ``change_plan``."""
    from planner.views.roadmap import roadmap

    out: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        out[name] = frame
        if name == "change_plan":
            out[GANTT_SHEET] = roadmap(plan)
    out.setdefault(GANTT_SHEET, roadmap(plan))
    return out


def write_xlsx(frames: Mapping[str, pd.DataFrame], path: Path,
               currency: str | None = None) -> None:
    """One sheet per frame: bold header, frozen header row, number formats, column widths.

    Money is formatted with ``currency`` (:func:`money_format`); utilisation
    columns get a colour scale (white at 0, yellow at 80%, red at 100%); the
    ``roadmap`` sheet is a Gantt chart (a filled cell per period an
    initiative runs, names frozen on the left). Text is always written as
    text (never as a formula or link), so no cell can execute anything. Month labels
    (``2027-03``) in period columns and in the headers of the wide spend tables are
    real dates (the first of the month, shown ``yyyy-mm``), so a spreadsheet sorts and
    groups them as dates.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
         "nan_inf_to_errors": False},
    )
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})  # deterministic files
    header = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True,
                            "valign": "top"})
    fmt = {
        "hours": wb.add_format({"num_format": "#,##0.0###"}),
        "money": wb.add_format({"num_format": money_format(currency)}),
        "share": wb.add_format({"num_format": "0.0%"}),
        "int": wb.add_format({"num_format": "0"}),
        # a Gantt cell: filled, its value (1) hidden
        "active": wb.add_format({"num_format": ";;;", "bg_color": "#4472C4",
                                 "border": 1, "border_color": "#FFFFFF"}),
        "date": wb.add_format({"num_format": "yyyy-mm"}),
    }
    date_header = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7",
                                 "valign": "top", "num_format": "yyyy-mm"})
    for name, frame in frames.items():
        ws = wb.add_worksheet(name[:31])
        gantt = name == GANTT_SHEET
        periods = set(frame.columns[frame.columns.get_loc("depends_on") + 1:]) if (
            gantt and "depends_on" in frame.columns) else set()
        widths = []
        for j, col in enumerate(frame.columns):
            when = month_date(col)
            if when is not None:
                ws.write_datetime(0, j, when, date_header)
            else:
                ws.write_string(0, j, str(col), header)
            widths.append(len(str(col)))
        wide_money = name.startswith("spend_by")
        kinds = ["money" if wide_money else _kind(str(c)) for c in frame.columns]
        dates = [str(c) in _DATE_COLUMNS for c in frame.columns]
        for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
            for j, v in enumerate(row):
                if hasattr(v, "item") and not isinstance(v, str):
                    v = v.item()
                if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)):
                    ws.write_blank(i, j, None)
                    continue
                if isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                    text = "FALSE"
                elif isinstance(v, int):
                    ws.write_number(i, j, v, fmt["int"])
                    text = str(v)
                elif isinstance(v, float) and frame.columns[j] in periods:
                    ws.write_number(i, j, v, fmt["active"])
                    text = ""
                elif isinstance(v, float):
                    ws.write_number(i, j, v, fmt[kinds[j]])
                    text = format_number(v, 2)
                elif dates[j] and (when := month_date(v)) is not None:
                    ws.write_datetime(i, j, when, fmt["date"])
                    text = str(v)
                else:
                    text = str(v)
                    ws.write_string(i, j, text)
                widths[j] = max(widths[j], len(text))
        for j, wdt in enumerate(widths):
            narrow = frame.columns[j] in periods
            ws.set_column(j, j, max(len(str(frame.columns[j])), 4) if narrow
                          else min(max(wdt + 2, 8), 60))
        ws.freeze_panes(1, 2 if gantt else 0)
        if len(frame.columns):
            ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        for j, col in enumerate(frame.columns):
            if _is_utilisation(str(col)) and len(frame):
                ws.conditional_format(1, j, len(frame), j, {
                    "type": "3_color_scale",
                    "min_type": "num", "min_value": 0, "min_color": "#FFFFFF",
                    "mid_type": "num", "mid_value": 0.8, "mid_color": "#FFEB84",
                    "max_type": "num", "max_value": 1, "max_color": "#F8696B"})
    wb.close()


# --------------------------------------------------------------------------- folders


def _check_formats(formats: Iterable[str]) -> list[str]:
    out = []
    for f in formats:
        if f not in FORMATS:
            raise ExportError(f"unknown format '{f}': choose from {', '.join(FORMATS)}")
        if f not in out:
            out.append(f)
    return out


def write_files(plan: Plan, folder: Path, formats: Iterable[str] = ("csv",),
                clock: Clock | None = None, csv_encoding: str = "utf-8") -> list[str]:
    """Write ``plan.json``, the contract CSVs and the views in ``formats`` into ``folder``.

    Not atomic on its own: :func:`write_plan` calls it on a temporary folder. With a
    ``clock`` the writing time is marked and ``run.timings`` updated before
    ``plan.json`` is written (last). ``csv_encoding`` is one of :data:`CSV_ENCODINGS`.
    Every view is always written as CSV; ``xlsx`` and ``json`` are written *as
    well* (all views in each). Returns the names of the files written.
    """
    formats = _check_formats(formats)
    if csv_encoding not in CSV_ENCODINGS:
        raise ExportError(f"unknown CSV encoding '{csv_encoding}': choose from "
                          f"{', '.join(CSV_ENCODINGS)}")
    frames = all_views(plan)
    written = []
    for name in frames:
        (folder / f"{name}.csv").write_text(frame_to_csv(frames[name]), encoding=csv_encoding,
                                            newline="")
        written.append(f"{name}.csv")
    if "json" in formats:
        for name, frame in frames.items():
            (folder / f"{name}.json").write_text(frame_to_json(frame), encoding="utf-8")
            written.append(f"{name}.json")
    if "xlsx" in formats:
        write_xlsx(workbook_frames(plan, frames), folder / XLSX,
                   currency=plan.scenario.policy.currency)
        written.append(XLSX)
    for name, frame in replan_frames(plan).items():  # a re-plan as of a period only
        (folder / f"{name}.csv").write_text(frame_to_csv(frame), encoding=csv_encoding,
                                         newline="")
        written.append(f"{name}.csv")
    if clock is not None:  # plan.json last, so that its timings include the writing
        clock.mark("write")
        plan.run.timings = clock.timings()
    (folder / PLAN_JSON).write_text(plan_json(plan), encoding="utf-8")
    written.append(PLAN_JSON)
    return written


def write_plan(
    plan: Plan,
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = ("csv",),
    force: bool = False,
    extra_files: Mapping[str, str | bytes] | None = None,
    clock: Clock | None = None,
    csv_encoding: str = "utf-8",
) -> Path:
    """Write a plan folder atomically and return its path.

    Parameters
    ----------
    plan
        The plan to write.
    out_dir
        The folder to create.
    formats
        Any of ``csv``, ``xlsx`` (``plan.xlsx``, one sheet per view) and ``json``
        (one ``<view>.json`` per view). ``plan.json`` and one CSV per view are always
        written.
    force
        Replace an existing ``out_dir``; it is removed only after the new folder
        is complete.
    extra_files
        More files to put in the folder, name -> text or bytes (e.g. a log).

    Raises
    ------
    OutputExistsError
        ``out_dir`` exists and ``force`` is false.
    ExportError
        The folder could not be written; nothing is left behind and an existing
        folder is untouched.
    """
    target = Path(out_dir)
    formats = _check_formats(formats)
    if target.exists() and not force:
        raise OutputExistsError(
            f"output folder '{target}' already exists (use --force to replace it)"
        )
    if target.exists() and not target.is_dir():
        raise ExportError(f"'{target}' exists and is not a folder")
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    except OSError as exc:
        raise ExportError(f"cannot write to '{parent}': {exc}") from exc
    try:
        write_files(plan, tmp, formats, clock=clock, csv_encoding=csv_encoding)
        for name, content in (extra_files or {}).items():
            dest = tmp / name
            if dest.resolve().parent != tmp.resolve():
                raise ExportError(f"extra file name '{name}' must be a plain file name")
            if isinstance(content, bytes):
                dest.write_bytes(content)
            else:
                dest.write_text(content, encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        _replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, PlannerError | KeyboardInterrupt):
            raise
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write plan folder '{target}': {exc}") from exc
        raise
    return target


def write_folder(files: Mapping[str, str], out_dir: str | os.PathLike[str],
                 force: bool = False) -> Path:
    """Write ``files`` (name -> text) into a new folder atomically, like :func:`write_plan`.

    Raises
    ------
    OutputExistsError
        ``out_dir`` exists and ``force`` is false.
    """
    target = Path(out_dir)
    if target.exists() and not force:
        raise OutputExistsError(
            f"output folder '{target}' already exists (use --force to replace it)"
        )
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    except OSError as exc:
        raise ExportError(f"cannot write to '{parent}': {exc}") from exc
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        os.chmod(tmp, 0o777 & ~_umask())
        _replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write folder '{target}': {exc}") from exc
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(tmp: Path, target: Path) -> None:
    """Move the complete folder ``tmp`` to ``target``, replacing an existing folder.

    A non-empty folder cannot be swapped in one rename on every system, so the
    old folder is first renamed aside, and put back if the second rename fails.
    """
    if not target.exists():
        os.replace(tmp, target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.absolute().parent))
    aside.rmdir()
    os.replace(target, aside)
    try:
        os.replace(tmp, target)
    except BaseException:
        os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def read_plan(plan_dir: str | os.PathLike[str]) -> Plan:
    """Read the plan in ``plan_dir`` (its ``plan.json``).

    Raises
    ------
    ExportError
        When the folder has no readable ``plan.json``.
    """
    path = Path(plan_dir)
    file = path / PLAN_JSON if path.is_dir() else path
    if not file.is_file():
        raise ExportError(f"'{path}' is not a plan folder: no {PLAN_JSON} in it")
    try:
        return Plan.read_json(str(file))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(f"cannot read '{file}': {exc}") from exc


def export(
    plan_dir: str | os.PathLike[str],
    formats: Iterable[str] = ("csv",),
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    csv_encoding: str = "utf-8",
) -> Path:
    """Re-write the views of a written plan (``planner export DIR --format ...``).

    With ``out`` the views go to a new folder (replaced only with ``force``).
    Without it the plan folder itself is rewritten atomically: files of the
    folder that the export does not produce (e.g. an earlier ``plan.xlsx`` or a
    log) are kept. Returns the folder written.
    """
    src = Path(plan_dir)
    plan = read_plan(src)
    if out is not None:
        return write_plan(plan, out, formats, force=force, csv_encoding=csv_encoding)
    produced = _produced_names(formats)
    keep: dict[str, bytes] = {}
    for f in sorted(src.iterdir()):
        if f.is_file() and f.name not in produced:
            keep[f.name] = f.read_bytes()
        elif f.is_dir():
            raise ExportError(
                f"'{src}' holds a sub-folder ('{f.name}'); export to another folder with --out"
            )
    return write_plan(plan, src, formats, force=True, extra_files=keep,
                      csv_encoding=csv_encoding)


def _produced_names(formats: Iterable[str]) -> set[str]:
    formats = _check_formats(formats)
    names = {PLAN_JSON} | {f"{n}.csv" for n in VIEWS}
    names |= {f"{n}.csv" for n in REPLAN_FILES}
    if "json" in formats:
        names |= {f"{n}.json" for n in VIEWS}
    if "xlsx" in formats:
        names.add(XLSX)
    return names
