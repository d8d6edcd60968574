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

import copy
import math
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from models.scenario import Scenario
from planner.errors import Issue, ScenarioError
from planner.io.csv_sections import resolve_csv
from planner.io.sourcemap import (  # noqa: F401 - re-exported for callers of planner.io.load
    LIST_SECTIONS,
    STRATEGY_SECTIONS,
    Location,
    Path_,
    SourceMap,
    describe,
    dotted,
    item_label,
    raw_id_of,
    suggest,
)

#: Refuse documents whose aliases expand to more values than this (alias bombs).
MAX_VALUES = 2_000_000
#: File name used for errors located in ``--set`` overrides.
OVERRIDE_FILE = "--set"


# --------------------------------------------------------------------------- YAML


class _Loader(yaml.SafeLoader):
    """Safe loader: plain data only (object tags such as !!python/object are refused)."""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _yaml_issue(exc: yaml.YAMLError, filename: str) -> Issue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = int(mark.line) + 1 if mark is not None else None
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        text = f"{context}, {problem}" if context else str(problem)
    else:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "could not determine a constructor for the tag" in text:
        tag = text.split("tag", 1)[1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        text = f"the tag {tag} is not allowed: a scenario holds plain data only"
    return Issue(filename, None, None, f"invalid YAML: {text}", line)


def _expanded_size(node: yaml.Node) -> int:
    """Number of values the node expands to (aliases counted each time); -1 on recursion."""
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        if key in active:
            return -1
        active.add(key)
        total = 1
        children: list[yaml.Node] = []
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                children += [k, v]
        elif isinstance(n, yaml.SequenceNode):
            children = list(n.value)
        for c in children:
            s = size(c)
            if s < 0:
                return -1
            total += s
            if total > MAX_VALUES:
                break
        active.discard(key)
        memo[key] = total
        return total

    return size(node)


def _duplicate_keys(node: yaml.Node, filename: str) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            keys: set[tuple[str, str]] = set()
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    sig = (k.tag, k.value)
                    if sig in keys:
                        issues.append(
                            Issue(filename, None, None, f"duplicate key '{k.value}'", _line(k))
                        )
                    keys.add(sig)
                stack += [k, v]
        elif isinstance(n, yaml.SequenceNode):
            stack += list(n.value)
    return issues


def _record_lines(
    loader: _Loader, node: yaml.Node, filename: str, source: SourceMap
) -> None:
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path_]] = [(node, ())]
    while stack:
        n, path = stack.pop()
        if id(n) in seen:  # an alias: its lines are those of the anchor
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                try:
                    key = loader.construct_object(k)
                except Exception:  # noqa: BLE001 - a key we cannot read is reported elsewhere
                    continue
                sub = path + (str(key),)
                source.set(sub, filename, _line(k))
                stack.append((v, sub))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                sub = path + (i,)
                source.set(sub, filename, _line(v))
                stack.append((v, sub))


def parse_yaml(text: str, filename: str, source: SourceMap) -> Any:
    """Parse YAML safely, recording the line of every key and list item in ``source``.

    Raises
    ------
    ScenarioError
        On syntax errors, refused tags, duplicate keys or alias bombs.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node)
        if size < 0:
            raise ScenarioError(
                [Issue(filename, None, None, "invalid YAML: an alias refers to itself", None)]
            )
        if size > MAX_VALUES:
            raise ScenarioError([Issue(
                filename, None, None,
                f"the document expands to more than {MAX_VALUES:,} values (aliases); "
                "refusing to read it", None,
            )])
        dups = _duplicate_keys(node, filename)
        if dups:
            raise ScenarioError(dups)
        data = loader.construct_document(node)
        _record_lines(loader, node, filename, source)
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_issue(exc, filename)]) from None
    except RecursionError:
        raise ScenarioError(
            [Issue(filename, None, None, "invalid YAML: nested too deeply", None)]
        ) from None
    except ValueError as exc:  # e.g. an impossible date such as 2027-02-30
        raise ScenarioError([Issue(filename, None, None, f"invalid YAML: {exc}", None)]) from None
    finally:
        loader.dispose()
    return data

# --------------------------------------------------------------------------- models


def _unwrap(annotation: Any) -> tuple[str, Any]:
    """Classify an annotation: model, list, dict (with the inner type) or scalar."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if origin is list:
        return "list", typing.get_args(annotation)[0]
    if origin is dict:
        return "dict", typing.get_args(annotation)[1]
    args = typing.get_args(annotation)
    if args and origin is not typing.Literal:  # a union: prefer a container member
        kinds = [_unwrap(a) for a in args if a is not type(None)]
        for kind in ("model", "list", "dict"):
            for k in kinds:
                if k[0] == kind:
                    return k
    return "scalar", None


def _keys_of(model: type[BaseModel]) -> dict[str, str]:
    """Keys accepted by a model: key as written -> field name."""
    out = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = name
    return out


def _model_at(path: Sequence[Any]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path`` (None if not a model)."""
    kind, target = "model", Scenario
    for p in path:
        if kind == "model":
            keys = _keys_of(target)
            name = keys.get(str(p)) or (str(p) if str(p) in target.model_fields else None)
            if name is None:
                return None
            kind, target = _unwrap(target.model_fields[name].annotation)
        elif kind in ("list", "dict"):
            kind, target = _unwrap(target)
        else:
            return None
    return target if kind == "model" else None


def _clean_loc(loc: Sequence[Any], data: Any, missing: bool) -> Path_:
    """Drop the parts of a pydantic loc that are not in the document (union tags)."""
    out: list[str | int] = []
    cur = data
    for k, el in enumerate(loc):
        last = k == len(loc) - 1
        if isinstance(cur, dict):
            match = next((key for key in cur if key == el or str(key) == str(el)), _NOKEY)
            if match is not _NOKEY:
                out.append(str(match))
                cur = cur[match]
            elif last and missing:
                out.append(str(el))
        elif isinstance(cur, list) and isinstance(el, int) and 0 <= el < len(cur):
            out.append(el)
            cur = cur[el]
    return tuple(out)


_NOKEY = object()


def _friendly(err: dict[str, Any], path: Path_) -> str:
    kind = err["type"]
    msg = str(err["msg"])
    value = err.get("input")
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        keys = list(_keys_of(model)) if model is not None else []
        return f"unknown key '{path[-1]}'{suggest(str(path[-1]), keys)}" + (
            f" (valid keys: {', '.join(keys)})" if keys and not suggest(str(path[-1]), keys)
            else ""
        )
    if kind == "missing":
        return "required field is missing"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"should be a mapping of keys to values, got {_show(value)}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value}"
    if kind == "string_type":
        return f"should be text, got {_show(value)}"
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    if isinstance(value, dict | list):
        return msg
    return f"{msg}, got {_show(value)}"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(messages: list[str]) -> str:
    """Merge the messages of the members of a union into one."""
    unique = list(dict.fromkeys(messages))
    if len(unique) == 1:
        return unique[0]
    stem = "Input should be "
    if all(m.startswith(stem) for m in unique):
        parts = [m[len(stem):] for m in unique]
        got = ""
        tails = {p.rsplit(", got ", 1)[1] for p in parts if ", got " in p}
        if len(tails) == 1:
            got = ", got " + tails.pop()
            parts = [p.rsplit(", got ", 1)[0] for p in parts]
        return stem + " or ".join(parts) + got
    return "; or ".join(unique)


def pydantic_issues(exc: ValidationError, data: Any, source: SourceMap) -> list[Issue]:
    """Turn every pydantic error into a located :class:`Issue`."""
    groups: dict[Path_, list[str]] = {}
    for err in exc.errors(include_url=False):
        path = _clean_loc(err["loc"], data, err["type"] == "missing")
        groups.setdefault(path, []).append(_friendly(dict(err), path))
    id_of = raw_id_of(data)
    issues = []
    for path, messages in groups.items():
        loc = source.locate(path)
        item, fld = describe(path, id_of)
        issues.append(Issue(loc.file, item, fld, _join(messages), loc.line))
    return issues


# --------------------------------------------------------------------------- overrides


def apply_overrides(
    data: dict[str, Any], overrides: Iterable[str], source: SourceMap | None = None
) -> dict[str, Any]:
    """Apply ``path=value`` overrides to a raw scenario document.

    The path is dotted: ``policy.budget=800000``, ``initiatives.crm.mandatory=true``,
    ``staff.p001.availability.2027-08=0.5``. List items are addressed by id (or by
    position, ``run_the_business.0.hours=100``). The value is read as YAML, so
    ``true``, ``12``, ``[a, b]`` and ``null`` work.

    Returns a new document (``data`` is not changed). When ``source`` is given, the
    overridden paths are recorded as coming from ``--set``.

    Raises
    ------
    ScenarioError
        Listing every override whose path is unknown or whose value is not YAML.
    """
    out, issues = _apply_overrides(data, overrides, source)
    if issues:
        raise ScenarioError(issues)
    return out


def _apply_overrides(
    data: dict[str, Any], overrides: Iterable[str], source: SourceMap | None
) -> tuple[dict[str, Any], list[Issue]]:
    out = copy.deepcopy(data)
    issues = []
    for text in overrides:
        err, path = _apply_one(out, text)
        if err is not None:
            issues.append(Issue(OVERRIDE_FILE, None, path or None, f"'{text}': {err}"))
        elif source is not None:
            source.replace(path_tuple(out, path), OVERRIDE_FILE)
    return out, issues


def path_tuple(data: Any, dotted_path: str) -> Path_:
    """Resolve a dotted override path to a document path (ids -> list positions)."""
    out: list[str | int] = []
    cur = data
    for seg in dotted_path.split("."):
        if isinstance(cur, list):
            k = _find_item(cur, seg)
            out.append(k if k is not None else seg)
            cur = cur[k] if k is not None else None
        else:
            out.append(seg)
            cur = cur.get(seg) if isinstance(cur, dict) else None
    return tuple(out)


def _find_item(items: list[Any], seg: str) -> int | None:
    for k, it in enumerate(items):
        if isinstance(it, dict) and "id" in it and str(it["id"]) == seg:
            return k
    if seg.isdigit() and int(seg) < len(items):
        return int(seg)
    return None


def _apply_one(data: dict[str, Any], text: str) -> tuple[str | None, str]:
    if "=" not in text:
        return "expected PATH=VALUE, e.g. policy.budget=800000", ""
    dotted_path, _, raw = text.partition("=")
    dotted_path = dotted_path.strip()
    segments = dotted_path.split(".")
    if not dotted_path or any(s == "" for s in segments):
        return "the path is empty or has an empty part", dotted_path
    try:
        value = yaml.load(raw, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        return f"cannot read the value as YAML: {_yaml_issue(exc, '').message}", dotted_path
    except (ValueError, RecursionError) as exc:
        return f"cannot read the value: {exc}", dotted_path
    node: Any = data
    kind, target = "model", Scenario
    for k, seg in enumerate(segments):
        last = k == len(segments) - 1
        where = ".".join(segments[:k]) or "the scenario"
        if kind == "model":
            keys = _keys_of(target)
            if seg not in keys:
                return f"unknown key '{seg}' in {where}{suggest(seg, keys)}", dotted_path
            if not isinstance(node, dict):
                return f"{where} is not a mapping", dotted_path
            next_kind, next_target = _unwrap(target.model_fields[keys[seg]].annotation)
            if last:
                node[seg] = value
                return None, dotted_path
            child = node.get(seg)
            if child is None:
                child = [] if next_kind == "list" else {}
                node[seg] = child
            node, kind, target = child, next_kind, next_target
        elif kind == "list":
            if not isinstance(node, list):
                return f"{where} is not a list", dotted_path
            idx = _find_item(node, seg)
            if idx is None:
                ids = [str(it["id"]) for it in node if isinstance(it, dict) and "id" in it]
                return (f"no item '{seg}' in {where}{suggest(seg, ids)}"
                        if ids else f"no item '{seg}' in {where}"), dotted_path
            if last:
                node[idx] = value
                return None, dotted_path
            node = node[idx]
            kind, target = _unwrap(target)
        elif kind == "dict":
            if not isinstance(node, dict):
                return f"{where} is not a mapping", dotted_path
            if last:
                node[seg] = value
                return None, dotted_path
            node = node.setdefault(seg, {})
            kind, target = _unwrap(target)
        else:
            return f"{where} is a single value; it has no '{seg}'", dotted_path
    return None, dotted_path  # pragma: no cover - the loop always returns


# --------------------------------------------------------------------------- entry points


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
    from planner.io.validate import check  # validate imports this module

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
        data, bad = _apply_overrides(data, overrides, source)
        issues += bad
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        # a cell already reported while reading a CSV is not reported again
        seen = {(i.file, i.line, i.field) for i in issues}
        more = [i for i in pydantic_issues(exc, data, source)
                if (i.file, i.line, i.field) not in seen]
        raise ScenarioError(_ordered(issues + more, filename)) from None
    found = check(scenario, source)
    errors = issues + [i for i in found if i.is_error]
    if errors:
        raise ScenarioError(_ordered(errors, filename))
    return LoadedScenario(scenario, [i for i in found if not i.is_error], source, overrides)


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
