"""docs/scenario-format.md: links; the several-years and uncertainty sections match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from support import docs_script

import planner
from models.scenario import Initiative, Phase, Policy
from models.uncertainty import InitiativeUncertainty, Spread, Uncertainty
from planner.io.load import read_scenario

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenario-format.md"
TEXT = DOC.read_text(encoding="utf-8")
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


examples = docs_script("format_examples")


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(text: str) -> set[str]:
    return {_slug(m[1]) for m in re.finditer(r"^#+ (.+)$", text, re.MULTILINE)}


def _section(title: str) -> str:
    """The hand-written text of one ``## `` section: generated tables left out."""
    start = TEXT.index(f"\n## {title}\n")
    end = TEXT.find("\n## ", start + 1)
    body = TEXT[start:end if end >= 0 else len(TEXT)]
    return re.sub(r"<!-- fields: \S+ -->.*?<!-- /fields -->", "", body, flags=re.DOTALL)


def test_slugs_worked_by_hand() -> None:
    assert _slug("Overrides with `--set`") == "overrides-with---set"
    assert _slug("Strategy: objectives and KPIs") == "strategy-objectives-and-kpis"
    assert _slug("Stakeholder ratings (extension)") == "stakeholder-ratings-extension"


def test_every_link_of_the_page_leads_somewhere() -> None:
    own = _anchors(TEXT)
    broken = []
    for m in LINK.finditer(TEXT):
        target = m["target"]
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        page = TEXT if not path else None
        if path:
            file = (DOC.parent / path).resolve()
            if not file.is_file():
                broken.append(f"{target}: no file {file}")
                continue
            page = file.read_text(encoding="utf-8")
        assert page is not None
        if anchor and anchor not in (own if not path else _anchors(page)):
            broken.append(f"{target}: no heading #{anchor}")
    assert broken == []
    # the several-years details live in docs/long_term.md, linked from the page
    assert "](long_term.md)" in TEXT
    assert "](long_term.md#re-planning-as-of-a-period)" in TEXT


def _fields(*models: type[BaseModel]) -> list[str]:
    return [info.alias or name for m in models for name, info in m.model_fields.items()]


@pytest.mark.parametrize(("section", "fields"), [
    ("Uncertainty", _fields(Uncertainty, InitiativeUncertainty, Spread)),
    ("Several years", ["budget", "carry_over", "discount_rate", "targets", "phases",
                       "cost_profile", "value_per_period", "value_ramp", "depends_on",
                       *_fields(Phase)]),
])
def test_every_field_of_a_new_section_is_explained_in_its_prose(
        section: str, fields: list[str]) -> None:
    prose = _section(section)
    # named as `field`, `field: ...` or a dotted path ending in it (`policy.budget`)
    missing = [f for f in fields if not re.search(rf"`([\w-]+\.)*{f}\b", prose)]
    assert missing == [], f"## {section} does not explain {missing}"


def test_the_several_years_fields_are_still_fields_of_the_models() -> None:
    # the prose above names them; a renamed field must fail here, not silently rot
    assert {"carry_over", "discount_rate", "budget"} <= set(Policy.model_fields)
    assert {"phases", "cost_profile", "value_per_period", "value_ramp"} <= set(
        Initiative.model_fields)


def test_the_tables_mark_what_planner_adds_beyond_the_contract() -> None:
    rows = {line.split("|")[1].strip(): line for line in TEXT.splitlines()
            if line.startswith("| `")}
    assert "*Extension.*" not in rows["`attrition`"]
    assert "*Extension.*" not in rows["`backfill`"]
    assert "*Extension.*" in rows["`availability_noise`"]
    assert "*Extension.*" in rows["`carry_over`"]
    assert "*Extension.*" in rows["`cost_profile`"]
    assert "*Extension.*" not in rows["`value_per_period`"]
    assert "| `targets` | map calendar year -> target | `{}` | no |" in TEXT
    budget = ("number ≥ 0 (money, for the whole horizon), or map calendar year -> number ≥ 0 "
              "(every year the horizon touches)")
    assert TEXT.count(f"| `budget` | {budget} |") == 2  # policy and units


def _examples(name: str, kind: str) -> list[str]:
    return [b.body for b in examples.blocks(TEXT) if b.kind == kind and b.name == name]


def _with(fragment: str, base: str, tmp_path: Path) -> Path:
    whole = examples.overlay(yaml.safe_load(_examples(base, "scenario")[0]),
                             yaml.safe_load(fragment))
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(whole, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_the_uncertainty_examples_mean_what_the_prose_says(tmp_path: Path) -> None:
    contract, extended = [b for b in _examples("example.yaml", "fragment")
                          if b.startswith("uncertainty:")]
    u = read_scenario(_with(contract, "example.yaml", tmp_path)).scenario.uncertainty
    assert u is not None
    assert (u.attrition, u.backfill) == (0.12, 3)
    # crm's own spread for all its lines, the section's for every other initiative
    assert (u.spread("crm", "ops", "analyst").low, u.spread("crm", "ops", "analyst").high) \
        == (0.9, 2.0)
    assert (u.spread("self-service", "it", "engineer").low,
            u.spread("self-service", "it", "engineer").high) == (0.8, 1.5)
    assert u.slip_of("crm") == {}  # no slip unless the extension says so
    u = read_scenario(_with(extended, "example.yaml", tmp_path)).scenario.uncertainty
    assert u is not None
    assert u.backfill is None
    # a line's own spread beats the initiative's, which beats the section's
    assert u.spread("crm", "ops", "analyst").high == 3
    assert u.spread("crm", "it", "engineer").high == 2.0
    assert u.spread("crm-lite", "it", "engineer").high == 1.6
    assert u.slip_of("crm") == {1: 0.3} and u.slip_of("crm-lite") == {1: 0.15, 2: 0.05}


def test_the_several_years_example_plans_as_worked_by_hand(tmp_path: Path) -> None:
    # 2027 may spend 80,000 of platform's 90,000 (15,000 a month): August at the earliest
    path = tmp_path / "years.yaml"
    path.write_text(_examples("years.yaml", "scenario")[0], encoding="utf-8")
    result = planner.solve(path, time_limit=30)
    assert result.plan is not None
    got = {i.id: (i.selected, i.start, i.finish) for i in result.plan.initiatives}
    assert got == {"platform": (True, "2027-08", "2028-01"),
                   "portal": (True, "2028-02", "2028-04")}
    # the budget map of the example names every year; leaving one out is an error
    text = path.read_text(encoding="utf-8").replace(
        "budget: {2027: 80000, 2028: 100000, 2029: 60000}", "budget: {2027: 80000, 2028: 100000}")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(planner.ScenarioError, match="no amount for 2029"):
        read_scenario(path)
