"""Regenerate the mid-size example (``scenarios/mid_org.yaml`` and the CSV files here).

The files are committed; run this only to change them:
``.venv/bin/python scenarios/mid_org/make.py``. It uses the benchmark
generator with a fixed seed, so the output is byte-identical on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from benchmarks.generate import generate, write  # noqa: E402


def main() -> Path:
    """Write ``mid_org.yaml`` beside this folder and the CSV tables into it."""
    scenario = generate("S", seed=7, staff=300, units=9, initiatives=36,
                        name="Northwind Services: 300 staff, 9 units")
    scenario["description"] = (
        "A mid-size service organisation of 300 people in 9 units. Staff, run-the-business "
        "workload (per-month columns, seasonal) and the 36 candidate initiatives live in CSV "
        "files in scenarios/mid_org/. Generated once by scenarios/mid_org/make.py "
        "(benchmarks/generate.py, seed 7)."
    )
    # Capacity alone leaves about half the initiatives out; a tighter budget makes
    # money bind as well (the generator default would not bind here).
    scenario["policy"]["budget"] = 1_100_000.0
    scenario["policy"]["solver"] = {"time_limit": 20, "gap": 0.01}
    _goals(scenario)
    _wishes(scenario)
    return write(scenario, HERE.parent, yaml_name="mid_org.yaml", csv_dir="mid_org")


#: KPI id -> (owning unit, target): targets the candidate initiatives can reach
KPI_GOALS = {
    "churn": ("customer-service", 13.6),
    "cts": ("operations", 18.2),
    "enps": ("people-and-hr", 18.0),
    "digital_share": ("marketing", 40.0),
    "co2": ("operations", 38.0),
}
#: unit -> KPIs its run-the-business work keeps up
SUSTAINS = {
    "customer-service": ["churn"],
    "operations": ["cts", "co2"],
    "finance": ["cts"],
    "people-and-hr": ["enps"],
    "sales": ["digital_share"],
    "marketing": ["digital_share"],
}


#: person -> development wishes with their hours of practice; the other wishes stay the
#: generator's lists (policy.development.default_hours each)
WISHES = {
    "p00048": {"team_lead": 80},
    "p00066": {"project_manager": 40},
    "p00093": {"agent": 60},
    "p00130": {"operator": 120},
    "p00170": {"accountant": 100},
    "p00185": {"team_lead": 30},
    "p00230": {"data_engineer": 80},
    "p00298": {"project_manager": 60, "analyst": 30},
}


def _wishes(scenario: dict) -> None:
    """Development wishes as maps for a few people (the contract allows both forms)."""
    for person in scenario["staff"]:
        if person["id"] in WISHES:
            person["develop"] = WISHES[person["id"]]


def _goals(scenario: dict) -> None:
    """Owners, reachable targets and a value path for the KPIs; what each RTB line sustains."""
    for k in scenario["strategy"]["kpis"]:
        if k["id"] in KPI_GOALS:
            k["unit"], k["target"] = KPI_GOALS[k["id"]]
        if k["id"] == "digital_share":
            k["drives"] = {"cts": -0.05}  # more digital sales, lower cost to serve
        if k["id"] == "enps":
            k["by"] = "2027-09"  # before the annual engagement survey
    for line in scenario["run_the_business"]:
        if line["unit"] in SUSTAINS:
            line["sustains"] = SUSTAINS[line["unit"]]


if __name__ == "__main__":
    print(main())
