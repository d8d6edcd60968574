"""pydantic validation errors -> located :class:`~planner.errors.Issue` (file, item, field, line).

Also knows which model sits at a document path (:func:`model_at`, :func:`keys_of`),
which the overrides use to suggest the closest valid key.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from models.scenario import Scenario
from planner.errors import Issue
from planner.io.sourcemap import Path_, SourceMap, describe, raw_id_of, suggest


def unwrap(annotation: Any) -> tuple[str, Any]:
    """Classify an annotation: model, list, dict (with the inner type) or scalar."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if origin is list:
        return "list", typing.get_args(annotation)[0]
    if origin is dict:
        return "dict", typing.get_args(annotation)[1]
    args = typing.get_args(annotation)
    if args and origin is not typing.Literal:  # a union: prefer a container member
        kinds = [unwrap(a) for a in args if a is not type(None)]
        for kind in ("model", "list", "dict"):
            for k in kinds:
                if k[0] == kind:
                    return k
    return "scalar", None


def keys_of(model: type[BaseModel]) -> dict[str, str]:
    """Keys accepted by a model: key as written -> field name."""
    out = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = name
    return out


def model_at(path: Sequence[Any]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path`` (None if not a model)."""
    kind, target = "model", Scenario
    for p in path:
        if kind == "model":
            keys = keys_of(target)
            name = keys.get(str(p)) or (str(p) if str(p) in target.model_fields else None)
            if name is None:
                return None
            kind, target = unwrap(target.model_fields[name].annotation)
        elif kind in ("list", "dict"):
            kind, target = unwrap(target)
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
        model = model_at(path[:-1])
        keys = list(keys_of(model)) if model is not None else []
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
