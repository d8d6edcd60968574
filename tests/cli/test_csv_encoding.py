"""``--csv-encoding utf-8-sig`` for Excel on Windows (issue 18.13)."""

from __future__ import annotations

import codecs
from pathlib import Path

from click.testing import CliRunner

from planner.cli import main

SCENARIO = """\
name: umlauts
horizon: {periods: 2, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow}]}
units: [{id: dev}]
staff:
  - {id: p1, name: D. Müller, unit: dev, skills: [code]}
initiatives:
  - {id: a, name: Straßenbahn, contributes: {grow: strong},
     effort: [{unit: dev, skill: code, hours: 5}]}
"""


def test_utf8_sig_writes_a_bom_that_check_reads(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "sig"),
                             "--csv-encoding", "utf-8-sig", "-q"])
    assert r.exit_code == 0, r.output
    raw = (tmp_path / "sig" / "individual_plans.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert "D. Müller" in raw.decode("utf-8-sig")
    assert (tmp_path / "sig" / "portfolio.csv").read_bytes().startswith(codecs.BOM_UTF8)
    r = runner.invoke(main, ["check", str(path), str(tmp_path / "sig")])
    assert r.exit_code == 0, r.output


def test_default_is_plain_utf8_and_export_can_add_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "plain"
    assert runner.invoke(main, ["solve", str(path), "--out", str(out), "-q"]).exit_code == 0
    assert not (out / "portfolio.csv").read_bytes().startswith(codecs.BOM_UTF8)
    r = runner.invoke(main, ["export", str(out), "--format", "csv", "--csv-encoding",
                             "utf-8-sig"])
    assert r.exit_code == 0, r.output
    assert (out / "portfolio.csv").read_bytes().startswith(codecs.BOM_UTF8)
