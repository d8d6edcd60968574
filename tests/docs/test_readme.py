"""The README's commands run and its excerpts are what they print (issue 18.12)."""

from __future__ import annotations

from pathlib import Path

from support import docs_script

ROOT = Path(__file__).resolve().parents[2]
readme_examples = docs_script("readme_examples")


def test_every_readme_command_runs_and_every_excerpt_holds(tmp_path: Path) -> None:
    problems = readme_examples.run_readme(ROOT / "README.md", tmp_path)
    assert problems == [], "\n\n".join(problems)


def test_a_drifted_excerpt_is_caught(tmp_path: Path) -> None:
    fake = tmp_path / "README.md"
    fake.write_text("""\
<!-- run -->
```bash
planner validate scenarios/services_firm.yaml
```
<!-- output -->
```
valid: scenarios/services_firm.yaml ...
```
<!-- run -->
```bash
planner solve scenarios/services_firm.yaml --out plan/ --strategy greedy -q
planner solve scenarios/services_firm.yaml --out plan/ --strategy greedy -q
```
<!-- file: plan/portfolio.csv -->
```
initiative,name,selected,...
psa,Professional services automation (PSA) rollout,true,2027-01,2027-04,4.75,{old},,...
```
""".format(old="180000,60000,838.1237"), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    problems = readme_examples.run_readme(fake, work)
    assert len(problems) == 2, problems
    assert "exited 1" in problems[0] and "already exists" in problems[0]  # plan/ twice
    assert "838.1237" in problems[1]  # the old figure is not what the plan says


def test_excerpt_matching_rules() -> None:
    missing = readme_examples.missing
    text = "a,b,c\n x   1   2\nlast line"
    assert missing(["a,b,...", "x 1 2"], text) == []
    assert missing(["...", "last line"], text) == []
    assert missing(["last line", "a,b,c"], text) == ["a,b,c"]  # in order
    assert missing(["x 1 3"], text) == ["x 1 3"]
