"""``--baseline`` of another organisation is refused unless ``--force`` (issue 18.7)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from support import scenario, solve_checked

from planner.cli import main
from planner.io.export import write_plan
from tests.solving.test_driver import work


def _write(folder: Path, prefix: str, n: int = 4) -> Path:
    sc = scenario(units=[{"id": "dev"}],
                  staff=[{"id": f"{prefix}{k}", "unit": "dev", "skills": ["code"]}
                         for k in range(n)],
                  initiatives=[work(f"{prefix}-a", 10), work(f"{prefix}-b", 10)])
    return write_plan(solve_checked(sc), folder)


def _yaml(tmp_path: Path, prefix: str) -> Path:
    people = "\n".join(f"  - {{id: {prefix}{k}, unit: dev, skills: [code]}}" for k in range(4))
    line = "{unit: dev, skill: code, hours: 10}"
    inis = "\n".join(f"  - {{id: {prefix}-{x}, contributes: {{grow: strong}}, effort: [{line}]}}"
                     for x in "ab")
    path = tmp_path / f"{prefix}.yaml"
    path.write_text(f"""\
name: {prefix}
horizon: {{periods: 4, period: index, hours_per_fte: 10}}
strategy: {{objectives: [{{id: grow}}]}}
units: [{{id: dev}}]
staff:
{people}
initiatives:
{inis}
""", encoding="utf-8")
    return path


def test_other_organisation_is_refused_with_the_overlap(tmp_path: Path) -> None:
    base = _write(tmp_path / "theirs", "x")
    r = CliRunner().invoke(main, ["solve", str(_yaml(tmp_path, "p")), "--out",
                                  str(tmp_path / "out"), "--baseline", str(base)])
    assert r.exit_code == 1, r.output
    assert "another organisation" in r.output
    assert "0 of 4 people (0%) and 0 of 2 initiatives (0%) in common" in r.output
    assert not (tmp_path / "out").exists()


def test_force_accepts_it(tmp_path: Path) -> None:
    base = _write(tmp_path / "theirs", "x")
    r = CliRunner().invoke(main, ["solve", str(_yaml(tmp_path, "p")), "--out",
                                  str(tmp_path / "out"), "--baseline", str(base), "--force"])
    assert r.exit_code == 0, r.output


def test_same_organisation_is_accepted(tmp_path: Path) -> None:
    base = _write(tmp_path / "ours", "p")
    r = CliRunner().invoke(main, ["solve", str(_yaml(tmp_path, "p")), "--out",
                                  str(tmp_path / "out"), "--baseline", str(base)])
    assert r.exit_code == 0, r.output
