"""Render report contexts into one self-contained HTML file, and write it atomically.

The templates (``templates/*.j2``) are jinja2 with autoescaping; data for the
browser goes into ``<script type="application/json">`` blocks (escaped so no
text can close the block), plotly.js is inlined once per file, and the page's
own CSS and JS come from ``templates/report.css`` and ``report.js``. Nothing
refers to any outside address, so the file opens offline.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

import planner.report.fmt as fmt
from planner.errors import PlannerError
from planner.io.cells import json_data
from planner.io.guard import Input, check_destination
from planner.io.lock import destination_lock
from planner.report.charts import TEMPLATE


class ReportError(PlannerError):
    """A report could not be written."""

#: Characters that could end a script block or break a JavaScript string, as JSON escapes.
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                 ("\u2029", "\\u2029"))


def _default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON data")


def script_json(obj: Any) -> Markup:
    """``obj`` as compact JSON that is safe inside ``<script type="application/json">``.

    NaN and infinities become null; ``<``, ``>`` and ``&`` are escaped so no
    text can end the script block.
    """
    opts: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":"), "allow_nan": False}
    try:  # most data is clean already: skip the walk through it
        text = json.dumps(obj, default=_default, **opts)
    except ValueError:
        text = json.dumps(json_data(obj), **opts)
    for ch, esc in _JSON_ESCAPES:
        text = text.replace(ch, esc)
    return Markup(text)


@functools.cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly (inlined once per report)."""
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    if "</script" in js.lower():  # would end the inline block early
        raise RuntimeError("the plotly.js bundle cannot be inlined: it contains '</script'")
    return js


@functools.cache
def environment() -> jinja2.Environment:
    """The jinja2 environment with the report's filters (``money``, ``hours``, ``pct``, ...)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("planner.report", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update({
        "money": fmt.money, "hours": fmt.hours, "pct": fmt.pct, "num": fmt.num,
        "plural": fmt.plural, "script_json": script_json,
    })
    env.globals["anchor"] = _anchor
    return env


def _anchor(prefix: str, key: str) -> str:
    from planner.report.build import anchor

    return anchor(prefix, key)


def _asset(name: str) -> Markup:
    env = environment()
    assert env.loader is not None
    source, _path, _uptodate = env.loader.get_source(env, name)
    return Markup(source)


def render(template: str, context: dict[str, Any]) -> str:
    """Render ``template`` with ``context`` plus the inlined plotly.js, CSS, JS and chart style."""
    page = {
        "plotly_js": Markup(plotly_js()),
        "css": _asset("report.css"),
        "js": _asset("report.js"),
        "chart_template": TEMPLATE,
        **context,
    }
    return environment().get_template(template).render(page)


def write_report(html: str, path: str | os.PathLike[str],
                 inputs: Iterable[Input] = ()) -> Path:
    """Write ``html`` to ``path`` atomically (a temporary file renamed into place).

    ``path`` is refused when it is one of ``inputs`` (e.g. the plan's own files;
    :func:`planner.io.guard.check_destination`), and locked while written.

    Raises
    ------
    ReportError
        The file could not be written; an existing file is left as it was.
    UnsafeOutputError
        ``path`` is an input.
    OutputBusyError
        Another run is writing it.
    """
    target = Path(path)
    if target.is_dir():
        raise ReportError(f"'{target}' is a folder: give the report's file name")
    check_destination(target, inputs)
    with destination_lock(target):
        return _write_report(html, target)


def _write_report(html: str, target: Path) -> Path:
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ReportError(f"cannot write to '{parent}': {exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(html)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ReportError(f"cannot write the report '{target}': {exc}") from exc
        raise
    return target
