"""The model as free-format MPS text, for solvers that read MPS (SCIP through OR-Tools).

Rows and columns are named ``R<k>`` and ``C<j>`` (the model's readable names may hold
characters MPS does not allow); the objective is maximised (``OBJSENSE MAX``) and its
constant is written, as usual, as the negated right-hand side of the objective row.
"""

from __future__ import annotations

import math

import numpy as np

from planner.formulation.model import ModelArrays


def _num(v: float) -> str:
    return repr(float(v))


def to_mps(m: ModelArrays, relax: bool = False) -> str:
    """MPS text of ``m``; with ``relax`` every column is continuous."""
    lines = ["NAME planner", "OBJSENSE", "    MAX", "ROWS", " N obj"]
    kinds: dict[int, str] = {}
    rhs: list[tuple[int, float]] = []
    ranges: list[tuple[int, float]] = []
    for k, (lo, hi) in enumerate(zip(m.row_lo, m.row_hi, strict=True)):
        if math.isinf(lo) and math.isinf(hi):
            continue  # a free row constrains nothing
        if lo == hi:
            kinds[k] = "E"
            rhs.append((k, lo))
        elif math.isinf(lo):
            kinds[k] = "L"
            rhs.append((k, hi))
        else:
            kinds[k] = "G"
            rhs.append((k, lo))
            if not math.isinf(hi):
                ranges.append((k, hi - lo))
        lines.append(f" {kinds[k]} R{k}")
    lines.append("COLUMNS")
    csc = m.matrix.tocsc()
    integer = np.zeros(m.num_cols, bool) if relax else m.integer
    in_int = False
    for j in range(m.num_cols):
        if integer[j] != in_int:
            marker = "INTORG" if integer[j] else "INTEND"
            lines.append(f"    MARKER 'MARKER' '{marker}'")
            in_int = bool(integer[j])
        lines.append(f"    C{j} obj {_num(m.obj[j])}")
        for p in range(csc.indptr[j], csc.indptr[j + 1]):
            r = int(csc.indices[p])
            if r in kinds:
                lines.append(f"    C{j} R{r} {_num(csc.data[p])}")
    if in_int:
        lines.append("    MARKER 'MARKER' 'INTEND'")
    lines.append("RHS")
    if m.obj_offset:
        lines.append(f"    RHS obj {_num(-m.obj_offset)}")
    lines += [f"    RHS R{k} {_num(v)}" for k, v in rhs if v != 0]
    if ranges:
        lines.append("RANGES")
        lines += [f"    RNG R{k} {_num(v)}" for k, v in ranges]
    lines.append("BOUNDS")
    for j in range(m.num_cols):
        lo, up = float(m.lb[j]), float(m.ub[j])
        if math.isinf(lo) and math.isinf(up):
            lines.append(f" FR BND C{j}")
            continue
        if lo == up:
            lines.append(f" FX BND C{j} {_num(lo)}")
            continue
        lines.append(f" MI BND C{j}" if math.isinf(lo) else f" LO BND C{j} {_num(lo)}")
        lines.append(f" PL BND C{j}" if math.isinf(up) else f" UP BND C{j} {_num(up)}")
    lines.append("ENDATA")
    return "\n".join(lines) + "\n"
