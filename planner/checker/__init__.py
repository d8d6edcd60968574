"""Independent plan checker: verify a written plan folder against its scenario.

``check_plan(scenario, plan_dir)`` re-reads ``portfolio.csv`` and
``assignments.csv`` and checks every hard rule of the scenario format from the
scenario alone. It deliberately imports nothing from the formulation, the
backends, the solve or the cohorts: it exists to catch their bugs.

Rules (the ``rule`` name of each violation)
-------------------------------------------
``file``
    a plan file is missing, unreadable or lacks a required column.
``portfolio``
    every initiative listed exactly once, no unknown ids, ``selected`` is
    true/false, no start/finish on an initiative left out.
``mandatory``, ``pin``, ``start``
    mandatory, committed or pinned-in initiatives are selected; pinned-out,
    rejected ones (and proposed ones under ``policy.plan_from: approved``) are
    not; a fixed ``start`` is kept.
``schedule``, ``earliest_start``, ``deadline``
    start and finish are horizon labels, finish = start + duration - 1 inside
    the horizon, start not before ``earliest_start``, finish not after
    ``deadline`` (amount: periods off).
``dependency``, ``exclusive``, ``misaligned``
    prerequisites selected and finished before the dependant starts; at most
    one of an exclusive pair; a misaligned initiative only when mandatory (or
    pinned in, which the user asked for explicitly), or a prerequisite of one.
``staffing``
    each effort line (lines with the same unit and skill merged) gets
    ``hours / duration`` delivered in every active period; delivered =
    person hours x proficiency (externals deliver 1 per hour).
``work``
    no hours on unknown or unselected initiatives, outside the active periods,
    on a (unit, skill) that is not an effort line, on periods outside the
    horizon, or on ``rtb:<u>`` for another unit or an unknown unit.
``person``, ``hours``, ``capacity``, ``change_share``, ``borrowing``
    known staff, own unit, own skills (or a skill the person wishes to develop,
    which delivers ``policy.development.learner_proficiency`` per hour when they
    do not have it); hours finite and >= 0; per person and
    period total <= max_utilisation x capacity and change hours <=
    max_change_share x capacity (capacity = hours_per_fte x fte x
    availability); work for another unit only when borrowing is allowed.
``rtb``
    ``must`` demand of each unit, skill and period is covered by the hours
    delivered on ``rtb:<unit>`` (which cover must first, then high, then
    normal). High and normal shortfalls are reported in ``notes`` only.
``external``, ``external_capacity``
    contract known, of the row's skill, used from its ``from`` period, and at
    most ``max_fte x hours_per_fte`` hours per period.
``budget``, ``unit_budget``
    initiative cost + contractor cost within ``policy.budget``; cost of the
    initiatives a unit sponsors + contractor cost of hours serving it within
    the unit's ``budget``.
``kpi_target``, ``kpi_path``
    ``must_meet`` KPI targets are reached by ``by``, and ``kpi_path.csv`` agrees
    with the forecast recomputed from the portfolio (:mod:`planner.checker.kpi`).
Several years (issue 15)
    per-year budgets of the policy and units (:mod:`planner.checker.years`); phased
    initiatives staffed phase by phase and dependencies on a phase
    (:mod:`planner.checker.phases`); yearly ``must_meet`` targets (``checker.kpi``).
``development``
    when ``development.csv`` is present: one row per wish (person, skill), hours
    wished as the scenario says (a list entry gets ``default_hours``), hours
    planned = the person's hours on that skill in ``assignments.csv``, ``met``
    true exactly when they reach the hours wished, and the work listed = the
    work of those hours. Without the file (e.g. an xlsx-only export) a note says
    development was not checked.

``plan_json``, ``objective``
    ``plan.json`` parses, its run is honest (status ``optimal`` or ``feasible``,
    a finite objective not above its bound, an optimal plan's gap at most 1e-6),
    it holds the plan the CSV files show, and its objective equals the objective
    recomputed from the scenario's policy and the written plan
    (:mod:`planner.checker.plan_json`, :mod:`planner.checker.objective`; NPV by start
    and discounting: :mod:`planner.checker.objective_money`).
``view``
    every view file present (workload, unit and individual plans, portfolio
    labour hours, summary, finance, long-term plan) agrees with the assignments
    (:mod:`planner.checker.views`, :mod:`planner.checker.views_years`).
``as_of`` and the rules of :mod:`planner.checker.asof`
    for a plan re-planned as of a period.

Modules: :mod:`~planner.checker.read` (files), :mod:`~planner.checker.portfolio`,
:mod:`~planner.checker.people`, :mod:`~planner.checker.rtb`,
:mod:`~planner.checker.money`, :mod:`~planner.checker.development`,
:mod:`~planner.checker.kpi`, :mod:`~planner.checker.plan_json`,
:mod:`~planner.checker.objective`, :mod:`~planner.checker.objective_money`,
:mod:`~planner.checker.views`, :mod:`~planner.checker.views_years`,
:mod:`~planner.checker.asof`; the report and its tolerances in
:mod:`~planner.checker.report`.

Tolerances: see :mod:`planner.checker.report`.
"""

from __future__ import annotations

from pathlib import Path

from models.plan import ASSIGNMENT_COLUMNS
from models.scenario import Scenario
from planner.checker.asof import check_as_of
from planner.checker.context import EXTERNAL_PREFIX, RTB_PREFIX, Context
from planner.checker.development import check_development
from planner.checker.kpi import check_kpis
from planner.checker.money import check_budgets, check_externals
from planner.checker.people import check_people, check_staffing, check_work, prepare
from planner.checker.phases import check_phase_dependencies, check_phases
from planner.checker.plan_json import check_agreement, check_objective, check_run
from planner.checker.portfolio import check_choice, check_dependencies, check_portfolio
from planner.checker.read import read_json, read_table
from planner.checker.report import (
    HOURS_ABS,
    HOURS_REL,
    HOURS_ROW,
    MONEY_ABS,
    MONEY_HOURS,
    MONEY_REL,
    CheckReport,
    Violation,
)
from planner.checker.rtb import check_rtb
from planner.checker.views import check_views
from planner.checker.years import check_year_budgets
from planner.io.files import ReadOptions

__all__ = [
    "ASSIGNMENT_COLUMNS", "EXTERNAL_PREFIX", "HOURS_ABS", "HOURS_REL", "HOURS_ROW", "MONEY_ABS",
    "MONEY_HOURS", "MONEY_REL", "PORTFOLIO_COLUMNS", "RTB_PREFIX", "CheckReport", "Violation",
    "check_plan",
]

PORTFOLIO_COLUMNS = ("initiative", "selected", "start", "finish")


def check_plan(scenario: Scenario, plan_dir: Path | str,
               options: ReadOptions | None = None) -> CheckReport:
    """Check the plan written in ``plan_dir`` against ``scenario``.

    Missing or malformed files are reported as ``file`` violations, never raised.
    Files are read only when regular and within ``options``' size limit.
    """
    ctx = Context(scenario, Path(plan_dir), options or ReadOptions.from_env())
    data = read_json(ctx, "plan.json")
    run = check_run(ctx, data) if data is not None else None
    pf = read_table(ctx, "portfolio.csv", PORTFOLIO_COLUMNS)
    if pf is not None:
        check_portfolio(ctx, pf)
        check_choice(ctx)
        check_dependencies(ctx)
        finish = {i: w[1] for i, w in ctx.window.items()}
        check_kpis(ctx.sc, ctx.cal, finish, ctx.dir, ctx.add, ctx.report.notes)
        check_phase_dependencies(ctx.sc, ctx.cal, ctx.selected, ctx.window, ctx.add)
    a = read_table(ctx, "assignments.csv", ASSIGNMENT_COLUMNS)
    if a is not None:
        a = prepare(ctx, a)
        if pf is not None:
            check_staffing(ctx, a)
            check_work(ctx, a)
        check_people(ctx, a)
        check_rtb(ctx, a)
        check_externals(ctx, a)
        if pf is not None:
            check_budgets(ctx, a)
            check_phases(ctx.sc, ctx.cal, ctx.window, a, ctx.add)
            check_year_budgets(ctx.sc, ctx.cal, ctx.window, a, ctx.add)
            as_of = data.get("replan") if data is not None else None
            if as_of:
                # the objective of a re-plan as of a period is that of the periods left,
                # with their remaining effort (planner.solving.replan): not recomputed here
                ctx.report.notes.append("re-planned as of a period: its objective and change "
                                        "demand are not recomputed (the as-of rules apply)")
            elif run is not None:
                check_objective(ctx, run, a)
            check_views(ctx, a, pf, run, as_of=bool(as_of))
        check_development(ctx, a)
    if data is not None:
        check_agreement(ctx, data, pf, a)
    # a re-plan as of a period only (its own rules read the plan's as-of record)
    check_as_of(ctx.sc, ctx.cal, ctx.dir, ctx.report, pf, a, ctx.add)
    return ctx.report
