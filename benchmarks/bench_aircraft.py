"""Time the aircraft catalogue load (cold, in a fresh interpreter) and `find_aircraft` throughput.

Usage: python benchmarks/bench_aircraft.py [more.txt ...]
Texts: the bundled seeds plus any .txt files given. The load is measured in subprocesses so
each run pays it from scratch; throughput is measured after the load, which a process pays
once.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from timeline.aircraft import catalogue, find_aircraft
from timeline.resources import seeds_dir

_COLD = (
    "import time; t = time.perf_counter(); "
    "from timeline.aircraft import catalogue; catalogue(); "
    "print((time.perf_counter() - t) * 1000)"
)


def cold_load_ms(runs: int = 5) -> list[float]:
    """Import plus first `catalogue()` call, in ms, each in a fresh interpreter."""
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", _COLD], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]


def main(paths: list[str]) -> None:
    """Print cold load time, warm reload time and find_aircraft throughput."""
    cold = cold_load_ms()
    print(
        f"catalogue cold load: median {statistics.median(cold):.0f} ms (min {min(cold):.0f}) over {len(cold)} fresh processes"
    )
    start = time.perf_counter()
    catalogue()
    catalogue()
    print(
        f"catalogue() in this process: {(time.perf_counter() - start) * 1000:.0f} ms for first+second call"
    )

    files = sorted(seeds_dir().glob("*.txt")) + [Path(p) for p in paths]
    texts = [f.read_text(encoding="utf-8") for f in files]
    size = sum(len(t) for t in texts)
    repeat = max(1, 2_000_000 // max(size, 1))
    start = time.perf_counter()
    found = 0
    for _ in range(repeat):
        for text in texts:
            found += len(find_aircraft(text))
    elapsed = time.perf_counter() - start
    print(
        f"find_aircraft: {len(texts)} text(s), {size:,} chars x {repeat}: "
        f"{size * repeat / elapsed / 1e6:.2f} M chars/s, "
        f"{elapsed * 1000 / (repeat * len(texts)):.2f} ms/article, "
        f"{found // repeat} mentions per pass"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
