"""Solver backends, chosen by name and imported lazily.

Each backend module has ``NAME``, ``SUPPORTS`` (what it can do), ``available()``
and ``solve(model_arrays, options, progress=None, relax=False) -> BackendResult``.

``SUPPORTS`` keys, read by the solve paths (:mod:`planner.solving.paths`); a backend
declares only where it differs from :data:`planner.backends.base.DEFAULT_SUPPORTS`
(:func:`planner.backends.base.supports`):

- ``warm_start``: takes a feasible column vector as a start;
- ``progress``: reports incumbent and bound while it runs;
- ``interrupt``: stops when the progress callback returns True;
- ``lp``: solves the LP relaxation (``relax=True``);
- ``mip_child``: can run in a child process beside the search, sharing plans
  (:mod:`planner.backends.process`);
- ``lp_child``: can solve a large model's LP relaxation, then its MIP, in that child.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Backends in order of preference; the first is the default (fastest on our benchmarks).
BACKENDS = ("highs", "cbc", "scip")
DEFAULT = "highs"
#: the backend that solves the neighbourhood search's small sub-MIPs, whatever the main one
SEARCH = "highs"


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
