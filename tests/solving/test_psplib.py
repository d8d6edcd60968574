"""A scheduling instance with a known optimal makespan is reproduced exactly.

PSPLIB j30 instance j301_1 has a proven optimal makespan of 43 while its
critical path is 38, so the resources, not the precedences, decide it. As a
scenario with every job mandatory and due by period H: H = 43 gives a plan
that passes the checker with every deadline met, H = 42 exits 3.
"""

from __future__ import annotations

import psplib
import pytest
import yaml
from click.testing import CliRunner

from planner.cli import main

pytestmark = pytest.mark.skipif(not psplib.PSPLIB.exists(), reason="shared PSPLIB data absent")


@pytest.mark.parametrize("name", ["j301_1", "j3012_10"])
def test_optimal_makespan_is_feasible_and_one_less_is_not(tmp_path, name):
    opt = psplib.optimum(name)
    runner = CliRunner()
    for horizon, code in ((opt, 0), (opt - 1, 3)):
        path = tmp_path / f"{name}_{horizon}.yaml"
        path.write_text(yaml.safe_dump(psplib.scenario(name, horizon)))
        out = tmp_path / f"plan{horizon}"
        result = runner.invoke(main, ["solve", str(path), "--out", str(out)])
        assert result.exit_code == code, result.output
        if code == 0:
            check = runner.invoke(main, ["check", str(path), str(out)])
            assert check.exit_code == 0, check.output
            finishes = [
                int(line.split(",")[4])
                for line in (out / "portfolio.csv").read_text().splitlines()[1:]
            ]
            assert max(finishes) == opt
        else:
            assert "short" in result.output or "cannot be placed" in result.output
            assert not out.exists()
