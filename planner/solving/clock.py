"""One clock for a whole command: where the time limit starts and where the time went.

``--time-limit`` bounds the whole command, from the start of the process (or of the
API call) to the written plan. A :class:`Clock` holds when that began and a mark at
the end of each stage; ``run.timings`` are the differences between consecutive
marks, so the stages add up to ``total`` exactly:

``startup`` (interpreter and imports, CLI only), ``load`` (read and validate),
``compile``, ``build``, ``greedy``, ``solve`` (``improve`` and ``bound`` are parts of
it, shown apart), ``allocate`` (hours onto people), ``reasons`` (why left out, or the
diagnosis of an infeasible scenario), ``write`` (the plan folder) and ``total``.

Allocation, reasons and writing happen after the solver stops, so their cost is
estimated from the model's size and kept back from the solver (:func:`reserve`).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field

#: the stages in order; their seconds add up to ``total``
STAGES = ("startup", "load", "compile", "build", "greedy", "solve", "allocate", "reasons",
          "write")
#: parts of a stage, reported beside the stages but not summed
PARTS = ("improve", "bound")

# Measured on the generated M and L organisations, 2 shared cores at load average 4
# (December 2026, `python benchmarks/run.py --sizes M,L --backends highs --time-limit
# auto`, run 20261203T140930Z): allocation and writing every view together take about
# 0.16 ms per person and period (L, 60,000 cells: allocation 1.7 s, writing 8.1 s; M,
# 12,000 cells: 0.6 s and 2.1 s). The reserve keeps 0.2 ms plus a second: L 13 s (it
# was 37 s, so the solver got 35 s of a 120 s limit and the command ended at 92 s).
# The reasons of left-out initiatives are bounded by their own budget
# (:func:`planner.solving.settings.reasons_budget`: 6 s of 120 s, all used on L),
# reserved beside this.
#: seconds kept back for allocation and writing whatever the size
RESERVE_FIXED = 1.0
#: seconds kept back per person and period
RESERVE_PER_CELL = 0.0002
#: the reserve never takes more than this share of the limit
RESERVE_MAX_SHARE = 0.5

_IMPORTED = time.perf_counter()
_FIRST = True
#: a process older than this when its first command starts is not a fresh command
FRESH_SECONDS = 20.0


def process_start() -> float:
    """When this process started, on the ``time.perf_counter()`` clock.

    Read from ``/proc`` where there is one; otherwise when this module was imported.
    """
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # seconds after boot
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED
    if not 0 <= age < 86_400 * 365:
        return _IMPORTED
    return time.perf_counter() - age


@dataclass
class Clock:
    """The start of a command and the end of each stage so far (``perf_counter`` times)."""

    started: float = field(default_factory=time.perf_counter)
    marks: dict[str, float] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_process_start(cls) -> Clock:
        """A clock that started with the process, its ``startup`` stage ending now.

        Only the first command of a ``planner`` process counts its startup (interpreter
        and imports); a command run inside another program (a test runner, a notebook
        calling the CLI) starts its clock now.
        """
        global _FIRST
        now = time.perf_counter()
        start = process_start()
        prog = sys.argv[0].replace("\\", "/") if sys.argv else ""
        ours = os.path.basename(prog) == "planner" or prog.endswith("/cli/__main__.py")
        fresh = _FIRST and ours and now - start < FRESH_SECONDS
        _FIRST = False
        c = cls(started=start if fresh else now)
        c.mark("startup")
        return c

    def mark(self, stage: str) -> float:
        """End ``stage`` now (later marks of one stage add to it); returns the time."""
        now = time.perf_counter()
        self.marks[stage] = now
        return now

    def last(self) -> float:
        """When the latest stage ended (the start when none has)."""
        return max(self.marks.values(), default=self.started)

    def elapsed(self) -> float:
        """Seconds since the clock started."""
        return time.perf_counter() - self.started

    def timings(self) -> dict[str, float]:
        """Seconds per stage (in order, stages never marked are 0) and ``total``."""
        out: dict[str, float] = {}
        prev = self.started
        for stage in STAGES:
            end = self.marks.get(stage)
            if end is None:
                continue
            out[stage] = round(max(end - prev, 0.0), 4)
            prev = max(prev, end)
        out["total"] = round(prev - self.started, 4)
        # the rounded stages add up to the rounded total exactly
        drift = round(out["total"] - sum(out[s] for s in STAGES if s in out), 4)
        if drift and out:
            last = next(s for s in reversed(STAGES) if s in out)
            out[last] = round(out[last] + drift, 4)
        for part, seconds in self.parts.items():
            out[part] = round(seconds, 4)
        return out


def reserve(staff: int, periods: int, limit: float) -> float:
    """Seconds to keep back from the solver for allocation and writing the plan."""
    est = RESERVE_FIXED + RESERVE_PER_CELL * staff * periods
    return min(est, RESERVE_MAX_SHARE * limit)
