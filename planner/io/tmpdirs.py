"""Temporary folders of a plan write, named by their owner, and the sweep of dead ones.

A plan folder is written into ``.<name>.tmp-<pid>-<start>-<random>`` next to the
destination and renamed into place; an existing folder is first moved aside to
``.<name>.old-<pid>-<start>-<random>``. The owner's process id and start time
(``/proc/<pid>/stat``, so a recycled pid is not mistaken for the owner) are in the
name itself, so the record exists from the moment the folder does, with no window
in which a folder has no owner.

:func:`sweep_stale` (called by every write before it starts) removes such folders
whose owner is no longer running, e.g. after ``kill -9`` during a write; a folder
of a live run is never touched. An ``.old-`` folder whose destination is missing
(the owner died between its two renames) is put back instead of removed, when it
belongs to the destination being written.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

__all__ = ["make_temp", "owner_alive", "replace_folder", "sweep_stale"]

_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-(?P<start>\d+)-[a-z0-9_]+$")
_LOCK = re.compile(r"^\..+\.lock$")


def _start_time(pid: int) -> int:
    """Start time of process ``pid`` in clock ticks since boot (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
        # the command name (field 2) may hold spaces and ')': fields follow the last ')'
        return int(stat.rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return 0


def _tag() -> str:
    pid = os.getpid()
    return f"{pid}-{_start_time(pid)}"


def make_temp(parent: Path, name: str, kind: str = "tmp") -> Path:
    """A new empty folder ``.<name>.<kind>-<pid>-<start>-<random>`` in ``parent``."""
    return Path(tempfile.mkdtemp(prefix=f".{name}.{kind}-{_tag()}-", dir=parent))


def owner_alive(pid: int, start: int) -> bool:
    """Whether the process that made a folder is still running (a live one is never swept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    now = _start_time(pid)
    return not (start and now and now != start)  # a recycled pid is another process


def sweep_stale(parent: Path, target_name: str | None = None) -> list[Path]:
    """Remove the temporary folders of dead runs in ``parent``; return what was done.

    ``target_name`` is the destination the caller holds the lock of: its moved-aside
    folder is restored when the destination is missing.
    """
    done: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return done
    for entry in entries:
        if _LOCK.match(entry.name) and entry.is_file(follow_symlinks=False):
            if _stale_lock(Path(entry.path)):
                done.append(Path(entry.path))
            continue
        m = _NAME.match(entry.name)
        if m is None or not entry.is_dir(follow_symlinks=False):
            continue
        if owner_alive(int(m["pid"]), int(m["start"])):
            continue
        path = Path(entry.path)
        dest = parent / m["name"]
        if m["kind"] == "old" and not os.path.lexists(dest):
            if m["name"] == target_name:
                with contextlib.suppress(OSError):
                    os.replace(path, dest)  # the owner died between its two renames
                    done.append(dest)
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            done.append(path)
    return done


def _stale_lock(path: Path) -> bool:
    """Remove a planner lock file nobody holds whose last holder is dead; True if removed."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if not text.isdigit() or owner_alive(int(text), 0):
            return False  # not ours, or its holder runs on
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # held right now (a new run took it)
        if os.fstat(fd).st_ino != os.stat(path).st_ino:
            return False
        os.unlink(path)  # still holding it: see planner.io.lock
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def replace_folder(tmp: Path, target: Path) -> None:
    """Move the complete folder ``tmp`` to ``target``, replacing an existing folder.

    A non-empty folder cannot be swapped in one rename on every system, so the
    old folder is first renamed aside, and put back if the second rename fails. The
    aside folder is a :func:`make_temp` folder of kind ``old``: should this process die
    between the two renames, a later :func:`sweep_stale` of the destination puts it back.
    """
    if not target.exists():
        os.replace(tmp, target)
        return
    aside = make_temp(target.absolute().parent, target.name, "old")
    aside.rmdir()
    os.replace(target, aside)
    try:
        os.replace(tmp, target)
    except BaseException:
        os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
