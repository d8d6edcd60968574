"""The benchmark generator: deterministic, sized as asked, feasible and loadable."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from benchmarks.generate import SIZES, generate, write
from models.scenario import Scenario

TINY = {"staff": 12, "units": 3, "initiatives": 8, "periods": 6}


@pytest.fixture(scope="module")
def small() -> dict:
    return generate("S", seed=3)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = write(generate("S", seed=5), tmp_path / "a")
    b = write(generate("S", seed=5), tmp_path / "b")
    assert _files(a.parent) == _files(b.parent)
    assert set(_files(a.parent)) == {"scenario.yaml", "staff.csv", "rtb.csv",
                                     "initiatives.csv", "effort.csv"}
    c = write(generate("S", seed=6), tmp_path / "c")
    assert _files(a.parent) != _files(c.parent)


def test_sizes_match(small: dict) -> None:
    want = SIZES["S"]
    assert len(small["staff"]) == want["staff"]
    assert len(small["units"]) == want["units"]
    assert len(small["initiatives"]) == want["initiatives"]
    assert small["horizon"]["periods"] == 12
    tiny = generate("S", seed=1, **TINY)
    assert (len(tiny["staff"]), len(tiny["units"]), len(tiny["initiatives"])) == (12, 3, 8)
    assert tiny["horizon"]["periods"] == 6
    assert all(len(line["hours"]) == 6 for line in tiny["run_the_business"])


def test_unknown_override_is_refused() -> None:
    with pytest.raises(TypeError, match="staf"):
        generate("S", staf=10)
    with pytest.raises(ValueError, match="size"):
        generate("XXL")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_valid_against_the_models(seed: int) -> None:
    sc = Scenario.model_validate(generate("S", seed=seed))
    assert any(i.mandatory for i in sc.initiatives)
    assert sc.external and sc.policy.budget


def _capacity(sc: Scenario, labels: list[str]) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """Per (unit, main skill): capacity and change-share capacity per period."""
    hpf, util = sc.horizon.hours_per_fte, sc.policy.max_utilisation
    out: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for p in sc.staff:
        main = max(p.skills, key=lambda s: p.skills[s])
        assert p.skills[main] == 1.0
        cap = np.array([hpf * p.fte * p.availability.get(lb, 1.0) for lb in labels])
        d = out.setdefault((p.unit, main), {"cap": 0 * cap, "change": 0 * cap})
        d["cap"] = d["cap"] + util * cap
        d["change"] = d["change"] + min(util, p.max_change_share) * cap
    return out


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("kw", [{}, TINY], ids=["S", "tiny"])
def test_mandatory_work_fits(seed: int, kw: dict) -> None:
    """must RTB + all mandatory work at once fits each unit's main-skill capacity."""
    sc = Scenario.model_validate(generate("S", seed=seed, **kw))
    from planner.problem.calendar import labels as horizon_labels

    labels = horizon_labels(sc.horizon)
    T = len(labels)
    cap = _capacity(sc, labels)
    need: dict[tuple[str, str], np.ndarray] = {}
    for line in sc.run_the_business:
        key = (line.unit, line.skill)
        assert key in cap, f"RTB for {key} but nobody has it as main skill"
        if line.priority == "must":
            h = line.hours if isinstance(line.hours, list) else [line.hours] * T
            need[key] = need.get(key, np.zeros(T)) + np.array(h)
    change: dict[tuple[str, str], float] = {}
    for ini in sc.initiatives:
        if not ini.mandatory:
            continue
        assert not ini.depends_on and not ini.exclusive_with
        if ini.deadline is not None:
            assert ini.duration - 1 <= labels.index(ini.deadline)
        for e in ini.effort:
            # worst case: every mandatory initiative runs in the same periods
            change[(e.unit, e.skill)] = change.get((e.unit, e.skill), 0.0) + e.hours / ini.duration
    for key, c in cap.items():
        m = need.get(key, np.zeros(T)) + change.get(key, 0.0)
        assert (m <= c["cap"] + 1e-6).all(), key
        assert change.get(key, 0.0) <= c["change"].min() + 1e-6, key
    assert set(change) <= set(cap)


@pytest.mark.parametrize("seed", [0, 1])
def test_selection_matters(seed: int) -> None:
    """Change demand is well above the capacity left after RTB; the budget binds."""
    sc = Scenario.model_validate(generate("S", seed=seed))
    hpf, util = sc.horizon.hours_per_fte, sc.policy.max_utilisation
    cap = sum(hpf * p.fte * util * sum(p.availability.get(lb, 1.0) for lb in
              [f"2027-{m:02d}" for m in range(1, 13)]) for p in sc.staff)
    rtb = sum(sum(r.hours) if isinstance(r.hours, list) else 12 * r.hours
              for r in sc.run_the_business)
    change = sum(i.total_hours for i in sc.initiatives)
    assert 0.5 < rtb / (cap / util) < 0.8
    assert 1.3 < change / (cap - rtb) < 3.0
    cost = sum(i.cost for i in sc.initiatives)
    mandatory = sum(i.cost for i in sc.initiatives if i.mandatory)
    assert mandatory < sc.policy.budget < cost


@pytest.mark.parametrize("seed", [0, 4])
def test_dependencies_acyclic_and_fit(seed: int) -> None:
    sc = Scenario.model_validate(generate("S", seed=seed))
    pos = {i.id: k for k, i in enumerate(sc.initiatives)}
    finish: dict[str, int] = {}
    labels = [f"2027-{m:02d}" for m in range(1, 13)]
    for k, ini in enumerate(sc.initiatives):
        for d in ini.depends_on:
            assert pos[d] < k  # prerequisites come earlier: no cycle possible
        for x in ini.exclusive_with:
            assert x in pos and x != ini.id and x not in ini.depends_on
        es = labels.index(ini.earliest_start) if ini.earliest_start else 0
        start = max([es] + [finish[d] + 1 for d in ini.depends_on])
        finish[ini.id] = start + ini.duration - 1
        last = labels.index(ini.deadline) if ini.deadline else 11
        assert finish[ini.id] <= last, ini.id


def test_csv_conventions(tmp_path: Path) -> None:
    sc = generate("S", seed=2, **TINY)
    path = write(sc, tmp_path)
    folder = path.parent

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    staff = rows("staff.csv")
    assert len(staff) == 12
    for row, person in zip(staff, sc["staff"], strict=True):
        skills = dict(part.split(":") for part in row["skills"].split(";"))
        assert {k: float(v) for k, v in skills.items()} == person["skills"]
        avail = person.get("availability", {})
        assert row["availability"] == ";".join(f"{k}:{v:g}" for k, v in avail.items())
    rtb = rows("rtb.csv")
    assert list(rtb[0])[:3] == ["unit", "skill", "priority"]
    assert list(rtb[0])[3:] == [f"2027-{m:02d}" for m in range(1, 7)]
    inits = rows("initiatives.csv")
    assert [r["id"] for r in inits] == [i["id"] for i in sc["initiatives"]]
    assert all(r["mandatory"] in ("true", "false") for r in inits)
    effort = rows("effort.csv")
    assert list(effort[0]) == ["initiative", "unit", "skill", "hours"]
    assert len(effort) == sum(len(i["effort"]) for i in sc["initiatives"])
    text = path.read_text(encoding="utf-8")
    assert "csv: staff.csv" in text and "effort: effort.csv" in text


@pytest.mark.parametrize("kw", [{}, TINY], ids=["S", "tiny"])
def test_written_files_load(tmp_path: Path, kw: dict) -> None:
    load = pytest.importorskip("planner.io.load")
    sc = generate("S", seed=0, **kw)
    loaded = load.load_scenario(write(sc, tmp_path))
    assert loaded == Scenario.model_validate(sc)


def test_cli_writes_a_folder(tmp_path: Path) -> None:
    from benchmarks.generate import main

    assert main(["--size", "S", "--seed", "1", "--out", str(tmp_path), "--staff", "20",
                 "--units", "3", "--initiatives", "5"]) == 0
    assert (tmp_path / "scenario.yaml").is_file()
    with (tmp_path / "staff.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in f) == 21
