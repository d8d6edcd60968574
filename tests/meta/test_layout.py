"""The package's shape: walls between rooms, no import cycles, small modules.

These read the source, not the behaviour: they keep the layout a newcomer relies on
(issue 17) from eroding.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLANNER = ROOT / "planner"
#: modules allowed over the size guideline; each says why in its docstring
MAX_LINES = 500
SOLVER_PACKAGES = ("highspy", "pulp", "ortools")


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PLANNER.rglob("*.py")):
        name = ".".join(p.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = p
    return out


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import that runs (not those
    under ``if TYPE_CHECKING:``, which only the type checker reads)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n) for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
        for stmt in block.body for n in ast.walk(stmt)
    }
    out = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, path in mods.items():
        for module, names in _imports(path):
            for target in [module, *(f"{module}.{n}" for n in names)]:
                # the root package is every module's parent, not a dependency
                if target in mods and target not in (m, "planner"):
                    graph[m].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_solver_packages_only_in_backends() -> None:
    bad = [
        f"{m} imports {module}"
        for m, path in _modules().items()
        if not m.startswith("planner.backends")
        for module, _names in _imports(path)
        if module.split(".")[0] in SOLVER_PACKAGES
    ]
    assert bad == []


@pytest.mark.parametrize("wall", ["planner.formulation", "planner.backends", "planner.solving"])
def test_the_checker_shares_no_code_with_the_solve(wall: str) -> None:
    # the independent checker would otherwise share the bugs it is there to catch
    bad = [
        f"{m} imports {module}"
        for m, path in _modules().items()
        if m.startswith("planner.checker")
        for module, _names in _imports(path)
        if module.startswith(wall) or module.startswith("planner.problem.data")
    ]
    assert bad == []


def test_models_import_nothing_from_planner() -> None:
    bad = [
        f"{p.name} imports {module}"
        for p in sorted((ROOT / "models").glob("*.py"))
        for module, _names in _imports(p)
        if module.split(".")[0] == "planner"
    ]
    assert bad == []


def test_modules_stay_small_or_say_why() -> None:
    long = []
    for m, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if text.count("\n") > MAX_LINES and "over 500 lines" not in doc:
            long.append(f"{m}: {text.count(chr(10))} lines")
    assert long == []
