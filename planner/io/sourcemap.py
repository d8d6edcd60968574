"""Where each value of a scenario came from, and how to name items in messages.

A :class:`SourceMap` maps paths in the raw document (``("initiatives", 3,
"deadline")``) to a file and line, so that every :class:`~planner.errors.Issue` can
say where to look, whether the value came from the YAML file, a CSV file it names,
or a ``--set`` override.
"""

from __future__ import annotations

import bisect
import difflib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass, field
from typing import Any

from planner.io.text import snippet

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
    #: list sections read from a table: section path -> (file, line of each item); one
    #: int per row instead of an entry per cell keeps a million-row CSV file cheap
    tables: dict[Path_, tuple[str, array[int]]] = field(default_factory=dict)

    def set(self, path: Path_, file: str, line: int | None) -> None:
        """Record the location of ``path``."""
        self.entries[_norm(path)] = Location(file, line)

    def table(self, path: Path_, file: str) -> array[int]:
        """Start recording the items of the list at ``path`` as rows of ``file``.

        Append each item's line to the array returned; every field of an item is
        then located at its row.
        """
        lines: array[int] = array("l")
        self.tables[_norm(path)] = (file, lines)
        return lines

    def replace(self, path: Path_, file: str, line: int | None = None) -> None:
        """Record ``path`` as coming from ``file`` and forget what was below it."""
        key = _norm(path)
        n = len(key)
        for other in [p for p in self.entries if p[:n] == key]:
            del self.entries[other]
        for other in [p for p in self.tables if p[:n] == key]:
            del self.tables[other]
        self.entries[key] = Location(file, line)

    def locate(self, path: Iterable[Any]) -> Location:
        """Location of ``path`` or of its closest recorded ancestor."""
        key = _norm(tuple(path))
        for n in range(len(key), 0, -1):
            found = self.entries.get(key[:n])
            if found is not None:
                return found
            index = key[n - 1]
            if n >= 2 and isinstance(index, int) and self.tables:
                table = self.tables.get(key[: n - 1])
                if table is not None and 0 <= index < len(table[1]):
                    return Location(table[0], table[1][index])
        return Location(self.default_file, None)


def _norm(path: Iterable[Any]) -> Path_:
    # list indices stay ints; everything else (mapping keys) becomes a string
    return tuple(p if isinstance(p, int) and not isinstance(p, bool) else str(p) for p in path)


# --------------------------------------------------------------------------- naming


def item_label(section: str, index: int, ident: object) -> str:
    """Name of a list item: ``staff 'p001'`` when it has an id, else ``staff[3]``.

    The id is shown as a snippet (:func:`planner.io.text.snippet`, 80 characters).
    """
    if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident) != "":
        return f"{section} '{snippet(ident, 80)}'"
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
    elif head in ("horizon", "policy", "strategy", "uncertainty"):
        item, rest = str(head), path[1:]
    else:
        item, rest = None, path
    return item, (dotted(rest) or None)


#: words longer than this get no suggestion (a typo is not 200 characters long)
SUGGEST_MAX_WORD = 200
#: up to this many choices every one is compared; above it, only the neighbours
SUGGEST_ALL = 1_000
#: neighbours taken on each side in prefix and in suffix order
SUGGEST_NEIGHBOURS = 25


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string.

    Bounded: a word over :data:`SUGGEST_MAX_WORD` characters gets none; only
    choices of a length that can reach the similarity cutoff (3/7 to 7/3 of the
    word's) are compared; and of more than :data:`SUGGEST_ALL` choices only the
    neighbours of the word in prefix and in suffix order (an index built once per
    collection of choices), so 3,000 misspelt references among 50,000 ids cost
    milliseconds each, not seconds.
    """
    word = str(word)
    if len(word) > SUGGEST_MAX_WORD:
        return ""
    pool = _candidates(word, choices)
    n = len(word)
    pool = [c for c in pool if 3 * max(n, len(c)) <= 7 * min(n, len(c))]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return f"; did you mean '{snippet(close[0], 80)}'?" if close else ""


class _Index:
    """Choices sorted by text and by reversed text, for neighbour look-ups."""

    def __init__(self, choices: Iterable[str]) -> None:
        words = sorted({str(c) for c in choices if len(str(c)) <= SUGGEST_MAX_WORD})
        self.forward = words
        self.backward = sorted(w[::-1] for w in words)

    def near(self, word: str) -> list[str]:
        k = SUGGEST_NEIGHBOURS
        i = bisect.bisect_left(self.forward, word)
        j = bisect.bisect_left(self.backward, word[::-1])
        return (self.forward[max(i - k, 0):i + k]
                + [w[::-1] for w in self.backward[max(j - k, 0):j + k]])


_indexes: OrderedDict[int, tuple[object, int, _Index]] = OrderedDict()


def _candidates(word: str, choices: Iterable[str]) -> list[str]:
    if not isinstance(choices, Sized) or len(choices) <= SUGGEST_ALL:
        return [str(c) for c in choices]
    # one index per collection (held, so its id cannot be reused while cached)
    key = id(choices)
    hit = _indexes.get(key)
    if hit is None or hit[0] is not choices or hit[1] != len(choices):
        hit = (choices, len(choices), _Index(choices))
        _indexes[key] = hit
        while len(_indexes) > 8:
            _indexes.popitem(last=False)
    _indexes.move_to_end(key)
    return hit[2].near(word)


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
