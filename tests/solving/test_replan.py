"""Re-planning as of a period, end to end: the written plan keeps the past exactly,
carries the started initiatives on, plans the rest and passes ``planner check``.

Small cases use the year of :mod:`asof_cases` (figures in its docstring); the issue's
acceptance case re-plans the services firm as of 2027-04 after a budget cut.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from asof_cases import small, write_csv
from click.testing import CliRunner
from support import solve_checked

from planner import api
from planner.checker import check_plan
from planner.cli import main

FIRM = str(Path(__file__).resolve().parents[2] / "scenarios" / "services_firm.yaml")
PAST = ("2027-01", "2027-02", "2027-03")


@pytest.fixture(scope="module")
def base():
    return solve_checked(small(), time_limit=10)


def replan(sc, base, tmp_path, **kw):
    """Re-plan as of period 3, write it, check it; return the result and the folder."""
    result = api.solve(sc, baseline=base, as_of="3", time_limit=10, **kw)
    assert result.plan is not None, result.message
    out = result.write(tmp_path / "plan")
    report = check_plan(sc, out)
    assert report.ok, report.to_text()
    return result, out


def test_overrun_actuals_lower_the_remaining_effort_and_the_budget_binds(base, tmp_path):
    act = write_csv(tmp_path / "act.csv", "person,unit,period,work,skill,hours\n"
                                          "d0,dev,1,a,code,15")
    sc = small(policy={"budget": 150})
    result, out = replan(sc, base, tmp_path, actuals=act)
    plan = result.plan
    a = plan.assignments
    # the past: d0's period 1 is the actuals' 15 h, everything else the baseline's
    past = a[a["period"].isin(["1", "2"])]
    assert sorted(map(tuple, past[["person", "period", "work", "hours"]].values)) == [
        ("d0", "1", "a", 15.0), ("d0", "2", "a", 10.0), ("d1", "1", "b", 10.0),
        ("d1", "2", "b", 10.0)]
    # a keeps its start; 30 - 25 = 5 h are left for period 3
    r = plan.initiative("a")
    assert (r.selected, r.start, r.finish) == (True, "1", "3")
    assert a[(a["period"] == "3") & (a["work"] == "a")]["hours"].sum() == 5
    # 140 of 150 committed: c (50) no longer fits, d's rival b is done
    assert not plan.initiative("c").selected
    assert plan.initiative("c").reason == (
        "budget short by 40 even with no other optional initiative"
    )
    assert plan.initiative("d").reason == "mutually exclusive with b (started)"
    assert plan.initiative("b").reason == "done by 3"
    assert plan.replan is not None and plan.replan.committed == 140
    changes = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    got = changes[["cause", "initiative", "change", "period", "base_hours", "hours"]]
    assert got.values.tolist() == [
        ["actuals", "a", "past hours", "1", "10", "15"],
        ["actuals", "a", "remaining effort", "", "10", "5"],
        ["replan", "c", "dropped", "", "", ""],
    ]
    exc = pd.read_csv(out / "past_exceptions.csv")
    assert exc[["rule", "item", "period", "amount"]].values.tolist() == [
        ["capacity", "d0", 1, 5], ["change_share", "d0", 1, 5]]
    assert (out / "actuals.csv").read_text().splitlines()[1] == "d0,dev,1,a,dev,code,15,"


def test_progress_that_makes_an_initiative_late_is_a_named_conflict(base, tmp_path):
    prog = write_csv(tmp_path / "p.csv", "initiative,unit,skill,remaining_hours\na,dev,code,25")
    result, out = replan(small(), base, tmp_path, remaining=prog)
    plan = result.plan
    r = plan.initiative("a")
    # 25 h at 10 h a period: 3 periods from 3, so a now finishes in 5, after its deadline 4
    assert (r.start, r.finish) == ("1", "5")
    assert "finish moved from 3" in r.reason
    assert plan.replan.conflicts == ["a now finishes in 5, after its deadline 4 "
                                     "(planned finish 3)"]
    a = plan.assignments
    per = a[a["work"] == "a"].groupby("period")["hours"].sum().to_dict()
    assert per == {"1": 10, "2": 10, "3": 8.3333, "4": 8.3333, "5": 8.3333}
    changes = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    assert changes[["cause", "change", "finish"]].values.tolist()[:3] == [
        ["progress", "remaining effort", ""], ["progress", "finish moved", "5"],
        ["progress", "late", "5"]]
    # made mandatory, the same progress makes the re-plan infeasible, naming a
    hard = api.solve(small(a={"mandatory": True}), baseline=base, as_of="3",
                     remaining=prog, time_limit=10)
    assert hard.status is api.Status.INFEASIBLE
    assert "a now finishes in 5, after its deadline 4" in hard.message


def test_pin_out_stops_a_started_initiative(base, tmp_path):
    sc = small(a={"pin": "out"}, policy={"budget": 150})
    result, out = replan(sc, base, tmp_path)
    r = result.plan.initiative("a")
    assert not r.selected
    assert r.reason == ("stopped as of 3 (pin: out): started 1, 20 h and 67 of budget "
                        "already spent")
    # 150 - 40 (b) - 66.67 (2/3 of a) = 43.33 left: c (50) does not fit
    assert not result.plan.initiative("c").selected
    changes = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    assert ["replan", "a", "stopped"] in changes[["cause", "initiative", "change"]].values.tolist()


def test_as_of_needs_a_baseline_and_actuals_need_as_of(base, tmp_path):
    with pytest.raises(api.PlannerError, match="needs the baseline"):
        api.solve(small(), as_of="3")
    with pytest.raises(api.PlannerError, match="need an as-of period"):
        api.solve(small(), baseline=base, actuals=tmp_path / "x.csv")


# --------------------------------------------------------------------------- the services firm


def _rows(path: Path, periods: tuple[str, ...]) -> list[str]:
    """The text lines of assignments.csv in the given periods (sorted)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    per = lines[0].split(",").index("period")
    return sorted(x for x in lines[1:] if next(csv.reader(io.StringIO(x)))[per] in periods)


@pytest.fixture(scope="module")
def firm(tmp_path_factory):
    """The services firm planned for the year (the baseline)."""
    folder = tmp_path_factory.mktemp("firm")
    r = CliRunner().invoke(main, ["solve", FIRM, "--out", str(folder / "base"), "-q",
                                  "--time-limit", "30"])
    assert r.exit_code == 0, r.output
    return folder


def test_services_firm_as_of_april_after_a_budget_cut(firm):
    base, cut = firm / "base", firm / "cut"
    r = CliRunner().invoke(main, ["solve", FIRM, "--out", str(cut), "--baseline", str(base),
                                  "--as-of", "2027-04", "--set", "policy.budget=150000",
                                  "--time-limit", "30"])
    assert r.exit_code == 0, r.output
    # every assignment of 2027-01..03 is the baseline's, byte for byte
    assert _rows(cut / "assignments.csv", PAST) == _rows(base / "assignments.csv", PAST)
    assert len(_rows(base / "assignments.csv", PAST)) > 100
    # no initiative started before 2027-04 is dropped (or moved)
    before = pd.read_csv(base / "portfolio.csv", dtype=str, keep_default_na=False)
    after = pd.read_csv(cut / "portfolio.csv", dtype=str, keep_default_na=False)
    started = before[(before["selected"] == "true") & (before["start"] < "2027-04")]
    assert set(started["initiative"]) == {"iso27001", "gdpr-retention", "psa", "crm-lite",
                                          "data-practice", "academy"}
    now = after.set_index("initiative")
    for iid, start in zip(started["initiative"], started["start"], strict=True):
        assert (now.loc[iid, "selected"], now.loc[iid, "start"]) == ("true", start)
    # 143,000 committed by what started: 7,000 left, so the two later ones go
    assert set(after.loc[after["selected"] == "true", "initiative"]) == set(started["initiative"])
    assert json.loads((cut / "plan.json").read_text())["replan"]["committed"] == 143000
    chk = CliRunner().invoke(main, ["check", FIRM, str(cut), "--baseline", str(base)])
    assert chk.exit_code == 0, chk.output
    assert "plan OK" in chk.output


def test_services_firm_overrun_in_january_lowers_what_psa_needs_in_april(firm, tmp_path):
    # planned: psa's it/engineering line is 480 h over 4 months, 120 a month; the engineer
    # who was to give it most of January (t04 or t05, both engineering 1 in it with 133 h:
    # equally good plans split the month either way) actually worked 136 h on it in
    # January (more than planned) and 27 on crm-lite
    b = pd.read_csv(firm / "base" / "assignments.csv")
    psa = b[(b["work"] == "psa") & (b["skill"] == "engineering")]
    jan = psa[psa["period"] == "2027-01"]
    who = str(jan.groupby("person")["delivered"].sum().idxmax())
    assert who in ("t04", "t05")
    act = write_csv(tmp_path / "actuals.csv", f"""
        person,unit,period,work,skill,hours
        {who},it,2027-01,psa,engineering,136
        {who},it,2027-01,crm-lite,engineering,27
    """)
    out = tmp_path / "apr"
    r = CliRunner().invoke(main, ["solve", FIRM, "--out", str(out), "--baseline",
                                  str(firm / "base"), "--as-of", "2027-04", "--actuals", str(act),
                                  "--time-limit", "30"])
    assert r.exit_code == 0, r.output
    fl = pd.read_csv(out / "in_flight.csv")
    line = fl[(fl["initiative"] == "psa") & (fl["skill"] == "engineering")].iloc[0]
    # delivered: the baseline's January less t04's planned hours plus the 136 actual,
    # then February and March as planned; what is left of 480 is April's
    delivered = (jan["delivered"].sum() - jan.loc[jan["person"] == who, "delivered"].sum()
                 + 136 + psa[psa["period"].isin(["2027-02", "2027-03"])]["delivered"].sum())
    assert 136 > jan.loc[jan["person"] == who, "delivered"].sum()  # an overrun indeed
    assert line["delivered"] == pytest.approx(delivered, abs=1e-3)
    assert line["remaining"] == pytest.approx(480 - delivered, abs=1e-3)
    assert line["per_period"] == pytest.approx(480 - delivered, abs=1e-3)  # April only
    assert line["remaining"] < 120  # less than the 120 a month planned
    a = pd.read_csv(out / "assignments.csv")
    april = a[(a["period"] == "2027-04") & (a["work"] == "psa") & (a["skill"] == "engineering")]
    assert april["delivered"].sum() == pytest.approx(480 - delivered, abs=1e-3)
    mine = a[(a["person"] == who) & (a["period"] == "2027-01")]
    assert sorted(zip(mine["work"], mine["hours"], strict=True)) == [("crm-lite", 27),
                                                                      ("psa", 136)]
    assert f"{who},2027-01" in (out / "past_exceptions.csv").read_text()  # 163 h > 133 h
    chk = CliRunner().invoke(main, ["check", FIRM, str(out), "--baseline", str(firm / "base"),
                                    "--actuals", str(act)])
    assert chk.exit_code == 0, chk.output


def test_services_firm_progress_making_a_mandatory_initiative_late_exits_3(firm, tmp_path):
    # iso27001 (mandatory, deadline 2027-10) planned 300 h of it_support over 6 months:
    # 400 h left at 50 h a month take 8 months from April, to 2027-11
    prog = write_csv(tmp_path / "progress.csv", "initiative,unit,skill,remaining_hours\n"
                                                "iso27001,it,it_support,400")
    out = tmp_path / "late"
    r = CliRunner().invoke(main, ["solve", FIRM, "--out", str(out), "--baseline",
                                  str(firm / "base"), "--as-of", "2027-04", "--progress",
                                  str(prog)])
    assert r.exit_code == 3
    assert "iso27001 now finishes in 2027-11, after its deadline 2027-10" in r.output
    assert not out.exists()
