"""Cycles of a directed graph, each found once, for the checks that name them.

The ``depends_on`` links of initiatives and the ``drives`` links of KPIs must not
form a cycle; both checks walk their graph with :func:`find_cycles`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def find_cycles(graph: Mapping[str, Sequence[str]]) -> tuple[list[list[str]], list[str]]:
    """Each cycle of ``graph`` once, and its nodes with every successor before them.

    Parameters
    ----------
    graph
        Node -> the nodes it points to (every one of them a key of ``graph``). Nodes are
        visited depth first in the order of the keys and of their lists.

    Returns
    -------
    cycles
        Each cycle as found, the node it closes on repeated last (``[a, b, a]``); a
        cycle through the same nodes found again is left out.
    order
        Every node, each after all the nodes it points to (meaningful when there is
        no cycle).
    """
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    order: list[str] = []
    cycles: list[list[str]] = []
    reported: set[frozenset[str]] = set()
    for root in graph:
        if root in state:
            continue
        # iterative DFS so that long chains do not hit the recursion limit
        stack: list[str] = [root]
        work: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while work:
            cur, pos = work[-1]
            nexts = graph[cur]
            if pos < len(nexts):
                work[-1] = (cur, pos + 1)
                nxt = nexts[pos]
                if state.get(nxt) == 1:
                    cycle = stack[stack.index(nxt):] + [nxt]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        cycles.append(cycle)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append(nxt)
                    work.append((nxt, 0))
            else:
                work.pop()
                stack.pop()
                state[cur] = 2
                order.append(cur)
    return cycles, order
