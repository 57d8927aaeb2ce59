"""Write docs/timeline.png: the seed's page as `timeline build` makes it, in headless Chromium.

Run: .venv/bin/python scripts/screenshot.py [--out docs/timeline.png] [--width 1200] [--scale 0.7]
The page is built into a temporary folder from the bundled seed, opened offline from
`file://` in Debian's Chromium (/usr/bin/chromium, every other request blocked), and the
top of the page (summary, filters, timeline and route map) is saved as a PNG for the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from timeline.browser import CHROMIUM, offline
from timeline.browser import CHROMIUM_ARGS as ARGS

ROOT = Path(__file__).resolve().parent.parent


def build_seed_page(folder: Path) -> Path:
    """Run `timeline build` on the bundled seed into `folder`; the page's path."""
    from timeline.cli import main as timeline

    timeline(["build", "-o", str(folder)], standalone_mode=False)
    return folder / "timeline.html"


def screenshot(page_path: Path, out: Path, width: int, scale: float) -> None:
    """Open the page offline and save everything above the event table as a PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
        page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=scale)
        page.route("**/*", offline)
        page.goto(page_path.as_uri())
        page.wait_for_selector("#timeline-plot .main-svg")
        page.wait_for_selector("#map-plot .geo .layer.land path")
        page.wait_for_timeout(500)
        bottom = page.evaluate(
            "document.getElementById('map-plot').getBoundingClientRect().bottom + scrollY"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(out), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": bottom}
        )
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "timeline.png")
    parser.add_argument("--width", type=int, default=1200, help="CSS pixels of the window")
    parser.add_argument("--scale", type=float, default=0.65, help="image pixels per CSS pixel")
    options = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"screenshot: {CHROMIUM} is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        screenshot(build_seed_page(Path(folder)), options.out, options.width, options.scale)
    print(f"wrote {options.out} ({options.out.stat().st_size / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
