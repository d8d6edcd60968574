"""Several plans at once: plan folders read, scenario files solved as pieces on Dask.

``planner compare`` of several scenario files solves each as an independent
piece (:mod:`planner.analysis.parallel`): a pure function of the scenario (as
JSON data, overrides applied and validated here) and the settings, so the
same inputs give the same plans whichever worker solves them. With more than
one file to solve, each solves in one process (``threads=1``) wherever it runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from models.plan import Plan

#: called as each input is ready: (its index, its name, its plan, seconds its solve took;
#: None for a plan folder that was read)
PlanFn = Callable[[int, str, Plan, float | None], None]


def load_plans(
    paths: Iterable[str],
    settings: object | None = None,
    overrides: Iterable[str] = (),
    *,
    workers: int = 2,
    scheduler: str | None = None,
    client: object = None,
    on_plan: PlanFn | None = None,
    inputs: list[Any] | None = None,
    options: Any = None,
) -> dict[str, Plan]:
    """The plan of every input, named by :func:`~planner.analysis.compare.scenario_names`.

    Parameters
    ----------
    paths
        Plan folders (read here) and scenario files (loaded and validated here, then
        solved as pieces).
    settings
        A :class:`~planner.solving.Settings` for every solve (backend, time limit, gap,
        seed, strategy; ``threads`` is 1 when several files are solved).
    overrides
        ``--set`` overrides applied to every scenario file.
    workers, scheduler, client
        Where the solves run (:func:`planner.analysis.parallel.run_all`): a local Dask
        cluster of ``workers`` processes (1: here, one after another), the cluster at
        ``scheduler`` (``tcp://host:8786``) or a ``distributed.Client``.
    on_plan
        Called as each input is ready (see :data:`PlanFn`).
    inputs, options
        What was read is appended to ``inputs`` (:class:`planner.io.guard.Input`, so
        that no output lands on an input); files are read within ``options``
        (:class:`planner.io.files.ReadOptions`).

    Raises
    ------
    InfeasibleError, PlannerError
        When a scenario file is infeasible or cannot be solved (named in the message).
    """
    from planner.analysis.compare import scenario_names
    from planner.analysis.parallel import run_all
    from planner.errors import InfeasibleError, PlannerError
    from planner.io.export import read_plan
    from planner.io.guard import Input
    from planner.io.load import read_scenario
    from planner.solving import Settings

    paths = list(paths)
    names = scenario_names(paths)
    st = settings if isinstance(settings, Settings) else Settings()
    plans: dict[str, Plan | None] = {}
    jobs: list[tuple[int, str, dict[str, Any]]] = []
    for k, (name, path) in enumerate(zip(names, paths, strict=True)):
        p = Path(path)
        if p.is_dir() or p.name == "plan.json":
            if inputs is not None:
                inputs.append(Input(p, "a compared plan", enclosing=p.is_dir()))
            plans[name] = read_plan(p, options)
            if on_plan is not None:
                on_plan(k, name, plans[name], None)  # type: ignore[arg-type]
            continue
        loaded = read_scenario(p, overrides=list(overrides), options=options)
        if inputs is not None:
            inputs += loaded.inputs
        sc = loaded.scenario
        plans[name] = None
        jobs.append((k, name, sc.model_dump(mode="json", by_alias=True, exclude_none=True)))
    options = {"backend": st.backend, "time_limit": st.time_limit, "gap": st.gap,
               "seed": st.seed, "threads": 1 if len(jobs) > 1 else st.threads,
               "strategy": st.strategy}
    failures: list[tuple[str, str, str]] = []

    def done(j: int, result: tuple[str, Any, float]) -> None:
        k, name, _data = jobs[j]
        status, got, seconds = result
        if status != "ok":
            failures.append((name, status, str(got)))
            return
        got.overrides = list(overrides)
        plans[name] = got
        if on_plan is not None:
            on_plan(k, name, got, seconds)

    run_all(solve_piece, [(data, options) for _k, _n, data in jobs],
            workers=workers if len(jobs) > 1 else 1, scheduler=scheduler, client=client,
            on_done=done)
    if failures:
        name, status, message = min(failures, key=lambda f: names.index(f[0]))
        if status == "infeasible":
            raise InfeasibleError(f"{name}: {message}")
        raise PlannerError(f"{name}: {message}")
    return {n: p for n, p in plans.items() if p is not None}


def solve_piece(data: dict[str, Any], options: dict[str, Any]) -> tuple[str, Any, float]:
    """One piece: solve a scenario (JSON data) with ``Settings(**options)``.

    Returns ``("ok", plan, seconds)`` or ``("infeasible" | "error", message, seconds)``.
    """
    from models.scenario import Scenario
    from planner.errors import InfeasibleError, PlannerError
    from planner.solving import Settings, solve

    t0 = time.perf_counter()
    try:
        plan = solve(Scenario.model_validate(data), Settings(**options))
        return "ok", plan, time.perf_counter() - t0
    except InfeasibleError as exc:
        return "infeasible", str(exc), time.perf_counter() - t0
    except PlannerError as exc:
        return "error", str(exc), time.perf_counter() - t0
