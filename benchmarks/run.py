"""Benchmark runner: one run per size and backend, a table of times, sizes and quality.

Each (size, backend) run goes the way a user's does -- ``load_scenario`` ->
``solve`` -> ``write_plan`` -- in its own child process, so its peak memory and
import state are its own (HiGHS and OR-Tools never share a process) and a hard
wall-clock timeout (time limit + 120 s) can stop it. The LP relaxation bound is
computed in another child (compile + build + ``backend.solve(relax=True)``).
A run that fails (timeout, infeasible, crash) becomes a row with its error.

Instances are generated once per size and seed into
``benchmarks/instances/<size>-<seed>/`` (gitignored) and reused.

    python benchmarks/run.py --sizes S,M --backends highs,cbc
    python benchmarks/run.py --sizes S,M,L --time-limit 30 --out benchmarks/out/results.csv
    python benchmarks/run.py --scaling                 # staff 1k..8k at 150 initiatives

The tables are printed with rich (``--markdown`` prints them as Markdown for
the README); every row is appended to the CSV given by ``--out`` under a
``run_id`` so results can be tracked across commits.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` and `planner` importable
    sys.path.insert(0, str(ROOT))

#: Targets of issue 6: solver time limit (s), gap to best bound, peak memory (MiB).
TARGETS: dict[str, dict[str, float | None]] = {
    "S": {"limit": 60.0, "gap": None, "mem": None},
    "M": {"limit": 60.0, "gap": 0.01, "mem": None},
    "L": {"limit": 120.0, "gap": 0.02, "mem": None},
    "XL": {"limit": 600.0, "gap": 0.03, "mem": 4096.0},
}
#: Extra wall-clock seconds a child gets beyond its time limit before it is killed.
GRACE = 120.0  # --grace
#: Staff counts of ``--scaling``, at a fixed number of units and initiatives.
SCALING_STAFF = (1_000, 2_000, 4_000, 8_000)
SCALING_SHAPE = {"units": 20, "initiatives": 150}

#: CSV columns, in order (the runs table shows a subset).
FIELDS = [
    "run_id", "date", "git", "cpus", "mode", "instance", "size", "seed", "staff", "units",
    "initiatives", "backend", "time_limit", "status", "error",
    "load_s", "compile_s", "build_s", "greedy_s", "solve_s", "allocate_s", "write_s",
    "other_s", "timings", "e2e_s", "pipeline_s", "peak_mib", "peak_self_mib", "peak_children_mib",
    "columns", "rows", "binaries", "nonzeros",
    "objective", "bound", "gap", "greedy", "opt_over_greedy", "time_to_target_s",
    "lp_bound", "lp_via", "lp_s", "lp_build_s", "gap_to_lp",
    "target", "target_met",
]


# --------------------------------------------------------------------------- instances


@dataclass(frozen=True)
class Instance:
    """A generated scenario on disk."""

    name: str  # folder name, e.g. "M-0" or "scale-2000-0"
    size: str  # generator size the overrides start from
    seed: int
    overrides: tuple[tuple[str, int], ...] = ()

    def shape(self) -> dict[str, int]:
        """Staff, units and initiatives of the instance."""
        from benchmarks.generate import SIZES

        return {**SIZES[self.size], **dict(self.overrides)}


def ensure_instance(inst: Instance, root: Path) -> Path:
    """The instance's ``scenario.yaml``, generated (atomically) when missing."""
    folder = root / inst.name
    yaml_path = folder / "scenario.yaml"
    if yaml_path.exists():
        return yaml_path
    from benchmarks.generate import generate, write

    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{inst.name}.tmp-", dir=root))
    try:
        write(generate(inst.size, inst.seed, **dict(inst.overrides)), tmp)
        if folder.exists():  # a half-written folder from an interrupted run
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return yaml_path


# --------------------------------------------------------------------------- child side


def _peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its waited-for children (MiB, Linux)."""
    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0  # bytes vs KiB
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return own, kids


def _save(rec: dict[str, Any], path: Path | None) -> None:
    """Write the record so far (atomically), so a killed child still tells where it was."""
    if path is not None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(rec))
        tmp.replace(path)


def child_run(spec: dict[str, Any], result: Path | None = None) -> dict[str, Any]:
    """One user-path run: load -> solve -> write_plan into a temp folder."""
    from planner.errors import InfeasibleError, SolveError
    from planner.io.export import write_plan
    from planner.io.load import load_scenario
    from planner.solving import Settings, solve

    rec: dict[str, Any] = {"status": "error", "error": ""}
    target_gap = spec.get("target_gap")
    first_at_target: list[float] = []

    def progress(p: Any) -> None:
        if "solver_started_s" not in rec:  # first report: everything before is ours
            rec.update(stage="solve", solver_started_s=time.perf_counter() - t0 - p.elapsed)
            _save(rec, result)
        if target_gap is not None and not first_at_target and p.gap is not None \
                and p.gap <= target_gap:
            first_at_target.append(p.elapsed)

    t0 = time.perf_counter()
    try:
        t = time.perf_counter()
        scenario = load_scenario(spec["scenario"])
        rec.update(load_s=time.perf_counter() - t, stage="compile/build/greedy")
        _save(rec, result)
        plan = solve(scenario, Settings(backend=spec["backend"], time_limit=spec["time_limit"],
                                        seed=spec["seed"], progress=progress))
        run = plan.run
        tm = run.timings
        for k in ("compile", "build", "greedy", "solve", "allocate"):
            rec[f"{k}_s"] = tm.get(k)
        rec["timings"] = json.dumps(tm, sort_keys=True)  # every stage solve() reports
        rec.update({k: run.model.get(k) for k in ("columns", "rows", "binaries", "nonzeros")})
        rec.update(status=run.status, objective=run.objective, bound=run.bound, gap=run.gap,
                   greedy=run.greedy_objective, error=run.message if run.status != "optimal"
                   and "greedy baseline kept" in run.message else "")
        rec["stage"] = "write"
        _save(rec, result)
        with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
            t = time.perf_counter()
            write_plan(plan, Path(tmp) / "plan")
            rec["write_s"] = time.perf_counter() - t
        rec["e2e_s"] = time.perf_counter() - t0
        if first_at_target:
            rec["time_to_target_s"] = first_at_target[0]
        elif target_gap is not None and run.gap is not None and run.gap <= target_gap:
            rec["time_to_target_s"] = tm.get("solve")  # no progress reports: an upper bound
    except InfeasibleError as exc:
        rec.update(status="infeasible", error=str(exc).splitlines()[0][:200])
    except SolveError as exc:
        rec.update(status="no_solution", error=str(exc)[:200])
    except Exception as exc:  # noqa: BLE001 -- a benchmark records every failure as a row
        rec.update(status="error", error=f"{type(exc).__name__}: {exc}"[:200])
    rec.pop("stage", None)  # a final record; a partial one (child killed) keeps its stage
    own, kids = _peak_mib()
    rec.update(peak_self_mib=own, peak_children_mib=kids, peak_mib=own + kids)
    return rec


def child_lp(spec: dict[str, Any], result: Path | None = None) -> dict[str, Any]:
    """LP relaxation bound: compile_problem + build + ``backend.solve(relax=True)``."""
    from planner import backends
    from planner.backends.base import SolverOptions
    from planner.formulation.build import build
    from planner.io.load import load_scenario
    from planner.problem.data import compile_problem

    rec: dict[str, Any] = {}
    try:
        scenario = load_scenario(spec["scenario"])
        t = time.perf_counter()
        arrays = build(compile_problem(scenario)).model.arrays()
        rec["lp_build_s"] = time.perf_counter() - t
        _save({**rec, "stage": "lp solve"}, result)
        backend = backends.get(spec["backend"])
        t = time.perf_counter()
        res = backend.solve(arrays, SolverOptions(time_limit=spec["time_limit"],
                                                  seed=spec["seed"]), relax=True)
        rec["lp_s"] = time.perf_counter() - t
        rec["lp_bound"] = res.bound if res.status == "optimal" else None
        if res.status != "optimal":
            rec["lp_error"] = f"LP {res.status}: {res.message}"[:200]
    except Exception as exc:  # noqa: BLE001
        rec["lp_error"] = f"{type(exc).__name__}: {exc}"[:200]
    return rec


# --------------------------------------------------------------------------- parent side


def run_child(kind: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run ``kind`` (run | lp) in a fresh Python process; failures come back as records."""
    with tempfile.TemporaryDirectory(prefix="planner-bench-child-") as tmp:
        out = Path(tmp) / "result.json"
        err = Path(tmp) / "stderr.txt"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", kind,
               json.dumps(spec), "--result", str(out)]
        t = time.perf_counter()
        with err.open("w") as ferr:
            # own session: on timeout the whole group goes (CBC runs as a grandchild)
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=ferr,
                                    start_new_session=True, cwd=ROOT)
            try:
                rc = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                peak = _vm_hwm_mib(proc.pid)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                rec = json.loads(out.read_text()) if out.exists() else {}
                where = f" in stage '{rec['stage']}'" if rec.get("stage") else ""
                if rec.get("solver_started_s") is not None:
                    where += f" (solver started at {rec['solver_started_s']:.0f} s)"
                rec.update(status="timeout", error=f"killed after {timeout:.0f} s wall clock"
                           f"{where}", lp_error=f"LP killed after {timeout:.0f} s",
                           wall_s=time.perf_counter() - t)
                if peak is not None:
                    rec.update(peak_self_mib=peak, peak_mib=peak)
                return rec
        rec = json.loads(out.read_text()) if out.exists() else {"stage": "start"}
        if rc != 0 or "stage" in rec:
            tail = err.read_text(errors="replace").strip().splitlines()[-1:] or [""]
            why = f"exit code {rc}" + (f" (signal {-rc})" if rc < 0 else "")
            rec.update(status="crash", error=f"{why} in stage '{rec['stage']}': {tail[0]}"[:200]
                       if "stage" in rec else f"{why}: {tail[0]}"[:200],
                       lp_error=f"LP crashed: {why}")
        return rec


STAGES = ("load", "compile", "build", "greedy", "solve", "allocate", "write")


def _other(rec: dict[str, Any]) -> float | None:
    """e2e minus the named stages: stages solve() added since (e.g. 'improve')."""
    if rec.get("e2e_s") is None:
        return None
    return rec["e2e_s"] - sum(rec.get(f"{k}_s") or 0.0 for k in STAGES)


def _vm_hwm_mib(pid: int) -> float | None:
    """Peak resident memory so far of a live process (Linux), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return None
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0 or a < 0:
        return None
    return a / b


def check_target(rec: dict[str, Any], size: str | None) -> tuple[str, str]:
    """The size's target as text and whether this run met it (yes / no: why / n/a)."""
    if rec.get("status") not in ("optimal", "feasible"):
        return ("", f"no: {rec.get('status')}")
    tg = TARGETS.get(size or "", {"limit": None, "gap": None, "mem": None})
    parts, fails = [], []
    if tg["gap"] is not None:
        parts.append(f"gap<={tg['gap']:.0%} in {tg['limit']:.0f}s")
        gap = rec.get("gap")
        if gap is None or gap > tg["gap"] + 1e-12:
            fails.append("gap " + ("?" if gap is None else f"{gap:.2%}"))
        if tg["limit"] is not None and (rec.get("solve_s") or 0.0) > tg["limit"] * 1.05:
            fails.append(f"solve {rec['solve_s']:.0f}s")
    if tg["mem"] is not None:
        parts.append(f"<{tg['mem'] / 1024:.0f}GiB")
        if (rec.get("peak_mib") or 0.0) >= tg["mem"]:
            fails.append(f"peak {rec['peak_mib']:.0f}MiB")
    parts.append(">=greedy")
    g, obj = rec.get("greedy"), rec.get("objective")
    if g is not None and obj is not None and obj < g - 1e-9 * max(1.0, abs(g)):
        fails.append("below greedy")
    return (", ".join(parts), "yes" if not fails else "no: " + ", ".join(fails))


def measure(inst: Instance, scenario: Path, backends_: list[str], time_limit: float,
            seed: int, lp_via: str, mode: str, log: Any,
            grace: float = GRACE) -> list[dict[str, Any]]:
    """All runs of one instance: the LP bound(s), then one child per backend."""
    shape = inst.shape()
    size = inst.size if not inst.overrides else None
    tg = TARGETS.get(inst.size, {})
    lp: dict[str, dict[str, Any]] = {}
    lp_backends = ["highs"] if lp_via == "highs" else list(backends_)
    for b in lp_backends:
        log(f"[{inst.name}] LP relaxation with {b} ...")
        lp[b] = run_child("lp", {"scenario": str(scenario), "backend": b,
                                 "time_limit": time_limit, "seed": seed},
                          time_limit + grace)
    rows = []
    for b in backends_:
        log(f"[{inst.name}] {b}, time limit {time_limit:g} s ...")
        rec = run_child("run", {"scenario": str(scenario), "backend": b,
                                "time_limit": time_limit, "seed": seed,
                                "target_gap": tg.get("gap") if size else None},
                        time_limit + grace)
        via = "highs" if lp_via == "highs" else b
        lrec = lp.get(via, {})
        rec.update(mode=mode, instance=inst.name, size=inst.size if size else f"{inst.name}",
                   seed=inst.seed, backend=b, time_limit=time_limit,
                   lp_bound=lrec.get("lp_bound"), lp_via=via, lp_s=lrec.get("lp_s"),
                   lp_build_s=lrec.get("lp_build_s"), **shape)
        if lrec.get("lp_error"):
            rec["error"] = "; ".join(x for x in (rec.get("error"), lrec["lp_error"]) if x)
        if rec.get("e2e_s") is not None:
            rec["other_s"] = _other(rec)
            rec["pipeline_s"] = rec["e2e_s"] - (rec.get("solve_s") or 0.0)
        rec["opt_over_greedy"] = _ratio(rec.get("objective"), rec.get("greedy"))
        if rec.get("lp_bound") is not None and rec.get("objective"):
            rec["gap_to_lp"] = (rec["lp_bound"] - rec["objective"]) / max(
                abs(rec["objective"]), 1e-9)
        rec["target"], rec["target_met"] = check_target(rec, size)
        rows.append(rec)
        log(f"[{inst.name}] {b}: {rec.get('status')}, objective {_fmt(rec.get('objective'))}, "
            f"gap {_pct(rec.get('gap'))}, e2e {_fmt(rec.get('e2e_s'))} s")
    return rows


# --------------------------------------------------------------------------- output


def _fmt(x: Any, nd: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float):
        if abs(x) >= 1e4:
            return f"{x:,.0f}"
        return f"{x:.{nd}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2%}"


def _ratio_s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _tables(rows: list[dict[str, Any]], markdown: bool) -> list[Any]:
    from rich import box
    from rich.table import Table

    bx = box.MARKDOWN if markdown else box.SIMPLE_HEAD

    def table(title: str, cols: list[str]) -> Table:
        t = Table(title=title, box=bx, title_justify="left")
        for i, c in enumerate(cols):
            t.add_column(c, justify="left" if i < 2 else "right")
        return t

    t1 = table("Runs: time (s) and memory",
               ["size", "backend", "staff", "load", "compile", "build", "greedy", "solve",
                "alloc", "write", "other", "e2e", "peak MiB", "cols", "rows", "bins", "nnz"])
    for r in rows:
        t1.add_row(r["size"], r["backend"], _fmt(r.get("staff")), _fmt(r.get("load_s")),
                   _fmt(r.get("compile_s")), _fmt(r.get("build_s")), _fmt(r.get("greedy_s")),
                   _fmt(r.get("solve_s")), _fmt(r.get("allocate_s")), _fmt(r.get("write_s")),
                   _fmt(_other(r)),
                   _fmt(r.get("e2e_s")), _fmt(r.get("peak_mib"), 0), _fmt(r.get("columns")),
                   _fmt(r.get("rows")), _fmt(r.get("binaries")), _fmt(r.get("nonzeros")))
    t2 = table("Runs: quality",
               ["size", "backend", "status", "objective", "bound", "gap", "LP bound (via, s)",
                "obj/LP gap", "greedy", "opt/greedy", "t to target", "target met"])
    for r in rows:
        lp = "-" if r.get("lp_bound") is None else \
            f"{_fmt(r['lp_bound'], 2)} ({r.get('lp_via')}, {_fmt(r.get('lp_s'))})"
        t2.add_row(r["size"], r["backend"], r.get("status", ""), _fmt(r.get("objective"), 2),
                   _fmt(r.get("bound"), 2), _pct(r.get("gap")), lp, _pct(r.get("gap_to_lp")),
                   _fmt(r.get("greedy"), 2), _ratio_s(r.get("opt_over_greedy")),
                   _fmt(r.get("time_to_target_s")), r.get("target_met", ""))
    out = [t1, t2]
    errs = [r for r in rows if r.get("error")]
    if errs:
        t3 = table("Messages", ["size", "backend", "message"])
        for r in errs:
            t3.add_row(r["size"], r["backend"], r["error"])
        out.append(t3)

    by = {(r["size"], r["backend"]): r for r in rows}
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    bks = list(dict.fromkeys(r["backend"] for r in rows))
    if len(bks) > 1:
        t4 = table(f"Backend vs {bks[0]} (same instance)",
                   ["size", "backend", "objective ratio", "e2e ratio", "solve ratio",
                    "gap diff (pt)"])
        for s in sizes:
            base = by.get((s, bks[0]))
            for b in bks[1:]:
                other = by.get((s, b))
                if base is None or other is None:
                    continue
                r = other
                gd = None if r.get("gap") is None or base.get("gap") is None \
                    else 100 * (r["gap"] - base["gap"])
                t4.add_row(s, f"{b}/{bks[0]}", _ratio_s(_ratio(r.get("objective"),
                                                               base.get("objective"))),
                           _ratio_s(_ratio(r.get("e2e_s"), base.get("e2e_s"))),
                           _ratio_s(_ratio(r.get("solve_s"), base.get("solve_s"))),
                           "-" if gd is None else f"{gd:+.2f}")
        out.append(t4)
    if len(sizes) > 1:
        t5 = table("Growth from one size to the next (time(k+1) / time(k))",
                   ["sizes", "backend", "staff ratio", "e2e ratio", "pipeline ratio",
                    "solve ratio", "LP time ratio", "cols ratio", "peak ratio",
                    "e2e (pipeline) <= linear?"])
        for b in bks:
            for s0, s1 in zip(sizes, sizes[1:], strict=False):
                r0, r1 = by.get((s0, b)), by.get((s1, b))
                if r0 is None or r1 is None:
                    continue
                sr = _ratio(r1.get("staff"), r0.get("staff"))
                er = _ratio(r1.get("e2e_s"), r0.get("e2e_s"))
                pr = _ratio(r1.get("pipeline_s"), r0.get("pipeline_s"))
                verdict = "-" if sr is None or er is None or pr is None else \
                    f"{'yes' if er <= sr else 'no'} ({'yes' if pr <= sr else 'no'})"
                t5.add_row(f"{s1}/{s0}", b, _ratio_s(sr), _ratio_s(er), _ratio_s(pr),
                           _ratio_s(_ratio(r1.get("solve_s"), r0.get("solve_s"))),
                           _ratio_s(_ratio(r1.get("lp_s"), r0.get("lp_s"))
                                    if r0.get("lp_bound") is not None
                                    and r1.get("lp_bound") is not None else None),
                           _ratio_s(_ratio(r1.get("columns"), r0.get("columns"))),
                           _ratio_s(_ratio(r1.get("peak_mib"), r0.get("peak_mib"))), verdict)
        out.append(t5)
    return out


def print_tables(rows: list[dict[str, Any]], markdown: bool) -> None:
    """Print the runs and their ratios."""
    from rich.console import Console

    console = Console(width=None if sys.stdout.isatty() else 220)
    for t in _tables(rows, markdown):
        console.print(t)
        console.print()


def write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    """Append ``rows`` to ``path``; a file with older columns is rewritten with the new ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open(newline="") as f:
            old = csv.DictReader(f)
            header, kept = old.fieldnames or [], list(old)
        if header != FIELDS:  # columns were added or moved: keep old rows, blank new cells
            tmp = path.with_suffix(".tmp")
            with tmp.open("w", newline="") as f:
                w = csv.DictWriter(f, FIELDS, extrasaction="ignore", lineterminator="\n")
                w.writeheader()
                w.writerows(kept)
            tmp.replace(path)
    new = not path.exists()
    with path.open("a", newline="") as f:
        w = csv.DictWriter(f, FIELDS, extrasaction="ignore", lineterminator="\n")
        if new:
            w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                        for k, v in r.items() if k in FIELDS})
    return path


#: CSV columns that hold text (the others are numbers).
TEXT_FIELDS = {"run_id", "date", "git", "mode", "instance", "size", "backend", "status", "error",
               "lp_via", "target", "target_met", "timings"}
INT_FIELDS = {"cpus", "seed", "staff", "units", "initiatives", "columns", "rows", "binaries",
              "nonzeros"}


def read_csv(path: Path, run_id: str | None) -> list[dict[str, Any]]:
    """The rows of one run (the last one when ``run_id`` is None) from a results CSV."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return []
    run_id = run_id or rows[-1]["run_id"]
    out = []
    for r in rows:
        if r["run_id"] != run_id:
            continue
        rec: dict[str, Any] = {}
        for k, v in r.items():
            if k in TEXT_FIELDS:
                rec[k] = v
            elif v in ("", None):
                rec[k] = None
            else:
                rec[k] = int(float(v)) if k in INT_FIELDS else float(v)
        out.append(rec)
    return out


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, text=True, capture_output=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+dirty" if dirty else "")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="S,M", help="comma-separated sizes (S,M,L,XL)")
    ap.add_argument("--backends", default="highs,cbc", help="comma-separated backends")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", default="auto",
                    help="Settings.time_limit per run (s), or 'auto' for the targets' limits "
                         "(S 60, M 60, L 120, XL 600; --scaling: 60)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "results.csv")
    ap.add_argument("--instances", type=Path, default=ROOT / "benchmarks" / "instances")
    ap.add_argument("--scaling", action="store_true",
                    help="staff 1k, 2k, 4k, 8k at 20 units and 150 initiatives, instead of "
                         "--sizes")
    ap.add_argument("--scaling-staff", default=",".join(map(str, SCALING_STAFF)))
    ap.add_argument("--lp-via", choices=["highs", "same"], default="highs",
                    help="LP relaxation with HiGHS once per instance (default) or with each "
                         "run's own backend")
    ap.add_argument("--grace", type=float, default=GRACE,
                    help="wall-clock seconds a child gets beyond its time limit (default 120)")
    ap.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    ap.add_argument("--show", nargs="?", const="", metavar="RUN_ID",
                    help="print the tables of a run stored in --out (default: the last) and exit")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:  # child mode
        kind, spec = args.one[0], json.loads(args.one[1])
        rec = child_run(spec, args.result) if kind == "run" else child_lp(spec, args.result)
        args.result.write_text(json.dumps(rec))
        return 0

    if args.show is not None:
        stored = read_csv(args.out, args.show or None)
        if not stored:
            ap.error(f"no run '{args.show}' in {args.out}")
        print(f"run {stored[0]['run_id']} ({stored[0]['git']}, {stored[0]['cpus']} cpus)")
        print_tables(stored, args.markdown)
        return 0

    from benchmarks.generate import SIZES

    backends_ = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.scaling:
        staff = [int(s) for s in args.scaling_staff.split(",")]
        insts = [Instance(f"scale-{n}-{args.seed}", "M", args.seed,
                          (("staff", n), *SCALING_SHAPE.items())) for n in staff]
    else:
        sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
        bad = [s for s in sizes if s not in SIZES]
        if bad:
            ap.error(f"unknown size(s) {bad}; choose from {', '.join(SIZES)}")
        insts = [Instance(f"{s}-{args.seed}", s, args.seed) for s in sizes]

    now = _dt.datetime.now(_dt.UTC)
    meta = {"run_id": now.strftime("%Y%m%dT%H%M%SZ"), "date": now.date().isoformat(),
            "git": _git(), "cpus": os.cpu_count()}

    def log(msg: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {msg}", file=sys.stderr, flush=True)

    rows: list[dict[str, Any]] = []
    for inst in insts:
        if args.time_limit == "auto":
            limit = TARGETS["M" if args.scaling else inst.size]["limit"] or 60.0
        else:
            limit = float(args.time_limit)
        log(f"[{inst.name}] instance ...")
        try:
            scenario = ensure_instance(inst, args.instances)
        except Exception as exc:  # noqa: BLE001
            rows.extend({**meta, "mode": "scaling" if args.scaling else "sizes",
                         "instance": inst.name, "size": inst.name, "backend": b,
                         "status": "error", "error": f"generate: {exc}"[:200]}
                        for b in backends_)
            continue
        got = measure(inst, scenario, backends_, limit, args.seed, args.lp_via,
                      "scaling" if args.scaling else "sizes", log, args.grace)
        rows.extend({**meta, **r} for r in got)

    print_tables(rows, args.markdown)
    path = write_csv(rows, args.out)
    print(f"run {meta['run_id']} ({meta['git']}): {len(rows)} rows appended to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
