"""Print the extraction's speed (ms per article, and per stage) beside dateparser.search_dates.

Usage: python benchmarks/bench_pipeline.py [DEV_FOLDER] [--generated N] [--from FOLDER]
                                           [--rounds R]

Two corpora, each timed in this process after a warm-up: the `.txt` articles of
DEV_FOLDER (the bundled seed when none is given) and N articles (default 2,000) made by
the generator of bench_scale (benchmarks/gen_corpus.py; templates from --from, else the
development articles beside the repository, else the seed). On the same body texts of each
it times `dateparser.search_dates` (languages=["en"]), and says so when dateparser is not
installed (`pip install dateparser`). Times are CPU time of this process, so other work on
the machine does not count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_corpus

from timeline.aircraft import find_aircraft
from timeline.corpus import Source, read_source
from timeline.events import build_events
from timeline.ingest import read_article
from timeline.model import Article
from timeline.pipeline import body_times, process
from timeline.places import find_places
from timeline.resources import seeds_dir
from timeline.tokens import Tokens


def _ms_per_article(
    articles: list[Article], work: Callable[[Article], object], rounds: int
) -> float:
    """CPU milliseconds per article of `work`, the best of `rounds` passes over all articles."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for article in articles:
            work(article)
        best = min(best, time.process_time() - started)
    return 1000 * best / len(articles)


def _words_and_pieces(article: Article) -> object:
    """The token stream's words and pieces, each made on its own (neither reads the other)."""
    tokens = Tokens(article.text)
    return tokens.words, tokens.pieces


def _stages(articles: list[Article], rounds: int) -> dict[str, float]:
    """ms/article of each stage alone: the token stream (words and pieces, made once and
    shared), then the finders given it, and the events stage given the other stages'
    mentions and a fresh stream (the lower-cased text and the scans are its own work)."""
    streams = {a.article_id: Tokens(a.text) for a in articles}
    found = {}
    for a in articles:
        stream = streams[a.article_id]
        found[a.article_id] = (
            body_times(a),
            find_aircraft(a.text, stream),
            find_places(a.text, stream),
        )
    return {
        "tokens": _ms_per_article(articles, _words_and_pieces, rounds),
        "times": _ms_per_article(articles, body_times, rounds),
        "aircraft": _ms_per_article(
            articles, lambda a: find_aircraft(a.text, streams[a.article_id]), rounds
        ),
        "places": _ms_per_article(
            articles, lambda a: find_places(a.text, streams[a.article_id]), rounds
        ),
        "events": _ms_per_article(
            articles,
            lambda a: build_events(a, *found[a.article_id], tokens=Tokens(a.text)),
            rounds,
        ),
    }


def measure(label: str, articles: list[Article], rounds: int) -> None:
    """One corpus: the whole extraction, its stages, and dateparser on the same bodies."""
    process(articles[0])
    ours = _ms_per_article(articles, process, rounds)
    stages = _stages(articles, rounds)
    parts = ", ".join(f"{name} {ms:.2f}" for name, ms in stages.items())
    print(f"{label}: {len(articles)} articles")
    print(f"  extraction              {ours:8.2f} ms/article   (stages alone: {parts})")
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("  dateparser is not installed (pip install dateparser): no comparison")
        return
    bodies = {a.article_id: a.text[a.body_start : a.body[1]] for a in articles}
    search_dates(bodies[articles[0].article_id], languages=["en"])
    theirs = _ms_per_article(
        articles, lambda a: search_dates(bodies[a.article_id], languages=["en"]), 1
    )
    print(f"  dateparser.search_dates {theirs:8.2f} ms/article   (languages=['en'])")
    print(
        f"  extraction is {theirs / ours:.1f}x dateparser's throughput; "
        f"the time stage alone {theirs / stages['times']:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", type=Path, help="folder of .txt articles")
    parser.add_argument("--generated", type=int, default=2000, help="generated articles")
    parser.add_argument("--from", dest="folder", type=Path, help="template articles folder")
    parser.add_argument("--rounds", type=int, default=3, help="passes; the fastest counts")
    args = parser.parse_args()
    paths = sorted(args.dev.glob("*.txt")) if args.dev else sorted(seeds_dir().glob("*.txt"))
    if not paths:
        raise SystemExit(f"no .txt articles in {args.dev}")
    measure(
        f"development set {args.dev or seeds_dir()}", [read_article(p) for p in paths], args.rounds
    )
    if args.generated > 0:
        with tempfile.TemporaryDirectory() as work:
            corpus = Path(work) / "generated.jsonl"
            gen_corpus.write_jsonl(corpus, args.generated, args.folder)
            source = Source(str(corpus), line=1, count=args.generated)
            articles = [a for a in read_source(source) if isinstance(a, Article)]
        measure("generated corpus", articles, 1)


if __name__ == "__main__":
    main()
