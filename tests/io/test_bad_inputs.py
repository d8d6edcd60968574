"""The bad-input catalogue (``tests/io/bad_inputs/``): every case is refused cleanly.

Each case is a folder with a scenario and an ``expect.yaml`` (see the catalogue's
README). `planner solve` must exit 1 (invalid) or 3 (genuinely infeasible) with a
message naming the file, the item and the field, without a traceback, writing
nothing and leaving every input byte untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planner.cli import main

CATALOGUE = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CATALOGUE.iterdir() if (p / "expect.yaml").is_file())


def _expect(case: Path) -> dict:
    return yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def _copy(case: Path, tmp_path: Path) -> Path:
    work = tmp_path / case.name
    shutil.copytree(case, work)
    (work / "expect.yaml").unlink()
    # files git cannot hold: a FIFO, a symlink to a device
    for item in _expect(case).get("special", []):
        if "fifo" in item:
            os.mkfifo(work / item["fifo"])
        else:
            (work / item["symlink"]).symlink_to(item["to"])
    return work


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 30
    assert sum(_expect(c)["exit"] == 3 for c in CASES) >= 2


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_cleanly(case, tmp_path, monkeypatch):
    exp = _expect(case)
    work = _copy(case, tmp_path)
    before = _snapshot(tmp_path)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(
        main, ["solve", "scenario.yaml", "--out", exp.get("out", "plan"), *exp.get("args", [])]
    )
    out = result.output
    assert result.exit_code == exp["exit"], out
    for text in exp["expect"]:
        assert text in out, f"{text!r} not in:\n{out}"
    assert "Traceback" not in out and "internal error" not in out, out
    # nothing written (no plan, no temporary folder), inputs untouched
    assert _snapshot(tmp_path) == before
    if exp["exit"] == 1 and "out" not in exp:  # validate refuses it the same way
        check = CliRunner().invoke(main, ["validate", "scenario.yaml", *exp.get("args", [])])
        assert check.exit_code == 1, check.output
        assert all(text in check.output for text in exp["expect"]), check.output
        assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["yaml-python-object-tag", "csv-bad-number",
                                  "infeasible-must-rtb-no-skill"])
def test_bad_input_in_a_real_process(name, tmp_path):
    """The installed command, not the test runner: stderr has the message, no traceback."""
    case = CATALOGUE / name
    exp = _expect(case)
    work = _copy(case, tmp_path)
    before = _snapshot(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", "scenario.yaml", "--out", "plan"],
        cwd=work, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == exp["exit"], proc.stderr
    assert all(text in proc.stderr for text in exp["expect"]), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert _snapshot(tmp_path) == before
