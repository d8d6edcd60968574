"""Phases of an initiative: when each runs, what each line needs per period, what it costs.

An initiative started in period ``s`` is active in ``s .. s+d-1``. Without
``phases`` its effort is spread evenly: a line of ``H`` hours needs ``H / d`` in
every active period. With ``phases`` (issue 15) the phases run back to back in
the order listed, phase ``p`` at fixed offsets ``o_p .. o_p+d_p-1`` from the
start (``o_p`` = the durations of the phases before it), and each line of a
phase needs ``H / d_p`` in each period of that phase. Either way an initiative
is fully described by a *profile*: hours per line and offset from the start.
Because the offsets are fixed, one start period decides the whole schedule, and
the model keeps one start binary per initiative and start period.

``cost`` is spread evenly over the active periods, or by ``cost_profile``:
one share per phase (spread evenly over that phase's periods) or one share per
active period.

A dependency ``x`` waits for ``x`` to finish; ``x.build`` waits for its phase
``build`` to finish. Both are a *lag*: the dependant may start ``lag`` periods
after ``x`` starts at the earliest (``lag`` = the offset after the phase's last
period, or ``x``'s duration).

This module reads the scenario models only; the plan checker re-implements
these rules on its own (:mod:`planner.checker.phases`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from models.scenario import Initiative


@dataclass(frozen=True)
class PhaseSpan:
    """One phase placed relative to the initiative's start."""

    name: str
    offset: int  # first period of the phase, counted from the start (0)
    duration: int

    @property
    def end(self) -> int:
        """Offset just after the phase's last period."""
        return self.offset + self.duration


def spans(ini: Initiative) -> list[PhaseSpan]:
    """Phases of ``ini`` back to back from offset 0 (one unnamed span without phases)."""
    if not ini.phases:
        return [PhaseSpan("", 0, ini.duration)]
    out, offset = [], 0
    for p in ini.phases:
        out.append(PhaseSpan(p.name, offset, p.duration))
        offset += p.duration
    return out


def line_profiles(ini: Initiative) -> list[tuple[str, str, np.ndarray]]:
    """``(unit, skill, hours per offset)`` of every effort line, merged, sorted, non-zero.

    Lines with the same unit and skill are merged (across phases too); each
    array has ``ini.duration`` entries and sums to the line's total hours.
    """
    d = ini.duration
    merged: dict[tuple[str, str], np.ndarray] = {}
    if ini.phases:
        for span, phase in zip(spans(ini), ini.phases, strict=True):
            for ln in phase.effort:
                arr = merged.setdefault((ln.unit, ln.skill), np.zeros(d))
                arr[span.offset:span.end] += ln.hours / span.duration
    else:
        for ln in ini.effort:
            arr = merged.setdefault((ln.unit, ln.skill), np.zeros(d))
            arr += ln.hours / d
    return [(u, sk, arr) for (u, sk), arr in sorted(merged.items()) if arr.sum() > 0]


def cost_shares(ini: Initiative) -> np.ndarray:
    """Share of ``cost`` falling in each active period (offsets 0 .. d-1), summing to 1.

    Raises
    ------
    ValueError
        When ``cost_profile`` has neither one share per phase nor one per period.
    """
    d = ini.duration
    prof = ini.cost_profile
    if prof is None:
        return np.full(d, 1.0 / d)
    if len(prof) == d:
        return np.asarray(prof, dtype=float)
    if ini.phases and len(prof) == len(ini.phases):
        out = np.zeros(d)
        for span, share in zip(spans(ini), prof, strict=True):
            out[span.offset:span.end] = share / span.duration
        return out
    want = f"{len(ini.phases)} (one per phase) or {d}" if ini.phases else str(d)
    raise ValueError(
        f"cost_profile has {len(prof)} shares; expected {want} (one per active period)"
    )


def split_ref(ref: str, ids: Iterable[str]) -> tuple[str, str | None]:
    """``(initiative id, phase name or None)`` of a ``depends_on`` entry.

    An entry that is an initiative id names the whole initiative (ids may hold
    dots); otherwise ``x.phase`` names phase ``phase`` of ``x``.
    """
    known = set(ids)
    if ref in known or "." not in ref:
        return ref, None
    iid, _, phase = ref.rpartition(".")
    return (iid, phase) if iid in known else (ref, None)


def lag(ini: Initiative, phase: str | None) -> int:
    """Periods after ``ini``'s start at which a dependant on it (or on ``phase``) may start.

    Raises
    ------
    KeyError
        When ``ini`` has no phase called ``phase``.
    """
    if phase is None:
        return ini.duration
    for span in spans(ini):
        if span.name == phase and ini.phases:
            return span.end
    raise KeyError(phase)
