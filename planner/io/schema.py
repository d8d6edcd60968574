"""The JSON Schema of a scenario file, as the loader reads it (for editors and tools).

Generated from the pydantic models (:class:`models.scenario.Scenario`), with each
field's description, then widened where the loader accepts more than the model
holds once loaded:

* ``staff``, ``run_the_business`` and ``initiatives`` may be ``{csv: FILE}``
  (initiatives also ``effort: FILE``), resolved by :mod:`planner.io.csv_sections`;
* period labels may be written as integers (``deadline: 43`` with ``period: index``);
* ``skills`` may be a list of skill names (each at proficiency 1);
* a list section or ``strategy``/``policy`` may be empty (``null``).
"""

from __future__ import annotations

import copy
from typing import Any

from models.scenario import Scenario

#: keys a ``{csv: ...}`` reference may have, per section
CSV_SECTIONS: dict[str, dict[str, str]] = {
    "staff": {"csv": "Staff CSV file, relative to the YAML file."},
    "run_the_business": {"csv": "RTB CSV file (an hours column or one column per period)."},
    "initiatives": {"csv": "Initiatives CSV file, relative to the YAML file.",
                    "effort": "Effort CSV file: initiative, unit, skill, hours."},
}
#: fields whose values are period labels (the model turns integers into strings)
PERIOD_FIELDS = {
    "Horizon": ("start",),
    "KPI": ("by",),
    "Initiative": ("earliest_start", "deadline", "start"),
    "External": ("from",),
}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every valid scenario file satisfies."""
    schema = copy.deepcopy(Scenario.model_json_schema(by_alias=True, mode="validation"))
    schema["$schema"] = DIALECT
    defs = schema.get("$defs", {})
    for model, fields in PERIOD_FIELDS.items():
        props = defs.get(model, {}).get("properties", {})
        for name in fields:
            if name in props:
                _widen_label(props[name])
    person = defs.get("Person", {}).get("properties", {})
    if "skills" in person:
        p = person["skills"]
        desc = p.pop("description", None)
        person["skills"] = {"anyOf": [p, {"type": "array", "items": {"type": "string"},
                                          "minItems": 1}]}
        if desc:
            person["skills"]["description"] = desc
    props = schema["properties"]
    for section, keys in CSV_SECTIONS.items():
        ref = {
            "type": "object",
            "properties": {k: {"type": "string", "minLength": 1, "description": d}
                           for k, d in keys.items()},
            "required": ["csv"],
            "additionalProperties": False,
        }
        _either(props[section], [ref, {"type": "null"}])
    for section in ("units", "external"):
        _either(props[section], [{"type": "null"}])
    for section in ("strategy", "policy"):
        _either(props[section], [{"type": "null"}])
    return schema


def _either(prop: dict[str, Any], more: list[dict[str, Any]]) -> None:
    """Turn ``prop`` into ``anyOf [prop, *more]``, keeping its description and default."""
    keep: dict[str, Any] = {k: prop.pop(k) for k in ("description", "title", "default")
                            if k in prop}
    inner = dict(prop)
    prop.clear()
    prop["anyOf"] = [inner, *more]
    prop.update(keep)


def _widen_label(prop: dict[str, Any]) -> None:
    """A period label: a non-empty string, or an integer (``period: index``)."""
    keep: dict[str, Any] = {k: prop[k] for k in ("description", "title", "default") if k in prop}
    prop.clear()
    prop["anyOf"] = [{"type": "string", "minLength": 1}, {"type": "integer"}, {"type": "null"}]
    prop.update(keep)


def undescribed(schema: dict[str, Any]) -> list[str]:
    """Paths of properties without a description (an editor would show nothing)."""
    out: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if isinstance(prop, dict) and not prop.get("description"):
                    out.append(f"{path}.{name}")
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for k, value in enumerate(node):
                walk(value, f"{path}[{k}]")

    walk(schema, "#")
    return out
