"""Compose the stages: article → mentions → events → table rows.

`process` runs one article; `process_paths` runs many, collecting per-file failures
instead of stopping, so one bad file never costs the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from timeline.aircraft import find_aircraft
from timeline.events import Explanation, build_events
from timeline.ingest import ArticleError, read_article
from timeline.model import Article, Event, TimeMention
from timeline.places import find_places
from timeline.table import event_row, to_frame
from timeline.temporal import find_times


@dataclass(frozen=True)
class Result:
    """One article's extraction: the article, its events, and (on request) the explanations."""

    article: Article
    events: tuple[Event, ...]
    explanations: tuple[Explanation, ...] = ()


@dataclass
class Batch:
    """Many articles' results plus the files that could not be processed and why."""

    results: list[Result] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The event table of every article in the batch."""
        return to_frame(
            event_row(result.article, event, number)
            for result in self.results
            for number, event in enumerate(result.events, 1)
        )


def body_times(article: Article) -> list[TimeMention]:
    """Temporal expressions of the body, with offsets into the whole article text."""
    start, end = article.body
    shifted = find_times(article.text[start:end], article.published)
    return [replace(t, start=t.start + start, end=t.end + start) for t in shifted]


def process(article: Article, *, explain: bool = False) -> Result:
    """Run every stage on one article."""
    explanations: list[Explanation] | None = [] if explain else None
    events = build_events(
        article,
        body_times(article),
        find_aircraft(article.text),
        find_places(article.text),
        explanations=explanations,
    )
    return Result(article, tuple(events), tuple(explanations or ()))


def process_paths(
    paths: Iterable[Path],
    *,
    published: date | None = None,
    explain: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> Batch:
    """Process each file; a file that cannot be read is recorded as a failure and skipped."""
    batch = Batch()
    for path in paths:
        try:
            article = read_article(path, published=published)
        except ArticleError as error:
            batch.failures.append(str(error))
        else:
            batch.results.append(process(article, explain=explain))
        if progress is not None:
            progress(path)
    return batch
