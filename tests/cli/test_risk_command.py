"""``planner risk``: the CSV tables hold the library's numbers, the report gets a section.

The plan is the one-line case of ``tests/analysis/test_risk.py`` (one initiative of
100 h over 2 periods, effort triangular(0.8, 1, 1.5), on time with P 0.742857).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import scenario, solve_checked

from planner.analysis.risk import assess, write_risk
from planner.cli import main
from planner.io.export import write_plan

UNCERTAIN = {"effort": {"low": 0.8, "high": 1.5}}


def one_line(uncertainty: dict | None) -> object:
    return scenario(
        horizon={"periods": 2, "period": "index", "hours_per_fte": 100},
        units=[{"id": "a"}],
        staff=[{"id": "p", "unit": "a", "skills": ["x"], "max_change_share": 0.6}],
        initiatives=[{"id": "i", "contributes": {"grow": 1}, "duration": 2, "deadline": "2",
                      "effort": [{"unit": "a", "skill": "x", "hours": 100}]}],
        uncertainty=uncertainty,
    )


@pytest.fixture(scope="module")
def plan():
    return solve_checked(one_line(UNCERTAIN))


def test_risk_writes_the_tables_of_the_library(tmp_path: Path, plan) -> None:
    folder = write_plan(plan, tmp_path / "plan")
    out = tmp_path / "risk"
    r = CliRunner().invoke(main, ["risk", str(folder), "--samples", "200", "--seed", "2",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "the plan holds in" in r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "budget.csv", "initiatives.csv", "kpis.csv", "rtb.csv", "summary.csv"]
    head = (out / "initiatives.csv").read_text().splitlines()[0]
    assert head.startswith("initiative,name,progress,planned_start,planned_finish,deadline,"
                           "p_on_time")
    again = tmp_path / "again"
    write_risk(assess(plan, 200, seed=2), again)
    for name in ("initiatives.csv", "summary.csv", "budget.csv"):
        assert (again / name).read_text() == (out / name).read_text()
    # no report.html in the plan folder: none is written
    assert not (folder / "report.html").exists()


def test_a_local_cluster_gives_the_serial_numbers(tmp_path: Path, plan) -> None:
    folder = write_plan(plan, tmp_path / "plan")
    runner = CliRunner()
    for w in ("1", "2"):
        r = runner.invoke(main, ["risk", str(folder), "--samples", "400", "--seed", "9",
                                 "--workers", w, "--out", str(tmp_path / f"w{w}"), "-q"])
        assert r.exit_code == 0, r.output
    for name in ("initiatives.csv", "summary.csv", "rtb.csv", "budget.csv", "kpis.csv"):
        assert (tmp_path / "w1" / name).read_text() == (tmp_path / "w2" / name).read_text()


def test_plan_without_uncertainty_is_refused_and_nothing_written(tmp_path: Path) -> None:
    folder = write_plan(solve_checked(one_line(None)), tmp_path / "plan")
    r = CliRunner().invoke(main, ["risk", str(folder), "--samples", "10"])
    assert r.exit_code == 1
    assert "no 'uncertainty:' section" in r.output
    assert not (tmp_path / "plan-risk").exists()


def test_the_uncertainty_may_come_from_another_file(tmp_path: Path) -> None:
    folder = write_plan(solve_checked(one_line(None)), tmp_path / "plan")
    other = tmp_path / "other.yaml"
    other.write_text("""\
name: other
horizon: {periods: 2, period: index, hours_per_fte: 100}
units: [{id: a}]
staff: [{id: p, unit: a, skills: [x]}]
uncertainty: {slip: {1: 1.0}}
""")
    r = CliRunner().invoke(main, ["risk", str(folder), "--samples", "20", "--uncertainty",
                                  str(other), "--out", str(tmp_path / "r"), "-q"])
    assert r.exit_code == 0, r.output
    # every sample slips one period past the deadline (the horizon's end)
    text = (tmp_path / "r" / "summary.csv").read_text()
    assert "p_all_on_time,0\n" in text and "expected_slip_periods,1\n" in text


def test_an_existing_report_gets_a_risk_section(tmp_path: Path, plan) -> None:
    folder = write_plan(plan, tmp_path / "plan")
    runner = CliRunner()
    assert runner.invoke(main, ["report", str(folder)]).exit_code == 0
    assert 'id="risk"' not in (folder / "report.html").read_text()
    r = runner.invoke(main, ["risk", str(folder), "--samples", "100", "--out",
                             str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    html = (folder / "report.html").read_text()
    assert 'id="risk"' in html and 'href="#risk"' in html
    assert "risk section added to" in r.output
    # planner report alone rebuilds it without; --risk puts the section back
    assert runner.invoke(main, ["report", str(folder)]).exit_code == 0
    assert 'id="risk"' not in (folder / "report.html").read_text()
    r = runner.invoke(main, ["report", str(folder), "--risk", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    assert 'id="risk"' in (folder / "report.html").read_text()
    r = runner.invoke(main, ["report", str(folder), "--risk", str(folder)])
    assert r.exit_code == 2 and "is " in r.output and "planner risk" in r.output


@pytest.fixture(scope="module")
def scheduler():
    """A running Dask cluster (two worker processes), reached by its scheduler's address."""
    from planner.analysis.parallel import connect

    client, cluster = connect(workers=2)
    client.close()
    yield cluster.scheduler_address
    cluster.close()


def test_scheduler_option_runs_the_pieces_on_that_cluster(tmp_path: Path, plan,
                                                           scheduler: str) -> None:
    folder = write_plan(plan, tmp_path / "plan")
    runner = CliRunner()
    r = runner.invoke(main, ["risk", str(folder), "--samples", "300", "--seed", "3",
                             "--scheduler", scheduler, "--out", str(tmp_path / "remote"), "-q"])
    assert r.exit_code == 0, r.output
    write_risk(assess(plan, 300, seed=3), tmp_path / "here")
    for name in ("initiatives.csv", "summary.csv"):
        assert (tmp_path / "here" / name).read_text() == \
            (tmp_path / "remote" / name).read_text()
    # the frontier of the same scenario file, on the cluster and in this process
    path = tmp_path / "s.yaml"
    path.write_text("""\
name: s
horizon: {periods: 2, period: index, hours_per_fte: 100}
strategy: {objectives: [{id: grow}]}
units: [{id: a}]
staff: [{id: p, unit: a, skills: [x]}]
initiatives:
  - {id: i, contributes: {grow: 1}, cost: 50, effort: [{unit: a, skill: x, hours: 50}]}
  - {id: j, contributes: {grow: 0.5}, cost: 50, effort: [{unit: a, skill: x, hours: 50}]}
""")
    for where, extra in (("remote", ["--scheduler", scheduler]), ("here", ["--workers", "1"])):
        r = runner.invoke(main, ["frontier", str(path), "--budget", "0,50,100", "--out",
                                 str(tmp_path / f"f-{where}"), *extra])
        assert r.exit_code == 0, r.output
        assert "[3/3]" in r.output
    here = (tmp_path / "f-here" / "frontier.csv").read_text()
    assert here == (tmp_path / "f-remote" / "frontier.csv").read_text()
    # by hand: budget 50 buys i (score 1), 100 both (1.5; j enters)
    assert "\n50,0,optimal,1.05,1,0,50,1,i," in here
    assert "\n100,0,optimal,1.575,1.5,0,100,2,j," in here


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, plan) -> None:
    import dask

    folder = write_plan(plan, tmp_path / "plan")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        for address in ("tcp://127.0.0.1:1", "nonsense"):
            r = CliRunner().invoke(main, ["risk", str(folder), "--samples", "10",
                                          "--scheduler", address])
            assert r.exit_code == 1, r.output
            assert f"cannot reach the Dask scheduler at '{address}'" in r.output
    assert not (tmp_path / "plan-risk").exists()
