"""Run independent pieces of work on Dask, or in this process.

Sweeps (``planner frontier``), several-scenario comparisons (``planner
compare``) and risk runs (``planner risk``) are made of pieces that depend only
on their arguments (a scenario, overrides, settings, a seed, sample indices).
:func:`run_all` runs them:

* ``workers <= 1`` and no scheduler or client: one after another in this
  process (no Dask needed);
* otherwise on a ``dask.distributed`` cluster: a :class:`~distributed.LocalCluster`
  of ``workers`` processes with one thread each (made for the call and closed
  after it), the cluster whose scheduler listens at ``scheduler``
  (``tcp://host:8786``), or a ``client`` the caller already holds.

Results come back in the order of the pieces, whichever worker ran them and in
whatever order they finished, so the same pieces give the same results
everywhere. ``progress(done, total)`` and ``on_done(index, result)`` are called
in this process as each piece completes (in the order they complete).

Solves inside pieces run with ``threads=1`` (no MIP process beside the
search): the pieces already share the cores, and a piece's result must not
depend on how many cores its worker has. The callers in this package ensure it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

ProgressFn = Callable[[int, int], None]
DoneFn = Callable[[int, Any], None]


def run_all(
    fn: Callable[..., Any],
    items: Sequence[tuple[Any, ...]],
    *,
    shared: Any = None,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    progress: ProgressFn | None = None,
    on_done: DoneFn | None = None,
) -> list[Any]:
    """``[fn(*item) for item in items]`` (``fn(shared, *item)`` when ``shared`` is given).

    Parameters
    ----------
    fn
        A module-level function (workers import it by name).
    items
        The arguments of each piece.
    shared
        One object every piece needs (sent to each worker once).
    workers
        Processes of the local cluster; 1 runs the pieces in this process.
    scheduler
        Address of an existing Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    client
        A ``distributed.Client`` to use (not closed here).
    progress
        Called with (pieces done, pieces) after each piece completes.
    on_done
        Called with (the piece's index in ``items``, its result) as it completes.
    """
    total = len(items)
    if client is None and scheduler is None and (workers <= 1 or total <= 1):
        out = []
        for k, item in enumerate(items):
            out.append(fn(shared, *item) if shared is not None else fn(*item))
            if on_done is not None:
                on_done(k, out[-1])
            if progress is not None:
                progress(k + 1, total)
        return out
    if total == 0:
        return []
    own_client, cluster = None, None
    if client is None:
        client, cluster = connect(workers=workers, scheduler=scheduler)
        own_client = client
    try:
        return _submit(client, fn, items, shared, progress, on_done)
    finally:
        if own_client is not None:
            own_client.close()
        if cluster is not None:
            cluster.close()


#: Settings of the local cluster's workers. The pieces are Python loops over numpy
#: arrays: the workers' sampling profiler (every 10 ms), their 20 ms event-loop
#: tick and glibc trimming memory on every free slowed a risk piece of the M
#: benchmark down about twofold against the same piece in this process.
WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 1 << 30,
}


def connect(workers: int = 2, scheduler: str | None = None) -> tuple[Any, Any]:
    """A Dask client and the local cluster made for it (None with ``scheduler``).

    Raises
    ------
    PlannerError
        When the scheduler's address is malformed or nothing answers there (within
        ``distributed.comm.timeouts.connect``, 30 s by default).
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        from planner.errors import PlannerError

        try:
            return Client(scheduler), None
        except (OSError, ValueError, TimeoutError) as exc:
            raise PlannerError(f"cannot reach the Dask scheduler at '{scheduler}': {exc} "
                               "(start one with `dask scheduler`, or leave out --scheduler "
                               "for a local cluster)") from None
    with dask.config.set(WORKER_CONFIG):
        # no dashboard, and the scheduler's HTTP server on a free local port: a fixed port
        # (8787) clashes with any other cluster on the machine
        cluster = LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True,
            dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
            silence_logs=logging.CRITICAL,
        )
        return Client(cluster), cluster


def _submit(client: Any, fn: Callable[..., Any], items: Sequence[tuple[Any, ...]],
            shared: Any, progress: ProgressFn | None, on_done: DoneFn | None) -> list[Any]:
    from distributed import as_completed

    args: tuple[Any, ...] = ()
    if shared is not None:
        args = (client.scatter(shared, broadcast=True),)
    futures = [client.submit(fn, *args, *item, pure=False) for item in items]
    where = {f.key: k for k, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    done = 0
    for fut in as_completed(futures):
        k = where[fut.key]
        results[k] = fut.result()
        if on_done is not None:
            on_done(k, results[k])
        done += 1
        if progress is not None:
            progress(done, len(futures))
    return results
