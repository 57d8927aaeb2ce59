"""The library in one call, for notebooks and scripts: `timeline.extract(source) -> DataFrame`.

The command line is a thin layer over the same stages; this module gives them to Python
users with real types: dates as `datetime64` (NaT when unbounded), counts as nullable
integers, so a frame can be sorted, filtered and plotted without parsing strings.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from timeline.corpus import expand, read_source
from timeline.ingest import ArticleError, parse_text
from timeline.model import Article
from timeline.pipeline import process
from timeline.table import event_row, to_frame

Source = str | os.PathLike[str] | Article
"""A path (file, folder, glob pattern or JSON Lines corpus), article text, or an Article."""

DATE_COLUMNS = ("published", "start", "end")


class ArticleWarning(UserWarning):
    """One input of several could not be read; the others were extracted."""


def extract(source: Source | Iterable[Source], published: date | str | None = None) -> pd.DataFrame:
    """The event table of one source or a list of them, typed (see `typed`).

    A string with no whitespace (or naming an existing file) is a path; any other is the text of an article
    (its id is `text`, or `text-N` for the Nth item of a list). `published` (a date or
    `YYYY-MM-DD`) overrides the publication date that relative dates resolve against.
    Unreadable inputs raise `ArticleError`; in a folder or corpus that gives other
    articles they are `ArticleWarning`s instead.

    >>> frame = extract("An Il-76 landed in Bamako on Monday.", published="2024-03-06")
    >>> frame.loc[0, ["icao_type", "destination", "start"]].tolist()
    ['IL76', 'Bamako', Timestamp('2024-03-04 00:00:00')]
    """
    day = date.fromisoformat(published) if isinstance(published, str) else published
    single = isinstance(source, str | os.PathLike | Article)
    items: list[Source] = [source] if single else list(source)  # type: ignore[list-item]
    rows: list[dict[str, object]] = []
    for number, item in enumerate(items, 1):
        for article in _articles(item, "text" if single else f"text-{number}", day):
            events = process(article).events
            rows.extend(event_row(article, event, n) for n, event in enumerate(events, 1))
    return typed(to_frame(rows))


def _articles(item: Source, text_id: str, published: date | None) -> Iterator[Article]:
    if isinstance(item, Article):
        yield item if published is None else replace(item, published=published)
    elif isinstance(item, os.PathLike) or _names_a_path(item):
        yield from _read_path(os.fspath(item), published)
    else:
        article = parse_text(item, text_id)
        yield article if published is None else replace(article, published=published)


def _names_a_path(text: str) -> bool:
    """A string is a path when it has no whitespace, or names something that exists."""
    if not any(c.isspace() for c in text):
        return True
    try:
        return "\n" not in text and Path(text).exists()
    except OSError:  # a name too long for the file system is article text
        return False


def _read_path(name: str, published: date | None) -> Iterator[Article]:
    """The articles a path gives; failures warn unless nothing at all could be read."""
    sources, failures = expand([name])
    read = 0
    for source in sources:
        for article in read_source(source, published=published):
            if isinstance(article, ArticleError):
                failures.append(str(article))
            else:
                read += 1
                yield article
    if failures and not read:
        raise ArticleError(
            failures[0]
            if len(failures) == 1
            else f"{name}: no article could be read ({failures[0]}, ...)"
        )
    for failure in failures:
        warnings.warn(failure, ArticleWarning, stacklevel=4)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The event table with `published`, `start` and `end` as dates (NaT when empty).

    Days are kept at second resolution, so any year from 1 to 9999 fits.
    """
    frame = frame.copy()
    for column in DATE_COLUMNS:
        days = np.array(frame[column].replace("", "NaT").tolist(), dtype="datetime64[D]")
        frame[column] = pd.Series(days.astype("datetime64[s]"), index=frame.index)
    return frame
