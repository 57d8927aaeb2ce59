"""Place knowledge: an offline gazetteer and a finder of place names in running news text.

Knowledge is data (`data/places.csv`, `data/geonames_cities.tsv`, `data/countries.tsv`,
`data/admin_regions.tsv`, `data/place_affixes.csv`, `data/demonyms.csv`,
`data/place_stopwords.csv`) plus airportsdata, all loaded once per process.

Mention rules (see `find_places`):
- a name is reported only where a place is named: a capitalised name that is part of a longer
  capitalised name ("Washington Post", "Volga-Dnepr Airlines", "Jamal Khashoggi") is not one;
- abbreviations of countries ("U.S.", "UK") count only when used as a noun ("in the U.S."),
  not as a modifier ("U.S. Air Force", "U.S. officials");
- demonyms ("Russian") are never mentions; `country_of_demonym` maps them to a country;
- "City, Country" and "City, State" are one mention of the city, resolved inside that country
  or state; the country part is absorbed into the span;
- a leading "the" is not part of a name's span, except in "the <demonym> capital".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from timeline.model import Place, PlaceMention
from timeline.places.finder import Finder
from timeline.places.gazetteer import (
    AIRFIELD_KINDS,
    Gazetteer,
    country_of_demonym,
    gazetteer,
    within_km,
)
from timeline.tokens import Tokens, name_key, tokenize

__all__ = ["Gazetteer", "country_of_demonym", "find_places", "gazetteer", "lookup", "within_km"]

CHUNK_CHARS = 100_000


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most about CHUNK_CHARS, cut at line breaks (or spaces) so memory stays flat."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield start, text[start:end]
        start = end


def _short_names(gaz: Gazetteer, text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """Later mentions of an airfield by its bare name ("Lask Air Base" ... "landed at Lask")."""
    extra: list[PlaceMention] = []
    for mention in found:
        if mention.place.kind not in AIRFIELD_KINDS:
            continue
        words = re.split(r"\s+", re.sub(r"^.*['’]s\s+", "", mention.text))
        core = []
        for word in words:
            if name_key(word) in gaz.affix_words or not word[:1].isupper():
                break
            core.append(word)
        if not core or len(core) == len(words) or "'" in " ".join(core):
            continue
        pattern = re.compile(r"\b" + re.escape(" ".join(core)) + r"\b(?![ -]?[A-Z])")
        for match in pattern.finditer(text, mention.end):
            start, end = match.span()
            if any(m.start < end and start < m.end for m in found + extra):
                continue
            extra.append(
                PlaceMention(start, end, match.group(0), mention.place, "short_name", mention.cited)
            )
    return sorted(found + extra, key=lambda m: m.start)


def find_places(text: str, tokens: Tokens | None = None) -> list[PlaceMention]:
    """Place names in running text, resolved, sorted by start, non-overlapping (longest wins).
    `tokens` is the text's token stream when another stage has made it already."""
    gaz = gazetteer()
    stream = tokens or Tokens(text)
    if len(text) <= CHUNK_CHARS:
        finder = Finder(gaz, stream.words, text, 0)
        return _short_names(gaz, text, finder.select(frozenset(finder.context())))
    context: set[str] = set()
    for offset, piece in _chunks(text):
        words = stream.words_in(offset, offset + len(piece))
        context |= Finder(gaz, words, piece, offset).context()
    frozen = frozenset(context)
    out: list[PlaceMention] = []
    for offset, piece in _chunks(text):
        words = stream.words_in(offset, offset + len(piece))
        out.extend(Finder(gaz, words, piece, offset).select(frozen))
    return out


def _context_keys(gaz: Gazetteer, context: str) -> frozenset[str]:
    if not context:
        return frozenset()
    finder = Finder(gaz, tokenize(context[:CHUNK_CHARS]), context[:CHUNK_CHARS], 0)
    return frozenset(finder.context())


def lookup(name: str, *, context: str = "") -> Place | None:
    """The best place for one name; `context` (surrounding text) helps choose among readings."""
    gaz = gazetteer()
    key = name_key(name)
    if not key:
        return None
    evidence = _context_keys(gaz, context)
    entry = gaz.choose(gaz.names.get(key, []), evidence, key)
    if entry:
        return entry.place
    stripped = name.strip()
    if stripped.isupper() and stripped.upper() in gaz.codes:
        return gaz.codes[stripped.upper()]
    finder = Finder(gaz, tokenize(stripped), stripped, 0)
    found = finder.select(evidence | frozenset(finder.context()))
    whole = [m for m in found if m.start == 0 and m.end >= len(stripped.rstrip(".,"))]
    if whole:
        return whole[0].place
    airfields = gaz.airfields.get(key, [])
    if airfields:
        return min(airfields, key=lambda x: (x.tier, x.place.icao)).place
    return None
