"""Cells of written tables: numbers as stable text, CSV safe from formula injection, JSON.

A text cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``,
tab or carriage return first) is written with a leading ``'`` (OWASP CSV
injection); numbers are written with at most four decimals and no ``-0``, so that
the same plan always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from models.plan import Plan

#: Text cells starting with one of these are neutralised in CSV (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_SET = frozenset(_FORMULA_START)
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


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


def json_data(value: Any) -> Any:
    """``value`` as plain JSON data: numpy scalars and arrays as Python values, NaN,
    infinities and pandas' missing values (``NA``, ``NaT``) as None, keys as text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_data(v) for v in value]
    if isinstance(value, str | int | bool):
        return value
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return json_data(value.tolist())
    if hasattr(value, "item"):
        return json_data(value.item())
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
    """The cells of one column as :func:`json_data` gives them, a column at a time."""
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
    if kind in ("b", "i", "u"):
        return col.tolist()
    if kind == "f":
        return [v if math.isfinite(v) else None for v in col.tolist()]
    return [v if type(v) is str else json_data(v) for v in _cells(col)]


def plan_json(plan: Plan) -> str:
    """``plan.json`` text: :meth:`Plan.to_json_dict`, UTF-8, stable order, strict JSON."""
    return json.dumps(json_data(plan.to_json_dict()), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"
