"""What the terminal shows: consoles, located issues, numbers and tables."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console

from planner.errors import Issue


def console(stderr: bool = False) -> Console:
    """A rich console (created per call so that redirected streams are honoured)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_issues(issues: list[Issue], stderr: bool = True) -> None:
    """Print located issues, one per line, errors in red and warnings in yellow."""
    out = console(stderr)
    for issue in issues:
        style = "red" if issue.is_error else "yellow"
        out.print(str(issue), style=style, markup=False, soft_wrap=True)


def fmt(v: Any) -> str:
    """A value for a table cell: '-' for none, thousands separators for floats."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)
