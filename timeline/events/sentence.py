"""The state every stage of one sentence reads: its text, mentions, clause markers and words."""

from __future__ import annotations

import bisect
from functools import cached_property

from timeline.events.lexicon import lexicon, phrase
from timeline.events.memory import Context, RoleSpan, Subject
from timeline.events.mentions import Mentions
from timeline.model import AircraftMention, PlaceMention, Sentence
from timeline.spans import SpanIndex

_OPENING_CLAUSE = phrase("opening_clause")


class SentenceState:
    """One sentence as the stages see it; `subjects` are set by the reader once found."""

    subjects: list[Subject]
    subject_starts: list[int]
    subject_ends: list[int]
    coordinated: set[int]

    def __init__(
        self,
        mentions: Mentions,
        sentence: Sentence,
        context: Context,
    ) -> None:
        self.text = mentions.text
        self.low = mentions.low
        self.sentence = sentence
        s0, s1 = sentence.start, sentence.end
        self.times = mentions.times.inside(s0, s1)
        self.time_starts = [t.start for t in self.times]
        self.dated = [
            t for t in self.times if t.type in ("DATE", "TIME") and (t.earliest or t.latest)
        ]
        self.dated_starts = [t.start for t in self.dated]
        self.places = mentions.places.inside(s0, s1)
        if self.times and self.places:  # a place inside a time ("10:00 Moscow time") is none
            times = SpanIndex((t.start, t.end) for t in self.times)
            self.places = [p for p in self.places if not times.covers(p.start, p.end)]
        self.place_starts = [p.start for p in self.places]
        self.context = context
        self.lex = lexicon()
        self.role_spans: list[RoleSpan] = []
        self.modifier_starts: dict[int, int] = {}
        self.aircraft: list[AircraftMention] = mentions.aircraft.inside(s0, s1)
        self.people = mentions.people.inside(s0, s1)
        # the article's words as the cues count them, and where each starts, for bisecting
        self.word_starts = mentions.words.starts
        self.words = mentions.words.texts

    @cached_property
    def markers(self) -> list[tuple[int, int, str]]:
        """The clause markers of the sentence (start, end, text); found only for a sentence
        with a trigger, which is the only kind that asks."""
        s0, s1 = self.sentence.start, self.sentence.end
        found = [
            (m.start(), m.end(), m.group(0))
            for m in self.lex.clause_marker.finditer(self.low, s0, s1)
        ]
        opening = _OPENING_CLAUSE.match(self.low, s0, s1)
        if opening:  # "Shortly after X ordered ..., C-17s began": the main clause
            comma = opening.end()
            found = sorted({*found, (comma, comma + 1, ",")})
        return found

    @cached_property
    def marker_ends(self) -> list[int]:
        """Where each clause marker ends, for bisecting."""
        return [end for _, end, _ in self.markers]

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        """This sentence's places that start in [start, end)."""
        return self.places[
            bisect.bisect_left(self.place_starts, start) : bisect.bisect_left(
                self.place_starts, end
            )
        ]
