"""What the terminal shows: consoles, located issues, numbers and tables."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

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


#: a word longer than this may still be folded (a long id or path)
LONGEST_WORD = 24


def fit_words(table: Table, longest: int = LONGEST_WORD) -> Table:
    """Let ``table`` shrink to the terminal without breaking words.

    Each column's minimum width becomes its longest word (header or cell, at most
    ``longest``): rich then wraps cells at spaces, and folds only a word longer than
    that. Returns the table.
    """
    for col in table.columns:
        texts = [str(col.header)] + [str(c) for c in col.cells]
        words = [len(w) for t in texts for w in t.split()]
        want = min(max(words, default=1), longest)
        col.min_width = max(col.min_width or 0, want)
        if col.overflow not in ("ellipsis",):
            col.overflow = "fold"
    return table


def label(name: str | None, ident: str) -> str:
    """``CRM consolidation (crm)``; the id alone when there is no other name."""
    return ident if not name or name == ident else f"{name} ({ident})"


def fmt(v: Any) -> str:
    """A value for a table cell: '-' for none, thousands separators for floats."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)
