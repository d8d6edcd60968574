"""The report's risk section: the numbers of ``planner risk``'s tables, from memory or CSV."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from planner.analysis.risk import assess, write_risk
from planner.report import report_html
from planner.report.risk import read_risk_tables, risk_context
from tests.report import plans


@pytest.fixture(scope="module")
def risk():
    return assess(plans.services(), 300, seed=5)


def test_section_holds_the_tables_numbers(risk) -> None:
    ctx = risk_context(risk.tables())
    s = ctx["summary"]
    assert s["samples"] == 300 and s["seed"] == 5
    assert s["p_plan_holds"] == risk.metric("p_plan_holds")
    worst = risk.initiatives.sort_values(["p_on_time", "initiative"]).iloc[0]
    assert ctx["worst"]["initiative"] == worst["initiative"]
    assert [r["initiative"] for r in ctx["initiatives"]] == list(risk.initiatives["initiative"])
    # RTB: only rows short in some sample, must first
    assert all(r["p_short"] > 0 for r in ctx["rtb"])
    prios = [r["priority"] for r in ctx["rtb"]]
    assert prios == sorted(prios, key=lambda p: p != "must")
    go.Figure(ctx["figures"]["risk-on-time"])  # valid plotly


def test_csv_files_give_the_same_section(risk, tmp_path: Path) -> None:
    write_risk(risk, tmp_path)
    a = risk_context(risk.tables())
    b = risk_context(read_risk_tables(tmp_path))
    assert a["summary"] == b["summary"]
    assert a["initiatives"] == b["initiatives"]
    assert a["budget"] == b["budget"]
    with pytest.raises(FileNotFoundError, match="planner risk"):
        read_risk_tables(tmp_path / "missing")


def test_the_page_shows_the_section(risk) -> None:
    html = report_html(plans.services(), risk.tables())
    assert 'id="risk"' in html and 'href="#risk"' in html and "risk-on-time" in html
    p = risk.metric("p_plan_holds")
    assert f"{p * 100:.1f}%" in html
    assert "What robustness cost" not in html
    plain = report_html(plans.services())
    assert 'id="risk"' not in plain and 'href="#risk"' not in plain
