"""Rule ``development``: development.csv agrees with the scenario's wishes and the assignments.

When ``development.csv`` is present: one row per wish (person, skill), hours wished as
the scenario says (a list entry gets ``default_hours``), hours planned = the person's
hours on that skill in ``assignments.csv``, ``met`` true exactly when they reach the
hours wished, and the work listed = the work of those hours. Without the file (e.g. an
xlsx-only export) a note says development was not checked.
"""

from __future__ import annotations

import pandas as pd

from planner.checker.context import Context
from planner.checker.read import read_table
from planner.checker.report import HOURS_ABS, HOURS_REL, htol

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def check_development(ctx: Context, a: pd.DataFrame) -> None:
    """Rule 15: development.csv agrees with the scenario's wishes and the assignments."""
    wishes = {
        (p.id, k): float(ctx.sc.policy.development.default_hours if h is None else h)
        for p in ctx.staff() for k, h in p.develop.items()
    }
    if not wishes:
        return
    if not (ctx.dir / "development.csv").is_file():
        ctx.report.notes.append("development.csv not written: development not checked")
        return
    d = read_table(ctx, "development.csv", ("person", "skill", "hours_wished", "hours_planned",
                                      "met", "work"))
    if d is None:
        return
    st = a[~a["ext"] & (a["hours"] > 0)]
    got = st.groupby(["person", "skill"], sort=False)["hours"].agg(["sum", "size"])
    works = st.groupby(["person", "skill"], sort=False)["work"].agg(lambda w: set(w))
    seen: set[tuple[str, str]] = set()
    for row in d.to_dict("records"):
        key = (row["person"], row["skill"])
        item = f"{key[0]}/{key[1]}"
        if key not in wishes:
            ctx.add("development", item, None, "development.csv lists a wish the "
                     "scenario does not have", 1)
            continue
        if key in seen:
            ctx.add("development", item, None, "listed twice in development.csv", 1)
            continue
        seen.add(key)
        want = wishes[key]
        try:
            wished, planned = float(row["hours_wished"]), float(row["hours_planned"])
        except ValueError:
            ctx.add("development", item, None, "hours are not numbers", 1)
            continue
        if abs(wished - want) > HOURS_ABS + HOURS_REL * want:
            ctx.add("development", item, None,
                     f"hours_wished {wished:.2f}, the scenario wishes {want:.2f}",
                     abs(wished - want))
        total, rows = (float(got.loc[key, "sum"]), int(got.loc[key, "size"])) \
            if key in got.index else (0.0, 0)
        if abs(planned - total) > htol(total, rows):
            ctx.add("development", item, None,
                     f"hours_planned {planned:.2f}, assignments give {total:.2f} h in "
                     "the skill", abs(planned - total))
        tol = htol(want, rows)
        flag = str(row["met"]).strip().lower()
        allowed = _TRUE | _FALSE if abs(total - want) <= tol else (
            _TRUE if total > want else _FALSE)
        if flag not in allowed:
            ctx.add("development", item, None,
                     f"met is '{row['met']}' but {total:.2f} of {want:.2f} h are planned", 1)
        listed = {w.split(" (")[0].strip() for w in str(row["work"]).split(";")
                  if w.strip()}
        actual = works.loc[key] if key in works.index else set()
        if listed != actual:
            ctx.add("development", item, None,
                     f"work lists {', '.join(sorted(listed)) or 'nothing'}, assignments "
                     f"give {', '.join(sorted(actual)) or 'nothing'}",
                     len(listed ^ actual))
    for key in sorted(set(wishes) - seen):
        ctx.add("development", f"{key[0]}/{key[1]}", None,
                 "wish missing from development.csv", 1)
