"""Which of a sentence's movers a trigger moves: the subject of its clause, a dispatched
object ("Russia sent two bombers"), the flights an airline operated, or the subjects of
the verb before a trip noun."""

from __future__ import annotations

import bisect
import re

from timeline.events.lexicon import Trigger, phrase
from timeline.events.memory import LOOKBACK, REGISTRATION_NAME, Subject
from timeline.events.sentence import SentenceState
from timeline.resources import read_lines

_PREPOSITION = phrase("preposition")
_RELATIVE = phrase("relative")
_APPOSITIVE_BEFORE = phrase("appositive_before")
_RELATIVE_WORDS = frozenset(read_lines("events/relative_words.txt"))
_AND_BETWEEN = phrase("and_between")
_OPERATED = phrase("operated")
_GROUND_VEHICLE = phrase("ground_vehicle")
_REPORTING = phrase("reporting_verb")
_SAID = phrase("said_clause")
_SUBJECT_RELATIVE = phrase("subject_relative")
_INCLUDING = phrase("including")
_AND_CLAUSE = phrase("and_clause")
_OBJECT_MOVES = frozenset({"send", "receive"})
"""Trigger kinds whose object, not their subject, is what moves."""


class SubjectStage(SentenceState):
    """Chooses the subject(s) of each trigger."""

    def movers(
        self, match: re.Match[str], trigger: Trigger, drafted: bool, last: list[Subject]
    ) -> list[Subject]:
        """What a trigger moves: a dispatched object, the movers of the verb a trip noun
        follows (`drafted`: an event of this sentence is under way), the subject of its
        clause, flights an airline operated, or the direct object of a verb whose object
        moves ("Spain flew out 100 people")."""
        moved = self.object_after(match.end()) if trigger.kind in _OBJECT_MOVES else None
        if trigger.kind == "receive":  # "received two C-130s", not "received a call about"
            direct = moved is not None and not _PREPOSITION.search(
                self.low, match.end(), moved.start
            )
            return [moved] if direct and moved is not None else []
        if moved is not None:
            return [moved]
        if trigger.kind == "noun" and drafted:
            subjects = last
        else:
            subjects = self.subject_for(match.start(), trigger)
        if not subjects and trigger.kind == "noun":
            subjects = self.operated_flights(match)
        if not subjects and trigger.mover == "object":
            s0 = self.sentence.start
            if _GROUND_VEHICLE.search(self.low, max(s0, match.start() - 40), match.start()):
                return []  # "Buses ferried the troops to the base": no flight
            moved = self.object_after(match.end())
            direct = moved is not None and not _PREPOSITION.search(
                self.low, match.end(), moved.start
            )
            subjects = [moved] if direct and moved is not None else []
        return subjects

    def object_after(self, trigger_end: int) -> Subject | None:
        """The mover a dispatching or receiving verb names after itself ("Russia sent two
        bombers", "Mali received two helicopters")."""
        return next(
            (
                s
                for s in self.subjects
                if 0 <= s.start - trigger_end < 60 and s.end <= self.sentence.end
            ),
            None,
        )

    def operated_flights(self, match: re.Match[str]) -> list[Subject]:
        """ "The airline operated six flights between A and B": flights that an airline or a
        country ran are themselves what moved (an aircraft phrase that is the trigger)."""
        if not _OPERATED.search(
            self.low, max(self.sentence.start, match.start() - 60), match.start()
        ):
            return []
        index = bisect.bisect_right(self.subject_starts, match.start()) - 1
        found = self.subjects[index] if index >= 0 else None
        if found is None or match.start() >= found.end or found.entity.kind != "aircraft":
            return []
        return [found]

    def object_end(self, match: re.Match[str], trigger: Trigger) -> int:
        """Where a trigger's verb phrase ends before its places: after a dispatched object."""
        moved = self.object_after(match.end()) if trigger.kind in _OBJECT_MOVES else None
        return moved.end if moved else match.end()

    def subject_for(self, trigger_start: int, trigger: Trigger) -> list[Subject]:
        """The subject(s) of a trigger: after the nearest clause marker that has one."""
        s0 = self.sentence.start
        subjects = self.subjects
        if trigger.event_type == "loss":
            for subject in subjects[bisect.bisect_left(self.subject_starts, trigger_start) :]:
                if subject.start - trigger_start >= 45:
                    break
                if subject.entity.kind == "aircraft":
                    return [subject]
        count = bisect.bisect_right(self.subject_ends, trigger_start)
        if not count:
            return []
        relative = _RELATIVE.search(self.text[max(s0, trigger_start - 30) : trigger_start])
        rel_start = max(s0, trigger_start - 30) + relative.start() if relative else 0
        if (
            relative
            and relative.start() > 0
            and not self._reported(rel_start, rel_start + len(relative.group(0)))
        ):
            outside = bisect.bisect_right(self.subject_ends, rel_start)
            if outside and not any(s.start >= rel_start for s in subjects[outside:count]):
                return self._conjoined(outside, outside - 1)
        last = bisect.bisect_right(self.marker_ends, trigger_start)
        markers = [
            (start, end)
            for start, end, word in self.markers[max(0, last - LOOKBACK) : last]
            if not self._inside_subject(start)
            and not self._closed_relative(start, end, word, trigger_start)
            and not _SUBJECT_RELATIVE.match(self.low, start)
        ]
        clause = self._and_clause(markers[-1][1] if markers else s0, trigger_start)
        if clause is not None:
            markers.append(clause)
        for start, boundary in reversed([(s0, s0), *markers]):
            first = bisect.bisect_left(self.subject_starts, boundary)
            if first < count:
                return self._conjoined(count, first)
            if self._reported(start, boundary):
                return []  # "officials said the unit arrived": not the officials
        return []

    def _and_clause(self, start: int, trigger_start: int) -> tuple[int, int] | None:
        """ "were evacuated and the plane landed": an 'and' before a determiner that follows a
        verb of movement with no mover between them opens a clause of its own, whose subject
        is after it (not "the troops and the medics landed", where no verb comes before the
        'and', nor "carried troops and the equipment", where a mover does)."""
        found = None
        for match in _AND_CLAUSE.finditer(self.low, start, trigger_start):
            verb = self.lex.trigger_pattern.search(self.low, start, match.start())
            if verb is not None and not any(  # "carrying 200 Americans and their families"
                verb.end() <= s.start < match.start() for s in self.subjects
            ):
                found = (match.start(), match.end())
        return found

    def _reported(self, start: int, end: int) -> bool:
        """Whether a clause marker opens what someone reports ("said", "told reporters
        that", not "announced the move"), and is no aside ("X, officials said, arrived"):
        the reported clause's subject is inside it, never the reporter."""
        if self.text[end : end + 2].lstrip(" ")[:1] == ",":
            return False
        if _SAID.fullmatch(self.low, start, end):
            return True
        return "that" in self.low[start:end] and bool(
            _REPORTING.search(self.low, max(self.sentence.start, start - 30), end)
        )

    def _closed_relative(self, start: int, end: int, word: str, trigger_start: int) -> bool:
        """A relative clause set off by commas and closed before the trigger ("engineers
        from the plant, where the Il-96 is built, were flown"): the verb's subject is not
        in it."""
        return (
            word.strip(" ,") in _RELATIVE_WORDS
            and "," in self.text[max(self.sentence.start, start - 2) : start + 2]
            and "," in self.text[end:trigger_start]
        )

    def _inside_subject(self, offset: int) -> bool:
        """Whether `offset` falls inside one of the sentence's subjects."""
        index = bisect.bisect_right(self.subject_starts, offset) - 1
        return index >= 0 and offset < self.subjects[index].end

    def _conjoined(self, count: int, index: int) -> list[Subject]:
        """Subject `index` plus the aircraft of other types joined to it by "and", among the
        first `count` subjects of the sentence (those before the trigger)."""
        before = self.subjects
        head = before[index]
        chosen = [head]
        first = index
        while head.entity.kind == "aircraft" and first > 0:
            previous = before[first - 1]
            gap = self.text[previous.end : chosen[0].start]
            if previous.entity.kind != "aircraft" or not _AND_BETWEEN.match(gap):
                break
            chosen.insert(0, previous)
            first -= 1
        for other in before[index + 1 : count]:
            gap = self.text[chosen[-1].end : other.start]
            if _INCLUDING.match(gap):  # "30 tankers, including KC-135s": members, not movers
                if head.entity.kind == "aircraft" and head.entity.aircraft is None:
                    # the group is told by its first member's type
                    head.entity.aircraft = other.entity.aircraft
                break
            if not _AND_BETWEEN.match(gap):
                break
            if other.entity.kind != head.entity.kind:
                # "150 personnel and four KC-135s arrived": the aircraft that came with them
                if other.entity.kind == "aircraft":
                    chosen.append(other)
                break
            if head.entity.kind == "personnel":
                continue
            chosen.append(other)
        appositive = [
            s
            for s in before[index + 1 : min(count, index + 3)]
            if s.entity.kind == "aircraft"
            and (s.entity.aircraft is not None or s.entity.referent.rank == REGISTRATION_NAME)
            and head.entity.kind == "aircraft"
            and head.entity.aircraft is None
            and _APPOSITIVE_BEFORE.match(self.text[head.end : s.start])
        ]
        if appositive:
            return [appositive[0]]
        return chosen
