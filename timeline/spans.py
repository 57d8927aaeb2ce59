"""Spans of text and the one overlap policy every finder uses, and the one accent folding.

A finder (aircraft, places, times) proposes candidate spans that may overlap; `filter_spans`
keeps the longest, then the earliest (spaCy's `filter_spans` idea), then the best-ranked.
`SpanIndex` answers "does this overlap / lie inside a kept span" in O(log n) for stages that
claim spans in their own order of priority (the event subjects: names before aircraft before
groups). `fold` is the case- and accent-free form names are compared in. `search_words` finds a
regex's matches at word starts without a leading look-behind, so a literal opening is found
by a substring search.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar


class Span(Protocol):
    """Anything with [start, end) character offsets into the article text."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S")


def _offsets(span: Span) -> tuple[int, int]:
    return span.start, span.end


def filter_spans(
    spans: Iterable[S],
    bounds: Callable[[S], tuple[int, int]] = _offsets,  # type: ignore[assignment]
    rank: Callable[[S], object] = lambda span: 0,
) -> list[S]:
    """The non-overlapping spans to keep, in text order: longest first, then the earliest,
    then the lowest `rank`; a span overlapping one kept before it is dropped."""

    def order(span: S) -> tuple[int, int, object]:
        start, end = bounds(span)
        return start - end, start, rank(span)

    ordered = sorted(spans, key=order)
    if not ordered:
        return []
    low = min(bounds(span)[0] for span in ordered)
    taken = bytearray(max(bounds(span)[1] for span in ordered) - low)
    kept: list[S] = []
    for span in ordered:  # a mask of taken offsets: linear in the spans' lengths
        start, end = bounds(span)
        if taken.find(1, start - low, end - low) < 0:
            taken[start - low : end - low] = b"\x01" * (end - start)
            kept.append(span)
    return sorted(kept, key=lambda span: bounds(span)[0])


class SpanIndex:
    """Non-overlapping [start, end) spans, sorted, for overlap tests in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        """Keep the given spans earliest first, each unless it overlaps one kept already."""
        self.spans: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if not self.overlaps(start, end):
                self.spans.append((start, end))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a kept span."""
        index = bisect.bisect_left(self.spans, (start, start))
        after = index < len(self.spans) and self.spans[index][0] < end
        before = index > 0 and self.spans[index - 1][1] > start
        return after or before

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside one kept span."""
        index = bisect.bisect_right(self.spans, (start, end)) - 1
        return index >= 0 and self.spans[index][0] <= start and end <= self.spans[index][1]

    def add(self, start: int, end: int) -> None:
        """Keep [start, end); the caller has checked it overlaps nothing."""
        bisect.insort(self.spans, (start, end))


def fold(text: str) -> str:
    """Casefold, strip diacritics and unify apostrophes ("Phénix" → "phenix", "d’Or" →
    "d'or"): the form names and aliases are indexed and compared under."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_words(
    regex: re.Pattern[str], text: str, start: int, end: int, word: str = "_"
) -> Iterator[re.Match[str]]:
    """The matches `(?<![\\w])regex` finds in text[start:end] (leftmost, non-overlapping),
    found by searching `regex` and skipping a match that follows a letter, digit or one of
    `word`: a regex opening with a literal is then found by a substring search."""
    while match := regex.search(text, start, end):
        first = match.start()
        if first and (text[first - 1].isalnum() or text[first - 1] in word):
            start = first + 1
            continue
        yield match
        start = max(match.end(), first + 1)


_CAPITALS = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]+")
"""Capital letters of a regex that are no escape (`\\S`) and no `(?P` group (`[SD]?T` is one)."""


def lowered_regex(regex: str) -> str | None:
    """`regex`, written for re.I, for lower-cased text without re.I (which folds the case of
    every character compared): its letters lowered. None when a `(?-i:...)` part needs the
    text as written ("May" the month)."""
    if "(?-i:" in regex:
        return None
    return _CAPITALS.sub(lambda match: match.group().lower(), regex)
