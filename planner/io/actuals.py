"""Read ``actuals.csv`` and ``progress.csv`` (re-planning during the year, tracking).

``actuals.csv`` has the columns of ``assignments.csv``: ``person, unit, period, work,
skill, hours`` (required) and ``for_unit, contract`` (optional; other columns such as
``delivered`` are ignored, so an exported ``assignments.csv`` can serve as actuals).

- ``person`` is a staff id or ``external:<skill>``; ``unit`` the person's own unit
  (empty for contractors);
- ``work`` an initiative id or ``rtb:<unit>``;
- ``for_unit`` (the unit whose work it was) defaults to the RTB's unit, or to the
  one unit with an effort line of that skill on the initiative (the person's own unit
  when several have one);
- ``contract`` (contractors only) defaults to the only ``external`` pool of the skill;
- ``hours`` are person-hours (a finite number >= 0), kept to 4 decimals.

``progress.csv`` has ``initiative, unit, skill, remaining_hours``: the delivered hours
still to do on an effort line of a started initiative.

Every problem is a located :class:`~planner.errors.Issue` (file, line, field); all
errors are raised together in one :class:`ActualsError`. Readers never solve.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS
from models.scenario import Scenario
from planner.errors import Issue, ScenarioError
from planner.io.files import InputFileError, read_input
from planner.io.sourcemap import suggest
from planner.problem.calendar import Calendar

ACTUALS_REQUIRED = ("person", "unit", "period", "work", "skill", "hours")
ACTUALS_OPTIONAL = ("for_unit", "contract")
PROGRESS_COLUMNS = ("initiative", "unit", "skill", "remaining_hours")
EXTERNAL = "external:"
RTB = "rtb:"
#: hours above this are a typo, not a month of work
MAX_HOURS = 1e6


class ActualsError(ScenarioError):
    """``actuals.csv`` or ``progress.csv`` is invalid; ``issues`` lists every error."""

    @property
    def subject(self) -> str:
        """What is invalid: the file(s) named by the issues."""
        return ", ".join(dict.fromkeys(i.file for i in self.issues)) or "the actuals"

    def __str__(self) -> str:
        n = len(self.issues)
        head = f"{self.subject} is invalid ({n} error{'s' if n != 1 else ''}):"
        return "\n".join([head, *(f"  {issue}" for issue in self.issues)])


@dataclass
class Actuals:
    """Rows of an actuals file, complete (``ASSIGNMENT_COLUMNS``), with where they came from.

    ``rows`` keeps zero-hour rows: they say "this person did no work in this period"
    (the (person, period) pair counts as given).
    """

    file: str
    sha256: str
    rows: pd.DataFrame
    lines: list[int]  # the file line of each row
    warnings: list[Issue] = field(default_factory=list)

    def keys(self) -> set[tuple[str, str]]:
        """The (person, period) pairs the actuals give."""
        return set(zip(self.rows["person"], self.rows["period"], strict=True))


@dataclass
class Progress:
    """Remaining delivered hours per (initiative, unit, skill) from a progress file."""

    file: str
    sha256: str
    remaining: dict[tuple[str, str, str], float]
    lines: dict[tuple[str, str, str], int]


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes (a regular file within the size limit)."""
    return hashlib.sha256(read_input(path)).hexdigest()


def _read_rows(path: Path, required: Iterable[str],
               issues: list[Issue]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with their line numbers; missing columns are issues."""
    name = str(path)
    try:  # a regular file within the size limit only (planner.io.files)
        text = read_input(path).decode("utf-8-sig")
    except FileNotFoundError:
        issues.append(Issue(name, None, None, "file not found"))
        return []
    except InputFileError as exc:
        issues.append(Issue(name, None, None, str(exc)))
        return []
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(Issue(name, None, None, f"cannot be read: {exc}"))
        return []
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [str(c).strip() for c in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        issues.append(Issue(name, None, None,
                            f"lacks column(s) {', '.join(missing)} (has: {', '.join(header)})", 1))
        return []
    reader.fieldnames = header
    rows = []
    for raw in reader:
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        rows.append((reader.line_num, cells))
    return rows


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


class _Context:
    """What the actuals are checked against: the scenario's ids, skills and horizon."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.cal = Calendar(scenario.horizon)
        self.staff = {p.id: p for p in scenario.staff}
        self.units = [u.id for u in scenario.units]
        self.inits = {i.id: i for i in scenario.initiatives}
        self.skills = scenario.all_skills()
        self.pools: dict[str, list[str]] = {}
        for cid, e in zip(scenario.external_ids(), scenario.external, strict=True):
            self.pools.setdefault(e.skill, []).append(cid)
        self.pool_skill = {cid: e.skill for cid, e in zip(scenario.external_ids(),
                                                          scenario.external, strict=True)}

    def line_units(self, iid: str, skill: str) -> list[str]:
        return sorted({ln.unit for ln in self.inits[iid].all_effort if ln.skill == skill})


def read_actuals(path: str | os.PathLike[str], scenario: Scenario,
                 before: str | None = None) -> Actuals:
    """Read the actuals CSV file at ``path`` and check it against ``scenario``, the
    scenario the plan was made from.

    With ``before``, the as-of period of a re-plan, every row must be in an earlier
    period. Every error found is raised at once in an :class:`ActualsError` that names
    the file, line and field of each.
    """
    p = Path(path)
    issues: list[Issue] = []
    rows = _read_rows(p, ACTUALS_REQUIRED, issues)
    if issues:
        raise ActualsError(issues)
    ctx = _Context(scenario)
    limit = ctx.cal.of(before) if before is not None else len(ctx.cal)
    out: list[tuple] = []
    lines: list[int] = []
    warnings: list[Issue] = []
    rounded = False
    name = str(p)
    for line, cells in rows:
        def bad(fld: str, msg: str, line: int = line) -> None:
            issues.append(Issue(name, None, fld, msg, line))

        row = _actual_row(ctx, cells, limit, before, bad, lambda f, m, line=line:
                          warnings.append(Issue(name, None, f, m, line, "warning")))
        if row is None:
            continue
        h = row[6]
        if round(h, 4) != h:
            rounded = True
        out.append((*row[:6], round(h, 4), row[7]))
        lines.append(line)
    if issues:
        raise ActualsError(issues)
    if rounded:
        warnings.append(Issue(name, None, "hours", "hours kept to 4 decimals, as in plans",
                              None, "warning"))
    frame = pd.DataFrame(out, columns=ASSIGNMENT_COLUMNS).astype({"hours": float})
    return Actuals(name, sha256_of(p), frame, lines, warnings)


def _actual_row(ctx: _Context, cells: dict[str, str], limit: int, before: str | None,
                bad, warn) -> tuple | None:  # noqa: ANN001 - two local callbacks
    """One checked row ``ASSIGNMENT_COLUMNS`` (None after reporting its errors)."""
    n_bad = [0]

    def err(fld: str, msg: str) -> None:
        n_bad[0] += 1
        bad(fld, msg)

    person, unit, period = cells["person"], cells["unit"], cells["period"]
    work, skill = cells["work"], cells["skill"]
    for_unit, contract = cells.get("for_unit", ""), cells.get("contract", "")
    external = person.startswith(EXTERNAL)
    if external:
        if person[len(EXTERNAL):] != skill:
            err("person", f"'{person}' does not match skill '{skill}' (external:<skill>)")
        if unit:
            err("unit", f"'{unit}' must be empty for a contractor")
        pools = ctx.pools.get(skill, [])
        if contract:
            if contract not in ctx.pool_skill:
                err("contract", f"'{contract}' is not an external pool"
                    + suggest(contract, ctx.pool_skill))
            elif ctx.pool_skill[contract] != skill:
                err("contract", f"'{contract}' is a pool of skill "
                    f"'{ctx.pool_skill[contract]}', not '{skill}'")
        elif len(pools) == 1:
            contract = pools[0]
        elif not pools:
            err("person", f"no external pool has skill '{skill}'")
        else:
            err("contract", f"needed: pools {', '.join(pools)} all have skill '{skill}'")
    else:
        p = ctx.staff.get(person)
        if p is None:
            err("person", f"'{person}' is not a member of staff" + suggest(person, ctx.staff))
        else:
            if unit != p.unit:
                err("unit", f"'{unit}' is not the unit of {person} ('{p.unit}')")
            if skill in ctx.skills and skill not in p.skills:
                warn("skill", f"{person} does not have skill '{skill}': the hours deliver "
                     "nothing (reported as a past exception)")
        if contract:
            err("contract", f"'{contract}' given for a member of staff (contractors only)")
    if skill not in ctx.skills:
        err("skill", f"'{skill}' is not a skill of the scenario" + suggest(skill, ctx.skills))
    t = ctx.cal.index.get(period)
    if t is None:
        first, last = ctx.cal.labels[0], ctx.cal.labels[-1]
        err("period", f"'{period}' is not a period of the horizon {first} .. {last}")
    elif t >= limit:
        err("period", f"'{period}' is not before --as-of {before}: actuals are of the past")
    if work.startswith(RTB):
        ru = work[len(RTB):]
        if ru not in ctx.units:
            err("work", f"'{work}': '{ru}' is not a unit" + suggest(ru, ctx.units))
        elif for_unit and for_unit != ru:
            err("for_unit", f"'{for_unit}' differs from the unit of '{work}'")
        for_unit = for_unit or ru
    elif work not in ctx.inits:
        err("work", f"'{work}' is not an initiative (or rtb:<unit>)" + suggest(work, ctx.inits))
    else:
        if for_unit and for_unit not in ctx.units:
            err("for_unit", f"'{for_unit}' is not a unit" + suggest(for_unit, ctx.units))
        elif not for_unit and skill in ctx.skills:
            units = ctx.line_units(work, skill)
            own = ctx.staff[person].unit if person in ctx.staff else ""
            if len(units) == 1:
                for_unit = units[0]
            elif own and (own in units or not units):
                for_unit = own
            elif units:
                err("for_unit", f"needed: '{work}' has '{skill}' lines in units "
                    f"{', '.join(units)}")
            else:
                err("for_unit", f"needed: '{work}' has no '{skill}' line")
    h = _number(cells["hours"])
    if h is None or h < 0 or h > MAX_HOURS:
        err("hours", f"'{cells['hours']}' is not a number of hours in 0 .. {MAX_HOURS:g}")
    if n_bad[0]:
        return None
    return (person, unit, period, work, for_unit, skill, float(h), contract)  # type: ignore[arg-type]


def read_progress(path: str | os.PathLike[str], scenario: Scenario) -> Progress:
    """Read and check ``progress.csv`` (``initiative, unit, skill, remaining_hours``).

    Each row must name an effort line (unit, skill) of an initiative of the scenario,
    at most once; ``remaining_hours`` is a finite number >= 0 (delivered hours).
    Whether the initiative has started is checked when re-planning. Every error found
    is raised at once in an :class:`ActualsError` (file, line, field).
    """
    p = Path(path)
    issues: list[Issue] = []
    rows = _read_rows(p, PROGRESS_COLUMNS, issues)
    inits = {i.id: i for i in scenario.initiatives}
    name = str(p)
    remaining: dict[tuple[str, str, str], float] = {}
    where: dict[tuple[str, str, str], int] = {}
    for line, cells in rows:
        iid, unit, skill = cells["initiative"], cells["unit"], cells["skill"]
        ini = inits.get(iid)
        if ini is None:
            issues.append(Issue(name, None, "initiative", f"'{iid}' is not an initiative"
                                + suggest(iid, inits), line))
            continue
        lines = {(ln.unit, ln.skill) for ln in ini.all_effort if ln.hours > 0}
        if (unit, skill) not in lines:
            have = ", ".join(f"{u}/{s}" for u, s in sorted(lines)) or "none"
            issues.append(Issue(name, None, "skill", f"{unit}/{skill} is not an effort line "
                                f"of '{iid}' (lines: {have})", line))
            continue
        key = (iid, unit, skill)
        if key in where:
            issues.append(Issue(name, None, "initiative", f"{iid} {unit}/{skill} is given "
                                f"twice (also on line {where[key]})", line))
            continue
        h = _number(cells["remaining_hours"])
        if h is None or h < 0 or h > MAX_HOURS:
            issues.append(Issue(name, None, "remaining_hours", f"'{cells['remaining_hours']}'"
                                f" is not a number of hours in 0 .. {MAX_HOURS:g}", line))
            continue
        remaining[key], where[key] = round(h, 4), line
    if issues:
        raise ActualsError(issues)
    return Progress(name, sha256_of(p), remaining, where)
