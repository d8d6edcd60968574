"""Test helper: a small year to re-plan as of period 3, with figures worked by hand.

Six index periods of 10 h per FTE; two interchangeable developers (code 1.0), so
20 h a period. Initiatives (all dev/code, effort spread evenly):

====  ======  ========  =====  ====  ========================================
id    weight  duration  hours  cost  notes
====  ======  ========  =====  ====  ========================================
a     1.0     3         30     100   10 h a period; deadline 4
b     0.9     2         20     40    moves KPI k by +2
c     0.5     2         20     50    moves KPI k by +1
d     0.4     1         10     0     mutually exclusive with b
====  ======  ========  =====  ====  ========================================

The baseline plan (every initiative as early as the 20 h allow, the better ones
first): a 1-3, b 1-2, c 3-4; d is left out (b is chosen). As of period 3, b is
done, a is in flight (finish 3) and c has not started.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from support import scenario

from models.plan import ASSIGNMENT_COLUMNS, InitiativeResult, Plan, RunInfo
from models.scenario import Scenario


def work(id: str, weight: float, duration: int, hours: float, cost: float = 0.0,
         **kw: Any) -> dict[str, Any]:
    return {"id": id, "contributes": {"grow": weight}, "duration": duration, "cost": cost,
            "effort": [{"unit": "dev", "skill": "code", "hours": hours}], **kw}


def small(policy: dict[str, Any] | None = None, **changes: dict[str, Any]) -> Scenario:
    """The small year; ``changes`` update initiatives by id (``a={"mandatory": True}``)."""
    inits = [
        work("a", 1.0, 3, 30, 100, deadline="4"),
        work("b", 0.9, 2, 20, 40, kpi_impacts={"k": 2}),
        work("c", 0.5, 2, 20, 50, kpi_impacts={"k": 1}),
        work("d", 0.4, 1, 10, exclusive_with=["b"]),
    ]
    for ini in inits:
        ini.update(changes.get(ini["id"], {}))
    return scenario(
        horizon={"periods": 6, "period": "index", "hours_per_fte": 10},
        strategy={"objectives": [{"id": "grow", "weight": 1}],
                  "kpis": [{"id": "k", "objective": "grow", "baseline": 0, "target": 3}]},
        units=[{"id": "dev"}],
        staff=[{"id": "d0", "unit": "dev", "skills": ["code"], "cost_per_hour": 100},
               {"id": "d1", "unit": "dev", "skills": ["code"], "cost_per_hour": 60}],
        external=[{"skill": "code", "max_fte": 1, "cost_per_hour": 150, "from": "5"}],
        initiatives=inits,
        policy={"max_utilisation": 1, **(policy or {})},
    )


def write_csv(path: Path, text: str) -> Path:
    """Write a CSV file (lines stripped of indentation) and return its path."""
    path.write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n",
                    encoding="utf-8")
    return path


# --------------------------------------------------------------------------- tracking

TRACK_SCENARIO = {
    "name": "track",
    "horizon": {"periods": 4, "period": "index", "hours_per_fte": 10},
    "strategy": {"objectives": [{"id": "grow", "weight": 1}]},
    "units": [{"id": "dev"}, {"id": "ops"}],
    "staff": [{"id": "d0", "unit": "dev", "skills": {"code": 1}, "cost_per_hour": 100},
              {"id": "d1", "unit": "dev", "skills": {"code": 0.5}, "cost_per_hour": 60},
              {"id": "o0", "unit": "ops", "skills": {"ops": 1}, "cost_per_hour": 40}],
    "run_the_business": [{"unit": "dev", "skill": "code", "hours": 2},
                         {"unit": "ops", "skill": "ops", "hours": 8}],
    "initiatives": [
        {"id": "a", "contributes": {"grow": 1}, "duration": 2,
         "effort": [{"unit": "dev", "skill": "code", "hours": 20}]},
        {"id": "b", "contributes": {"grow": 1}, "duration": 2,
         "effort": [{"unit": "dev", "skill": "code", "hours": 12}]}],
    "external": [{"skill": "code", "max_fte": 1, "cost_per_hour": 150}],
}

TRACK_ROWS = [
    ("d0", "dev", "1", "a", "dev", "code", 10.0, ""),
    ("d1", "dev", "1", "rtb:dev", "dev", "code", 4.0, ""),
    ("o0", "ops", "1", "rtb:ops", "ops", "ops", 8.0, ""),
    ("d0", "dev", "2", "a", "dev", "code", 10.0, ""),
    ("d1", "dev", "2", "b", "dev", "code", 12.0, ""),
    ("o0", "ops", "2", "rtb:ops", "ops", "ops", 8.0, ""),
    ("d0", "dev", "3", "b", "dev", "code", 6.0, ""),
    ("o0", "ops", "3", "rtb:ops", "ops", "ops", 8.0, ""),
]

TRACK_ACTUALS = """
    person,unit,period,work,skill,hours
    d0,dev,1,a,code,8
    d0,dev,1,rtb:dev,code,2
    d1,dev,1,rtb:dev,code,4
    d0,dev,2,a,code,12
    d1,dev,2,b,code,6
    external:code,,2,b,code,2
"""


def track_plan() -> Plan:
    """A plan written by hand for ``track``: see ``tests/analysis/test_tracking.py``."""
    sc = Scenario.model_validate(TRACK_SCENARIO)
    results = [InitiativeResult(id="a", name="a", selected=True, start="1", finish="2",
                                strategic_score=1, value=0, cost=0),
               InitiativeResult(id="b", name="b", selected=True, start="2", finish="3",
                                strategic_score=1, value=0, cost=0)]
    return Plan(scenario=sc, run=RunInfo(status="feasible", objective=0), initiatives=results,
                assignments=pd.DataFrame(TRACK_ROWS, columns=ASSIGNMENT_COLUMNS))
