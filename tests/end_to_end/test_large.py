"""Large input: the XL benchmark organisation (20,000 staff, 1,500 initiatives).

It loads and validates in seconds, and solves (with a modest time limit) within
4 GiB of memory. Slow: run with ``pytest -m slow``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.io.load import read_scenario

pytestmark = pytest.mark.slow

GIB = 1024**3
#: seconds allowed to load and validate XL (it takes a few on a laptop)
VALIDATE_LIMIT = 30.0
SOLVE_TIME_LIMIT = "60"

def _tree_rss(pid: int) -> int:
    """Resident bytes of process ``pid`` and all its descendants now (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def _run_measuring_memory(cmd: list[str]) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``cmd``; the peak of the summed resident memory of it and its children.

    The solve runs the MIP in a second process beside the search, so the figure that
    matters is the two together, sampled every 0.1 s.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), peak


@pytest.fixture(scope="module")
def xl(tmp_path_factory) -> Path:
    from benchmarks.generate import generate, write

    folder = tmp_path_factory.mktemp("xl")
    write(generate("XL", seed=0), folder)
    return folder / "scenario.yaml"


def test_xl_loads_and_validates_in_seconds(xl):
    t0 = time.perf_counter()
    loaded = read_scenario(xl)
    seconds = time.perf_counter() - t0
    assert len(loaded.scenario.staff) == 20_000
    assert len(loaded.scenario.initiatives) == 1_500
    assert seconds < VALIDATE_LIMIT, f"load + validate took {seconds:.1f} s"


def test_xl_solves_within_4_gib(xl, tmp_path):
    out = tmp_path / "plan"
    cmd = [sys.executable, "-m", "planner.cli", "solve", str(xl), "--out", str(out),
           "--quiet", "--time-limit", SOLVE_TIME_LIMIT]
    # measured on a fresh process tree so that the test runner's own memory does not count
    proc, peak = _run_measuring_memory(cmd)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert peak < 4 * GIB, f"peak RSS {peak / GIB:.2f} GiB"
    run = json.loads((out / "plan.json").read_text(encoding="utf-8"))["run"]
    assert run["status"] in ("optimal", "feasible")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < 4 * GIB
