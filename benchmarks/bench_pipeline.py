"""Print the whole extraction's speed (ms per article) on the seed plus any article files given.

Usage: python benchmarks/bench_pipeline.py [ARTICLE ...]
Also times `dateparser.search_dates` on the same bodies when dateparser is installed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from timeline.ingest import read_article
from timeline.pipeline import process
from timeline.resources import seeds_dir


def main(argv: list[str]) -> None:
    paths = sorted(seeds_dir().glob("*.txt")) + [Path(a) for a in argv]
    articles = [read_article(p) for p in paths]
    started = time.perf_counter()
    process(articles[0])
    print(f"first article (loads every table): {1000 * (time.perf_counter() - started):.1f} ms")
    rounds = 5
    started = time.perf_counter()
    events = 0
    for _ in range(rounds):
        for article in articles:
            events += len(process(article).events)
    per_article = (time.perf_counter() - started) / (rounds * len(articles))
    print(f"articles={len(articles)} events/round={events // rounds}")
    print(f"extraction: {1000 * per_article:.2f} ms/article, {1 / per_article:.0f} articles/s")
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser not installed: no comparison")
        return
    started = time.perf_counter()
    for article in articles:
        start, end = article.body
        search_dates(article.text[start:end], languages=["en"])
    baseline = (time.perf_counter() - started) / len(articles)
    print(f"dateparser.search_dates: {1000 * baseline:.2f} ms/article")
    print(f"speed-up of the full extraction over search_dates alone: {baseline / per_article:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
