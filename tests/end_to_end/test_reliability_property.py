"""Property tests of the whole path: scenario file -> `planner solve` -> `planner check`.

Hypothesis draws small but varied scenarios (multi-skill staff with proficiency
and leave, must/high/normal RTB, dependencies, exclusivity, windows, mandatory
sets, contractors, borrowing on and off, budgets that bind). For each one,
``planner solve`` (optimal and greedy) must either

* exit 0 with a plan folder that ``planner check`` accepts and whose views add up
  to their totals, or
* exit 3 with a diagnosis whose shortfall is real: adding exactly the reported
  hours (as staff of that unit and skill, available only in that period), the
  reported money (to the budget) and dropping the initiatives reported as
  impossible gives a scenario that solves.

25 examples per test by default; ``HYPOTHESIS_PROFILE=nightly`` runs many more.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import event, given, reject, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.errors import InfeasibleError, ScenarioError
from planner.io.load import load_scenario_text
from planner.solving import Settings, solve
from planner.solving.diagnose import Diagnosis


def examples(default: int = 25) -> int:
    """Examples per whole-path test: ``default``, or a quarter of the nightly profile's."""
    return max(default, settings.default.max_examples // 4)


SKILLS = ("s0", "s1", "s2")
RATINGS = ("low", "moderate", "strong", "extreme", 0.3)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario dict in the YAML format (index periods)."""
    T = draw(st.integers(2, 5))
    hpf = draw(st.sampled_from([10, 20, 40]))
    n_units = draw(st.integers(1, 3))
    units = [f"u{k}" for k in range(n_units)]
    objectives = [{"id": f"o{k}", "weight": draw(st.sampled_from([1, 2, 5]))}
                  for k in range(draw(st.integers(1, 2)))]

    staff = []
    for k in range(draw(st.integers(1, 5))):
        skills = draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=2, unique=True))
        person: dict[str, Any] = {
            "id": f"p{k}",
            "unit": draw(st.sampled_from(units)),
            "skills": {s: draw(st.sampled_from([1.0, 1.0, 0.8, 0.5])) for s in skills},
            "fte": draw(st.sampled_from([1.0, 1.0, 0.5])),
            "cost_per_hour": draw(st.sampled_from([0, 10, 50])),
        }
        if draw(st.booleans()):
            person["max_change_share"] = draw(st.sampled_from([0.5, 0.8]))
        if draw(st.booleans()):
            leave = draw(st.integers(1, T))
            person["availability"] = {leave: draw(st.sampled_from([0.0, 0.5]))}
        if draw(st.integers(0, 3)) == 0:  # a development wish, often of a skill they lack
            wish = draw(st.sampled_from(SKILLS))
            person["develop"] = draw(st.sampled_from([[wish], {wish: 5}, {wish: 30}]))
        staff.append(person)

    rtb = []
    for _ in range(draw(st.integers(0, 3))):
        line: dict[str, Any] = {
            "unit": draw(st.sampled_from(units)),
            "skill": draw(st.sampled_from(SKILLS)),
            "priority": draw(st.sampled_from(["must", "high", "normal"])),
        }
        if draw(st.booleans()):
            line["hours"] = draw(st.integers(0, hpf))
        else:
            line["hours"] = [draw(st.integers(0, hpf)) for _ in range(T)]
        rtb.append(line)

    initiatives: list[dict[str, Any]] = []
    n_init = draw(st.integers(1, 5))
    for k in range(n_init):
        duration = draw(st.integers(1, min(3, T)))
        ini: dict[str, Any] = {
            "id": f"i{k}",
            "duration": duration,
            "contributes": {o["id"]: draw(st.sampled_from(RATINGS))
                            for o in draw(st.lists(st.sampled_from(objectives), max_size=2,
                                                   unique_by=lambda o: o["id"]))},
            "cost": draw(st.sampled_from([0, 0, 100, 1000])),
            "value": draw(st.sampled_from([0, 500, 5000])),
            "mandatory": draw(st.integers(0, 3)) == 0,
            "effort": [
                {"unit": draw(st.sampled_from(units)), "skill": draw(st.sampled_from(SKILLS)),
                 "hours": draw(st.integers(0, 2 * hpf * duration))}
                for _ in range(draw(st.integers(0, 2)))
            ],
        }
        # a window of at least `duration` periods, so that validation accepts it
        first = draw(st.integers(1, T - duration + 1))
        if draw(st.booleans()):
            ini["earliest_start"] = first
        if draw(st.booleans()):
            ini["deadline"] = draw(st.integers(first + duration - 1, T))
        if k and draw(st.integers(0, 3)) == 0:
            ini["depends_on"] = [f"i{draw(st.integers(0, k - 1))}"]
        if k and draw(st.integers(0, 4)) == 0:
            j = draw(st.integers(0, k - 1))
            if not (ini["mandatory"] and initiatives[j]["mandatory"]):
                ini["exclusive_with"] = [f"i{j}"]
        initiatives.append(ini)

    external = []
    if draw(st.booleans()):
        external.append({"skill": draw(st.sampled_from(SKILLS)),
                         "max_fte": draw(st.sampled_from([0.25, 0.5, 1.0])),
                         "cost_per_hour": draw(st.sampled_from([5, 100])),
                         "from": draw(st.integers(1, T))})

    policy: dict[str, Any] = {
        "borrowing": draw(st.booleans()),
        "max_utilisation": draw(st.sampled_from([1.0, 0.9])),
    }
    if draw(st.booleans()):
        # binding: a share of what everything would cost
        total = sum(i["cost"] for i in initiatives) + 100 * hpf * T
        policy["budget"] = round(total * draw(st.sampled_from([0.0, 0.2, 0.5])))
    if draw(st.booleans()):
        units_out = [{"id": u, "budget": draw(st.sampled_from([0, 500, 5000]))}
                     if draw(st.integers(0, 3)) == 0 else {"id": u} for u in units]
    else:
        units_out = [{"id": u} for u in units]
    return {
        "name": "prop",
        "horizon": {"periods": T, "period": "index", "hours_per_fte": hpf},
        "strategy": {"objectives": objectives},
        "units": units_out,
        "staff": staff,
        "run_the_business": rtb,
        "initiatives": initiatives,
        "external": external,
        "policy": policy,
    }


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _write(tmp: Path, name: str, doc: dict[str, Any]) -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _solve_and_check(path: Path, out: Path, *extra: str) -> Any:
    """Run `planner solve`; on exit 0 also `planner check` and the view totals."""
    res = _run("solve", str(path), "--out", str(out), "--quiet", "--time-limit", "20", *extra)
    assert res.exit_code in (0, 3), res.output
    assert "Traceback" not in res.output
    if res.exit_code == 0:
        check = _run("check", str(path), str(out))
        assert check.exit_code == 0, check.output + (path.read_text())
        assert_views_add_up(out)
    else:
        assert not out.exists(), "an infeasible solve must write nothing"
        assert "infeasible" in res.output
    return res


def _diagnosis(doc: dict[str, Any], strategy: str = "optimal") -> Diagnosis | str:
    sc = load_scenario_text(yaml.safe_dump(doc))
    try:
        solve(sc, Settings(strategy=strategy, time_limit=20))
    except InfeasibleError as exc:
        return exc.diagnosis if exc.diagnosis is not None else str(exc)
    raise AssertionError("the CLI exited 3 but the library solved the scenario")


def with_shortfall_added(doc: dict[str, Any], diagnosis: Diagnosis) -> dict[str, Any]:
    """``doc`` plus the capacity, money and relaxations the diagnosis says are missing."""
    doc = yaml.safe_load(yaml.safe_dump(doc))  # deep copy
    hpf = doc["horizon"]["hours_per_fte"]
    util = doc["policy"].get("max_utilisation", 1.0)
    T = doc["horizon"]["periods"]
    staffed_before = {p["unit"] for p in doc["staff"]}
    extra = 0
    for s in diagnosis.shortfalls:
        if s.kind in ("change", "rtb"):
            hours = s.amount * (1 + 1e-6) + 1e-4  # the diagnosis is rounded by the solver
            n = math.ceil(hours / (hpf * 2.0 * util))  # fte is at most 2 per person
            for _ in range(n):
                doc["staff"].append({
                    "id": f"extra{extra}", "unit": s.unit, "skills": [s.skill],
                    "fte": hours / (n * hpf * util),
                    "availability": {t: (1.0 if str(t) == s.period else 0.0)
                                     for t in range(1, T + 1)},
                })
                extra += 1
        elif s.kind == "budget":
            doc["policy"]["budget"] += s.amount + 0.01
        elif s.kind == "unit_budget":
            for u in doc["units"]:
                if u["id"] == s.unit:
                    u["budget"] += s.amount + 0.01
        elif s.kind == "left_out":
            for ini in doc["initiatives"]:
                if ini["id"] in s.initiatives:
                    ini["mandatory"] = False
        else:  # pragma: no cover - a new kind must be taught to this test
            raise AssertionError(f"unknown shortfall kind {s.kind}")
    _keep_skeletons(doc, staffed_before)
    return doc


def _keep_skeletons(doc: dict[str, Any], staffed_before: set[str]) -> None:
    """Effort in a skill nobody has is a warning in a unit without staff (a skeleton not
    yet filled in) and an error once the unit has people; the people added above must not
    turn the one into the other, so a unit they staff for the first time also gets a
    person with those skills and no hours at all (no capacity changes)."""
    have = {k for p in doc["staff"] for k in p["skills"]}
    have |= {e["skill"] for e in doc.get("external") or []}
    T = doc["horizon"]["periods"]
    for u in sorted({p["unit"] for p in doc["staff"]} - staffed_before):
        lacking = sorted({ln["skill"] for ini in doc["initiatives"]
                          for ln in ini.get("effort") or []
                          if ln["unit"] == u and ln["skill"] not in have})
        if lacking:
            doc["staff"].append({"id": f"skeleton-{u}", "unit": u, "skills": lacking,
                                 "availability": {t: 0.0 for t in range(1, T + 1)}})


def _whole_path(tmp: Path, doc: dict[str, Any], strategy: str) -> None:
    try:
        load_scenario_text(yaml.safe_dump(doc))
    except ScenarioError:
        reject()  # e.g. exclusive initiatives both required: refused by validation (exit 1)
    path = _write(tmp, "scenario", doc)
    text = path.read_text()
    res = _solve_and_check(path, tmp / "plan", "--strategy", strategy)
    assert path.read_text() == text, "the input must never be touched"
    event(f"{strategy}: exit {res.exit_code}")
    if res.exit_code == 0:
        return
    diagnosis = _diagnosis(doc, strategy)
    if strategy == "greedy" and isinstance(diagnosis, str):
        # the greedy names what it could not place; the exact diagnosis must agree that
        # something is short (the greedy never gives up on a scenario the optimiser solves)
        diagnosis = _diagnosis(doc, "optimal")
    assert isinstance(diagnosis, Diagnosis) and diagnosis.found, res.output
    assert diagnosis.shortfalls, "exit 3 must name at least one shortfall"
    for s in diagnosis.shortfalls:
        event(f"shortfall: {s.kind}")
        assert s.amount > 0
        if s.kind in ("change", "rtb"):
            assert f"{s.unit}/{s.skill} in {s.period}" in res.output or strategy == "greedy"
    fixed = with_shortfall_added(doc, diagnosis)
    fixed_path = _write(tmp, "fixed", fixed)
    res2 = _run("solve", str(fixed_path), "--out", str(tmp / "fixed-plan"), "--quiet",
                "--time-limit", "20")
    assert res2.exit_code == 0, (
        f"adding the reported shortfall did not make the scenario feasible:\n{res.output}\n"
        f"{res2.output}"
    )
    check = _run("check", str(fixed_path), str(tmp / "fixed-plan"))
    assert check.exit_code == 0, check.output


@settings(max_examples=examples())
@given(doc=scenarios())
def test_solve_writes_a_checked_plan_or_a_real_diagnosis(tmp_path_factory, doc):
    _whole_path(tmp_path_factory.mktemp("prop"), doc, "optimal")


@settings(max_examples=examples())
@given(doc=scenarios())
def test_greedy_writes_a_checked_plan_or_a_real_diagnosis(tmp_path_factory, doc):
    _whole_path(tmp_path_factory.mktemp("greedy"), doc, "greedy")


# --------------------------------------------------------------------------- numbers


def _table(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _sum(rows: list[dict[str, str]], col: str, **match: Any) -> Decimal:
    return sum((Decimal(r[col] or "0") for r in rows
                if all(m(r) if callable(m) else r[k] == m for k, m in match.items())),
               Decimal(0))


def assert_views_add_up(out: Path) -> None:
    """Every total in the written views equals the sum of the rows it totals, exactly.

    The numbers are read as written (decimal text: hours with at most 4 decimals,
    money in cents) and summed without floating point, so a spreadsheet's SUM over
    a view gives exactly the total another view shows.
    """
    a = _table(out / "assignments.csv")
    summary = {r["metric"]: Decimal(r["value"] or "0") for r in _table(out / "summary.csv")
               if r["unit_of_measure"] in ("hours", "money")}
    is_rtb = lambda r: r["work"].startswith("rtb:")  # noqa: E731
    is_change = lambda r: not r["work"].startswith("rtb:")  # noqa: E731
    is_staff = lambda r: not r["person"].startswith("external:")  # noqa: E731
    staff_hours = _sum(a, "hours", person=is_staff)  # contractors have no unit or plan
    assert _sum(a, "hours", work=is_rtb) == summary["rtb_hours"]
    assert _sum(a, "hours", work=is_change) == summary["change_hours"]
    for r in _table(out / "portfolio.csv"):
        assert _sum(a, "hours", work=r["initiative"]) == Decimal(r["labour_hours"] or "0"), r
    w = _table(out / "workload.csv")
    assert _sum(w, "planned_hours") == staff_hours
    assert _sum(w, "rtb_planned") == _sum(a, "delivered", work=is_rtb)
    assert _sum(w, "change_planned") == _sum(a, "delivered", work=is_change)
    assert _sum(_table(out / "unit_plans.csv"), "planned_hours") == staff_hours
    assert _sum(_table(out / "individual_plans.csv"), "total_hours") == staff_hours
    assert _sum(w, "external") == _sum(a, "delivered", person=lambda r: not is_staff(r))
    for r in _table(out / "development.csv"):
        mine = _sum(a, "hours", person=r["person"], skill=r["skill"])
        assert mine == Decimal(r["hours_planned"]), r
    fin = _table(out / "finance.csv")
    assert _sum(fin, "amount") == summary["total_cost"]
    assert _sum(fin, "amount", category="internal_labour") == summary["internal_labour_cost"]
    assert _sum(fin, "amount", category="non_labour") == summary["initiative_cost"]
    is_external = lambda r: r["category"] not in ("internal_labour", "non_labour")  # noqa: E731
    assert _sum(fin, "amount", category=is_external) == summary["external_cost"]
    budget = _table(out / "budget.csv")
    units = [r for r in budget if r["scope"] == "unit"]
    for row in (r for r in budget if r["scope"] == "total"):
        for col in ("initiative_cost", "external_cost", "internal_labour_cost"):
            assert _sum(units, col) == Decimal(row[col] or "0"), col
        assert Decimal(row["incremental_spend"] or "0") == summary["incremental_spend"]
    for r in _table(out / "initiative_costs.csv"):
        parts = _sum([r], "non_labour_cost") + _sum([r], "external_cost")
        assert parts == Decimal(r["incremental_cost"] or "0"), r
        assert parts + _sum([r], "internal_labour_cost") == Decimal(r["total_cost"] or "0"), r
