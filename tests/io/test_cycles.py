"""find_cycles: each cycle once, in the order met, and an order with successors first."""

from __future__ import annotations

from planner.io.cycles import find_cycles


def test_no_cycle_orders_successors_first():
    cycles, order = find_cycles({"a": ["b", "c"], "b": ["c"], "c": [], "d": ["a"]})
    assert cycles == []
    assert order == ["c", "b", "a", "d"]


def test_each_cycle_once_closed_on_its_first_node():
    # a -> b -> a, and b -> c -> b; the second visit of a cycle's nodes is not reported
    graph = {"a": ["b"], "b": ["a", "c"], "c": ["b"], "d": ["c"]}
    cycles, _ = find_cycles(graph)
    assert cycles == [["a", "b", "a"], ["b", "c", "b"]]


def test_long_chain_needs_no_recursion():
    n = 5000
    graph = {str(i): [str(i + 1)] for i in range(n)} | {str(n): ["0"]}
    cycles, _ = find_cycles(graph)
    assert len(cycles) == 1 and len(cycles[0]) == n + 2
