"""Each constraint family writes the rows its docstring promises, checked by name on a
tiny scenario whose coefficients are worked out by hand.

The scenario: 4 index periods of 10 h; unit ``ops`` with two people who are both
``agent`` (proficiency 1) and ``analyst`` (0.5) and may give at most half their time
to change; unit ``it`` with one ``engineer``; a contractor pool of 0.5 FTE engineers at
100 an hour from period 2; RTB 6 h of ``agent`` (must) and 4 h (normal) every period;
initiative ``crm`` (2 periods, 40 h of ``it/engineer`` and 8 h of ``ops/analyst``, cost
1,000, sponsored by ``ops``) and ``lite`` (1 period, 5 h of ``it/engineer``), mutually
exclusive; ``portal`` depends on ``crm``; budget 5,000 and ``ops`` 2,000; max
utilisation 0.9.
"""

from __future__ import annotations

import math

import pytest
from support import scenario

from planner.formulation.build import build
from planner.formulation.model import LinearModel
from planner.formulation.variables import selectable
from planner.problem.data import compile_problem


def _scenario(**extra):
    base = dict(
        units=[{"id": "ops"}, {"id": "it"}],
        staff=[
            {"id": "a1", "unit": "ops", "skills": {"agent": 1, "analyst": 0.5},
             "max_change_share": 0.5},
            {"id": "a2", "unit": "ops", "skills": {"agent": 1, "analyst": 0.5},
             "max_change_share": 0.5},
            {"id": "e1", "unit": "it", "skills": ["engineer"]},
        ],
        run_the_business=[
            {"unit": "ops", "skill": "agent", "hours": 6, "priority": "must"},
            {"unit": "ops", "skill": "agent", "hours": 4, "priority": "normal"},
        ],
        external=[{"skill": "engineer", "max_fte": 0.5, "cost_per_hour": 100, "from": 2}],
        initiatives=[
            {"id": "crm", "sponsor": "ops", "contributes": {"grow": "strong"}, "duration": 2,
             "cost": 1000, "exclusive_with": ["lite"],
             "effort": [{"unit": "it", "skill": "engineer", "hours": 40},
                        {"unit": "ops", "skill": "analyst", "hours": 8}]},
            {"id": "lite", "contributes": {"grow": "low"},
             "effort": [{"unit": "it", "skill": "engineer", "hours": 5}]},
            {"id": "portal", "contributes": {"grow": 1}, "depends_on": ["crm"],
             "effort": [{"unit": "it", "skill": "engineer", "hours": 5}]},
        ],
        policy={"budget": 5000, "max_utilisation": 0.9},
    )
    base["units"][0]["budget"] = 2000
    base.update(extra)
    return scenario(**base)


@pytest.fixture(scope="module")
def model():
    data = compile_problem(_scenario())
    f = build(data)
    return data, f


def row(m: LinearModel, name: str) -> tuple[dict[str, float], float, float]:
    """The row called ``name`` as {column name: coefficient}, lower and upper bound."""
    a = m.arrays()
    r = m.row_of(name)
    assert r is not None, f"no row {name}"
    start, end = a.matrix.indptr[r], a.matrix.indptr[r + 1]
    coefs = {a.col_names[c]: float(v) for c, v in
             zip(a.matrix.indices[start:end], a.matrix.data[start:end], strict=True)}
    return coefs, float(a.row_lo[r]), float(a.row_hi[r])


def names(m: LinearModel, prefix: str) -> list[str]:
    return sorted(n for n in m.row_names if n.startswith(prefix))


# --------------------------------------------------------------------------- variables


def test_start_columns_only_where_a_start_is_possible(model):
    data, f = model
    cols = [n for n in f.model.col_names if n.startswith("x[")]
    # crm (2 periods) can start in 1..3, lite in 1..4, portal after crm: 3..4
    assert sorted(cols) == sorted(
        [f"x[crm,{t}]" for t in (1, 2, 3)] + [f"x[lite,{t}]" for t in (1, 2, 3, 4)]
        + [f"x[portal,{t}]" for t in (3, 4)]
    )
    assert all(f.model.col_int[f.model.col_names.index(c)] for c in cols)


def test_selectable_leaves_out_pinned_out_and_misaligned():
    sc = _scenario()
    sc.initiatives[1].pin = "out"
    sc.initiatives[2].contributes = {}
    data = compile_problem(sc)
    assert [data.initiatives[i].id for i in selectable(data)] == ["crm"]


# --------------------------------------------------------------------------- schedule


def test_choose_once_and_exclusivity(model):
    _data, f = model
    coefs, lo, hi = row(f.model, "choose[crm]")
    assert coefs == {"x[crm,1]": 1, "x[crm,2]": 1, "x[crm,3]": 1}
    assert (lo, hi) == (-math.inf, 1)
    coefs, lo, hi = row(f.model, "excl[crm|lite]")
    assert set(coefs) == {"x[crm,1]", "x[crm,2]", "x[crm,3]", "x[lite,1]", "x[lite,2]",
                          "x[lite,3]", "x[lite,4]"}
    assert hi == 1


def test_required_initiative_must_start_exactly_once():
    sc = _scenario()
    sc.initiatives[0].mandatory = True
    f = build(compile_problem(sc))
    _coefs, lo, hi = row(f.model, "choose[crm]")
    assert (lo, hi) == (1, 1)


def test_dependency_rows_per_start_period(model):
    _data, f = model
    # portal may have started by 3 only if crm started by 3 - 2 = 1
    coefs, _lo, hi = row(f.model, "dep[portal<crm,3]")
    assert coefs == {"x[portal,3]": 1, "x[crm,1]": -1} and hi == 0
    coefs, _lo, hi = row(f.model, "dep[portal<crm,4]")
    assert coefs == {"x[portal,3]": 1, "x[portal,4]": 1, "x[crm,1]": -1, "x[crm,2]": -1}


# --------------------------------------------------------------------------- people


def test_cohort_capacity_and_change_share(model):
    data, f = model
    ops = next(g for g in data.cohorts if g.unit == "ops")
    assert len(ops.members) == 2
    coefs, _lo, hi = row(f.model, f"cap[{ops.name},1]")
    # two people x 10 h x 0.9 utilisation
    assert hi == pytest.approx(18)
    assert all(v == 1 for v in coefs.values())
    assert {n.split("[")[0] for n in coefs} == {"r", "c"}
    _coefs, _lo, hi = row(f.model, f"chg[{ops.name},1]")
    assert hi == pytest.approx(10)  # half of 2 x 10 h, below the 18 h cap


def test_rtb_cover_counts_proficiency_and_allows_only_soft_shortfall(model):
    data, f = model
    ops = next(g for g in data.cohorts if g.unit == "ops")
    coefs, lo, hi = row(f.model, "rtb[ops,agent,1]")
    assert lo == hi == 10  # 6 must + 4 normal
    assert coefs[f"r[{ops.name},agent,1]"] == 1
    assert coefs["short[ops,agent,1,normal]"] == 1
    col = f.model.col_names.index("short[ops,agent,1,normal]")
    assert f.model.col_ub[col] == 4  # never more than the normal demand: must is covered
    assert not any(n.startswith("short[ops,agent,1,must") for n in f.model.col_names)


def test_change_cover_spreads_effort_evenly_and_counts_contractors(model):
    data, f = model
    coefs, lo, hi = row(f.model, "staff[it,engineer,2]")
    assert lo == hi == 0
    # crm started in 1 or 2 is active in 2 and needs 40 / 2 = 20 h a period; lite 5 h
    assert coefs["x[crm,1]"] == coefs["x[crm,2]"] == -20
    assert coefs["x[lite,2]"] == -5
    assert "x[crm,3]" not in coefs
    assert coefs["ec[engineer,it,2]"] == 1
    ops = next(g for g in data.cohorts if g.unit == "ops")
    coefs, _lo, _hi = row(f.model, "staff[ops,analyst,2]")
    assert coefs[f"c[{ops.name},analyst,2]"] == 0.5  # proficiency
    assert coefs["x[crm,1]"] == -4


def test_external_capacity_from_its_first_period(model):
    _data, f = model
    assert not any(n.startswith("ext[engineer,1]") for n in f.model.row_names)
    coefs, _lo, hi = row(f.model, "ext[engineer,2]")
    assert hi == pytest.approx(0.5 * 10)
    assert set(coefs) == {"ec[engineer,it,2]"}


def test_budgets_count_cost_and_contractor_money(model):
    _data, f = model
    coefs, _lo, hi = row(f.model, "budget")
    assert hi == 5000
    assert coefs["x[crm,1]"] == 1000 and "x[lite,1]" not in coefs
    assert coefs["ec[engineer,it,3]"] == 100
    coefs, _lo, hi = row(f.model, "budget[ops]")
    # ops sponsors crm; contractors here work for it, not for ops
    assert hi == 2000 and set(coefs) == {"x[crm,1]", "x[crm,2]", "x[crm,3]"}


def test_borrowing_pools_balance_lent_and_borrowed():
    sc = _scenario(policy={"budget": 5000, "max_utilisation": 0.9, "borrowing": True})
    for p in sc.staff[:2]:
        p.skills["engineer"] = 0.5  # ops people can help it's engineers, at half speed
    data = compile_problem(sc)
    f = build(data)
    ops = next(g for g in data.cohorts if g.unit == "ops")
    coefs, lo, hi = row(f.model, "pool_chg[engineer,2]")
    assert lo == hi == 0
    assert coefs == {f"lc[{ops.name},engineer,2]": 0.5, "bc[it,engineer,2]": -1}
    # the borrowed hours count in it's change cover like its own
    coefs, _lo, _hi = row(f.model, "staff[it,engineer,2]")
    assert coefs["bc[it,engineer,2]"] == 1
    # lending is change work of the lender: inside its change share
    coefs, _lo, _hi = row(f.model, f"chg[{ops.name},2]")
    assert f"lc[{ops.name},engineer,2]" in coefs


# --------------------------------------------------------------------------- objective


def test_objective_weights_earliness_penalties(model):
    data, f = model
    a = f.model.arrays()
    obj = dict(zip(a.col_names, a.obj, strict=True))
    w = data.by_id["crm"].weight  # strong = 0.75 x weight 1
    assert w == pytest.approx(0.75)
    # finishing in period 2 (of 4): 1 + 0.1 x (4 - 1 - 1) / 4 = 1.05
    assert obj["x[crm,1]"] == pytest.approx(w * 1.05, rel=1e-6)
    assert obj["x[crm,1]"] > obj["x[crm,2]"] > obj["x[crm,3]"]
    assert obj["short[ops,agent,1,normal]"] == pytest.approx(-data.penalty_normal)
    assert obj["ec[engineer,it,2]"] == pytest.approx(-data.money_weight * 100)
