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

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.scenario import Scenario
from planner.errors import Issue, ScenarioError
from planner.io.csv_sections import resolve_csv
from planner.io.model_errors import pydantic_issues
from planner.io.overrides import OVERRIDE_FILE, apply_overrides, overrides_with_issues
from planner.io.salvage import cross_checks
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


def read_scenario_text(
    text: str, base_dir: str | Path = ".", filename: str = "<string>",
    overrides: Iterable[str] = (),
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

    Raises
    ------
    ScenarioError
        With every error found.
    """
    source = SourceMap(filename)
    data = parse_yaml(text, filename, source)
    if not isinstance(data, dict):
        got = "an empty document" if data is None else f"a {type(data).__name__}"
        raise ScenarioError([Issue(
            filename, None, None,
            f"the top level must be a mapping (name:, horizon:, ...), got {got}", 1 if data
            is not None else None,
        )])
    issues = resolve_csv(data, Path(base_dir), filename, source)
    overrides = list(overrides)
    if overrides:
        data, bad = overrides_with_issues(data, overrides, source)
        issues += bad
    return validate_document(data, source, filename, issues, overrides)


def validate_document(
    data: dict[str, Any], source: SourceMap, filename: str, issues: Iterable[Issue] = (),
    overrides: Iterable[str] = (),
) -> LoadedScenario:
    """Validate a raw document whose ``{csv: ...}`` sections are already resolved.

    Runs the pydantic models, derives objective weights and contributions
    (:func:`planner.gather.derive.derive`) and the cross-entity checks. ``issues``
    are errors already found (e.g. while reading CSV files); ``filename`` is the
    main file, listed first; ``overrides`` are the ``path=value`` strings already
    applied to ``data`` (recorded in the result).

    Raises
    ------
    ScenarioError
        With every error found.
    """
    from planner.gather.derive import derive  # planner.gather imports planner.io

    issues = list(issues)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        # a cell already reported while reading a CSV is not reported again
        seen = {(i.file, i.line, i.field) for i in issues}
        more = [i for i in pydantic_issues(exc, data, source)
                if (i.file, i.line, i.field) not in seen]
        # every mistake at once: the checks across items run on what did validate
        raise ScenarioError(_ordered(issues + more + cross_checks(data, exc, source),
                                     filename)) from None
    scenario, found = derive(scenario, source)
    found += check(scenario, source)
    errors = issues + [i for i in found if i.is_error]
    if errors:
        raise ScenarioError(_ordered(errors, filename))
    return LoadedScenario(scenario, [i for i in found if not i.is_error], source,
                          list(overrides))


def _ordered(issues: list[Issue], main_file: str) -> list[Issue]:
    """The main file first, then the others; by line within a file."""
    return sorted(issues, key=lambda i: (i.file != main_file, i.file != OVERRIDE_FILE,
                                         i.file, i.line or 0))


def read_scenario(path: str | Path, overrides: Iterable[str] = ()) -> LoadedScenario:
    """Read a scenario file; see :func:`read_scenario_text`.

    Raises
    ------
    ScenarioError
        When the file cannot be read or the scenario is invalid.
    """
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Issue(name, None, None, "file not found")]) from None
    except IsADirectoryError:
        raise ScenarioError([Issue(name, None, None, "is a directory, not a YAML file")]) from None
    except OSError as exc:
        raise ScenarioError([Issue(name, None, None,
                                   f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Issue(name, None, None,
                                   f"not UTF-8 text ({exc.reason}); save it as UTF-8")]) from None
    return read_scenario_text(text, path.parent, name, overrides)


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Load and fully validate a scenario file (warnings are dropped; see :func:`read_scenario`).

    Raises
    ------
    ScenarioError
        With every error found, each naming file, item, field and line.
    """
    return read_scenario(path, overrides).scenario


def load_scenario_text(
    text: str, base_dir: str | Path = ".", filename: str = "<string>",
    overrides: Iterable[str] = (),
) -> Scenario:
    """Load and fully validate a scenario given as YAML text.

    CSV file names are relative to ``base_dir``; see :func:`read_scenario_text`.
    """
    return read_scenario_text(text, base_dir, filename, overrides).scenario
