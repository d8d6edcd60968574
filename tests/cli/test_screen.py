"""What the terminal shows (issue 18.11): names with ids, whole words at 80 columns,
progress per point, and a short summary of a large plan."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console
from rich.table import Table

from planner.cli import main
from planner.cli.render import fit_words, label

ROOT = Path(__file__).resolve().parents[2]
ENV = {"COLUMNS": "80", "LINES": "50"}


def _unbroken(words: set[str], text: str) -> list[str]:
    """The words that do not appear whole in ``text``."""
    flat = re.sub(r"\s+", " ", text)
    return sorted(w for w in words if w not in flat)


def test_fit_words_keeps_words_whole_at_80_columns() -> None:
    t = Table()
    for col in ("status", "reason if left out", "initiative"):
        t.add_column(col)
    t.add_row("infeasible", "would exceed the budget by 25,000 next to the chosen initiatives",
              "Professional services automation (PSA) rollout (psa)")
    t.add_row("feasible", "prerequisite left out: data-platform-foundation", "x")
    buf = io.StringIO()
    Console(file=buf, width=80).print(fit_words(t))
    words = {w for row in ("infeasible feasible prerequisite data-platform-foundation "
                           "Professional automation rollout initiatives",) for w in row.split()}
    assert _unbroken(words, buf.getvalue()) == []
    assert label("CRM consolidation", "crm") == "CRM consolidation (crm)"
    assert label(None, "crm") == label("crm", "crm") == "crm"


def test_validate_table_fits_80_columns() -> None:
    r = CliRunner().invoke(main, ["validate", str(ROOT / "scenarios" / "mid_org.yaml")], env=ENV)
    assert r.exit_code == 0, r.output
    words = {"customer-service", "transformation-office", "data-and-analytics", "capacity"}
    assert _unbroken(words, r.output) == []


def test_solve_shows_names_with_ids(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["solve", str(ROOT / "scenarios" / "services_firm.yaml"),
                                  "--out", str(tmp_path / "p"), "--strategy", "greedy"],
                           env=ENV)
    assert r.exit_code == 0, r.output
    assert "(psa)" in r.output and "(crm)" in r.output
    assert _unbroken({"mutually", "exclusive", "Professional", "automation"}, r.output) == []


def test_compare_and_frontier_show_progress_per_point(tmp_path: Path) -> None:
    sf = str(ROOT / "scenarios" / "services_firm.yaml")
    runner = CliRunner()
    assert runner.invoke(main, ["solve", sf, "--out", str(tmp_path / "base"), "--strategy",
                                "greedy", "-q"]).exit_code == 0
    r = runner.invoke(main, ["compare", str(tmp_path / "base"), str(tmp_path / "base")],
                      env=ENV)
    assert r.exit_code == 0, r.output
    assert "[1/2] base: feasible" in r.output and "[2/2] base#2: feasible" in r.output
    assert _unbroken({"feasible", "incremental_spend", "utilisation[consulting]"},
                     r.output) == []
    r = runner.invoke(main, ["frontier", sf, "--budget", "100000,200000", "--workers", "1",
                             "--out", str(tmp_path / "f"), "--time-limit", "20"], env=ENV)
    assert r.exit_code == 0, r.output
    assert "[1/2] budget 100,000: optimal" in r.output
    assert "[2/2] budget 200,000: optimal" in r.output


def test_large_plan_gets_a_short_summary(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--size", "S",
                    "--seed", "1", "--out", str(tmp_path / "s")], check=True,
                   capture_output=True)
    r = CliRunner().invoke(main, ["solve", str(tmp_path / "s" / "scenario.yaml"), "--out",
                                  str(tmp_path / "p"), "--strategy", "greedy"], env=ENV)
    assert r.exit_code == 0, r.output
    assert "initiatives chosen; the 5 highest-scored of each kind below" in r.output
    assert "portfolio.csv" in r.output
    rows = [line for line in r.output.splitlines() if re.search(r"\(i\d{4}\)|^ i\d{4}", line)]
    assert 5 <= len(rows) <= 10, r.output
