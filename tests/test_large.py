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

from planner.load import read_scenario

pytestmark = pytest.mark.slow

GIB = 1024**3
#: seconds allowed to load and validate XL (it takes a few on a laptop)
VALIDATE_LIMIT = 30.0
SOLVE_TIME_LIMIT = "60"

_CHILD = """
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
print(json.dumps({"code": proc.returncode, "peak": peak, "stderr": proc.stderr[-3000:]}))
"""


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
    # measured in a fresh process so that the test runner's own memory does not count
    proc = subprocess.run([sys.executable, "-c", _CHILD, *cmd], capture_output=True, text=True,
                          timeout=3600)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, report["stderr"]
    assert report["peak"] < 4 * GIB, f"peak RSS {report['peak'] / GIB:.2f} GiB"
    run = json.loads((out / "plan.json").read_text(encoding="utf-8"))["run"]
    assert run["status"] in ("optimal", "feasible")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < 4 * GIB
