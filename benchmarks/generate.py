"""Seeded synthetic organisations for benchmarks and tests.

``generate(size, seed)`` returns a plain scenario dict in the YAML format of
``SCENARIO_FORMAT.md``; ``write(scenario, folder)`` writes it the way a user
would: ``scenario.yaml`` plus ``staff.csv``, ``rtb.csv``, ``initiatives.csv``
and ``effort.csv``. Same size and seed give byte-identical files.

The organisations are built to look like real ones and to be *feasible but
binding*:

- units of varied size drawn from a few archetypes (IT, customer service,
  finance, ...), each with its own skill mix and seasonal RTB profile;
- staff with one main skill (proficiency 1.0) and up to two more (0.5-0.9),
  mostly full time, with summer and other leave;
- RTB per unit and main skill at 55-75 % of capacity, split into
  ``must``/``high``/``normal`` lines, never above 85 % of a period's capacity;
- about 10 % mandatory initiatives whose effort is sized from the slack left
  after ``must`` RTB in every period (assuming the worst case, that all of
  them overlap), so they always fit, whatever the schedule;
- change demand of about ``demand_factor`` (default 2x) times the capacity
  left after RTB, and a budget of about half the initiatives' cost, so both
  selection and scheduling matter.

Run ``python benchmarks/generate.py --size M --seed 0 --out DIR``.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path
from typing import Any

import numpy as np
import yaml

#: Built-in sizes: staff, units, initiatives (12 monthly periods each).
SIZES: dict[str, dict[str, int]] = {
    "S": {"staff": 100, "units": 5, "initiatives": 30},
    "M": {"staff": 1_000, "units": 20, "initiatives": 150},
    "L": {"staff": 5_000, "units": 50, "initiatives": 500},
    "XL": {"staff": 20_000, "units": 100, "initiatives": 1_500},
}

#: Everything ``generate`` accepts as a keyword override, with its default.
DEFAULTS: dict[str, Any] = {
    "staff": 100,
    "units": 5,
    "initiatives": 30,
    "periods": 12,
    "start": "2027-01",
    "hours_per_fte": 140,
    "objectives": None,  # number of objectives; default 4-6 drawn from the seed
    "demand_factor": 2.0,  # change demand / capacity left after RTB
    "mandatory_share": 0.10,
    "budget_share": 0.45,  # budget = share * cost of all initiatives + contractor money
    "max_utilisation": 0.9,
    "borrowing": False,
    "objective": "strategic",
    "name": None,
    "years": None,  # issue 15: 12 x years monthly periods, see benchmarks/years.py
}

#: Fully loaded internal rate per hour of each skill.
SKILL_RATE: dict[str, float] = {
    "agent": 38,
    "team_lead": 55,
    "analyst": 65,
    "accountant": 60,
    "controller": 80,
    "engineer": 85,
    "architect": 110,
    "tester": 68,
    "data_engineer": 90,
    "data_scientist": 95,
    "security": 105,
    "project_manager": 88,
    "change_manager": 85,
    "hr_advisor": 55,
    "recruiter": 50,
    "marketer": 62,
    "designer": 70,
    "sales_rep": 58,
    "operator": 40,
    "planner": 60,
    "legal_counsel": 120,
    "procurement": 62,
}

#: Skills contractors are bought for, in order of preference.
SCARCE = ["architect", "data_scientist", "security", "data_engineer", "change_manager"]

_FLAT = [1.0] * 12
#: Unit archetypes: display name, skill mix of main skills, relative size,
#: seasonal RTB profile by calendar month (Jan..Dec), initiative names.
ARCHETYPES: dict[str, dict[str, Any]] = {
    "it": {
        "name": "IT",
        "mix": {"engineer": 0.45, "tester": 0.15, "architect": 0.08,
                "data_engineer": 0.17, "security": 0.15},
        "size": 1.2,
        "profile": [1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.05, 1.1],
        "names": ["Cloud migration of the core platform", "Identity and access overhaul",
                  "Network refresh", "Legacy mainframe retirement",
                  "Zero-trust security programme", "Service desk tooling upgrade",
                  "Disaster recovery site", "API gateway rollout"],
    },
    "customer_service": {
        "name": "Customer Service",
        "mix": {"agent": 0.72, "team_lead": 0.14, "analyst": 0.14},
        "size": 1.7,
        "profile": [1.1, 1.0, 0.95, 0.95, 0.95, 0.95, 0.9, 0.9, 1.0, 1.05, 1.1, 1.15],
        "names": ["Omnichannel contact centre", "Self-service portal",
                  "Chatbot for first-line queries", "Complaints process redesign",
                  "Workforce management system", "Customer feedback loop",
                  "Knowledge base for agents", "Callback scheduling"],
    },
    "operations": {
        "name": "Operations",
        "mix": {"operator": 0.6, "planner": 0.25, "engineer": 0.15},
        "size": 1.5,
        "profile": [0.95, 0.95, 1.0, 1.0, 1.05, 1.05, 0.95, 0.9, 1.0, 1.05, 1.05, 1.05],
        "names": ["Lean process programme", "Warehouse automation",
                  "Predictive maintenance", "Route optimisation",
                  "Shift planning tool", "Quality management system",
                  "Supplier portal", "Energy efficiency retrofit"],
    },
    "finance": {
        "name": "Finance",
        "mix": {"accountant": 0.5, "controller": 0.2, "analyst": 0.3},
        "size": 0.7,
        "profile": [1.25, 1.15, 1.1, 0.95, 0.9, 0.9, 0.85, 0.85, 0.95, 1.0, 1.0, 1.1],
        "names": ["ERP upgrade", "Invoice matching automation", "Faster month-end close",
                  "IFRS 17 reporting", "Treasury management system",
                  "Expense management rollout", "Cost allocation model",
                  "Procure-to-pay redesign"],
    },
    "sales": {
        "name": "Sales",
        "mix": {"sales_rep": 0.75, "team_lead": 0.15, "analyst": 0.1},
        "size": 1.0,
        "profile": [0.9, 1.0, 1.15, 0.9, 1.0, 1.15, 0.85, 0.85, 1.1, 0.95, 1.0, 1.15],
        "names": ["CRM consolidation", "Pricing engine", "Partner channel programme",
                  "Sales playbook", "Key account management", "Quote-to-cash automation",
                  "Lead scoring", "Territory redesign"],
    },
    "hr": {
        "name": "People and HR",
        "mix": {"hr_advisor": 0.6, "recruiter": 0.3, "analyst": 0.1},
        "size": 0.5,
        "profile": [1.1, 1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.9, 1.1, 1.05, 1.0, 1.0],
        "names": ["HR system replacement", "Learning platform", "Performance cycle redesign",
                  "Employer branding", "Hybrid work policy", "Payroll outsourcing",
                  "Skills inventory", "Onboarding journey"],
    },
    "data": {
        "name": "Data and Analytics",
        "mix": {"data_scientist": 0.4, "data_engineer": 0.4, "analyst": 0.2},
        "size": 0.6,
        "profile": _FLAT,
        "names": ["Data lake", "Customer 360 view", "Demand forecasting model",
                  "Self-service BI", "Data quality programme", "Churn prediction",
                  "Master data management", "Data catalogue"],
    },
    "marketing": {
        "name": "Marketing",
        "mix": {"marketer": 0.6, "designer": 0.25, "analyst": 0.15},
        "size": 0.6,
        "profile": [0.9, 0.95, 1.05, 1.05, 1.0, 0.95, 0.85, 0.85, 1.05, 1.1, 1.15, 1.05],
        "names": ["Brand refresh", "Marketing automation", "Website relaunch",
                  "Loyalty programme", "Content hub", "Campaign analytics",
                  "Customer journey mapping", "Events platform"],
    },
    "pmo": {
        "name": "Transformation Office",
        "mix": {"project_manager": 0.6, "change_manager": 0.4},
        "size": 0.4,
        "profile": _FLAT,
        "names": ["Portfolio management tool", "Agile ways of working",
                  "Benefits tracking", "Operating model review",
                  "Change network", "Project methodology refresh",
                  "Strategy execution office", "Capability roadmap"],
    },
    "legal": {
        "name": "Legal, Risk and Procurement",
        "mix": {"legal_counsel": 0.5, "procurement": 0.5},
        "size": 0.4,
        "profile": [1.0, 1.0, 1.05, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 1.05, 1.1],
        "names": ["GDPR remediation", "Contract management system",
                  "Supplier risk framework", "Anti-money-laundering controls",
                  "Whistle-blowing channel", "Procurement category strategy",
                  "Records retention programme", "Sanctions screening"],
    },
}

#: Archetype order for the first units, so small organisations look complete.
_FIRST = ["it", "customer_service", "operations", "finance", "sales",
          "hr", "data", "marketing", "pmo", "legal"]
#: Relative frequency of archetypes beyond the first ten units.
_FREQ = {"it": 2, "customer_service": 3, "operations": 3, "finance": 1, "sales": 2,
         "hr": 1, "data": 1, "marketing": 1, "pmo": 0.5, "legal": 0.5}
_REGIONS = ["North", "South", "East", "West", "Central", "Nordics", "Benelux", "Iberia",
            "Alpine", "Baltics", "UK and Ireland", "Central Europe"]

#: Objectives: id, name, KPI id, KPI name, baseline, target.
OBJECTIVES = [
    ("retention", "Improve customer retention", "churn", "Annual churn rate (%)", 14.0, 10.0),
    ("growth", "Grow revenue in core markets", "revenue", "Revenue (EUR m)", 480.0, 520.0),
    ("cost", "Reduce cost to serve", "cts", "Cost to serve per order (EUR)", 18.5, 16.0),
    ("compliance", "Stay compliant and secure", "findings", "Open audit findings", 23.0, 5.0),
    ("people", "Be a great place to work", "enps", "Employee NPS", 12.0, 25.0),
    ("digital", "Digitise customer journeys", "digital_share", "Digital sales share (%)",
     35.0, 50.0),
    ("resilience", "Make operations resilient", "uptime", "Core service uptime (%)",
     99.5, 99.9),
    ("sustainability", "Cut our carbon footprint", "co2", "CO2 emissions (kt)", 41.0, 35.0),
]

_MANDATORY_NAMES = ["Regulatory reporting update", "Audit remediation",
                    "Security patch programme", "Licence renewal migration",
                    "Statutory accounts change", "Data retention rules",
                    "Accessibility compliance", "Tax reporting change"]

_FIRST_NAMES = "ABCDEFGHIJKLMNOPRSTVWY"
_SURNAMES = ["Lee", "Jansen", "Müller", "Rossi", "Garcia", "Novak", "Smith", "Dubois",
             "Kowalski", "Nielsen", "O'Brien", "Silva", "Papadopoulos", "Schmidt",
             "Virtanen", "D'Souza", "Ahmed", "Kim", "Okafor", "Van der Berg", "Horvat",
             "Costa", "Andersson", "Murphy", "Fischer", "Yilmaz", "Moreau", "Bauer"]


#: Hours per period of each (unit, skill).
_Hours = dict[tuple[str, str], np.ndarray]


def _month_labels(start: str, n: int) -> list[str]:
    y, m = (int(x) for x in start.split("-"))
    m -= 1
    return [f"{y + (m + k) // 12:04d}-{(m + k) % 12 + 1:02d}" for k in range(n)]


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def _r(x: float, nd: int = 2) -> float:
    return float(round(float(x), nd))


def generate(size: str = "S", seed: int = 0, **overrides: Any) -> dict[str, Any]:
    """A synthetic scenario as a plain dict in the scenario YAML format.

    Parameters
    ----------
    size
        ``S``, ``M``, ``L`` or ``XL`` (see ``SIZES``); keyword overrides change
        any of ``DEFAULTS`` (``staff``, ``units``, ``initiatives``, ``periods``,
        ``demand_factor``, ``budget_share``, ...), so tests can make tiny ones.
    seed
        Seed of the random generator; same size, seed and overrides give the
        same scenario.

    Returns
    -------
    dict
        Scenario with ``staff``, ``run_the_business`` and ``initiatives`` as
        lists (initiatives carry their ``effort`` lines), ready for ``write``.
    """
    if size not in SIZES:
        raise ValueError(f"unknown size '{size}', expected one of {', '.join(SIZES)}")
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise TypeError(f"unknown override(s) {unknown}; expected some of {sorted(DEFAULTS)}")
    p = {**DEFAULTS, **SIZES[size], **overrides}
    years = p["years"]
    if years is not None:
        if int(years) < 1 or "periods" in overrides:
            raise ValueError("years must be >= 1 and cannot be given with periods")
        # a long-term plan: 12 months and a year's worth of initiatives per year
        p["periods"] = 12 * int(years)
        if "initiatives" not in overrides:
            p["initiatives"] = int(p["initiatives"]) * int(years)
    n_staff, n_units, n_init, T = int(p["staff"]), int(p["units"]), int(p["initiatives"]), \
        int(p["periods"])
    if n_units < 1 or n_staff < n_units or T < 1 or n_init < 0:
        raise ValueError("need periods >= 1, units >= 1 and staff >= units")
    hpf = float(p["hours_per_fte"])
    util = float(p["max_utilisation"])
    rng = np.random.default_rng(seed)
    labels = _month_labels(str(p["start"]), T)
    months = np.array([int(lb[5:7]) - 1 for lb in labels])

    units, unit_arch, unit_size = _units(rng, n_staff, n_units)
    staff, maincap, changecap = _staff(rng, units, unit_arch, unit_size, labels, hpf, util)
    rtb, must, total_rtb = _rtb(rng, units, unit_arch, maincap, months)
    objectives, kpis = _strategy(rng, p["objectives"])

    # Per-period hours each (unit, skill) can still give after RTB.
    after_must = {k: np.maximum(0.0, util * c - must[k]) for k, c in maincap.items()}
    free = sum(float(np.maximum(0.0, util * c - total_rtb[k]).sum()) for k, c in maincap.items())
    initiatives = _initiatives(
        rng, n_init, T, labels, units, unit_arch, unit_size, maincap, after_must,
        changecap, must, util, objectives, kpis, float(p["demand_factor"]) * free,
        float(p["mandatory_share"]),
    )
    external = _external(rng, maincap, n_staff, labels)

    total_cost = sum(i["cost"] for i in initiatives)
    mandatory_cost = sum(i["cost"] for i in initiatives if i.get("mandatory"))
    contractor_money = sum(e["max_fte"] * hpf * T * e["cost_per_hour"] * 0.25 for e in external)
    budget = round(float(p["budget_share"]) * total_cost + contractor_money, -3)
    budget = max(budget, round(1.5 * mandatory_cost + 1000, -3))

    name = p["name"] or f"Synthetic organisation {size}-{seed}"
    scenario = {
        "name": name,
        "description": (
            f"Synthetic organisation (benchmarks/generate.py, size {size}, seed {seed}): "
            f"{n_staff} staff in {n_units} units, {n_init} initiatives, {T} months."
        ),
        "horizon": {"start": labels[0], "periods": T, "period": "month",
                    "hours_per_fte": p["hours_per_fte"]},
        "strategy": {"objectives": objectives, "kpis": kpis},
        "units": units,
        "staff": staff,
        "run_the_business": rtb,
        "initiatives": initiatives,
        "external": external,
        "policy": {
            "budget": float(budget),
            "max_utilisation": util,
            "borrowing": bool(p["borrowing"]),
            "objective": p["objective"],
        },
    }
    if years is not None:
        from benchmarks.years import several_years

        scenario = several_years(scenario, seed, after_must)
    return scenario


def _units(
    rng: np.random.Generator, n_staff: int, n_units: int
) -> tuple[list[dict[str, Any]], list[str], list[int]]:
    keys = list(_FREQ)
    freq = np.array([_FREQ[k] for k in keys])
    arch = _FIRST[:n_units] + list(
        rng.choice(keys, size=max(0, n_units - len(_FIRST)), p=freq / freq.sum())
    )
    weights = rng.lognormal(0.0, 0.5, n_units) * np.array([ARCHETYPES[a]["size"] for a in arch])
    minimum = 3 if n_staff >= 3 * n_units else 1
    sizes = np.maximum(minimum, np.floor(n_staff * weights / weights.sum())).astype(int)
    order = np.argsort(-weights, kind="stable")
    k = 0
    while sizes.sum() != n_staff:  # settle rounding on the largest units
        j = order[k % n_units]
        step = 1 if sizes.sum() < n_staff else -1
        if sizes[j] + step >= minimum:
            sizes[j] += step
        k += 1
    count: dict[str, int] = {}
    total = {a: arch.count(a) for a in set(arch)}
    units = []
    for a in arch:
        c = count.get(a, 0)
        count[a] = c + 1
        base = ARCHETYPES[a]["name"]
        if total[a] == 1:
            name = base
        elif c < len(_REGIONS):
            name = f"{base} {_REGIONS[c]}"
        else:
            name = f"{base} {c + 1}"
        units.append({"id": _slug(name), "name": name, "owner": f"Head of {name}"})
    return units, [str(a) for a in arch], [int(s) for s in sizes]


def _staff(
    rng: np.random.Generator,
    units: list[dict[str, Any]],
    arch: list[str],
    sizes: list[int],
    labels: list[str],
    hpf: float,
    util: float,
) -> tuple[list[dict[str, Any]], _Hours, _Hours]:
    T = len(labels)
    by_month = {int(lb[5:7]): k for k, lb in enumerate(labels)}
    staff: list[dict[str, Any]] = []
    maincap: dict[tuple[str, str], np.ndarray] = {}
    changecap: dict[tuple[str, str], np.ndarray] = {}
    pid = 0
    for unit, a, n in zip(units, arch, sizes, strict=True):
        mix = ARCHETYPES[a]["mix"]
        skills = list(mix)
        probs = np.array([mix[s] for s in skills])
        mains = rng.choice(len(skills), size=n, p=probs / probs.sum())
        # Every unit keeps at least one person in its leading skill.
        mains[0] = int(np.argmax(probs))
        n_extra = rng.choice(3, size=n, p=[0.4, 0.45, 0.15])
        ftes = rng.choice([1.0, 0.8, 0.5], size=n, p=[0.82, 0.1, 0.08])
        rate_f = rng.uniform(0.85, 1.2, size=n)
        u = rng.random((n, 8))
        for i in range(n):
            pid += 1
            main = skills[int(mains[i])]
            pool = [s for s in skills if s != main] + [
                s for s in ("analyst", "project_manager") if s not in skills
            ]
            extra = rng.choice(pool, size=min(int(n_extra[i]), len(pool)), replace=False)
            prof = {main: 1.0}
            for s in extra:
                prof[str(s)] = _r(rng.uniform(0.5, 0.9), 1)
            avail: dict[str, float] = {}
            if u[i, 0] < 0.65 and (7 in by_month or 8 in by_month):
                m = 7 if (u[i, 1] < 0.5 and 7 in by_month) or 8 not in by_month else 8
                avail[labels[by_month[m]]] = 0.5 if u[i, 2] < 0.5 else _r(0.6 + 0.2 * u[i, 3], 1)
            if u[i, 4] < 0.2:
                k = int(u[i, 5] * T)
                avail.setdefault(labels[k], _r(0.7 + 0.1 * u[i, 6], 1))
            if u[i, 6] < 0.3 and 12 in by_month:
                avail.setdefault(labels[by_month[12]], 0.8)
            if u[i, 7] < 0.01 and T >= 6:  # leaver: gone for the last quarter
                for k in range(T - 3, T):
                    avail[labels[k]] = 0.0
            avail = {lb: avail[lb] for lb in labels if lb in avail}
            mcs = 0.5 if u[i, 3] < 0.15 else 1.0
            develop: list[str] = []
            if u[i, 5] < 0.1:
                options = [s for s in pool if s not in prof]
                if options:
                    develop = [options[int(u[i, 2] * len(options))]]
            sn = _SURNAMES[int(rng.integers(len(_SURNAMES)))]
            fi = _FIRST_NAMES[int(rng.integers(len(_FIRST_NAMES)))]
            person: dict[str, Any] = {
                "id": f"p{pid:05d}",
                "name": f"{sn}, {fi}." if u[i, 1] > 0.95 else f"{fi}. {sn}",
                "unit": unit["id"],
                "skills": prof,
                "fte": float(ftes[i]),
                "cost_per_hour": float(round(SKILL_RATE[main] * rate_f[i])),
            }
            if mcs < 1:
                person["max_change_share"] = mcs
            if avail:
                person["availability"] = avail
            if develop:
                person["develop"] = develop
            staff.append(person)
            cap = hpf * float(ftes[i]) * np.array([avail.get(lb, 1.0) for lb in labels])
            key = (unit["id"], main)
            maincap[key] = maincap.get(key, np.zeros(T)) + cap
            changecap[key] = changecap.get(key, np.zeros(T)) + min(mcs, util) * cap
    return staff, maincap, changecap


def _rtb(
    rng: np.random.Generator,
    units: list[dict[str, Any]],
    arch: list[str],
    maincap: dict[tuple[str, str], np.ndarray],
    months: np.ndarray,
) -> tuple[list[dict[str, Any]], _Hours, _Hours]:
    rtb: list[dict[str, Any]] = []
    must: dict[tuple[str, str], np.ndarray] = {}
    total: dict[tuple[str, str], np.ndarray] = {}
    T = len(months)
    for unit, a in zip(units, arch, strict=True):
        level = rng.uniform(0.55, 0.75)
        profile = np.array(ARCHETYPES[a]["profile"])[months]
        for skill in ARCHETYPES[a]["mix"]:
            key = (unit["id"], skill)
            if key not in maincap:
                continue
            cap = maincap[key]
            demand = np.minimum(level * cap.mean() * profile, 0.85 * cap)
            must_share = rng.uniform(0.45, 0.7)
            high_share = (1 - must_share) * rng.uniform(0.5, 0.8)
            parts = {"must": np.floor(demand * must_share),
                     "high": np.floor(demand * high_share)}
            parts["normal"] = np.floor(demand - parts["must"] - parts["high"])
            if demand.mean() < 60:  # small lines are not split
                parts = {"high": np.floor(demand)}
            must[key] = parts.get("must", np.zeros(T))
            total[key] = sum(parts.values(), np.zeros(T))
            for prio, hours in parts.items():
                if hours.sum() > 0:
                    rtb.append({"unit": unit["id"], "skill": skill, "priority": prio,
                                "hours": [float(h) for h in hours]})
    return rtb, must, total


def _strategy(
    rng: np.random.Generator, n: int | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    n = int(rng.integers(4, 7)) if n is None else int(n)
    picks = sorted(rng.choice(len(OBJECTIVES), size=min(n, len(OBJECTIVES)), replace=False))
    objectives, kpis = [], []
    for k in picks:
        oid, oname, kid, kname, base, target = OBJECTIVES[int(k)]
        objectives.append({"id": oid, "name": oname, "weight": float(rng.integers(1, 6))})
        kpis.append({"id": kid, "name": kname, "objective": oid,
                     "baseline": base, "target": target})
    return objectives, kpis


def _initiatives(
    rng: np.random.Generator,
    n: int,
    T: int,
    labels: list[str],
    units: list[dict[str, Any]],
    arch: list[str],
    sizes: list[int],
    maincap: dict[tuple[str, str], np.ndarray],
    after_must: dict[tuple[str, str], np.ndarray],
    changecap: dict[tuple[str, str], np.ndarray],
    must: dict[tuple[str, str], np.ndarray],
    util: float,
    objectives: list[dict[str, Any]],
    kpis: list[dict[str, Any]],
    target_hours: float,
    mandatory_share: float,
) -> list[dict[str, Any]]:
    uids = [u["id"] for u in units]
    p_unit = np.array(sizes, dtype=float) / sum(sizes)
    it_units = [k for k, a in enumerate(arch) if a in ("it", "data")]
    skills_of = {
        k: [s for s in ARCHETYPES[arch[k]]["mix"] if (uids[k], s) in maincap]
        for k in range(len(uids))
    }
    n_mand = min(n, max(1, round(mandatory_share * n))) if n and mandatory_share > 0 else 0
    mandatory = set(int(x) for x in rng.choice(n, size=n_mand, replace=False)) if n else set()
    # Per-period hours all mandatory work together may take from a (unit, skill):
    # half the slack after must RTB in its tightest period, within the change share.
    allowance = {
        k: 0.5 * float(np.minimum(after_must[k], changecap[k]).min()) for k in maincap
    }
    durations = rng.choice(np.arange(1, 7), size=n, p=[0.08, 0.17, 0.25, 0.22, 0.15, 0.13])
    used_names: dict[str, int] = {}
    used_full: set[str] = set()
    inits: list[dict[str, Any]] = []
    raw: list[list[float]] = []  # relative size of each line of non-mandatory initiatives
    caps: list[list[float]] = []
    finish: list[int] = []  # earliest finish period of each initiative (for chains)
    ancestors: list[set[int]] = []
    obj_ids = [o["id"] for o in objectives]
    kpi_of = {k["objective"]: k for k in kpis}
    for i in range(n):
        is_mand = i in mandatory
        d = int(min(durations[i], T, 4 if is_mand else 6))
        sponsor = int(rng.choice(len(uids), p=p_unit))
        involved = [sponsor]
        if it_units and sponsor not in it_units and rng.random() < 0.65:
            involved.append(int(rng.choice(it_units)))
        if rng.random() < (0.1 if is_mand else 0.3):
            other = int(rng.choice(len(uids), p=p_unit))
            if other not in involved:
                involved.append(other)
        if is_mand:
            base_names = _MANDATORY_NAMES
        else:
            base_names = ARCHETYPES[arch[sponsor]]["names"]
        # Least-used name first, so names repeat only once the list is used up.
        least = min(used_names.get(b, 0) for b in base_names)
        fresh = [b for b in base_names if used_names.get(b, 0) == least]
        base = fresh[int(rng.integers(len(fresh)))]
        c = used_names.get(base, 0)
        used_names[base] = c + 1
        name = base if c == 0 else f"{base}, phase {c + 1}"
        if name in used_full:
            name = f"{base} ({units[sponsor]['name']}, {i + 1})"
        used_full.add(name)

        effort: list[dict[str, Any]] = []
        line_raw: list[float] = []
        line_cap: list[float] = []
        for k in involved:
            options = skills_of[k]
            if not options:
                continue
            w = np.array([maincap[(uids[k], s)].mean() for s in options])
            n_sk = 1 if len(options) == 1 or rng.random() < 0.5 else 2
            for s_idx in rng.choice(len(options), size=n_sk, replace=False, p=w / w.sum()):
                s = options[int(s_idx)]
                key = (uids[k], s)
                if is_mand:
                    per_period = math.floor(allowance[key] * rng.uniform(0.15, 0.35))
                    hours = math.floor(per_period * d / 10) * 10
                    if hours >= 10:
                        allowance[key] -= hours / d
                        effort.append({"unit": uids[k], "skill": s, "hours": float(hours)})
                else:
                    cap = 0.9 * float(after_must[key].min()) * d
                    if cap >= 10:
                        effort.append({"unit": uids[k], "skill": s, "hours": 0.0})
                        line_raw.append(float(rng.lognormal(0.0, 0.7)))
                        line_cap.append(cap)
        raw.append(line_raw)
        caps.append(line_cap)

        # Windows and dependencies; every chain must fit its deadline and the horizon.
        es = 0
        if not is_mand and T - d >= 1 and rng.random() < 0.2:
            es = int(rng.integers(1, T - d + 1))
        deadline = T - 1
        has_deadline = False
        if is_mand and rng.random() < 0.5:
            deadline, has_deadline = int(rng.integers(max(d - 1, T // 2), T)), True
        elif not is_mand and rng.random() < 0.15:
            deadline, has_deadline = int(rng.integers(es + d - 1, T)), True
        deps: list[int] = []
        if not is_mand and i > 0 and rng.random() < 0.3:
            lo = max(0, i - 30)
            n_dep = 2 if rng.random() < 0.2 and i - lo >= 2 else 1
            deps = sorted(int(x) for x in rng.choice(np.arange(lo, i), size=n_dep, replace=False))
            deps = [j for j in deps if finish[j] + d <= deadline and finish[j] + 1 + d - 1 <= T - 1]
        start = max([es] + [finish[j] + 1 for j in deps])
        if start + d - 1 > deadline:
            deps, start = [], es
        finish.append(start + d - 1)
        anc: set[int] = set(deps)
        for j in deps:
            anc |= ancestors[j]
        ancestors.append(anc)

        contributes: dict[str, str] = {}
        if is_mand:
            # Regulatory or committed work: it serves compliance when that is an objective.
            if "compliance" in obj_ids:
                contributes["compliance"] = str(rng.choice(["moderate", "strong"]))
        elif obj_ids and rng.random() < 0.95:
            k_obj = int(rng.integers(1, min(3, len(obj_ids)) + 1))
            for o in rng.choice(obj_ids, size=k_obj, replace=False):
                contributes[str(o)] = str(rng.choice(
                    ["low", "moderate", "strong", "extreme"], p=[0.3, 0.35, 0.25, 0.1]))
        kpi_impacts: dict[str, float] = {}
        if contributes and rng.random() < 0.4:
            kpi = kpi_of[next(iter(contributes))]
            kpi_impacts[kpi["id"]] = _r((kpi["target"] - kpi["baseline"])
                                        * rng.uniform(0.05, 0.3), 2)
        init: dict[str, Any] = {
            "id": f"i{i + 1:04d}",
            "name": name,
            "sponsor": uids[sponsor],
            "contributes": contributes,
            "kpi_impacts": kpi_impacts,
            "value": 0.0,
            "cost": 0.0,
            "duration": d,
            "mandatory": is_mand,
            "depends_on": [f"i{j + 1:04d}" for j in deps],
            "exclusive_with": [],
            "effort": effort,
        }
        if es:
            init["earliest_start"] = labels[es]
        if has_deadline:
            init["deadline"] = labels[deadline]
        inits.append(init)

    _size_effort(inits, raw, caps, mandatory, target_hours)

    # Exclusive pairs between unrelated optional initiatives.
    optional = [i for i in range(n) if i not in mandatory]
    taken: set[int] = set()
    for _ in range(round(0.04 * n)):
        if len(optional) < 2:
            break
        a, b = sorted(int(x) for x in rng.choice(optional, size=2, replace=False))
        if a in taken or b in taken or a in ancestors[b]:
            continue
        taken |= {a, b}
        inits[b]["exclusive_with"] = [inits[a]["id"]]

    for init in inits:
        labour = sum(line["hours"] * SKILL_RATE[line["skill"]] for line in init["effort"])
        value_f = 0.0 if rng.random() < 0.15 else rng.uniform(0.5, 3.5)
        init["value"] = float(round(labour * value_f, -3))
        init["cost"] = float(round(labour * rng.uniform(0.0, 0.25 if init["mandatory"] else 0.7),
                                   -3))
    return inits


def _size_effort(
    inits: list[dict[str, Any]],
    raw: list[list[float]],
    caps: list[list[float]],
    mandatory: set[int],
    target: float,
) -> None:
    """Scale optional lines so total change demand is near ``target``, each within its cap."""
    flat_raw = np.array([x for r in raw for x in r])
    flat_cap = np.array([x for c in caps for x in c])
    if not len(flat_raw):
        return
    target = max(0.0, target - sum(
        line["hours"] for k in mandatory for line in inits[k]["effort"]))
    k = target / flat_raw.sum()
    for _ in range(30):  # clipping makes the total concave in k; a few rounds settle it
        total = float(np.minimum(k * flat_raw, flat_cap).sum())
        if total <= 0 or abs(total - target) < 0.005 * target or total >= flat_cap.sum():
            break
        k *= target / total
    hours = np.floor(np.minimum(k * flat_raw, flat_cap) / 10) * 10
    hours = np.maximum(hours, np.minimum(10.0, np.floor(flat_cap)))
    pos = 0
    for i, init in enumerate(inits):
        if i in mandatory:
            continue
        for line in init["effort"]:
            line["hours"] = float(hours[pos])
            pos += 1


def _external(
    rng: np.random.Generator,
    maincap: dict[tuple[str, str], np.ndarray],
    n_staff: int,
    labels: list[str],
) -> list[dict[str, Any]]:
    present = {s for (_, s) in maincap}
    scarce = [s for s in SCARCE if s in present]
    if not scarce:
        return []
    k = int(rng.integers(1, min(3, len(scarce)) + 1))
    out = []
    for s in scarce[:k]:
        out.append({
            "skill": s,
            "max_fte": float(max(2, round(0.02 * n_staff / k))),
            "cost_per_hour": float(round(SKILL_RATE[s] * rng.uniform(1.5, 1.9))),
            "from": labels[int(rng.integers(0, min(3, len(labels))))],
        })
    return out


# ----------------------------------------------------------------------------- writing


def _num(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _map(d: dict[str, Any]) -> str:
    return ";".join(f"{k}:{_num(v)}" for k, v in d.items())


_STAFF_COLS = ["id", "name", "unit", "skills", "fte", "cost_per_hour", "max_change_share",
               "availability", "develop"]
_INIT_COLS = ["id", "name", "sponsor", "contributes", "kpi_impacts", "value", "cost",
              "duration", "earliest_start", "deadline", "mandatory", "depends_on",
              "exclusive_with", "pin", "start", "phases", "cost_profile", "value_per_period",
              "value_ramp"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _map(value)
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # phases: name:duration;...
            return ";".join(f"{p['name']}:{p['duration']}" for p in value)
        return ";".join(_num(v) for v in value)
    return _num(value)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write(
    scenario: dict[str, Any],
    folder: Path | str,
    yaml_name: str = "scenario.yaml",
    csv_dir: str = ".",
) -> Path:
    """Write ``scenario`` as YAML plus CSV tables, in the CSV conventions of the format.

    Parameters
    ----------
    scenario
        A dict from ``generate`` (tables as lists).
    folder
        Folder of the YAML file; created if missing.
    yaml_name
        File name of the YAML file.
    csv_dir
        Folder of the CSV files, relative to ``folder`` (the YAML names them
        relative to itself).

    Returns
    -------
    Path
        The YAML file.
    """
    folder = Path(folder)
    tables = folder / csv_dir
    tables.mkdir(parents=True, exist_ok=True)

    def rel(name: str) -> str:
        return name if csv_dir in (".", "") else f"{Path(csv_dir).as_posix()}/{name}"

    staff_rows = []
    for person in scenario.get("staff", []):
        staff_rows.append([
            _cell(person.get(c)) if not (c == "max_change_share" and person.get(c) == 1.0)
            else "" for c in _STAFF_COLS
        ])
    _write_csv(tables / "staff.csv", _STAFF_COLS, staff_rows)

    T = int(scenario["horizon"]["periods"])
    labels = _month_labels(str(scenario["horizon"]["start"]), T)
    rtb_rows = []
    lines = scenario.get("run_the_business", [])
    # a sustains column only when some line has one (generated benchmarks have none)
    sustains = any(line.get("sustains") for line in lines)
    for line in lines:
        hours = line["hours"] if isinstance(line["hours"], list) else [line["hours"]] * T
        extra = [";".join(line.get("sustains", []))] if sustains else []
        rtb_rows.append([line["unit"], line["skill"], line.get("priority", "high"), *extra]
                        + [_num(float(h)) for h in hours])
    _write_csv(tables / "rtb.csv", ["unit", "skill", "priority",
                                    *(["sustains"] if sustains else []), *labels], rtb_rows)

    inits = scenario.get("initiatives", [])
    cols = [c for c in _INIT_COLS if c in ("id", "name") or any(c in i for i in inits)]
    _write_csv(tables / "initiatives.csv", cols,
               [[_cell(i.get(c)) for c in cols] for i in inits])
    effort_rows = [[i["id"], e["unit"], e["skill"], _num(float(e["hours"]))]
                   for i in inits for e in i.get("effort", [])]
    header = ["initiative", "unit", "skill", "hours"]
    if any("phases" in i for i in inits):  # a phase column only when some have phases
        effort_rows = [[*r, ""] for r in effort_rows] + [
            [i["id"], e["unit"], e["skill"], _num(float(e["hours"])), p["name"]]
            for i in inits for p in i.get("phases", []) for e in p["effort"]]
        header.append("phase")
    _write_csv(tables / "effort.csv", header, effort_rows)

    doc = {k: v for k, v in scenario.items()
           if k not in ("staff", "run_the_business", "initiatives")}
    doc["staff"] = {"csv": rel("staff.csv")}
    doc["run_the_business"] = {"csv": rel("rtb.csv")}
    doc["initiatives"] = {"csv": rel("initiatives.csv"), "effort": rel("effort.csv")}
    order = ["name", "description", "horizon", "strategy", "units", "staff",
             "run_the_business", "initiatives", "external", "policy"]
    doc = {k: doc[k] for k in order if k in doc} | {k: v for k, v in doc.items()
                                                   if k not in order}
    path = folder / yaml_name
    with path.open("w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True, width=100)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/generate.py --size M --seed 0 --out DIR``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="S", choices=list(SIZES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, type=Path, help="folder to write into")
    for key in ("staff", "units", "initiatives", "periods"):
        ap.add_argument(f"--{key}", type=int, help=f"override the {key} of the size")
    ap.add_argument("--years", type=int, help="a long-term plan: 12 x YEARS months, per-year "
                    "budgets and KPI targets, phased initiatives (benchmarks/years.py)")
    args = ap.parse_args(argv)
    keys = ("staff", "units", "initiatives", "periods", "years")
    overrides = {k: getattr(args, k) for k in keys if getattr(args, k) is not None}
    path = write(generate(args.size, args.seed, **overrides), args.out)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
