"""The report from the command line: report, solve --report, compare --report, frontier --report."""

from __future__ import annotations

import copy

import yaml
from click.testing import CliRunner

from planner.cli import main
from tests.report.plans import SERVICES
from tests.views.test_views import TINY


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _scenario(tmp_path, name="tiny.yaml", **policy):
    data = copy.deepcopy(TINY)
    data["policy"].update(policy)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_solve_report_writes_report_html_into_the_plan_folder(tmp_path):
    out = tmp_path / "plan"
    result = run("solve", str(SERVICES), "--out", str(out), "--report", "-q")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Brightwater Advisory 2027" in html and 'id="people-data"' in html
    assert "€190,000" in html  # the budget, in the scenario's currency
    assert run("check", str(SERVICES), str(out)).exit_code == 0


def test_report_rebuilds_from_plan_json(tmp_path):
    plan = tmp_path / "plan"
    assert run("solve", str(_scenario(tmp_path)), "--out", str(plan), "-q").exit_code == 0
    assert not (plan / "report.html").exists()
    result = run("report", str(plan))
    assert result.exit_code == 0, result.output
    first = (plan / "report.html").read_text(encoding="utf-8")
    for name in ("portfolio.csv", "assignments.csv"):  # plan.json is all it needs
        (plan / name).unlink()
    other = tmp_path / "elsewhere" / "r.html"
    assert run("report", str(plan / "plan.json"), "--out", str(other)).exit_code == 0
    assert other.read_text(encoding="utf-8") == first


def test_report_of_a_folder_without_a_plan_fails_clearly(tmp_path):
    result = run("report", str(tmp_path))
    assert result.exit_code == 1
    assert "not a plan folder" in result.output
    assert list(tmp_path.iterdir()) == []


def test_compare_and_frontier_write_reports(tmp_path):
    base = _scenario(tmp_path)
    cut = _scenario(tmp_path, "cut.yaml", budget=1000)
    target = tmp_path / "compare.html"
    result = run("compare", str(base), str(cut), "--report", str(target))
    assert result.exit_code == 0, result.output
    assert "dropped" in target.read_text(encoding="utf-8")
    out = tmp_path / "frontier"
    result = run("frontier", str(base), "--budget", "0,1000,1500", "--workers", "1",
                 "--out", str(out), "--report")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "frontier-value" in html and "report.html" in result.output


def test_a_failing_report_does_not_lose_the_plan(tmp_path, monkeypatch):
    import planner.report

    def broken(plan):
        raise RuntimeError("boom")

    monkeypatch.setattr(planner.report, "report_html", broken)
    out = tmp_path / "plan"
    result = run("solve", str(_scenario(tmp_path)), "--out", str(out), "--report", "-q")
    assert result.exit_code == 0, result.output
    assert (out / "plan.json").is_file() and not (out / "report.html").exists()
    assert "report.html not written (RuntimeError: boom)" in result.output
