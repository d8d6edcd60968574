"""Read a scenario: YAML (+ the CSV files it names) -> validated :class:`Scenario`.

Every problem is reported as a located :class:`~planner.errors.Issue` (file, item,
field, line) and all of them are raised together in one
:class:`~planner.errors.ScenarioError`. A scenario returned by this module has
passed both the per-item checks of the pydantic models and the cross-entity
checks of :mod:`planner.io.validate`.

Public API
----------
- :func:`load_scenario` (path -> Scenario)
- :func:`read_scenario` (path -> :class:`LoadedScenario`: scenario, warnings, source map)
- :func:`load_scenario_text` (YAML text -> Scenario, for tests and notebooks)
- :func:`apply_overrides` (``--set path=value`` on the raw document)
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from models.scenario import Person, Scenario
from planner.errors import Issue, ScenarioError
from planner.io.csv_sections import resolve_csv
from planner.io.files import InputFileError, ReadOptions, read_input
from planner.io.guard import Input, scenario_inputs
from planner.io.model_errors import pydantic_issues
from planner.io.overrides import OVERRIDE_FILE, apply_overrides, overrides_with_issues
from planner.io.salvage import chunked_cross_checks, cross_checks
from planner.io.sourcemap import SourceMap
from planner.io.validate import check
from planner.io.yaml_doc import parse_yaml

__all__ = [
    "LoadedScenario", "apply_overrides", "load_scenario", "load_scenario_text",
    "read_scenario", "read_scenario_text",
]


@dataclass
class LoadedScenario:
    """A valid scenario with the warnings found and where each value came from."""

    scenario: Scenario
    warnings: list[Issue]
    source: SourceMap
    #: the ``path=value`` overrides applied (recorded in plans made from it)
    overrides: list[str] = field(default_factory=list)
    #: the files read: the scenario file (when read from one) and its CSV files
    inputs: list[Input] = field(default_factory=list)


def read_scenario_text(
    text: str, base_dir: str | Path = ".", filename: str = "<string>",
    overrides: Iterable[str] = (), yaml_file: str | Path | None = None,
    options: ReadOptions | None = None,
) -> LoadedScenario:
    """Read, resolve CSV files, apply overrides, validate and cross-check a scenario.

    Parameters
    ----------
    text
        The YAML document.
    base_dir
        Directory CSV file names are relative to.
    filename
        Name used in messages.
    overrides
        ``path=value`` strings, see :func:`apply_overrides`.
    yaml_file
        The file the text was read from (an input the run must not write over).
    options
        Which CSV files may be read and how large (:mod:`planner.io.files`; default:
        the environment, else files under ``base_dir`` of at most 200 MB each).

    Raises
    ------
    ScenarioError
        With every error found.
    """

    with _gc_paused():
        return _read(text, base_dir, filename, overrides, yaml_file, options)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a scenario is read.

    Reading creates millions of objects that all live on; each collection would scan
    them all again (a million staff rows validated three times faster without it).
    Afterwards the objects are put straight into the oldest generation (``freeze``
    then ``unfreeze``, both documented and O(1)) rather than all scanned by the first
    young collection, and the collector's previous state is restored.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was:
            gc.enable()


def _read(text: str, base_dir: str | Path, filename: str, overrides: Iterable[str],
          yaml_file: str | Path | None, options: ReadOptions | None) -> LoadedScenario:
    source = SourceMap(filename)
    data = parse_yaml(text, filename, source)
    if not isinstance(data, dict):
        got = "an empty document" if data is None else f"a {type(data).__name__}"
        raise ScenarioError([Issue(
            filename, None, None,
            f"the top level must be a mapping (name:, horizon:, ...), got {got}", 1 if data
            is not None else None,
        )])
    csv_files: list[Path] = []
    issues = resolve_csv(data, Path(base_dir), filename, source, csv_files, options)
    overrides = list(overrides)
    if overrides:
        data, bad = overrides_with_issues(data, overrides, source, copy=False)
        issues += bad
    return validate_document(data, source, filename, issues, overrides,
                             scenario_inputs(yaml_file, csv_files, home=base_dir))


def validate_document(
    data: dict[str, Any], source: SourceMap, filename: str, issues: Iterable[Issue] = (),
    overrides: Iterable[str] = (), inputs: Iterable[Input] = (),
) -> LoadedScenario:
    """Validate a raw document whose ``{csv: ...}`` sections are already resolved.

    Runs the pydantic models (a long staff list in chunks, see :func:`_validate`),
    derives objective weights and contributions (:func:`planner.gather.derive.derive`)
    and the cross-entity checks. ``issues`` are errors already found (e.g. while
    reading CSV files); ``filename`` is the main file, listed first; ``overrides``
    are the ``path=value`` strings already applied to ``data`` (recorded in the
    result); ``inputs`` the files read (see :class:`LoadedScenario`).

    Raises
    ------
    ScenarioError
        With every error found.
    """
    from planner.gather.derive import derive  # planner.gather imports planner.io

    issues = list(issues)
    scenario, more, across = _validate(data, source)
    if scenario is None:
        # a cell already reported while reading a CSV is not reported again
        seen = {(i.file, i.line, i.field) for i in issues}
        more = [i for i in more if (i.file, i.line, i.field) not in seen]
        # every mistake at once: the checks across items run on what did validate
        raise ScenarioError(_ordered(issues + more + across, filename)) from None
    scenario, found = derive(scenario, source)
    found += check(scenario, source)
    errors = issues + [i for i in found if i.is_error]
    if errors:
        raise ScenarioError(_ordered(errors, filename))
    return LoadedScenario(scenario, [i for i in found if not i.is_error], source,
                          list(overrides), list(inputs))


#: staff rows validated at a time: each chunk's raw rows are dropped once validated
STAFF_CHUNK = 20_000
_PEOPLE = TypeAdapter(list[Person])


def _validate(data: dict[str, Any], source: SourceMap
              ) -> tuple[Scenario | None, list[Issue], list[Issue]]:
    """The scenario, or None, every model error located and the errors of the checks
    across items on what did validate (:mod:`planner.io.salvage`).

    A long staff list is validated in chunks apart from the rest, and each chunk's
    raw rows are dropped as soon as its people exist, so a million staff rows are
    not held twice over (the raw rows of a chunk with errors are kept for the
    messages).
    """
    rows = data.get("staff")
    chunked = isinstance(rows, list) and len(rows) > STAFF_CHUNK
    if chunked:
        data["staff"] = []
    scenario = None
    issues: list[Issue] = []
    errors: list[tuple[int, ValidationError]] = []  # (offset in staff or -1, error)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors.append((-1, exc))
    if not chunked:
        if not errors:
            return scenario, [], []
        whole = errors[0][1]
        return None, pydantic_issues(whole, data, source), cross_checks(data, whole, source)
    assert isinstance(rows, list)
    people: list[Person] = []
    for start in range(0, len(rows), STAFF_CHUNK):
        try:
            people += _PEOPLE.validate_python(rows[start:start + STAFF_CHUNK])
        except ValidationError as exc:
            errors.append((start, exc))
            continue
        rows[start:start + STAFF_CHUNK] = [None] * len(rows[start:start + STAFF_CHUNK])
    data["staff"] = rows
    for at, err in errors:
        if at >= 0:
            issues += pydantic_issues(err, data, source, prefix=("staff",), offset=at)
        else:
            issues += pydantic_issues(err, data, source)
    if issues or scenario is None:
        bad = {at for at, _ in errors if at >= 0}
        rest_error = next((err for at, err in errors if at < 0), None)
        return None, issues, chunked_cross_checks(data, rest_error, people, bad, STAFF_CHUNK,
                                                  source)
    scenario.staff = people
    return scenario, [], []


def _ordered(issues: list[Issue], main_file: str) -> list[Issue]:
    """The main file first, then the others; by line within a file."""
    return sorted(issues, key=lambda i: (i.file != main_file, i.file != OVERRIDE_FILE,
                                         i.file, i.line or 0))


def read_scenario(path: str | Path, overrides: Iterable[str] = (),
                  options: ReadOptions | None = None) -> LoadedScenario:
    """Read a scenario file; see :func:`read_scenario_text`.

    Only a regular file within the size limit is read (:mod:`planner.io.files`).

    Raises
    ------
    ScenarioError
        When the file cannot be read or the scenario is invalid.
    """
    path = Path(path)
    name = str(path)
    options = options or ReadOptions.from_env()
    try:
        raw = read_input(path, options)
    except FileNotFoundError:
        raise ScenarioError([Issue(name, None, None, "file not found")]) from None
    except IsADirectoryError:
        raise ScenarioError([Issue(name, None, None, "is a directory, not a YAML file")]) from None
    except InputFileError as exc:
        raise ScenarioError([Issue(name, None, None, str(exc))]) from None
    except OSError as exc:
        raise ScenarioError([Issue(name, None, None,
                                   f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Issue(name, None, None,
                                   f"not UTF-8 text ({exc.reason}); save it as UTF-8")]) from None
    return read_scenario_text(text, path.parent, name, overrides, yaml_file=path,
                              options=options)


def load_scenario(path: str | Path, overrides: Iterable[str] = (),
                  options: ReadOptions | None = None) -> Scenario:
    """Load and fully validate a scenario file (warnings are dropped; see :func:`read_scenario`).

    Raises
    ------
    ScenarioError
        With every error found, each naming file, item, field and line.
    """
    return read_scenario(path, overrides, options).scenario


def load_scenario_text(
    text: str, base_dir: str | Path = ".", filename: str = "<string>",
    overrides: Iterable[str] = (),
) -> Scenario:
    """Load and fully validate a scenario given as YAML text.

    CSV file names are relative to ``base_dir``; see :func:`read_scenario_text`.
    """
    return read_scenario_text(text, base_dir, filename, overrides).scenario
