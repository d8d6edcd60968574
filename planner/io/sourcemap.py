"""Where each value of a scenario came from, and how to name items in messages.

A :class:`SourceMap` maps paths in the raw document (``("initiatives", 3,
"deadline")``) to a file and line, so that every :class:`~planner.errors.Issue` can
say where to look, whether the value came from the YAML file, a CSV file it names,
or a ``--set`` override.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Sections that are lists of items (item names use the id when there is one).
LIST_SECTIONS = (
    "units", "staff", "run_the_business", "initiatives", "external", "ratings",
)
#: Sections inside ``strategy`` that are lists of items.
STRATEGY_SECTIONS = ("objectives", "kpis", "pairwise")

Path_ = tuple[str | int, ...]


# --------------------------------------------------------------------------- source map


@dataclass(frozen=True)
class Location:
    """Where a value came from: file and 1-based line (None when unknown)."""

    file: str
    line: int | None = None


@dataclass
class SourceMap:
    """Maps paths in the raw document (``("initiatives", 3, "deadline")``) to locations.

    Mapping keys are stored as strings and list indices as ints. :meth:`locate`
    falls back to the closest recorded ancestor, so a missing field is located
    at the item that lacks it.
    """

    default_file: str
    entries: dict[Path_, Location] = field(default_factory=dict)

    def set(self, path: Path_, file: str, line: int | None) -> None:
        """Record the location of ``path``."""
        self.entries[_norm(path)] = Location(file, line)

    def replace(self, path: Path_, file: str, line: int | None = None) -> None:
        """Record ``path`` as coming from ``file`` and forget what was below it."""
        key = _norm(path)
        n = len(key)
        for other in [p for p in self.entries if p[:n] == key]:
            del self.entries[other]
        self.entries[key] = Location(file, line)

    def locate(self, path: Iterable[Any]) -> Location:
        """Location of ``path`` or of its closest recorded ancestor."""
        key = _norm(tuple(path))
        for n in range(len(key), 0, -1):
            found = self.entries.get(key[:n])
            if found is not None:
                return found
        return Location(self.default_file, None)


def _norm(path: Iterable[Any]) -> Path_:
    # list indices stay ints; everything else (mapping keys) becomes a string
    return tuple(p if isinstance(p, int) and not isinstance(p, bool) else str(p) for p in path)


# --------------------------------------------------------------------------- naming


def item_label(section: str, index: int, ident: object) -> str:
    """Name of a list item: ``staff 'p001'`` when it has an id, else ``staff[3]``."""
    if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident) != "":
        return f"{section} '{ident}'"
    return f"{section}[{index}]"


def dotted(path: Iterable[Any]) -> str:
    """``("effort", 1, "hours")`` -> ``effort[1].hours``."""
    out = ""
    for p in path:
        if isinstance(p, int) and not isinstance(p, bool):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def describe(path: Sequence[Any], id_of: Callable[[tuple[str, ...], int], object]) -> tuple[
    str | None, str | None
]:
    """Split a path into (item, field) for an :class:`Issue`.

    ``id_of(section_path, index)`` returns the id of that list item (or None).
    """
    if len(path) <= 1:  # a top-level key
        return None, (str(path[0]) if path else None)
    head = path[0]
    if head in LIST_SECTIONS:
        if len(path) >= 2 and isinstance(path[1], int):
            item = item_label(str(head), path[1], id_of((str(head),), path[1]))
            rest = path[2:]
        else:
            item, rest = str(head), path[1:]
    elif head == "strategy" and len(path) >= 2 and path[1] in STRATEGY_SECTIONS:
        if len(path) >= 3 and isinstance(path[2], int):
            item = item_label(str(path[1]), path[2], id_of(("strategy", str(path[1])), path[2]))
            rest = path[3:]
        else:
            item, rest = str(path[1]), path[2:]
    elif head in ("horizon", "policy", "strategy"):
        item, rest = str(head), path[1:]
    else:
        item, rest = None, path
    return item, (dotted(rest) or None)


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def raw_id_of(data: Any) -> Callable[[tuple[str, ...], int], object]:
    def id_of(section: tuple[str, ...], index: int) -> object:
        node = data
        try:
            for key in section:
                node = node[key]
            item = node[index]
        except (KeyError, IndexError, TypeError):
            return None
        return item.get("id") if isinstance(item, dict) else None

    return id_of
