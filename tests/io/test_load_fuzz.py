"""Property tests: whatever the document, the loader raises ScenarioError or succeeds.

It never raises anything else (no KeyError, TypeError, RecursionError, ...).
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import ScenarioError
from planner.io.load import apply_overrides, load_scenario_text
from planner.io.overrides import OVERRIDE_FILE, path_tuple

VALID: dict[str, Any] = {
    "name": "fuzz",
    "horizon": {"start": "2027-01", "periods": 4, "period": "month", "hours_per_fte": 140},
    "strategy": {"objectives": [{"id": "o", "weight": 2}],
                 "kpis": [{"id": "k", "objective": "o", "baseline": 1, "target": 2}]},
    "units": [{"id": "u", "budget": 10}],
    "staff": [{"id": "p", "unit": "u", "skills": {"s": 1}, "availability": {"2027-02": 0.5},
               "develop": ["t"]}],
    "run_the_business": [{"unit": "u", "skill": "s", "hours": [1, 2, 3, 4], "priority": "must"}],
    "initiatives": [
        {"id": "a", "contributes": {"o": "strong"}, "kpi_impacts": {"k": 1}, "duration": 2,
         "earliest_start": "2027-01", "deadline": "2027-04", "depends_on": ["b"],
         "effort": [{"unit": "u", "skill": "s", "hours": 10}]},
        {"id": "b", "contributes": {"o": 0.5}, "exclusive_with": [], "mandatory": True},
    ],
    "external": [{"skill": "s", "max_fte": 1, "cost_per_hour": 10, "from": "2027-02"}],
    "policy": {"budget": 100, "max_utilisation": 0.9, "borrowing": False,
               "solver": {"time_limit": 5}},
}

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["2027-13", "2027-01", "2028-01", "1", "", "strong", "s", "u", "a", "b",
                     "in", "out", "must", ".nan", "-1", "1e308"]),
)
garbage = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, prefix + (i,))
    return out


def must_only_raise_scenario_error(text: str, tmp_path: Path) -> None:
    try:
        scenario = load_scenario_text(text, tmp_path, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.issues, "a ScenarioError must carry at least one issue"
        for issue in exc.issues:
            assert str(issue)
    else:
        # what is accepted survives a round trip through its own YAML unchanged
        again = load_scenario_text(
            dump(scenario.model_dump(mode="json", by_alias=True, exclude_none=True)),
            tmp_path, "again.yaml")
        assert again == scenario


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_the_fuzz_base_is_valid(tmp_path: Path) -> None:
    load_scenario_text(dump(VALID), tmp_path)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#,?\n 01.%@`\t\\")),
               max_size=80))
def test_random_yamlish_text(tmp_path: Path, text: str) -> None:
    must_only_raise_scenario_error(text, tmp_path)


@FUZZ
@given(st.data())
def test_mutated_valid_document(tmp_path: Path, data: st.DataObject) -> None:
    doc = copy.deepcopy(VALID)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(doc)[1:]))
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict | list):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.text(max_size=8))] = data.draw(garbage)
        else:
            parent[path[-1]] = data.draw(garbage)
    must_only_raise_scenario_error(dump(doc), tmp_path)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from([
    "policy.budget", "initiatives.a.duration", "initiatives.zz.x", "staff.p.skills",
    "horizon", "strategy.objectives.o", "staff.p.availability.2027-02", "units.0", "name.x",
    "run_the_business.3.hours", "external.0.from",
]), st.text(max_size=10)), max_size=4))
def test_random_overrides(tmp_path: Path, overrides: list[tuple[str, str]]) -> None:
    texts = [f"{p}={v}" for p, v in overrides]
    before = copy.deepcopy(VALID)
    # one at a time: each lands where its path says, or is refused with its text named
    doc, refused = VALID, False
    for path, value in overrides:
        where = path_tuple(doc, path)
        try:
            doc = apply_overrides(doc, [f"{path}={value}"])
        except ScenarioError as exc:
            assert exc.issues and all(i.file == OVERRIDE_FILE and path in i.message
                                      for i in exc.issues)
            refused = True
            break
        node: Any = doc
        for seg in where:
            node = node[seg]
        assert node == yaml.safe_load(value)
    # all at once: the same outcome
    try:
        together = apply_overrides(VALID, texts)
    except ScenarioError:
        assert refused
    else:
        assert not refused and together == doc
    assert before == VALID  # the input document is never changed
    try:
        load_scenario_text(dump(VALID), tmp_path, "fuzz.yaml", texts)
    except ScenarioError as exc:
        assert exc.issues and all(i.file in (OVERRIDE_FILE, "fuzz.yaml") for i in exc.issues)


@FUZZ
@given(st.sampled_from(["staff", "initiatives", "effort", "rtb"]),
       st.lists(st.lists(st.text(alphabet=st.sampled_from(list("ab;:,\"\n 1.-su")),
                                 max_size=8), max_size=5), max_size=4))
def test_random_csv(tmp_path: Path, which: str, rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    doc = copy.deepcopy(VALID)
    if which == "staff":
        doc["staff"] = {"csv": "t.csv"}
    elif which == "rtb":
        doc["run_the_business"] = {"csv": "t.csv"}
    elif which == "initiatives":
        doc["initiatives"] = {"csv": "t.csv"}
    else:
        (tmp_path / "i.csv").write_text("id,contributes\na,o:1\n", encoding="utf-8")
        doc["initiatives"] = {"csv": "i.csv", "effort": "t.csv"}
    (tmp_path / "t.csv").write_text(buf.getvalue(), encoding="utf-8")
    must_only_raise_scenario_error(dump(doc), tmp_path)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([1e308, -1e308, math.inf, -math.inf, math.nan, 10**40, -(10**40)]),
       st.sampled_from(paths(VALID)[1:]))
def test_extreme_numbers_anywhere(tmp_path: Path, number: float, path: tuple[Any, ...]) -> None:
    doc = copy.deepcopy(VALID)
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = number
    must_only_raise_scenario_error(dump(doc), tmp_path)


def test_deeply_nested_document(tmp_path: Path) -> None:
    must_only_raise_scenario_error("name: " + "[" * 5000 + "]" * 5000 + "\n", tmp_path)
    must_only_raise_scenario_error("a:\n" + "".join(" " * k + "- \n" for k in range(1, 400)),
                                   tmp_path)
