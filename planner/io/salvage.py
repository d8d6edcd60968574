"""Every mistake at once: the checks across items run on whatever part validated.

pydantic stops a scenario at its first invalid field per item, and the checks across
items (unknown units, dependencies, skills) need a valid scenario. So after a
validation error the invalid parts are dropped (a field first, the whole item when
that is not enough), the rest validated again, and the cross checks run on it; their
errors are reported with the validation errors, at the original lines.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from models.scenario import Scenario
from planner.errors import Issue
from planner.io.sourcemap import Location, SourceMap
from planner.io.validate import check


def _same(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return loc


def cross_checks(data: dict[str, Any], exc: ValidationError,
                 source: SourceMap) -> list[Issue]:
    """Errors of the checks across items, on the scenario without its invalid parts.

    Each invalid field is dropped (its default applies); an item still invalid then
    (a required field is wrong) is dropped whole. Errors that name a dropped item's
    id are left out: they follow from the error already reported.
    """
    partial, dropped, back = salvage(data, exc)
    if partial is None:
        return []
    out = []
    for issue in check(partial, _Shifted(source, back)):
        if issue.is_error and not any(f"'{d}'" in issue.message for d in dropped):
            out.append(issue)
    return out


_DROP = object()
Loc = tuple[Any, ...]


def salvage(data: dict[str, Any], exc: ValidationError, rounds: int = 6
            ) -> tuple[Scenario | None, set[str], Callable[[Loc], Loc]]:
    """The scenario without the parts ``exc`` (and later rounds) found invalid.

    Returns it (None when even that fails, e.g. the horizon is wrong), the ids of the
    items dropped whole, and a map from a path in it to the path in ``data``.
    """
    doc = copy.deepcopy(data)
    dropped: set[str] = set()
    touched: set[Loc] = set()
    errors = exc.errors()

    back: Callable[[Loc], Loc] = _same

    for _ in range(rounds):
        for err in errors:
            loc = _existing(doc, back(tuple(err["loc"])))
            if not loc:
                return None, dropped, back
            if loc in touched or err["type"] == "missing":
                item = _item_of(loc)  # dropping the field was not enough: the whole item
                if item is None:
                    return None, dropped, back
                loc = item
            parent, key = _get(doc, loc[:-1]), loc[-1]
            if isinstance(parent, list):
                if isinstance(parent[key], dict) and isinstance(parent[key].get("id"), str):
                    dropped.add(parent[key]["id"])
                parent[key] = _DROP
            elif isinstance(parent, dict):
                parent[key] = _DROP
            touched.add(loc)
        clean, maps = _without_dropped(doc)
        back = _translator(maps)
        try:
            return Scenario.model_validate(clean), dropped, back
        except ValidationError as again:
            errors = again.errors()
    return None, dropped, back


def _without_dropped(node: Any, path: Loc = ()) -> tuple[Any, dict[Loc, list[int]]]:
    """``node`` without the dropped parts, and per list (by its new path) the old indices."""
    maps: dict[Loc, list[int]] = {}
    if isinstance(node, dict):
        out_d = {}
        for k, v in node.items():
            if v is _DROP:
                continue
            out_d[k], sub = _without_dropped(v, path + (k,))
            maps.update(sub)
        return out_d, maps
    if isinstance(node, list):
        kept = [i for i, v in enumerate(node) if v is not _DROP]
        maps[path] = kept
        out_l = []
        for new, old in enumerate(kept):
            value, sub = _without_dropped(node[old], path + (new,))
            out_l.append(value)
            maps.update(sub)
        return out_l, maps
    return node, maps


def _translator(maps: dict[Loc, list[int]]) -> Callable[[Loc], Loc]:
    def back(loc: Loc) -> Loc:
        out: list[Any] = []
        for k, key in enumerate(loc):
            kept = maps.get(tuple(loc[:k]))
            if kept is not None and isinstance(key, int) and 0 <= key < len(kept):
                key = kept[key]
            out.append(key)
        return tuple(out)

    return back


class _Shifted(SourceMap):
    """A source map read through the index map of a salvaged scenario."""

    def __init__(self, inner: SourceMap, back: Callable[[Loc], Loc]) -> None:
        self._inner = inner
        self._back = back

    def locate(self, path: Iterable[Any]) -> Location:
        return self._inner.locate(self._back(tuple(path)))


def _get(doc: Any, path: Loc) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _existing(doc: Any, loc: Loc) -> Loc:
    """The longest prefix of ``loc`` that exists in ``doc`` (pydantic adds type tags)."""
    out: list[Any] = []
    node = doc
    for key in loc:
        if isinstance(node, dict) and key in node and node[key] is not _DROP:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node) \
                and node[key] is not _DROP:
            node = node[key]
        else:
            break
        out.append(key)
    return tuple(out)


def _item_of(loc: Loc) -> Loc | None:
    """The list item that holds ``loc`` (a section's entry), or None at the top level."""
    for k in range(len(loc) - 1, -1, -1):
        if isinstance(loc[k], int):
            return loc[: k + 1]
    return None
