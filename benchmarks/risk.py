"""Benchmark: a risk run and a frontier sweep on Dask with 1, 2 and 4 workers.

Generates the M organisation (1,000 staff, 150 initiatives) with an
``uncertainty:`` section, makes its greedy plan, then, on local Dask clusters
of 1, 2 and 4 worker processes (one thread each):

* ``planner risk``: ``--samples`` samples (default 1,000) of the plan;
* ``planner frontier``: ``--points`` budgets (default 40) from half to 1.5x the
  scenario's budget, each point a greedy solve (``--frontier-time-limit S``
  makes them MIP solves of S seconds instead).

It prints, from this one run, the seconds each took (cluster start-up and the
workers' first imports apart) and the speed-up against one worker, and checks
that every configuration gave the same tables as the run in this process (the
frontier: as the first cluster, unless ``--frontier-reference``).
Worker processes cannot use more cores than the machine has: on 2 cores, 4
workers cannot be faster than 2.

    python benchmarks/risk.py
    python benchmarks/risk.py --samples 1000 --points 40 --workers 1,2,4
    python benchmarks/risk.py --skip-frontier          # the risk run only (about a minute)
    python benchmarks/risk.py --scheduler tcp://10.0.0.5:8786   # a real cluster
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` and `planner` importable
    sys.path.insert(0, str(ROOT))

UNCERTAINTY: dict[str, Any] = {
    "effort": {"low": 0.8, "high": 1.5},
    "slip": {1: 0.1},
    "attrition": 0.12,
    "backfill": 3,
    "availability_noise": 0.03,
}


def _warm() -> bool:
    """Import what the pieces need, so that the timings leave imports out."""
    import planner.analysis.frontier  # noqa: F401
    import planner.analysis.risk  # noqa: F401
    import planner.solving  # noqa: F401

    return True


def _start(workers: int, scheduler: str | None = None) -> tuple[Any, Any]:
    from planner.analysis.parallel import connect

    client, cluster = connect(workers, scheduler=scheduler)
    client.run(_warm)
    return client, cluster


def _load() -> str:
    """The 1-minute load average (the machine may be shared: figures under load are noise)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # pragma: no cover - not on Unix
        return "-"


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="M")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--points", type=int, default=40)
    ap.add_argument("--workers", default="1,2,4", help="comma-separated cluster sizes")
    ap.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="time the cluster of this Dask scheduler (tcp://host:8786) instead "
                         "of local clusters (its workers must have planner installed)")
    ap.add_argument("--frontier-time-limit", type=float, default=None,
                    help="MIP solves of this many seconds per point (default: greedy points)")
    ap.add_argument("--skip-frontier", action="store_true")
    ap.add_argument("--frontier-reference", action="store_true",
                    help="also solve the frontier in this process (the check then compares "
                         "every cluster with it, not with the first cluster size)")
    args = ap.parse_args(argv)
    sizes = [0] if args.scheduler else [int(w) for w in args.workers.split(",")]

    from rich.console import Console
    from rich.table import Table

    import planner.analysis.frontier as fr
    from benchmarks.generate import generate, write
    from planner.analysis.risk import assess
    from planner.io.load import load_scenario
    from planner.solving import Settings, solve

    console = Console()
    data = generate(args.size, args.seed)
    data["uncertainty"] = UNCERTAINTY
    with tempfile.TemporaryDirectory() as tmp:
        sc = load_scenario(write(data, Path(tmp)))
    plan, t_plan = _timed(solve, sc, Settings(strategy="greedy"))
    console.print(f"{args.size}: {len(sc.staff)} staff, {len(sc.initiatives)} initiatives, "
                  f"greedy plan of {len(plan.selected)} initiatives in {t_plan:.1f} s; "
                  f"{os.cpu_count()} cores")

    rows: list[tuple[str, str, float | None, float, str, str]] = []
    reference, t_ref = _timed(assess, plan, args.samples, args.seed)
    rows.append(("risk", "in process", None, t_ref, "reference", _load()))
    budget = float(sc.policy.budget or 1_000_000.0)
    budgets = [round(budget * (0.5 + k / max(args.points - 1, 1)), 2)
               for k in range(args.points)]
    settings: dict[str, Any] = ({"time_limit": args.frontier_time_limit}
                                if args.frontier_time_limit else {"strategy": "greedy"})
    front_ref = None
    if not args.skip_frontier and args.frontier_reference:
        (front_ref, _plans), t_front = _timed(fr.sweep, sc, budgets, settings=settings,
                                              workers=1)
        rows.append(("frontier", "in process", None, t_front, "reference", _load()))

    times: dict[tuple[str, int], float] = {}
    for w in sizes:
        (client, cluster), t_start = _timed(_start, w, args.scheduler)
        if args.scheduler:  # a real cluster: as many workers as it has
            w = len(client.scheduler_info().get("workers", {}))
            sizes = [w]
        try:
            got, t = _timed(assess, plan, args.samples, args.seed, client=client)
            same = all(f.equals(got.tables()[n]) for n, f in reference.tables().items())
            times[("risk", w)] = t
            rows.append(("risk", str(w), t_start, t, "same tables" if same else "DIFFERENT",
                         _load()))
            if not args.skip_frontier:
                (table, _p), t = _timed(fr.sweep, sc, budgets, settings=settings, client=client)
                first = front_ref is None
                front_ref = table if front_ref is None else front_ref
                same = bool(front_ref.equals(table))
                times[("frontier", w)] = t
                rows.append(("frontier", str(w), None, t,
                             "reference" if first else ("same table" if same else "DIFFERENT"),
                             _load()))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    out = Table(title=f"Dask speed-ups ({args.samples} samples, {args.points} frontier points)")
    for col in ("task", "workers", "cluster start s", "run s", "speed-up vs 1 worker", "check",
                "load after"):
        out.add_column(col, justify="left" if col in ("task", "check") else "right")
    for task, who, start, t, check, load in rows:
        base = times.get((task, sizes[0]))
        ratio = f"{base / t:.2f}x" if who.isdigit() and base else "-"
        out.add_row(task, who, "-" if start is None else f"{start:.1f}", f"{t:.1f}", ratio, check,
                    load)
    console.print(out)
    if (os.cpu_count() or 1) < max(sizes):
        console.print(f"note: {os.cpu_count()} cores: more worker processes than cores cannot "
                      "be faster (they share the cores); on a shared machine every figure is "
                      "noisy.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
