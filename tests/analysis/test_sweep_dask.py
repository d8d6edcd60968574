"""Sweeps on Dask: a real local cluster (2 worker processes) gives what a serial run gives.

Risk samples, frontier points and the scenario files of a comparison are
independent pieces; run on the cluster, in whatever order the workers finish
them, the tables must be identical to the ones of a run in this process.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import scenario

import planner.analysis.frontier as fr
from models.plan import Plan
from planner.analysis.batch import load_plans
from planner.analysis.compare import compare_plans
from planner.analysis.parallel import connect, run_all
from planner.analysis.risk import assess
from planner.io.load import load_scenario
from planner.solving import Settings, solve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client():
    c, cluster = connect(workers=2)
    assert len(c.scheduler_info()["workers"]) == 2
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def firm_plan() -> Plan:
    sc = load_scenario(ROOT / "scenarios" / "services_firm.yaml")
    assert sc.uncertainty is not None
    return solve(sc, Settings(time_limit=30))


def square(x: int) -> int:
    return x * x


def test_run_all_keeps_the_order_and_reports_progress(client):
    seen: list[tuple[int, int]] = []
    done: dict[int, int] = {}
    got = run_all(square, [(k,) for k in range(12)], client=client,
                  progress=lambda d, n: seen.append((d, n)),
                  on_done=lambda k, r: done.__setitem__(k, r))
    assert got == [k * k for k in range(12)]
    assert seen[-1] == (12, 12) and len(seen) == 12
    assert done == {k: k * k for k in range(12)}
    assert run_all(square, [(3,)], workers=1) == [9]


def test_risk_on_the_cluster_equals_the_serial_run(client, firm_plan):
    serial = assess(firm_plan, 600, seed=3)
    remote = assess(firm_plan, 600, seed=3, client=client)
    for name, frame in serial.tables().items():
        assert frame.equals(remote.tables()[name]), name
    assert serial.metric("p_plan_holds") < 1  # the samples do bite


def firm():
    work = [("x", 1.0, 40), ("y", 0.5, 40), ("z", 0.2, 0), ("w", 0.9, 100)]
    return scenario(
        units=[{"id": "dev"}],
        staff=[{"id": "d0", "unit": "dev", "skills": ["code"], "cost_per_hour": 10}],
        initiatives=[{"id": i, "contributes": {"grow": s}, "duration": 1, "cost": c,
                      "effort": [{"unit": "dev", "skill": "code", "hours": 10}]}
                     for i, s, c in work],
    )


def test_frontier_on_the_cluster_equals_the_serial_run(client):
    budgets = [0, 40, 80, 120, 160]
    seen: list[str] = []
    serial, plans_s = fr.sweep(firm(), budgets, workers=1)
    remote, plans_r = fr.sweep(firm(), budgets, client=client,
                               on_point=lambda d, n, label, status: seen.append(label))
    assert sorted(seen) == sorted(f"budget {b:,.0f}" for b in budgets)
    assert serial.equals(remote)
    assert list(serial["entered"]) == ["z", "x", "y", "", "w"]
    for a, b in zip(plans_s, plans_r, strict=True):
        assert a is not None and b is not None
        assert a.assignments.equals(b.assignments)


def test_compare_solves_scenario_files_on_the_cluster(client, tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text((ROOT / "scenarios" / "services_firm.yaml").read_text())
    cut = tmp_path / "cut.yaml"
    cut.write_text((ROOT / "scenarios" / "services_firm.yaml").read_text()
                   .replace("budget: 190000", "budget: 150000"))
    paths = [str(base), str(cut)]
    serial = load_plans(paths, Settings(time_limit=30), workers=1)
    names: list[str] = []
    remote = load_plans(paths, Settings(time_limit=30), client=client,
                        on_plan=lambda k, name, plan, seconds: names.append(name))
    assert sorted(names) == ["base", "cut"]
    assert list(serial) == list(remote) == ["base", "cut"]
    a, b = compare_plans(serial), compare_plans(remote)
    for name in a:
        assert a[name].equals(b[name]), name
    assert a["headline"].set_index("metric").loc["strategic_score", "delta[cut]"] < 0


def test_robust_plan_on_a_local_cluster_equals_the_serial_one():
    from planner.analysis.robust import robust_solve
    from tests.analysis.test_robust import packed

    serial = robust_solve(packed(), 0.9, Settings(time_limit=20), samples=200)
    remote = robust_solve(packed(), 0.9, Settings(time_limit=20), samples=200, workers=2)
    assert serial.cost.equals(remote.cost)
    assert serial.rounds.equals(remote.rounds)
    assert serial.plan.assignments.equals(remote.plan.assignments)
