"""One writer per output folder: an exclusive lock held for the whole write.

:func:`destination_lock` takes ``fcntl.flock`` on a lock file next to the
destination (``.<name>.lock`` in its parent folder). A second run that wants
the same destination while the first holds the lock fails at once with
:class:`OutputBusyError` (it never waits and never writes). The CLI takes the
lock before it solves, so of two runs aimed at one folder the second stops
before doing any work; :func:`planner.io.export.write_plan` takes it again
around the write (re-entrant within a process).

The lock file is removed when the lock is released; a run killed with ``kill
-9`` leaves it behind, and the next run simply takes it (the kernel released
the lock with the process). Taking the lock checks that the locked file is still
the one at the path, so removing it on release cannot let two runs in.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from planner.errors import PlannerError

__all__ = ["LockError", "OutputBusyError", "destination_lock", "lock_path"]


class OutputBusyError(PlannerError):
    """Another run is writing to the same destination."""


class LockError(PlannerError):
    """The destination's folder or lock file could not be made."""


_held: dict[Path, int] = {}  # resolved lock path -> depth, for this process
_guard = threading.Lock()


def lock_path(target: str | os.PathLike[str]) -> Path:
    """The lock file of ``target``: ``.<name>.lock`` in its (resolved) parent folder."""
    t = Path(target).expanduser().absolute()
    parent = t.parent.resolve()
    return parent / f".{t.name}.lock"


@contextlib.contextmanager
def destination_lock(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the exclusive lock on ``target`` (a folder to be written) for the block.

    The parent folder is created when missing (and removed again when the block
    wrote nothing into it). Re-entrant within one process.

    Raises
    ------
    OutputBusyError
        Another process holds the lock.
    """
    path = lock_path(target)
    with _guard:
        depth = _held.get(path, 0)
        if depth:
            _held[path] = depth + 1
    if depth:
        try:
            yield path
        finally:
            with _guard:
                _held[path] -= 1
        return
    made = _make_parents(path.parent)
    fd = _acquire(path, target)
    with _guard:
        _held[path] = 1
    try:
        yield path
    finally:
        with _guard:
            del _held[path]
        with contextlib.suppress(OSError):
            os.unlink(path)  # still holding the lock: see the module docstring
        os.close(fd)
        for d in reversed(made):
            with contextlib.suppress(OSError):
                d.rmdir()  # only when empty: nothing was written


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and missing ancestors; return the ones created, outermost first."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    made = []
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise LockError(f"cannot create the folder '{d}': {exc.strerror or exc}") from exc
        made.append(d)
    return made


def _acquire(path: Path, target: str | os.PathLike[str]) -> int:
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise LockError(
                f"cannot lock '{target}' (lock file {path}): {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            owner = _owner(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputBusyError(
                    f"another planner run{owner} is writing to '{target}'; wait for it to "
                    "finish or choose another --out (nothing was written)") from None
            raise
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # the holder removed it as we opened it: take the new one


def _owner(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (process {text})" if text.isdigit() else ""
