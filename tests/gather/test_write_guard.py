"""Issue 20, items 1-2 for the gathering writers: ``planner collect`` and ``planner
template`` never replace the current directory or an input, and write one at a time."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.gather.template import write_templates
from planner.gather.write import write_scenario
from planner.io.guard import UnsafeOutputError
from planner.io.lock import OutputBusyError
from planner.report import write_report
from tests.support import scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sc():
    return scenario(units=[{"id": "dev"}], staff=[{"id": "d0", "unit": "dev", "skills": ["c"]}])


def test_collect_output_never_replaces_the_current_directory(sc, tmp_path, monkeypatch):
    # out.yaml's CSV folder is out/: with --force it used to be swapped away, with the
    # files of whoever was working in it
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    monkeypatch.chdir(tmp_path / "out")
    with pytest.raises(UnsafeOutputError, match="it is the current directory"):
        write_scenario(sc, tmp_path / "out.yaml", force=True)
    assert (tmp_path / "out" / "mine.txt").read_text() == "keep"
    assert not (tmp_path / "out.yaml").exists()


HOLD = """
import sys
from planner.io.lock import destination_lock
with destination_lock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def held_elsewhere(target: Path) -> Iterator[None]:
    """``target``'s lock held by another process (within one process it is re-entrant)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.communicate("", timeout=60)


def test_one_writer_at_a_time(sc, tmp_path):
    with held_elsewhere(tmp_path / "out"), pytest.raises(OutputBusyError):
        write_scenario(sc, tmp_path / "out.yaml")
    assert not (tmp_path / "out.yaml").exists()
    with held_elsewhere(tmp_path / "forms"), pytest.raises(OutputBusyError):
        write_templates(sc, tmp_path / "forms")
    assert not (tmp_path / "forms" / "dev.xlsx").exists()
    with held_elsewhere(tmp_path / "report.html"), pytest.raises(OutputBusyError):
        write_report("<html></html>", tmp_path / "report.html")
    assert not (tmp_path / "report.html").exists()
    # and once the lock is free, each writes
    assert write_scenario(sc, tmp_path / "out.yaml")[0].is_file()
    assert write_templates(sc, tmp_path / "forms")[0].is_file()
    assert write_report("<html></html>", tmp_path / "report.html").is_file()


def test_forms_are_read_within_the_size_limit(sc, tmp_path, monkeypatch):
    """Issue 20, item 3 for ``planner collect``: a form file over the limit is named, not
    read whole (a workbook and a CSV folder alike)."""
    from planner.gather.forms import Layout, read_form

    monkeypatch.setenv("PLANNER_MAX_INPUT_MB", "0.0001")  # 100 bytes
    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / "staff.csv").write_text("id,name\n" + "p,x\n" * 50)  # 208 bytes
    for sheet in ("rtb", "proposals", "effort"):
        (folder / f"{sheet}.csv").write_text("id\n")
    form = read_form(folder, "csv", "dev", Layout.of(sc))
    assert any("cannot read staff.csv: is 208 bytes, over the limit of 100 bytes" in str(i)
               for i in form.issues), form.issues
    write_templates(sc, tmp_path / "forms")
    book = read_form(tmp_path / "forms" / "dev.xlsx", "xlsx", "dev.xlsx", Layout.of(sc))
    assert any("cannot read the workbook: is" in str(i) and "over the limit" in str(i)
               for i in book.issues), book.issues
