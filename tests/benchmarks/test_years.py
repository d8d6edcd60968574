"""``generate.py --years N``: long-term organisations, reproducible, loadable, solvable."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate, main, write
from models.scenario import Scenario
from planner.checker import check_plan
from planner.io.export import write_plan
from planner.io.load import load_scenario
from planner.solving import Settings, solve

TINY = {"staff": 30, "units": 3, "initiatives": 12}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_and_one_year_unchanged(tmp_path: Path) -> None:
    a = write(generate("S", seed=4, years=2), tmp_path / "a")
    b = write(generate("S", seed=4, years=2), tmp_path / "b")
    assert _files(a.parent) == _files(b.parent)
    # the several-years draws have a generator of their own: year one is the same org
    one = generate("S", seed=4)
    two = generate("S", seed=4, years=2)
    assert [p["id"] for p in one["staff"]] == [p["id"] for p in two["staff"]]


def test_shape_of_a_three_year_plan() -> None:
    sc = generate("S", seed=1, years=3)
    assert sc["horizon"]["periods"] == 36
    assert len(sc["initiatives"]) == 90  # 30 a year
    assert list(sc["policy"]["budget"]) == [2027, 2028, 2029]
    assert all(list(k["targets"]) == [2027, 2028, 2029] for k in sc["strategy"]["kpis"])
    phased = [i for i in sc["initiatives"] if "phases" in i]
    assert phased and all(len(i["phases"]) in (2, 3) for i in phased)
    model = Scenario.model_validate(sc)
    for ini in model.initiatives:
        if ini.phases:
            assert ini.duration == sum(p.duration for p in ini.phases)
    assert any(i.get("value_per_period") for i in sc["initiatives"])
    with pytest.raises(ValueError, match="years"):
        generate("S", seed=1, years=2, periods=24)


def test_written_long_term_org_loads_solves_and_checks(tmp_path: Path) -> None:
    sc = generate("S", seed=2, years=2, **TINY)
    path = write(sc, tmp_path / "org")
    loaded = load_scenario(path)
    assert loaded == Scenario.model_validate(sc)
    assert "phase" in (tmp_path / "org" / "effort.csv").read_text().splitlines()[0]
    plan = solve(loaded, Settings(time_limit=6))  # a plan, not a proof: the checker decides
    out = write_plan(plan, tmp_path / "plan")
    report = check_plan(loaded, out)
    assert report.ok, report.to_text()
    assert (out / "long_term_plan.csv").read_text().count("\n") == 3  # header + 2 years


def test_cli_years(tmp_path: Path) -> None:
    assert main(["--size", "S", "--seed", "0", "--out", str(tmp_path), "--years", "2",
                 "--staff", "20", "--units", "2", "--initiatives", "4"]) == 0
    assert "periods: 24" in (tmp_path / "scenario.yaml").read_text()
