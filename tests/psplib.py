"""Turn a PSPLIB single-mode RCPSP instance into a planner scenario.

Each job becomes a mandatory initiative (duration = job duration, one effort
line per resource it uses: hours = request x duration, so the per-period need
is the request); each renewable resource R_k becomes a unit with one skill and
as many one-hour-per-period people as it has units available. A plan whose
initiatives all finish by period H is then a schedule of makespan <= H.
"""

from __future__ import annotations

import re
from pathlib import Path

PSPLIB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "psplib"


def optimum(name: str) -> int:
    """Proven optimal makespan of instance ``j30P_I`` from j30opt.sm."""
    m = re.match(r"j30(\d+)_(\d+)", name)
    assert m, name
    for line in (PSPLIB / "j30opt.sm").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == m[1] and parts[1] == m[2]:
            return int(parts[2])
    raise KeyError(name)


def parse(name: str) -> dict:
    """Jobs (duration, requests, successors) and resource capacities."""
    text = (PSPLIB / "j30" / f"{name}.sm").read_text()
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


def scenario(name: str, horizon: int) -> dict:
    """A scenario dict: every job mandatory, everything due by period ``horizon``."""
    d = parse(name)
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
