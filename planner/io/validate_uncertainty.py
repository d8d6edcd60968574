"""Cross-entity checks of the ``uncertainty:`` section (called by :mod:`planner.io.validate`).

Errors: a per-initiative entry of an unknown initiative, and a per-line spread
(``lines: {unit/skill: ...}``) of a line the initiative does not have, each
with the closest id suggested.
"""

from __future__ import annotations

from typing import Any

from planner.io.scenario_checker import ScenarioChecker, unknown
from planner.io.sourcemap import suggest


def uncertainty_issues(ch: ScenarioChecker) -> None:
    """Report every issue of the scenario's ``uncertainty:`` section through ``ch``."""
    u = ch.s.uncertainty
    if u is None:
        return
    for iid, own in u.initiatives.items():
        path: tuple[Any, ...] = ("uncertainty", "initiatives", iid)
        ini = ch.inits.get(iid)
        if ini is None:
            ch.error(path, unknown("initiative", iid, ch.inits))
            continue
        lines = dict.fromkeys(f"{ln.unit}/{ln.skill}" for ln in ini.all_effort)
        for key in own.lines:
            if key in lines:
                continue
            hint = suggest(key, lines) or (f" (its lines: {', '.join(lines)})" if lines
                                           else " (it has no effort lines)")
            ch.error((*path, "lines", key),
                     f"'{key}' is not an effort line (unit/skill) of '{iid}'{hint}")
