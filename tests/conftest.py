"""Shared browser fixtures: one headless Debian Chromium, pages opened offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline import browser

CHROMIUM = Path(browser.CHROMIUM)
CHROMIUM_ARGS = list(browser.CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def page_browser():
    """One headless Debian Chromium for the module; skipped only when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Opened:
    """A loaded page with everything that went wrong or tried to leave it."""

    def __init__(self, browser, path: Path, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("#timeline-plot .main-svg")
        self.page.wait_for_selector("#map-plot .geo .layer.land path")

    def _route(self, route) -> None:
        if browser.is_local(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def marks(self, plot: str, meta: str = "event") -> list[int]:
        """Event numbers of the points plotly currently draws in one plot."""
        return self.page.evaluate(
            """([plot, meta]) => document.getElementById(plot).data
                 .filter(t => t.meta === meta).flatMap(t => t.customdata).sort((a, b) => a - b)""",
            [plot, meta],
        )

    def point_of(self, event: int) -> tuple[float, float]:
        """Page coordinates of an event's single-day marker on the timeline."""
        return self.page.evaluate(
            """(event) => {
                const gd = document.getElementById("timeline-plot"), full = gd._fullLayout;
                const t = gd.data.find(t => t.type === "scatter" && t.meta === "event"
                                            && t.customdata.includes(event));
                const i = t.customdata.indexOf(event), box = gd.getBoundingClientRect();
                return [box.left + full._size.l + full.xaxis.d2p(t.x[i]),
                        box.top + full._size.t + full.yaxis.d2p(t.y[i])];
            }""",
            event,
        )

    def visible_rows(self) -> list[int]:
        return self.page.evaluate(
            """() => Array.from(document.querySelectorAll("#events tbody tr"))
                 .filter(r => !r.hidden).map(r => Number(r.dataset.event))"""
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page_open(page_browser):
    opened: list[Opened] = []

    def open_page(path: Path, width: int = 1280) -> Opened:
        opened.append(Opened(page_browser, path, width))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()
