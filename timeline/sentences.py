"""Split an article body into sentences with offsets, dropping page furniture.

Paragraphs are split at blank lines, except where the next paragraph starts in
lower case (a sentence broken by a stray blank line). Lines that are headings,
banners or captions (`data/skip_lines.txt`) and datelines ("ROME — ") are not
reported news and are left out. Abbreviations come from `data/abbreviations.txt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from timeline.model import Sentence
from timeline.resources import read_lines
from timeline.spans import lowered_regex, search_words

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_DATELINE = re.compile(r"[A-Z][A-Z .,'/-]{1,60}\s+[—–-]{1,2}\s+(?=[A-Z\"“])")
_NOT_NEWLINE = re.compile(r"[^\n]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_WORD_AFTER = re.compile(r"[\"'“‘(\[]?([A-Z][a-z]*)\b")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(word.lower() for word in read_lines("abbreviations.txt"))


@cache
def _openers() -> frozenset[str]:
    return frozenset(read_lines("sentence_openers.txt"))


Tail = tuple[re.Pattern[str], bool, bool]
"""A furniture pattern reaching to the line's end: regex, opens with `\\b`, reads lower case."""


@cache
def _skip_line() -> tuple[re.Pattern[str], tuple[Tail, ...]]:
    """The furniture patterns (re.I): those anchored at the line's start as one regex, and
    those opening with `[^\\n]*` (a caption's credit at its end) one by one, searched
    without it (in the lower-cased line when they have no case-sensitive part, a leading
    `\\b` left to `search_words`), which a literal opening turns into a substring search."""
    heads: list[str] = []
    tails: list[Tail] = []
    for pattern in read_lines("skip_lines.txt"):
        if not pattern.startswith("[^\\n]*"):
            heads.append(f"(?:{pattern})")
            continue
        body = pattern.removeprefix("[^\\n]*")
        lowered = lowered_regex(body)
        source = body if lowered is None else lowered
        word_start = source.startswith("\\b")
        flags = re.I if lowered is None else 0
        tails.append(
            (re.compile(source.removeprefix("\\b"), flags), word_start, lowered is not None)
        )
    return re.compile("|".join(heads), re.I), tuple(tails)


@cache
def _embed_markers() -> tuple[tuple[re.Pattern[str], bool], ...]:
    """The embed markers one by one, each with whether it opens with `\\b`, which is left
    to `search_words`: a marker opening with a literal ("t.co/") is then a substring search,
    where one alternation of them all is tried at every character."""
    lines = read_lines("embed_markers.txt")
    return tuple((re.compile(p.removeprefix("\\b")), p.startswith("\\b")) for p in lines)


def _has_embed_marker(text: str, start: int, end: int) -> bool:
    for marker, word_start in _embed_markers():
        found = next(search_words(marker, text, start, end), None) if word_start else None
        if found or (not word_start and marker.search(text, start, end)):
            return True
    return False


POST_LINES = 4
"""The most lines an embedded post's paragraph holds; a longer block with a post's marker
is a page written with single line breaks, whose other lines are the article's."""


def _kept_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of news text: furniture lines and embedded posts' paragraphs left out."""
    for para_start, para_end in _paragraphs(text, start, end):
        if not _has_embed_marker(text, para_start, para_end):
            yield from _lines(text, para_start, para_end)
        elif text.count("\n", para_start, para_end) >= POST_LINES:
            for line_start, line_end in _lines(text, para_start, para_end):
                yield from _unmarked(text, line_start, line_end)


def _unmarked(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The lines of text[start:end] that carry no embedded post's marker, as spans."""
    offset = start
    for line in text[start:end].split("\n"):
        line_end = offset + len(line)
        if line.strip() and not _has_embed_marker(line, 0, len(line)):
            yield offset, line_end
        offset = line_end + 1


def news_lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans of `text[start:end]` that are news: furniture lines (captions, banners) and
    embedded posts' paragraphs left out. Both the time stage and the sentences read them."""
    return list(_kept_lines(text, start, len(text) if end is None else end))


def without_furniture(
    text: str, start: int = 0, end: int | None = None, lines: list[tuple[int, int]] | None = None
) -> str:
    """`text[start:end]` with furniture blanked out, offsets unchanged, so a caption's or a
    post's date cannot anchor the story's relative dates; `lines` are its `news_lines`."""
    end = len(text) if end is None else end
    pieces: list[str] = []
    cursor = start
    for line_start, line_end in news_lines(text, start, end) if lines is None else lines:
        pieces.append(_NOT_NEWLINE.sub(" ", text[cursor:line_start]))
        pieces.append(text[line_start:line_end])
        cursor = line_end
    pieces.append(_NOT_NEWLINE.sub(" ", text[cursor:end]))
    return "".join(pieces)


def _paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Paragraph spans, re-joining a paragraph whose successor starts in lower case."""
    cursor = start
    para_start = start
    for gap in _PARAGRAPH.finditer(text, start, end):
        following = text[gap.end() : gap.end() + 1]
        if following.islower():
            continue
        yield para_start, gap.start()
        para_start = gap.end()
        cursor = gap.end()
    if cursor <= end:
        yield para_start, end


def _is_furniture(line: str) -> bool:
    """Whether a line is a heading, banner or caption."""
    heads, tails = _skip_line()
    if heads.match(line):
        return True
    low = line.lower()
    for regex, word_start, lowered in tails:
        subject = low if lowered else line
        if word_start:
            if next(search_words(regex, subject, 0, len(subject)), None):
                return True
        elif regex.search(subject):
            return True
    return False


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The paragraph's lines, or the whole paragraph when no line is furniture."""
    offset = start
    kept_from = start
    for line in text[start:end].split("\n"):
        line_end = offset + len(line)
        if _is_furniture(line):
            if kept_from < offset:
                yield kept_from, offset
            kept_from = line_end + 1
        offset = line_end + 1
    if kept_from < end:
        yield kept_from, end


def _opens_sentence(text: str, start: int) -> bool:
    """A word that only opens a sentence follows ("... at 11:53 a.m. The plane")."""
    word = _WORD_AFTER.match(text, start)
    return word is not None and word.group(1) in _openers()


def _is_abbreviation(text: str, period: int) -> bool:
    """The full stop ends an abbreviation or an initial ("J. Smith"), not "07:00Z."."""
    word = _WORD_BEFORE.search(text, max(0, period - 12), period)
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    glued = word.start() > 0 and text[word.start() - 1].isalnum()
    return token in _abbreviations() or (len(token) == 1 and not glued)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(
    text: str, start: int = 0, end: int | None = None, lines: list[tuple[int, int]] | None = None
) -> list[Sentence]:
    """Sentences of `text[start:end]`, each with offsets into `text`; `lines` are its
    `news_lines` when they have been found already."""
    end = len(text) if end is None else end
    sentences: list[Sentence] = []
    for line_start, line_end in news_lines(text, start, end) if lines is None else lines:
        line_start, line_end = _strip(text, line_start, line_end)
        dateline = _DATELINE.match(text, line_start, line_end)
        if dateline:
            line_start = dateline.end()
        sent_start = line_start
        for boundary in _BOUNDARY.finditer(text, line_start, line_end):
            if (
                text[boundary.start()] == "."
                and _is_abbreviation(text, boundary.start())
                and not _opens_sentence(text, boundary.end())
            ):
                continue
            cut = boundary.end()
            s, e = _strip(text, sent_start, cut)
            if s < e:
                sentences.append(Sentence(s, e, text[s:e]))
            sent_start = cut
        s, e = _strip(text, sent_start, line_end)
        if s < e:
            sentences.append(Sentence(s, e, text[s:e]))
    return sentences
