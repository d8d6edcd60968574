"""Issue 20, item 2: one writer per output folder, with real processes.

Two solves into the same ``--out`` could both exit 0 and one plan was lost. Now
the first run locks the destination before it solves and until it has written;
a second run aimed there exits 1 at once saying another run is writing, and
writes nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io.lock import OutputBusyError, destination_lock, lock_path

ROOT = Path(__file__).resolve().parents[2]

TINY = """\
name: tiny
horizon: {periods: 2, period: index, hours_per_fte: 10}
strategy: {objectives: [{id: grow, weight: 1}]}
units: [{id: dev}]
staff: [{id: d0, unit: dev, skills: [code]}]
initiatives:
  - {id: a, contributes: {grow: strong}, duration: 1, effort: [{unit: dev, skill: code, hours: 5}]}
"""

HOLD = """
import sys
from planner.io.lock import destination_lock
with destination_lock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _planner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=_env())


def _holder(target: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=_env())
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _wait_for(path: Path, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.05)


def test_a_second_process_is_refused_while_another_writes(tmp_path):
    (tmp_path / "s.yaml").write_text(TINY)
    holder = _holder(tmp_path / "plan")
    try:
        proc = _planner("solve", "s.yaml", "--out", "plan", "--force", cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert f"another planner run (process {holder.pid}) is writing to 'plan'" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "plan").exists()
    finally:
        holder.communicate("")
    assert holder.returncode == 0
    # released: the lock file is gone and the next run writes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "s.yaml"), "--out",
                                       str(tmp_path / "plan")])
    assert result.exit_code == 0, result.output


def test_two_solves_into_one_folder_one_wins_and_says_so(tmp_path):
    """The first holds the lock for its whole solve; the second fails fast, exit 1.

    The first gets a long time limit and is stopped with Ctrl-C (keeping its best
    plan) once the second has given up, so the test does not depend on timing.
    """
    from benchmarks.generate import generate, write

    write(generate("S", seed=0), tmp_path / "s")
    first = subprocess.Popen(
        [sys.executable, "-m", "planner.cli", "solve", "s/scenario.yaml", "--out", "plan",
         "--time-limit", "120", "--threads", "1", "-q"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        _wait_for(lock_path(tmp_path / "plan"))
        second = _planner("solve", "s/scenario.yaml", "--out", "plan", "--force",
                          "--set", "policy.budget=0", "--time-limit", "4", cwd=tmp_path)
        assert first.poll() is None  # the first was still working when the second gave up
        first.send_signal(signal.SIGINT)
    finally:
        _, err = first.communicate(timeout=120)
    assert second.returncode == 1 and "is writing to 'plan'" in second.stderr, second.stderr
    assert first.returncode == 0, err
    plan = json.loads((tmp_path / "plan" / "plan.json").read_text())
    assert plan["overrides"] == []  # the first run's plan, not the second's
    assert plan["run"]["interrupted"] is True
    assert not lock_path(tmp_path / "plan").exists()


def test_a_killed_writer_leaves_a_lock_file_the_next_run_takes(tmp_path):
    holder = _holder(tmp_path / "plan")
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    assert lock_path(tmp_path / "plan").exists()  # left behind, but nobody holds it
    with destination_lock(tmp_path / "plan"):
        pass
    assert not lock_path(tmp_path / "plan").exists()


def test_the_lock_is_reentrant_in_one_process_and_exclusive_across(tmp_path):
    target = tmp_path / "new" / "plan"
    with destination_lock(target), destination_lock(target):
        assert lock_path(target).exists()
    assert not (tmp_path / "new").exists()  # the parent it made for the lock is gone again
    holder = _holder(target)
    try:
        with pytest.raises(OutputBusyError, match="is writing to"), destination_lock(target):
            pass
    finally:
        holder.communicate("")
