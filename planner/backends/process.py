"""Use the second core: the MIP solver runs in a child process beside the search.

On a 2-core laptop one core solving after the other wastes half the machine.
:class:`SolverProcess` runs a HiGHS solve (the MIP, or the LP relaxation for a
bound) in a child Python process while the parent runs the greedy and the
neighbourhood search, and the two share plans both ways while they run: every
plan the search improves is handed to the MIP (HiGHS checks it and prunes with
it), and every plan the MIP finds is handed to the search.

A child process, not a thread: two HiGHS solves in one process share its task
scheduler, which is not safe in the HiGHS we pin, and a crash in the child
cannot take the parent down. The child runs in its own session, so a Ctrl-C
at the terminal reaches only the parent, which then asks the child to stop
and still gets its best plan. If the parent dies, the child sees its input
close and stops.

The protocol is pickled messages over the child's stdin and stdout (its own
stdout is moved to stderr so that nothing else can write into the channel):

- parent to child: ``("solve", arrays, options, mode)`` once, then any number of
  ``("solution", x)`` and ``("stop",)``;
- child to parent: ``("bound", value)`` (the LP relaxation, in mode ``lp+mip``),
  ``("progress", Progress)``, ``("incumbent", x, objective)`` and finally
  ``("result", BackendResult)`` or ``("error", text)``.

Modes: ``mip``; ``lp`` (the LP relaxation only); ``lp+mip`` (the LP relaxation
first, its value sent at once, then the MIP for the time left: on a model so
large that the MIP may not finish its root in time, the bound is still there).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from planner.backends.base import BackendResult, Progress, SolverOptions, relative_gap
from planner.formulation.model import ModelArrays

#: seconds the child may need beyond its time limit to hand back its result
RESULT_GRACE = 15.0
#: what the child can solve (see the module docstring)
MODES = ("mip", "lp", "lp+mip")


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class SolverProcess:
    """One HiGHS solve in a child process; see the module docstring."""

    def __init__(self, arrays: ModelArrays, opts: SolverOptions, mode: str = "mip") -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "planner.backends.process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._send = Connection(os.dup(self._proc.stdin.fileno()), readable=False)
        self._recv = Connection(os.dup(self._proc.stdout.fileno()), writable=False)
        self._proc.stdin.close()
        self._proc.stdout.close()
        self._outbox: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        self._outbox.put(("solve", arrays, opts, mode))
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._offered = -np.inf
        #: latest progress report of the child (its bound is valid for the whole model)
        self.progress: Progress | None = None
        #: the LP relaxation's value once the child has it (mode ``lp+mip``)
        self.lp_bound: float | None = None
        self._best: tuple[np.ndarray, float] | None = None
        self._result: BackendResult | None = None
        self.error = ""
        self._threads = [
            threading.Thread(target=self._write, daemon=True),
            threading.Thread(target=self._read, daemon=True),
        ]
        for t in self._threads:
            t.start()

    # -- parent side API ---------------------------------------------------------------

    def offer(self, x: np.ndarray, objective: float) -> None:
        """Hand the child a feasible plan better than any it was given before."""
        if objective > self._offered:
            self._offered = objective
            self._outbox.put(("solution", np.array(x, float)))

    def incumbent(self) -> tuple[np.ndarray, float] | None:
        """The best plan the child has reported so far (column vector, objective)."""
        with self._lock:
            return self._best

    def done(self) -> bool:
        """True once the child has finished (result, error or exit)."""
        return self._done.is_set()

    def stop(self) -> None:
        """Ask the child to stop now and report what it has."""
        self._outbox.put(("stop",))

    def result(self, timeout: float) -> BackendResult | None:
        """Wait up to ``timeout`` seconds for the child's result; None if none came."""
        self._done.wait(max(timeout, 0.0))
        with self._lock:
            return self._result

    def close(self) -> None:
        """End the child (killing it if it does not stop) and the helper threads."""
        if self._proc.poll() is None:
            self.stop()
        self._outbox.put(None)  # the writer sends what is queued (the stop), then ends
        if self._proc.poll() is None:
            try:
                self._proc.wait(2.0)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._done.set()
        for c in (self._send, self._recv):
            try:
                c.close()
            except OSError:
                pass

    def __enter__(self) -> SolverProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helper threads ----------------------------------------------------------------

    def _write(self) -> None:
        while True:
            msg = self._outbox.get()
            if msg is None:
                return
            try:
                self._send.send(msg)
            except OSError:
                return

    def _read(self) -> None:
        try:
            while True:
                msg = self._recv.recv()
                kind = msg[0]
                with self._lock:
                    if kind == "progress":
                        self.progress = msg[1]
                    elif kind == "bound":
                        self.lp_bound = msg[1]
                    elif kind == "incumbent":
                        if self._best is None or msg[2] > self._best[1]:
                            self._best = (msg[1], msg[2])
                    elif kind == "result":
                        self._result = msg[1]
                        break
                    elif kind == "error":
                        self.error = msg[1]
                        break
        except (EOFError, OSError):
            if not self.error:
                self.error = "the solver process ended without a result"
        finally:
            self._done.set()


def _child() -> None:
    """Entry point of the child process (``python -m planner.backends.process``)."""
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print must not corrupt the channel
    inp = Connection(0, writable=False)
    stop = threading.Event()
    inbox: queue.Queue[np.ndarray] = queue.Queue()

    def send(msg: tuple[Any, ...]) -> None:
        try:
            out.send(msg)
        except OSError:
            stop.set()  # the parent is gone

    try:
        _, arrays, opts, mode = inp.recv()
    except (EOFError, OSError):
        return

    def read() -> None:
        try:
            while True:
                msg = inp.recv()
                if msg[0] == "solution":
                    inbox.put(msg[1])
                elif msg[0] == "stop":
                    stop.set()
        except (EOFError, OSError):
            stop.set()

    threading.Thread(target=read, daemon=True).start()

    def progress(p: Progress) -> bool:
        send(("progress", p))
        return stop.is_set()

    def incoming() -> np.ndarray | None:
        latest = None
        while True:
            try:
                latest = inbox.get_nowait()
            except queue.Empty:
                return latest

    def improved(x: np.ndarray, objective: float) -> None:
        send(("incumbent", x, objective))

    try:
        from dataclasses import replace

        from planner.backends import highs

        t0 = time.perf_counter()
        lp_bound = None
        if mode in ("lp", "lp+mip"):
            res = highs.solve(arrays, opts, relax=True)
            if mode == "lp" or res.objective is None:
                res.stats.setdefault("seconds", time.perf_counter() - t0)
                send(("result", res))
                return
            lp_bound = res.objective
            send(("bound", lp_bound))
            left = (opts.time_limit or 0.0) - (time.perf_counter() - t0)
            if stop.is_set() or (opts.time_limit is not None and left < 1.0):
                send(("result", replace(res, x=None, objective=None)))
                return
            opts = replace(opts, time_limit=left if opts.time_limit is not None else None)
        res = highs.solve(arrays, opts, progress, incoming=incoming, improved=improved)
        if lp_bound is not None and (res.bound is None or not res.bound < lp_bound):
            res.bound = lp_bound  # the MIP did not get past its root LP in time
            res.gap = relative_gap(res.objective, lp_bound)
        res.stats.setdefault("seconds", time.perf_counter() - t0)
        send(("result", res))
    except Exception:  # noqa: BLE001 - reported to the parent, which falls back
        send(("error", traceback.format_exc(limit=5)))


if __name__ == "__main__":
    _child()
