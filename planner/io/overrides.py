"""``--set path=value`` overrides, applied to the raw document before validation."""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any

import yaml

from models.scenario import Scenario
from planner.errors import Issue, ScenarioError
from planner.io.model_errors import keys_of, unwrap
from planner.io.sourcemap import Path_, SourceMap, suggest
from planner.io.yaml_doc import SafeLoader, yaml_issue

#: File name used for errors located in ``--set`` overrides.
OVERRIDE_FILE = "--set"


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
    out, issues = overrides_with_issues(data, overrides, source)
    if issues:
        raise ScenarioError(issues)
    return out


def overrides_with_issues(
    data: dict[str, Any], overrides: Iterable[str], source: SourceMap | None,
    copy: bool = True,
) -> tuple[dict[str, Any], list[Issue]]:
    """Apply the overrides (to a deep copy of ``data``, or in place with ``copy=False``,
    which spares copying a million staff rows); return the document and the issues."""
    out = deepcopy(data) if copy else data
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
    for k, it in enumerate(items):  # items without ids by name: phases (issue 15)
        if isinstance(it, dict) and "id" not in it and str(it.get("name")) == seg:
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
        value = yaml.load(raw, Loader=SafeLoader)  # noqa: S506 - SafeLoader is a SafeLoader
    except yaml.YAMLError as exc:
        return f"cannot read the value as YAML: {yaml_issue(exc, '').message}", dotted_path
    except (ValueError, RecursionError) as exc:
        return f"cannot read the value: {exc}", dotted_path
    node: Any = data
    kind, target = "model", Scenario
    for k, seg in enumerate(segments):
        last = k == len(segments) - 1
        where = ".".join(segments[:k]) or "the scenario"
        if kind == "model":
            keys = keys_of(target)
            if seg not in keys:
                return f"unknown key '{seg}' in {where}{suggest(seg, keys)}", dotted_path
            if not isinstance(node, dict):
                return f"{where} is not a mapping", dotted_path
            next_kind, next_target = unwrap(target.model_fields[keys[seg]].annotation)
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
                ids = [str(it.get("id", it.get("name"))) for it in node
                       if isinstance(it, dict) and ("id" in it or "name" in it)]
                return (f"no item '{seg}' in {where}{suggest(seg, ids)}"
                        if ids else f"no item '{seg}' in {where}"), dotted_path
            if last:
                node[idx] = value
                return None, dotted_path
            node = node[idx]
            kind, target = unwrap(target)
        elif kind == "dict":
            if not isinstance(node, dict):
                return f"{where} is not a mapping", dotted_path
            if last:
                node[seg] = value
                return None, dotted_path
            node = node.setdefault(seg, {})
            kind, target = unwrap(target)
        else:
            return f"{where} is a single value; it has no '{seg}'", dotted_path
    return None, dotted_path  # pragma: no cover - the loop always returns
