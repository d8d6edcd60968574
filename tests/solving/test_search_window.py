"""The search frees a window of starts around the current one on long horizons."""

from __future__ import annotations

import numpy as np

from planner.solving.search import START_WINDOW, _window


def test_window_of_starts() -> None:
    cols = list(range(100, 130))  # 30 start columns, in start order
    x = np.zeros(200)
    assert _window(cols, x) == cols[:2 * START_WINDOW + 1]  # out: from the first start
    x[110] = 1.0  # started in its 11th possible period
    assert _window(cols, x) == cols[10 - START_WINDOW:10 + START_WINDOW + 1]
    x[110], x[129] = 0.0, 1.0  # the last start: the window ends there
    assert _window(cols, x) == cols[-(2 * START_WINDOW + 1):]
    short = cols[:12]  # a one-year horizon: every start is free, as before
    assert _window(short, x) == short
