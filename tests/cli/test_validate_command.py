"""The command line: validate and schema, exit codes, no tracebacks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.errors import InfeasibleError


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_teaches_the_workflow(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for text in ("validate", "solve", "check", "export", "Exit codes", "infeasible"):
        assert text in result.output


def test_validate_ok_prints_a_summary(runner: CliRunner, write_scenario: Callable[..., Path],
                                      minimal: str) -> None:
    path = write_scenario(minimal)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "valid" in out and "2 units" in out and "2 staff" in out and "1 initiatives" in out
    assert "Capacity vs demand" in out
    assert "1,680*" in out  # p001: 140 h x 12, counted under agent and analyst
    assert "43%" in out  # ops/agent: 720 RTB hours over 1,680


def test_validate_shows_warnings(runner: CliRunner, write_scenario: Callable[..., Path],
                                 minimal: str) -> None:
    result = runner.invoke(main, ["validate", str(write_scenario(minimal + "  - {id: x}\n"))])
    assert result.exit_code == 0
    assert "2 warning(s)" in result.stdout
    assert "initiatives 'x': has no effort" in result.stdout


def test_validate_invalid_exits_1_with_located_errors_on_stderr(
    runner: CliRunner, write_scenario: Callable[..., Path], minimal: str
) -> None:
    path = write_scenario(minimal + "policy: {budgt: 1}\n")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "the scenario is invalid (1 error)" in result.stderr
    assert (f"{path}:22: policy, field 'budgt': unknown key 'budgt'; did you mean 'budget'?"
            in result.stderr.replace("\n", ""))
    assert "Traceback" not in result.output


def test_validate_with_overrides(runner: CliRunner, write_scenario: Callable[..., Path],
                                 minimal: str) -> None:
    path = str(write_scenario(minimal))
    assert runner.invoke(main, ["validate", path, "--set", "policy.budget=5"]).exit_code == 0
    result = runner.invoke(main, ["validate", path, "--set", "policy.budget=-5"])
    assert result.exit_code == 1
    assert "--set: policy, field 'budget'" in result.stderr


def test_validate_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "none.yaml")])
    assert result.exit_code == 1
    assert "file not found" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_usage_error_exits_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2


def test_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Scenario"
    assert "horizon" in schema["required"]
    assert "from" in schema["$defs"]["External"]["properties"]


def test_infeasible_and_unexpected_errors_have_exit_codes(runner: CliRunner) -> None:
    @main.command("_boom_test")
    @click.argument("kind")
    def boom(kind: str) -> None:
        if kind == "infeasible":
            raise InfeasibleError("mandatory work does not fit", diagnosis="ops short 10 h")
        raise RuntimeError("kaput")

    try:
        result = runner.invoke(main, ["_boom_test", "infeasible"])
        assert result.exit_code == 3
        assert "infeasible: mandatory work does not fit" in result.stderr
        assert "ops short 10 h" in result.stderr
        result = runner.invoke(main, ["_boom_test", "bug"])
        assert result.exit_code == 4
        assert "internal error: RuntimeError: kaput" in result.stderr
        assert "Traceback" not in result.output
        result = runner.invoke(main, ["--debug", "_boom_test", "bug"])
        assert isinstance(result.exception, RuntimeError)
    finally:
        main.commands.pop("_boom_test")
