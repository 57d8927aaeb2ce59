"""Words of running text as the place finder reads them, and the keys names are indexed under."""

from __future__ import annotations

import re

from timeline.resources import read_table
from timeline.spans import fold

_TOKEN = re.compile(r"[^\W\d_](?:\.[^\W\d_])+\.?|\w+(?:['’]\w+)*")
_SENTENCE_BREAK = re.compile(r"[.!?\n:“\"—]")
_ONLY_SPACE = re.compile(r"[ \t\-]*")
_SHORT_FORMS = frozenset(row["short"] for _, row in read_table("places/name_abbreviations.tsv"))
"""Abbreviations that open place names ("St.", "Ft."): their full stop ends no name."""


class Token:
    """One word of the text: offsets, folded form and the capitalisation facts rules use."""

    __slots__ = ("cap", "end", "initial", "joined", "line_start", "norm", "start", "upper")

    def __init__(
        self,
        start: int,
        end: int,
        norm: str,
        cap: bool,
        upper: bool,
        initial: bool,
        joined: bool,
        line_start: bool,
    ) -> None:
        self.start = start
        self.end = end
        self.norm = norm
        self.cap = cap
        self.upper = upper
        self.initial = initial
        self.joined = joined
        self.line_start = line_start


def _opens_name(tokens: list[Token]) -> bool:
    """Whether the last token is an abbreviation opening a name ("to St. Martin"), not one
    closing it ("Main St. Oslo was quiet")."""
    last = tokens[-1]
    if last.norm not in _SHORT_FORMS:
        return False
    return len(tokens) < 2 or not (last.joined and tokens[-2].cap)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word tokens with their offsets; a possessive "'s" is a token of its own."""
    out: list[Token] = []
    previous_end = 0
    breaks = _SENTENCE_BREAK.search
    only_space = _ONLY_SPACE.fullmatch
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = match.group()
        if out:
            gap = text[previous_end:start]
            if gap == " " or (gap == ". " and _opens_name(out)):
                initial, joined, line_start = False, True, False  # "St. Martin" is one name
            else:
                initial = breaks(gap) is not None
                joined = only_space(gap) is not None
                line_start = "\n" in gap
        else:
            initial, joined, line_start = True, False, True
        split = len(word) > 2 and word[-2:] in ("'s", "’s", "'S", "’S")
        core = word[:-2] if split else word
        core_end = end - 2 if split else end
        out.append(
            Token(
                offset + start,
                offset + core_end,
                core.casefold() if core.isascii() else fold(core),
                core[0].isupper(),
                len(core) > 1 and core.isupper(),
                initial,
                joined,
                line_start,
            )
        )
        if split:
            out.append(
                Token(offset + core_end, offset + end, "'s", False, False, False, True, False)
            )
        previous_end = end
    return out


def name_key(name: str) -> str:
    """The index key of a name: its folded tokens joined by spaces, as `tokenize` folds them."""
    if name.isascii() and name.replace(" ", "").isalpha():
        return " ".join(name.casefold().split())
    words = []
    for word in _TOKEN.findall(fold(name)):
        if len(word) > 2 and word.endswith("'s"):
            words.extend((word[:-2], "'s"))
        else:
            words.append(word)
    return " ".join(words)
