"""Is an earlier plan a baseline of *this* organisation? (``planner solve --baseline``).

Re-planning against the plan of another organisation (a plan folder picked by
mistake) would move every hour and read as a huge change. A baseline whose people
or initiatives overlap the scenario's by less than :data:`MIN_OVERLAP` of either
list is refused, unless forced.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.plan import Plan
from models.scenario import Scenario
from planner.errors import PlannerError

#: least share of people and of initiatives a baseline must have in common
MIN_OVERLAP = 0.5


class BaselineMismatchError(PlannerError):
    """The baseline plan looks like another organisation's."""


@dataclass(frozen=True)
class Overlap:
    """People and initiatives in common between a scenario and a baseline plan."""

    people: int
    people_here: int
    people_there: int
    initiatives: int
    initiatives_here: int
    initiatives_there: int

    @staticmethod
    def _share(common: int, a: int, b: int) -> float:
        return 1.0 if max(a, b) == 0 else common / max(a, b)

    @property
    def people_share(self) -> float:
        """Common people over the larger of the two staff lists."""
        return self._share(self.people, self.people_here, self.people_there)

    @property
    def initiatives_share(self) -> float:
        """Common initiatives over the larger of the two initiative lists."""
        return self._share(self.initiatives, self.initiatives_here, self.initiatives_there)

    def text(self) -> str:
        """``3 of 40 people (8%) and 0 of 12 initiatives (0%) in common``."""
        return (f"{self.people} of {max(self.people_here, self.people_there)} people "
                f"({self.people_share:.0%}) and {self.initiatives} of "
                f"{max(self.initiatives_here, self.initiatives_there)} initiatives "
                f"({self.initiatives_share:.0%}) in common")


def overlap(scenario: Scenario, previous: Plan) -> Overlap:
    """How much of the scenario's people and initiatives the baseline plan knows."""
    here_p = {p.id for p in scenario.staff}
    there_p = {p.id for p in previous.scenario.staff}
    here_i = {i.id for i in scenario.initiatives}
    there_i = {i.id for i in previous.scenario.initiatives}
    return Overlap(len(here_p & there_p), len(here_p), len(there_p),
                   len(here_i & there_i), len(here_i), len(there_i))


def check_baseline(scenario: Scenario, previous: Plan, force: bool = False) -> Overlap:
    """Raise :class:`BaselineMismatchError` when the baseline barely overlaps (unless forced)."""
    o = overlap(scenario, previous)
    if not force and min(o.people_share, o.initiatives_share) < MIN_OVERLAP:
        raise BaselineMismatchError(
            f"the baseline plan ('{previous.scenario.name}') looks like another organisation: "
            f"{o.text()}, at least {MIN_OVERLAP:.0%} of each expected. Check the folder, or "
            "use --force to re-plan against it anyway."
        )
    return o
