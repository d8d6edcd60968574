"""JSON data from numpy and pandas values (plan.json, frame JSON, report data)."""

import json
import math

import numpy as np
import pandas as pd

from planner.io.cells import json_data


def test_numpy_and_missing_values_become_plain_json():
    value = {1: [np.int64(3), np.float64(math.nan), np.array([1.5, math.inf])],
             "t": (pd.NA, pd.NaT, None, True, "x")}
    out = json_data(value)
    assert out == {"1": [3, None, [1.5, None]], "t": [None, None, None, True, "x"]}
    assert json.dumps(out, allow_nan=False)
    assert type(out["1"][0]) is int
