"""An article's mentions (times, places, aircraft) prepared once for the sentence stages."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Generic, NamedTuple, TypeVar

from timeline.events.lexicon import lexicon, phrase
from timeline.model import AircraftMention, Article, Place, PlaceMention, TimeMention, evolve
from timeline.tokens import Scan, Tokens


class Noun(NamedTuple):
    """Where a group or nation noun stands ("troops", "Pakistanis")."""

    start: int
    end: int


M = TypeVar("M", TimeMention, PlaceMention, AircraftMention, Noun)
_POSSESSIVE = phrase("possessive")
WORD = phrase("word")
_APPOSITIVE_GAP = phrase("appositive_gap")


class Sorted(Generic[M]):
    """An article's mentions sorted by start, sliced by sentence with bisect."""

    def __init__(self, items: Iterable[M]) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def inside(self, start: int, end: int) -> list[M]:
        """The mentions lying wholly in [start, end)."""
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        return [item for item in self.items[first:last] if item.end <= end]


@dataclass
class Mentions:
    """What the earlier stages found in one article, prepared once for the sentence readers."""

    text: str
    low: str
    times: Sorted[TimeMention]
    places: Sorted[PlaceMention]
    aircraft: Sorted[AircraftMention]
    people: Sorted[Noun]
    """Group nouns and nation nouns ("troops", "Pakistanis"), found once per article."""
    words: Scan
    """The words of the article as the cues count them."""

    @classmethod
    def of(
        cls,
        article: Article,
        times: list[TimeMention],
        aircraft: list[AircraftMention],
        places: list[PlaceMention],
        tokens: Tokens,
    ) -> Mentions:
        """Places as cited, without possessive owners ("Russia's committee") or unknown
        places folded into their owner."""
        text = article.text
        cited = [
            evolve(p, place=evolve(p.place, name=p.cited))
            if p.cited and p.cited != p.place.name  # most are cited under their own name
            else p
            for p in _owned_unknowns_to_owner(text, sorted(places, key=lambda p: p.start))
            if not _POSSESSIVE.match(text, p.end)
        ]
        low = tokens.low
        lex = lexicon()
        people = Sorted(
            Noun(m.start(), m.end())
            for pattern in (lex.personnel, lex.demonym_people)
            for m in pattern.finditer(low)
        )
        words = tokens.scan(WORD)
        return cls(text, low, Sorted(times), Sorted(cited), Sorted(aircraft), people, words)


def _owned_unknowns_to_owner(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """ "Rome's Cecchignola district": a place the gazetteer lacks, owned by a known one, is
    reported as its owner, which has coordinates; the owner's span takes in the unknown."""
    out: list[PlaceMention] = []
    for mention in places:
        owner = out[-1] if out else None
        if (
            owner is not None
            and mention.place.lat is None
            and owner.place.lat is not None
            and _POSSESSIVE.match(text, owner.end)
            and text[owner.end : mention.start].strip() in ("'s", "’s")
        ):
            out[-1] = replace(owner, end=mention.end)
            continue
        out.append(mention)
    return out


def right_after(text: str, ends: list[int], start: int) -> bool:
    """Whether `start` follows one of the sorted `ends` with only spaces between."""
    index = bisect.bisect_right(ends, start) - 1
    return index >= 0 and ends[index] < start and text[ends[index] : start].isspace()


def fold_generic_heads(mentions: list[AircraftMention], text: str) -> list[AircraftMention]:
    """Drop a generic head noun that only continues a typed mention ("An-124 cargo aircraft"),
    that a typed appositive names ("The fifth flight, an IAF C-17, landed"), or that only
    modifies the typed mention right after it ("33 Squadron Boeing 707")."""
    kept: list[AircraftMention] = []
    for mention in mentions:
        if (
            kept
            and mention.aircraft is not None
            and kept[-1].aircraft is None
            and (
                not text[kept[-1].end : mention.start].strip()
                or (
                    _APPOSITIVE_GAP.fullmatch(text, kept[-1].end, mention.start)
                    and text[mention.end : mention.end + 3].lstrip().startswith(",")
                )
            )
        ):
            kept[-1] = mention
            continue
        if mention.aircraft is None and text[mention.end : mention.end + 1] == "-":
            continue
        if (
            kept
            and mention.aircraft is None
            and kept[-1].aircraft is not None
            and not text[kept[-1].end : mention.start].strip()
        ):
            kept[-1] = replace(kept[-1], role=kept[-1].role or mention.role)
            continue
        kept.append(mention)
    return kept


def main_place(article: Article, places: list[PlaceMention]) -> Place | None:
    """The place an article is about: the most named one, the headline's first on a tie."""
    counts = Counter(p.place.name for p in places)
    if not counts:
        return None
    in_headline = {p.place.name for p in places if p.start < article.body_start}
    best = max(counts, key=lambda name: counts[name] + (0.5 if name in in_headline else 0))
    return next(p.place for p in places if p.place.name == best)
