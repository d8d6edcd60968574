"""From a solution of the cohort model to hours per named person, period and piece of work.

The model decides hours per cohort, unit, skill and period. This module
1. matches lenders to borrowers in each skill/period pool,
2. fills each unit's active effort lines (and its RTB) from its supplies
   (own cohorts, borrowed hours, contractors) in a fixed order, and
3. splits each cohort's pieces onto its members (``cohorts.split_cohort``), the
   hours in wished skills first onto the members who wish them, up to their
   wish (``practice.practice_targets``).
Every step preserves totals, so every rule the model enforced per cohort holds
per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS
from planner.formulation.variables import Vars
from planner.problem.cohorts import Piece, split_cohort
from planner.problem.data import ProblemData
from planner.solving.practice import Targets, practice_targets

EPS = 1e-7


@dataclass
class Schedule:
    """Chosen start period of each selected initiative (by index)."""

    starts: dict[int, int]

    def active(self, data: ProblemData, t: int) -> list[int]:
        """Selected initiatives running in period ``t``, in scenario order."""
        return [
            i
            for i, s in sorted(self.starts.items())
            if s <= t < s + data.initiatives[i].duration
        ]


@dataclass
class Flows:
    """Hours per variable family, read from a solution (or built by the greedy)."""

    r: dict[tuple[int, str, int], float]
    c: dict[tuple[int, str, int], float]
    lr: dict[tuple[int, str, int], float]
    lc: dict[tuple[int, str, int], float]
    br: dict[tuple[str, str, int], float]
    bc: dict[tuple[str, str, int], float]
    er: dict[tuple[int, str, int], float]
    ec: dict[tuple[int, str, int], float]


def read_solution(v: Vars, x: np.ndarray) -> tuple[Schedule, Flows]:
    """Starts and hours from a solution vector of the formulation."""
    starts = {i: s for (i, s), col in v.x.items() if x[col] > 0.5}

    def vals(fam: dict) -> dict:
        return {k: float(x[col]) for k, col in fam.items() if x[col] > EPS}

    return Schedule(starts), Flows(
        vals(v.r), vals(v.c), vals(v.lr), vals(v.lc), vals(v.br), vals(v.bc), vals(v.er), vals(v.ec)
    )


def _match(
    supplies: list[tuple[Any, float]], demands: list[tuple[Any, float]]
) -> list[tuple[Any, Any, float]]:
    """Greedy transport: fill demands in order from supplies in order."""
    out = []
    si, left = 0, supplies[0][1] if supplies else 0.0
    for dkey, need in demands:
        while need > EPS and si < len(supplies):
            take = min(left, need)
            if take > EPS:
                out.append((supplies[si][0], dkey, take))
            need -= take
            left -= take
            if left <= EPS:
                si += 1
                left = supplies[si][1] if si < len(supplies) else 0.0
    return out


def assignments(
    data: ProblemData, schedule: Schedule, flows: Flows, preferred: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Rows ``person, unit, period, work, for_unit, skill, hours, contract`` (hours to 4 dp).

    ``preferred`` (the assignments of a baseline plan) makes each cohort's split
    give people their earlier work first where the cohort's hours allow.
    """
    labels = data.calendar.labels
    cohort_pieces: dict[tuple[int, int], list[Piece]] = defaultdict(list)
    ext_rows: list[tuple] = []

    for kind, own, lent, borrowed, ext in (
        ("rtb", flows.r, flows.lr, flows.br, flows.er),
        ("change", flows.c, flows.lc, flows.bc, flows.ec),
    ):
        # 1. pools: lenders (delivered hours) -> borrowing units
        lenders: dict[tuple[str, int], list] = defaultdict(list)
        for (g, sk, t), h in sorted(lent.items()):
            lenders[(sk, t)].append((g, h * data.cohorts[g].skills[sk]))
        takers: dict[tuple[str, int], list] = defaultdict(list)
        for (u, sk, t), h in sorted(borrowed.items()):
            takers[(sk, t)].append((u, h))
        supply: dict[tuple[str, str, int], list] = defaultdict(list)
        for (g, sk, t), h in sorted(own.items()):
            supply[(data.cohorts[g].unit, sk, t)].append((("g", g), h * data.cohorts[g].skills[sk]))
        for key in sorted(set(lenders) | set(takers)):
            sk, t = key
            for (g, u, h) in _match(lenders.get(key, []), takers.get(key, [])):
                supply[(u, sk, t)].append((("g", g), h))
        for (e, u, t), h in sorted(ext.items()):
            supply[(u, data.externals[e].skill, t)].append((("e", e), h))

        # 2. demands of each (unit, skill, period)
        for (u, sk, t), sources in sorted(supply.items()):
            demands: list[tuple[Any, float]]
            if kind == "rtb":
                demands = [(f"rtb:{u}", sum(h for _s, h in sources))]
            else:
                demands = []
                for i in schedule.active(data, t):
                    ini = data.initiatives[i]
                    for lu, lsk, hrs in ini.lines:
                        if lu == u and lsk == sk:
                            demands.append((ini.id, hrs / ini.duration))
            for (src, work, delivered) in _match(sources, demands):
                stype, idx = src  # type: ignore[misc]
                if stype == "g":
                    q = data.cohorts[idx].skills[sk]
                    cohort_pieces[(idx, t)].append(
                        Piece(work, u, sk, delivered / q, kind == "change")
                    )
                else:
                    e = data.externals[idx]
                    ext_rows.append(
                        (f"external:{e.skill}", "", labels[t], work, u, sk, delivered, e.id)
                    )

    rows: list[tuple] = []
    staff = data.scenario.staff
    wishes = _wishes(data, preferred) if preferred is not None else {}
    targets = _practice(data, cohort_pieces)
    for (g, t), pieces in sorted(cohort_pieces.items()):
        cohort = data.cohorts[g]
        reserved = targets.get(g, {}).get(t)
        for person, piece in split_cohort(cohort, t, pieces, wishes.get((g, t)), reserved):
            p = staff[person]
            rows.append(
                (p.id, p.unit, labels[t], piece.work, piece.for_unit, piece.skill, piece.hours, "")
            )
    rows.extend(ext_rows)
    frame = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    return tidy(frame, labels)


def _practice(
    data: ProblemData, cohort_pieces: dict[tuple[int, int], list[Piece]]
) -> dict[int, Targets]:
    """Development targets of every cohort with wishes (see :mod:`planner.solving.practice`)."""
    by_cohort: dict[int, dict[int, list[Piece]]] = defaultdict(dict)
    for (g, t), pieces in cohort_pieces.items():
        if data.cohorts[g].wished:
            by_cohort[g][t] = pieces
    return {g: practice_targets(data.cohorts[g], per) for g, per in sorted(by_cohort.items())}


def _wishes(
    data: ProblemData, preferred: pd.DataFrame
) -> dict[tuple[int, int], dict[tuple[str, str, str], dict[int, float]]]:
    """Baseline hours per (cohort, period) -> (work, for_unit, skill) -> member position."""
    where: dict[str, tuple[int, int]] = {}
    for g in data.cohorts:
        for pos, m in enumerate(g.members):
            where[data.scenario.staff[m].id] = (g.index, pos)
    period = {label: t for t, label in enumerate(data.calendar.labels)}
    out: dict[tuple[int, int], dict[tuple[str, str, str], dict[int, float]]] = {}
    for person, per, work, for_unit, skill, h in zip(
        preferred["person"], preferred["period"], preferred["work"], preferred["for_unit"],
        preferred["skill"], preferred["hours"], strict=True,
    ):
        gp, t = where.get(person), period.get(str(per))
        if gp is None or t is None:
            continue
        cell = out.setdefault((gp[0], t), {}).setdefault((work, for_unit, skill), {})
        cell[gp[1]] = cell.get(gp[1], 0.0) + float(h)
    return out


def tidy(frame: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Merge duplicate rows, round hours to 4 decimals, drop zeros, sort deterministically."""
    if frame.empty:
        return pd.DataFrame(columns=ASSIGNMENT_COLUMNS).astype({"hours": float})
    keys = [c for c in ASSIGNMENT_COLUMNS if c != "hours"]
    frame = frame.groupby(keys, sort=False, as_index=False)["hours"].sum()
    frame["hours"] = frame["hours"].round(4)
    frame = frame[frame["hours"] > 0]
    order = {label: k for k, label in enumerate(labels)}
    frame = frame.assign(
        _p=frame["period"].map(order), _x=frame["person"].str.startswith("external:")
    )
    frame = frame.sort_values(["_x", "person", "_p", "work", "for_unit", "skill", "contract"])
    return frame[ASSIGNMENT_COLUMNS].reset_index(drop=True)
