"""Group interchangeable people into cohorts, and split cohort hours back onto people.

Two people are interchangeable for the optimiser when they belong to the same
unit, have the same skills at the same proficiencies and the same
``max_change_share``. Their FTE and availability may differ: every per-person
rule is linear and homogeneous in the person's capacity
(``hours <= max_utilisation * capacity``, ``change <= max_change_share * capacity``),
so a cohort's rules are the per-person rules summed, and any cohort plan can be
split back onto its members so that every member's rules hold exactly
(:func:`split_cohort`). The model therefore grows with the number of distinct
profiles, not with the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.scenario import Scenario
from planner.problem.calendar import Calendar


@dataclass
class Cohort:
    """People of one unit with the same skills, proficiencies and change share."""

    index: int
    unit: str
    skills: dict[str, float]  # skill -> proficiency
    change_share: float
    members: list[int]  # indices into scenario.staff
    member_capacity: np.ndarray  # (len(members), T) planned-hours limit of each member
    member_change: np.ndarray  # (len(members), T) change-hours limit of each member
    develop: list[set[str]] = field(default_factory=list)  # each member's development wishes

    @property
    def name(self) -> str:
        """Readable name used in constraint names."""
        return f"g{self.index:04d}"

    @property
    def capacity(self) -> np.ndarray:
        """Planned-hours limit per period (sum over members)."""
        return self.member_capacity.sum(axis=0)

    @property
    def change_capacity(self) -> np.ndarray:
        """Change-hours limit per period (sum over members)."""
        return self.member_change.sum(axis=0)


def person_capacity(scenario: Scenario, cal: Calendar) -> np.ndarray:
    """Capacity (hours) of every person in every period, shape (staff, T)."""
    T = len(cal)
    cap = np.empty((len(scenario.staff), T))
    for k, p in enumerate(scenario.staff):
        avail = np.ones(T)
        for label, a in p.availability.items():
            avail[cal.of(label)] = a
        cap[k] = cal.hours_per_fte * p.fte * avail
    return cap


def build_cohorts(scenario: Scenario, cal: Calendar, max_utilisation: float) -> list[Cohort]:
    """Group the staff into cohorts in a deterministic order (first appearance)."""
    cap = person_capacity(scenario, cal)
    groups: dict[tuple, list[int]] = {}
    for k, p in enumerate(scenario.staff):
        key = (p.unit, tuple(sorted(p.skills.items())), p.max_change_share)
        groups.setdefault(key, []).append(k)
    cohorts = []
    for g, ((unit, skills, share), members) in enumerate(groups.items()):
        c = cap[members]
        cohorts.append(
            Cohort(
                index=g,
                unit=unit,
                skills=dict(skills),
                change_share=share,
                members=members,
                member_capacity=max_utilisation * c,
                member_change=min(share, max_utilisation) * c,
                develop=[set(scenario.staff[m].develop) for m in members],
            )
        )
    return cohorts


@dataclass
class Piece:
    """Hours of one cohort on one piece of work in one period."""

    work: str  # initiative id or rtb:<unit>
    for_unit: str
    skill: str
    hours: float  # person-hours
    change: bool
    related: frozenset[str] = frozenset()  # skills of the work, for development matching


def split_cohort(
    cohort: Cohort,
    period: int,
    pieces: list[Piece],
    preferred: dict[tuple[str, str, str], dict[int, float]] | None = None,
) -> list[tuple[int, Piece]]:
    """Split a cohort's pieces of work in one period onto its members.

    Change pieces are placed first, each filling members one after another up to
    their change limit (people who asked to develop a skill the work uses come
    first); RTB pieces then fill the remaining capacity. Because the cohort's
    totals respect the summed limits, every member's limits hold, and each
    member gets few pieces. Returns ``(member staff index, piece)`` pairs whose
    hours sum to the pieces' hours.

    ``preferred`` (baseline-stable re-planning) maps ``(work, for_unit, skill)``
    to hours per member position: each piece first gives those members up to
    their earlier hours, within the same limits, so the guarantees are kept.
    """
    cap = cohort.member_capacity[:, period].copy()
    chg = cohort.member_change[:, period].copy()
    n = len(cohort.members)
    out: list[tuple[int, Piece]] = []
    order_default = list(range(n))
    for piece in sorted(pieces, key=lambda p: (not p.change, p.work, p.for_unit, p.skill)):
        remaining = piece.hours
        if remaining <= 0:
            continue
        if piece.change and piece.related:
            keen = [m for m in order_default if cohort.develop[m] & piece.related]
            order = keen + [m for m in order_default if m not in set(keen)]
        else:
            order = order_default
        last = -1
        wish = (preferred or {}).get((piece.work, piece.for_unit, piece.skill), {})
        passes = [(m, wish[m]) for m in sorted(wish)] + [(m, float("inf")) for m in order]
        for m, most in passes:
            room = min(cap[m], chg[m]) if piece.change else cap[m]
            room = min(room, most)
            if room <= 1e-9:
                continue
            take = min(room, remaining)
            out.append((m, _with_hours(piece, take)))
            cap[m] -= take
            if piece.change:
                chg[m] -= take
            remaining -= take
            last = m
            if remaining <= 1e-9:
                break
        if remaining > 1e-9:
            # only solver round-off can leave a residue: put it on the last member used
            m = last if last >= 0 else order[0]
            out.append((m, _with_hours(piece, remaining)))
    return [(cohort.members[m], p) for m, p in out]


def _with_hours(piece: Piece, hours: float) -> Piece:
    return Piece(piece.work, piece.for_unit, piece.skill, hours, piece.change, piece.related)
