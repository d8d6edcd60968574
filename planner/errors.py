"""Exceptions and located issues.

Every problem a user can fix is reported as an :class:`Issue` that names the
file, the item, the field and (when known) the line, e.g.::

    scenario.yaml:42: initiatives 'crm', field 'deadline': period '2028-01' is
    outside the horizon 2027-01 .. 2027-12

All issues found in one pass are raised together in one :class:`ScenarioError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


class PlannerError(Exception):
    """Base of every error the user can act on (the CLI exits 1, without a traceback)."""


@dataclass(frozen=True)
class Issue:
    """One located problem in a scenario.

    Attributes
    ----------
    file
        File the problem is in (the YAML file, a CSV file it names, or ``--set``).
    item
        The item, e.g. ``"staff 'p001'"``, ``"run_the_business[2]"`` or ``"policy"``;
        ``None`` for top-level fields.
    field
        Dotted field inside the item, e.g. ``"effort[1].hours"``; ``None`` for the
        item as a whole.
    message
        What is wrong, and where possible how to fix it.
    line
        1-based line in ``file``, when known.
    severity
        ``"error"`` (the scenario is rejected) or ``"warning"`` (it is accepted).
    """

    file: str
    item: str | None
    field: str | None
    message: str
    line: int | None = None
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"

    def where(self) -> str:
        """``file:line`` (or just ``file`` when the line is unknown)."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        subject = [self.item] if self.item else []
        if self.field:
            subject.append(f"field '{self.field}'")
        head = self.where() + ":"
        if self.severity == "warning":
            head += " warning:"
        if subject:
            return f"{head} {', '.join(subject)}: {self.message}"
        return f"{head} {self.message}"


class ScenarioError(PlannerError):
    """The scenario is invalid; ``issues`` lists every error found (all at once)."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: list[Issue] = list(issues)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.issues)
        head = f"the scenario is invalid ({n} error{'s' if n != 1 else ''}):"
        return "\n".join([head, *(f"  {issue}" for issue in self.issues)])


class InfeasibleError(PlannerError):
    """The mandatory work cannot fit (the CLI exits 3).

    ``diagnosis`` carries whatever explains it (e.g. a shortfall report); the CLI
    prints ``str(error)`` and then the diagnosis when it is not ``None``.
    ``proved_by`` names the engine whose proof it is (``highs``, ``cpsat``, ...), when
    a solver proved it.
    """

    def __init__(self, message: str, diagnosis: Any = None, proved_by: str | None = None) -> None:
        super().__init__(message)
        self.diagnosis = diagnosis
        self.proved_by = proved_by


class SolveError(PlannerError):
    """The solver failed (not installed, crashed, or returned no usable answer)."""
