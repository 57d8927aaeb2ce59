"""Time `find_times` per article (and `dateparser.search_dates` when installed) and print ms/article.

Usage (repo root, package importable): PYTHONPATH=. python benchmarks/bench_temporal.py [more.txt ...]
Texts: the bundled seeds plus any .txt files given; the publication date is read from the
first line that parses as a date, as the ingest stage would.
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path

from timeline.resources import seeds_dir
from timeline.temporal import find_times


def _reference(text: str) -> date | None:
    for line in text.splitlines()[:8]:
        for fmt in ("%B %d, %Y", "%Y-%m-%d", "%d %B %Y"):
            try:
                return datetime.strptime(line.strip(), fmt).date()
            except ValueError:
                continue
    return None


def _time(function, texts: list[tuple[str, date | None]], repeat: int) -> float:
    """Best-of-`repeat` milliseconds per article (the minimum is the least noisy estimate)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text, reference in texts:
            function(text, reference)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / len(texts)


def main(paths: list[str]) -> None:
    """Print ms/article for our engine and for dateparser, and their ratio."""
    files = sorted(seeds_dir().glob("*.txt")) + [Path(p) for p in paths]
    texts = [(f.read_text(encoding="utf-8"), None) for f in files]
    texts = [(text, _reference(text)) for text, _ in texts]
    find_times(texts[0][0], texts[0][1])
    ours = _time(find_times, texts, repeat=10)
    print(f"find_times: {ours:8.2f} ms/article over {len(texts)} articles")
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser not installed: pip install dateparser to compare")
        return

    def english(text: str, reference: date | None) -> object:
        base = datetime.combine(reference or date(2000, 1, 1), datetime.min.time())
        return search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base})

    def default(text: str, reference: date | None) -> object:
        base = datetime.combine(reference or date(2000, 1, 1), datetime.min.time())
        return search_dates(text, settings={"RELATIVE_BASE": base})

    warnings.simplefilter("ignore")
    english(texts[0][0], texts[0][1])
    pinned = _time(english, texts, repeat=3)
    print(f"dateparser.search_dates(languages=['en']): {pinned:8.2f} ms/article")
    print(f"ratio: {pinned / ours:.1f}x faster")
    detected = _time(default, texts, repeat=1)
    print(f"dateparser.search_dates (language detection): {detected:8.2f} ms/article")
    print(f"ratio: {detected / ours:.1f}x faster")


if __name__ == "__main__":
    main(sys.argv[1:])
