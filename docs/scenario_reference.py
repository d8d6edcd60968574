"""Write the field tables of docs/scenario-format.md from the scenario models, so they cannot drift.

``python docs/scenario_reference.py`` walks the pydantic models from
:class:`models.scenario.Scenario` down (every model a field refers to, in whatever
module) and rewrites, in place, each region of the page between

    <!-- fields: PATH -->
    <!-- /fields -->

with the table of the model found at PATH (``horizon``, ``staff[]``,
``initiatives[].effort[]``, ``policy.solver``, ``top-level``): one row per field with
its type in words, default, whether it is required and its description (the text
editors show on hover, ``planner schema``). A region ``<!-- fields: * -->`` gets the
tables of every model no other region shows, so a field added to a new model is
documented the moment it lands. ``--check`` rewrites nothing and exits 1 when the
page is not what this script writes; a field without a description, a marker naming
no model and a stale entry of :data:`MEANING` are errors in both modes.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from models import scenario as sm  # noqa: E402
from planner.io.csv_sections import CSV_COLUMNS, PLAIN_TABLES  # noqa: E402
from planner.io.schema import CSV_SECTIONS  # noqa: E402

DOC = ROOT / "docs" / "scenario-format.md"
BEGIN = re.compile(r"^<!-- fields: (?P<path>\S+) -->$")
END = "<!-- /fields -->"
TOP = "top-level"
REST = "*"

#: One amount of money, or one per calendar year (``policy.budget``, ``units[].budget``).
YEARLY_MONEY = ("number ≥ 0 (money, for the whole horizon), or map calendar year -> number ≥ 0 "
                "(every year the horizon touches)")
#: What a field's text (``text``), or a map's keys (``key``) and values (``value``),
#: mean where the annotation cannot say; ``full`` replaces the whole type (the loader
#: or a validator accepts other forms than the annotation shows, or checks a range).
MEANING: dict[str, dict[str, str]] = {
    "KPI.objective": {"text": "objective id"},
    "KPI.unit": {"text": "unit id"},
    "KPI.drives": {"key": "KPI id", "value": "factor"},
    "Comparison.a": {"text": "objective id"},
    "Comparison.b": {"text": "objective id"},
    "Comparison.ratio": {"full": "number in [1/9, 9], or a fraction such as `1/3`"},
    "Person.unit": {"text": "unit id"},
    "Person.skills": {"full": "list of skills, or map skill -> proficiency in (0, 1]"},
    "Person.availability": {"value": "share in [0, 1]"},
    "Person.develop": {"full": "list of skills, or map skill -> hours ≥ 0 (empty: "
                               "`policy.development.default_hours`)"},
    "RTBLine.unit": {"text": "unit id"},
    "RTBLine.skill": {"text": "skill"},
    "RTBLine.hours": {"full": "number ≥ 0 (every period), or list of numbers ≥ 0 (one per "
                              "period)"},
    "RTBLine.sustains": {"text": "KPI id"},
    "EffortLine.unit": {"text": "unit id"},
    "EffortLine.skill": {"text": "skill"},
    "Initiative.sponsor": {"text": "unit id"},
    "Initiative.contributes": {"key": "objective id"},
    "Initiative.kpi_impacts": {"key": "KPI id", "value": "change"},
    "Initiative.depends_on": {"text": "initiative id"},
    "Initiative.exclusive_with": {"text": "initiative id"},
    "StakeholderRating.initiative": {"text": "initiative id"},
    "StakeholderRating.objective": {"text": "objective id"},
    "External.skill": {"text": "skill"},
    "SolverOptions.backend": {"text": "backend name"},
    # several years: maps keyed by calendar year, shares, phase names
    "KPI.targets": {"key": "calendar year", "value": "target"},
    "Unit.budget": {"full": YEARLY_MONEY},
    "Policy.budget": {"full": YEARLY_MONEY},
    "Policy.discount_rate": {"full": "share per year in [0, 10] (0.08 = 8%)"},
    "Initiative.cost_profile": {"full": "list of shares ≥ 0 summing to 1: one per phase, or "
                                        "one per active period"},
    "Initiative.value_ramp": {"full": "whole number of periods in [0, 520]"},
    "Phase.name": {"text": "name without `.`"},
    # uncertainty: probabilities, ids and lines as keys
    "Uncertainty.slip": {"key": "extra periods ≥ 1", "value": "probability (sum ≤ 1)"},
    "Uncertainty.attrition": {"full": "share per year in [0, 1) (0.12 = 12%)"},
    "Uncertainty.backfill": {"full": "whole number of periods in [0, 520], or `null` (never "
                                     "within the horizon)"},
    "Uncertainty.availability_noise": {"full": "share of a period in [0, 1)"},
    "Uncertainty.utilisation": {"full": "share of capacity in (0, 1]"},
    "Uncertainty.initiatives": {"key": "initiative id"},
    "InitiativeUncertainty.lines": {"key": "`unit/skill` of an effort line",
                                    "value": "spread (`low`, `high`)"},
    "InitiativeUncertainty.slip": {"key": "extra periods ≥ 1",
                                   "value": "probability (sum ≤ 1)"},
    "Spread.low": {"full": "multiple of the estimate in (0, 1]"},
    "Spread.high": {"full": "multiple of the estimate in [1, 100]"},
}
#: The fields of the contract shared with users (SCENARIO_FORMAT.md), by path; every
#: other field is marked as this project's extension. The sections "Several years" and
#: "Uncertainty" of the contract name their fields in examples only; the paths below
#: are the ones those examples use.
CONTRACT: dict[str, set[str]] = {
    TOP: {"name", "description", "horizon", "strategy", "units", "staff", "run_the_business",
          "initiatives", "external", "policy", "uncertainty"},
    "horizon": {"start", "periods", "period", "hours_per_fte"},
    "strategy": {"objectives", "kpis"},
    "strategy.objectives[]": {"id", "name", "weight"},
    "strategy.kpis[]": {"id", "name", "objective", "baseline", "target", "by", "must_meet",
                        "drives", "unit", "targets"},
    "units[]": {"id", "name", "owner", "budget"},
    "staff[]": {"id", "name", "unit", "skills", "fte", "cost_per_hour", "max_change_share",
                "availability", "develop"},
    "run_the_business[]": {"unit", "skill", "hours", "priority", "sustains"},
    "initiatives[]": {"id", "name", "sponsor", "contributes", "kpi_impacts", "value", "cost",
                      "duration", "earliest_start", "deadline", "mandatory", "depends_on",
                      "exclusive_with", "effort", "phases", "value_per_period"},
    "initiatives[].effort[]": {"unit", "skill", "hours"},
    "initiatives[].phases[]": {"name", "duration", "effort"},
    "initiatives[].phases[].effort[]": {"unit", "skill", "hours"},
    "external[]": {"skill", "max_fte", "cost_per_hour", "from"},
    "policy": {"budget", "max_utilisation", "borrowing", "objective", "solver", "development"},
    "policy.solver": {"backend", "time_limit", "gap", "seed"},
    "policy.development": {"learner_proficiency", "weight"},  # "plus a weight of your design"
    "uncertainty": {"effort", "attrition", "backfill", "initiatives"},
    "uncertainty.effort": {"low", "high"},
    "uncertainty.initiatives.*": {"effort"},
    "uncertainty.initiatives.*.effort": {"low", "high"},
}
EXTENSION = "*Extension.* "
#: Types that have a name of their own in the page.
NAMED: list[tuple[Any, str, str]] = [
    (sm.PeriodLabel, "period label", "period labels"),
    (sm.Rating, "rating (word or number in [0, 1])", "ratings"),
]
#: Document paths where a list may be given as ``{csv: FILE}``.
CSV_REFS: set[tuple[str, ...]] = {(k,) for k in CSV_SECTIONS} | set(PLAIN_TABLES)
#: Upper bounds from this size on are sanity limits: shown as "at most".
SANITY = 1e6


@dataclass
class Place:
    """A model and every path at which a scenario holds it."""

    model: type[BaseModel]
    paths: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)  # the paths as document keys
    csv: list[str] = field(default_factory=list)  # columns when the list may be a CSV file
    csv_how: str = ""  # how the CSV file is named in the YAML


# --------------------------------------------------------------------------- walking


def _models_in(tp: Any) -> list[tuple[type[BaseModel], str]]:
    """Models inside an annotation, each with the path suffix that reaches it."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [(tp, "")]
    origin = get_origin(tp)
    if origin is Annotated:
        return _models_in(get_args(tp)[0])
    if origin is list:
        return [(m, "[]" + s) for m, s in _models_in(get_args(tp)[0])]
    if origin is dict:
        return [(m, ".*" + s) for m, s in _models_in(get_args(tp)[1])]
    out: list[tuple[type[BaseModel], str]] = []
    for arg in get_args(tp):
        out += _models_in(arg)
    return out


def _hints(model: type[BaseModel]) -> dict[str, Any]:
    """Annotations of ``model``'s fields with ``Annotated`` kept (period labels, money)."""
    return typing.get_type_hints(model, include_extras=True)


def walk(root: type[BaseModel]) -> dict[type[BaseModel], Place]:
    """Every model reachable from ``root``, in field order, with its paths."""
    places: dict[type[BaseModel], Place] = {}

    def visit(model: type[BaseModel], path: str, keys: tuple[str, ...],
              stack: tuple[type[BaseModel], ...]) -> None:
        place = places.setdefault(model, Place(model))
        place.paths.append(path)
        place.keys.append(keys)
        cols = CSV_COLUMNS.get(keys)
        if cols is not None:
            place.csv = list(cols)
            place.csv_how = (f"`{keys[-1]}: {{csv: FILE}}`" if keys in CSV_REFS else
                             f"`{keys[-1]}: FILE` beside the `csv: FILE` of "
                             f"`{'.'.join(keys[:-1])}`")
        if model in stack:
            return
        hints = _hints(model)
        for name, info in model.model_fields.items():
            key = info.alias or name
            for sub, suffix in _models_in(hints[name]):
                child = f"{path}.{key}" if path != TOP else key
                visit(sub, child + suffix, keys + (key,), stack + (model,))

    visit(root, TOP, (), ())
    return places


# --------------------------------------------------------------------------- types in words


def _num(x: float) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if isinstance(x, int) and x >= SANITY and str(x).rstrip("0") == "1":
        return f"1e{len(str(x)) - 1}"
    return f"{x:,}" if isinstance(x, int) and x >= 10_000 else f"{x:g}"


def _number(kind: str, meta: list[Any], plural: bool) -> str:
    lo: float | None = None
    hi: float | None = None
    lo_open = hi_open = False
    whole = kind == "whole number"  # > 0 is >= 1 for whole numbers
    for m in meta:
        if isinstance(m, at.Ge):
            lo = float(m.ge)  # type: ignore[arg-type]
        elif isinstance(m, at.Gt):
            lo = float(m.gt)  # type: ignore[arg-type]
            lo, lo_open = (lo + 1, False) if whole else (lo, True)
        elif isinstance(m, at.Le):
            hi = float(m.le)  # type: ignore[arg-type]
        elif isinstance(m, at.Lt):
            hi = float(m.lt)  # type: ignore[arg-type]
            hi, hi_open = (hi - 1, False) if whole else (hi, True)
    word = kind + ("s" if plural else "")
    sanity = hi is not None and hi >= SANITY
    if lo is not None and hi is not None and not sanity:
        return (f"{word} in {'(' if lo_open else '['}{_num(lo)}, {_num(hi)}"
                f"{')' if hi_open else ']'}")
    out = word
    if lo is not None:
        out += f" {'>' if lo_open else '≥'} {_num(lo)}"
    if hi is not None:
        out += f" (at most {_num(hi)})" if sanity else f" {'<' if hi_open else '≤'} {_num(hi)}"
    return out


def _flatten(tp: Any, meta: list[Any]) -> tuple[Any, list[Any]]:
    """Strip ``Annotated``, collecting its constraints."""
    while get_origin(tp) is Annotated:
        base, *extra = get_args(tp)
        for x in extra:
            meta = meta + (list(x.metadata) if isinstance(x, FieldInfo) else [x])
        tp = base
    return tp, meta


def words(tp: Any, meta: list[Any], meaning: dict[str, str], places: dict[type[BaseModel],
          Place], plural: bool = False) -> str:
    """An annotation in words: ``number ≥ 0``, ``list of initiative ids``, ``map skill ->
    proficiency``..."""
    for named, one, many in NAMED:
        if tp == named:
            return many if plural else one
    base, meta = _flatten(tp, meta)
    if base is not tp:
        for named, one, many in NAMED:
            if tp == named:
                return many if plural else one
        return words(base, meta, meaning, places, plural)
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        path = places[tp].paths[0]
        return f"`{path}` item{'s' if plural else ''}" if path.endswith("[]") else \
            f"section `{path}`"
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return ", or ".join(words(a, meta, meaning, places, plural) for a in args)
    if origin is Literal:
        return " | ".join(f"`{v}`" for v in get_args(tp))
    if origin is list:
        return "list of " + words(get_args(tp)[0], [], meaning, places, plural=True)
    if origin is dict:
        k, v = get_args(tp)
        key = meaning.get("key") or words(k, [], {}, places)
        value = meaning.get("value") or words(v, [], {}, places)
        return f"map {key} -> {value}"
    if tp is bool:
        return "true or false"
    if tp is int:
        return _number("whole number", meta, plural)
    if tp is float:
        return _number("number", meta, plural)
    if tp is str:
        text = meaning.get("text")
        if text:
            return text + ("s" if plural else "")
        pattern = next((m.pattern for m in meta if hasattr(m, "pattern")), None)
        out = "texts" if plural else "text"
        return out + (f" matching `{pattern}`" if pattern else "")
    return str(tp)  # pragma: no cover - a type this page does not know yet


def type_words(model: type[BaseModel], name: str, places: dict[type[BaseModel], Place]) -> str:
    """The type column of one field."""
    info = model.model_fields[name]
    meaning = MEANING.get(f"{model.__name__}.{name}", {})
    if "full" in meaning:
        return meaning["full"]
    key = info.alias or name
    if key == "id":
        return "id"
    out = words(_hints(model)[name], list(info.metadata), meaning, places)
    for keys in places[model].keys:
        if keys + (key,) in CSV_REFS:
            more = [k for k in CSV_SECTIONS.get(key, {}) if k != "csv"] if not keys else []
            out += ", or `{csv: FILE" + "".join(f", {k}: FILE" for k in more) + "}`"
            break
    return out


def default_words(info: FieldInfo) -> str:
    """The default column: ``140``, ``false``, ``[]``, ``–`` (absent)."""
    if info.is_required():
        return ""
    value = info.default
    if value is PydanticUndefined and info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    if value is None:
        return "–"
    if isinstance(value, BaseModel):
        return "its defaults"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list | dict):
        return f"`{'[]' if isinstance(value, list) else '{}'}`" if not value else f"`{value}`"
    if isinstance(value, float | int):
        return f"`{_num(value)}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s*\(issue \d+\)", "", text)  # tracker references mean nothing to users
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    return text.replace("|", "\\|")


def _summary(model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip().split("\n\n")[0]
    return _cell(doc)


def table(place: Place, places: dict[type[BaseModel], Place],
          contract: dict[str, set[str]]) -> list[str]:
    """The generated lines of one model's region."""
    model = place.model
    named = ["the top level" if p == TOP else f"`{p}`" for p in place.paths]
    where = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    lines = [f"**Fields of {where}.** {_summary(model)}"]
    if place.csv:
        known = [info.alias or n for n, info in model.model_fields.items()]
        columns = ", ".join(f"`{c}`" for c in place.csv)
        lines[0] += f" As CSV ({place.csv_how}), columns {columns}."
        yaml_only = [k for k in known if k not in place.csv]
        if yaml_only:
            lines[0] += " Not in the CSV: " + ", ".join(f"`{k}`" for k in yaml_only) + "."
    lines += ["", "| field | type | default | required | description |",
              "|---|---|---|---|---|"]
    agreed = set().union(*(contract.get(p, set()) for p in place.paths))
    for name, info in model.model_fields.items():
        key = info.alias or name
        lines.append(
            f"| `{key}` | {_cell(type_words(model, name, places))} | "
            f"{default_words(info)} | {'yes' if info.is_required() else 'no'} | "
            f"{'' if key in agreed else EXTENSION}{_cell(info.description or '')} |"
        )
    return lines


# --------------------------------------------------------------------------- the page


def problems(root: type[BaseModel] = sm.Scenario) -> list[str]:
    """What keeps the reference from being complete: fields without a description,
    entries of :data:`MEANING` naming no field."""
    places = walk(root)
    out = []
    fields: set[str] = set()
    for model in places:
        for name, info in model.model_fields.items():
            fields.add(f"{model.__name__}.{name}")
            if not (info.description or "").strip():
                out.append(f"{model.__module__}.{model.__name__}.{name} has no description "
                           "(give it one: Field(description=...))")
    if root is sm.Scenario:
        out += [f"MEANING names {key}, which is no field of the scenario"
                for key in MEANING if key not in fields]
    return out


def render(text: str, root: type[BaseModel] = sm.Scenario,
           contract: dict[str, set[str]] | None = None) -> tuple[str, list[str]]:
    """``text`` with every fields region regenerated, and the problems found.

    ``root`` is the model of a whole document and ``contract`` the fields of the shared
    contract by path (default: the scenario and :data:`CONTRACT`).
    """
    contract = CONTRACT if contract is None else contract
    places = walk(root)
    by_path = {p: place for place in places.values() for p in place.paths}
    lines = text.splitlines()
    regions: list[tuple[int, int, str]] = []  # (begin line, end line, path)
    errors: list[str] = []
    k = 0
    while k < len(lines):
        m = BEGIN.match(lines[k].strip())
        if m:
            end = k + 1
            while end < len(lines) and lines[end].strip() != END and not BEGIN.match(
                    lines[end].strip()):
                end += 1
            if end == len(lines) or lines[end].strip() != END:
                errors.append(f"line {k + 1}: <!-- fields: {m['path']} --> has no {END}")
                k += 1
                continue
            regions.append((k, end, m["path"]))
            k = end
        k += 1
    shown: set[type[BaseModel]] = set()
    for k, _end, path in regions:
        if path == REST:
            continue
        if path not in by_path:
            errors.append(f"line {k + 1}: no model at '{path}' (paths: "
                          f"{', '.join(sorted(by_path))})")
        elif by_path[path].model in shown:
            errors.append(f"line {k + 1}: the table of '{path}' is already on the page")
        else:
            shown.add(by_path[path].model)
    out: list[str] = []
    pos = 0
    for k, end, path in regions:
        out += lines[pos:k + 1]
        if path == REST:
            rest = [place for model, place in places.items() if model not in shown]
            body: list[str] = []
            for place in rest:
                body += [*table(place, places, contract), ""]
            out += ["", *(body or ["(Every model has its table in its section above.)", ""])]
        elif path in by_path:
            out += ["", *table(by_path[path], places, contract), ""]
        out.append(lines[end])
        pos = end + 1
    out += lines[pos:]
    return "\n".join(out) + "\n", errors + problems(root)


def main(argv: list[str] | None = None, write: Callable[[str], object] = print) -> int:
    """Command line; returns the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when the page is out of date instead of rewriting it")
    ap.add_argument("--doc", type=Path, default=DOC, help="the page (default: %(default)s)")
    args = ap.parse_args(argv)
    text = args.doc.read_text(encoding="utf-8")
    new, errors = render(text)
    for e in errors:
        write(f"{args.doc}: {e}")
    if errors:
        return 1
    if new == text:
        return 0
    if args.check:
        diff = difflib.unified_diff(text.splitlines(), new.splitlines(), "committed",
                                    "generated", lineterm="", n=1)
        write("\n".join(list(diff)[:40]))
        write(f"{args.doc} is out of date: run python docs/scenario_reference.py")
        return 1
    args.doc.write_text(new, encoding="utf-8")
    write(f"rewrote {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
