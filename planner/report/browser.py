"""Open reports in the system's headless Chromium (tests and screenshots).

Uses Playwright's Python API with the Chromium of the operating system
(Debian: ``apt-get install chromium``); it never downloads a browser. Nothing
here runs on import; ``playwright`` is imported only by :func:`launch`.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

#: Where Debian's chromium package puts the browser (override: ``PLANNER_CHROMIUM``).
CHROMIUM = "/usr/bin/chromium"
#: Headless, no sandbox (root in CI), and no background traffic of the browser's own.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium executable to use, or None when there is none."""
    path = os.environ.get("PLANNER_CHROMIUM", CHROMIUM)
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    found = shutil.which("chromium")
    return found


def launch(playwright: Any) -> Any:
    """Launch the system Chromium headless through a started ``sync_playwright()`` object."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
