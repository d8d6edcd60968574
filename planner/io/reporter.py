"""Located issues about a validated scenario: the base of every cross-entity check.

Used by :mod:`planner.io.scenario_checker` (validation) and by the ratings and
pairwise checks of :mod:`planner.gather`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models.scenario import Scenario
from planner.errors import Issue, Severity
from planner.io.sourcemap import SourceMap, describe


class Reporter:
    """Collects :class:`Issue` objects located through a :class:`SourceMap`."""

    def __init__(self, scenario: Scenario, source: SourceMap | None) -> None:
        self.scenario = scenario
        self.source = source or SourceMap("<scenario>")
        self.issues: list[Issue] = []

    def _id_of(self, section: tuple[str, ...], index: int) -> object:
        items: Any = self.scenario.strategy if section[0] == "strategy" else self.scenario
        try:
            return getattr(getattr(items, section[-1])[index], "id", None)
        except (AttributeError, IndexError):
            return None

    def add(self, severity: Severity, path: Sequence[Any], message: str) -> None:
        """Record an issue at ``path`` (a path in the raw document)."""
        loc = self.source.locate(path)
        item, fld = describe(path, self._id_of)
        self.issues.append(Issue(loc.file, item, fld, message, loc.line, severity))

    def error(self, path: Sequence[Any], message: str) -> None:
        """Record an error at ``path``."""
        self.add("error", path, message)

    def warning(self, path: Sequence[Any], message: str) -> None:
        """Record a warning at ``path``."""
        self.add("warning", path, message)

    def where(self, path: Sequence[Any]) -> str:
        """``file:line`` of ``path`` for "also at ..." messages."""
        loc = self.source.locate(path)
        return f"{loc.file}:{loc.line}" if loc.line is not None else loc.file
