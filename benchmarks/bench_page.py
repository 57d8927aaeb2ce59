"""Benchmark the timeline page for 1,000 synthetic events: size, build time, first render.

Run: .venv/bin/python benchmarks/bench_page.py [--events N] [--runs R]
First render is measured in Debian Chromium (/usr/bin/chromium) from `file://`, offline,
until both plots have drawn their SVG (`.js-plotly-plot .main-svg`).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from timeline.browser import CHROMIUM, offline
from timeline.browser import CHROMIUM_ARGS as ARGS
from timeline.page import render_page, write_page
from timeline.table import COLUMNS

TYPES = [("Il-76", "transport"), ("An-124", "heavy transport"), ("C-17", "transport")]
TYPES += [("Il-78", "tanker"), ("Tu-160", "bomber"), ("A330", "airliner")]
PLACES = [("Alpha", 55.7, 37.6), ("Bravo", 23.1, -82.4), ("Charlie", 10.5, -66.9)]
PLACES += [("Delta", 52.7, -8.9), ("Echo", -33.9, 18.6), ("Foxtrot", 35.7, 139.7)]


def synthetic_frame(events: int, seed: int = 7) -> pd.DataFrame:
    """A table of `events` rows mixing single days, ranges, open and vague intervals."""
    rng = random.Random(seed)
    rows = []
    for n in range(events):
        kind = "personnel" if n % 9 == 0 else "aircraft"
        aircraft, role = rng.choice(TYPES)
        origin, destination = rng.sample(PLACES, 2)
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(365))
        end = start + timedelta(days=rng.choice([0, 0, 0, 1, 4, 20]))
        shape = n % 11
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            event_id=f"e{n}",
            article_id=f"a{n // 5}",
            headline=f"Synthetic article {n // 5}",
            source_url=f"https://example.org/{n // 5}",
            event_type="flight",
            subject_kind=kind,
            subject="troops" if kind == "personnel" else aircraft,
            aircraft_type="" if kind == "personnel" else aircraft,
            aircraft_role="" if kind == "personnel" else role,
            count=rng.choice([1, 2, 3]),
            origin=origin[0],
            destination=destination[0],
            start="" if shape == 1 else start.isoformat(),
            end="" if shape == 2 else end.isoformat(),
            precision="vague" if shape == 3 else "day",
            date_text="last week",
            evidence=f"Synthetic sentence number {n} about a flight from {origin[0]}.",
            origin_lat=origin[1],
            origin_lon=origin[2],
            destination_lat=destination[1],
            destination_lon=destination[2],
        )
        rows.append(row)
    return pd.DataFrame(rows)


def first_render_seconds(path: Path, runs: int) -> list[float]:
    """Seconds from navigation to both plots' first SVG, one fresh page per run."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
        for _ in range(runs):
            page = browser.new_page()
            page.route("**/*", offline)
            began = time.perf_counter()
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_selector("#timeline-plot .main-svg", timeout=60_000)
            page.wait_for_selector("#map-plot .main-svg", timeout=60_000)
            timings.append(time.perf_counter() - began)
            page.close()
        browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    frame = synthetic_frame(options.events)
    began = time.perf_counter()
    full = render_page(frame)
    build = time.perf_counter() - began
    small = render_page(frame, cdn=True)
    print(f"events: {options.events}")
    print(f"build (render_page, self-contained): {build:.2f} s")
    print(f"size self-contained: {len(full.encode()) / 1e6:.2f} MB")
    print(f"size cdn: {len(small.encode()) / 1e6:.2f} MB")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        write_page(frame, path)
        if Path(CHROMIUM).exists():
            timings = first_render_seconds(path, options.runs)
            runs = ", ".join(f"{t:.2f}" for t in timings)
            print(f"first render (Chromium, file://): median {statistics.median(timings):.2f} s")
            print(f"  runs: {runs}")
        else:
            print(f"first render: skipped, {CHROMIUM} not installed")


if __name__ == "__main__":
    main()
