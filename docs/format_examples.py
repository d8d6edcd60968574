"""Validate every YAML example of docs/scenario-format.md, so the page cannot teach an error.

``python docs/format_examples.py`` (and ``tests/docs/test_scenario_format.py``) reads the
page's fenced blocks, each announced by an HTML comment (invisible on GitHub):

``<!-- scenario: NAME.yaml -->``
    the next ```` ```yaml ```` block is a complete scenario; it is saved as NAME.yaml in
    a temporary folder and must load (``planner.io.load.read_scenario``) without error
    or warning.
``<!-- fragment: NAME.yaml -->``
    the next ```` ```yaml ```` block is part of a scenario: it is laid over the scenario
    NAME.yaml (mappings merged key by key, anything else replaced) and the result must
    load without error or warning.
``<!-- data: FILE -->``
    the next fenced block is saved as FILE (a CSV file a scenario names) before any
    scenario is loaded.
``<!-- set: NAME.yaml -->``
    every ``--set PATH=VALUE`` of the next ```` ```bash ```` block must apply to NAME.yaml
    and the result must load (warnings allowed: a what-if may well squeeze the plan).

A ```` ```yaml ```` block without a ``scenario`` or ``fragment`` comment, and a block
without a language that nothing announces, are problems too: every YAML example on the
page is checked (other blocks say their language: ```` ```text ````, ```` ```csv ````).
"""

from __future__ import annotations

import argparse
import copy
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from planner.errors import ScenarioError  # noqa: E402
from planner.io.load import read_scenario  # noqa: E402

DOC = ROOT / "docs" / "scenario-format.md"
MARKER = re.compile(r"^<!--\s*(?P<kind>scenario|fragment|data|set):\s*(?P<name>\S+)\s*-->$")
FENCE = re.compile(r"^```(?P<lang>\w*)\s*$")


@dataclass
class Block:
    """A fenced block of the page with the comment announcing it (if any)."""

    line: int  # line of the opening fence
    lang: str
    body: str
    kind: str = ""  # scenario, fragment, data, set or "" (not announced)
    name: str = ""


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page, in order."""
    lines = text.splitlines()
    out: list[Block] = []
    pending: re.Match[str] | None = None
    k = 0
    while k < len(lines):
        stripped = lines[k].strip()
        m = MARKER.match(stripped)
        if m:
            pending = m
            k += 1
            continue
        f = FENCE.match(stripped)
        if f:
            end = k + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            body = "\n".join(lines[k + 1:end]) + "\n"
            out.append(Block(k + 1, f["lang"], body, pending["kind"] if pending else "",
                             pending["name"] if pending else ""))
            pending = None
            k = end + 1
            continue
        if stripped:
            pending = None  # a comment announces the block right after it only
        k += 1
    return out


def overlay(base: Any, part: Any) -> Any:
    """``part`` laid over ``base``: mappings merged key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(part, dict):
        out = dict(base)
        for key, value in part.items():
            out[key] = overlay(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(part)


def _load(path: Path, overrides: list[str] | None = None, warnings: bool = True) -> str | None:
    """None when ``path`` loads (without warnings, unless ``warnings`` is False); else what
    is wrong."""
    try:
        loaded = read_scenario(path, overrides or [])
    except ScenarioError as exc:
        return str(exc)
    if warnings and loaded.warnings:  # an example teaches: it should not need a warning
        return "warnings:\n" + "\n".join(f"  {w}" for w in loaded.warnings)
    return None


def check_examples(doc: Path, workdir: Path) -> list[str]:
    """Check every announced block of ``doc`` in ``workdir``; the problems (empty: all good)."""
    found = blocks(doc.read_text(encoding="utf-8"))
    problems: list[str] = []
    scenarios: dict[str, str] = {}
    for b in found:
        where = f"{doc.name}:{b.line}"
        if b.lang in ("yaml", "") and b.kind not in ("scenario", "fragment", "data", "set"):
            problems.append(f"{where}: a {'yaml' if b.lang else 'bare'} block without "
                            "<!-- scenario: NAME.yaml --> or <!-- fragment: NAME.yaml -->: "
                            "every YAML example is checked (mark other blocks ```text)")
        elif b.lang == "yaml" and b.kind not in ("scenario", "fragment"):
            problems.append(f"{where}: a yaml block marked {b.kind}: only scenario and "
                            "fragment blocks are YAML")
        elif b.kind == "data":
            target = workdir / b.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(b.body, encoding="utf-8")
        elif b.kind == "scenario":
            if b.name in scenarios:
                problems.append(f"{where}: scenario {b.name} is defined twice")
            scenarios[b.name] = b.body
    for name, body in scenarios.items():
        (workdir / name).write_text(body, encoding="utf-8")
    for b in found:
        where = f"{doc.name}:{b.line}"
        if b.kind == "scenario":
            err = _load(workdir / b.name)
            if err:
                problems.append(f"{where}: scenario {b.name} does not load:\n{err}")
        elif b.kind in ("fragment", "set") and b.name not in scenarios:
            problems.append(f"{where}: no scenario {b.name} on the page")
        elif b.kind == "fragment":
            try:
                part = yaml.safe_load(b.body)
            except yaml.YAMLError as exc:
                problems.append(f"{where}: invalid YAML: {exc}")
                continue
            whole = overlay(yaml.safe_load(scenarios[b.name]), part)
            target = workdir / f"fragment-{b.line}.yaml"
            target.write_text(yaml.safe_dump(whole, sort_keys=False, allow_unicode=True),
                              encoding="utf-8")
            err = _load(target)
            if err:
                problems.append(f"{where}: the fragment over {b.name} does not load:\n{err}")
        elif b.kind == "set":
            sets = _sets(b.body)
            if not sets:
                problems.append(f"{where}: no --set in the block")
            for text in sets:
                err = _load(workdir / b.name, [text], warnings=False)
                if err:
                    problems.append(f"{where}: --set {text} on {b.name} fails:\n{err}")
    return problems


def _sets(body: str) -> list[str]:
    """The ``--set`` values of the command lines of a bash block."""
    out = []
    for line in body.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line:
            continue
        argv = shlex.split(line)
        out += [argv[k + 1] for k, a in enumerate(argv[:-1]) if a == "--set"]
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: check the page's examples, print the problems, exit 1 if any."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--doc", type=Path, default=DOC, help="the page (default: %(default)s)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        problems = check_examples(args.doc, Path(tmp))
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
