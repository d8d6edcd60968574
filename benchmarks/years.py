"""Several-years organisations for the generator (``generate.py --years N``, issue 15).

:func:`several_years` turns a generated scenario of ``12 x N`` monthly periods
into a long-term plan, with a random generator of its own (so the one-year
scenarios keep their bytes):

- the budget becomes a map year -> amount, the whole-horizon budget split by
  the periods of each year, +-10 %, and never below 1.2 x the cost of all
  mandatory work (which may all land in one year);
- each KPI gets a target per year on the way from its baseline to its target;
- about a quarter of the optional initiatives that run 3 periods or more
  become phased: 2 or 3 phases, each effort line in one of them, its hours cut
  to what the unit can give in the phase's shorter time; a third of these
  spend by a cost profile per phase, and about half of the dependencies on a
  phased initiative wait only for its first phase;
- about a third of the optional initiatives bring ``value_per_period`` after
  delivery (some with a ramp).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: added to the seed for the several-years draws
SEED_OFFSET = 15_000

Hours = dict[tuple[str, str], np.ndarray]


def several_years(scenario: dict[str, Any], seed: int, after_must: Hours) -> dict[str, Any]:
    """``scenario`` (a dict from :func:`benchmarks.generate.generate`) as a long-term plan.

    ``after_must`` is the hours each (unit, main skill) can give per period after
    ``must`` RTB; phase effort is kept within 90 % of its lowest value.
    """
    rng = np.random.default_rng(seed + SEED_OFFSET)
    labels = _labels(scenario)
    years = sorted({int(lb[:4]) for lb in labels})
    inits = scenario["initiatives"]
    phased: set[str] = set()
    for ini in inits:
        if (ini.get("mandatory") or ini["duration"] < 3 or len(ini["effort"]) < 2
                or rng.random() >= 0.25):
            continue
        _phase(ini, rng, after_must)
        phased.add(ini["id"])
    for ini in inits:
        deps = ini.get("depends_on", [])
        for k, dep in enumerate(deps):
            if dep in phased and rng.random() < 0.5:
                first = next(i for i in inits if i["id"] == dep)["phases"][0]["name"]
                deps[k] = f"{dep}.{first}"
        if not ini.get("mandatory") and rng.random() < 0.33:
            hours = sum(ln["hours"] for ln in _lines(ini))
            ini["value_per_period"] = float(round(hours * rng.uniform(4, 12), -2))
            if rng.random() < 0.5:
                ini["value_ramp"] = int(rng.integers(2, 7))

    budget = float(scenario["policy"]["budget"])
    mandatory = sum(i["cost"] for i in inits if i.get("mandatory"))
    floor = round(1.2 * mandatory + 1000, -3)
    share = {y: sum(1 for lb in labels if int(lb[:4]) == y) / len(labels) for y in years}
    scenario["policy"]["budget"] = {
        y: float(max(floor, round(budget * share[y] * rng.uniform(0.9, 1.1), -3)))
        for y in years
    }
    for kpi in scenario["strategy"]["kpis"]:
        base, goal = float(kpi["baseline"]), float(kpi.pop("target"))
        kpi["targets"] = {y: round(base + (goal - base) * (k + 1) / len(years), 2)
                          for k, y in enumerate(years)}
    scenario["description"] = scenario["description"].replace(
        f"{len(labels)} months.", f"{len(labels)} months ({len(years)} years, per-year "
        "budgets and KPI targets, phased initiatives).")
    return scenario


def _labels(scenario: dict[str, Any]) -> list[str]:
    h = scenario["horizon"]
    y, m = int(h["start"][:4]), int(h["start"][5:7]) - 1
    return [f"{y + (m + k) // 12:04d}-{(m + k) % 12 + 1:02d}" for k in range(h["periods"])]


def _lines(ini: dict[str, Any]) -> list[dict[str, Any]]:
    if "phases" in ini:
        return [ln for p in ini["phases"] for ln in p["effort"]]
    return list(ini["effort"])


def _phase(ini: dict[str, Any], rng: np.random.Generator, after_must: Hours) -> None:
    """Split ``ini`` into 2 or 3 back-to-back phases (see the module docstring)."""
    d = int(ini["duration"])
    n = 3 if d >= 5 and rng.random() < 0.5 else 2
    cuts = sorted(int(c) for c in rng.choice(np.arange(1, d), size=n - 1, replace=False))
    durations = [b - a for a, b in zip([0, *cuts], [*cuts, d], strict=True)]
    names = ["design", "build", "rollout"] if n == 3 else ["design", "build"]
    phases: list[dict[str, Any]] = [{"name": nm, "duration": du, "effort": []}
                                    for nm, du in zip(names, durations, strict=True)]
    for k, line in enumerate(ini.pop("effort")):
        p = phases[min(k, n - 1)] if k < n else phases[int(rng.integers(n))]
        cap = 0.9 * float(after_must[(line["unit"], line["skill"])].min()) * p["duration"]
        hours = math.floor(min(line["hours"], cap) / 10) * 10
        if hours >= 10:
            p["effort"].append({**line, "hours": float(hours)})
    ini["phases"] = phases
    del ini["duration"]
    if ini["cost"] > 0 and rng.random() < 0.33:
        raw = rng.uniform(0.5, 1.5, size=n) * np.array(durations)
        shares = [round(float(x), 2) for x in raw / raw.sum()]
        shares[-1] = round(1.0 - sum(shares[:-1]), 2)
        ini["cost_profile"] = shares
