"""Roles: which places of a trigger's clause are its origin, via, destination or location,
from the prepositions before them, with "there"/"the base" read as the place meant and
"home" as the mover's country."""

from __future__ import annotations

import bisect
import itertools
import re

from timeline.events.lexicon import Trigger, phrase
from timeline.events.memory import LOOKBACK, Context, Role, RoleSpan, Subject
from timeline.events.mentions import WORD
from timeline.events.sentence import SentenceState
from timeline.model import Place
from timeline.places import country_of_demonym

_FROM_BEFORE = phrase("from_before")
_TO_AFTER_SUBJECT = phrase("to_after_subject")
_PLACE_NOUN_BARE = phrase("place_noun_bare")
_BOUND_TYPES = frozenset({"departure", "arrival"})
"""Trigger types for which a 'to X' on the aircraft is where it went."""
_THEN_BEFORE = phrase("then_before")
_BETWEEN_BEFORE = phrase("between_before")
_OWNED_PLACE = phrase("owned_place")
_HOME = phrase("home")
_BACK_HOME = phrase("back_home")
_HOME_VERB = phrase("home_verb")
_OUTSIDE = phrase("outside")
_SUMMED_UP = phrase("summed_up")
_AND_PLACE = phrase("and_place")
_CONTAINER_GAP = phrase("container_gap")
_NAMED_OBJECT = phrase("named_object")
_LEFT_AT = phrase("left_at")
_CONTINUATION_IN = phrase("continuation_in")
_CONTINUATION_AFTER = phrase("continuation_after")
_AND_BEFORE_ROLE = phrase("and_before_role")
_NEGATED_PLACE = phrase("negated_place")


def followed_roles(context: Context, sentence_index: int) -> list[Role]:
    """The route of the movement told in the last two sentences, for "X followed"."""
    last = context.last_event
    if last is None or sentence_index - context.last_event_sentence > 2:
        return []
    goal = last.destination or last.location
    return [
        Role(role, place)
        for role, place in (("origin", last.origin), ("destination", goal))
        if place
    ]


class RoleStage(SentenceState):
    """Reads the places of a trigger's clause as roles."""

    def continuation(self, match: re.Match[str]) -> bool:
        """Whether the movement goes on from where the mover was ("flew on to", "then left")."""
        return bool(
            _CONTINUATION_IN.search(match.group(0))
            or _CONTINUATION_AFTER.match(self.low, match.end())
            or _THEN_BEFORE.search(
                self.low, max(self.sentence.start, match.start() - 12), match.start()
            )
        )

    def sums_up(self, match: re.Match[str]) -> bool:
        """Whether a trip noun sums up the journey just told ("ending a tour of A and B")."""
        return bool(
            _SUMMED_UP.search(self.low, max(self.sentence.start, match.start() - 60), match.start())
        )

    def route_before(self, subject: Subject, trigger_start: int, trigger: Trigger) -> list[Role]:
        """A "from X" between the subject and its verb ("an A350 from Shanghai landed"), or
        a "to X" right after an aircraft that left or arrived ("a charter flight to Accra
        left the UK"; not "the envoy to Afghanistan left")."""
        found: list[Role] = []
        if not subject.end:
            return found
        bound = subject.entity.kind == "aircraft" and trigger.event_type in _BOUND_TYPES
        for mention in self.places_in(subject.end, trigger_start)[:LOOKBACK]:
            if mention.end > trigger_start:
                continue
            if _FROM_BEFORE.search(self.text, max(subject.end, mention.start - 12), mention.start):
                return [*found, Role("origin", mention.place)]
            if (
                bound
                and not found
                and _TO_AFTER_SUBJECT.match(self.text, subject.end, mention.start)
            ):
                found.append(Role("destination", mention.place))
        return found

    def home(self, match: re.Match[str], subject: Subject, moved: bool) -> Place | None:
        """ "flew home", "brought 128 Ukrainian prisoners home", "flew back": home is the
        country the nationality of the people an aircraft carried, or of the subject, names;
        "back" only for a mover not already moving (`moved`) in this story."""
        end = match.end()
        back = _BACK_HOME.match(match.group(0)) or _BACK_HOME.match(
            self.low, end, min(self.sentence.end, end + 12)
        )
        if back and (moved or subject.entity.last_place is not None):
            return None  # "flew to Dubai ... and then flew back": back where it came from
        if not (
            back
            or match.group(0).endswith("home")
            or _HOME_VERB.match(match.group(0))
            or _HOME.match(self.low, end, min(self.sentence.end, end + 60))
        ):
            return None
        movers = [subject]
        if subject.entity.kind == "aircraft":  # "a Ukrainian An-124 brought back 50 Indians"
            movers = [
                s for s in self.subjects if s.entity.kind == "personnel" and 0 <= s.start - end < 60
            ] + movers
        for mover in movers:
            phrase = self.text[max(self.sentence.start, mover.start - 30) : mover.end]
            phrase = re.split(r"[,;:]", phrase)[-1]  # not "After talks with Chinese officials,"
            for word in reversed(WORD.findall(phrase)):
                country = country_of_demonym(word) or country_of_demonym(word.removesuffix("s"))
                if country is not None:
                    return country
        return None

    def roles(self, trigger_end: int, window_end: int, trigger: Trigger) -> list[Role]:
        """The roles of the places in the trigger's window, in order."""
        found: list[Role] = []
        self.role_spans = []
        self.coordinated: set[int] = set()
        previous_end = trigger_end
        previous_role = ""
        places = sorted(
            [(p.start, p.end, p.place) for p in self.places_in(trigger_end, window_end)]
            + self._anaphoric_places(trigger_end, window_end),
            key=lambda item: item[0],
        )
        for start, end, place in places:
            gap = self.text[previous_end:start]
            gap_low = gap.lower()
            if _NEGATED_PLACE.search(gap_low):
                previous_end = end
                continue
            if found and _CONTAINER_GAP.match(gap) and previous_end != trigger_end:
                previous_end = end
                continue
            if found and _AND_PLACE.match(gap_low) and previous_role:
                found.append(Role(previous_role, place))
                self.role_spans.append(RoleSpan(previous_role, place, start, end))
                self.coordinated.add(len(found) - 1)
                previous_end = end
                continue
            implied = self.lex.anaphora_preposition.get(self.low[start:end])
            if implied:
                gap_low += f" {implied} "
            role = self._preposition_role(gap_low, trigger)
            if place.kind == "country" and _PLACE_NOUN_BARE.search(gap_low):
                role = ""  # "flew to the region Russia annexed": not an appositive name
            if trigger.kind == "noun" and _OUTSIDE.search(gap_low[-20:]):
                role = ""  # "its first trip outside the United States": not where it went
            if (
                not role
                and previous_end == trigger_end
                and trigger.object_role
                and _NAMED_OBJECT.match(gap_low)
            ):
                role = trigger.object_role
            if (
                not role
                and previous_end == trigger_end
                and trigger.event_type == "departure"
                and _LEFT_AT.match(gap_low)
            ):
                role = "origin"  # "took off in the UK": right after the verb, where it left
            if role and role != "container":
                found.append(Role(role, place))
                self.role_spans.append(RoleSpan(role, place, start, end))
                if found[:-1] and _AND_BEFORE_ROLE.search(gap_low):
                    self.coordinated.add(len(found) - 1)
                previous_role = "destination" if _BETWEEN_BEFORE.search(gap_low) else role
            previous_end = end
        return found

    def clause_end(self, start: int, window_end: int) -> int:
        """Where the trigger's clause ends: a relative or adverbial clause, a new subject."""
        for boundary in self.lex.clause_end.finditer(self.text, start, window_end):
            index = bisect.bisect_right(self.time_starts, boundary.end() + 1) - 1
            if index < 0 or self.times[index].end <= boundary.start():
                return boundary.start()
        return window_end

    def _preposition_role(self, gap: str, trigger: Trigger) -> str:
        """The role the preposition ending `gap` gives a place, for this trigger's type."""
        for pattern, roles in self.lex.prepositions:
            if pattern.search(gap[-40:]):
                return roles[trigger.event_type]
        return ""

    def _anaphoric_places(self, start: int, end: int) -> list[tuple[int, int, Place]]:
        """Places referred back to ("there", "the base"); not a possessive ("the airport's gate") or one a name follows."""
        found = []
        for match in self.lex.place_anaphora_pattern.finditer(self.low, start, end):
            if _OWNED_PLACE.match(self.low[match.end() : match.end() + 4]):
                continue
            named = self.places_in(match.end(), match.end() + 3)
            if named and not self.text[match.end() : named[0].start].strip(" ,"):
                continue  # "the capital Islamabad": the name that follows is the place
            kind = self.lex.place_anaphora[match.group(0).lower()]
            place = self._recent_place(kind, match.start())
            if place is not None:
                found.append((match.start(), match.end(), place))
        return found

    def _recent_place(self, kind: str, before: int) -> Place | None:
        """The latest place of `kind` named before offset `before`, this sentence first."""
        if kind == "event":
            last = self.context.last_event
            return (last.destination or last.location) if last else None
        here = [p.place for p in self.places_in(self.sentence.start, before) if p.end <= before]
        for place in itertools.chain(reversed(here[-LOOKBACK:]), reversed(self.context.places)):
            if (
                kind == "any"
                or place.kind == kind
                or (kind == "airfield" and place.kind in ("airport", "airbase"))
            ):
                return place
        return None
