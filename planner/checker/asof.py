"""Plan checker, as-of part: the rules of a plan re-planned as of a period (``--as-of``).

Part of the independent checker (:mod:`planner.checker`): it reads the ``replan``
record of ``plan.json`` (the as-of period, the rows the past was fixed to, the
progress given, which initiatives the baseline had started) and re-derives every
rule from it and the scenario, importing nothing from the formulation, the solve or
:mod:`planner.problem.asof`. Plans without the record are left alone.

Rules
-----
``past``
    every row of a period before the as-of period equals the actuals for each
    (person, period) the actuals give, and the baseline's row for every other one:
    the same (person, period, work, for_unit, skill, contract) with the same hours
    (to the 4 decimals written), nothing more and nothing less.
``started``
    every initiative the baseline started before the as-of period is selected with
    that start, unless it is pinned out and unfinished (then it is not selected:
    stopped).
``remaining``
    each in-flight initiative (selected, started before the as-of period, finishing
    at or after it): per effort line, the remaining hours (``progress`` when given,
    else the line's total less the hours x proficiency delivered on it in the past)
    are delivered evenly in every period from the as-of period to its finish; its
    finish is the planned one, moved by ``progress`` to ``ceil(remaining / (total /
    duration))`` periods from the as-of period when that is later (at most the
    horizon's end); no hours on it after its finish.
``budget``
    the budget also holds with the money sunk in stopped initiatives (cost x share of
    their periods elapsed).

What the past and the started initiatives were, is not refused: rule breaks the
main checker finds in past periods (capacity, change share, RTB cover, staffing,
...), and the schedule rules (windows, fixed starts, pins, dependencies,
exclusivity, misalignment) of initiatives started before the as-of period, are
turned into notes. So are the ``finish``/``staffing``/``work`` findings on an
in-flight initiative, which ``remaining`` checks by its own rule instead, and a
deadline an in-flight initiative now misses unless it is mandatory. The KPI rules
are re-checked with the finishes as written.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS
from models.scenario import Scenario
from planner.problem.calendar import Calendar

#: (rule, item, period, message, amount) of one violation
Finding = tuple[str, str, "str | None", str, float]
Add = Callable[[str, str, "str | None", str, float], None]
KEYS = ["person", "period", "work", "for_unit", "skill", "contract"]
#: rules whose findings in a past period are the past's, not the plan's
PAST_RULES = {"capacity", "change_share", "borrowing", "external", "external_capacity", "rtb",
              "staffing", "work", "hours", "kpi_target"}
#: schedule rules a started initiative may break (its start is a fact)
STARTED_RULES = {"earliest_start", "start", "pin", "misaligned", "exclusive", "dependency",
                 "deadline", "schedule"}
TOL = 0.01
ROW_TOL = 0.005


def read_record(plan_dir: Path) -> dict[str, Any] | None:
    """The ``replan`` record of ``plan.json`` (None when absent or unreadable)."""
    try:
        with open(plan_dir / "plan.json", encoding="utf-8") as f:
            rec = json.load(f).get("replan")
    except (OSError, ValueError, AttributeError):
        return None
    return rec if isinstance(rec, dict) and rec.get("as_of") else None


def rows_frame(rows: list[list[Any]]) -> pd.DataFrame:
    """Recorded rows (``ASSIGNMENT_COLUMNS``) as a frame, text columns as text."""
    f = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    for c in ASSIGNMENT_COLUMNS:
        if c != "hours":
            f[c] = f[c].fillna("").astype(str)
    f["hours"] = f["hours"].astype(float)
    return f


def expected_past(actuals: pd.DataFrame | None, baseline_past: pd.DataFrame) -> pd.DataFrame:
    """The past the plan must hold: actuals per given (person, period), baseline elsewhere."""
    if actuals is None:
        return baseline_past
    given = set(zip(actuals["person"], actuals["period"], strict=True))
    keep = [k not in given for k in zip(baseline_past["person"], baseline_past["period"],
                                        strict=True)]
    return pd.concat([actuals, baseline_past[keep]], ignore_index=True)


def compare_past(plan_past: pd.DataFrame, expected: pd.DataFrame,
                 keys: list[str] = KEYS) -> pd.DataFrame:
    """Rows where the plan's past hours differ from the expected ones (exact to 4 decimals).

    Columns ``keys`` + ``plan``, ``expected``.
    """
    def per(frame: pd.DataFrame) -> pd.Series:
        f = frame[frame["hours"] != 0]
        return f.groupby(keys)["hours"].sum().round(4)

    both = pd.concat([per(plan_past).rename("plan"), per(expected).rename("expected")],
                     axis=1).fillna(0.0)
    return both[both["plan"] != both["expected"]].reset_index()


def check_as_of(sc: Scenario, cal: Calendar, plan_dir: Path, report: Any,
                pf: pd.DataFrame | None, a: pd.DataFrame | None, add: Add) -> None:
    """Apply the as-of rules to a plan that has a ``replan`` record (see the module).

    ``report`` is the main checker's :class:`~planner.checker.CheckReport`, ``pf`` the
    raw ``portfolio.csv`` and ``a`` the prepared assignments (either may be None);
    ``add(rule, item, period, message, amount)`` records a violation.
    """
    rec = read_record(plan_dir)
    if rec is None:
        return
    as_of = str(rec["as_of"])
    if as_of not in cal.index:
        add("past", "plan.json", None, f"as_of '{as_of}' is not a period of the horizon", 1)
        return
    t0 = cal.of(as_of)
    port = _portfolio(pf, cal)
    started = {str(k): str(v) for k, v in (rec.get("started") or {}).items()}
    inits = {i.id: i for i in sc.initiatives}
    finish = {i: f for i, (s, f) in port.items() if s is not None and f is not None}
    in_flight = {i for i in started if i in inits and finish.get(i, -1) >= t0}
    found: list[Finding] = []
    if a is not None:
        past = a[a["t"].notna() & (a["t"] < t0)]
        actuals = rows_frame(rec["actuals"]) if rec.get("actuals_file") else None
        expected = expected_past(actuals, rows_frame(rec.get("baseline_past") or []))
        for r in compare_past(past, expected).to_dict("records"):
            found.append(_v("past", r["person"], r["period"],
                          f"{r['plan']:g} h on {r['work']} ({r['for_unit']}/{r['skill']}), the "
                          f"past has {r['expected']:g} h", abs(r["plan"] - r["expected"])))
        progress = {(str(i), str(u), str(k)): float(h)
                    for i, u, k, h in rec.get("progress") or []}
        for iid in sorted(in_flight):
            found.extend(_remaining(sc, cal, t0, inits[iid], started[iid], finish[iid], a,
                                  progress))
    for iid, start in sorted(started.items()):
        ini = inits.get(iid)
        got = port.get(iid)
        if ini is None or got is None:
            continue
        s = cal.index.get(start)
        finished = s is not None and s + ini.duration - 1 < t0
        stop = ini.pin == "out" and not ini.mandatory and not (finished and got[0] is not None)
        if stop and got[0] is not None:
            found.append(_v("started", iid, None, "pinned out and unfinished: must be stopped "
                          "(not selected)", 1))
        elif not stop and got[0] != s:
            now = cal.labels[got[0]] if got[0] is not None else "not selected"
            found.append(_v("started", iid, start, f"started in {start} before {as_of}: must "
                          f"keep that start, plan has {now}", 1))
    if sc.policy.budget is not None:
        found.extend(_stopped_budget(sc, t0, started, port, a))
    _excuse(report, cal, t0, sc, set(started), in_flight, port, a)
    _recheck_kpis(sc, cal, plan_dir, report, port, in_flight, add)
    for f in found:
        add(*f)
    n = len(rec.get("past_exceptions") or [])
    if n:
        report.notes.append(f"the past breaks {n} rule(s) (past_exceptions.csv): kept as it "
                            "happened")


def _v(rule: str, item: str, period: str | None, message: str, amount: float) -> Finding:
    return (rule, str(item), period, message, float(amount))


def _portfolio(pf: pd.DataFrame | None, cal: Calendar) -> dict[str, tuple[int | None,
                                                                          int | None]]:
    """Initiative -> (start, finish) period numbers as written (None when not selected)."""
    out: dict[str, tuple[int | None, int | None]] = {}
    if pf is None:
        return out
    for r in pf.to_dict("records"):
        sel = str(r["selected"]).strip().lower() in ("true", "1", "yes")
        s = cal.index.get(str(r["start"]).strip()) if sel else None
        f = cal.index.get(str(r["finish"]).strip()) if sel else None
        out[str(r["initiative"])] = (s, f)
    return out


def _remaining(sc: Scenario, cal: Calendar, t0: int, ini: Any, start: str, finish: int,
               a: pd.DataFrame, progress: dict[tuple[str, str, str], float]) -> list[Any]:
    """The ``remaining`` rule for one in-flight initiative (see the module docstring)."""
    out = []
    lines: dict[tuple[str, str], float] = defaultdict(float)
    for ln in ini.effort:
        lines[(ln.unit, ln.skill)] += ln.hours
    mine = a[(a["work"] == ini.id) & a["t"].notna()]
    s = cal.of(start)
    planned = s + ini.duration - 1
    periods = max(planned - t0 + 1, 0)
    rem: dict[tuple[str, str], float] = {}
    for (u, k), total in lines.items():
        if total <= 0:
            continue
        line = mine[(mine["for_unit"] == u) & (mine["skill"] == k)]
        given = progress.get((ini.id, u, k))
        done = float(line.loc[line["t"] < t0, "delivered"].sum())
        rem[(u, k)] = given if given is not None else max(total - done, 0.0)
        if given is not None and given > 1e-9:
            periods = max(periods, math.ceil(given / (total / ini.duration) - 1e-9))
    periods = min(periods, len(cal) - t0)
    if t0 + periods - 1 != finish:
        out.append(_v("remaining", ini.id, cal.labels[finish],
                      f"finishes in {cal.labels[finish]}, the remaining effort gives "
                      f"{cal.labels[t0 + periods - 1]}", abs(t0 + periods - 1 - finish)))
        return out
    for (u, k), r in rem.items():
        line = mine[(mine["for_unit"] == u) & (mine["skill"] == k)]
        need = r / periods
        for t in range(t0, finish + 1):
            cell = line[line["t"] == t]
            got = float(cell["delivered"].sum())
            tol = TOL + ROW_TOL * max(len(cell) - 2, 0) + 1e-6 * need
            if need - got > tol:
                out.append(_v("remaining", ini.id, cal.labels[t],
                              f"line {u}/{k} needs {need:.2f} h of its {r:.2f} h remaining, "
                              f"delivered {got:.2f} h", need - got))
    late = mine[(mine["t"] > finish) & (mine["hours"] > 0)]
    for period, h in late.groupby("period")["hours"].sum().items():
        out.append(_v("remaining", ini.id, str(period),
                      f"{h:.2f} h after its finish {cal.labels[finish]}", h))
    return out


def _stopped_budget(sc: Scenario, t0: int, started: dict[str, str],
                    port: dict[str, tuple[int | None, int | None]],
                    a: pd.DataFrame | None) -> list[Any]:
    """The budget with the money sunk in stopped initiatives."""
    inits = {i.id: i for i in sc.initiatives}
    cal = Calendar(sc.horizon)
    sunk = 0.0
    for iid, start in started.items():
        ini = inits.get(iid)
        got = port.get(iid, (None, None))
        if ini is None or got[0] is not None or start not in cal.index:
            continue
        sunk += ini.cost * min(t0 - cal.of(start), ini.duration) / ini.duration
    if sunk <= 0 or a is None:
        return []
    rates = dict(zip(sc.external_ids(), (e.cost_per_hour for e in sc.external), strict=True))
    ext = a[a["ext"]]
    spend = sum(inits[i].cost for i, (s, _f) in port.items() if s is not None and i in inits)
    spend += float((ext["hours"] * ext["contract"].map(rates).fillna(0.0)).sum()) + sunk
    budget = float(sc.policy.budget or 0.0)
    tol = 0.01 + 1e-9 * budget + ROW_TOL * float(ext["contract"].map(rates).fillna(0.0).sum())
    if spend - budget > tol:
        return [_v("budget", "policy", None, f"spend {spend:.2f} (initiatives, contractors and "
                   f"{sunk:.2f} sunk in stopped initiatives) exceeds budget {budget:.2f}",
                   spend - budget)]
    return []


def _excuse(report: Any, cal: Calendar, t0: int, sc: Scenario, started: set[str],
            in_flight: set[str], port: dict[str, tuple[int | None, int | None]],
            a: pd.DataFrame | None) -> None:
    """Turn what the past and the started initiatives did into notes (see the module)."""
    keep = []
    bad_skill = _past_only_skill_breaks(a, t0)
    mandatory = {i.id for i in sc.initiatives if i.mandatory}
    for v in report.violations:
        t = cal.index.get(v.period) if v.period is not None else None
        past = t is not None and t < t0
        fin = port.get(v.item, (None, None))[1]
        why = ""
        if v.rule in PAST_RULES and past:
            why = "the past"
        elif v.rule == "person" and v.item in bad_skill and "not a skill" in v.message:
            why = "the past"
        elif v.item in started and v.rule in STARTED_RULES - {"deadline", "schedule"}:
            why = "started before the as-of period"
        elif v.item in started and v.rule == "deadline" and (v.item not in mandatory
                                                             or past):
            why = "in flight, now late"
        elif v.item in in_flight and (v.rule in ("schedule", "staffing") or (
                v.rule == "work" and t is not None and fin is not None and t <= fin)):
            why = "in flight: checked by the remaining rule"
        if why:
            report.notes.append(f"{why}: {v}")
        else:
            keep.append(v)
    report.violations[:] = keep


def _past_only_skill_breaks(a: pd.DataFrame | None, t0: int) -> set[str]:
    """People whose hours in skills they lack all lie in the past."""
    if a is None:
        return set()
    st = a[~a["ext"] & (a["prof"] <= 0) & (a["hours"] > 0)]
    if st.empty:
        return set()
    late = st.groupby("person")["t"].max()
    return {str(p) for p, t in late.items() if not np.isnan(t) and t < t0}


def _recheck_kpis(sc: Scenario, cal: Calendar, plan_dir: Path, report: Any,
                  port: dict[str, tuple[int | None, int | None]], in_flight: set[str],
                  add: Add) -> None:
    """KPI rules again with the finishes as written (an in-flight finish may have moved)."""
    from planner.checker.kpi import check_kpis

    inits = {i.id: i for i in sc.initiatives}
    moved = [i for i in in_flight if (port[i][0] or 0) + inits[i].duration - 1 != port[i][1]]
    if not moved:
        return
    report.violations[:] = [v for v in report.violations
                            if v.rule not in ("kpi_target", "kpi_path")]
    finish = {i: f for i, (s, f) in port.items() if s is not None and f is not None}
    check_kpis(sc, cal, finish, plan_dir, add, [])


def _read_csv(path: Path) -> pd.DataFrame:
    f = pd.read_csv(path, dtype=str, keep_default_na=False)
    f.columns = [str(c).strip() for c in f.columns]
    for c in f.columns:
        f[c] = f[c].str.strip()
    return f


def verify_sources(add: Add, cal: Calendar, plan_dir: Path, baseline_dir: Path | None = None,
                   actuals_file: Path | None = None) -> None:
    """The ``past`` rule against the original files rather than the plan's record.

    ``baseline_dir`` is the baseline plan folder (its ``assignments.csv``),
    ``actuals_file`` the actuals as given (``person, period, work, skill, hours`` and
    any of ``unit, for_unit, contract``; rows are compared on the columns it has).
    Either may be None: the plan's record stands in for it. ``add(rule, item, period,
    message, amount)`` records a violation.
    """
    rec = read_record(plan_dir)
    if rec is None:
        add("past", "plan.json", None,
            "the plan was not re-planned as of a period (no replan record)", 1)
        return
    try:
        plan = _read_csv(plan_dir / "assignments.csv")
        base = (_read_csv(baseline_dir / "assignments.csv") if baseline_dir is not None
                else rows_frame(rec.get("baseline_past") or []).astype({"hours": str}))
        act = (_read_csv(actuals_file) if actuals_file is not None
               else rows_frame(rec["actuals"]).astype({"hours": str})
               if rec.get("actuals_file") else None)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        add("file", str(plan_dir), None, f"cannot read: {exc}", 1)
        return
    cal_past = set(cal.labels[:cal.index.get(str(rec["as_of"]), 0)])
    frames = {}
    for name, f in (("plan", plan), ("baseline", base), ("actuals", act)):
        if f is None:
            continue
        f = f[f["period"].isin(cal_past)].copy()
        for c in KEYS:
            if c not in f.columns and name != "actuals":
                f[c] = ""
        f["hours"] = pd.to_numeric(f["hours"], errors="coerce").fillna(0.0).round(4)
        frames[name] = f
    given = set()
    if "actuals" in frames:
        act = frames["actuals"]
        keys = [c for c in KEYS if c in act.columns]
        given = set(zip(act["person"], act["period"], strict=True))
        mine = frames["plan"][[k in given for k in zip(frames["plan"]["person"],
                                                        frames["plan"]["period"], strict=True)]]
        for r in compare_past(mine, act, keys).to_dict("records"):
            add("past", r["person"], r["period"],
                f"{r['plan']:g} h on {r['work']}, the actuals ({actuals_file or 'recorded'}) "
                f"have {r['expected']:g} h", abs(r["plan"] - r["expected"]))
    rest = frames["plan"][[k not in given for k in zip(frames["plan"]["person"],
                                                        frames["plan"]["period"], strict=True)]]
    b = frames["baseline"]
    b = b[[k not in given for k in zip(b["person"], b["period"], strict=True)]]
    for r in compare_past(rest, b).to_dict("records"):
        add("past", r["person"], r["period"],
            f"{r['plan']:g} h on {r['work']}, the baseline ({baseline_dir or 'recorded'}) "
            f"has {r['expected']:g} h", abs(r["plan"] - r["expected"]))

