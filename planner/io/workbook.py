"""The ``plan.xlsx`` workbook: one sheet per view, number formats, a Gantt ``roadmap`` sheet."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from models.plan import Plan
from planner.io.cells import format_number

#: The sheet drawn as a Gantt chart: one column per period, filled where an initiative runs.
GANTT_SHEET = "roadmap"
_MONEY = ("cost", "budget", "spend", "amount", "value", "remaining", "per_point", "npv",
          "benefits")
_SHARE = ("utilisation", "coverage", "used")


def _is_utilisation(column: str) -> bool:
    """A planned-over-capacity column (coloured), not the policy's cap beside it."""
    c = column.lower()
    return "utilisation" in c and not c.startswith("max_")


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
