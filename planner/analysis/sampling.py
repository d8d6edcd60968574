"""Samples of reality drawn from a scenario's ``uncertainty:`` section.

A sample is a pure function of (scenario, seed, sample index): sample ``k`` of
seed ``s`` is the same on any machine, in any batch, in any order (its random
stream is ``SeedSequence(s, spawn_key=(k,))``). Every sample draws the same
amount of random numbers whatever the parameters, so changing one parameter
(say ``attrition``) leaves the other draws of a sample as they were, and two
plans of one scenario are simulated against the very same samples (common
random numbers: their difference is measured with less noise than each).

What one sample holds (see :class:`models.uncertainty.Uncertainty`):

* **effort**: one uniform quantile per initiative, shared by its lines; each
  line's multiple is that quantile of its own triangular spread (low, 1, high).
* **slip**: extra periods of duration per initiative, from its discrete
  distribution.
* **capacity**: hours each group of interchangeable people (same unit, skills,
  proficiencies, skills being learnt and change share) can give in each period:
  the sum over its members of ``hours_per_fte x fte x availability`` x (1 -
  absence) x present. ``present`` is 0 from a leaver's leaving period until
  ``backfill`` periods later (a leaver leaves with probability ``1 - (1 -
  attrition) ** years`` at a uniformly random period of the periods simulated);
  absence is exponential with mean ``availability_noise``, capped at 1.

A plan re-planned as of a period is simulated from that period on (``start``):
the past happened, so people leave only in the periods left and ``years``
counts those periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from models.scenario import Scenario
from models.uncertainty import Uncertainty
from planner.problem.calendar import Calendar
from planner.problem.cohorts import person_capacity

PERIODS_PER_YEAR = {"month": 12, "week": 52, "quarter": 4, "index": 12}


@dataclass
class Population:
    """The static part of the sampling: who and what is uncertain, as arrays."""

    T: int
    initiatives: list[str]  # every initiative of the scenario, in order
    line_init: np.ndarray  # (L,) initiative index of each merged effort line
    line_unit: list[str]
    line_skill: list[str]
    line_hours: np.ndarray  # (L,) estimated hours
    line_low: np.ndarray  # (L,) triangular spread
    line_high: np.ndarray
    slip_values: np.ndarray  # (I, k) possible extra periods per initiative (0 first, padded)
    slip_cdf: np.ndarray  # (I, k) cumulative probabilities (padded with inf)
    person_capacity: np.ndarray  # (N, T) hours_per_fte x fte x availability
    person_group: np.ndarray  # (N,) group index
    group_unit: list[str]
    group_skills: list[dict[str, float]]  # the skills the group's people have
    group_q: list[dict[str, float]]  # work per hour in each skill (learners too)
    group_share: np.ndarray  # (G,) max_change_share
    p_leave: float
    backfill: int  # periods absent after leaving (T when never replaced)
    noise: float
    utilisation: float
    start: int = 0  # first period simulated (the as-of period of a re-plan)
    _order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    _starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    @property
    def n_groups(self) -> int:
        """Number of groups of interchangeable people."""
        return len(self.group_unit)


def population(scenario: Scenario, uncertainty: Uncertainty | None = None,
               start: int = 0) -> Population:
    """Compile ``scenario`` and its uncertainty (or ``uncertainty``) into arrays.

    ``start`` is the first period simulated: people leave only from then on.
    """
    unc = uncertainty or scenario.uncertainty or Uncertainty()
    cal = Calendar(scenario.horizon)
    T = len(cal)
    ids = [i.id for i in scenario.initiatives]
    li, lu, lk, lh, lo, hi = [], [], [], [], [], []
    svals, scdf = [], []
    for k, ini in enumerate(scenario.initiatives):
        merged: dict[tuple[str, str], float] = {}
        for ln in ini.all_effort:  # a phased initiative: its phases' lines, summed
            merged[(ln.unit, ln.skill)] = merged.get((ln.unit, ln.skill), 0.0) + ln.hours
        for (u, s), h in sorted(merged.items()):
            if h <= 0:
                continue
            sp = unc.spread(ini.id, u, s)
            li.append(k)
            lu.append(u)
            lk.append(s)
            lh.append(h)
            lo.append(sp.low)
            hi.append(sp.high)
        dist = unc.slip_of(ini.id)
        values = np.array([0, *dist], dtype=int)
        probs = np.array([max(0.0, 1.0 - sum(dist.values())), *dist.values()])
        svals.append(values)
        cdf = np.cumsum(probs)
        cdf[-1] = 1.0  # u < 1 always picks a real value, whatever the rounding
        scdf.append(cdf)

    cap = person_capacity(scenario, cal)
    groups: dict[tuple[object, ...], int] = {}
    person_group = np.empty(len(scenario.staff), dtype=int)
    g_unit: list[str] = []
    g_skills: list[dict[str, float]] = []
    g_q: list[dict[str, float]] = []
    g_share: list[float] = []
    for n, p in enumerate(scenario.staff):
        q = scenario.proficiencies(p)
        key = (p.unit, tuple(sorted(p.skills.items())), tuple(sorted(q.items())),
               p.max_change_share)
        if key not in groups:
            groups[key] = len(groups)
            g_unit.append(p.unit)
            g_skills.append(dict(sorted(p.skills.items())))
            g_q.append(dict(sorted(q.items())))
            g_share.append(p.max_change_share)
        person_group[n] = groups[key]

    per_year = unc.periods_per_year or PERIODS_PER_YEAR[scenario.horizon.period]
    start = min(max(start, 0), T)
    p_leave = 1.0 - (1.0 - unc.attrition) ** ((T - start) / per_year)
    order = np.argsort(person_group, kind="stable")
    starts = np.searchsorted(person_group[order], np.arange(len(g_unit)))
    return Population(
        T=T, initiatives=ids, line_init=np.array(li, dtype=int), line_unit=lu, line_skill=lk,
        line_hours=np.array(lh, dtype=float), line_low=np.array(lo, dtype=float),
        line_high=np.array(hi, dtype=float), slip_values=_pad(svals, 0),
        slip_cdf=_pad(scdf, np.inf),
        person_capacity=cap, person_group=person_group, group_unit=g_unit,
        group_skills=g_skills, group_q=g_q, group_share=np.array(g_share, dtype=float),
        p_leave=float(p_leave), backfill=T if unc.backfill is None else unc.backfill,
        noise=unc.availability_noise, utilisation=unc.utilisation, start=start, _order=order,
        _starts=starts,
    )


def _pad(rows: list[np.ndarray], fill: float) -> np.ndarray:
    width = max((len(r) for r in rows), default=1)
    out = np.full((len(rows), width), fill, dtype=float)
    for k, r in enumerate(rows):
        out[k, : len(r)] = r
    return out


def triangular_ppf(u: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Quantile ``u`` of the triangular distribution on [low, high] with mode 1."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    c = (1.0 - low) / safe
    left = low + np.sqrt(u * width * (1.0 - low))
    right = high - np.sqrt((1.0 - u) * width * (high - 1.0))
    return np.where(width > 0, np.where(u < c, left, right), 1.0)


@dataclass
class Sample:
    """One sample of reality (or a batch of them, stacked on a first axis)."""

    effort: np.ndarray  # (L,) multiple of each line's estimate
    slip: np.ndarray  # (I,) extra periods of each initiative
    raw_capacity: np.ndarray  # (G, T) hours each group can give (before utilisation)


def draw(pop: Population, seed: int, index: int) -> Sample:
    """Sample ``index`` of ``seed``: a pure function of its arguments."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    n_init = len(pop.initiatives)
    n_staff, T = pop.person_capacity.shape
    u_effort = rng.random(n_init)
    u_slip = rng.random(n_init)
    u_leave = rng.random(n_staff)
    u_when = rng.random(n_staff)
    u_absence = rng.random((n_staff, T))

    q = u_effort[pop.line_init]
    effort = triangular_ppf(q, pop.line_low, pop.line_high)
    # the first value whose cumulative probability exceeds u (u < 1 <= the padding)
    pick = np.minimum((pop.slip_cdf <= u_slip[:, None]).sum(axis=1), pop.slip_cdf.shape[1] - 1)
    slip = pop.slip_values[np.arange(n_init), pick].astype(int)
    present = np.ones((n_staff, T))
    leaves = u_leave < pop.p_leave
    if bool(np.any(leaves)) and pop.backfill > 0:
        left = max(T - pop.start, 1)
        when = pop.start + np.minimum((u_when * left).astype(int), left - 1)
        t = np.arange(T)
        gone = (t[None, :] >= when[:, None]) & (t[None, :] < when[:, None] + pop.backfill)
        present[leaves] = np.where(gone[leaves], 0.0, 1.0)
    absence = np.minimum(1.0, -pop.noise * np.log1p(-u_absence)) if pop.noise > 0 else 0.0
    hours = pop.person_capacity * (1.0 - absence) * present
    if n_staff:
        raw = np.add.reduceat(hours[pop._order], pop._starts, axis=0)
    else:
        raw = np.zeros((0, T))
    return Sample(effort=effort, slip=slip, raw_capacity=raw)


def draw_batch(pop: Population, seed: int, indices: Sequence[int]) -> Sample:
    """Samples ``indices`` of ``seed``, stacked on a first axis."""
    draws = [draw(pop, seed, int(k)) for k in indices]
    L, G, T = len(pop.line_init), pop.n_groups, pop.T
    if not draws:
        return Sample(np.zeros((0, L)), np.zeros((0, len(pop.initiatives)), dtype=int),
                      np.zeros((0, G, T)))
    return Sample(
        effort=np.stack([d.effort for d in draws]),
        slip=np.stack([d.slip for d in draws]),
        raw_capacity=np.stack([d.raw_capacity for d in draws]),
    )
