"""Time every stage on the pathological inputs at ×1/4, ×1/2 and ×1 of their full size.

Run: `.venv/bin/python benchmarks/bench_pathological.py [--budget SECONDS]`. One line per
input and stage: seconds at each size and the growth per doubling (about 2 when linear,
4 when quadratic). Once one size of a stage takes longer than the budget (default 20 s)
its larger sizes are not run ("-"), so a quadratic stage cannot hold the run for hours.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from datetime import date
from itertools import pairwise

from timeline.aircraft import find_aircraft
from timeline.model import Article
from timeline.pipeline import process
from timeline.places import find_places
from timeline.sentences import split_sentences
from timeline.temporal import find_times

INPUTS = {
    "200,000 digits": ("9", 200_000),
    "'Dec. ' x 40,000": ("Dec. ", 40_000),
    "'flew to ' x 30,000": ("flew to ", 30_000),
    "dense sentence": ("The plane flew to Moscow, ", 4_000),
    "operated flights": ("The airline operated flights to Doha, followed by a second, ", 2_000),
    "bare names": ("John Smith flew to Paris, and Anna Berg landed in Rome, ", 2_000),
}
STAGES: dict[str, Callable[[str], object]] = {
    "split_sentences": split_sentences,
    "find_times": lambda text: find_times(text, date(2020, 1, 1)),
    "find_aircraft": find_aircraft,
    "find_places": find_places,
    "pipeline": lambda text: process(Article("bench", text, published=date(2020, 1, 1))),
}
FRACTIONS = (4, 2, 1)


def seconds(stage: Callable[[str], object], text: str) -> float:
    """One run, with the garbage collector paused so its pauses do not blur the growth."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        stage(text)
        return time.perf_counter() - start
    finally:
        gc.enable()


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per run (20)")
    budget = parser.parse_args().budget
    for stage in STAGES.values():
        stage("A jet flew to Moscow on Dec. 3.")
    sizes = "  ".join(f"x1/{f:<5}" if f > 1 else "x1     " for f in FRACTIONS)
    print(f"{'input':<22} {'stage':<16} {sizes}  growth per doubling")
    for label, (unit, count) in INPUTS.items():
        for name, stage in STAGES.items():
            times: list[float] = []
            for fraction in FRACTIONS:
                if times and times[-1] > budget:
                    break
                times.append(seconds(stage, unit * (count // fraction)))
            cells = [f"{t:7.3f}s" for t in times] + ["      -"] * (len(FRACTIONS) - len(times))
            growth = [f"{b / a:4.1f}" for a, b in pairwise(times) if a > 0]
            print(f"{label:<22} {name:<16} {'  '.join(cells)}  {' '.join(growth)}", flush=True)


if __name__ == "__main__":
    main()
