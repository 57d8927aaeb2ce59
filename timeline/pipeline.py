"""Compose the stages: article → mentions → events → table rows.

`process` runs one article; `extract_source` runs the articles of one batch source
and keeps only what a batch needs (rows and a summary), recording unreadable
articles as messages instead of stopping, so one bad record never costs the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from timeline.aircraft import find_aircraft
from timeline.corpus import Source, read_source
from timeline.events import Explanation, build_events
from timeline.ingest import ArticleError
from timeline.model import Article, Event, TimeMention, evolve
from timeline.places import find_places
from timeline.sentences import without_furniture
from timeline.table import event_row
from timeline.temporal import find_times
from timeline.tokens import Tokens


@dataclass(frozen=True)
class Result:
    """One article's extraction: the article, its events, and (on request) the explanations."""

    article: Article
    events: tuple[Event, ...]
    explanations: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class Extracted:
    """One article as a batch keeps it: where it came from, whether it is dated, its rows."""

    path: str
    dated: bool
    rows: tuple[dict[str, object], ...]


def body_times(article: Article, tokens: Tokens | None = None) -> list[TimeMention]:
    """Temporal expressions of the body, with offsets into the whole article text; `tokens`
    is the article's stream when another stage has made it."""
    start, end = article.body
    lines = (tokens or Tokens(article.text)).news_lines(start, end)
    body = without_furniture(article.text, start, end, lines)
    shifted = find_times(body, article.published)
    return [evolve(t, start=t.start + start, end=t.end + start) for t in shifted]


def process(article: Article, *, explain: bool = False) -> Result:
    """Run every stage on one article."""
    explanations: list[Explanation] | None = [] if explain else None
    tokens = Tokens(article.text)
    events = build_events(
        article,
        body_times(article, tokens),
        find_aircraft(article.text, tokens),
        find_places(article.text, tokens),
        tokens=tokens,
        explanations=explanations,
    )
    return Result(article, tuple(events), tuple(explanations or ()))


def extract_source(source: Source, *, published: date | None = None) -> list[Extracted | str]:
    """Each article of the source as rows, or the message saying why it could not be read."""
    outcomes: list[Extracted | str] = []
    for article in read_source(source, published=published):
        if isinstance(article, ArticleError):
            outcomes.append(str(article))
            continue
        try:
            events = process(article).events
        except Exception as error:  # a bug met on one article must not cost the others
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            outcomes.append(f"{article.path or article.article_id}: internal error ({reason})")
            continue
        rows = tuple(event_row(article, event, n) for n, event in enumerate(events, 1))
        dated = article.published is not None
        outcomes.append(Extracted(article.path, dated, rows))
    return outcomes
