"""Time and peak memory of reading and validating a very large scenario (issue 20, item 8).

Generates an organisation with ``--staff`` people (default 1,000,000) in 100 units
with 1,500 initiatives (``generate.py`` XL shape, more staff), written as
``scenario.yaml`` + CSV files under ``--instances`` (kept and reused), then runs
``planner validate`` (reading, validating, the capacity table; output discarded)
in a fresh child process and reports its wall time after imports, its CPU time
and its peak resident memory (``ru_maxrss`` of the child). Targets: under 20 s
and 2 GB for 1,000,000 staff rows.

``--solve SECONDS`` also times a ``planner solve`` with that time limit (peak memory
summed over the solve's processes is not measured here: see ``run.py``).
``--profile`` runs the validation in this process under cProfile and prints the
20 most expensive functions (cumulative), to see what dominates.

The machine is shared: run it when the machine is quiet, or read the figures as
upper bounds.

    python benchmarks/resources.py                      # 1M staff: validate time, peak memory
    python benchmarks/resources.py --staff 200000 --profile
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` and `planner` importable
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 20.0
TARGET_GB = 2.0


def instance(staff: int, seed: int, folder: Path) -> Path:
    """The scenario file of the instance, generated once."""
    from benchmarks.generate import generate, write

    target = folder / f"resources-{staff}-{seed}"
    path = target / "scenario.yaml"
    if not path.is_file():
        t0 = time.perf_counter()
        write(generate("XL", seed=seed, staff=staff), target)
        print(f"generated {target} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def _child(path: str) -> None:
    """Run ``planner validate path`` in this process (output discarded); print one JSON
    line with its time after imports, its CPU time and the peak memory."""
    import contextlib
    import io

    t0 = time.perf_counter()
    from planner.cli import main

    calib = _calibrate()
    t1, c1 = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main.main(["validate", path], standalone_mode=False)
    t2, c2 = time.perf_counter(), time.process_time()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"import_s": t1 - t0, "validate_s": t2 - t1, "cpu_s": c2 - c1,
                      "peak_gb": peak_kb / 1e6, "exit": code or 0,
                      "calibration_s": min(calib, _calibrate())}))


def _calibrate() -> float:
    """CPU seconds of a fixed pure-Python loop: how slow a core is right now (shared
    machines inflate CPU time too)."""
    c = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i & 7
    return time.process_time() - c


def measure(path: Path) -> dict[str, float]:
    """Validate in a fresh child process; its wall time (after imports) and peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--child", str(path)], check=True,
                         capture_output=True, text=True, env={**os.environ,
                                                             "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def solve_time(path: Path, seconds: float) -> float:
    """Wall time of ``planner solve --time-limit seconds`` into a temporary folder."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "planner.cli", "solve", str(path), "--out",
                        str(Path(tmp) / "plan"), "--time-limit", str(seconds), "-q"],
                       check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return time.perf_counter() - t0


def profile(path: Path) -> None:
    """cProfile of one validation, top 20 functions by cumulative time."""
    import cProfile
    import pstats

    from planner.io.load import read_scenario

    prof = cProfile.Profile()
    prof.runcall(read_scenario, path)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(20)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--staff", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--instances", type=Path, default=HERE / "instances")
    ap.add_argument("--repeat", type=int, default=1, help="measurements (the best is shown)")
    ap.add_argument("--solve", type=float, default=None, metavar="SECONDS")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    path = instance(args.staff, args.seed, args.instances)
    size_mb = sum(f.stat().st_size for f in path.parent.iterdir()) / 1e6
    if args.profile:
        profile(path)
        return 0
    runs = [measure(path) for _ in range(max(args.repeat, 1))]
    best = min(runs, key=lambda r: r["validate_s"])
    ok_t = best["validate_s"] < TARGET_SECONDS  # wall: CPU time only tells under load
    ok_m = max(r["peak_gb"] for r in runs) < TARGET_GB
    print(f"{args.staff:,} staff rows ({size_mb:,.0f} MB of input): planner validate "
          f"{best['validate_s']:.1f} s wall, {best['cpu_s']:.1f} s CPU (target < "
          f"{TARGET_SECONDS:g} s: "
          f"{'met' if ok_t else 'MISSED'}), peak memory {best['peak_gb']:.2f} GB "
          f"(target < {TARGET_GB:g} GB: {'met' if ok_m else 'MISSED'}); imports "
          f"{best['import_s']:.1f} s; load average {os.getloadavg()[0]:.1f}; calibration "
          f"loop {best['calibration_s']:.2f} s CPU")
    if args.solve is not None:
        print(f"solve --time-limit {args.solve:g}: {solve_time(path, args.solve):.1f} s wall")
    return 0 if ok_t and ok_m else 1


if __name__ == "__main__":
    raise SystemExit(main())
