"""PSPLIB j30 both ways: a plan at the optimal makespan, a proof of infeasibility one shorter.

Each instance becomes a scenario (every job a mandatory initiative, each
resource a unit of one-skill people, horizon = deadline = H; see
``tests/psplib.py``) and is decided twice, at H = the published optimum (a plan
must exist) and at H = optimum - 1 (none may exist). Two modes:

* ``engine``: :func:`planner.backends.cpsat.cpsat_schedule` in this process
  (compile, build, CP-SAT, LP staffing). At the optimum it stops at the first
  plan (``gap=1``); the plan's makespan and its column vector (every row of the
  model) are checked.
* ``e2e``: ``planner solve`` in a child process, the way a user runs it (the
  default solve: the model's shape sends these instances to CP-SAT), with
  ``--time-limit`` the target's limit, which bounds the whole command from the
  start of the process. At the optimum ``--gap 1`` (any plan answers the
  question: stop at the first), exit 0 expected, then ``planner check`` must
  accept the plan; at optimum - 1 exit 3 expected. Wall times include the
  interpreter start, the imports, loading and writing the plan (a second or
  more on a loaded machine); ``solve_s`` is the command's own total from
  ``plan.json``.

    python benchmarks/psplib.py --subset issue                # the 12 of issue 19
    python benchmarks/psplib.py --mode e2e                     # all 480, as a user runs them
    python benchmarks/psplib.py --subset 40 --mode engine      # every 40th instance
    python benchmarks/psplib.py --subset j3013_2,j309_7 --mode e2e

Targets (issue 19): a plan at the optimum within 10 s for 480 of 480, a proof at
optimum - 1 within 30 s for at least 470. Timings on a shared machine are noisy:
say so when you quote them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `planner` and `tests` importable
    sys.path.insert(0, str(ROOT))

from tests import psplib  # noqa: E402

#: the full set, next to the repository (its README: do not copy it into the project)
SHARED = ROOT.parent / "shared" / "data" / "psplib"
#: the twelve instances of the table in issue 19, one per parameter class 1, 5, ..., 45
ISSUE = ["j301_1", "j305_3", "j309_7", "j3013_2", "j3017_9", "j3021_4", "j3025_6",
         "j3029_10", "j3033_5", "j3037_8", "j3041_1", "j3045_2"]
FEASIBLE_LIMIT = 10.0
INFEASIBLE_LIMIT = 30.0
PROOFS_NEEDED = 470


@dataclass
class Row:
    """One instance decided one way in one mode."""

    instance: str
    opt: int
    mode: str  # engine | e2e
    horizon: int
    expect: str  # plan | infeasible
    outcome: str  # plan | infeasible | no_plan | wrong | error
    seconds: float  # wall time of the call (e2e: of the child process)
    limit: float
    first_plan: float | None = None  # seconds into the search (engine) or the solve (e2e)
    solve_s: float | None = None  # e2e plans: solve() alone (plan.json run.timings.total)
    makespan: int | None = None
    check: str = "-"  # e2e plans: planner check's verdict
    message: str = ""

    @property
    def ok(self) -> bool:
        """Decided the right way (within the time limit given)."""
        return self.outcome == self.expect and self.check in ("-", "ok")


def choose(subset: str | None, data: Path) -> list[str]:
    """Instance names: all, ``issue``, ``bundled``, every k-th (``--subset k``) or a list."""
    names = psplib.instances(data)
    if not subset:
        return names
    if subset == "issue":
        return [n for n in ISSUE if n in names]
    if subset == "bundled":
        return psplib.instances()
    if subset.isdigit():
        return names[:: int(subset)]
    wanted = subset.split(",")
    missing = [n for n in wanted if n not in names]
    if missing:
        raise SystemExit(f"unknown instance(s): {', '.join(missing)}")
    return wanted


def run_engine(name: str, opt: int, horizon: int, limit: float, workers: int,
               data_dir: Path) -> Row:
    """Decide one instance in this process through :func:`cpsat_schedule`."""
    from models.scenario import Scenario
    from planner.backends.cpsat import cpsat_schedule
    from planner.backends.staffing_lp import violations
    from planner.formulation.build import build
    from planner.problem.data import compile_problem

    expect = "plan" if horizon == opt else "infeasible"
    t0 = time.perf_counter()
    try:
        data = compile_problem(Scenario.model_validate(psplib.scenario(name, horizon,
                                                                       data_dir)))
        f = build(data)
        arrays = f.model.arrays()
        res = cpsat_schedule(data, limit - (time.perf_counter() - t0), workers=workers,
                             formulation=f, arrays=arrays, gap=1.0)
    except Exception as exc:  # noqa: BLE001 - a row, not a crash of the whole run
        return Row(name, opt, "engine", horizon, expect, "error",
                   time.perf_counter() - t0, limit, message=f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - t0
    row = Row(name, opt, "engine", horizon, expect, "no_plan", seconds, limit,
              message=res.message)
    if res.proved_infeasible:
        row.outcome = "infeasible"
    elif res.starts is not None and res.x is not None:
        row.outcome = "plan"
        row.first_plan = res.stats.get("first_plan")
        row.makespan = max(s + data.initiatives[i].duration for i, s in res.starts.items())
        bad = violations(arrays, res.x)
        if bad or row.makespan > horizon or len(res.starts) != len(data.initiatives):
            row.outcome, row.message = "wrong", f"plan breaks {bad[:3]} or its deadline"
    if row.outcome != expect and row.outcome in ("plan", "infeasible"):
        row.outcome = "wrong"
    return row


def run_e2e(name: str, opt: int, horizon: int, limit: float, data_dir: Path) -> Row:
    """Decide one instance with ``planner solve`` (and ``planner check``) in child processes."""
    import json

    import yaml

    expect = "plan" if horizon == opt else "infeasible"
    with tempfile.TemporaryDirectory(prefix="psplib-") as tmp:
        path = Path(tmp) / f"{name}_{horizon}.yaml"
        path.write_text(yaml.safe_dump(psplib.scenario(name, horizon, data_dir)))
        out = Path(tmp) / "plan"
        cmd = [sys.executable, "-m", "planner.cli", "solve", str(path), "--out", str(out),
               "--time-limit", str(limit), "-q"]
        if horizon == opt:
            cmd += ["--gap", "1"]  # any plan will do: stop at the first
        t0 = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + 120)
            code, err = done.returncode, (done.stderr or done.stdout).strip()
        except subprocess.TimeoutExpired:
            code, err = -1, f"killed after {limit + 120:.0f} s"
        seconds = time.perf_counter() - t0
        row = Row(name, opt, "e2e", horizon, expect, "error", seconds, limit,
                  message=err.splitlines()[0][:200] if err else "")
        if code == 0:
            row.outcome = "plan"
            plan = json.loads((out / "plan.json").read_text())
            row.first_plan = plan["run"]["timings"].get("first_plan")
            row.solve_s = plan["run"]["timings"].get("total")
            row.makespan = max(
                int(line.split(",")[4])
                for line in (out / "portfolio.csv").read_text().splitlines()[1:]
            )
            check = subprocess.run([sys.executable, "-m", "planner.cli", "check", str(path),
                                    str(out)], capture_output=True, text=True)
            row.check = "ok" if check.returncode == 0 else "fail"
        elif code == 3:
            row.outcome = "infeasible"
        elif code == 5:
            row.outcome = "no_plan"
    if row.outcome != expect and row.outcome in ("plan", "infeasible"):
        row.outcome = "wrong"
    return row


def summary(rows: list[Row]) -> str:
    """Counts and times per mode and way, the slowest instances, and the issue table."""
    lines = []
    for mode in sorted({r.mode for r in rows}):
        for expect, limit_name in (("plan", "feasible"), ("infeasible", "infeasible")):
            rs = [r for r in rows if r.mode == mode and r.expect == expect]
            if not rs:
                continue
            ok = [r for r in rs if r.ok and r.seconds <= r.limit]
            late = [r for r in rs if r.ok and r.seconds > r.limit]
            times = [r.seconds for r in rs]
            outcomes: dict[str, int] = {}
            for r in rs:
                outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
            lines.append(
                f"{mode:6s} {limit_name:10s}: {len(ok)}/{len(rs)} within {rs[0].limit:g} s"
                f" (+{len(late)} right but late); outcomes {outcomes}; "
                f"time total {sum(times):.1f} s, median {statistics.median(times):.2f} s, "
                f"max {max(times):.2f} s"
            )
            solves = [r.solve_s for r in rs if r.solve_s is not None]
            if solves:
                lines.append(f"    solve() alone (plans, from plan.json): median "
                             f"{statistics.median(solves):.2f} s, max {max(solves):.2f} s")
            slow = sorted(rs, key=lambda r: -r.seconds)[:8]
            lines.append("    slowest: " + ", ".join(
                f"{r.instance} {r.seconds:.1f}s{'' if r.ok else ' (' + r.outcome + ')'}"
                for r in slow))
    table = [n for n in ISSUE if any(r.instance == n for r in rows)]
    if table:
        lines.append("")
        lines.append("| instance (optimum) | mode | at the optimum | at optimum-1 |")
        lines.append("|---|---|---|---|")
        for n in table:
            for mode in sorted({r.mode for r in rows}):
                got = {r.expect: r for r in rows if r.instance == n and r.mode == mode}
                if not got:
                    continue
                cells = []
                for expect in ("plan", "infeasible"):
                    r = got.get(expect)
                    if r is None:
                        cells.append("-")
                        continue
                    word = {"plan": "plan", "infeasible": "proof"}.get(r.outcome, r.outcome)
                    if r.check == "fail":
                        word += " (check failed)"
                    cells.append(f"{word}, {r.seconds:.2f} s")
                opt = next(iter(got.values())).opt
                lines.append(f"| {n} ({opt}) | {mode} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None,
                    help="PSPLIB folder (j30opt.sm, j30/*.sm) [default: ../shared/data/"
                         "psplib when present, else tests/data/psplib]")
    ap.add_argument("--subset", default=None,
                    help="'issue', 'bundled', every k-th instance (k), or names a,b,c")
    ap.add_argument("--mode", default="engine,e2e", help="engine, e2e or both")
    ap.add_argument("--ways", default="feasible,infeasible",
                    help="feasible (H = optimum), infeasible (H = optimum - 1) or both")
    ap.add_argument("--workers", type=int, default=2,
                    help="CP-SAT workers (threads) of the engine mode")
    ap.add_argument("--feasible-limit", type=float, default=FEASIBLE_LIMIT)
    ap.add_argument("--infeasible-limit", type=float, default=INFEASIBLE_LIMIT)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "psplib.csv",
                    help="CSV the rows are appended to")
    args = ap.parse_args(argv)
    data = args.data or (SHARED if (SHARED / "j30opt.sm").exists() else psplib.PSPLIB)
    names = choose(args.subset, data)
    modes = args.mode.split(",")
    ways = args.ways.split(",")
    run_id = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    print(f"{len(names)} instances from {data}; modes {modes}; {args.workers} workers; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus", flush=True)
    rows: list[Row] = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    new = not args.out.exists()
    with args.out.open("a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["run_id", *Row.__dataclass_fields__, "load"])
        if new:
            w.writeheader()
        for name in names:
            opt = psplib.optimum(name, data)
            for way in ways:
                horizon = opt if way == "feasible" else opt - 1
                limit = args.feasible_limit if way == "feasible" else args.infeasible_limit
                for mode in modes:
                    if mode == "engine":
                        row = run_engine(name, opt, horizon, limit, args.workers, data)
                    else:
                        row = run_e2e(name, opt, horizon, limit, data)
                    rows.append(row)
                    w.writerow({"run_id": run_id, **asdict(row),
                                "load": round(os.getloadavg()[0], 2)})
                    fh.flush()
                    print(f"{name:9s} H={horizon:<4d} {row.mode:6s} {row.outcome:10s} "
                          f"{row.seconds:6.2f} s"
                          + ("" if row.ok else f"  <- expected {row.expect}: {row.message}"),
                          flush=True)
    print()
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
