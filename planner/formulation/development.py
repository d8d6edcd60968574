"""Constraint family on development wishes: hours of practice in a wished skill.

A person who wishes to develop a skill (``staff[].develop``) may work on work of
that skill even without having it: the cohort then holds the skill at
``policy.development.learner_proficiency`` (:func:`planner.problem.cohorts.build_cohorts`),
so its hours on that skill deliver that share of an hour, through the same
RTB, change and lending columns as any other skill. Someone who already has the
skill practises at their own proficiency.

Which work may grow a skill: the RTB and initiatives of the person's own unit,
and, when ``policy.borrowing`` is on, the same work of other units (lent hours,
which pay the borrowing penalty, below the development reward).

``dev[g,k]`` (one column per cohort and wished skill with any hours column on it)
counts the hours of the cohort's wishes met over the horizon:

    dev[g,k] <= sum over periods of the cohort's hours on skill k (own RTB, own
                change, lent RTB, lent change)            (row ``grow[g,k]``)
    dev[g,k] <= sum of the members' wished hours in k     (its upper bound)

The objective rewards it at ``development_weight`` per hour
(:mod:`planner.formulation.objective`). Cohorts group people with the same wished
skills, so every member of ``g`` wishes ``k``; the person split realises
``dev[g,k]`` whenever any split of the cohort's hours can
(:mod:`planner.solving.practice`).
"""

from __future__ import annotations

from collections import defaultdict

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData


def development(model: LinearModel, data: ProblemData, v: Vars) -> None:
    """Add ``dev[g,k]`` columns and their ``grow[g,k]`` rows (see the module docstring)."""
    hours: dict[tuple[int, str], list[int]] = defaultdict(list)
    for fam in (v.r, v.c, v.lr, v.lc):
        for (gi, sk, _t), col in fam.items():
            if sk in data.cohorts[gi].wished:
                hours[(gi, sk)].append(col)
    for g in data.cohorts:
        for sk, wish in g.wished.items():
            cols = hours.get((g.index, sk))
            total = float(wish.sum())
            if not cols or total <= 0:
                continue  # no work of the skill this cohort could do: nothing to count
            lab = f"{g.name},{sk}"
            d = model.add_var(f"dev[{lab}]", 0.0, total)
            v.dev[(g.index, sk)] = d
            model.add_row(f"grow[{lab}]", [d, *cols], [1.0] + [-1.0] * len(cols), hi=0.0)
