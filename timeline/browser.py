"""How this project drives a browser: Debian's Chromium, headless, with nothing of its own
reaching the network (no background updates, sync or first-run fetches), so a page check
proves the page works offline. Used by the page tests, the screenshot script and benchmark."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def is_local(url: str) -> bool:
    """Whether a request stays on this machine: the page file itself or inline data."""
    return url.startswith(("file:", "data:"))


def offline(route: object) -> None:
    """A playwright route handler that lets local requests through and aborts the rest."""
    if is_local(route.request.url):  # type: ignore[attr-defined]
        route.continue_()  # type: ignore[attr-defined]
    else:
        route.abort()  # type: ignore[attr-defined]
