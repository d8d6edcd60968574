"""Plan views: numbers checked by hand on tiny scenarios."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from models.scenario import Scenario
from planner.io.load import load_scenario
from planner.problem.calendar import Calendar
from planner.solving import Settings, solve
from planner.views import VIEWS, all_views
from planner.views._money import allocate_cents
from planner.views.conflicts import own_capacity, unconstrained_demand

# Two units, three people, two initiatives. By hand:
# * dev in unit a: p1 gives 100 delivered hours a period; p2 is busy on ops RTB (100 h).
# * x needs 100 dev/period for 2 periods and y 60 dev in 1 period: they cannot overlap,
#   and x (score 3.5) first beats y first, so x runs in 1-2 and y in 3.
# * At their earliest starts a/dev in period 1 wants 160 > 100 + 0.5 x 100 = 150: the
#   one conflict, resolved by deferring y from 1 to 3.
TINY = {
    "name": "tiny",
    "horizon": {"periods": 3, "period": "index", "hours_per_fte": 100},
    "strategy": {
        "objectives": [{"id": "growth", "weight": 4}, {"id": "cost", "weight": 2}],
        "kpis": [
            {"id": "rev", "objective": "growth", "baseline": 10, "target": 12, "unit": "a"},
            {"id": "spendk", "objective": "cost", "baseline": 5, "target": 3},
        ],
    },
    "units": [{"id": "a", "budget": 10000}, {"id": "b"}],
    "staff": [
        {"id": "p1", "unit": "a", "skills": {"dev": 1}, "cost_per_hour": 50, "develop": ["qa"]},
        {"id": "p2", "unit": "a", "skills": {"dev": 0.5, "ops": 1}, "cost_per_hour": 40,
         "develop": ["qa"]},
        {"id": "p3", "unit": "b", "skills": {"qa": 1}, "cost_per_hour": 30},
    ],
    "run_the_business": [{"unit": "a", "skill": "ops", "hours": 100, "priority": "high"}],
    "initiatives": [
        {"id": "x", "sponsor": "a", "contributes": {"growth": "strong", "cost": "low"},
         "kpi_impacts": {"rev": 1}, "cost": 1000, "duration": 2, "value": 5000,
         "effort": [{"unit": "a", "skill": "dev", "hours": 200},
                    {"unit": "b", "skill": "qa", "hours": 60}]},
        {"id": "y", "sponsor": "b", "contributes": {"cost": "moderate"},
         "kpi_impacts": {"spendk": -2}, "cost": 500, "duration": 1,
         "effort": [{"unit": "a", "skill": "dev", "hours": 60}]},
    ],
    "policy": {"budget": 5000},
}

# Unit a cannot cover its RTB alone: it borrows from b and hires contractors; z never fits.
SQUEEZE = {
    "name": "squeeze",
    "horizon": {"periods": 2, "period": "index", "hours_per_fte": 100},
    "strategy": {"objectives": [{"id": "g", "weight": 1}]},
    "units": [{"id": "a"}, {"id": "b"}],
    "staff": [
        {"id": "p1", "unit": "a", "skills": ["dev"], "cost_per_hour": 10},
        {"id": "p2", "unit": "b", "skills": ["dev"], "cost_per_hour": 20},
    ],
    "run_the_business": [
        {"unit": "a", "skill": "dev", "hours": 150, "priority": "high"},
        {"unit": "b", "skill": "dev", "hours": 70, "priority": "normal"},
    ],
    "initiatives": [
        {"id": "z", "contributes": {"g": "strong"}, "duration": 1,
         "effort": [{"unit": "a", "skill": "dev", "hours": 500}]},
    ],
    "external": [{"skill": "dev", "max_fte": 0.2, "cost_per_hour": 100}],
    "policy": {"borrowing": True},
}


@pytest.fixture(scope="module")
def tiny():
    return solve(Scenario.model_validate(TINY), Settings(time_limit=20))


@pytest.fixture(scope="module")
def squeeze():
    return solve(Scenario.model_validate(SQUEEZE), Settings(time_limit=20))


@pytest.fixture(scope="module")
def firm():
    return solve(load_scenario("scenarios/services_firm.yaml"), Settings(time_limit=30))


def _row(df, **keys):
    mask = True
    for k, v in keys.items():
        mask = mask & (df[k] == v)
    sub = df[mask]
    assert len(sub) == 1, f"{keys}: {len(sub)} rows"
    return sub.iloc[0]


def test_registry_order_and_frames(tiny):
    assert list(VIEWS)[:5] == ["summary", "portfolio", "change_plan", "kpi_path", "workload"]
    frames = all_views(tiny)
    assert list(frames) == list(VIEWS)
    for name, df in frames.items():
        assert df.columns.is_unique, name


def test_portfolio(tiny):
    df = VIEWS["portfolio"](tiny)
    x, y = _row(df, initiative="x"), _row(df, initiative="y")
    assert (x.selected, x.start, x.finish, x.strategic_score) == (True, "1", "2", 3.5)
    assert (y.selected, y.start, y.finish, y.strategic_score) == (True, "3", "3", 1.0)
    assert x.labour_hours == 260 and y.labour_hours == 60
    assert list(df.columns[:10]) == ["initiative", "name", "selected", "start", "finish",
                                     "strategic_score", "value", "cost", "labour_hours", "reason"]


def test_change_plan_order_and_objectives(tiny):
    df = VIEWS["change_plan"](tiny)
    assert list(df["initiative"]) == ["x", "y"]
    assert list(df["order"]) == [1, 2]
    assert _row(df, initiative="x").objectives == "growth; cost"
    assert _row(df, initiative="x").kpis == "rev; spendk"


def test_kpi_path(tiny):
    df = VIEWS["kpi_path"](tiny).set_index("kpi")
    # x finishes in period 2: its +1 on rev counts at the end of period 2 (the contract)
    assert [df.loc["rev", p] for p in ("1", "2", "3")] == [10, 11, 11]
    assert (df.loc["rev", "forecast"], df.loc["rev", "gap"], df.loc["rev", "met"]) == (11, 1, False)
    assert (df.loc["rev", "direction"], df.loc["rev", "by"]) == ("up", "3")
    # y finishes in the last period: spendk falls 5 -> 3, a falling target met exactly (gap 0)
    assert [df.loc["spendk", p] for p in ("1", "2", "3")] == [5, 5, 3]
    assert (df.loc["spendk", "direction"], df.loc["spendk", "gap"], df.loc["spendk", "met"]) == (
        "down", 0, True)


def test_workload(tiny):
    w = VIEWS["workload"](tiny)
    dev1 = _row(w, unit="a", skill="dev", period="1")
    # p1 (dev) + p2 (dev, ops) counted under dev: shared capacity
    assert (dev1.capacity, dev1.capacity_shared) == (200, True)
    assert (dev1.change_demand, dev1.change_planned, dev1.planned_hours) == (100, 100, 100)
    assert dev1.utilisation == 0.5
    dev3 = _row(w, unit="a", skill="dev", period="3")
    assert (dev3.change_demand, dev3.change_planned) == (60, 60)
    ops = _row(w, unit="a", skill="ops", period="2")
    assert (ops.rtb_demand, ops.rtb_planned, ops.rtb_short, ops.capacity) == (100, 100, 0, 100)
    qa = _row(w, unit="b", skill="qa", period="1")
    assert (qa.change_demand, qa.change_planned, qa.capacity_shared) == (30, 30, False)
    # own + borrowed + external = delivered RTB + change, on every row
    lhs = w["own"] + w["borrowed"] + w["external"]
    assert ((lhs - w["rtb_planned"] - w["change_planned"]).abs() < 1e-3).all()


def test_unit_plans_and_individuals(tiny):
    up = VIEWS["unit_plans"](tiny)
    a1 = _row(up, unit="a", period="1")
    assert (a1.capacity, a1.planned_hours, a1.utilisation) == (200, 200, 1.0)
    assert (a1.rtb_hours, a1.change_own_hours, a1.change_other_hours) == (100, 100, 0)
    b1 = _row(up, unit="b", period="1")
    assert (b1.change_own_hours, b1.change_other_hours) == (0, 30)  # x is a's initiative
    a3 = _row(up, unit="a", period="3")
    assert (a3.change_own_hours, a3.change_other_hours) == (0, 60)  # y is b's

    ip = VIEWS["individual_plans"](tiny)
    assert len(ip) == 3 * 3
    p1 = _row(ip, person="p1", period="1")
    assert (p1.change_hours, p1.rtb_hours, p1.utilisation, p1.work) == (100, 0, 1.0, "x 100")
    assert p1.objectives == "growth; cost"
    p2 = _row(ip, person="p2", period="2")
    assert (p2.rtb_hours, p2.work) == (100, "rtb:a 100")


def test_unit_summary(tiny):
    us = VIEWS["unit_summary"](tiny).set_index("unit")
    assert us.loc["a", "vital_few"] == "x; y"  # sponsors x, its people work on y
    assert us.loc["b", "vital_few"] == "y; x"
    # a owns rev and does all of x's dev work (200 of 260 delivered hours): 200/260 of +1
    assert "rev 10->12 by 3: plan 11 (ours +0.7692)" in us.loc["a", "kpi_targets"]
    assert us.loc["a", "budget"] == 10000 and us.loc["a", "incremental_spend"] == 1000
    assert us.loc["b", "incremental_spend"] == 500


def test_development(tiny):
    d = VIEWS["development"](tiny).set_index("person")
    # p1 and p2 (unit a) wish qa (40 h by default); qa work exists only in unit b and
    # borrowing is off, so neither can practise it
    assert list(d.index) == ["p1", "p2"]
    assert (d["hours_wished"] == 40).all() and (d["hours_planned"] == 0).all()
    assert not d["met"].any() and (d["cause"] == "borrowing_off").all()
    assert d.loc["p1", "reason"] == (
        "no work of skill qa in the plan in unit a, and borrowing is not allowed "
        "(unit b has some)")
    assert d.loc["p1", "proficiency"] == 0.5 and d.loc["p1", "mentor"] == ""


def test_finance_by_hand(tiny):
    fin = VIEWS["finance"](tiny)
    s = VIEWS["summary"](tiny).set_index("metric")["value"]
    # p1: 260 h x 50; p2: 300 h RTB x 40; p3: 60 h x 30
    assert s["internal_labour_cost"] == 13000 + 12000 + 1800
    assert s["initiative_cost"] == 1500 and s["external_cost"] == 0
    assert s["incremental_spend"] == 1500 and s["budget_remaining"] == 3500
    # x's cost is split 6/7 growth, 1/7 cost; every piece sums back to the cent
    nl = fin[(fin.category == "non_labour") & (fin.initiative == "x")]
    assert _cents(nl.amount) == 100000
    assert _cents(nl[nl.objective == "growth"].amount) == pytest.approx(85714, abs=1)
    rtb = fin[fin.work == "rtb:a"]
    assert (rtb.objective == "").all() and _cents(rtb.amount) == 1200000
    b = VIEWS["budget"](tiny).set_index("unit")
    assert b.loc["a", "incremental_spend"] == 1000 and b.loc["a", "remaining"] == 9000
    ic = VIEWS["initiative_costs"](tiny).set_index("initiative")
    assert ic.loc["x", "total_cost"] == 1000 + 200 * 50 + 60 * 30
    assert ic.loc["x", "cost_per_point"] == round(12800 / 3.5, 2)


def _cents(values) -> int:
    return int(sum(Decimal(str(v)) * 100 for v in values))


@pytest.mark.parametrize("which", ["tiny", "squeeze", "firm"])
def test_finance_sums_exactly_to_summary(which, request):
    plan = request.getfixturevalue(which)
    fin = VIEWS["finance"](plan)
    s = VIEWS["summary"](plan).set_index("metric")["value"]
    for cat, metric in (("internal_labour", "internal_labour_cost"),
                        ("external", "external_cost"), ("non_labour", "initiative_cost")):
        assert _cents(fin.loc[fin.category == cat, "amount"]) == _cents([s[metric]])
    assert _cents(fin.amount) == _cents([s["total_cost"]])
    for v in fin.amount:
        assert Decimal(str(v)) == Decimal(str(v)).quantize(Decimal("0.01"))
    # per initiative, non-labour cost adds up to the portfolio's cost
    port = VIEWS["portfolio"](plan).set_index("initiative")
    nl = fin[fin.category == "non_labour"].groupby("initiative")["amount"]
    for iid, amounts in nl:
        assert _cents(amounts) == _cents([port.loc[iid, "cost"]])
    # budget and initiative_costs are the same cents
    b = VIEWS["budget"](plan)
    assert _cents(b[b.scope == "unit"].incremental_spend) == _cents([s["incremental_spend"]])
    ic = VIEWS["initiative_costs"](plan)
    chg = fin[fin.initiative != ""]
    assert _cents(ic.total_cost) == _cents(chg.amount)


def test_allocate_cents_largest_remainder():
    assert allocate_cents([1 / 3] * 3) == [33, 33, 34] or sum(allocate_cents([1 / 3] * 3)) == 100
    assert sum(allocate_cents([0.005] * 7)) == round(0.035 * 100)
    assert allocate_cents([]) == []


def test_conflicts_tiny(tiny):
    c = VIEWS["conflicts"](tiny)
    assert len(c) == 1
    r = c.iloc[0]
    assert (r.unit, r.skill, r.period, r.demand, r.capacity) == ("a", "dev", "1", 160, 150)
    assert (r.resolution, r.initiative, r.detail, r.hours) == ("deferred", "y", "from 1 to 3", 60)


def test_conflicts_squeeze(squeeze):
    c = VIEWS["conflicts"](squeeze)
    assert set(c.period) == {"1", "2"}
    assert (c.unit == "a").all()
    p1 = c[c.period == "1"]
    assert ("left out", "z") in set(zip(p1.resolution, p1.initiative, strict=True))
    # period 2: RTB 150 against p1's 100: the other 50 came from b, contractors or shortfall
    p2 = c[c.period == "2"]
    assert set(p2.resolution) <= {"borrowed", "contractors", "rtb shortfall"}
    assert p2.hours.sum() == pytest.approx(50, abs=1e-3)
    assert set(p2.loc[p2.resolution == "borrowed", "from_unit"]) <= {"b"}
    # b can spare 30 h, contractors give 0.2 FTE = 20 h
    assert sorted(zip(p2.resolution, p2.hours, strict=True)) == [("borrowed", 30),
                                                                 ("contractors", 20)]


def _independent_excess(scenario: Scenario) -> dict[tuple[str, str, str], float]:
    """RTB demand minus own capacity per unit, skill and period, from the scenario alone."""
    cal = Calendar(scenario.horizon)
    T = len(cal)
    demand: dict = {}
    for ln in scenario.run_the_business:
        hrs = ln.hours if isinstance(ln.hours, list) else [ln.hours] * T
        for t in range(T):
            demand[(ln.unit, ln.skill, t)] = demand.get((ln.unit, ln.skill, t), 0) + hrs[t]
    cap: dict = {}
    for p in scenario.staff:
        for t in range(T):
            a = p.availability.get(cal.labels[t], 1.0)
            for sk, q in p.skills.items():
                hrs = cal.hours_per_fte * p.fte * a * scenario.policy.max_utilisation * q
                cap[(p.unit, sk, t)] = cap.get((p.unit, sk, t), 0) + hrs
    return {(u, s, cal.labels[t]): d - cap.get((u, s, t), 0) for (u, s, t), d in demand.items()}


@pytest.mark.parametrize("which", ["tiny", "squeeze", "firm"])
def test_every_conflict_is_real(which, request):
    plan = request.getfixturevalue(which)
    c = VIEWS["conflicts"](plan)
    demand = unconstrained_demand(plan)
    cap = own_capacity(plan)
    labels = {label: t for t, label in enumerate(Calendar(plan.scenario.horizon).labels)}
    rtb_excess = _independent_excess(plan.scenario)
    for r in c.itertuples():
        key = (r.unit, r.skill, labels[r.period])
        assert demand[key] > cap.get(key, 0.0) + 1e-3
        assert r.demand - r.capacity == pytest.approx(r.excess, abs=1e-3) and r.excess > 0
        assert r.hours > 0 and r.resolution != "unresolved"
        if r.resolution in ("deferred", "left out"):
            ini = next(i for i in plan.scenario.initiatives if i.id == r.initiative)
            assert any((ln.unit, ln.skill) == (r.unit, r.skill) for ln in ini.effort)
            assert r.initiative not in plan.selected or plan.initiative(r.initiative).start != \
                r.period
    # RTB alone above capacity is always listed
    listed = set(zip(c.unit, c.skill, c.period, strict=True))
    for key, excess in rtb_excess.items():
        if excess > 1e-3:
            assert key in listed


def test_summary_metrics(tiny, squeeze):
    s = VIEWS["summary"](tiny).set_index("metric")["value"]
    assert s["status"] == "optimal" and s["initiatives_chosen"] == 2
    assert s["strategic_score"] == 4.5 and s["value"] == 5000
    assert s["utilisation[a]"] == round(560 / 600, 4) and s["rtb_short_high"] == 0
    q = VIEWS["summary"](squeeze).set_index("metric")["value"]
    assert (q["external_hours"], q["external_cost"], q["borrowed_hours"]) == (40, 4000, 60)
    assert q["internal_labour_cost"] == 200 * 10 + 200 * 20


def test_views_on_the_example(firm):
    frames = all_views(firm)
    w = frames["workload"]
    assert not w[["unit", "skill", "period"]].duplicated().any()
    assert (w["utilisation"].dropna() <= 1 + 1e-6).all()
    ip = frames["individual_plans"]
    assert len(ip) == len(firm.scenario.staff) * firm.scenario.horizon.periods
    assert (ip["total_hours"] <= ip["capacity"] + 1e-3).all()
    assert not math.isnan(frames["summary"].set_index("metric").loc["objective", "value"])


def test_empty_plan_gives_empty_frames():
    import pandas as pd

    from models.plan import ASSIGNMENT_COLUMNS, Plan, RunInfo

    s = Scenario.model_validate({"name": "e", "horizon": {"periods": 2, "period": "index"}})
    empty = pd.DataFrame(columns=ASSIGNMENT_COLUMNS).astype({"hours": float})
    plan = Plan(scenario=s, run=RunInfo(status="optimal", objective=0.0), initiatives=[],
                assignments=empty)
    frames = all_views(plan)
    assert frames["portfolio"].empty and frames["workload"].empty
    b = frames["budget"]
    assert list(b.scope) == ["total"] and b.incremental_spend.iloc[0] == 0


def test_every_initiative_view_shows_the_review_status(tiny):
    # issue 14: "every view shows it" -- approve x and reject nothing else
    sc = tiny.scenario.model_copy(deep=True)
    sc.initiatives[0].status = "approved"
    plan = solve(sc, Settings(time_limit=20))
    want = {i.id: i.status for i in sc.initiatives}
    assert want[sc.initiatives[0].id] == "approved"
    from planner.views.roadmap import roadmap

    frames = {**all_views(plan), "roadmap": roadmap(plan)}
    for name in ("portfolio", "change_plan", "initiative_costs", "roadmap"):
        df = frames[name]
        assert len(df) > 0, name
        got = dict(zip(df["initiative"], df["review_status"], strict=True))
        assert got == {k: want[k] for k in got}, name
