"""Run every command of README.md and check its excerpts, so the README cannot drift.

``python docs/readme_examples.py`` (and ``tests/docs/test_readme.py``) copies
``scenarios/`` into a temporary folder, runs the README's commands there in order and
compares each excerpt with what the commands printed or wrote. Markers in the README
are HTML comments, invisible on GitHub:

``<!-- run -->`` (or ``<!-- run: exit=N -->``)
    the next ```` ```bash ```` block: every line starting with ``planner`` is run (a
    trailing ``# comment`` is dropped, ``> FILE`` sends its output to FILE) and must
    exit 0 (or N).
``<!-- output -->``
    the next fenced block is an excerpt of what the last command printed.
``<!-- file: PATH -->``
    the next fenced block is an excerpt of the file PATH (in the work folder).

In an excerpt, lines match in order; a line ``...`` skips any lines, a line ending in
``...`` matches a line that starts with the rest, any other line must equal a line
(trailing spaces ignored, and runs of spaces count as one, so column widths may vary).
Keep excerpts few and free of timings.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"<!--\s*(run(?::\s*exit=(?P<exit>\d+))?|output|file:\s*(?P<path>\S+))"
                    r"\s*-->")
FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass
class Step:
    """One marked block of the README."""

    kind: str  # "run", "output" or "file"
    line: int  # line of the marker in the README
    body: list[str]
    path: str = ""
    exit: int = 0  # the exit code every command of a run block must end with


def steps(text: str) -> list[Step]:
    """The marked blocks of a README, in order."""
    lines = text.splitlines()
    out: list[Step] = []
    k = 0
    while k < len(lines):
        m = MARKER.search(lines[k])
        if not m:
            k += 1
            continue
        start = k + 1
        while start < len(lines) and not FENCE.match(lines[start]):
            start += 1
        end = start + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        kind = "file" if m["path"] else m[1].split(":")[0]
        out.append(Step(kind, k + 1, lines[start + 1:end], m["path"] or "",
                        int(m["exit"] or 0)))
        k = end + 1
    return out


def commands(step: Step) -> list[str]:
    """The ``planner ...`` lines of a run block, without trailing comments."""
    out = []
    for line in step.body:
        line = line.split(" #", 1)[0].strip()
        if line.startswith("planner "):
            out.append(line)
    return out


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip())


def missing(excerpt: list[str], actual: str) -> list[str]:
    """Excerpt lines not found (in order) in ``actual``; empty when the excerpt holds."""
    have = [_norm(x) for x in actual.splitlines()]
    pos = 0
    for raw in excerpt:
        want = _norm(raw)
        if want in ("", "..."):
            continue
        prefix = want.endswith("...")
        key = want[:-3].rstrip() if prefix else want
        for k in range(pos, len(have)):
            if (have[k].startswith(key) if prefix else have[k] == key):
                pos = k + 1
                break
        else:
            return [raw]
    return []


def run_readme(readme: Path, workdir: Path) -> list[str]:
    """Run the README's commands in ``workdir``; the problems found (empty: all good)."""
    shutil.copytree(ROOT / "scenarios", workdir / "scenarios", dirs_exist_ok=True)
    planner = Path(sys.executable).with_name("planner")
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1", TERM="dumb")
    problems: list[str] = []
    last = ""
    for step in steps(readme.read_text(encoding="utf-8")):
        where = f"{readme.name}:{step.line}"
        if step.kind == "run":
            for cmd in commands(step):
                argv = shlex.split(cmd)
                argv[0] = str(planner) if planner.exists() else "planner"
                into = None
                if ">" in argv:
                    into, argv = argv[argv.index(">") + 1], argv[:argv.index(">")]
                if into is not None:
                    r = subprocess.run(argv, cwd=workdir, env=env, capture_output=True,
                                       text=True, check=False)
                    (workdir / into).write_text(r.stdout, encoding="utf-8")
                    last = r.stdout + r.stderr
                else:  # stdout and stderr as they came, in order
                    r = subprocess.run(argv, cwd=workdir, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True, check=False)
                    last = r.stdout
                if r.returncode != step.exit:
                    problems.append(f"{where}: `{cmd}` exited {r.returncode}:\n{last[-2000:]}")
        elif step.kind == "output":
            bad = missing(step.body, last)
            if bad:
                problems.append(f"{where}: the output has no line '{bad[0]}'; it was:\n{last}")
        else:
            target = workdir / step.path
            if not target.exists():
                problems.append(f"{where}: {step.path} was not written")
                continue
            actual = target.read_text(encoding="utf-8-sig")
            bad = missing(step.body, actual)
            if bad:
                head = "\n".join(actual.splitlines()[:12])
                problems.append(f"{where}: {step.path} has no line '{bad[0]}'; it starts:\n{head}")
    return problems


def main() -> int:
    """Command line: run the README's examples, print the problems, exit 1 if any."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readme", type=Path, default=ROOT / "README.md")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        problems = run_readme(args.readme, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            problems = run_readme(args.readme, Path(tmp))
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
