"""A solver-neutral mixed-integer linear model held as arrays.

The formulation writes into a :class:`LinearModel`; every backend translates
this one object, so the model is written exactly once. Columns and rows carry
readable names such as ``x[crm,2027-03]`` or ``cap[g0014,2027-03]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

INF = float("inf")


class _Named:
    """Sizes of a model whose columns and rows have names (both model forms below)."""

    col_names: list[str]
    row_names: list[str]

    @property
    def num_cols(self) -> int:
        """Number of variables."""
        return len(self.col_names)

    @property
    def num_rows(self) -> int:
        """Number of constraints."""
        return len(self.row_names)


class LinearModel(_Named):
    """Columns, rows and a maximisation objective, built incrementally."""

    def __init__(self) -> None:
        self.col_names: list[str] = []
        self.col_lb: list[float] = []
        self.col_ub: list[float] = []
        self.col_obj: list[float] = []
        self.col_int: list[bool] = []
        self.row_names: list[str] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self._ri: list[int] = []
        self._ci: list[int] = []
        self._v: list[float] = []
        self.obj_offset = 0.0

    def add_var(
        self, name: str, lb: float = 0.0, ub: float = INF, obj: float = 0.0, integer: bool = False
    ) -> int:
        """Add a column; returns its index."""
        self.col_names.append(name)
        self.col_lb.append(lb)
        self.col_ub.append(ub)
        self.col_obj.append(obj)
        self.col_int.append(integer)
        return len(self.col_names) - 1

    def add_row(
        self, name: str, cols: list[int], vals: list[float], lo: float = -INF, hi: float = INF
    ) -> int:
        """Add ``lo <= sum(vals * x[cols]) <= hi``; returns its index."""
        r = len(self.row_names)
        self.row_names.append(name)
        self.row_lo.append(lo)
        self.row_hi.append(hi)
        self._ri.extend([r] * len(cols))
        self._ci.extend(cols)
        self._v.extend(vals)
        return r

    def add_term(self, row: int, col: int, val: float) -> None:
        """Add ``val * x[col]`` to an existing row."""
        self._ri.append(row)
        self._ci.append(col)
        self._v.append(val)

    def row_of(self, name: str) -> int | None:
        """Index of the row called ``name`` (None when absent)."""
        index: dict[str, int] | None = getattr(self, "_row_index", None)
        if index is None or len(index) != len(self.row_names):  # built lazily, kept fresh
            index = self._row_index = {n: k for k, n in enumerate(self.row_names)}
        return index.get(name)

    def arrays(self) -> ModelArrays:
        """Freeze into arrays (CSR constraint matrix) for a backend."""
        n, m = self.num_cols, self.num_rows
        a = sp.csr_matrix(
            (np.asarray(self._v, float), (np.asarray(self._ri, int), np.asarray(self._ci, int))),
            shape=(m, n),
        )
        a.sum_duplicates()
        return ModelArrays(
            col_names=self.col_names,
            row_names=self.row_names,
            lb=np.asarray(self.col_lb, float),
            ub=np.asarray(self.col_ub, float),
            obj=np.asarray(self.col_obj, float),
            integer=np.asarray(self.col_int, bool),
            row_lo=np.asarray(self.row_lo, float),
            row_hi=np.asarray(self.row_hi, float),
            matrix=a,
            obj_offset=self.obj_offset,
        )


@dataclass
class ModelArrays(_Named):
    """A frozen model: maximise ``obj @ x + obj_offset`` s.t. ``row_lo <= A x <= row_hi``."""

    col_names: list[str]
    row_names: list[str]
    lb: np.ndarray
    ub: np.ndarray
    obj: np.ndarray
    integer: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    matrix: sp.csr_matrix
    obj_offset: float = 0.0

    @property
    def num_integer(self) -> int:
        """Number of integer (binary) variables."""
        return int(self.integer.sum())
