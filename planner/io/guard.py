"""Never write over an input: refuse an output folder that is, holds or lies inside one.

Every command that writes a folder (``solve``, ``export``, ``compare --out``,
``frontier --out`` and :meth:`planner.api.Result.write`) calls
:func:`check_destination` with the inputs of its run before anything is written,
and whatever ``--force`` says. Paths are compared after resolving symlinks, so a
link to the scenario's folder is caught too.

The rules, for the output folder ``out`` and each input ``p``:

* ``out`` is ``p`` (``--out mid_org`` where ``mid_org/`` holds the CSV files);
* ``out`` contains ``p`` (``--out .`` next to ``scenario.yaml``);
* ``out`` lies inside ``p`` when ``p`` is a folder read as a whole: a baseline or
  compared plan folder, a folder of CSV files other than the scenario file's own
  folder (plans next to the scenario file are the usual place);
* ``out`` is or contains the current directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError

__all__ = ["Input", "UnsafeOutputError", "check_destination", "plan_inputs", "scenario_inputs"]


class UnsafeOutputError(PlannerError):
    """The output folder would overwrite, hold or lie inside an input of the run."""


@dataclass(frozen=True)
class Input:
    """One input of a run: a file or folder it reads, at ``path`` as the user gave it
    (messages show it), ``what`` it is for messages (``"the scenario file"``, ``"CSV
    file"``, ...), and whether it is a folder read as a whole (``enclosing``): the output
    may not lie inside such a folder either."""

    path: Path
    what: str
    enclosing: bool = False


def _resolved(path: str | os.PathLike[str]) -> Path:
    return Path(path).expanduser().resolve()


def _inside(child: Path, parent: Path) -> bool:
    """True when ``child`` is ``parent`` or lies below it (both resolved)."""
    return child == parent or parent in child.parents


def check_destination(out: str | os.PathLike[str], inputs: Iterable[Input] = (),
                      cwd: str | os.PathLike[str] | None = None) -> None:
    """Refuse ``out`` when writing it could touch an input or the current directory.

    Raises
    ------
    UnsafeOutputError
        Naming the input and how ``out`` collides with it.
    """
    target = _resolved(out)
    here = _resolved(cwd if cwd is not None else os.getcwd())
    shown = str(out)
    if target == here:
        raise UnsafeOutputError(
            f"refusing to write to '{shown}': it is the current directory; choose a new "
            "folder for --out (nothing was written)")
    if _inside(here, target):
        raise UnsafeOutputError(
            f"refusing to write to '{shown}': it contains the current directory; choose a "
            "new folder for --out (nothing was written)")
    for item in inputs:
        p = _resolved(item.path)
        how = None
        if target == p:
            how = f"it is {item.what} '{item.path}'"
        elif _inside(p, target):
            how = f"it contains {item.what} '{item.path}'"
        elif item.enclosing and _inside(target, p):
            how = f"it lies inside {item.what} '{item.path}'"
        if how is not None:
            raise UnsafeOutputError(
                f"refusing to write to '{shown}': {how}, an input of this run; choose "
                "another folder for --out (--force never replaces an input; nothing was "
                "written)")


def scenario_inputs(yaml_file: str | os.PathLike[str] | None,
                    csv_files: Iterable[str | os.PathLike[str]] = (),
                    home: str | os.PathLike[str] | None = None) -> list[Input]:
    """The inputs of a scenario: its file, its CSV files and their folders.

    A folder of CSV files other than the scenario's own folder (the scenario
    file's, else ``home``: where CSV names were resolved from) is an enclosing
    input (see the module docstring).
    """
    out: list[Input] = []
    home_dir = (_resolved(yaml_file).parent if yaml_file is not None
                else _resolved(home) if home is not None else None)
    if yaml_file is not None:
        out.append(Input(Path(yaml_file), "the scenario file"))
    folders: dict[Path, Path] = {}
    for f in csv_files:
        out.append(Input(Path(f), "the scenario's CSV file"))
        parent = _resolved(f).parent
        if parent != home_dir:
            folders.setdefault(parent, Path(f).parent)
    out += [Input(shown, "the folder of the scenario's CSV files", enclosing=True)
            for shown in folders.values()]
    return out


def plan_inputs(plan: str | os.PathLike[str], but: Iterable[str] = ()) -> list[Input]:
    """The files of a plan folder (or the ``plan.json`` given) but those named in ``but``:
    a file written next to them (a report) must not replace one of them."""
    p = Path(plan)
    if not p.is_dir():
        return [Input(p, "the plan file")]
    skip = set(but)
    return [Input(f, "a file of the plan") for f in sorted(p.iterdir()) if f.name not in skip]
