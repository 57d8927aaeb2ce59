"""Print how a JSON Lines corpus of blank and tiny lines runs with --jobs 1 and --jobs 2.

Usage: python benchmarks/bench_sparse.py [--lines 20000]

Half the lines are blank, half a one-sentence record (`{"text": "A jet landed in Riga
N."}`): a file that, split into fixed runs of lines, made thousands of trivial tasks and a
`-j 2` run several times slower than `-j 1` (#18). It prints the number of sources and
tasks the corpus makes, then the wall and CPU seconds (the process and its children) of
`timeline extract CORPUS -o events.csv` with -j 1 and -j 2, and checks both tables are equal.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timeline.batch import _tasks
from timeline.corpus import expand

TIMELINE = Path(sys.executable).with_name("timeline")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "sparse.jsonl"
        records = (
            json.dumps({"text": f"A jet landed in Riga {n}."}) for n in range(options.lines // 2)
        )
        corpus.write_text("".join(f"\n{record}\n" for record in records), encoding="utf-8")
        sources, _ = expand([str(corpus)])
        print(
            f"{options.lines} lines, {corpus.stat().st_size:,} bytes: "
            f"{len(sources)} sources, {len(_tasks(sources))} tasks"
        )
        tables = []
        for jobs in (1, 2):
            output = Path(folder) / f"events-{jobs}.csv"
            cpu, started = _children_cpu(), time.perf_counter()
            subprocess.run(
                [str(TIMELINE), "extract", str(corpus), "-j", str(jobs), "-o", str(output)],
                check=True,
                stderr=subprocess.DEVNULL,
            )
            wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
            print(f"-j {jobs}: {wall:6.1f} s wall, {cpu:6.1f} s CPU")
            tables.append(output.read_bytes())
        print("tables equal:", tables[0] == tables[1])


if __name__ == "__main__":
    main()
