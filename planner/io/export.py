"""Writers: plan folders with CSV, XLSX and JSON files of every view, written atomically.

Writers only write frames; every number comes from :mod:`planner.views`.

A plan folder holds the contract files ``portfolio.csv``, ``assignments.csv``,
``workload.csv`` and ``plan.json`` plus one CSV per other view (and, on
request, ``plan.xlsx`` and ``<view>.json``). It is built in a temporary folder
next to the target and renamed into place only when complete, so a reader never
sees half a plan and a failure leaves no partial folder behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from models.plan import Plan
from planner.errors import PlannerError
from planner.io import cells, workbook
from planner.io.cells import csv_cell as csv_cell  # re-exported: callers import these here
from planner.io.cells import format_number as format_number
from planner.io.cells import frame_to_csv as frame_to_csv
from planner.io.files import InputFileError, ReadOptions, read_input
from planner.io.guard import Input, check_destination
from planner.io.lock import destination_lock
from planner.io.text import snippet
from planner.io.tmpdirs import make_temp, replace_folder, sweep_stale
from planner.views import VIEWS, all_views
from planner.views.replan import REPLAN_FILES, replan_frames

if TYPE_CHECKING:
    from planner.solving.clock import Clock

FORMATS = ("csv", "xlsx", "json")
#: CSV encodings: plain UTF-8, or with a byte-order mark so that Excel on Windows reads
#: accents right ("D. Müller")
CSV_ENCODINGS = ("utf-8", "utf-8-sig")
PLAN_JSON = "plan.json"
XLSX = "plan.xlsx"


class ExportError(PlannerError):
    """A plan folder could not be written or read."""


class OutputExistsError(ExportError):
    """The output folder exists and ``force`` was not given."""


def _check_formats(formats: Iterable[str]) -> list[str]:
    out = []
    for f in formats:
        if f not in FORMATS:
            raise ExportError(f"unknown format '{f}': choose from {', '.join(FORMATS)}")
        if f not in out:
            out.append(f)
    return out


def write_files(plan: Plan, folder: Path, formats: Iterable[str] = ("csv",),
                clock: Clock | None = None, csv_encoding: str = "utf-8") -> list[str]:
    """Write ``plan.json``, the contract CSVs and the views in ``formats`` into ``folder``.

    Not atomic on its own: :func:`write_plan` calls it on a temporary folder. With a
    ``clock`` the writing time is marked and ``run.timings`` updated before
    ``plan.json`` is written (last). ``csv_encoding`` is one of :data:`CSV_ENCODINGS`.
    Every view is always written as CSV; ``xlsx`` and ``json`` are written *as
    well* (all views in each). Returns the names of the files written.
    """
    formats = _check_formats(formats)
    if csv_encoding not in CSV_ENCODINGS:
        raise ExportError(f"unknown CSV encoding '{csv_encoding}': choose from "
                          f"{', '.join(CSV_ENCODINGS)}")
    frames = all_views(plan)
    written = []
    for name in frames:
        (folder / f"{name}.csv").write_text(cells.frame_to_csv(frames[name]),
                                            encoding=csv_encoding, newline="")
        written.append(f"{name}.csv")
    if "json" in formats:
        for name, frame in frames.items():
            (folder / f"{name}.json").write_text(cells.frame_to_json(frame), encoding="utf-8")
            written.append(f"{name}.json")
    if "xlsx" in formats:
        workbook.write_xlsx(workbook.workbook_frames(plan, frames), folder / XLSX,
                            currency=plan.scenario.policy.currency)
        written.append(XLSX)
    for name, frame in replan_frames(plan).items():  # a re-plan as of a period only
        (folder / f"{name}.csv").write_text(cells.frame_to_csv(frame), encoding=csv_encoding,
                                            newline="")
        written.append(f"{name}.csv")
    if clock is not None:  # plan.json last, so that its timings include the writing
        clock.mark("write")
        plan.run.timings = clock.timings()
    (folder / PLAN_JSON).write_text(cells.plan_json(plan), encoding="utf-8")
    written.append(PLAN_JSON)
    return written


def write_plan(
    plan: Plan,
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = ("csv",),
    force: bool = False,
    extra_files: Mapping[str, str | bytes] | None = None,
    inputs: Iterable[Input] = (),
    clock: Clock | None = None,
    csv_encoding: str = "utf-8",
) -> Path:
    """Write a plan folder atomically and return its path.

    The destination is checked against ``inputs`` and the current directory
    first (:func:`planner.io.guard.check_destination`, whatever ``force`` says)
    and locked for the whole write (:func:`planner.io.lock.destination_lock`).

    Parameters
    ----------
    plan
        The plan to write.
    out_dir
        The folder to create.
    formats
        Any of ``csv``, ``xlsx`` (``plan.xlsx``, one sheet per view) and ``json``
        (one ``<view>.json`` per view). ``plan.json`` and one CSV per view are always
        written.
    force
        Replace an existing ``out_dir``; it is removed only after the new folder
        is complete.
    extra_files
        More files to put in the folder, name -> text or bytes (e.g. a log).
    inputs
        What the run read (:class:`planner.io.guard.Input`): never written over.

    Raises
    ------
    UnsafeOutputError
        ``out_dir`` is, holds or lies inside an input, or holds the current directory.
    OutputBusyError
        Another run is writing to ``out_dir``.
    OutputExistsError
        ``out_dir`` exists and ``force`` is false.
    ExportError
        The folder could not be written; nothing is left behind and an existing
        folder is untouched.
    """
    target = Path(out_dir)
    formats = _check_formats(formats)
    check_destination(target, inputs)
    with destination_lock(target):
        _write_locked(plan, target, formats, force, extra_files, clock, csv_encoding)
    return target


@contextlib.contextmanager
def reserved(target: str | os.PathLike[str], inputs: Iterable[Input] = (),
             force: bool = False) -> Iterator[Path]:
    """Check and lock a destination for a run that will write it at the end.

    Refuses a destination that would touch an input (:func:`check_destination`),
    one that exists without ``force``, and one another run is writing; then holds
    its lock (:func:`destination_lock`) for the block, so a long solve keeps a
    second run from writing the same folder in the meantime.
    """
    check_destination(target, inputs)
    with destination_lock(target):
        if not force and os.path.lexists(target):
            raise OutputExistsError(
                f"output folder '{target}' already exists (use --force to replace it)")
        yield Path(target)


def _write_locked(plan: Plan, target: Path, formats: list[str], force: bool,
                  extra_files: Mapping[str, str | bytes] | None, clock: Clock | None,
                  csv_encoding: str) -> None:
    def fill(tmp: Path) -> None:
        write_files(plan, tmp, formats, clock=clock, csv_encoding=csv_encoding)
        for name, content in (extra_files or {}).items():
            dest = tmp / name
            if dest.resolve().parent != tmp.resolve():
                raise ExportError(f"extra file name '{name}' must be a plain file name")
            if isinstance(content, bytes):
                dest.write_bytes(content)
            else:
                dest.write_text(content, encoding="utf-8")

    _atomic_folder(target, force, fill, "plan folder")


def _atomic_folder(target: Path, force: bool, fill: Callable[[Path], None],
                   what: str) -> None:
    """Fill a temporary folder next to ``target`` and rename it into place (the caller
    holds the destination's lock)."""
    # folders of runs killed while writing go first (a plan moved aside comes back)
    sweep_stale(target.absolute().parent, target.name)
    if target.exists() and not force:
        raise OutputExistsError(
            f"output folder '{target}' already exists (use --force to replace it)"
        )
    if target.exists() and not target.is_dir():
        raise ExportError(f"'{target}' exists and is not a folder")
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = make_temp(parent, target.name)
    except OSError as exc:
        raise ExportError(f"cannot write to '{parent}': {exc}") from exc
    try:
        fill(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        replace_folder(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, PlannerError | KeyboardInterrupt):
            raise
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {what} '{target}': {exc}") from exc
        raise


def write_folder(files: Mapping[str, str], out_dir: str | os.PathLike[str],
                 force: bool = False, inputs: Iterable[Input] = ()) -> Path:
    """Write ``files`` (name -> text) into a new folder atomically, like :func:`write_plan`
    (refusing a destination that touches one of ``inputs``, locked while written).

    Raises
    ------
    OutputExistsError
        ``out_dir`` exists and ``force`` is false.
    """
    target = Path(out_dir)
    check_destination(target, inputs)

    def fill(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")

    with destination_lock(target):
        _atomic_folder(target, force, fill, "folder")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_plan(plan_dir: str | os.PathLike[str], options: ReadOptions | None = None) -> Plan:
    """Read the plan in ``plan_dir`` (its ``plan.json``, a regular file within the size
    limit of ``options``, see :mod:`planner.io.files`).

    Raises
    ------
    ExportError
        When the folder has no readable ``plan.json``.
    """
    path = Path(plan_dir)
    file = path / PLAN_JSON if path.is_dir() else path
    if not file.exists():
        raise ExportError(f"'{path}' is not a plan folder: no {PLAN_JSON} in it")
    try:
        data = json.loads(read_input(file, options))
        return Plan.from_json_dict(data)
    except InputFileError as exc:
        raise ExportError(f"cannot read '{file}': it {exc}") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ExportError(f"cannot read '{file}': {snippet(exc, 300)}") from exc


def export(
    plan_dir: str | os.PathLike[str],
    formats: Iterable[str] = ("csv",),
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    options: ReadOptions | None = None,
    csv_encoding: str = "utf-8",
) -> Path:
    """Re-write the views of a written plan (``planner export DIR --format ...``).

    With ``out`` the views go to a new folder (replaced only with ``force``).
    Without it the plan folder itself is rewritten atomically: files of the
    folder that the export does not produce (e.g. an earlier ``plan.xlsx`` or a
    log) are kept. Returns the folder written.
    """
    src = Path(plan_dir)
    if out is not None:
        source = [Input(src, "the plan folder being exported", enclosing=True)]
        check_destination(out, source)
        return write_plan(read_plan(src, options), out, formats, force=force, inputs=source,
                          csv_encoding=csv_encoding)
    check_destination(src)
    with destination_lock(src):  # nobody else may rewrite it while its files are read
        plan = read_plan(src, options)
        produced = _produced_names(formats)
        keep: dict[str, bytes] = {}
        for f in sorted(src.iterdir()):
            if f.is_file() and f.name not in produced:
                keep[f.name] = f.read_bytes()
            elif f.is_dir():
                raise ExportError(
                    f"'{src}' holds a sub-folder ('{f.name}'); export to another folder "
                    "with --out"
                )
        return write_plan(plan, src, formats, force=True, extra_files=keep,
                          csv_encoding=csv_encoding)


def _produced_names(formats: Iterable[str]) -> set[str]:
    formats = _check_formats(formats)
    names = {PLAN_JSON} | {f"{n}.csv" for n in VIEWS}
    names |= {f"{n}.csv" for n in REPLAN_FILES}
    if "json" in formats:
        names |= {f"{n}.json" for n in VIEWS}
    if "xlsx" in formats:
        names.add(XLSX)
    return names
