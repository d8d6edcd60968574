"""Turn a PSPLIB single-mode RCPSP instance into a planner scenario.

Each job becomes a mandatory initiative (duration = job duration, one effort
line per resource it uses: hours = request x duration, so the per-period need
is the request); each renewable resource R_k becomes a unit with one skill and
as many one-hour-per-period people as it has units available. A plan whose
initiatives all finish by period H is then a schedule of makespan <= H.

Instances are read from ``tests/data/psplib`` (a few, in the repository) unless
a ``root`` folder with the same layout (``j30opt.sm``, ``j30/<name>.sm``) is given.
"""

from __future__ import annotations

import re
from pathlib import Path

PSPLIB = Path(__file__).resolve().parent / "data" / "psplib"


def instances(root: Path = PSPLIB) -> list[str]:
    """Names of the instances under ``root``, in PSPLIB order (parameter, instance)."""
    names = [p.stem for p in (root / "j30").glob("j30*_*.sm")]
    return sorted(names, key=_key)


def _key(name: str) -> tuple[int, int]:
    m = re.match(r"j30(\d+)_(\d+)$", name)
    assert m, name
    return int(m[1]), int(m[2])


def optimum(name: str, root: Path = PSPLIB) -> int:
    """Proven optimal makespan of instance ``j30P_I`` from j30opt.sm."""
    p, i = _key(name)
    for line in (root / "j30opt.sm").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == str(p) and parts[1] == str(i):
            return int(parts[2])
    raise KeyError(name)


def parse(name: str, root: Path = PSPLIB) -> dict:
    """Jobs (duration, requests, successors) and resource capacities."""
    text = (root / "j30" / f"{name}.sm").read_text()
    lines = text.splitlines()
    succ: dict[int, list[int]] = {}
    dur: dict[int, int] = {}
    req: dict[int, list[int]] = {}
    cap: list[int] = []
    section = None
    for line in lines:
        if line.startswith("PRECEDENCE RELATIONS"):
            section = "prec"
            continue
        if line.startswith("REQUESTS/DURATIONS"):
            section = "req"
            continue
        if line.startswith("RESOURCEAVAILABILITIES"):
            section = "cap"
            continue
        parts = line.split()
        if not parts or not parts[0].isdigit():
            continue
        nums = [int(p) for p in parts]
        if section == "prec":
            succ[nums[0]] = nums[3:]
        elif section == "req":
            dur[nums[0]] = nums[2]
            req[nums[0]] = nums[3:]
        elif section == "cap":
            cap = nums
    return {"succ": succ, "dur": dur, "req": req, "cap": cap}


def scenario(name: str, horizon: int, root: Path = PSPLIB) -> dict:
    """A scenario dict: every job mandatory, everything due by period ``horizon``."""
    d = parse(name, root)
    preds: dict[int, list[int]] = {j: [] for j in d["dur"]}
    for j, ss in d["succ"].items():
        for s in ss:
            preds[s].append(j)
    real = [j for j in sorted(d["dur"]) if d["dur"][j] > 0]
    units = [f"r{k + 1}" for k in range(len(d["cap"]))]
    staff = []
    for k, unit in enumerate(units):
        for n in range(d["cap"][k]):
            staff.append({"id": f"{unit}-{n + 1}", "unit": unit, "skills": [unit]})
    inits = []
    for j in real:
        effort = [
            {"unit": units[k], "skill": units[k], "hours": q * d["dur"][j]}
            for k, q in enumerate(d["req"][j])
            if q > 0
        ]
        inits.append(
            {
                "id": f"job{j:02d}",
                "duration": d["dur"][j],
                "mandatory": True,
                "deadline": horizon,
                "depends_on": [f"job{p:02d}" for p in preds[j] if d["dur"][p] > 0],
                "effort": effort,
                "contributes": {"finish": "strong"},
            }
        )
    return {
        "name": f"PSPLIB {name} within {horizon}",
        "horizon": {"periods": horizon, "period": "index", "hours_per_fte": 1},
        "strategy": {"objectives": [{"id": "finish", "weight": 1}]},
        "units": [{"id": u} for u in units],
        "staff": staff,
        "initiatives": inits,
    }
