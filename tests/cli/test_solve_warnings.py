"""``planner solve`` shows the first warnings, then how many more (issue 18.15)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planner.cli import main


def _scenario(tmp_path: Path, n: int) -> Path:
    # each initiative without effort and without objective draws two warnings
    inis = "\n".join(f"  - {{id: x{k}}}" for k in range(n))
    path = tmp_path / "s.yaml"
    path.write_text(f"""\
name: warned
horizon: {{periods: 2, period: index, hours_per_fte: 10}}
strategy: {{objectives: [{{id: grow}}]}}
units: [{{id: dev}}]
staff: [{{id: p1, unit: dev, skills: [code]}}]
initiatives:
{inis}
""", encoding="utf-8")
    return path


def _run(path: Path, tmp_path: Path) -> str:
    r = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "plan")],
                           terminal_width=200)
    assert r.exit_code == 0, r.output
    return r.output


def test_one_warning_is_shown(tmp_path: Path) -> None:
    out = _run(_scenario(tmp_path, 1), tmp_path)
    assert "2 warnings:" in out
    assert "initiatives 'x0': has no effort" in out
    assert "more (planner validate" not in out


def test_first_five_then_a_count(tmp_path: Path) -> None:
    out = _run(_scenario(tmp_path, 4), tmp_path)  # 8 warnings
    assert "8 warnings:" in out
    assert out.count(": warning: ") == 5
    assert "... and 3 more (planner validate lists them all)" in out
