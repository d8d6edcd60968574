"""``planner template``: one Excel workbook per unit to send to its head.

Each workbook (``<unit>.xlsx``) has an ``instructions`` sheet and the sheets of
:mod:`planner.gather.forms` (``staff``, ``rtb``, ``proposals``, ``effort``),
pre-filled with what the scenario already holds for the unit. Cells carry data
validation: drop-downs for skills, priorities, periods, units, ratings,
statuses, pins and yes/no fields (skills also accept other text, e.g.
``agent;analyst:0.8`` or a new skill, after a warning), and number checks where
numbers belong. Workbooks are written atomically, never over an existing file
unless asked, and never over one of the scenario's own input files.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from models.scenario import RATINGS, Initiative, Scenario
from planner.gather.forms import (
    CONTRIBUTES,
    INSTRUCTIONS,
    KPI_IMPACTS,
    SHEETS,
    Layout,
)
from planner.gather.write import WriteError, atomic_write_bytes, develop_cell, num
from planner.io.lock import destination_lock

#: Empty rows below the pre-filled ones that carry the data validation.
SPARE_ROWS = 200
STATUSES = ("proposed", "approved", "committed", "rejected")
PRIORITIES = ("must", "high", "normal")

_COLUMN_HELP = {
    "staff": [
        ("id", "unique person id (keep the ids you were given; a new person needs a new id)"),
        ("name", "name shown in the plans"),
        ("skills", "skills, separated by ';'; a proficiency below 1 as skill:0.8 "
                   "(e.g. agent;analyst:0.8)"),
        ("fte", "full-time equivalent, e.g. 1 or 0.5 (up to 2)"),
        ("cost_per_hour", "fully loaded internal rate (empty: 0)"),
        ("max_change_share", "at most this share of the person's time on initiatives, "
                             "0 to 1 (empty: 1)"),
        ("availability", "share of a period available, e.g. 2027-08:0.5;2027-09:0 "
                         "(empty: fully available)"),
        ("develop", "skills the person wants to grow, separated by ';'; the hours of "
                    "practice wanted as skill:60 (empty hours: the policy default)"),
    ],
    "rtb": [
        ("skill", "skill of the recurring work"),
        ("priority", "must (always covered), high or normal (may fall short at a penalty)"),
        ("sustains", "KPIs this work keeps up, separated by ';' (optional)"),
        ("hours", "hours needed in every period; or leave it empty and fill one column "
                  "per period"),
    ],
    "proposals": [
        ("id", "unique initiative id, e.g. crm-2027"),
        ("name", "what it is called"),
        ("status", "proposed, approved, committed (must be in the plan) or rejected"),
        (CONTRIBUTES + "<objective>", "how much it serves that objective: none, low, moderate, "
                                      "strong or extreme (empty: none)"),
        (KPI_IMPACTS + "<kpi>", "expected change of that KPI when delivered"),
        ("value", "benefit when delivered (money)"),
        ("cost", "non-labour spend (money)"),
        ("duration", "periods it runs (a whole number, at least 1)"),
        ("earliest_start", "first period it may start (empty: the first)"),
        ("deadline", "period by whose end it must finish (empty: the end of the horizon)"),
        ("mandatory", "true when it must be in the plan (regulatory)"),
        ("depends_on", "ids of initiatives that must finish first, separated by ';'"),
        ("exclusive_with", "ids of initiatives it excludes, separated by ';'"),
        ("pin", "in or out to force it into or out of the plan"),
        ("start", "a fixed start period"),
    ],
    "effort": [
        ("initiative", "id of one of the proposals on the proposals sheet"),
        ("unit", "the unit whose people do the work (yours or another)"),
        ("skill", "the skill needed"),
        ("hours", "total hours over the initiative's duration"),
    ],
}


def _rows(scenario: Scenario, unit: str, layout: Layout) -> dict[str, list[list[Any]]]:
    staff = [[p.id, p.name or "", ";".join(s if q == 1 else f"{s}:{num(q)}"
                                            for s, q in p.skills.items()),
              p.fte, p.cost_per_hour, p.max_change_share,
              ";".join(f"{k}:{num(v)}" for k, v in p.availability.items()),
              develop_cell(p)]
             for p in scenario.staff if p.unit == unit]
    rtb = []
    for line in scenario.run_the_business:
        if line.unit != unit:
            continue
        sustains = ";".join(line.sustains) or None
        if isinstance(line.hours, list):
            rtb.append([line.skill, line.priority, sustains, None, *line.hours])
        else:
            rtb.append([line.skill, line.priority, sustains, line.hours])
    proposals, effort = [], []
    for ini in scenario.initiatives:
        if ini.sponsor != unit:
            continue
        proposals.append(_proposal(ini, layout))
        effort += [[ini.id, e.unit, e.skill, e.hours] for e in ini.effort]
    return {"staff": staff, "rtb": rtb, "proposals": proposals, "effort": effort}


def _proposal(ini: Initiative, layout: Layout) -> list[Any]:
    row: list[Any] = [ini.id, ini.name or "", ini.status]
    row += [ini.contributes.get(o) for o in layout.objectives]
    row += [ini.kpi_impacts.get(k) for k in layout.kpis]
    row += [ini.value, ini.cost, ini.duration, ini.earliest_start, ini.deadline,
            "true" if ini.mandatory else None, ";".join(ini.depends_on) or None,
            ";".join(ini.exclusive_with) or None, ini.pin, ini.start]
    return row


def workbook_bytes(scenario: Scenario, unit: str) -> bytes:
    """The form of ``unit`` as XLSX bytes (deterministic: no timestamps)."""
    import xlsxwriter

    layout = Layout.of(scenario)
    units = [u.id for u in scenario.units]
    if unit not in units:
        raise ValueError(f"unknown unit '{unit}'")
    skills = scenario.all_skills()  # no phases here: write_templates refuses them
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1), "title": f"{scenario.name}: {unit}"})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True,
                          "valign": "top"})
    text = wb.add_format({"num_format": "@"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    _instructions(wb.add_worksheet(INSTRUCTIONS), scenario, unit, layout, bold, wrap)
    rows = _rows(scenario, unit, layout)
    sheets = {name: wb.add_worksheet(name) for name in SHEETS}
    lists = wb.add_worksheet("lists")
    columns = {
        "skills": skills, "units": units, "periods": list(layout.periods),
        "ratings": list(RATINGS), "statuses": list(STATUSES),
        "priorities": list(PRIORITIES),
    }
    for k, (name, values) in enumerate(columns.items()):
        lists.write(0, k, name, bold)
        for r, value in enumerate(values, start=1):
            lists.write_string(r, k, value)
        col = chr(ord("A") + k)
        wb.define_name(name, f"=lists!${col}$2:${col}${max(len(values), 1) + 1}")
    lists.hide()

    for name, ws in sheets.items():
        cols = layout.columns(name)
        data = rows[name]
        last = len(data) + SPARE_ROWS
        ws.freeze_panes(1, 1 if name != "effort" else 0)
        for c, col in enumerate(cols):
            ws.write_string(0, c, col, head)
            ws.set_column(c, c, max(10, min(28, len(col) + 2)),
                          text if _is_text(name, col, layout) else None)
            for r, row in enumerate(data, start=1):
                v = row[c] if c < len(row) else None
                if v is None or v == "":
                    continue
                if isinstance(v, bool):
                    ws.write_string(r, c, "true" if v else "false")
                elif isinstance(v, int | float):
                    ws.write_number(r, c, v)
                else:
                    # always a text cell (never a formula): the workbook has
                    # strings_to_formulas off and this writes the string type
                    ws.write_string(r, c, str(v))
            rule = _validation(name, col, layout)
            if rule is not None:
                ws.data_validation(1, c, last, c, rule)
        if name == "proposals":
            wb.define_name("proposal_ids", f"=proposals!$A$2:$A${last + 1}")
    wb.close()
    return buf.getvalue()


def _is_text(sheet: str, col: str, layout: Layout) -> bool:
    return (col in ("id", "name", "skills", "availability", "develop", "earliest_start",
                    "deadline", "start", "depends_on", "exclusive_with", "initiative", "unit",
                    "skill", "sustains")
            and not (sheet == "rtb" and col in layout.periods))


def _list(source: str | Sequence[str], what: str, strict: bool = True) -> dict[str, Any]:
    rule: dict[str, Any] = {"validate": "list", "source": source,
                            "error_title": "Not in the list",
                            "error_message": f"Choose {what} from the list."}
    if not strict:
        rule["error_type"] = "warning"
        rule["error_message"] = (f"Not one {what} from the list. Keep it for several "
                                 "(a;b:0.8) or a new one?")
    return rule


def _number(minimum: float, maximum: float | None = None, whole: bool = False,
            what: str = "a number") -> dict[str, Any]:
    rule: dict[str, Any] = {"validate": "integer" if whole else "decimal",
                            "error_title": "Not a valid number"}
    if maximum is None:
        rule.update({"criteria": ">=", "value": minimum,
                     "error_message": f"Enter {what} of at least {minimum:g}."})
    else:
        rule.update({"criteria": "between", "minimum": minimum, "maximum": maximum,
                     "error_message": f"Enter {what} between {minimum:g} and {maximum:g}."})
    return rule


def _validation(sheet: str, col: str, layout: Layout) -> dict[str, Any] | None:
    if col in ("skills", "develop"):
        return _list("=skills", "a skill", strict=False)
    if col == "skill":
        return _list("=skills", "a skill", strict=False)
    if col == "priority":
        return _list(list(PRIORITIES), "a priority")
    if col in ("earliest_start", "deadline", "start"):
        return _list("=periods", "a period")
    if col == "unit":
        return _list("=units", "a unit")
    if col == "initiative":
        return _list("=proposal_ids", "one of your proposals")
    if col == "status":
        return _list(list(STATUSES), "a status")
    if col == "pin":
        return _list(["in", "out"], "in or out")
    if col == "mandatory":
        return _list(["true", "false"], "true or false")
    if col.startswith(CONTRIBUTES):
        return _list("=ratings", "a rating")
    if col.startswith(KPI_IMPACTS):
        return {"validate": "decimal", "criteria": "between", "minimum": -1e12,
                "maximum": 1e12, "error_message": "Enter a number."}
    if col == "fte":
        return _number(0.01, 2, what="an FTE")
    if col == "max_change_share":
        return _number(0, 1, what="a share")
    if col == "duration":
        return _number(1, len(layout.periods), whole=True, what="a number of periods")
    if col in ("cost_per_hour", "value", "cost", "hours") or (
            sheet == "rtb" and col in layout.periods):
        return _number(0, what="a number")
    return None


def _instructions(ws: Any, scenario: Scenario, unit: str, layout: Layout, bold: Any,
                  wrap: Any) -> None:
    u = next(x for x in scenario.units if x.id == unit)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 100, wrap)
    lines: list[tuple[str, str]] = [
        ("Planning form", scenario.name),
        ("unit", unit),
        ("unit name", u.name or unit),
        ("owner", u.owner or ""),
        ("horizon", f"{layout.periods[0]} .. {layout.periods[-1]} ({len(layout.periods)} "
                    f"{scenario.horizon.period} periods, {scenario.horizon.hours_per_fte:g} "
                    "hours per FTE and period)"),
        ("", ""),
        ("How to fill it in",
         "Check and complete the four sheets (staff, rtb, proposals, effort): what is already "
         "there comes from the current plan. Keep the file name: it names your unit. Add rows "
         "below the last one; delete a row to remove a person, a line of work or a proposal. "
         "Drop-downs offer the valid values; numbers are checked as you type. Send the file "
         "back to the planning office, who runs: planner collect forms/ --base org.yaml "
         "--out scenario.yaml"),
        ("staff", "Everyone in your unit, one row per person."),
        ("rtb", "Run-the-business work your unit must keep doing, one row per skill and "
                "priority: hours per period."),
        ("proposals", "Initiatives your unit proposes (and sponsors)."),
        ("effort", "Hours each proposal needs, per unit and skill: also the hours you ask of "
                   "other units."),
        ("", ""),
    ]
    for sheet in SHEETS:
        for col, meaning in _COLUMN_HELP[sheet]:
            lines.append((f"{sheet}: {col}", meaning))
    if layout.periods:
        lines.append(("rtb: <period>", "hours in that period (instead of 'hours')"))
    lines.append(("", ""))
    lines.append(("Objectives", "rate each proposal against these (contributes:<objective>)"))
    for o in scenario.strategy.objectives:
        lines.append((o.id, f"{o.name or o.id} (weight {o.weight:g})"))
    if scenario.strategy.kpis:
        lines.append(("KPIs", "expected change when a proposal is delivered (kpi_impacts:<kpi>)"))
        for k in scenario.strategy.kpis:
            lines.append((k.id, k.name or k.id))
    for r, (a, b) in enumerate(lines):
        ws.write_string(r, 0, a, bold if b == "" or r == 0 or a in (
            "How to fill it in", "Objectives", "KPIs") else None)
        ws.write_string(r, 1, b)
    ws.activate()


def write_templates(
    scenario: Scenario, out_dir: str | os.PathLike[str], units: Iterable[str] | None = None,
    force: bool = False, protect: Iterable[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write ``<unit>.xlsx`` for every unit (or those in ``units``) into ``out_dir``.

    Nothing is written when a workbook already exists (unless ``force``) or when a
    target is one of the ``protect`` paths (the scenario's input files). Each
    workbook is written to a temporary file and renamed into place.

    Returns the paths written.
    """
    folder = Path(out_dir)
    wanted = list(units) if units is not None else [u.id for u in scenario.units]
    # issue 15: the forms have one duration and effort per proposal; rather than drop
    # phases, cost profiles and benefits over time on the way back, refuse
    long_term = [i.id for i in scenario.initiatives
                 if i.phases or i.cost_profile is not None or i.value_per_period or i.value_ramp]
    if long_term:
        raise WriteError(
            "the unit forms cannot carry phases, cost_profile, value_per_period or value_ramp "
            f"yet (initiatives {', '.join(long_term)}): gather from a scenario without them")
    known = [u.id for u in scenario.units]
    for u in wanted:
        if u not in known:
            raise WriteError(f"unknown unit '{u}'")
    for u in wanted:
        if u in (".", "..") or any(ch in u for ch in '/\\:*?"<>|'):
            raise WriteError(f"unit id '{u}' cannot name a file: rename the unit")
    targets = [folder / f"{u}.xlsx" for u in wanted]
    guarded = {Path(p).resolve() for p in protect}
    for t in targets:
        if t.resolve() in guarded:
            raise WriteError(f"refusing to write '{t}': it is an input of the scenario")
        if t.exists() and not force:
            raise WriteError(f"'{t}' already exists (use --force to replace it)")
    contents = [workbook_bytes(scenario, u) for u in wanted]  # all built before any write
    with destination_lock(folder):  # one writer at a time (planner.io.lock)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for t, data in zip(targets, contents, strict=True):
                atomic_write_bytes(t, data)
        except OSError as exc:
            raise WriteError(f"cannot write into '{folder}': {exc}") from exc
    return targets
