"""docs/scenario-format.md: generated field tables up to date, every YAML example valid."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field
from support import docs_script

from models.scenario import PeriodLabel

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenario-format.md"


reference = docs_script("scenario_reference")
examples = docs_script("format_examples")


# --------------------------------------------------------------------------- the tables


def test_the_committed_page_is_what_the_script_writes() -> None:
    text = DOC.read_text(encoding="utf-8")
    new, errors = reference.render(text)
    assert errors == []
    assert new == text, "docs/scenario-format.md is out of date: run " \
                        "python docs/scenario_reference.py"


def test_every_scenario_field_has_a_description() -> None:
    # the descriptions are the tables' last column and the editors' hovers
    assert reference.problems() == []


def test_every_section_of_the_scenario_has_its_table_on_the_page() -> None:
    text = DOC.read_text(encoding="utf-8")
    for place in reference.walk(reference.sm.Scenario).values():
        assert any(f"<!-- fields: {p} -->" in text for p in place.paths), place.paths
    assert "(Every model has its table in its section above.)" in text


class Leaf(BaseModel):
    """A leaf.

    Details for developers only.
    """

    model_config = ConfigDict(extra="forbid")
    hours: float = Field(ge=0, description="Hours (issue 9) | per period.")
    when: PeriodLabel | None = Field(default=None, description="When.")
    share: float = Field(default=0.5, gt=0, le=1, description="A share.")


class Root(BaseModel):
    """The root."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="Name.")
    count: int = Field(default=3, gt=0, le=10, description="How many.")
    kind: Literal["a", "b"] = Field(default="a", description="Kind.")
    leaves: list[Leaf] = Field(default_factory=list, description="Leaves.")
    money: float | None = Field(default=None, ge=0, le=1e15, description="Money.")
    extra: dict[str, float] = Field(default_factory=dict)
    spare: Leaf | None = Field(default=None, description="One more leaf.")


TINY_CONTRACT = {"top-level": {"name", "leaves"}, "leaves[]": {"hours", "when"}}
HEAD = ["", "| field | type | default | required | description |", "|---|---|---|---|---|"]


def test_tables_of_a_small_model_worked_by_hand() -> None:
    text = "# Page\n<!-- fields: leaves[] -->\nstale text\n<!-- /fields -->\nmiddle\n" \
           "<!-- fields: * -->\n<!-- /fields -->\n"
    new, errors = reference.render(text, root=Root, contract=TINY_CONTRACT)
    assert new.splitlines() == [
        "# Page",
        "<!-- fields: leaves[] -->",
        "",
        "**Fields of `leaves[]` and `spare`.** A leaf.",  # one table, every place named
        *HEAD,
        "| `hours` | number ≥ 0 |  | yes | Hours \\| per period. |",
        "| `when` | period label | – | no | When. |",
        "| `share` | number in (0, 1] | `0.5` | no | *Extension.* A share. |",
        "",
        "<!-- /fields -->",
        "middle",
        "<!-- fields: * -->",
        "",
        "**Fields of the top level.** The root.",
        *HEAD,
        "| `name` | text |  | yes | Name. |",
        "| `count` | whole number in [1, 10] | `3` | no | *Extension.* How many. |",
        "| `kind` | `a` \\| `b` | `a` | no | *Extension.* Kind. |",
        "| `leaves` | list of `leaves[]` items | `[]` | no | Leaves. |",
        "| `money` | number ≥ 0 (at most 1e15) | – | no | *Extension.* Money. |",
        "| `extra` | map text -> number | `{}` | no | *Extension.*  |",
        "| `spare` | `leaves[]` item | – | no | *Extension.* One more leaf. |",
        "",
        "<!-- /fields -->",
    ]
    # the field without a description is a problem, named with its model
    assert len(errors) == 1 and "Root.extra has no description" in errors[0]
    # rendering is stable: the output renders to itself
    assert reference.render(new, root=Root, contract=TINY_CONTRACT)[0] == new


def test_bad_markers_are_reported() -> None:
    text = ("<!-- fields: leaves[] -->\n<!-- /fields -->\n"
            "<!-- fields: leaves[] -->\n<!-- /fields -->\n"
            "<!-- fields: nowhere[] -->\n<!-- /fields -->\n"
            "<!-- fields: top-level -->\nno end\n")
    _, errors = reference.render(text, root=Root, contract=TINY_CONTRACT)
    assert any("line 3: the table of 'leaves[]' is already on the page" in e for e in errors)
    assert any("line 5: no model at 'nowhere[]'" in e for e in errors)
    assert any("line 7:" in e and "has no <!-- /fields -->" in e for e in errors)


def test_the_scenario_tables_say_what_the_code_does() -> None:
    text = DOC.read_text(encoding="utf-8")
    # RTB hours are per period, effort hours are per initiative
    assert "| `hours` | number ≥ 0 (every period), or list of numbers ≥ 0 (one per period) |" \
        in text
    assert "| `hours` | number ≥ 0 (at most 1e9) |  | yes | Total hours over the initiative's" \
        in text
    # the CSV columns come from the reader
    assert "As CSV (`effort: FILE` beside the `csv: FILE` of `initiatives`), columns " \
           "`initiative`, `unit`, `skill`, `hours`, `phase`." in text
    # `from` is written as its alias; pins are marked as extensions, deadlines are not
    assert "| `from` | period label | – | no | First period" in text
    assert "| `pin` | `in` \\| `out` | – | no | *Extension.*" in text
    assert "| `deadline` | period label | – | no | It must" in text


def test_check_mode_fails_on_an_outdated_page_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "format.md"
    current = DOC.read_text(encoding="utf-8")
    outdated = current.replace("| `fte` | number in (0, 2] |", "| `fte` | number |")
    assert outdated != current
    page.write_text(outdated, encoding="utf-8")
    said: list[str] = []
    assert reference.main(["--check", "--doc", str(page)], write=said.append) == 1
    assert page.read_text(encoding="utf-8") == outdated
    assert any("out of date" in s for s in said)
    assert reference.main(["--doc", str(page)], write=said.append) == 0
    assert page.read_text(encoding="utf-8") == current
    assert reference.main(["--check", "--doc", str(page)], write=said.append) == 0


# --------------------------------------------------------------------------- the examples


def test_every_yaml_example_of_the_page_validates(tmp_path: Path) -> None:
    problems = examples.check_examples(DOC, tmp_path)
    assert problems == [], "\n\n".join(problems)


def test_the_page_has_complete_scenarios_fragments_and_overrides() -> None:
    found = examples.blocks(DOC.read_text(encoding="utf-8"))
    kinds = [b.kind for b in found]
    assert kinds.count("scenario") >= 3 and kinds.count("fragment") >= 8
    assert "set" in kinds and "data" in kinds
    # several years have a complete scenario of their own; uncertainty is laid over the
    # example, once with the contract's fields only and once with planner's extensions
    assert any(b.kind == "scenario" and b.name == "years.yaml" for b in found)
    assert sum(b.kind == "fragment" and b.name == "years.yaml" for b in found) >= 2
    assert sum(b.kind == "fragment" and b.body.startswith("uncertainty:") for b in found) == 2


def test_overlay_merges_mappings_and_replaces_the_rest() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    part = {"a": {"y": [3], "z": {"k": 1}}, "c": None}
    assert examples.overlay(base, part) == {"a": {"x": 1, "y": [3], "z": {"k": 1}}, "b": 2,
                                            "c": None}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}  # unchanged


BAD_PAGE = """\
<!-- scenario: ok.yaml -->
```yaml
name: ok
horizon: {start: 2027-01, periods: 3}
strategy: {objectives: [{id: o}]}
units: [{id: u}]
staff: {csv: staff.csv}
initiatives: [{id: i, contributes: {o: low}, effort: [{unit: u, skill: a, hours: 10}]}]
```

<!-- data: staff.csv -->
```csv
id,unit,skills
p1,u,a
```

```yaml
name: not announced
```

<!-- scenario: typo.yaml -->
```yaml
name: typo
horizon: {start: 2027-01, periods: 3, hours_per_fet: 140}
```

<!-- fragment: ok.yaml -->
```yaml
initiatives: [{id: i, contributes: {o: low}, depends_on: [j]}]
```

<!-- fragment: ok.yaml -->
```yaml
initiatives: [{id: i, contributes: {o: low}}]
```

<!-- fragment: missing.yaml -->
```yaml
name: x
```

<!-- set: ok.yaml -->
```bash
planner solve ok.yaml --out p/ --set staff.p2.fte=0.5  # no such person
planner solve ok.yaml --out p/ --set policy.budget=100
```

```
a bare block
```

```text
an error message is fine
```
"""


def test_the_example_checker_reports_each_mistake(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(BAD_PAGE, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    problems = examples.check_examples(page, work)
    at = {int(p.split(":")[1]): p for p in problems}
    assert sorted(at) == [17, 22, 28, 33, 38, 43, 48], "\n\n".join(problems)
    assert "a yaml block without <!-- scenario" in at[17]
    assert "scenario typo.yaml does not load" in at[22] and "did you mean 'hours_per_fte'" \
        in at[22]
    assert "unknown initiative 'j'" in at[28]
    assert "warnings" in at[33] and "has no effort" in at[33]  # an example needs no warning
    assert "no scenario missing.yaml on the page" in at[38]
    assert "--set staff.p2.fte=0.5" in at[43] and "no item 'p2' in staff" in at[43]
    assert "policy.budget" not in at[43]  # the good override passes
    assert "a bare block without" in at[48]
    # the data file was written where the scenario looks for it, so ok.yaml loads
    assert not any("scenario ok.yaml does not load" in p for p in problems)


@pytest.mark.parametrize("marker", ["scenario", "fragment"])
def test_an_announcement_applies_to_the_next_block_only(marker: str, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"<!-- {marker}: s.yaml -->\nsome words in between\n```yaml\nname: x\n```\n",
                    encoding="utf-8")
    found = examples.blocks(page.read_text(encoding="utf-8"))
    assert [b.kind for b in found] == [""]
