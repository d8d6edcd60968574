"""Explain an infeasible scenario: what is short where, and by how much.

The model is re-solved in an *elastic* form: every hard rule that can make
the plan impossible gets a shortfall column, and the objective is to minimise
the shortfall (hours first, then money; leaving a required initiative out is
the last resort). The answer names the initiatives, units, skills and periods
that are short and by how many hours, and what one could change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from planner.backends.base import SolverOptions
from planner.formulation.build import build
from planner.formulation.model import LinearModel
from planner.formulation.variables import Vars
from planner.problem.data import ProblemData

#: objective weight of one unit of each kind of shortfall (minimised)
W_HOURS = 1.0
W_MONEY = 1e-3
W_LEFT_OUT = 1e6


@dataclass
class Shortfall:
    """One shortfall of the elastic solution."""

    kind: str  # "change", "rtb", "budget", "unit_budget", "left_out", "kpi"
    unit: str | None
    skill: str | None
    period: str | None
    amount: float  # hours or money (KPI units for "kpi")
    initiatives: list[str] = field(default_factory=list)  # required initiatives involved
    kpi: str | None = None  # for "kpi": the must_meet KPI short of its target
    note: str = ""  # for "kpi": the sentence that explains it


@dataclass
class Diagnosis:
    """Why no plan satisfies the hard rules."""

    shortfalls: list[Shortfall]
    found: bool = True  # False when even the elastic model could not be solved
    #: how to name each required initiative, e.g. "pinned-in initiative crm"
    roles: dict[str, str] = field(default_factory=dict)

    def role(self, iid: str) -> str:
        """``pinned-in initiative X``, ``mandatory initiative X``, ... (see :func:`role_of`)."""
        return self.roles.get(iid, f"required initiative {iid}")

    def to_text(self) -> str:
        """Plain-words report for the terminal."""
        if not self.found:
            return "The scenario is infeasible, and the diagnosis could not be computed."
        lines = ["No plan satisfies the hard rules. What is short:"]
        for s in self.shortfalls:
            if s.kind == "left_out":
                lines.append(
                    f"  - {self.role(s.initiatives[0])} cannot be placed at all "
                    "(its window, a prerequisite or an exclusive partner rules it out)"
                )
            elif s.kind == "kpi":
                lines.append(f"  - {s.note}")
            elif s.kind in ("budget", "unit_budget"):
                where = f" of unit {s.unit}" if s.unit else ""
                when = f" ({s.period})" if s.period else ""
                lines.append(f"  - budget{where}{when} short by {s.amount:,.0f}")
            else:
                what = "must RTB" if s.kind == "rtb" else "change work"
                needed = ", ".join(self.role(i) for i in s.initiatives)
                who = f" (needed by {needed})" if s.initiatives else ""
                lines.append(
                    f"  - {s.unit}/{s.skill} in {s.period}: {s.amount:,.1f} h short for {what}{who}"
                )
        lines.append(
            "What could change: add capacity (staff, FTE, contractors with `external`) where "
            "it is short, move deadlines or earliest starts, raise the budget, or make an "
            "initiative non-mandatory."
        )
        if any(s.kind == "kpi" for s in self.shortfalls):
            lines[-1] += (" For a KPI: lower its target, move its `by` later, or drop "
                          "`must_meet` (the target is then rewarded, not forced).")
        if any("pinned-in" in r or "start fixed" in r for r in self.roles.values()):
            lines[-1] += " A pin (pin: in) or a fixed start (start:) can be lifted too."
        return "\n".join(lines)


def role_of(data: ProblemData, iid: str) -> str:
    """How a diagnosis names a required initiative: why it must be in the plan."""
    ini = data.by_id[iid]
    src = data.scenario.initiatives[ini.index]
    if ini.mandatory:
        kind = "committed" if src.status == "committed" and not src.mandatory else "mandatory"
        text = f"{kind} initiative {iid}"
    elif ini.pin == "in":
        text = f"pinned-in initiative {iid}"
    else:
        needers = [d.id for d in data.initiatives if ini.index in d.depends_on and d.required]
        text = f"initiative {iid} (prerequisite of {', '.join(needers) or 'required work'})"
    if src.start is not None:
        text += f" (start fixed to {src.start})"
    return text


@dataclass
class Elastic:
    """The elastic model: the planning model with a shortfall column on every hard rule."""

    model: LinearModel
    vars: Vars
    slack: list[tuple[int, Shortfall]]


def elastic_model(data: ProblemData) -> Elastic:
    """Build the elastic form of the model: only required work, shortfalls minimised.

    Optional initiatives are held out (their start columns fixed to 0);
    :mod:`planner.solving.forced` lets one of them back in at a time.
    """
    f = build(data)
    m, v = f.model, f.vars
    m.col_obj = [0.0] * m.num_cols
    for k, name in enumerate(m.row_names):
        if name.startswith(("knap[", "big[", "mir[", "umir[")):
            m.row_hi[k] = float("inf")  # redundant cuts, no longer implied once supply is elastic
        elif name.startswith("kpimust["):
            m.row_lo[k] = -float("inf")  # targets are explained once the required work fits
    for (i, _s), col in v.x.items():
        if not data.initiatives[i].required:
            m.col_ub[col] = 0.0  # only the work that must happen matters here
    labels = data.calendar.labels
    slack: list[tuple[int, Shortfall]] = []

    for ini in data.initiatives:
        r = m.row_of(f"choose[{ini.id}]")
        if r is not None:
            # an optional initiative's row has no lower bound, so its column stays 0
            # until :mod:`planner.solving.forced` forces it in
            col = m.add_var(f"leftout[{ini.id}]", 0, 1, obj=-W_LEFT_OUT)
            m.add_term(r, col, 1.0)
            slack.append((col, Shortfall("left_out", None, None, None, 1, [ini.id])))
    for u, sk, t in sorted(v.change_cells):
        r = m.row_of(f"staff[{u},{sk},{labels[t]}]")
        col = m.add_var(f"extra[{u},{sk},{labels[t]}]", obj=-W_HOURS)
        m.add_term(r, col, 1.0)  # type: ignore[arg-type]
        slack.append((col, Shortfall("change", u, sk, labels[t], 0.0)))
    for u, sk, t in sorted(v.rtb_cells):
        if data.rtb[(u, sk)][0, t] <= 0:
            continue
        r = m.row_of(f"rtb[{u},{sk},{labels[t]}]")
        col = m.add_var(f"mustshort[{u},{sk},{labels[t]}]", 0, float(data.rtb[(u, sk)][0, t]),
                        obj=-W_HOURS)
        m.add_term(r, col, 1.0)  # type: ignore[arg-type]
        slack.append((col, Shortfall("rtb", u, sk, labels[t], 0.0)))
    for lim in data.budgets:
        r = m.row_of(lim.name)
        if r is not None:
            col = m.add_var(f"money[{lim.name}]", obj=-W_MONEY)
            m.add_term(r, col, -1.0)
            # period: the year of a per-year rule ("2027", or "up to 2027" with carry_over)
            when = None if lim.year is None else (
                f"up to {lim.year}" if lim.cumulative else str(lim.year))
            slack.append((col, Shortfall("unit_budget" if lim.unit else "budget", lim.unit,
                                         None, when, 0)))
    return Elastic(m, v, slack)


def read_shortfalls(data: ProblemData, el: Elastic, x: np.ndarray) -> list[Shortfall]:
    """The shortfalls of an elastic solution ``x``, each with the required work involved."""
    from planner.solving.allocate import read_solution

    schedule, _ = read_solution(el.vars, x)
    started = set(schedule.starts)
    labels = data.calendar.labels
    out = []
    for col, proto in el.slack:
        amount = float(x[col])
        if amount <= 1e-6:
            continue
        s = replace(proto, amount=amount, initiatives=list(proto.initiatives))
        if s.kind in ("change", "rtb") and s.period is not None:
            t = labels.index(s.period)
            s.initiatives = [
                data.initiatives[i].id
                for i in schedule.active(data, t)
                if i in started
                and any(u == s.unit and k == s.skill for u, k, _h in data.initiatives[i].lines)
            ]
        out.append(s)
    return out


def diagnose_work(data: ProblemData, backend: str = "highs",
                  time_limit: float = 60.0) -> Diagnosis:
    """Solve the elastic model of the required work and list what is short.

    An empty list with ``found`` means the required work fits; the ``must_meet`` KPI
    targets are then what no plan can meet (:func:`planner.solving.diagnose_kpi.diagnose`,
    which calls this first, explains those).
    """
    from planner import backends

    el = elastic_model(data)
    res = backends.get(backend).solve(
        el.model.arrays(), SolverOptions(time_limit=time_limit, gap=1e-4), None
    )
    if res.x is None:
        return Diagnosis([], found=False)
    out = read_shortfalls(data, el, res.x)
    roles = {i.id: role_of(data, i.id) for i in data.initiatives if i.required}
    return Diagnosis(out, roles=roles)
