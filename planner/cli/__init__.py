"""The ``planner`` command: one module per verb; they parse, call the library and print.

No planning logic lives here: every command calls a function a notebook user can call
too (:mod:`planner.api`, :mod:`planner.analysis`, :mod:`planner.io`).
"""

from planner.cli import check, compare, export, frontier, solve, track, validate  # noqa: F401
from planner.cli.app import main

__all__ = ["main"]
