"""Options shared by the commands that read scenarios and plans."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from planner.io.files import DEFAULT_MAX_MB, ENV_ALLOW_OUTSIDE, ENV_MAX_MB, ReadOptions


def read_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--max-input-mb`` and ``--allow-outside``; pass them on as ``read_options``."""

    @click.option("--max-input-mb", type=click.FloatRange(min=0, min_open=True), default=None,
                  help=f"Size limit of each input file (scenario, CSV, plan.json) in MB "
                       f"[default: {ENV_MAX_MB}, else {DEFAULT_MAX_MB}].")
    @click.option("--allow-outside", is_flag=True, default=None,
                  help="Let the scenario read CSV files outside its own folder "
                       f"[default: {ENV_ALLOW_OUTSIDE}=1, else no].")
    @functools.wraps(command)
    def wrapper(*args: Any, max_input_mb: float | None, allow_outside: bool | None,
                **kwargs: Any) -> Any:
        opts = ReadOptions.from_env(max_input_mb, allow_outside or None)
        return command(*args, read_options=opts, **kwargs)

    return wrapper
