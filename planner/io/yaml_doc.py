"""YAML text -> a plain document, safely, with the line of every value recorded.

Only plain data is read (no object tags); duplicate keys are errors; documents whose
aliases expand to more than :data:`MAX_VALUES` values are refused (alias bombs).
"""

from __future__ import annotations

from typing import Any

import yaml

from planner.errors import Issue, ScenarioError
from planner.io.sourcemap import Path_, SourceMap

#: Refuse documents whose aliases expand to more values than this (alias bombs).
MAX_VALUES = 2_000_000


class SafeLoader(yaml.SafeLoader):
    """Safe loader: plain data only (object tags such as !!python/object are refused)."""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def yaml_issue(exc: yaml.YAMLError, filename: str) -> Issue:
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
    loader: SafeLoader, node: yaml.Node, filename: str, source: SourceMap
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
    loader = SafeLoader(text)
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
        raise ScenarioError([yaml_issue(exc, filename)]) from None
    except RecursionError:
        raise ScenarioError(
            [Issue(filename, None, None, "invalid YAML: nested too deeply", None)]
        ) from None
    except ValueError as exc:  # e.g. an impossible date such as 2027-02-30
        raise ScenarioError([Issue(filename, None, None, f"invalid YAML: {exc}", None)]) from None
    finally:
        loader.dispose()
    return data
