"""Assignments: hours per person, period and piece of work (contract file ``assignments.csv``)."""

from __future__ import annotations

import pandas as pd

from models.plan import ASSIGNMENT_COLUMNS, Plan
from planner.views._common import facts


def assignments(plan: Plan) -> pd.DataFrame:
    """The plan's assignments plus ``delivered`` (hours x proficiency, contractors 1.0).

    ``person`` is a staff id or ``external:<skill>``; ``unit`` the person's own
    unit (empty for contractors); ``work`` an initiative id or ``rtb:<unit>``;
    ``for_unit`` the unit whose demand the hours serve; ``contract`` the
    external pool id (empty for staff).
    """
    a = facts(plan).assignments
    out = a[ASSIGNMENT_COLUMNS].copy()
    out["delivered"] = a["delivered"].round(4)
    return out.reset_index(drop=True)
