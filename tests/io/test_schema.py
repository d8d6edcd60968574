"""``planner schema`` accepts every valid scenario and describes every field (issue 18.3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from planner.cli import main
from planner.io.schema import scenario_schema, undescribed

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict:
    out = CliRunner().invoke(main, ["schema"])
    assert out.exit_code == 0, out.output
    s = json.loads(out.output)
    jsonschema.Draft202012Validator.check_schema(s)
    return s


def _errors(schema: dict, doc: object) -> list[str]:
    v = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(doc)]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_validates(schema: dict, path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _errors(schema, doc) == []


@pytest.mark.parametrize("size", ["S", "M"])
def test_every_generated_scenario_validates(schema: dict, size: str, tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--size", size,
                    "--seed", "1", "--out", str(tmp_path)], check=True, capture_output=True)
    doc = yaml.safe_load((tmp_path / "scenario.yaml").read_text(encoding="utf-8"))
    assert _errors(schema, doc) == []


def test_integer_labels_and_skill_lists(schema: dict) -> None:
    doc = {"name": "x", "horizon": {"periods": 50, "period": "index"},
           "staff": [{"id": "p", "unit": "u", "skills": ["a", "b"]}],
           "initiatives": [{"id": "i", "deadline": 43, "earliest_start": 2}],
           "external": [{"skill": "a", "max_fte": 1, "from": 3}]}
    assert _errors(schema, doc) == []


def test_schema_still_rejects_mistakes(schema: dict) -> None:
    bad = {"name": "x", "horizon": {"periods": 12}, "staff": {"csv": "s.csv", "efort": "e"},
           "polcy": {}}
    errors = _errors(schema, bad)
    assert any("efort" in e for e in errors) and any("polcy" in e for e in errors)
    assert _errors(schema, {"name": "x", "horizon": {"periods": 0}})


def test_every_property_has_a_description() -> None:
    assert undescribed(scenario_schema()) == []
