"""Initiative ``status``: committed is forced in, rejected is kept out, ``--only approved``.

One developer with 10 h per period over 4 periods; each initiative takes 10 h
in one period unless said otherwise, so every outcome is checked by hand.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from support import scenario, solve_checked

from planner.checker import check_plan
from planner.cli import main
from planner.errors import ScenarioError
from planner.io.load import load_scenario


def work(id: str, h: float, score: float, duration: int = 1, **kw: object) -> dict:
    return {"id": id, "contributes": {"grow": score}, "duration": duration,
            "effort": [{"unit": "dev", "skill": "code", "hours": h}], **kw}


def team(*initiatives: dict, **sections: object) -> object:
    return scenario(units=[{"id": "dev"}], staff=[{"id": "d0", "unit": "dev", "skills": ["code"]}],
                    initiatives=list(initiatives), **sections)


def test_committed_is_forced_in_like_mandatory():
    # free choice: "big" (40 h, score 1) beats "small" (10 h, score 0.1); both need the
    # whole capacity together (50 h > 40 h)
    assert solve_checked(team(work("big", 40, 1.0, 4), work("small", 10, 0.1))).selected == [
        "big"]
    plan = solve_checked(team(work("big", 40, 1.0, 4), work("small", 10, 0.1,
                                                            status="committed")))
    assert plan.selected == ["small"]
    assert plan.initiative("small").mandatory
    assert plan.initiative("small").reason == "committed"


def test_rejected_is_kept_out_and_says_so():
    plan = solve_checked(team(work("best", 10, 1.0, status="rejected"), work("next", 10, 0.5),
                              work("ok", 10, 0.2, status="approved")))
    assert plan.selected == ["next", "ok"]
    assert plan.initiative("best").reason == "rejected"


def test_status_contradictions_are_errors():
    with pytest.raises(ScenarioError) as exc:
        team(work("a", 10, 1.0, status="rejected", mandatory=True),
             work("b", 10, 1.0, status="committed", pin="out"),
             work("c", 10, 1.0, status="committed", depends_on=["d"]),
             work("d", 10, 1.0, status="rejected"))
    text = "\n".join(str(i) for i in exc.value.issues)
    assert "initiatives 'a', field 'status': a rejected initiative cannot be mandatory" in text
    assert "initiatives 'b', field 'status': a committed initiative cannot be pinned out" in text
    assert ("initiatives 'c', field 'depends_on': committed initiative depends on 'd', which "
            "is rejected") in text


def test_the_checker_knows_the_statuses(tmp_path):
    from planner.io.export import write_plan

    free = team(work("a", 10, 1.0), work("b", 10, 0.5))
    out = write_plan(solve_checked(free), tmp_path / "plan")
    assert check_plan(free, out).ok
    rejected = team(work("a", 10, 1.0, status="rejected"), work("b", 10, 0.5))
    report = check_plan(rejected, out)
    assert not report.ok and "a: is rejected (status rejected) but selected" in report.to_text()
    # a plan made with c pinned out, checked against c committed
    pinned = team(work("a", 10, 1.0), work("b", 10, 0.5), work("c", 10, 0.1, pin="out"))
    out2 = write_plan(solve_checked(pinned), tmp_path / "plan2")
    committed = team(work("a", 10, 1.0), work("b", 10, 0.5),
                     work("c", 10, 0.1, status="committed"))
    assert "c: is committed but not selected" in check_plan(committed, out2).to_text()


YAML = """\
name: review
horizon: {periods: 4, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
  - {id: best, contributes: {grow: 1.0}, effort: [{unit: dev, skill: code, hours: 10}]}
  - {id: fine, status: approved, contributes: {grow: 0.5},
     effort: [{unit: dev, skill: code, hours: 10}]}
  - {id: must, status: committed, contributes: {grow: 0.1},
     effort: [{unit: dev, skill: code, hours: 10}]}
  - {id: legal, mandatory: true, contributes: {grow: 0.1},
     effort: [{unit: dev, skill: code, hours: 10}]}
"""


def _portfolio(folder) -> dict[str, dict[str, str]]:
    with (folder / "portfolio.csv").open() as fh:
        return {r["initiative"]: r for r in csv.DictReader(fh)}


def test_only_approved_plans_from_approved_and_committed(write_scenario, tmp_path):
    path = write_scenario(YAML)
    runner = CliRunner()
    out = tmp_path / "plan"
    res = runner.invoke(main, ["solve", str(path), "--out", str(out), "--strategy", "greedy",
                               "-q", "--only", "approved"])
    assert res.exit_code == 0, res.output
    rows = _portfolio(out)
    # "best" is only proposed: out, although it is worth most; the mandatory one stays in
    assert rows["best"]["selected"] == "false"
    assert rows["best"]["reason"] == "not approved"
    assert {k for k, r in rows.items() if r["selected"] == "true"} == {"fine", "must", "legal"}
    assert [rows[k]["review_status"] for k in ("best", "fine", "must", "legal")] == [
        "proposed", "approved", "committed", "proposed"]
    assert json.loads((out / "plan.json").read_text())["overrides"] == [
        "policy.plan_from=approved"]
    res = runner.invoke(main, ["check", str(path), str(out)])
    assert res.exit_code == 0, res.output
    change = (out / "change_plan.csv").read_text().splitlines()
    assert change[0].endswith(",review_status")
    # without --only the best initiative is chosen
    free = tmp_path / "free"
    res = runner.invoke(main, ["solve", str(path), "--out", str(free), "--strategy", "greedy",
                               "-q"])
    assert res.exit_code == 0, res.output
    assert _portfolio(free)["best"]["selected"] == "true"


def test_status_can_be_set_from_the_command_line(write_scenario, tmp_path):
    path = write_scenario(YAML)
    s = load_scenario(path, ["initiatives.best.status=approved", "policy.plan_from=approved"])
    assert s.out_reason(s.initiatives[0]) is None
    res = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "p"), "-q",
                                    "--strategy", "greedy", "--only", "approved",
                                    "--set", "initiatives.best.status=approved"])
    assert res.exit_code == 0, res.output
    assert _portfolio(tmp_path / "p")["best"]["selected"] == "true"
    res = CliRunner().invoke(main, ["validate", str(path), "--set",
                                    "initiatives.best.status=aproved"])
    assert res.exit_code == 1
    assert "--set: initiatives 'best', field 'status'" in res.output
