"""What the sweep commands share: the Dask options and a progress bar with a line per piece.

``planner frontier``, ``compare``, ``risk`` and ``solve --robust`` run independent
pieces on Dask (:mod:`planner.analysis.parallel`); these are their options and
the bar that shows the pieces as they come back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.cli.render import console

F = TypeVar("F", bound=Callable[..., Any])

SCHEDULER_HELP = ("Run the pieces on the Dask cluster whose scheduler listens at ADDRESS "
                  "(e.g. tcp://10.0.0.5:8786) instead of a local cluster.")


def dask_options(workers: int, what: str) -> Callable[[F], F]:
    """``--workers`` (default ``workers``) and ``--scheduler`` for a command of pieces."""
    def wrap(fn: F) -> F:
        fn = click.option("--scheduler", default=None, metavar="ADDRESS",
                          help=SCHEDULER_HELP)(fn)
        return click.option(
            "--workers", type=click.IntRange(1, 256), default=workers, show_default=True,
            help=f"Worker processes of a local Dask cluster for {what} (1: one after "
                 "another in this process, no cluster).")(fn)
    return wrap


class Bar:
    """A progress bar on stderr; :meth:`update` moves it, :meth:`line` prints above it."""

    def __init__(self, progress: Progress | None, task: Any) -> None:
        self._progress = progress
        self._task = task

    def update(self, done: int, total: int) -> None:
        """``done`` of ``total`` pieces are back."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)

    def line(self, text: str) -> None:
        """Print one line (a piece's result) above the bar."""
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def progress_bar(label: str, quiet: bool = False) -> Iterator[Bar]:
    """A transient rich progress bar on stderr (nothing at all when ``quiet``)."""
    if quiet:
        yield Bar(None, None)
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console(stderr=True), transient=True)
    task = bar.add_task(label, total=None)
    with bar:
        yield Bar(bar, task)
