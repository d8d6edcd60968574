"""Issue 20, item 9: ``kill -9`` during a write leaves nothing the next run does not clear.

A real process writes a plan and is killed with SIGKILL in the middle (while the
files are written, or between moving the old plan aside and moving the new one
in). Its temporary folder carries its pid and start time in the name; the next
write next to it removes it (or puts the old plan back), and never touches the
folder of a run that is still alive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from models.plan import Plan
from planner.io.export import OutputExistsError, read_plan, write_plan
from planner.io.tmpdirs import make_temp, owner_alive, sweep_stale
from tests.support import scenario, solve_checked

ROOT = Path(__file__).resolve().parents[2]

#: writes PLAN_JSON's plan to argv[1] and stops (sleeps) at argv[2]: "files" or "renames"
WRITER = """
import os, sys, time
from pathlib import Path
from models.plan import Plan
import planner.io.export as export

plan = Plan.read_json(sys.argv[3])
where = sys.argv[2]
real_files, real_replace = export.write_files, export.replace_folder

def files(plan, folder, formats=("csv",), **options):
    real_files(plan, folder, formats, **options)
    if where == "files":
        print("stopped", flush=True)
        time.sleep(3600)

def replace(tmp, target):
    if where == "renames":
        aside = export.make_temp(target.absolute().parent, target.name, "old")
        aside.rmdir()
        os.replace(target, aside)
        print("stopped", flush=True)
        time.sleep(3600)
    real_replace(tmp, target)

export.write_files, export.replace_folder = files, replace
export.write_plan(plan, sys.argv[1], force=True)
"""


@pytest.fixture(scope="module")
def plan() -> Plan:
    sc = scenario(units=[{"id": "u"}], staff=[{"id": "p", "unit": "u", "skills": ["s"]}],
                  initiatives=[{"id": "a", "contributes": {"grow": "strong"}, "duration": 1,
                                "effort": [{"unit": "u", "skill": "s", "hours": 5}]}])
    return solve_checked(sc)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))

def _writer(tmp_path: Path, plan: Plan, out: Path, where: str) -> subprocess.Popen[str]:
    source = tmp_path / "source.json"
    if not source.exists():
        source.write_text(json.dumps(plan.to_json_dict()))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out), where, str(source)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "stopped"
    return proc


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate()


def test_kill_9_while_writing_files_is_swept_by_the_next_write(tmp_path, plan):
    out = tmp_path / "out"
    out.mkdir()
    writer = _writer(tmp_path, plan, out / "plan", "files")
    _kill(writer)
    lock, left = _hidden(out)  # a lock file nobody holds, and the half-written folder
    assert lock == ".plan.lock" and left.startswith(f".plan.tmp-{writer.pid}-")  # owner named
    assert (out / left / "plan.json").is_file()
    write_plan(plan, out / "plan")
    assert _hidden(out) == []
    assert read_plan(out / "plan").selected == ["a"]


def test_a_live_runs_folder_is_never_swept(tmp_path, plan):
    out = tmp_path / "out"
    out.mkdir()
    writer = _writer(tmp_path, plan, out / "other", "files")
    try:
        write_plan(plan, out / "plan")  # another destination in the same folder
        assert [n for n in _hidden(out) if n.startswith(".other.tmp-")]  # still there
        assert sweep_stale(out) == []  # nor its lock file
    finally:
        _kill(writer)
    write_plan(plan, out / "third")
    assert _hidden(out) == []  # once dead, it goes


def test_kill_9_between_the_renames_puts_the_old_plan_back(tmp_path, plan):
    out = tmp_path / "out"
    write_plan(plan, out / "plan")
    (out / "plan" / "note.txt").write_text("the old plan")
    writer = _writer(tmp_path, plan, out / "plan", "renames")
    _kill(writer)
    assert not (out / "plan").exists()  # the old plan is aside, the new one not in yet
    with pytest.raises(OutputExistsError):  # the next run restores it first
        write_plan(plan, out / "plan")
    assert (out / "plan" / "note.txt").read_text() == "the old plan"
    assert _hidden(out) == []


def test_other_hidden_folders_are_left_alone(tmp_path):
    for name in (".plan.tmp-abc123", ".notes", ".plan.tmp-99999999-1-abc"):  # no owner / alien
        (tmp_path / name).mkdir()
    mine = make_temp(tmp_path, "plan")
    assert owner_alive(os.getpid(), 0)
    assert not owner_alive(2**22 + 12345, 0)  # no such process
    swept = sweep_stale(tmp_path)
    assert swept == [tmp_path / ".plan.tmp-99999999-1-abc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".plan.tmp-abc123", ".notes", mine.name])
