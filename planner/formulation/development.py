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
    dev[g,k] <= n x w                                      (its upper bound)

It is exact: people with wishes share a cohort only with people of the same
wishes (skills and hours, ``w`` each) and the same capacity in every period
(:func:`planner.problem.cohorts.build_cohorts`), so splitting the cohort's hours
on ``k`` evenly gives each member ``min(w, hours / n)`` and the members together
``min(n x w, hours)``: every ``dev[g,k]`` the model counts is realised by named
people (the split, :mod:`planner.solving.practice`, places the hours in wished
skills first, up to each wish).

The objective rewards it at ``development_weight`` per hour
(:mod:`planner.formulation.objective`). Every hour a learner works in a skill
they do not have costs :data:`LEARNER_TIE` x the average weight per effort hour
(a hundredth of the default reward): where it makes no other difference, the
people who have the skill do the work, and a learner works beyond their wish
only when that pays (e.g. it covers RTB that would otherwise fall short).
"""

from __future__ import annotations

from collections import defaultdict

from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData

#: cost of a learner's hour in a skill they lack, in average weights per effort hour
LEARNER_TIE = 0.001


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


def learner_columns(data: ProblemData, v: Vars) -> list[int]:
    """Hours columns of cohorts in skills they are learning (wished but not held)."""
    return [col for fam in (v.r, v.c, v.lr, v.lc) for (gi, sk, _t), col in fam.items()
            if sk in data.cohorts[gi].learning]
