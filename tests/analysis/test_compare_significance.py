"""``compare`` shows each plan's status and gap, and whether a difference is real (18.5).

Two real plans of the budget case (base: b + c, score 1.0; cut: a, score 0.75), then
their solver records are set to what a time limit would leave: a difference inside
the overlapping objective ranges (objective .. bound) is not significant.
"""

from __future__ import annotations

from click.testing import CliRunner
from support import solve_checked

from models.plan import Plan
from planner.analysis.compare import headline, significant
from planner.cli import main
from planner.io.export import write_plan
from tests.analysis.test_compare_reasons import _case


def _as_stopped(plan: Plan, bound: float) -> Plan:
    p = plan.model_copy(deep=True)
    p.run.status = "feasible"
    p.run.bound = bound
    p.run.gap = (bound - p.run.objective) / abs(p.run.objective)
    return p


def test_proved_optima_that_differ_are_significant() -> None:
    base, cut = solve_checked(_case(100)), solve_checked(_case(80))
    assert base.run.status == cut.run.status == "optimal"
    assert significant(base, cut)
    h = headline({"base": base, "cut": cut}).set_index("metric")
    assert h.loc["status", "base"] == "optimal" and h.loc["status", "cut"] == "optimal"
    assert h.loc["gap", "base"] == 0.0
    assert h.loc["significant", "delta[cut]"] is True or h.loc["significant", "delta[cut]"]


def test_a_difference_inside_the_gaps_is_not_significant() -> None:
    base, cut = solve_checked(_case(100)), solve_checked(_case(80))
    loose = _as_stopped(cut, bound=base.run.objective * 1.01)  # its bound reaches the base
    assert not significant(base, loose)
    h = headline({"base": base, "cut": loose}).set_index("metric")
    assert h.loc["status", "cut"] == "feasible"
    assert h.loc["gap", "cut"] > 0.1
    assert not h.loc["significant", "delta[cut]"]
    tight = _as_stopped(cut, bound=cut.run.objective * 1.01)
    assert significant(base, tight)


def test_cli_prints_status_gap_and_the_warning(tmp_path) -> None:
    base, cut = solve_checked(_case(100)), solve_checked(_case(80))
    loose = _as_stopped(cut, bound=base.run.objective * 1.01)
    write_plan(base, tmp_path / "base")
    write_plan(loose, tmp_path / "cut")
    r = CliRunner().invoke(main, ["compare", str(tmp_path / "base"), str(tmp_path / "cut")],
                           terminal_width=100)
    assert r.exit_code == 0, r.output
    assert "status" in r.output and "feasible" in r.output and "gap" in r.output
    assert "not significant" in r.output
