"""Stakeholder scoring: ``contributes`` from the median of several stakeholders' ratings.

Each row of ``ratings`` is one stakeholder's rating of one initiative's
contribution to one objective, a word (none, low, moderate, strong, extreme =
0, 0.25, 0.5, 0.75, 1) or a number in [0, 1]. An initiative's contribution to
an objective is the median of its ratings for that objective; with an even
number of ratings it is the mean of the two middle ones (low and strong give
moderate; low and moderate give 0.375). Objectives nobody rated count 0. An
initiative that has its own ``contributes`` keeps it, and its ratings are
ignored with a warning naming it.

Ratings of one initiative on one objective that lie two levels (0.5) or more
apart are a *disagreement*: flagged in ``portfolio.csv`` (column
``disagreement``) and in the plan's reasons, whether or not the ratings were
used.

Public API: :func:`median_ratings`, :func:`disagreements`, :func:`disagreement_text`,
:func:`apply_ratings`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from models.scenario import RATINGS, Rating, Scenario, StakeholderRating
from planner.errors import Issue
from planner.io.reporter import Reporter
from planner.io.sourcemap import SourceMap, suggest

#: Ratings at least this far apart (two levels of 0.25) are a disagreement.
DISAGREEMENT = 0.5
_WORD: dict[float, Rating] = {v: k for k, v in RATINGS.items()}  # type: ignore[misc]


def value_of(rating: Rating) -> float:
    """Numeric value in [0, 1] of a rating word or number."""
    return RATINGS[rating] if isinstance(rating, str) else float(rating)


def as_rating(value: float) -> Rating:
    """The rating word when ``value`` is exactly a level, else the number."""
    return _WORD.get(value, value)


def _grouped(ratings: Iterable[StakeholderRating]) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in ratings:
        out[r.initiative][r.objective].append(value_of(r.rating))
    return out


def median_ratings(ratings: Iterable[StakeholderRating]) -> dict[str, dict[str, Rating]]:
    """Initiative -> objective -> median rating (a word when it falls on a level)."""
    return {
        ini: {obj: as_rating(float(np.median(vals))) for obj, vals in by_obj.items()}
        for ini, by_obj in _grouped(ratings).items()
    }


def disagreements(ratings: Iterable[StakeholderRating]) -> dict[str, dict[str, tuple[
    float, float
]]]:
    """Initiative -> objective -> (lowest, highest) rating, where they are >= 0.5 apart."""
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for ini, by_obj in _grouped(ratings).items():
        for obj, vals in by_obj.items():
            lo, hi = min(vals), max(vals)
            if hi - lo >= DISAGREEMENT - 1e-9:
                out.setdefault(ini, {})[obj] = (lo, hi)
    return out


def _word(x: float) -> str:
    r = as_rating(x)
    return r if isinstance(r, str) else f"{x:g}"


def disagreement_text(spread: dict[str, tuple[float, float]]) -> str:
    """``retention low..strong; cost none..moderate`` (empty for no disagreement)."""
    return "; ".join(f"{obj} {_word(lo)}..{_word(hi)}" for obj, (lo, hi) in spread.items())


def disagreement_flags(scenario: Scenario) -> dict[str, str]:
    """Initiative id -> ``stakeholders disagree on ...`` flag, for initiatives that have one."""
    return {ini: f"stakeholders disagree on {disagreement_text(spread)}"
            for ini, spread in disagreements(scenario.ratings).items()}


def apply_ratings(scenario: Scenario, source: SourceMap | None = None) -> tuple[
    Scenario, list[Issue]
]:
    """Fill ``contributes`` from the median ratings; report located issues.

    Errors: a rating of an unknown initiative or objective, the same stakeholder
    rating the same initiative and objective twice. Warning: an initiative with
    its own ``contributes`` also rated (its ratings are ignored).
    """
    if not scenario.ratings:
        return scenario, []
    rep = Reporter(scenario, source)
    inits = {i.id: i for i in scenario.initiatives}
    objectives = [o.id for o in scenario.strategy.objectives]
    first: dict[tuple[str, str, str], int] = {}
    usable: list[StakeholderRating] = []
    for k, r in enumerate(scenario.ratings):
        path = ("ratings", k)
        ok = True
        if r.initiative not in inits:
            rep.error(path + ("initiative",),
                      f"unknown initiative '{r.initiative}'{suggest(r.initiative, inits)}")
            ok = False
        if r.objective not in objectives:
            rep.error(path + ("objective",),
                      f"unknown objective '{r.objective}'{suggest(r.objective, objectives)}")
            ok = False
        key = (r.stakeholder, r.initiative, r.objective)
        if key in first:
            rep.error(path, f"stakeholder '{r.stakeholder}' rated '{r.initiative}' on "
                            f"'{r.objective}' twice (also {rep.where(('ratings', first[key]))})")
            ok = False
        else:
            first[key] = k
        if ok:
            usable.append(r)
    medians = median_ratings(usable)
    warned: set[str] = set()
    initiatives = []
    for k, ini in enumerate(scenario.initiatives):
        med = medians.get(ini.id)
        if med is None:
            initiatives.append(ini)
        elif "contributes" in ini.model_fields_set:
            if ini.id not in warned:
                warned.add(ini.id)
                rep.warning(("initiatives", k, "contributes"),
                            f"initiative '{ini.id}' has its own contributes and is also rated "
                            "by stakeholders: its contributes is used, its ratings are ignored")
            initiatives.append(ini)
        else:
            ordered = {o: med[o] for o in objectives if o in med}
            initiatives.append(ini.model_copy(update={"contributes": ordered}))
    return scenario.model_copy(update={"initiatives": initiatives}), rep.issues
