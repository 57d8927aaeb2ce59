"""Time gazetteer loading and place finding on small and pathological inputs.

Run: `.venv/bin/python benchmarks/bench_places.py` (prints one line per case, in seconds).
"""

from __future__ import annotations

import time

from timeline import places

ARTICLE = (
    "MOSCOW — A Russian Il-76 took off from the Chkalovsky military airfield outside Moscow "
    "on Monday and landed at Tokyo's Haneda airport, officials in the U.S. said. Another jet "
    "flew into Havana, Cuba, via Senegal and Paraguay before returning to the Saudi capital. "
    "A third crashed in the Belgorod region near the Sea of Azov; the crew had trained at RAF "
    "Brize Norton in Oxfordshire and at Dover Air Force Base in Delaware.\n\n"
) * 8


def timed(label: str, func, *args) -> float:
    """Run func(*args) once and print how long it took."""
    start = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - start
    size = len(result) if hasattr(result, "__len__") else ""
    print(f"{label:<40} {elapsed:8.3f} s  {size}")
    return elapsed


def main() -> None:
    """Print the timings."""
    timed("load gazetteer", places.gazetteer)
    print(f"article size: {len(ARTICLE)} chars")
    timed("find_places, 3 KB article", places.find_places, ARTICLE)
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        places.find_places(ARTICLE)
    print(
        f"{'find_places, 3 KB article (mean of 50)':<40} {(time.perf_counter() - start) / runs:8.4f} s"
    )
    timed("'flew to ' * 30000", places.find_places, "flew to " * 30000)
    timed("'Moscow ' * 30000", places.find_places, "Moscow " * 30000)
    timed("'Air Base ' * 30000", places.find_places, "Air Base " * 30000)
    timed("article * 100 (~300 KB)", places.find_places, ARTICLE * 100)
    big = ARTICLE * (50_000_000 // len(ARTICLE))
    timed(f"article repeated to {len(big) / 1e6:.0f} MB", places.find_places, big)


if __name__ == "__main__":
    main()
