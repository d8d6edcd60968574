"""Group interchangeable people into cohorts, and split cohort hours back onto people.

Two people are interchangeable for the optimiser when they belong to the same
unit, have the same skills at the same proficiencies, the same
``max_change_share`` and the same development wishes, skills and hours (a
skill they wish to develop but do not have counts as a skill at
``policy.development.learner_proficiency``; people with wishes also need the
same capacity in every period, see :mod:`planner.formulation.development`).
Otherwise their FTE and availability may differ: every per-person
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
    """People of one unit with the same skills, proficiencies, change share and wishes."""

    index: int
    unit: str
    skills: dict[str, float]  # skill -> proficiency
    change_share: float
    members: list[int]  # indices into scenario.staff
    member_capacity: np.ndarray  # (len(members), T) planned-hours limit of each member
    member_change: np.ndarray  # (len(members), T) change-hours limit of each member
    #: wished skill -> hours of practice each member wants over the horizon
    wished: dict[str, np.ndarray] = field(default_factory=dict)
    #: wished skills the members do not have (held at learner proficiency)
    learning: frozenset[str] = frozenset()

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
        # learners' skills (at learner proficiency) are in the proficiencies; the wishes
        # (skills and hours), and which skills are learnt, are in the key too (someone
        # growing a skill they hold at 0.5 is not a learner of it)
        key: tuple = (p.unit, tuple(sorted(scenario.proficiencies(p).items())),
                      p.max_change_share)
        if p.develop:
            # people with wishes group only with people of the same capacity in every
            # period: then an even split of the cohort's hours in a wished skill meets
            # each member's wish as far as the hours go, so the model's count is exact
            key += (tuple(sorted(scenario.wishes(p).items())),
                    tuple(sorted(set(p.develop) - set(p.skills))),
                    tuple(round(float(x), 9) for x in cap[k]))
        groups.setdefault(key, []).append(k)
    cohorts = []
    for g, (key, members) in enumerate(groups.items()):
        unit, skills, share = key[:3]
        wishes, learning = (key[3], key[4]) if len(key) > 3 else ((), ())
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
                wished={sk: np.full(len(members), h) for sk, h in wishes},
                learning=frozenset(learning),
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


PieceKey = tuple[str, str, str]  # (work, for_unit, skill)


def split_cohort(
    cohort: Cohort,
    period: int,
    pieces: list[Piece],
    preferred: dict[PieceKey, dict[int, float]] | None = None,
    reserved: dict[PieceKey, dict[int, float]] | None = None,
) -> list[tuple[int, Piece]]:
    """Split a cohort's pieces of work in one period onto its members.

    Change pieces are placed first, each filling members one after another up to
    their change limit; RTB pieces then fill the remaining capacity. Because the
    cohort's totals respect the summed limits, every member's limits hold, and
    each member gets few pieces. Returns ``(member staff index, piece)`` pairs
    whose hours sum to the pieces' hours.

    ``reserved`` (development, :func:`planner.solving.practice.practice_targets`) maps
    ``(work, for_unit, skill)`` to hours per member position placed before
    anything else; its targets are chosen so that the rest still fits.
    ``preferred`` (baseline-stable re-planning) maps the same keys to hours per
    member position: each piece then first gives those members up to their
    earlier hours, within the same limits, so the guarantees are kept.
    """
    cap = cohort.member_capacity[:, period].copy()
    chg = cohort.member_change[:, period].copy()
    n = len(cohort.members)
    out: list[tuple[int, Piece]] = []
    order = list(range(n))
    ordered = sorted(pieces, key=lambda p: (not p.change, p.work, p.for_unit, p.skill))
    left = [p.hours for p in ordered]
    if reserved:
        todo = {key: dict(per) for key, per in reserved.items()}
        for k, piece in enumerate(ordered):
            per = todo.get((piece.work, piece.for_unit, piece.skill), {})
            for m in sorted(per):
                room = min(cap[m], chg[m]) if piece.change else cap[m]
                take = min(per[m], room, left[k])
                if take <= 1e-9:
                    continue
                out.append((m, _with_hours(piece, take)))
                cap[m] -= take
                if piece.change:
                    chg[m] -= take
                left[k] -= take
                per[m] -= take
    for k, piece in enumerate(ordered):
        remaining = left[k]
        if remaining <= 1e-9:
            continue
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
    return Piece(piece.work, piece.for_unit, piece.skill, hours, piece.change)
