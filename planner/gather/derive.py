"""Values derived while loading: objective weights from pairwise comparisons, then
``contributes`` from stakeholder ratings (see :mod:`planner.gather.pairwise` and
:mod:`planner.gather.ratings`)."""

from __future__ import annotations

from models.scenario import Scenario
from planner.errors import Issue
from planner.gather.pairwise import apply_pairwise
from planner.gather.ratings import apply_ratings
from planner.io.sourcemap import SourceMap


def derive(scenario: Scenario, source: SourceMap | None = None) -> tuple[Scenario, list[Issue]]:
    """The scenario with derived weights and contributions, and the issues found doing it.

    ``scenario`` is not changed; a new one is returned when anything was derived.
    """
    scenario, weight_issues = apply_pairwise(scenario, source)
    scenario, rating_issues = apply_ratings(scenario, source)
    return scenario, weight_issues + rating_issues
