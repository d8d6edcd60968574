"""Solver backends, chosen by name and imported lazily.

Each backend module has ``NAME``, ``SUPPORTS`` (what it can do), ``available()``
and ``solve(model_arrays, options, progress=None, relax=False) -> BackendResult``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Backends in order of preference; the first is the default (fastest on our benchmarks).
BACKENDS = ("highs", "cbc", "scip")
DEFAULT = "highs"


def get(name: str) -> ModuleType:
    """The backend module called ``name``.

    Raises
    ------
    ValueError
        For an unknown or unavailable backend.
    """
    if name not in BACKENDS:
        raise ValueError(f"unknown solver backend '{name}'; choose one of {', '.join(BACKENDS)}")
    mod = importlib.import_module(f"planner.backends.{name}")
    if not mod.available():
        raise ValueError(f"solver backend '{name}' is not installed")
    return mod


def installed() -> list[str]:
    """Names of the backends that can run here."""
    out = []
    for name in BACKENDS:
        try:
            get(name)
        except ValueError:
            continue
        out.append(name)
    return out
