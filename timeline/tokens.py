"""One article's token stream, made once and read by every stage.

`Tokens` holds the article text and, each made on first use and then shared:
- `words`: the words as the place finder reads them, with their folded form and the
  capitalisation facts its rules use (a possessive "'s" is a word of its own);
- `pieces`: the words cut finer, into runs of letters and runs of digits, which is how
  aircraft names are matched ("Il-76MD" is "Il", "76", "MD", so "An-124" is never "An-12");
- `low`: the lower-cased text the event stages scan their phrase tables over, and `scan`,
  a pattern's matches in it found once (the words the event cues count);
- `news_lines`: the body's lines without page furniture, read by the time stage and the
  sentence splitter.
Names in the gazetteer and the aircraft catalogue are keyed by the same functions
(`name_key`, `piece_keys`), so a name and the text are always cut the same way.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import NamedTuple

from timeline.alternation import folded
from timeline.resources import read_table
from timeline.sentences import news_lines
from timeline.spans import fold

_WORD = r"[^\W\d_](?:\.[^\W\d_])+\.?|\w+(?:['’]\w+)*"
_PIECE = r"[^\W\d_]+|\d+"
_WORDS = re.compile(_WORD)
_PIECES = re.compile(_PIECE)
_GAP_WORD = re.compile(rf"(\W*)({_WORD})")
"""A word and the characters before it: every character between words is not a word one."""
_SENTENCE_BREAK = re.compile(r"[.!?\n:“\"—]")
_ONLY_SPACE = re.compile(r"[ \t\-]*")
_SHORT_FORMS = frozenset(row["short"] for _, row in read_table("places/name_abbreviations.tsv"))
"""Abbreviations that open place names ("St.", "Ft."): their full stop ends no name."""


class Word(NamedTuple):
    """One word of the text: offsets, folded form and the capitalisation facts rules use."""

    start: int
    end: int
    norm: str
    cap: bool
    upper: bool
    initial: bool
    """The first word of a sentence, a line or a quotation: its capital says little."""
    joined: bool
    """Only a space, tab or hyphen separates it from the word before."""
    line_start: bool


class Piece(NamedTuple):
    """A run of letters or of digits, as written (`raw`) and folded (`key`)."""

    start: int
    end: int
    raw: str
    key: str

    @property
    def digit(self) -> bool:
        """A run of decimal digits ("²" is a digit to `isdigit` but not a number)."""
        return self.raw[0].isdecimal()


def _opens_name(words: list[Word]) -> bool:
    """Whether the last word is an abbreviation opening a name ("to St. Martin"), not one
    closing it ("Main St. Oslo was quiet")."""
    last = words[-1]
    if last.norm not in _SHORT_FORMS:
        return False
    return len(words) < 2 or not (last.joined and words[-2].cap)


def tokenize(text: str, offset: int = 0) -> list[Word]:
    """Words with their offsets (plus `offset`); a possessive "'s" is a word of its own.
    Read as (gap, word) strings and built as plain tuples, which spares a match object and
    a constructor call per word."""
    out: list[Word] = []
    make = tuple.__new__
    breaks = _SENTENCE_BREAK.search
    only_space = _ONLY_SPACE.fullmatch
    position = offset
    for gap, word in _GAP_WORD.findall(text):
        start = position + len(gap)
        end = position = start + len(word)
        if not out:
            initial, joined, line_start = True, False, True
        elif gap == " " or (gap == ". " and _opens_name(out)):
            initial, joined, line_start = False, True, False  # "St. Martin" is one name
        else:
            initial = breaks(gap) is not None
            joined = only_space(gap) is not None
            line_start = "\n" in gap
        split = len(word) > 2 and word[-2:] in ("'s", "’s", "'S", "’S")
        core = word[:-2] if split else word
        end -= 2 if split else 0
        norm = core.casefold() if core.isascii() else fold(core)
        upper = len(core) > 1 and core.isupper()
        out.append(
            make(Word, (start, end, norm, core[0].isupper(), upper, initial, joined, line_start))
        )
        if split:
            out.append(make(Word, (end, end + 2, "'s", False, False, False, True, False)))
    return out


def name_key(name: str) -> str:
    """The index key of a name: its folded words joined by spaces, as `tokenize` folds them."""
    if name.isascii() and name.replace(" ", "").isalpha():
        return " ".join(name.casefold().split())
    words = []
    for word in _WORDS.findall(fold(name)):
        if len(word) > 2 and word.endswith("'s"):
            words.extend((word[:-2], "'s"))
        else:
            words.append(word)
    return " ".join(words)


def _cut(text: str) -> list[Piece]:
    """The runs of letters and the runs of digits of `text`, each with its folded key. Every
    letter and digit is inside a word, so these are the words cut finer; a run ends where a
    word ends unless the next word follows with nothing between ("f.fbq" is the words "f.f"
    and "bq", the runs "f" and "fbq"). One scan of the text, cheaper than one per word."""
    make = tuple.__new__
    out: list[Piece] = []
    for match in _PIECES.finditer(text):
        run = match.group()
        key = run.casefold() if run.isascii() else fold(run)
        out.append(make(Piece, (match.start(), match.end(), run, key)))
    return out


def piece_keys(text: str) -> tuple[str, ...]:
    """The folded pieces of a name, the key aircraft aliases are indexed under."""
    return tuple(fold(piece) for piece in _PIECES.findall(text))


def lower(text: str) -> str:
    """`text` lower-cased character for character as `re.I` reads it (`folded`: "İ" is
    "i"), so offsets into it are offsets into the text, and a pattern finds in it without
    re.I what it finds in the text with it. A character that would lower to two is kept."""
    low = folded(text)
    if len(low) != len(text):
        low = "".join(char if len(char.lower()) > 1 else char.lower() for char in text)
    return low


class Scan(NamedTuple):
    """The matches of one pattern in the lower-cased text: where each starts, and its text."""

    starts: list[int]
    texts: list[str]


class Tokens:
    """The token stream of one text; each view is made on first use, then shared."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._scans: dict[re.Pattern[str], Scan] = {}
        self._lines: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def news_lines(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans of text[start:end] that are news, furniture left out (see
        `timeline.sentences.news_lines`), found once for the time stage and the sentences."""
        found = self._lines.get((start, end))
        if found is None:
            found = self._lines[start, end] = news_lines(self.text, start, end)
        return found

    def scan(self, pattern: re.Pattern[str]) -> Scan:
        """The matches of `pattern` in `low`, found once per text however many stages ask
        (the event stages' words, which their cues count)."""
        found = self._scans.get(pattern)
        if found is None:
            matches = list(pattern.finditer(self.low))
            found = Scan([m.start() for m in matches], [m.group() for m in matches])
            self._scans[pattern] = found
        return found

    @cached_property
    def words(self) -> list[Word]:
        """The words of the whole text (see `tokenize`)."""
        return tokenize(self.text)

    @cached_property
    def word_starts(self) -> list[int]:
        """Where each word starts, for bisecting."""
        return [word.start for word in self.words]

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words that start in [start, end)."""
        starts = self.word_starts
        return self.words[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    @cached_property
    def pieces(self) -> list[Piece]:
        """The words cut into letter runs and digit runs, each with its folded key."""
        return _cut(self.text)

    @cached_property
    def low(self) -> str:
        """The text lower-cased, as the event stages scan their phrase tables over it."""
        return lower(self.text)
