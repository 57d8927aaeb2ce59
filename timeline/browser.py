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
