"""``planner collect``: merge the units' returned forms into one scenario.

The base scenario (``--base org.yaml``) gives everything the units do not fill
in: name, horizon, strategy, units, external capacity, policy, ratings. Each
form (``forms/<unit>.xlsx`` or ``forms/<unit>/`` with CSV files, see
:mod:`planner.gather.forms`) replaces, for its unit, the base's staff, RTB lines
and the initiatives the unit sponsors (with their effort). A unit that sent no
form keeps what the base has for it (with a warning), as do initiatives without
a sponsor. Items keep the base's order; new ones follow in form order.

The merged document goes through the same validation as any scenario
(:func:`planner.io.load.validate_document`). Every error is reported at once and
names the workbook, sheet, row and column, e.g.::

    forms/it.xlsx, sheet 'effort', row 7, column 'unit': unknown unit 'finanse';
    did you mean 'finance'?

On top of the scenario's own checks: a form named after no unit, two forms of
one unit, a person listed twice and an initiative id submitted twice (by two
units, or by a unit and kept from the base) are errors.

Where each item came from is returned as a table (written as ``sources.csv``
beside the collected CSV files): ``section, item, unit, file, sheet, row``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from models.scenario import Scenario
from planner.errors import Issue, ScenarioError
from planner.gather.forms import (
    CONTRIBUTES,
    KPI_IMPACTS,
    PROPOSAL_HEAD,
    PROPOSAL_TAIL,
    RTB,
    STAFF,
    Form,
    Layout,
    find_forms,
    read_form,
)
from planner.gather.write import csv_text, write_scenario
from planner.io.csv_sections import Table, TableReader, resolve_csv
from planner.io.load import LoadedScenario, read_scenario, validate_document
from planner.io.sourcemap import Location, Path_, SourceMap, suggest
from planner.io.yaml_doc import parse_yaml

SECTIONS = ("staff", "run_the_business", "initiatives")
SOURCE_COLUMNS = ("section", "item", "unit", "file", "sheet", "row")


@dataclass
class Collected:
    """A collected scenario: validated, as written, its warnings and where items came from."""

    loaded: LoadedScenario  # validated, with derived weights and contributions
    scenario: Scenario  # as collected, before derivation: what is written
    sources: pd.DataFrame  # columns SOURCE_COLUMNS
    inputs: list[Path] = field(default_factory=list)  # base, its CSV files, the forms

    @property
    def warnings(self) -> list[Issue]:
        """Warnings, located like errors."""
        return self.loaded.warnings


@dataclass
class _Origin:
    """Where a collected item comes from: its source map and index there."""

    source: SourceMap
    index: int
    form: Form | None


@dataclass
class _Merge:
    forms_by_key: dict[str, tuple[Form, str]] = field(default_factory=dict)
    items: dict[str, list[tuple[Any, dict[str, Any], _Origin]]] = field(
        default_factory=lambda: {s: [] for s in SECTIONS})
    issues: list[Issue] = field(default_factory=list)


def _base_document(base: Path) -> tuple[dict[str, Any], SourceMap, LoadedScenario]:
    loaded = read_scenario(base)  # the base must be a valid scenario on its own
    name = str(base)
    source = SourceMap(name)
    data = parse_yaml(base.read_bytes().decode("utf-8-sig"), name, source)
    resolve_csv(data, base.parent, name, source)
    return data, source, loaded


def _normalise(form: Form, layout: Layout) -> dict[str, Table]:
    """The form's sheets as tables in the scenario's CSV columns (unit and sponsor filled in)."""
    out: dict[str, Table] = {}
    t = form.tables.get("staff")
    if t is not None:
        cols = ["unit", *(c for c in t.columns if c in STAFF)]
        out["staff"] = Table(t.name, cols, [(n, {"unit": form.unit, **r}) for n, r in t.rows])
    t = form.tables.get("rtb")
    if t is not None:
        keep = [c for c in t.columns if c in RTB or c in layout.periods]
        out["rtb"] = Table(t.name, ["unit", *keep],
                           [(n, {"unit": form.unit, **{c: r[c] for c in keep}})
                            for n, r in t.rows])
    t = form.tables.get("proposals")
    if t is not None:
        cols = [*PROPOSAL_HEAD, "sponsor", "contributes", "kpi_impacts", *PROPOSAL_TAIL]
        rows = []
        for n, r in t.rows:
            d = {c: r.get(c, "") for c in (*PROPOSAL_HEAD, *PROPOSAL_TAIL)}
            d["sponsor"] = form.unit
            d["contributes"] = ";".join(f"{o}:{r[CONTRIBUTES + o]}" for o in layout.objectives
                                        if r.get(CONTRIBUTES + o, "") != "")
            d["kpi_impacts"] = ";".join(f"{k}:{r[KPI_IMPACTS + k]}" for k in layout.kpis
                                        if r.get(KPI_IMPACTS + k, "") != "")
            rows.append((n, d))
        out["proposals"] = Table(t.name, cols, rows)
    t = form.tables.get("effort")
    if t is not None:
        out["effort"] = t
    return out


def _read_forms(folder: Path, shown: str, layout: Layout, units: list[str],
                merge: _Merge) -> list[Form]:
    forms: list[Form] = []
    seen: dict[str, Form] = {}
    for path, kind in find_forms(folder):
        display = os.path.join(shown, path.name)
        unit = path.stem if kind == "xlsx" else path.name
        if unit not in units:
            merge.issues.append(Issue(display, None, None,
                                      f"unit '{unit}' does not exist{suggest(unit, units)}: "
                                      "a form is named after its unit (e.g. "
                                      f"{units[0] if units else 'it'}.xlsx)"))
            continue
        if unit in seen:
            merge.issues.append(Issue(display, None, None,
                                      f"a second form of unit '{unit}' (the first is "
                                      f"{seen[unit].display}): send one per unit"))
            continue
        form = read_form(path, kind, display, layout)
        seen[unit] = form
        merge.issues += form.issues
        forms.append(form)
    return forms


def _parse(form: Form, layout: Layout, merge: _Merge) -> None:
    """Turn a form's tables into scenario items, recording rows in the form's own source map."""
    tables = _normalise(form, layout)
    source = SourceMap(form.display)
    reader = TableReader(Path("."), form.display, source)
    for sheet, table in tables.items():
        merge.forms_by_key[table.name] = (form, sheet)
    parsed: dict[str, list[dict[str, Any]]] = {
        "staff": reader.staff(tables["staff"]) if "staff" in tables else [],
        "run_the_business": reader.rtb(tables["rtb"], list(layout.periods))
        if "rtb" in tables else [],
        "initiatives": reader.initiatives(tables["proposals"], tables.get("effort"))
        if "proposals" in tables else [],
    }
    merge.issues += reader.issues
    for section, rows in parsed.items():
        for k, item in enumerate(rows):
            merge.items[section].append((_key(section, item), item, _Origin(source, k, form)))


def _key(section: str, item: dict[str, Any]) -> Any:
    if section == "run_the_business":
        return (str(item.get("unit")), str(item.get("skill")), str(item.get("priority", "high")))
    return str(item.get("id", ""))


def _base_items(data: dict[str, Any], source: SourceMap, sent: set[str],
                merge: _Merge) -> dict[str, dict[Any, int]]:
    """Keep the base's items of units that sent no form; return the base order of every key."""
    order: dict[str, dict[Any, int]] = {s: {} for s in SECTIONS}
    for section in SECTIONS:
        field_ = "sponsor" if section == "initiatives" else "unit"
        for k, item in enumerate(data.get(section) or []):
            key = _key(section, item)
            order[section].setdefault(key, k)
            if item.get(field_) not in sent:
                merge.items[section].insert(
                    sum(1 for _, _, o in merge.items[section] if o.form is None),
                    (key, item, _Origin(source, k, None)))
    return order


def _dedupe(merge: _Merge) -> None:
    """Report and drop a person or an initiative listed twice (the first one stays)."""
    for section, what, verb in (("staff", "person", "listed"),
                                ("initiatives", "initiative", "submitted")):
        first: dict[Any, _Origin] = {}
        kept = []
        for key, item, origin in merge.items[section]:
            if key == "" or key not in first:
                first.setdefault(key, origin)
                kept.append((key, item, origin))
                continue
            other = first[key]
            at = other.source.locate((section, other.index, "id"))
            where = _where(at, merge)
            loc = origin.source.locate((section, origin.index, "id"))
            merge.issues.append(Issue(loc.file, None, "id",
                                      f"{what} '{key}' is {verb} twice: also in {where}",
                                      loc.line))
        merge.items[section] = kept


def _where(loc: Location, merge: _Merge) -> str:
    info = merge.forms_by_key.get(loc.file)
    if info is None:
        return f"{loc.file}:{loc.line}" if loc.line is not None else loc.file
    return f"{loc.file}, row {loc.line}" if loc.line is not None else loc.file


def _assemble(data: dict[str, Any], base_source: SourceMap, order: dict[str, dict[Any, int]],
              merge: _Merge) -> tuple[dict[str, Any], SourceMap]:
    """The merged document in base order, with a source map re-keyed to its positions."""
    source = SourceMap(base_source.default_file)
    source.entries = {p: loc for p, loc in base_source.entries.items()
                      if not (p and p[0] in SECTIONS)}
    doc = dict(data)
    for section in SECTIONS:
        known = order[section]
        counts: dict[Any, int] = {}
        ranked = []
        for pos, (key, item, origin) in enumerate(merge.items[section]):
            counts[key] = counts.get(key, 0) + 1  # RTB keys may repeat: keep them apart
            base_pos = known.get(key) if counts[key] == 1 else None
            ranked.append(((0, base_pos, 0) if base_pos is not None else (1, 0, pos),
                           item, origin))
        ranked.sort(key=lambda r: r[0])
        doc[section] = [item for _, item, _ in ranked]
        for g, (_, _, origin) in enumerate(ranked):
            prefix = (section, origin.index)
            for p, loc in origin.source.entries.items():
                if p[:2] == prefix:
                    source.entries[(section, g, *p[2:])] = loc
    return doc, source


_INDEX = re.compile(r"\[(\d+)\]")


def column_of(sheet: str, fld: str | None, layout: Layout) -> str | None:
    """The form column an issue's field refers to (``effort[2].unit`` -> ``unit``)."""
    if not fld:
        return None
    if sheet == "effort":
        fld = re.sub(r"^effort\[\d+\]\.?", "", fld) or None
        if fld is None:
            return None
    if sheet == "rtb":
        m = re.fullmatch(r"hours\[(\d+)\]", fld)
        if m and int(m.group(1)) < len(layout.periods):
            return layout.periods[int(m.group(1))]
    for prefix, col in (("contributes.", CONTRIBUTES), ("kpi_impacts.", KPI_IMPACTS)):
        if fld.startswith(prefix):
            name = col + fld[len(prefix):]
            return name if name in layout.columns(sheet) else None
    head = _INDEX.split(fld.split(".")[0])[0]
    # unit and sponsor are implied by the form; contributes is spread over columns
    return head if head in layout.columns(sheet) else None


def locate_issue(issue: Issue, merge: _Merge, layout: Layout) -> Issue:
    """An issue about a form cell, named as ``workbook, sheet, row, column``."""
    info = merge.forms_by_key.get(issue.file)
    if info is None:
        return issue
    _, sheet = info
    where = issue.file + (f", row {issue.line}" if issue.line is not None else "")
    col = column_of(sheet, issue.field, layout)
    if col is not None:
        return Issue(f"{where}, column '{col}'", None, None, issue.message, None,
                     issue.severity)
    return Issue(where, issue.item, issue.field, issue.message, None, issue.severity)


def collect(forms_dir: str | os.PathLike[str], base: str | os.PathLike[str]) -> Collected:
    """Merge the forms in ``forms_dir`` with the base scenario; validate the result.

    Raises
    ------
    ScenarioError
        With every error found, each naming the workbook (or CSV file), sheet, row
        and column, or the base file and line.
    """
    base_path = Path(base)
    folder = Path(forms_dir)
    if not folder.is_dir():
        raise ScenarioError([Issue(str(folder), None, None, "no such folder of forms")])
    data, base_source, base_loaded = _base_document(base_path)
    layout = Layout.of(base_loaded.scenario)
    units = [u.id for u in base_loaded.scenario.units]
    merge = _Merge()
    forms = _read_forms(folder, str(forms_dir), layout, units, merge)
    if not forms and not merge.issues:
        raise ScenarioError([Issue(str(folder), None, None,
                                   "no forms found (<unit>.xlsx files or <unit>/ folders)")])
    for form in forms:
        _parse(form, layout, merge)
    sent = {f.unit for f in forms}
    order = _base_items(data, base_source, sent, merge)
    _dedupe(merge)
    doc, source = _assemble(data, base_source, order, merge)
    missing = [u for u in units if u not in sent]
    notes = [Issue(str(forms_dir), None, None,
                   f"no form from unit '{u}': its staff, RTB and proposals are kept from "
                   f"{base_path}", None, "warning") for u in missing]
    try:
        loaded = validate_document(doc, source, str(base_path), merge.issues)
    except ScenarioError as exc:
        raise ScenarioError([locate_issue(i, merge, layout) for i in exc.issues]) from None
    loaded.warnings = notes + [locate_issue(i, merge, layout) for i in loaded.warnings]
    raw = Scenario.model_validate(doc)
    inputs = [base_path, *(Path(p) for p in {loc.file for loc in base_source.entries.values()}),
              *(f.path for f in forms)]
    return Collected(loaded, raw, _sources(doc, source, merge), inputs)


def _sources(doc: dict[str, Any], source: SourceMap, merge: _Merge) -> pd.DataFrame:
    rows = []

    def add(section: str, item: str, unit: str, path: Path_) -> None:
        loc = source.locate(path)
        info = merge.forms_by_key.get(loc.file)
        if info is not None:
            form, sheet = info
            file, sheet_name = form.display, (sheet if form.kind == "xlsx" else "")
            if form.kind == "csv":
                file = f"{form.display}/{sheet}.csv"
        else:
            file, sheet_name = loc.file, ""
        rows.append({"section": section, "item": item, "unit": unit, "file": file,
                     "sheet": sheet_name, "row": "" if loc.line is None else loc.line})

    for k, p in enumerate(doc["staff"]):
        add("staff", str(p.get("id", "")), str(p.get("unit", "")), ("staff", k))
    for k, line in enumerate(doc["run_the_business"]):
        add("run_the_business", f"{line.get('skill', '')}/{line.get('priority', 'high')}",
            str(line.get("unit", "")), ("run_the_business", k))
    for k, ini in enumerate(doc["initiatives"]):
        iid = str(ini.get("id", ""))
        add("initiatives", iid, str(ini.get("sponsor") or ""), ("initiatives", k))
        for j, e in enumerate(ini.get("effort") or []):
            add("effort", f"{iid}/{e.get('unit', '')}/{e.get('skill', '')}",
                str(e.get("unit", "")), ("initiatives", k, "effort", j))
    return pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))


def write_collected(collected: Collected, out_yaml: str | os.PathLike[str],
                    force: bool = False) -> list[Path]:
    """Write the collected scenario (YAML + CSV folder with ``sources.csv``), atomically.

    Never writes over the base, its CSV files or a form.
    """
    src = collected.sources
    text = csv_text(SOURCE_COLUMNS, ({c: str(v) for c, v in r.items()}
                                     for r in src.to_dict("records")))
    return write_scenario(collected.scenario, out_yaml, extra={"sources.csv": text},
                          force=force, protect=collected.inputs)


__all__: Sequence[str] = ("Collected", "collect", "column_of", "write_collected")
