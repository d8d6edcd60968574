"""Naming what an error is about: items, fields, suggestions."""

from __future__ import annotations

from planner.io.sourcemap import SourceMap, describe, dotted, item_label, suggest


def test_item_label_uses_the_id_when_there_is_one():
    assert item_label("staff", 3, "p001") == "staff 'p001'"
    assert item_label("staff", 3, None) == "staff[3]"
    assert item_label("staff", 3, True) == "staff[3]"


def test_dotted_paths():
    assert dotted(("effort", 1, "hours")) == "effort[1].hours"
    assert dotted(()) == ""


def test_describe_splits_item_and_field():
    ids = {("initiatives",): ["crm"], ("strategy", "kpis"): ["nps"]}

    def id_of(section, index):
        return ids.get(section, [None])[index]

    assert describe(("initiatives", 0, "effort", 2, "unit"), id_of) == (
        "initiatives 'crm'", "effort[2].unit")
    assert describe(("strategy", "kpis", 0, "target"), id_of) == ("kpis 'nps'", "target")
    assert describe(("policy", "budget"), id_of) == ("policy", "budget")
    assert describe(("name",), id_of) == (None, "name")


def test_suggest_the_closest_or_nothing():
    assert suggest("enginer", ["engineer", "analyst"]) == "; did you mean 'engineer'?"
    assert suggest("zzz", ["engineer", "analyst"]) == ""


def test_locate_falls_back_to_the_closest_recorded_ancestor():
    src = SourceMap("s.yaml")
    src.set(("staff", 2), "staff.csv", 4)
    assert src.locate(("staff", 2, "fte")).line == 4
    assert src.locate(("staff", 2, "fte")).file == "staff.csv"
    assert src.locate(("units", 0)).file == "s.yaml"
