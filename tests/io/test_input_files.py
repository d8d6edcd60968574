"""Issue 20, items 3 and 4: only regular files of bounded size, only under the scenario's folder.

A staff CSV that was a symlink to ``/dev/zero`` grew memory to 23.5 GB; a FIFO as
``rtb.csv`` blocked forever; ``staff: {csv: /etc/shadow}`` was read and its first
line echoed. Each is now refused at once with the file and field named.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.errors import ScenarioError
from planner.io.files import InputFileError, ReadOptions, open_input, read_input
from planner.io.load import read_scenario

SCENARIO = """\
name: files
horizon: {periods: 2, period: index, hours_per_fte: 10}
units: [{id: ops}]
staff: {csv: STAFF}
"""
STAFF = "id,unit,skills\np1,ops,agent\n"


def _scenario(folder: Path, staff: str = "staff.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "s.yaml"
    path.write_text(SCENARIO.replace("STAFF", staff))
    return path


def _messages(path: Path, options: ReadOptions | None = None) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        read_scenario(path, options=options)
    return [str(i) for i in err.value.issues]


def test_a_symlink_to_dev_zero_is_refused_not_read(tmp_path):
    path = _scenario(tmp_path)
    (tmp_path / "staff.csv").symlink_to("/dev/zero")
    # outside the folder once the link is resolved ...
    assert "lies outside the scenario's folder" in _messages(path)[0]
    # ... and, when outside files are allowed, a device is still not read
    msg = _messages(path, ReadOptions(allow_outside=True))[0]
    assert "s.yaml:4: staff, field 'csv'" in msg
    assert "is a character device, not a regular file" in msg


def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = _scenario(tmp_path)
    os.mkfifo(tmp_path / "staff.csv")
    done: list[list[str]] = []
    t = threading.Thread(target=lambda: done.append(_messages(path)), daemon=True)
    t.start()
    t.join(20)
    assert done, "reading a FIFO blocked"
    assert "is a FIFO (named pipe), not a regular file" in done[0][0]


def test_the_scenario_file_itself_must_be_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "s.yaml")
    assert "is a FIFO (named pipe)" in _messages(tmp_path / "s.yaml")[0]


def test_size_limit_per_file_with_a_clear_message(tmp_path, monkeypatch):
    path = _scenario(tmp_path)
    (tmp_path / "staff.csv").write_text(STAFF + "".join(f"q{k:03d},ops,agent\n"
                                                        for k in range(200)))  # 28 + 200 x 15 bytes
    small = ReadOptions(max_file_bytes=1000)
    msg = _messages(path, small)[0]
    assert ("CSV file 'staff.csv' is 3,028 bytes, over the limit of 1,000 bytes per input "
            "file") in msg
    assert "--max-input-mb" in msg
    read_scenario(path, options=ReadOptions(max_file_bytes=10_000))  # under the limit: fine
    monkeypatch.setenv("PLANNER_MAX_INPUT_MB", "0.001")  # the environment sets the default
    assert "over the limit of 1,000 bytes" in _messages(path)[0]
    result = CliRunner().invoke(main, ["validate", str(path), "--max-input-mb", "1"])
    assert result.exit_code == 0, result.output  # the option wins over the environment


def test_a_file_that_grows_while_read_stops_at_the_limit(tmp_path):
    f = tmp_path / "grow.csv"
    f.write_bytes(b"x" * 100)
    with open_input(f, ReadOptions(max_file_bytes=150)) as fh:
        with open(f, "ab") as w:
            w.write(b"y" * 100)  # now 200 bytes, over the limit
        with pytest.raises(InputFileError, match="grew beyond"):
            fh.read()
    assert read_input(f, ReadOptions(max_file_bytes=200)) == b"x" * 100 + b"y" * 100


@pytest.mark.parametrize("ref", ["/etc/passwd", "../../../../../../../../etc/passwd",
                                 "../outside/staff.csv"])
def test_csv_files_are_confined_to_the_scenario_folder(tmp_path, ref):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "staff.csv").write_text(STAFF)
    path = _scenario(tmp_path / "sc", ref)
    msgs = _messages(path)
    assert len(msgs) == 1
    assert f"CSV file '{ref}' lies outside the scenario's folder" in msgs[0]
    assert "/bin/" not in msgs[0]  # nothing of the file is shown: it was not read


def test_allow_outside_by_option_or_environment(tmp_path, monkeypatch):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "staff.csv").write_text(STAFF)
    path = _scenario(tmp_path / "sc", "../outside/staff.csv")
    assert read_scenario(path, options=ReadOptions(allow_outside=True)).scenario.staff[0].id == "p1"
    monkeypatch.setenv("PLANNER_ALLOW_OUTSIDE", "1")
    assert read_scenario(path).scenario.staff[0].id == "p1"
    monkeypatch.delenv("PLANNER_ALLOW_OUTSIDE")
    cli = CliRunner().invoke(main, ["validate", str(path), "--allow-outside"])
    assert cli.exit_code == 0, cli.output


def test_a_symlink_inside_the_folder_to_a_file_outside_is_refused(tmp_path):
    (tmp_path / "outside.csv").write_text(STAFF)
    path = _scenario(tmp_path / "sc")
    (tmp_path / "sc" / "staff.csv").symlink_to(tmp_path / "outside.csv")
    assert "lies outside the scenario's folder" in _messages(path)[0]


def test_an_unexpected_header_is_echoed_short_and_sanitised(tmp_path):
    path = _scenario(tmp_path)
    secret = "root:$6$saltsalt$" + "h" * 500 + "\x1b[2J"
    (tmp_path / "staff.csv").write_text(f"id,unit,skills,{secret}\np1,ops,agent,x\n")
    msgs = _messages(path)
    assert len(msgs) == 1
    assert "unknown column 'root:$6$saltsalt$hhhhhhhhhhhhhhhhhhhhhhh...'" in msgs[0]
    assert len(msgs[0]) < 300 and "\x1b" not in msgs[0]


def test_many_unknown_columns_are_counted_not_listed(tmp_path):
    path = _scenario(tmp_path)
    cols = ",".join(f"c{k}" for k in range(1000))
    (tmp_path / "staff.csv").write_text(f"id,unit,skills,{cols}\np1,ops,agent\n")
    msgs = _messages(path)
    assert len(msgs) == 6
    assert "... and 995 more unknown columns" in msgs[-1]
