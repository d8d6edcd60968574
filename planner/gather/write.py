"""Write a scenario as YAML plus CSV files for its big tables, atomically.

The CSV cells follow the scenario format's conventions (``a;b:0.8``,
``key:value;key:value``, an empty cell for the default), so reading the files
back gives the same :class:`~models.scenario.Scenario`.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from models.scenario import Initiative, Person, Scenario
from planner.errors import PlannerError
from planner.io.guard import Input, check_destination
from planner.io.lock import destination_lock
from planner.io.tmpdirs import replace_folder


class WriteError(PlannerError):
    """The collected scenario cannot be written (exists, would replace an input, I/O)."""


def num(x: float) -> str:
    """A number as CSV text: integers without ``.0``, others exactly (``repr``)."""
    f = float(x)
    return str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)


def _pairs(d: dict[str, Any]) -> str:
    return ";".join(f"{k}:{v if isinstance(v, str) else num(v)}" for k, v in d.items())


def develop_cell(p: Person) -> str:
    """A staff CSV ``develop`` cell: ``data`` for a wish of the default hours, ``data:60``."""
    return ";".join(k if h is None else f"{k}:{num(h)}" for k, h in p.develop.items())


def _skills(p: Person) -> str:
    return ";".join(s if q == 1 else f"{s}:{num(q)}" for s, q in p.skills.items())


def staff_rows(people: Iterable[Person]) -> list[dict[str, str]]:
    """Staff as CSV rows (``unit`` included)."""
    return [{
        "id": p.id, "name": p.name or "", "unit": p.unit, "skills": _skills(p),
        "fte": num(p.fte), "cost_per_hour": num(p.cost_per_hour),
        "max_change_share": num(p.max_change_share), "availability": _pairs(p.availability),
        "develop": develop_cell(p),
    } for p in people]


def initiative_row(ini: Initiative) -> dict[str, str]:
    """One initiative as a CSV row (without effort); defaults are left empty."""
    return {
        "id": ini.id, "name": ini.name or "", "sponsor": ini.sponsor or "",
        "status": "" if ini.status == "proposed" else ini.status,
        "contributes": _pairs(ini.contributes), "kpi_impacts": _pairs(ini.kpi_impacts),
        "value": num(ini.value), "cost": num(ini.cost), "duration": str(ini.duration),
        "earliest_start": ini.earliest_start or "", "deadline": ini.deadline or "",
        "mandatory": "true" if ini.mandatory else "",
        "depends_on": ";".join(ini.depends_on), "exclusive_with": ";".join(ini.exclusive_with),
        "pin": ini.pin or "", "start": ini.start or "",
    }


INITIATIVE_COLUMNS = ("id", "name", "sponsor", "status", "contributes", "kpi_impacts", "value",
                      "cost", "duration", "earliest_start", "deadline", "mandatory",
                      "depends_on", "exclusive_with", "pin", "start")


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    """CSV text with a header row (LF line ends)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def scenario_files(scenario: Scenario, folder: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The YAML document and the CSV files (name -> text) of ``scenario``.

    Staff, RTB, initiatives and their effort, ratings and pairwise comparisons go to
    CSV files in ``folder`` (a path relative to the YAML file); everything else stays
    in the YAML document, default values left out.
    """
    s = scenario
    doc = s.model_dump(mode="json", by_alias=True, exclude_defaults=True,
                       exclude={"staff", "run_the_business", "initiatives", "ratings"})
    doc["name"] = s.name
    doc["horizon"] = s.horizon.model_dump(mode="json", exclude_none=True)
    files: dict[str, str] = {}

    def ref(name: str) -> str:
        return f"{folder}/{name}" if folder else name

    if s.staff:
        files["staff.csv"] = csv_text(
            ("id", "name", "unit", "skills", "fte", "cost_per_hour", "max_change_share",
             "availability", "develop"), staff_rows(s.staff))
        doc["staff"] = {"csv": ref("staff.csv")}
    if s.run_the_business:
        labels = _labels(s)
        rows = []
        for line in s.run_the_business:
            r = {"unit": line.unit, "skill": line.skill, "priority": line.priority,
                 "sustains": ";".join(line.sustains)}
            if isinstance(line.hours, list):
                r.update({lab: num(h) for lab, h in zip(labels, line.hours, strict=True)})
            else:
                r["hours"] = num(line.hours)
            rows.append(r)
        per = any(isinstance(line.hours, list) for line in s.run_the_business)
        files["rtb.csv"] = csv_text(("unit", "skill", "priority", "sustains", "hours",
                                     *(labels if per else [])), rows)
        doc["run_the_business"] = {"csv": ref("rtb.csv")}
    if s.initiatives:
        files["initiatives.csv"] = csv_text(INITIATIVE_COLUMNS,
                                            (initiative_row(i) for i in s.initiatives))
        files["effort.csv"] = csv_text(("initiative", "unit", "skill", "hours"), (
            {"initiative": i.id, "unit": e.unit, "skill": e.skill, "hours": num(e.hours)}
            for i in s.initiatives for e in i.effort))
        doc["initiatives"] = {"csv": ref("initiatives.csv"), "effort": ref("effort.csv")}
    if s.ratings:
        files["ratings.csv"] = csv_text(("stakeholder", "initiative", "objective", "rating"), (
            {"stakeholder": r.stakeholder, "initiative": r.initiative, "objective": r.objective,
             "rating": r.rating if isinstance(r.rating, str) else num(r.rating)}
            for r in s.ratings))
        doc["ratings"] = {"csv": ref("ratings.csv")}
    if s.strategy.pairwise:
        files["pairwise.csv"] = csv_text(("a", "b", "ratio"), (
            {"a": c.a, "b": c.b, "ratio": num(c.ratio)} for c in s.strategy.pairwise))
        doc.setdefault("strategy", {})["pairwise"] = {"csv": ref("pairwise.csv")}
    order = ("name", "description", "horizon", "strategy", "units", "staff", "run_the_business",
             "initiatives", "external", "policy", "ratings", "uncertainty")
    return {k: doc[k] for k in order if k in doc}, files


def _labels(s: Scenario) -> list[str]:
    from planner.problem.calendar import Calendar

    return Calendar(s.horizon).labels


def write_scenario(
    scenario: Scenario, out_yaml: str | os.PathLike[str], extra: dict[str, str] | None = None,
    force: bool = False, protect: Iterable[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write ``out.yaml`` and the folder ``out/`` of CSV files (plus ``extra`` files in it).

    The folder is built next to its target and renamed into place, then the YAML
    file is written the same way, so a reader sees complete files or none. An
    existing output is refused unless ``force``; a path in ``protect`` (the inputs)
    is never written over, nor a folder holding one, nor the current directory
    (:mod:`planner.io.guard`); the folder is locked while written, so a second
    writer is refused (:mod:`planner.io.lock`).

    Returns the paths written.
    """
    target = Path(out_yaml)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise WriteError(f"'{target}': the output must be a .yaml file")
    folder = target.with_suffix("")
    guarded = [Path(p).resolve() for p in protect]
    for g in guarded:
        if g == target.resolve() or g == folder.resolve() or folder.resolve() in g.parents:
            raise WriteError(f"refusing to write '{target}' or '{folder}/': it would replace "
                             f"the input '{g}'")
    # nor the current directory, whatever force says (planner.io.guard)
    check_destination(folder, [Input(Path(p), "an input") for p in protect])
    with destination_lock(folder):  # one writer at a time (planner.io.lock)
        return _write_scenario(scenario, target, folder, extra, force)


def _write_scenario(scenario: Scenario, target: Path, folder: Path,
                    extra: dict[str, str] | None, force: bool) -> list[Path]:
    for p in (target, folder):
        if p.exists() and not force:
            raise WriteError(f"'{p}' already exists (use --force to replace it)")
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"'{folder}' exists and is not a folder")
    doc, files = scenario_files(scenario, folder.name)
    files.update(extra or {})
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=parent))
    tmp_yaml = parent / f".{target.name}.tmp"
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        tmp_yaml.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True,
                                           width=100), encoding="utf-8")
        replace_folder(tmp, folder)
        os.replace(tmp_yaml, target)
    except OSError as exc:
        raise WriteError(f"cannot write '{target}': {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp_yaml.unlink(missing_ok=True)
    return [target, *(folder / name for name in files)]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
