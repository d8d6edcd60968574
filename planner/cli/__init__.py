"""The ``planner`` command: one module per verb; they parse, call the library and print.

No planning logic lives here: every command calls a function a notebook user can call
too (:mod:`planner.api`, :mod:`planner.analysis`, :mod:`planner.io`).
"""

from planner.cli import (  # noqa: F401
    check,
    collect,
    compare,
    export,
    frontier,
    report,
    solve,
    template,
    track,
    validate,
)
from planner.cli.app import main

__all__ = ["main"]
