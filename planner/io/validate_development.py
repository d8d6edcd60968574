"""Cross-entity checks of development wishes (called by :mod:`planner.io.validate`).

Warnings only: a wish can be valid and still never met. A skill that no RTB
line or initiative uses (with the closest skill that some work uses
suggested); a skill whose work is only in other units while borrowing is off;
more hours wished than the person can be planned over the horizon; and a
``policy.development.weight`` of 1 or more, at which growth may displace
initiatives. Negative or non-finite hours are refused by the model itself.
"""

from __future__ import annotations

from collections import defaultdict

from planner.io.scenario_checker import ScenarioChecker
from planner.io.sourcemap import suggest


def development_issues(ch: ScenarioChecker) -> None:
    """Report every development-wish issue of the checker's scenario through ``ch``."""
    s = ch.s
    work: dict[str, dict[str, None]] = defaultdict(dict)  # skill -> units with such work
    for line in s.run_the_business:
        work[line.skill][line.unit] = None
    for ini in s.initiatives:
        for eff in ini.effort:
            work[eff.skill][eff.unit] = None
    n = len(ch.cal) if ch.cal is not None else s.horizon.periods
    labels = ch.cal.labels if ch.cal is not None else []
    hpf, util = s.horizon.hours_per_fte, s.policy.max_utilisation
    for k, p in enumerate(s.staff):
        for skill, hours in s.wishes(p).items():
            path = ("staff", k, "develop", skill)
            units = work.get(skill)
            if not units:
                ch.warning(path, f"no run-the-business work or initiative uses skill "
                                 f"'{skill}': this wish cannot be met"
                                 f"{suggest(skill, sorted(work))}")
            elif p.unit not in units and not s.policy.borrowing:
                ch.warning(path, f"no work of skill '{skill}' in unit '{p.unit}' (only in "
                                 f"{', '.join(units)}) and borrowing is off: this wish "
                                 "cannot be met")
            year = sum(hpf * p.fte * p.availability.get(lab, 1.0) * util for lab in labels)
            if labels and hours > year + 1e-9:
                ch.warning(path, f"{hours:g} h wished is more than the {year:g} h this "
                                 f"person can be planned over the {n} periods: it can only "
                                 "be met in part")
    dev = s.policy.development
    if dev.weight >= 1 and any(p.develop for p in s.staff):
        ch.warning(("policy", "development", "weight"),
                   f"{dev.weight:g} x the average weight per effort hour is as much as an "
                   "average initiative earns per hour: growth may now displace initiatives "
                   "(default 0.1)")
