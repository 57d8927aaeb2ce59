"""Time the movement layer on the event table of a generated corpus, and its growth.

Usage: python benchmarks/bench_movements.py [--articles 2000] [--from FOLDER]

Generates the corpus (benchmarks/gen_corpus.py), extracts its table once, then times
`movements.plan` + `apply` + `summarize` on the table and on 2x and 4x copies of it (each
copy a new set of articles, so blocks grow as in a bigger archive). A growth of about 2
per doubling is linear. Extraction time is printed beside it for scale.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from timeline import movements

HERE = Path(__file__).resolve().parent


def _timed(table: pd.DataFrame) -> float:
    start = time.perf_counter()
    planned = movements.plan(table)
    movements.summarize(movements.apply(table, planned))
    return time.perf_counter() - start


def _copies(table: pd.DataFrame, times: int) -> pd.DataFrame:
    parts = [
        table.assign(
            article_id=table["article_id"] + f"~{n}",
            event_id=table["event_id"] + f"~{n}",
        )
        for n in range(times)
    ]
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--from", dest="folder", type=Path, help="template articles folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus, table_path = Path(folder) / "corpus.jsonl", Path(folder) / "events.csv"
        generate = [sys.executable, str(HERE / "gen_corpus.py"), str(args.articles), str(corpus)]
        if args.folder:
            generate += ["--from", str(args.folder)]
        subprocess.run(generate, check=True, capture_output=True)
        start = time.perf_counter()
        command = [sys.executable, "-c", "from timeline.cli import entry; entry()", "extract"]
        subprocess.run([*command, str(corpus), "-o", str(table_path)], check=True)
        extraction = time.perf_counter() - start
        table = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    table["count"] = pd.array(pd.to_numeric(table["count"]), dtype="Int64")
    table["char_start"] = table["char_start"].astype(int)
    table["char_end"] = table["char_end"].astype(int)
    print(f"corpus: {args.articles} articles, {len(table)} event rows")
    print(f"extraction (CLI, all cores, with movements): {extraction:.1f} s")
    previous = None
    for times in (1, 2, 4):
        rows = _copies(table, times)
        seconds = min(_timed(rows) for _ in range(2))
        growth = f"  growth x{seconds / previous:.2f}" if previous else ""
        print(
            f"movements on {len(rows):>7} rows: {seconds * 1000:8.1f} ms "
            f"({seconds / len(rows) * 1e6:.1f} us/row){growth}"
        )
        previous = seconds


if __name__ == "__main__":
    main()
