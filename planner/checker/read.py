"""Reading a plan folder for the checker: regular files within the size limit only.

A file that is missing, not a regular file (a FIFO would block), over the limit
of :mod:`planner.io.files`, unparseable or lacking a required column becomes a
``file`` violation; nothing is raised.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

import pandas as pd

from planner.checker.context import Context
from planner.io.files import InputFileError, read_input
from planner.io.text import snippet


def read_bytes(ctx: Context, name: str, required: bool = True) -> bytes | None:
    """The bytes of ``name`` in the plan folder; None (and a violation when
    ``required``) when it is absent or may not be read."""
    path = ctx.dir / name
    if not path.exists():
        if required:
            ctx.add("file", name, None, f"{path} is missing", 1)
        return None
    try:
        return read_input(path, ctx.options)
    except InputFileError as exc:
        ctx.add("file", name, None, f"{path} {exc}", 1)
    except OSError as exc:
        ctx.add("file", name, None, f"{path} cannot be read: {exc.strerror or exc}", 1)
    return None


def read_table(ctx: Context, name: str, required: Iterable[str],
               must_exist: bool = True) -> pd.DataFrame | None:
    """A CSV file of the plan as text columns; None after a violation (or when an
    optional file is absent)."""
    raw = read_bytes(ctx, name, must_exist)
    if raw is None:
        return None
    try:
        df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False,
                         encoding="utf-8-sig")  # --csv-encoding utf-8-sig writes a BOM
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as e:
        ctx.add("file", name, None, f"{ctx.dir / name} cannot be read: {snippet(e, 200)}", 1)
        return None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        ctx.add("file", name, None,
                f"{ctx.dir / name} lacks column(s) {', '.join(missing)}", len(missing))
        return None
    return df


def read_json(ctx: Context, name: str) -> dict[str, Any] | None:
    """A JSON object of the plan folder; None after a violation."""
    raw = read_bytes(ctx, name)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        ctx.add("file", name, None, f"{ctx.dir / name} is not valid JSON: {snippet(exc, 200)}",
                1)
        return None
    if not isinstance(data, dict):
        ctx.add("file", name, None, f"{ctx.dir / name} does not hold a JSON object", 1)
        return None
    return data
