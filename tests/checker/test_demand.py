"""The checker's shared demand helpers, on figures worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from planner.checker.demand import merge_delivered, rtb_shortfalls


@pytest.mark.parametrize(
    ("got", "short"),
    [
        (0.0, (4.0, 3.0, 2.0)),  # nothing delivered: every priority short in full
        (2.0, (2.0, 3.0, 2.0)),  # must takes all
        (5.0, (0.0, 2.0, 2.0)),  # must covered, 1 h left for high
        (8.0, (0.0, 0.0, 1.0)),  # must and high covered, 1 h left for normal
        (10.0, (0.0, 0.0, 0.0)),
    ],
)
def test_delivered_hours_fill_must_then_high_then_normal(got, short):
    assert tuple(float(x) for x in rtb_shortfalls(np.array([4.0, 3.0, 2.0]), got)) == short


def test_shortfalls_work_on_columns():
    must, high, normal = rtb_shortfalls(
        [pd.Series([4.0, 4.0]), pd.Series([3.0, 3.0]), pd.Series([2.0, 2.0])],
        pd.Series([5.0, 8.0]))
    assert list(must) == [0.0, 0.0] and list(high) == [2.0, 0.0] and list(normal) == [2.0, 1.0]


def test_merge_delivered_sums_matching_rows_and_zero_fills_the_rest():
    need = pd.DataFrame({"work": ["a", "b"], "period": ["p1", "p1"], "need": [5.0, 2.0]})
    rows = pd.DataFrame({"work": ["a", "a", "c"], "period": ["p1", "p1", "p1"],
                         "delivered": [1.5, 2.0, 9.0]})
    m = merge_delivered(need, rows, ["work", "period"])
    assert m[["work", "need", "delivered", "rows"]].to_dict("records") == [
        {"work": "a", "need": 5.0, "delivered": 3.5, "rows": 2.0},
        {"work": "b", "need": 2.0, "delivered": 0.0, "rows": 0.0},
    ]
