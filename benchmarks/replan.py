"""Re-planning mid-year against planning fresh: wall-clock time and plan quality, once each.

    python benchmarks/replan.py --size M --seed 0 --time-limit 60

Generates the organisation (``generate.py``; kept in ``benchmarks/instances/<size>-<seed>/``
like ``run.py``'s), plans the year fresh with ``--time-limit``, then re-plans it as of
the middle period (``--as-of``, default: period T/2 + 1, e.g. 2027-07) with the fresh
plan as the baseline and the same time limit, and prints for both: wall-clock seconds
of ``planner.solve`` (the scenario is loaded once, before either), status, gap, model
size. The two runs share the machine with whatever else runs on it: on a shared
machine, repeat before reading much into a few seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` and `planner` importable
    sys.path.insert(0, str(ROOT))


def instance(size: str, seed: int, folder: Path) -> Path:
    """The scenario file of ``size``/``seed`` in ``folder`` (generated once)."""
    from benchmarks.generate import generate, write

    target = folder / f"{size}-{seed}"
    path = target / "scenario.yaml"
    if not path.exists():
        write(generate(size, seed), target)
    return path


def row(name: str, seconds: float, result: object) -> str:
    plan = result.plan  # type: ignore[attr-defined]
    if plan is None:
        return f"{name:8} {seconds:8.1f} s  {result.status.value}"  # type: ignore[attr-defined]
    run = plan.run
    gap = "-" if run.gap is None else f"{run.gap:.2%}"
    m = run.model
    return (f"{name:8} {seconds:8.1f} s  {run.status:9} gap {gap:>7}  objective "
            f"{run.objective:12.6g}  columns {m.get('columns', 0):6}  rows {m.get('rows', 0):6}"
            f"  binaries {m.get('binaries', 0):5}  chosen {len(plan.selected)}")


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="M")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--as-of", default=None, help="period label (default: mid-year)")
    ap.add_argument("--instances", type=Path, default=ROOT / "benchmarks" / "instances")
    args = ap.parse_args(argv)

    from planner import api
    from planner.io.load import read_scenario
    from planner.problem.calendar import Calendar

    path = instance(args.size, args.seed, args.instances)
    loaded = read_scenario(path)
    labels = Calendar(loaded.scenario.horizon).labels
    as_of = args.as_of or labels[len(labels) // 2]
    t = time.perf_counter()
    fresh = api.solve(loaded, time_limit=args.time_limit, seed=args.seed)
    t_fresh = time.perf_counter() - t
    print(row("fresh", t_fresh, fresh), flush=True)
    if fresh.plan is None:
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        base = fresh.write(Path(tmp) / "base")
        t = time.perf_counter()
        again = api.solve(loaded, baseline=base, as_of=as_of, time_limit=args.time_limit,
                          seed=args.seed)
        t_again = time.perf_counter() - t
    print(row(f"as of {as_of}", t_again, again), flush=True)
    print(f"re-plan / fresh: {t_again / t_fresh:.2f} x the wall-clock time "
          f"(--time-limit {args.time_limit:g} each; shared machine: noisy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
