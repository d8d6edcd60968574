"""Screenshots of the services firm's report for the README (docs/report-*.png).

Plans ``scenarios/services_firm.yaml`` (or reads a plan folder given with
``--plan``), writes its report and photographs three parts of it in the
system's headless Chromium, the same way the browser tests open it:

    python docs/make_screenshots.py               # -> docs/report-roadmap.png, ...
    python docs/make_screenshots.py --plan plan/  # from an existing plan folder
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The person whose page is shown (the one with the most change work in the example).
PERSON = "t04"
#: (file, element to photograph, fragment to open)
SHOTS = [
    ("report-roadmap.png", "#roadmap", ""),
    ("report-heatmap.png", '[data-fig="heatmap"]', ""),
    ("report-person.png", f'[id="person-{PERSON}"]', f"#person-{PERSON}"),
]


def main(argv: list[str] | None = None) -> int:
    """Write the report and the three screenshots."""
    from playwright.sync_api import sync_playwright

    from planner.io.export import read_plan
    from planner.io.load import load_scenario
    from planner.report import report_html, write_report
    from planner.report.browser import launch
    from planner.solving import Settings, solve

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plan", default=None, help="plan folder (default: solve the example)")
    ap.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNG files")
    args = ap.parse_args(argv)

    plan = (read_plan(args.plan) if args.plan else
            solve(load_scenario(str(ROOT / "scenarios" / "services_firm.yaml")),
                  Settings(time_limit=60)))
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = write_report(report_html(plan), Path(tmp) / "report.html")
        browser = launch(pw)
        for name, selector, fragment in SHOTS:
            page = browser.new_page(viewport={"width": 1200, "height": 900},
                                    device_scale_factor=1)
            page.goto(page_file.as_uri() + fragment, wait_until="load")
            page.add_style_tag(content="header.top { position: static; }")  # not over the shot
            target = page.locator(selector).first
            target.scroll_into_view_if_needed()
            for chart in target.locator(".chart[data-fig]:visible").all() or [target]:
                chart.locator(".main-svg").first.wait_for(timeout=15_000)
            target.locator(".main-svg").first.wait_for(timeout=15_000)
            page.wait_for_timeout(500)  # let plotly finish its transitions
            target.screenshot(path=str(out / name))
            print(f"wrote {out / name}")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
