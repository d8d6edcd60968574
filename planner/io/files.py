"""Which files a scenario may read, and how much of them.

* Only **regular files** are read: the type is checked on the opened file (after
  symlinks are followed), so a FIFO, a device such as ``/dev/zero`` or a socket is
  refused at once instead of blocking or filling memory.
* Each input file may be at most :data:`DEFAULT_MAX_MB` MB (the scenario file,
  each CSV file, a plan's ``plan.json``); ``--max-input-mb`` or the environment
  variable ``PLANNER_MAX_INPUT_MB`` change it. The limit is enforced while
  reading too, so a file that grows meanwhile cannot exceed it.
* CSV files must lie under the scenario file's folder (symlinks resolved);
  ``--allow-outside`` or ``PLANNER_ALLOW_OUTSIDE=1`` lifts that.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from planner.errors import PlannerError

__all__ = [
    "DEFAULT_MAX_MB", "ENV_ALLOW_OUTSIDE", "ENV_MAX_MB", "InputFileError", "ReadOptions",
    "is_inside", "open_input", "read_input",
]

#: Default size limit of one input file, in MB (10^6 bytes).
DEFAULT_MAX_MB = 200
ENV_MAX_MB = "PLANNER_MAX_INPUT_MB"
ENV_ALLOW_OUTSIDE = "PLANNER_ALLOW_OUTSIDE"
MB = 1_000_000


class InputFileError(OSError):
    """An input file is not a regular file, or is over the size limit."""


@dataclass(frozen=True)
class ReadOptions:
    """What a scenario may read: the size limit per file and whether CSV files
    outside the scenario's folder are allowed."""

    max_file_bytes: int = DEFAULT_MAX_MB * MB
    allow_outside: bool = False

    @classmethod
    def from_env(cls, max_mb: float | None = None,
                 allow_outside: bool | None = None) -> ReadOptions:
        """Options from the arguments, else the environment, else the defaults.

        Raises
        ------
        PlannerError
            ``PLANNER_MAX_INPUT_MB`` is not a positive number.
        """
        if max_mb is None:
            text = os.environ.get(ENV_MAX_MB, "").strip()
            if text:
                try:
                    max_mb = float(text)
                except ValueError:
                    max_mb = -1.0
                if not max_mb > 0:
                    raise PlannerError(
                        f"{ENV_MAX_MB}={text!r}: expected a positive number of MB")
        if allow_outside is None:
            allow_outside = os.environ.get(ENV_ALLOW_OUTSIDE, "").strip().lower() in (
                "1", "true", "yes")
        mb = DEFAULT_MAX_MB if max_mb is None else max_mb
        return cls(max(int(mb * MB), 1), allow_outside)

    @property
    def limit_text(self) -> str:
        """The limit as shown in messages (``200 MB``)."""
        return size_text(self.max_file_bytes)


def size_text(n: int) -> str:
    """``200 MB``, ``1.5 MB`` or ``1,200 bytes``."""
    return f"{n / MB:,.6g} MB" if n >= MB else f"{n:,} bytes"


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class _Limited(io.RawIOBase):
    """A raw file that refuses to give more than ``limit`` bytes."""

    def __init__(self, fd: int, limit: int, name: str, hint: str) -> None:
        self._f = io.FileIO(fd, "rb", closefd=True)
        self._left = limit
        self._limit = limit
        self._name = name
        self._hint = hint

    def readable(self) -> bool:
        return True

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._f.readinto(buf)
        if n:
            self._left -= n
            if self._left < 0:
                raise InputFileError(f"'{self._name}' grew beyond {self._hint} while read")
        return n or 0

    def close(self) -> None:
        self._f.close()
        super().close()


def open_input(path: str | os.PathLike[str], options: ReadOptions | None = None) -> BinaryIO:
    """Open an input file for reading, refusing anything but a regular file within the limit.

    Raises
    ------
    FileNotFoundError, PermissionError, OSError
        As ``open`` does.
    InputFileError
        Not a regular file, or larger than ``options.max_file_bytes``.
    """
    opts = options or ReadOptions.from_env()
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((k for test, k in _KINDS if test(st.st_mode)), "not a regular file")
            raise InputFileError(f"is {kind}, not a regular file; planner reads regular "
                                 "files only")
        if st.st_size > opts.max_file_bytes:
            raise InputFileError(
                f"is {size_text(st.st_size)}, over the limit of {opts.limit_text} per input "
                f"file (raise it with --max-input-mb or {ENV_MAX_MB})")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    raw = _Limited(fd, opts.max_file_bytes, str(path), opts.limit_text)
    return io.BufferedReader(raw)  # type: ignore[return-value]


def read_input(path: str | os.PathLike[str], options: ReadOptions | None = None) -> bytes:
    """The bytes of an input file (see :func:`open_input`)."""
    with open_input(path, options) as f:
        return f.read()


def is_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """True when ``path`` lies under ``folder`` once both are resolved (symlinks followed)."""
    p = Path(path).resolve()
    d = Path(folder).resolve()
    return p == d or d in p.parents
