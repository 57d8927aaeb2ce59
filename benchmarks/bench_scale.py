"""Print corpus-scale throughput: articles/s with one process and with --jobs 2, peak memory,
and dateparser.search_dates on the same texts.

Usage: python benchmarks/bench_scale.py [--sizes 1000 10000] [--repeat 1] [--sample 100]
                                        [--from FOLDER]

For each size it generates a JSON Lines corpus (benchmarks/gen_corpus.py), runs
`timeline extract CORPUS -o events.csv` as a user would (start-up and output included)
with --jobs 1 and --jobs 2, checks both tables are byte-identical, and samples the
resident memory of the whole process tree (psutil). Then, on the first --sample texts
of the largest corpus, it compares the extraction in this process with
`dateparser.search_dates`, both with default settings and with languages=["en"].
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_corpus

from timeline.corpus import Source, read_source
from timeline.pipeline import process

TIMELINE = Path(sys.executable).with_name("timeline")


class Run(NamedTuple):
    """One measured command: wall and CPU seconds (whole process tree), peak RSS in MB."""

    seconds: float
    cpu: float
    total_mb: int
    main_mb: int
    worker_mb: int


def measure(args: list[str]) -> Run:
    """Run a command, sampling the RSS of its process tree (the sum, its main process, one
    worker); its CPU time, workers included, comes from the kernel when it ends."""
    import psutil

    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(args, stderr=errors)
        main = psutil.Process(child.pid)
        total = main_rss = worker = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            try:
                rss = {p.pid: p.memory_info().rss for p in [main, *main.children(recursive=True)]}
            except psutil.Error:
                continue
            total = max(total, sum(rss.values()))
            main_rss = max(main_rss, rss.get(child.pid, 0))
            worker = max([worker, *(v for k, v in rss.items() if k != child.pid)])
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            errors.seek(0)
            last = errors.read().decode().splitlines()[-10:]
            raise SystemExit(f"{' '.join(args)} failed; its last messages:\n" + "\n".join(last))
    mb = 1 << 20
    return Run(seconds, usage.ru_utime + usage.ru_stime, total // mb, main_rss // mb, worker // mb)


def scale(sizes: list[int], repeat: int, folder: Path | None, work: Path) -> Path:
    """Run the CLI on each size with --jobs 1 and 2 (alternating, `repeat` times each, the
    fastest run counts: other load on the machine only slows runs down); return the
    largest corpus."""
    corpus = work
    for n in sizes:
        corpus = work / f"corpus-{n}.jsonl"
        gen_corpus.write_jsonl(corpus, n, folder)
        tables: dict[int, bytes] = {}
        best: dict[int, float] = {}
        for _ in range(repeat):
            for jobs in (1, 2):
                table = work / f"events-{n}-j{jobs}.csv"
                run = measure(
                    [str(TIMELINE), "extract", str(corpus), "--jobs", str(jobs), "-o", str(table)]
                )
                best[jobs] = min(best.get(jobs, run.seconds), run.seconds)
                tables[jobs] = table.read_bytes()
                print(
                    f"n={n:>6} --jobs {jobs}: {run.seconds:6.1f} s  "
                    f"{n / run.seconds:6.1f} articles/s  {1000 * run.seconds / n:5.2f} ms/article  "
                    f"CPU {run.cpu:6.1f} s  peak RSS {run.total_mb} MB (main {run.main_mb} MB, "
                    f"largest worker {run.worker_mb} MB)  load average {os.getloadavg()[0]:.1f}"
                )
        rows = tables[1].count(b"\n") - 1
        same = "identical" if tables[1] == tables[2] else "DIFFERENT"
        print(
            f"n={n:>6} best: --jobs 1 {n / best[1]:.1f} articles/s ({1000 * best[1] / n:.2f} ms), "
            f"--jobs 2 {n / best[2]:.1f} articles/s ({1000 * best[2] / n:.2f} ms), "
            f"speed-up {best[1] / best[2]:.2f}x; {rows} rows, tables {same}"
        )
    return corpus


def compare_dateparser(corpus: Path, sample: int) -> None:
    """Extraction vs dateparser.search_dates, per article, on the same texts in this process."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser is not installed (pip install dateparser): no comparison")
        return
    source = Source(str(corpus), line=1, count=sample)
    articles = [a for a in read_source(source) if not isinstance(a, Exception)]
    bodies = [a.text[a.body_start : a.body[1]] for a in articles]
    process(articles[0])
    search_dates(bodies[0])
    search_dates(bodies[0], languages=["en"])
    started = time.perf_counter()
    for article in articles:
        process(article)
    ours = (time.perf_counter() - started) / len(articles)
    print(f"\nsame {len(articles)} texts, in one process, after warm-up:")
    print(f"full extraction (dates, aircraft, places, events): {1000 * ours:7.2f} ms/article")
    for label, options in (("default settings", {}), ('languages=["en"]', {"languages": ["en"]})):
        started = time.perf_counter()
        for body in bodies:
            search_dates(body, **options)
        theirs = (time.perf_counter() - started) / len(bodies)
        print(
            f"dateparser.search_dates, {label:17}: {1000 * theirs:7.2f} ms/article; "
            f"extraction is {theirs / ours:5.1f}x faster"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, fastest counts")
    parser.add_argument("--sample", type=int, default=100, help="texts for the dateparser run")
    parser.add_argument("--from", dest="folder", type=Path, help="template articles folder")
    args = parser.parse_args()
    try:
        import psutil  # noqa: F401
    except ImportError:
        raise SystemExit("bench_scale needs psutil (pip install psutil)") from None
    with tempfile.TemporaryDirectory() as work:
        corpus = scale(sorted(args.sizes), args.repeat, args.folder, Path(work))
        compare_dateparser(corpus, args.sample)


if __name__ == "__main__":
    main()
