"""Mentions → events: one row per reported movement, with roles, time and evidence.

Per sentence: find movement triggers (`data/events/triggers.tsv`), drop those under a
negation/modality cue, find each trigger's subject (an aircraft, a group of people or
a named person, with pronouns and definite references resolved against what the
article said before), read origin/via/destination from the prepositions before
places, and pick the time expression of the trigger's clause. Triggers of one
subject in one sentence make one event, unless a departure follows an arrival (a
new leg). Every decision is recorded so `--explain` can show why.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Generic, TypeVar

from timeline.lexicon import PLACE_NOUN, Lexicon, Trigger, lexicon
from timeline.model import (
    AircraftMention,
    AircraftType,
    Article,
    Event,
    Place,
    PlaceMention,
    Sentence,
    TimeMention,
)
from timeline.places import country_of_demonym, within_km
from timeline.sentences import split_sentences

# A second destination of one subject in one sentence farther than this from the first is a
# new leg ("flew to Brussels ... and returned to Warsaw"), nearer it names the same arrival
# ("flew to Moscow, landing at Vnukovo").
LEG_KM = 100.0
# How far back (in mentions, clause markers or subjects of a sentence) a look-back reaches,
# and how many entities and places the discourse memory keeps: bounds that keep the
# extractor linear in the text's length on any input.
LOOKBACK = 12
MEMORY = 60
ONE_DAY = timedelta(days=1)

_PRONOUNS = {
    "he": "person",
    "she": "person",
    "they": "plural",
    "it": "singular",
    "his": "person",
    "her": "person",
    "their": "plural",
    "the other": "any",
    "the others": "any",
}
_PART_OF = re.compile(r"(?P<number>\w+) of (?:them|those)$")
_POSSESSIVE_PRONOUNS = {"his", "her", "their"}
_WORD = re.compile(r"[\w']+|n't")
M = TypeVar("M", TimeMention, PlaceMention, AircraftMention)
_PRONOUN = re.compile(
    r"\b(?:one|two|three|four|five|six|both|all|some|most|several) of (?:them|those)\b"
    r"|\b(?:he|she|they|it|his|her|their)\b"
    r"|\bthe others?\b(?=\s*,|\s+(?:\w+ed|left|flew|took|was|were|had|has|is|are)\b)",
    re.I,
)
_EXPLETIVE = re.compile(
    r"it\s+(?:is|was|had been|has been)\s+(?:a|an|the|his|her|their|its|[A-Z][\w-]*['’]s)\b", re.I
)
_PREPOSITION = re.compile(
    r"\b(?:under|to|from|in|at|into|onto|with|by|for|on|after|before|over|across|through|via"
    r"|near|towards?|aboard|during|while|as)\b"
)
"""A preposition between a verb and a noun: the noun is not the verb's direct object."""
_POSSESSOR = re.compile(r"^(?:his|her|their|its|[A-Z][\w-]*['’]s)\s+(?:[\w-]+\s+){0,3}$", re.I)
_POSSESSIVE = re.compile(r"['’]s\b")
_CONJUNCT_LEAD = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+)"
    r"(?:(?:a|an|the|some|about|nearly|around|another|several|dozens of|\d[\d,]*|[a-z]+)\s+)?"
    r"(?:[A-Z][\w.-]*\s+){0,3}$"
)
_CONJUNCT_TAIL = re.compile(
    r"\s*(?:to|in|at|into|onto|from|via|by way of|for|on to|near|over|back to)\b", re.I
)
_GAPPED = re.compile(
    r"(?:,\s*|\s+)and\s+(?P<subject>the others?|another(?:\s+one)?|the second|the rest)"
    r"(?=\s+(?:by way of|via|to|from|on to|back to|in|at)\b)",
    re.I,
)
_FOLLOWER = re.compile(
    r"(?:,\s*|\s+)(?:and\s+)?(?P<followed>followed\s+by\s+)?"
    r"(?P<subject>(?:a|the)\s+(?:second|third|fourth|fifth|sixth|seventh|final|last)"
    r"|another(?:\s+one)?|(?:two|three|four|five)\s+more)\b",
    re.I,
)
"""A later movement like the one just told: "followed by a second", ", and a third"."""
_MAKER_AS_NOUN = (
    r"(?=\s*[,;.]|\s+(?:had|has|have|was|were|is|are|landed|left|flew|took|remained|sat)\b)"
)
_ONGOING = re.compile(
    r"\b(?:has|have)\s+(?:been\s+)?(?:still\s+|[a-z]+ly\s+)?$|\b(?:is|are)\s+still\s+$"
)
_DAY_AFTER_GAP = re.compile(r"^\s*(?:,\s*)?(?:on\s+)?$", re.I)
_AFTER_CLAUSE = re.compile(r"\bafter\s+$")
_ALL_OF = re.compile(r"\b(?:all|both|each of|they|these)\b", re.I)
_WHO_AFTER = re.compile(r",?\s+who\b", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
_DEFINITE = re.compile(
    r"\b(?:the|this|that|these|those|its|their|his|her)\s+(?:\w+\s+){0,2}$", re.I
)
_NEW_ENTITY = re.compile(
    r"\b(?:another|other|a second|a third|further|the (?:first|second|third|last|final))"
    r"\s+(?:\w+\s+){0,2}$",
    re.I,
)
_RELATIVE = re.compile(r",?\s*(?:which|who|that)\s+(?:\w+\s+){0,2}$", re.I)
_OPERATED = re.compile(
    r"\b(?:operat|r[au]n|flew|made|conduct|carried out|complet|logged|perform|flown)\w*"
    r"(?: [\w-]+){0,4} $"
)
"""A verb that runs flights ("operated six additional flights", "logged three shuttles")."""
_APPOSITIVE_GAP = re.compile(r"\s*,\s*(?:(?:a|an|the|one)\s+)?(?:[A-Z][\w.'’-]*\s+){0,3}")
"""Between a generic aircraft phrase and a typed one in apposition: ", an IAF "."""
_HOME = re.compile(
    r"(?:[\w,'’ -]{0,50}?\s)?(?:back )?home\b(?! (?:base|town|city|country|page|office|ministry|secretary|affairs|front)\b)"
)
"""'home' as the goal of the movement just told, not 'home base' or 'home ministry'."""
_CLAIM_NOUN = re.compile(r"\b(?:claims?|reports?|rumou?rs?|allegations?|suggestions?)\b")
"""A noun whose that-clause is only something said ("claims that a Y-20 was diverted")."""
_DISMISSED = re.compile(
    r"\b(?:was|were|has been|have been|had been)\s+(?:\w+ly\s+)?"
    r"(?:dismissed|denied|rejected|refuted|disputed)\b"
)
"""The claim is then dismissed: "... were dismissed as groundless"."""
_BARE_NAME = re.compile(
    r"(?:(?<=^)|(?<=[.;:,]\s)|(?<=\band\s)|(?<=\bwhen\s))"
    r"(?P<name>[A-Z][a-z]+\s[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
    r"(?=(?P<gap>\s+(?:(?:has|had|then|later|also|finally|briefly)\s+)?))",
    re.M,
)
"""A capitalised first and last name followed by at most an auxiliary or adverb."""
_SUMMED_UP = re.compile(
    r"\b(?:end|conclud|complet|wrapp?|cap|round)\w*(?: up| off)? (?:a|an|the|his|her|their|its)"
    r"(?: [\w-]+){0,3} $"
)
"""A trip noun summed up by a participle ("ending a twelve-day journey to A, B and C"):
its places recap the whole trip, not the movement the verb reports."""
_RELATIVE_WORDS = frozenset({"which", "who", "where", "whose", "when"})
_AND_BETWEEN = re.compile(r"^\s*(?:,\s*)?(?:and|&|,)\s+(?:\w+\s+){0,4}$", re.I)
_AND_PLACE = re.compile(r"^\s*(?:,\s*)?(?:and|or)\s+(?:(?:at|in|to|via)\s+)?(?:the\s+)?$", re.I)
_CONTAINER_GAP = re.compile(
    r"^\s*,?\s*(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(?=in\b|on\b|of\b|near\b))?"
    r"(?:(?:in|near|outside|on|of|close to)\s+)?(?:(?:the|a|an)\s+)?"
    r"(?:(?:(?:north|south|east|west)(?:-?(?:east|west))?|central|[\w-]+ern|nearby)\s+)?"
    r"(?:(?:part|parts|region|province|city|town|village|district|state|country)\s+)?"
    r"(?:of\s+(?:the\s+)?)?$",
    re.I,
)
_NAMED_OBJECT = re.compile(r"^\s*(?:the\s+)?" + PLACE_NOUN + r"?$", re.I)
_CONTINUATION_IN = re.compile(r"\s(?:on|back|onwards?)$")
_CONTINUATION_AFTER = re.compile(r"\s*(?:back|onwards?|on\s+(?:to|towards)|home)\b")
_AND_BEFORE_ROLE = re.compile(
    r"(?:^|\s)(?:and|or)\s+(?:(?:to|in|at|into)\s+)?(?:the\s+)?(?:[\w-]+\s+)?$", re.I
)
_NEGATED_PLACE = re.compile(r"\bnot\s+(?:from|to|in|at|via)\s+(?:the\s+)?$", re.I)
_WHEN_AFTER_TIME = re.compile(r"^\s*,?\s*when\b", re.I)
_AND_TIME = re.compile(r"^\s*(?:,\s*)?(?:and|or|to|-|–)\s+(?:on\s+|in\s+)?$", re.I)
_OPERATOR_BEFORE = re.compile(
    r"((?:(?:[A-Z][\w.&'’-]*|air|force|forces|airlines?|airways|navy|army)\s+){1,5})$"
)
_OPERATOR_AFTER = re.compile(
    r"^\s*(?:of|operated by|owned by|registered to|belonging to)\s+(?:the\s+)?"
    r"((?:[A-Z][\w.&'’-]*|air|force|forces|airlines?|airways|of|the)(?:\s+(?:[A-Z][\w.&'’-]*|air|force|forces|airlines?|airways|of|the)){0,6})"
)
_OPERATOR_CLAUSE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:owned|operated)\s+by\s+(?P<op>[^,.;]{3,80})"
    r"|\b(?:belongs?|belonged)\s+to\s+(?P<op2>[^,.;]{3,80})",
    re.I,
)
_NOT_OPERATOR_WORDS = {"A", "An", "The", "Another", "His", "Her", "Its", "Their"}


DECISIONS = {
    "gapping": "a verbless conjunct repeats the verb ('and the other by way of Dubai')",
    "follower": "'followed by a second' repeats the movement with its own time",
    "followed_route": "'X followed' takes the route of the movement told just before",
    "home": "'flew home' goes to the country the subject's nationality names",
    "when_clause": "'since October 2019, when he went to ...' dates the movement at that time",
    "summed_up": "a trip noun summing up the journey ('ending a tour of A and B') adds no goal",
    "coordinated": "one movement per coordinated destination ('to X in May and to Y in June')",
    "entity_place": "an arrival or stay with no place is where its mover last was",
    "prior_origin": "a movement with no origin starts where its mover (or the story) last was",
    "previous_origin": "a departure with no origin leaves the previous event's place",
    "story_place": "an arrival or stay with no place is at the previous event's place or the "
    "article's main place",
    "until_published": "a state in the present perfect lasts until publication",
    "story_time": "a sentence with no date of its own keeps the previous event's time",
    "story_day": "a time of day ('at 11 p.m.') falls on the previous event's day",
    "operator_clause": "'the aircraft is owned by X' names the operator",
}
"""The extractor's decisions beside its triggers: each names itself in the `rule` column of
the events it shapes, after the names of the triggers (`data/events/triggers.tsv`)."""


@dataclass
class Referent:
    """Who or what an entity's mentions are about, with the most specific name the article
    gives it so far (its `rank`): the `entity` column of every event about it."""

    name: str
    rank: int = 0

    def offer(self, name: str, rank: int) -> None:
        """Take `name` if it is more specific than the current one (first wins a tie)."""
        if rank > self.rank and name:
            self.name, self.rank = name, rank

    def copy(self) -> Referent:
        """A new referent with this one's name: another mover of the same kind."""
        return Referent(self.name, self.rank)


# How specific a name is: a registration names one airframe; a person's name or a catalogue
# type comes next; a phrase with a nationality ("Russian contractors") beats a bare phrase.
REGISTRATION_NAME, PROPER_NAME, NATIONAL_PHRASE, PHRASE = 4, 3, 2, 1


@dataclass
class Entity:
    """Something that moves and can be referred back to: an aircraft, a group or a person."""

    kind: str
    text: str
    aircraft: AircraftType | None = None
    role: str = ""
    count: int | None = None
    plural: bool = False
    person: bool = False
    operator: str = ""
    last_place: Place | None = None
    seen: int = 0
    referent: Referent = field(default_factory=lambda: Referent(""))


@dataclass(frozen=True)
class Subject:
    """A subject mention in one sentence (offsets relative to the article)."""

    start: int
    end: int
    text: str
    entity: Entity


@dataclass
class Draft:
    """An event being assembled from the triggers of one subject in one sentence."""

    entity: Entity
    subject_text: str
    types: list[str] = field(default_factory=list)
    origin: Place | None = None
    via: list[Place] = field(default_factory=list)
    destinations: list[Place] = field(default_factory=list)
    location: Place | None = None
    overflown: list[Place] = field(default_factory=list)
    when: TimeMention | None = None
    own_time: bool = False
    continuation: bool = False
    ongoing: bool = False
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """One mention `--explain` reports: what was found where, what it resolved to, by which rule.

    `kind` is time | aircraft | personnel | place | trigger; `value` is the resolution
    (a date range, a gazetteer name, an event type).
    """

    kind: str
    text: str
    start: int
    end: int
    value: str = ""
    rule: str = ""


@dataclass(frozen=True)
class Explanation:
    """What the extractor saw in one sentence and what it made of it."""

    sentence: Sentence
    mentions: tuple[Finding, ...]
    events: tuple[Event, ...]
    reasons: tuple[str, ...]


@dataclass
class Context:
    """Discourse memory across sentences: what was last said, and where things were."""

    aircraft: list[Entity] = field(default_factory=list)
    groups: list[Entity] = field(default_factory=list)
    persons: dict[str, Entity] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    last_event: Event | None = None
    last_subject: Entity | None = None
    last_event_sentence: int = -10
    main_place: Place | None = None
    registrations: dict[str, Referent] = field(default_factory=dict)


def _count(text: str, floor: int, before: int, lex: Lexicon) -> int | None:
    """The number written just before a subject ("about 400 contractors")."""
    match = lex.number_pattern.search(text[max(floor, before - 40) : before])
    return _number(match["number"], lex) if match else None


def _number(word: str, lex: Lexicon) -> int | None:
    """A numeral or number word as an int ("1,200", "two", "dozens")."""
    word = word.lower()
    if word in lex.numbers:
        return lex.numbers[word]
    try:
        return int(word.replace(",", ""))
    except ValueError:
        return None


def _operator(text: str, mention: AircraftMention, numbers: dict[str, int], floor: int) -> str:
    """Who flies the aircraft, from the words before it ("Russian Aerospace Forces Il-76")
    or after it ("of/operated by the Royal Air Force"), within its sentence."""
    before = _OPERATOR_BEFORE.search(text[max(floor, mention.start - 60) : mention.start])
    if before:
        words = before.group(1).split()
        while words and (words[0] in _NOT_OPERATOR_WORDS or words[0].lower() in numbers):
            words.pop(0)
        manufacturer = (mention.aircraft.manufacturer if mention.aircraft else "").lower()
        words = [w for w in words if w.lower() not in manufacturer.lower().split()]
        if words:
            return " ".join(words)
    after = _OPERATOR_AFTER.match(text, mention.end, min(len(text), mention.end + 80))
    if after:
        return after.group(1).strip()
    return ""


class _Spans:
    """Non-overlapping [start, end) spans, sorted, for overlap tests in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
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


class _Sorted(Generic[M]):
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
class _Mentions:
    """What the earlier stages found in one article, prepared once for the sentence readers."""

    text: str
    low: str
    times: _Sorted[TimeMention]
    places: _Sorted[PlaceMention]
    aircraft: _Sorted[AircraftMention]

    @classmethod
    def of(
        cls,
        article: Article,
        times: list[TimeMention],
        aircraft: list[AircraftMention],
        places: list[PlaceMention],
    ) -> _Mentions:
        """Places as cited, without possessive owners ("Russia's committee") or unknown
        places folded into their owner."""
        text = article.text
        cited = [
            replace(p, place=replace(p.place, name=p.cited)) if p.cited else p
            for p in _owned_unknowns_to_owner(text, sorted(places, key=lambda p: p.start))
            if not _POSSESSIVE.match(text, p.end)
        ]
        return cls(text, text.lower(), _Sorted(times), _Sorted(cited), _Sorted(aircraft))


def _right_after(text: str, ends: list[int], start: int) -> bool:
    """Whether `start` follows one of the sorted `ends` with only spaces between."""
    index = bisect.bisect_right(ends, start) - 1
    return index >= 0 and ends[index] < start and text[ends[index] : start].isspace()


class _SentenceReader:
    """Finds subjects, roles and times for the triggers of one sentence."""

    def __init__(
        self,
        mentions: _Mentions,
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
        times = _Spans((t.start, t.end) for t in self.times)
        self.places = [
            p for p in mentions.places.inside(s0, s1) if not times.covers(p.start, p.end)
        ]
        self.place_starts = [p.start for p in self.places]
        self.context = context
        self.lex = lexicon()
        self.markers = [
            (m.start(), m.end(), m.group(0))
            for m in self.lex.clause_marker.finditer(self.low, s0, s1)
        ]
        self.marker_ends = [end for _, end, _ in self.markers]
        self.words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(self.low, s0, s1)]
        self.word_starts = [start for start, _, _ in self.words]
        self.role_spans: list[tuple[str, Place, int, int]] = []
        self.subjects = self._subjects(mentions.aircraft.inside(s0, s1))
        self.subject_starts = [subject.start for subject in self.subjects]
        self.subject_ends = [subject.end for subject in self.subjects]

    # --- subjects -------------------------------------------------------------------------

    def _aircraft_entity(self, mention: AircraftMention) -> Entity:
        """The aircraft a mention names: one named before ("the jet"), or a new one."""
        prefix = self.text[max(self.sentence.start, mention.start - 30) : mention.start]
        aircraft = mention.aircraft
        if _DEFINITE.search(prefix) and not _NEW_ENTITY.search(prefix):
            antecedent = self._aircraft_antecedent(aircraft, mention.role)
            if antecedent is not None:
                if mention.registration:
                    antecedent.referent.offer(mention.registration, REGISTRATION_NAME)
                    self.context.registrations[mention.registration] = antecedent.referent
                return antecedent
        entity = Entity(
            kind="aircraft",
            text=mention.text,
            aircraft=aircraft,
            role=mention.role or (aircraft.role if aircraft else ""),
            count=_count(
                self.text, self.sentence.start, self._modifier_start(mention.start), self.lex
            ),
            plural=mention.plural,
            operator=""
            if mention.rule == "registration"
            else _operator(self.text, mention, self.lex.numbers, self.sentence.start),
            referent=self._aircraft_referent(mention),
        )
        return entity

    def _aircraft_referent(self, mention: AircraftMention) -> Referent:
        """The identity of a newly mentioned aircraft: the airframe its registration named
        before, else one named by its registration, its catalogue type or its phrase."""
        registration = mention.registration
        if registration in self.context.registrations:
            return self.context.registrations[registration]
        if registration:
            referent = Referent(registration, REGISTRATION_NAME)
            self.context.registrations[registration] = referent
        elif mention.aircraft is not None:
            referent = Referent(mention.aircraft.name, PROPER_NAME)
        else:
            referent = Referent(*self._name_phrase(mention.start, mention.end))
        return referent

    def _name_phrase(self, start: int, end: int) -> tuple[str, int]:
        """A descriptive mention as a name, and its rank: the head with the modifiers from a
        nationality on ("Russian military transport planes"), else the head alone."""
        cursor = self._modifier_start(start)
        for word in re.finditer(r"\S+", self.text[cursor:start]):
            if any(country_of_demonym(part) for part in _WORD.findall(word.group())):
                return self.text[cursor + word.start() : end], NATIONAL_PHRASE
        return self.text[start:end], PHRASE

    def _aircraft_antecedent(self, aircraft: AircraftType | None, role: str) -> Entity | None:
        """The aircraft a definite phrase refers back to: same type or family, or for a
        generic phrase the latest aircraft of its role ("the jets" is not "the drones")."""
        if aircraft is None:
            recent = list(reversed(self.context.aircraft))
            same = [e for e in recent if role and e.role == role]
            if role in self.lex.own_roles:
                return same[0] if same else None
            plain = [e for e in recent if e.role not in self.lex.distinct_roles or e.role == role]
            return (same or plain or [None])[0]
        for entity in reversed(self.context.aircraft):
            if entity.aircraft is None:
                continue
            if aircraft.icao_type and aircraft.icao_type == entity.aircraft.icao_type:
                return entity
            if aircraft.family and aircraft.family == entity.aircraft.family:
                return entity
            if aircraft.ambiguous and aircraft.manufacturer == entity.aircraft.manufacturer:
                return entity
        return None

    def _group_entity(self, start: int, end: int) -> Entity:
        """The group of people a head noun names: one named before, or a new one."""
        head = self.text[start:end]
        prefix = self.text[max(self.sentence.start, start - 40) : start]
        name, rank = self._name_phrase(start, end)
        if _DEFINITE.search(prefix) and not _NEW_ENTITY.search(prefix) and self.context.groups:
            antecedent = self._group_antecedent(head)
            antecedent.referent.offer(name, rank)
            return antecedent
        collective = head.lower().endswith(("contingent", "group", "team", "delegation"))
        members = self.lex.members_pattern.match(self.text, end) if collective else None
        count = _number(members["number"], self.lex) if members else None
        return Entity(
            kind="personnel",
            text=head,
            count=count
            or _count(self.text, self.sentence.start, self._modifier_start(start), self.lex),
            plural=not collective,
            referent=self._group_referent(head, name, rank),
        )

    def _group_referent(self, head: str, name: str, rank: int) -> Referent:
        """A newly mentioned group's identity: with no nationality of its own, the group the
        article named before with the same noun ("about 400 contractors" after "Russian
        contractors"), else a new one."""
        if rank == PHRASE:
            for group in reversed(self.context.groups):
                if group.text.lower() == head.lower():
                    return group.referent
        return Referent(name, rank)

    def _group_antecedent(self, head: str) -> Entity:
        """The group a definite phrase refers back to: one named with the same noun, else the
        latest group that has moved (the story's travellers), else the latest group."""
        groups = list(reversed(self.context.groups))
        same = [g for g in groups if g.text.lower() == head.lower()]
        moved = [g for g in groups if g.last_place is not None]
        return (same or moved or groups)[0]

    def _modifier_start(self, start: int) -> int:
        """Start of the adjectives before a head noun ("Private military contractors")."""
        cursor = start
        for word in reversed(
            re.findall(r"\S+\s+$|\S+\s+", self.text[max(self.sentence.start, start - 80) : start])[
                -4:
            ]
        ):
            bare = word.strip().strip(",")
            if word.strip() != bare or not bare:
                break
            if (
                bare[0].isdigit()
                or bare.lower() in self.lex.numbers
                or bare.lower()
                in (
                    "the",
                    "a",
                    "an",
                    "some",
                    "about",
                    "another",
                    "of",
                    "all",
                    "and",
                )
            ):
                break
            cursor -= len(word)
        return cursor

    def _bare_names(self) -> list[re.Match[str]]:
        """A person's first and last name with no title, opening a clause right before a
        movement verb ("Emmanuel Macron arrived at La Tontouta"); not a place, an airline
        or a service ("Turkish Airlines flew", "Air Force")."""
        found = []
        for match in _BARE_NAME.finditer(self.text, self.sentence.start, self.sentence.end):
            if not self.lex.trigger_pattern.match(self.low, match.end("gap")):
                continue
            words = match["name"].split()
            last = bisect.bisect_left(self.place_starts, match.end("name")) - 1
            if set(words) & self.lex.not_names or (
                last >= 0 and self.places[last].end > match.start("name")
            ):
                continue
            if any(country_of_demonym(w) for w in words):
                continue
            found.append(match)
        return found

    def _subjects(self, aircraft: list[AircraftMention]) -> list[Subject]:
        """Everything in the sentence that can move: named people, aircraft, groups, pronouns."""
        subjects: list[Subject] = []
        taken = _Spans()

        def free(start: int, end: int) -> bool:
            return not taken.overlaps(start, end)

        lex = self.lex
        s0, s1 = self.sentence.start, self.sentence.end
        for match in [*lex.titles.finditer(self.text, s0, s1), *self._bare_names()]:
            name = match.group(0)
            surname = name.split()[-1]
            entity = self.context.persons.get(surname) or Entity(
                kind="personnel",
                text=name,
                person=True,
                count=1,
                referent=Referent(name, PROPER_NAME),
            )
            self.context.persons[surname] = entity
            subjects.append(Subject(match.start(), match.end(), name, entity))
            taken.add(match.start(), match.end())
        for surname, entity in self.context.persons.items():
            for match in re.finditer(r"\b" + re.escape(surname) + r"\b", self.text[s0:s1]):
                start, end = s0 + match.start(), s0 + match.end()
                if free(start, end):
                    subjects.append(Subject(start, end, surname, entity))
                    taken.add(start, end)
        for start, end, entity in self._maker_references():
            if free(start, end):
                subjects.append(Subject(start, end, self.text[start:end], entity))
                taken.add(start, end)
        personnel = [
            (m.start(), m.end())
            for pattern in (lex.personnel, lex.demonym_people)
            for m in pattern.finditer(self.low, s0, s1)
        ]
        aircraft_ends = sorted(m.end for m in aircraft)
        personnel = [
            (start, end)
            for start, end in sorted(personnel)
            if not _right_after(self.text, aircraft_ends, start)
        ]
        people = _Spans(personnel)
        for mention in _fold_generic_heads(aircraft, self.text):
            generic_overlap = mention.aircraft is None and people.overlaps(
                mention.start, mention.end
            )
            if free(mention.start, mention.end) and not generic_overlap:
                subjects.append(
                    Subject(
                        mention.start, mention.end, mention.text, self._aircraft_entity(mention)
                    )
                )
                taken.add(mention.start, mention.end)
        for start, end in personnel:
            if free(start, end):
                subjects.append(
                    Subject(start, end, self.text[start:end], self._group_entity(start, end))
                )
                taken.add(start, end)
        named = sorted(subjects, key=lambda subject: subject.start)
        named_ends = [subject.end for subject in named]
        for match in _PRONOUN.finditer(self.text, s0, s1):
            if not free(match.start(), match.end()) or _EXPLETIVE.match(self.text, match.start()):
                continue
            k = bisect.bisect_right(named_ends, match.start())
            recent = named[max(0, k - LOOKBACK) : k]
            entity = self._pronoun_entity(match.group(0).lower(), match.end(), recent)
            if entity is not None:
                subjects.append(Subject(match.start(), match.end(), match.group(0), entity))
        subjects.sort(key=lambda s: s.start)
        return [
            subject
            for subject, following in zip(subjects, [*subjects[1:], None], strict=False)
            if not (
                following is not None
                and not following.entity.person
                and _POSSESSOR.match(self.text[subject.start : following.start])
            )
        ]

    def _maker_references(self) -> list[tuple[int, int, Entity]]:
        """ "the Boeing had been parked ...": a maker's name standing for its aircraft named
        earlier, when a verb or punctuation follows (not "the Boeing company")."""
        found = []
        makers: dict[str, Entity] = {}
        for entity in self.context.aircraft:
            if entity.aircraft is not None and entity.aircraft.manufacturer:
                makers[entity.aircraft.manufacturer.split()[0].lower()] = entity
        for maker, entity in makers.items():
            pattern = r"\bthe\s+" + re.escape(maker) + r"\b" + _MAKER_AS_NOUN
            for match in re.finditer(
                pattern, self.text[self.sentence.start : self.sentence.end], re.I
            ):
                start = self.sentence.start + match.start()
                found.append((start, self.sentence.start + match.end(), entity))
        return found

    def _pronoun_entity(self, pronoun: str, end: int, recent: list[Subject]) -> Entity | None:
        """What a pronoun refers to; a possessive ("their markings") first looks back in its
        own sentence, at the few subjects just before it (`recent`)."""
        part = _PART_OF.match(pronoun)
        if part:  # "two of them": that many of the latest plural subject, in this sentence first
            here = [s.entity for s in recent if s.entity.plural]
            whole = here[-1] if here else self._pronoun_entity("they", end, recent)
            count = self.lex.numbers.get(part["number"])
            return replace(whole, count=count, plural=count != 1) if whole else None
        want = _PRONOUNS[pronoun]
        pool = list(self.context.persons.values()) + self.context.groups + self.context.aircraft
        if want == "any":
            return self._other_entity(end)
        if pronoun in _POSSESSIVE_PRONOUNS:
            for subject in reversed(recent):
                if subject.entity.person if want == "person" else subject.entity.plural:
                    return subject.entity
        if want == "person":
            pool = [e for e in pool if e.person]
            last = self.context.last_subject
            if last is not None and last.person:
                return last
        elif want == "plural":
            pool = [e for e in pool if e.plural]
        elif want == "singular":
            pool = [e for e in self.context.aircraft if not e.plural]
        return max(pool, key=lambda e: e.seen) if pool else None

    def _other_entity(self, end: int) -> Entity | None:
        """ "The other(s)": one more of what the last event moved, people if a "who" follows."""
        last = self.context.last_subject
        if _WHO_AFTER.match(self.text, end) or (last is not None and last.kind == "personnel"):
            return Entity(kind="personnel", text="others", plural=True, referent=Referent("others"))
        if last is None:
            return None
        return Entity(
            kind="aircraft",
            text="other",
            aircraft=last.aircraft,
            role=last.role,
            operator=last.operator,
            referent=last.referent.copy(),
        )

    def object_after(self, trigger_end: int) -> Subject | None:
        """The mover a dispatch verb names after itself ("Russia sent two bombers")."""
        return next(
            (
                s
                for s in self.subjects
                if 0 <= s.start - trigger_end < 60 and s.end <= self.sentence.end
            ),
            None,
        )

    def home(self, match: re.Match[str], subject: Subject) -> Place | None:
        """ "flew home", "brought 128 Ukrainian prisoners home": home is the country the
        subject's nationality names, when its noun phrase gives one."""
        end = match.end()
        if not (
            match.group(0).endswith("home")
            or _HOME.match(self.low, end, min(self.sentence.end, end + 60))
        ):
            return None
        phrase = self.text[max(self.sentence.start, subject.start - 30) : subject.end]
        for word in reversed(_WORD.findall(phrase)):
            country = country_of_demonym(word) or country_of_demonym(word.removesuffix("s"))
            if country is not None:
                return country
        return None

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
        moved = self.object_after(match.end()) if trigger.kind == "send" else None
        return moved.end if moved else match.end()

    def conjuncts(self, after: int) -> list[tuple[int, int, str, Entity | None]]:
        """Verbless conjuncts after the last trigger ("landed in Minsk, an An-124 in Tehran
        and a Tu-154 in Damascus", "and the other by way of Dubai"): (start, subject end,
        subject text, entity; None = one more of the main subject)."""
        if self.lex.trigger_pattern.search(self.low, after, self.sentence.end) is None:
            found = [
                (m.start(), m.end("subject"), m["subject"], None)
                for m in _GAPPED.finditer(self.text, after, self.sentence.end)
            ]
            for subject in self.subjects[bisect.bisect_left(self.subject_starts, after) :]:
                if subject.text.lower() in _PRONOUNS:
                    continue
                lead = _CONJUNCT_LEAD.search(
                    self.text, max(after, subject.start - 40), subject.start
                )
                if lead and _CONJUNCT_TAIL.match(self.text, subject.end):
                    found.append((lead.start(), subject.end, subject.text, subject.entity))
            return sorted(found)
        return []

    def gapped(
        self,
        draft: Draft,
        trigger: Trigger,
        conjuncts: list[tuple[int, int, str, Entity | None]],
    ) -> list[Draft]:
        """One more event per verbless conjunct, with the main verb, its own places and time."""
        made = []
        ends = [start for start, *_ in conjuncts[1:]] + [self.sentence.end]
        for (_, subject_end, text, entity), end in zip(conjuncts, ends, strict=True):
            roles = self.roles(subject_end, end, trigger)
            if not roles:
                continue
            if entity is None:
                entity = replace(
                    draft.entity,
                    text=text,
                    count=None,
                    last_place=None,
                    referent=draft.entity.referent.copy(),
                )
            own = self.time_for(subject_end, subject_end, end, after_only=True)
            made.append(
                Draft(
                    entity=entity,
                    subject_text=text,
                    types=list(draft.types),
                    origin=next((p for r, p in roles if r == "origin"), draft.origin),
                    via=[p for r, p in roles if r == "via"],
                    destinations=[p for r, p in roles if r == "destination"]
                    or list(draft.destinations),
                    location=next((p for r, p in roles if r == "location"), None),
                    when=own or draft.when,
                    continuation=draft.continuation,
                    rules=[*draft.rules, "gapping"],
                )
            )
        return made

    def followers(self, draft: Draft, after: int) -> list[Draft]:
        """ "landed in Jeddah on Tuesday, followed by a second with 135 on Wednesday, and a
        third the next day": one more movement like the last, per follower with its own time."""
        if self.lex.trigger_pattern.search(self.low, after, self.sentence.end):
            return []
        found = list(_FOLLOWER.finditer(self.text, after, self.sentence.end))
        if not found or not found[0]["followed"]:
            return []
        ends = [m.start() for m in found[1:]] + [self.sentence.end]
        made = []
        for match, end in zip(found, ends, strict=True):
            own = self.time_for(match.end(), match.end(), end, after_only=True)
            if own is None:
                continue
            made.append(
                replace(
                    draft,
                    entity=replace(
                        draft.entity,
                        text=match["subject"],
                        count=None,
                        referent=draft.entity.referent.copy(),
                    ),
                    subject_text=match["subject"],
                    types=list(draft.types),
                    via=list(draft.via),
                    destinations=list(draft.destinations),
                    overflown=list(draft.overflown),
                    when=own,
                    own_time=True,
                    rules=[*draft.rules, "follower"],
                )
            )
        return made

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        """This sentence's places that start in [start, end)."""
        return self.places[
            bisect.bisect_left(self.place_starts, start) : bisect.bisect_left(
                self.place_starts, end
            )
        ]

    def origin_before(self, subject_end: int, trigger_start: int) -> list[tuple[str, Place]]:
        """A "from X" between the subject and its verb ("an A350 from Shanghai landed")."""
        for mention in self.places_in(subject_end, trigger_start)[:LOOKBACK]:
            if mention.end <= trigger_start and _FROM_BEFORE.search(
                self.text, max(subject_end, mention.start - 12), mention.start
            ):
                return [("origin", mention.place)]
        return []

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
        if relative and relative.start() > 0:
            rel_start = max(s0, trigger_start - 30) + relative.start()
            outside = bisect.bisect_right(self.subject_ends, rel_start)
            if outside and not any(s.start >= rel_start for s in subjects[outside:count]):
                return self._conjoined(outside, outside - 1)
        last = bisect.bisect_right(self.marker_ends, trigger_start)
        markers = [
            end
            for start, end, word in self.markers[max(0, last - LOOKBACK) : last]
            if not self._inside_subject(start)
            and not self._closed_relative(start, end, word, trigger_start)
        ]
        for boundary in reversed([s0, *markers]):
            first = bisect.bisect_left(self.subject_starts, boundary)
            if first < count:
                return self._conjoined(count, first)
        return []

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
            if not _AND_BETWEEN.match(gap) or other.entity.kind != head.entity.kind:
                break
            if head.entity.kind == "personnel":
                continue
            chosen.append(other)
        appositive = [
            s
            for s in before[index + 1 : min(count, index + 3)]
            if s.entity.kind == "aircraft"
            and s.entity.aircraft is not None
            and head.entity.kind == "aircraft"
            and head.entity.aircraft is None
            and re.match(r"^\s*,\s*(?:a|an|the)\s+(?:\w+\s+){0,3}$", self.text[head.end : s.start])
        ]
        if appositive:
            return [appositive[0]]
        return chosen

    # --- roles ----------------------------------------------------------------------------

    def roles(self, trigger_end: int, window_end: int, trigger: Trigger) -> list[tuple[str, Place]]:
        """(role, place) pairs for places in the trigger's window, in order."""
        found: list[tuple[str, Place]] = []
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
                found.append((previous_role, place))
                self.role_spans.append((previous_role, place, start, end))
                self.coordinated.add(len(found) - 1)
                previous_end = end
                continue
            implied = self.lex.anaphora_preposition.get(self.low[start:end])
            if implied:
                gap_low += f" {implied} "
            role = self._preposition_role(gap_low, trigger)
            if (
                not role
                and previous_end == trigger_end
                and trigger.object_role
                and _NAMED_OBJECT.match(gap_low)
            ):
                role = trigger.object_role
            if role and role != "container":
                found.append((role, place))
                self.role_spans.append((role, place, start, end))
                if found[:-1] and _AND_BEFORE_ROLE.search(gap_low):
                    self.coordinated.add(len(found) - 1)
                previous_role = (
                    "destination" if re.search(r"\bbetween\s+(?:the\s+)?$", gap_low) else role
                )
            previous_end = end
        return found

    def clause_end(self, start: int, window_end: int) -> int:
        """Where the trigger's clause ends: a relative or adverbial clause, a new subject."""
        for boundary in self.lex.clause_end.finditer(self.text, start, window_end):
            index = bisect.bisect_right(self.time_starts, boundary.end() + 1) - 1
            if index < 0 or self.times[index].end <= boundary.start():
                return boundary.start()
        return window_end

    def coordinated_parts(
        self,
        trigger: Trigger,
        roles: list[tuple[str, Place]],
        when: TimeMention | None,
        window_end: int,
    ) -> tuple[list[list[tuple[str, Place]]], list[TimeMention | None]]:
        """A verb with coordinated destinations ("went to X and Y", "to X in May and to Y in June")
        reports one movement per destination, each with the time written after it, if any."""
        spans = [
            (index, span) for index, span in enumerate(self.role_spans) if span[0] == "destination"
        ]
        distinct = {span[1] for _, span in spans}
        if (
            trigger.event_type not in ("arrival", "flight")
            or trigger.kind != "verb"
            or len(distinct) < 2
            or not any(index in self.coordinated for index, _ in spans)
        ):
            return [roles], [when]
        others = [(r, p) for r, p in roles if r != "destination"]
        parts, times = [], []
        seen: set[Place] = set()
        for (_, span), next_start in zip(
            spans, [span[2] for _, span in spans[1:]] + [window_end], strict=True
        ):
            if span[1] in seen:
                continue
            seen.add(span[1])
            parts.append([*others, ("destination", span[1])])
            own = self.time_for(span[3], span[3], next_start, after_only=True)
            times.append(own or when)
        return parts, times

    def _preposition_role(self, gap: str, trigger: Trigger) -> str:
        """The role the preposition ending `gap` gives a place, for this trigger's type."""
        for pattern, roles in self.lex.prepositions:
            if pattern.search(gap[-40:]):
                return roles[trigger.event_type]
        return ""

    def _anaphoric_places(self, start: int, end: int) -> list[tuple[int, int, Place]]:
        """Places referred back to ("there", "the base"); a possessive ("the airport's gate") is not one."""
        found = []
        for match in self.lex.place_anaphora_pattern.finditer(self.low, start, end):
            if re.match(r"['’]s\b|\s+of\b", self.low[match.end() : match.end() + 4]):
                continue
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

    # --- time -----------------------------------------------------------------------------

    def time_for(
        self, trigger_start: int, trigger_end: int, window_end: int, *, after_only: bool = False
    ) -> TimeMention | None:
        """The time expression of the trigger's clause: after it, else before it.

        On each side, among a clause's times a calendar date beats a bare clock time, which beats an
        anaphoric one; a time inside an earlier, wider one ("this year ... in mid-October")
        is the more precise reading of the same clause.
        """
        starts = self.dated_starts
        after = self.dated[
            bisect.bisect_left(starts, trigger_end) : bisect.bisect_left(starts, window_end)
        ]
        last = bisect.bisect_left(starts, trigger_start)
        before = (
            []
            if after_only
            else [
                t
                for t in reversed(self.dated[max(0, last - LOOKBACK) : last])
                if t.end <= trigger_start
            ]
        )
        for side in (after, before):
            for tier in (0, 1, 2):
                candidates = [t for t in side if _tier(t) == tier]
                if candidates:
                    joined = self._joined(self._day_after(candidates[0]))
                    if joined.end > candidates[0].end:
                        return joined
                    return self._joined(_narrowest(candidates))
        return None

    def _next_dated(self, offset: int) -> TimeMention | None:
        """The first dated time of the sentence starting at or after `offset`."""
        index = bisect.bisect_left(self.dated_starts, offset)
        return self.dated[index] if index < len(self.dated) else None

    def _day_after(self, first: TimeMention) -> TimeMention:
        """ "at dawn the previous day", "at 11 p.m. on Oct. 2": a part of a day or a clock time
        written just before a day takes that day."""
        if not (first.rule.startswith("clock") or first.rule == "anaph_tod"):
            return first
        other = self._next_dated(first.end)
        if other is not None and _DAY_AFTER_GAP.match(self.text[first.end : other.start]):
            return replace(other, start=first.start, text=self.text[first.start : other.end])
        return first

    def _joined(self, first: TimeMention) -> TimeMention:
        """Join "on Monday evening and on Tuesday" into one interval; read "X, when ..." as X."""
        result = first
        while (other := self._next_dated(result.end + 1)) is not None:
            if not _AND_TIME.match(self.text[result.end : other.start]):
                break
            result = replace(
                result,
                end=other.end,
                text=self.text[result.start : other.end],
                earliest=min(filter(None, (result.earliest, other.earliest)), default=None),
                latest=max(filter(None, (result.latest, other.latest)), default=None),
            )
        return result

    def when_clause_time(self, trigger_start: int) -> TimeMention | None:
        """In "since October 2019, when he went to ...", the event is at October 2019 itself."""
        last = bisect.bisect_left(self.time_starts, trigger_start)
        for time in self.times[max(0, last - LOOKBACK) : last]:
            if time.end <= trigger_start and _WHEN_AFTER_TIME.match(
                self.text[time.end : trigger_start]
            ):
                interval = value_interval(time.value)
                if interval:
                    return replace(time, earliest=interval[0], latest=interval[1], mod="")
        return None

    # --- cues and attribution -------------------------------------------------------------

    def cancelled(self, trigger_start: int) -> str:
        """The reason a trigger is not a reported fact (negation, plan...), or ""."""
        s0 = self.sentence.start
        last = bisect.bisect_right(self.marker_ends, trigger_start) - 1
        clause_start = self.marker_ends[last] if last >= 0 else s0
        if last >= 0 and self.markers[last][2].endswith("that"):
            that = clause_start - len("that")
            if self.lex.denial.search(self.low, max(s0, that - 100), that):
                return "denied"
            if _CLAIM_NOUN.search(self.low, max(s0, that - 40), that) and _DISMISSED.search(
                self.low, trigger_start, self.sentence.end
            ):
                return "denied"
        first = bisect.bisect_left(self.word_starts, clause_start)
        end = bisect.bisect_left(self.word_starts, trigger_start)
        for cue in self.lex.cues:
            if not cue.scope:
                continue
            words = self.words[max(first, end - cue.scope) : end]
            window = " ".join(word for _, _, word in words)
            if window and cue.pattern.search(window):
                return cue.reason
        return ""

    def attribution(self) -> str:
        """Who the sentence says reports it ("according to X", "X said"), or ""."""
        s0, s1 = self.sentence.start, self.sentence.end
        after = self.lex.attribution_after.search(self.text, s0, s1)
        if after:
            return after["source"].strip().rstrip(".\"'”")
        for cue in self.lex.attribution_before.finditer(self.text, s0, s1):
            chunk = self.text[max(s0, cue.start() - 200) : cue.start()]
            piece = re.split(r"[,;:\"“”]|\bthat\b", chunk)[-1].strip()
            words = piece.split()
            if 0 < len(words) <= 8:
                return piece
        return ""


def _tier(time: TimeMention) -> int:
    """Preference among a clause's times: own calendar date, then clock time, then anaphoric."""
    if time.rule.startswith("anaph"):
        return 2
    return 1 if time.rule.startswith("clock") else 0


def _until_published(when: TimeMention | None, published: date, sentence: Sentence) -> TimeMention:
    """A state reported in the present perfect ("has been stuck there") lasts until publication."""
    if when is not None:
        if when.earliest is not None and when.earliest > published:
            return when
        return replace(when, latest=published)
    return TimeMention(
        start=sentence.start,
        end=sentence.start,
        text="",
        type="DATE",
        value="PRESENT_REF",
        latest=published,
        rule="ongoing",
    )


def _on_event_day(when: TimeMention, previous: TimeMention | None) -> TimeMention:
    """Put a time that only names a part of "the day" ("at 11 p.m.", "in the afternoon",
    "later that day", "overnight": the night after) on the day of the previous event: the story's clock, which a date
    mentioned in passing ("a newspaper on Wednesday printed ...") does not move."""
    same_day = when.rule in ("anaph_tod", "anaph_same", "overnight") or (
        when.rule.startswith("clock") and when.value.startswith("XXXX")
    )
    if not same_day or previous is None or previous.earliest is None:
        return when
    if previous.earliest != previous.latest:
        return when
    if when.rule == "overnight":
        return replace(when, earliest=previous.earliest, latest=previous.earliest + ONE_DAY)
    return replace(when, earliest=previous.earliest, latest=previous.earliest)


def _narrowest(candidates: list[TimeMention]) -> TimeMention:
    """The first candidate, unless a later one lies within its interval (and is narrower)."""
    first = candidates[0]
    for other in candidates[1:]:
        if (
            first.earliest
            and first.latest
            and other.earliest
            and other.latest
            and first.earliest <= other.earliest
            and other.latest <= first.latest
            and (other.earliest, other.latest) != (first.earliest, first.latest)
        ):
            return other
    return first


def _fold_generic_heads(mentions: list[AircraftMention], text: str) -> list[AircraftMention]:
    """Drop a generic head noun that only continues a typed mention ("An-124 cargo aircraft"),
    or that a typed appositive names ("The fifth flight, an IAF C-17, landed")."""
    kept: list[AircraftMention] = []
    for mention in mentions:
        if (
            kept
            and mention.aircraft is not None
            and kept[-1].aircraft is None
            and _APPOSITIVE_GAP.fullmatch(text, kept[-1].end, mention.start)
            and text[mention.end : mention.end + 3].lstrip().startswith(",")
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


def value_interval(value: str) -> tuple[date, date] | None:
    """First and last day of a TIMEX3 calendar value (YYYY, YYYY-MM or YYYY-MM-DD)."""
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value)
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(3):
        day = date(year, int(match.group(2)), int(match.group(3)))
        return day, day
    if match.group(2):
        month = int(match.group(2))
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)
        return first, date.fromordinal(last.toordinal() - 1)
    return date(year, 1, 1), date(year, 12, 31)


def _main_place(article: Article, places: list[PlaceMention]) -> Place | None:
    """The place an article is about: the most named one, the headline's first on a tie."""
    counts = Counter(p.place.name for p in places)
    if not counts:
        return None
    in_headline = {p.place.name for p in places if p.start < article.body_start}
    best = max(counts, key=lambda name: counts[name] + (0.5 if name in in_headline else 0))
    return next(p.place for p in places if p.place.name == best)


def _event_type(types: list[str]) -> str:
    """The table's event type for the trigger types one event merged."""
    kinds = set(types)
    if "departure" in kinds and ("arrival" in kinds or "flight" in kinds):
        return "flight"
    for kind in ("flight", "arrival", "departure", "presence"):
        if kind in kinds:
            return kind
    if "loss" in kinds:
        return "presence"
    return "arrival" if "via" in kinds else "flight"


def _finish(
    draft: Draft,
    sentence: Sentence,
    article: Article,
    attribution: str,
    context: Context,
    sentence_index: int,
    silent_time: bool,
) -> Event:
    """Turn a draft into an Event, filling places and time from context where the text is silent."""
    destinations = list(draft.destinations)
    via = list(draft.via)
    if len(destinations) > 1:
        via.extend(destinations[:-1])
        destinations = destinations[-1:]
    event_type = _event_type(draft.types)
    destination = destinations[0] if destinations else None
    location = draft.location
    if destination is None and via and event_type in ("flight", "arrival", "departure"):
        destination = via.pop()
    via.extend(p for p in draft.overflown if p not in via)
    origin = draft.origin
    rules = list(draft.rules)
    recent = context.last_event if sentence_index - context.last_event_sentence <= 2 else None
    staying = event_type in ("arrival", "presence") and not draft.continuation
    if staying and destination is None and location is None and origin is None:
        if draft.entity.last_place is not None:
            rules.append("entity_place")
        if event_type == "presence":
            location = draft.entity.last_place
        else:
            destination = draft.entity.last_place
    if (
        origin is None
        and event_type != "presence"
        and (draft.continuation or draft.entity.last_place is not None)
    ):
        candidate = draft.entity.last_place or (recent.destination if recent else None)
        if candidate is not None and candidate != destination:
            origin = candidate
            rules.append("prior_origin")
    if origin is None and event_type == "departure" and recent is not None:
        origin = recent.destination or recent.location
        if origin is not None:
            rules.append("previous_origin")
    if origin is not None and origin == (destination or location):
        destination = location = None
    if destination is None and location is None and ({"arrival", "presence"} & set(draft.types)):
        previous = (recent.destination or recent.location) if recent else None
        fallback = previous or context.main_place
        if fallback == origin:
            fallback = None
        if fallback is not None:
            rules.append("story_place")
        if event_type == "presence":
            location = fallback
        else:
            destination = fallback
    when = draft.when
    if draft.ongoing and article.published is not None and (when is None or when.latest is None):
        when = _until_published(when, article.published, sentence)
        rules.append("until_published")
    elif when is None and recent is not None and not silent_time:
        when = recent.when
        if when is not None:
            rules.append("story_time")
    elif when is not None and recent is not None:
        moved = _on_event_day(when, recent.when)
        if moved is not when:
            rules.append("story_day")
        when = moved
    entity = draft.entity
    aircraft = entity.aircraft if entity.kind == "aircraft" else None
    return Event(
        article_id=article.article_id,
        event_type=event_type,
        subject_kind=entity.kind,
        subject=draft.subject_text,
        evidence=sentence.text,
        char_start=sentence.start,
        char_end=sentence.end,
        aircraft=aircraft,
        role=entity.role,
        count=entity.count,
        operator=entity.operator,
        origin=origin,
        via=tuple(via),
        destination=destination,
        location=location,
        when=when,
        attribution=attribution,
        rule="+".join(dict.fromkeys(rules)),
    )


def _remember(context: Context, reader: _SentenceReader, index: int) -> None:
    """Update the discourse memory with a sentence's subjects and places (latest last)."""
    for position, subject in enumerate(reader.subjects):
        entity = subject.entity
        entity.seen = index * 1000 + position
        pool = context.aircraft if entity.kind == "aircraft" else context.groups
        if entity.person:
            continue
        pool[:] = [*[e for e in pool if e is not entity][-MEMORY + 1 :], entity]
    context.places[:] = (context.places + [m.place for m in reader.places])[-MEMORY:]
    for surname in list(context.persons)[:-MEMORY]:
        del context.persons[surname]


def build_events(
    article: Article,
    times: list[TimeMention],
    aircraft: list[AircraftMention],
    places: list[PlaceMention],
    *,
    explanations: list[Explanation] | None = None,
) -> list[Event]:
    """All movement events reported in the article's body, in text order."""
    lex = lexicon()
    context = Context(main_place=_main_place(article, places))
    mentions = _Mentions.of(article, times, aircraft, places)
    events: list[Event] = []
    referents: list[Referent] = []
    for index, sentence in enumerate(split_sentences(article.text, *article.body)):
        reader = _SentenceReader(mentions, sentence, context)
        for operator_clause in _OPERATOR_CLAUSE.finditer(sentence.text):
            owner = (operator_clause["op"] or operator_clause["op2"]).strip()
            _assign_operator(
                events,
                owner,
                bool(
                    _ALL_OF.search(
                        sentence.text,
                        max(0, operator_clause.start() - 200),
                        operator_clause.start(),
                    )
                ),
            )
        triggers = [
            (m, lex.triggers[int(m.lastgroup[1:])])
            for m in lex.trigger_pattern.finditer(reader.low, sentence.start, sentence.end)
        ]
        drafts: list[Draft] = []
        last_subjects: list[Subject] = []
        reasons: list[str] = []
        attribution = reader.attribution()
        conjuncts = reader.conjuncts(reader.object_end(*triggers[-1])) if triggers else []
        for position, (match, trigger) in enumerate(triggers):
            window_end = (
                triggers[position + 1][0].start()
                if position + 1 < len(triggers)
                else conjuncts[0][0]
                if conjuncts
                else sentence.end
            )
            reason = reader.cancelled(match.start())
            if reason:
                reasons.append(f"'{match.group(0)}': {reason}")
                continue
            window_end = reader.clause_end(match.end(), window_end)
            roles = reader.roles(match.end(), window_end, trigger)
            decided: list[str] = []
            if trigger.kind == "follows" and not roles:
                roles = _followed_roles(context, index)
                decided += ["followed_route"] if roles else []
            if trigger.kind == "be" and not roles:
                continue
            if trigger.kind == "adds" and not drafts:
                reasons.append(f"'{match.group(0)}': an expectation with no movement reported")
                continue
            moved = reader.object_after(match.end()) if trigger.kind == "send" else None
            if moved is not None:
                subjects = [moved]
            elif trigger.kind == "noun" and drafts:
                subjects = last_subjects
            else:
                subjects = reader.subject_for(match.start(), trigger)
            if not subjects and trigger.kind == "noun":
                subjects = reader.operated_flights(match)
            if not subjects and trigger.mover == "object":
                moved = reader.object_after(match.end())
                direct = moved is not None and not _PREPOSITION.search(
                    reader.low, match.end(), moved.start
                )
                subjects = [moved] if direct else []
            if not subjects:
                reasons.append(f"'{match.group(0)}': no aircraft or people as its subject")
                continue
            last_subjects = [Subject(0, 0, s.text, s.entity) for s in subjects]
            if not any(role == "destination" for role, _ in roles):
                home = reader.home(match, subjects[0])
                roles = [*roles, ("destination", home)] if home else roles
                decided += ["home"] if home else []
            if trigger.kind == "noun" and not drafts and not roles:
                continue
            if (
                trigger.kind == "noun"
                and drafts
                and drafts[-1].destinations
                and _SUMMED_UP.search(
                    reader.low, max(sentence.start, match.start() - 60), match.start()
                )
            ):
                roles = [(role, place) for role, place in roles if role != "destination"]
                decided.append("summed_up")
            own_time = reader.time_for(match.start(), match.end(), window_end, after_only=True)
            clause_time = reader.when_clause_time(match.start())
            decided += ["when_clause"] if clause_time else []
            when = (
                clause_time or own_time or reader.time_for(match.start(), match.end(), window_end)
            )
            continuation = bool(
                _CONTINUATION_IN.search(match.group(0))
                or _CONTINUATION_AFTER.match(reader.low, match.end())
                or "then" in reader.low[max(sentence.start, match.start() - 12) : match.start()]
            )
            split, part_times = reader.coordinated_parts(trigger, roles, when, window_end)
            decided += ["coordinated"] if len(split) > 1 else []
            before_trigger = max(sentence.start, match.start() - 40)
            ongoing = bool(_ONGOING.search(reader.low, before_trigger, match.start()))
            earlier = bool(_AFTER_CLAUSE.search(reader.low, before_trigger, match.start()))
            for subject in subjects:
                before = reader.origin_before(subject.end, match.start()) if subject.end else []
                for number, (part, part_when) in enumerate(zip(split, part_times, strict=True)):
                    _merge(
                        drafts,
                        subject,
                        trigger,
                        before + part,
                        part_when,
                        continuation,
                        [trigger.name, *decided],
                        new_leg=number > 0,
                        ongoing=ongoing,
                        own=part_when is not None and part_when is own_time,
                        earlier=earlier,
                    )
        if drafts and conjuncts:
            drafts.extend(reader.gapped(drafts[-1], triggers[-1][1], conjuncts))
        if drafts:
            drafts.extend(reader.followers(drafts[-1], triggers[-1][0].end()))
        finished: list[tuple[Draft, Event]] = []
        dated_sentence = any(t.type in ("DATE", "TIME") for t in reader.times)
        for draft in drafts:
            if not ({"arrival", "departure", "presence", "loss"} & set(draft.types)) and not (
                draft.origin or draft.via or draft.destinations or draft.location or draft.overflown
            ):
                reasons.append(f"'{draft.subject_text}': a movement with no place")
                continue
            event = _finish(
                draft,
                sentence,
                article,
                attribution,
                context,
                index,
                dated_sentence,
            )
            finished.append((draft, event))
        for draft, event in finished:
            draft.entity.last_place = event.destination or event.location or draft.entity.last_place
            context.last_subject = draft.entity
        made = [event for _, event in finished]
        if made:
            context.last_event = made[-1]
            context.last_event_sentence = index
        events.extend(made)
        referents.extend(draft.entity.referent for draft, _ in finished)
        _remember(context, reader, index)
        if explanations is not None:
            explanations.append(_explain(reader, triggers, made, reasons))
    return [replace(e, entity=r.name) for e, r in zip(events, referents, strict=True)]


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


def _assign_operator(events: list[Event], owner: str, collective: bool) -> None:
    """ "The aircraft is owned by X" names the operator of the last aircraft event without
    one; "All four aircraft belong to X" names it for every such event of that sentence."""
    last: Event | None = None
    for number in range(len(events) - 1, -1, -1):
        event = events[number]
        if last is not None and (not collective or event.char_start != last.char_start):
            break
        if event.subject_kind == "aircraft" and not event.operator:
            events[number] = replace(event, operator=owner, rule=f"{event.rule}+operator_clause")
            last = event


def _same_area(first: Place, second: Place) -> bool:
    """Two destinations of one arrival: close together, or one is the other's country/region."""
    if first.kind in ("country", "region") or second.kind in ("country", "region"):
        return bool(first.country) and first.country == second.country
    return within_km(first, second, LEG_KM)


def _merge(
    drafts: list[Draft],
    subject: Subject,
    trigger: Trigger,
    roles: list[tuple[str, Place]],
    when: TimeMention | None,
    continuation: bool,
    rules: list[str],
    *,
    new_leg: bool = False,
    ongoing: bool = False,
    own: bool = False,
    earlier: bool = False,
) -> None:
    """Add a trigger's roles to the subject's current draft, or start a new leg.

    `earlier`: the trigger tells what happened before the draft ("landed in X after taking
    off from Y"), so a departure completes the same flight instead of starting a leg."""
    current = (
        None if new_leg else next((d for d in reversed(drafts) if d.entity is subject.entity), None)
    )
    gives_origin = trigger.event_type == "departure" or any(r == "origin" for r, _ in roles)
    has_end = current is not None and (current.destinations or current.location)
    new_destinations = [p for r, p in roles if r == "destination"]
    if (
        current is None
        or (has_end and gives_origin and trigger.event_type == "departure" and not earlier)
        or (
            current.destinations
            and new_destinations
            and trigger.event_type == "arrival"
            and trigger.object_role == "destination"
        )
        or (current.location and trigger.event_type in ("flight", "departure"))
        or (
            trigger.kind == "verb"
            and current.destinations
            and new_destinations
            and not _same_area(current.destinations[-1], new_destinations[0])
        )
    ):
        where = (current.location or current.destinations[-1]) if has_end and current else None
        current = Draft(entity=subject.entity, subject_text=subject.text)
        drafts.append(current)
        roles = [*roles, ("origin", where)] if where else roles
    current.types.append(trigger.event_type)
    current.rules.extend(rules)
    current.continuation = current.continuation or continuation
    current.ongoing = current.ongoing or (trigger.event_type == "presence" and ongoing)
    for role, place in roles:
        if role == "origin" and current.origin is None:
            current.origin = place
        elif role == "via" and place not in current.via:
            current.via.append(place)
        elif role == "destination" and place not in current.destinations:
            current.destinations.append(place)
        elif role == "location" and current.location is None:
            current.location = place
        elif role == "overflight" and place not in current.overflown:
            current.overflown.append(place)
    if (
        when is not None
        and own
        and current.own_time
        and current.when is not None
        and trigger.event_type == "arrival"
        and _arrives_later(current.when, when)
    ):
        current.when = _spanning(current.when, when)
    elif when is not None and (
        current.when is None
        or (own and not current.own_time)
        or (own == current.own_time and _tier(when) < _tier(current.when))
    ):
        current.when = when
        current.own_time = own


def _followed_roles(context: Context, sentence_index: int) -> list[tuple[str, Place]]:
    """The route of the movement told in the last two sentences, for "X followed"."""
    last = context.last_event
    if last is None or sentence_index - context.last_event_sentence > 2:
        return []
    goal = last.destination or last.location
    return [
        (role, place) for role, place in (("origin", last.origin), ("destination", goal)) if place
    ]


def _arrives_later(left: TimeMention, arrived: TimeMention) -> bool:
    """An arrival dated a few days after the departure it completes ("took off late on
    Wednesday and landed early on Thursday"): the flight spans both days."""
    if None in (left.earliest, left.latest, arrived.earliest, arrived.latest):
        return False
    gap = arrived.earliest - left.latest  # type: ignore[operator]
    return timedelta(0) < gap <= 3 * ONE_DAY


def _spanning(left: TimeMention, arrived: TimeMention) -> TimeMention:
    """One time from a departure's to an arrival's, written as both are."""
    return replace(left, latest=arrived.latest, text=f"{left.text} … {arrived.text}")


def _explain(
    reader: _SentenceReader,
    triggers: list[tuple[re.Match[str], Trigger]],
    made: list[Event],
    reasons: list[str],
) -> Explanation:
    """What `--explain` shows for one sentence."""
    mentions = (
        [
            Finding("time", t.text, t.start, t.end, f"{t.earliest or ''}..{t.latest or ''}", t.rule)
            for t in reader.times
        ]
        + [Finding(s.entity.kind, s.text, s.start, s.end, s.entity.text) for s in reader.subjects]
        + [Finding("place", p.text, p.start, p.end, p.place.name, p.rule) for p in reader.places]
        + [
            Finding("trigger", m.group(0), m.start(), m.end(), t.event_type, t.name)
            for m, t in triggers
        ]
    )
    if not made and reader.times and reader.subjects and not reasons:
        reasons.append("no movement trigger in the sentence")
    return Explanation(reader.sentence, tuple(mentions), tuple(made), tuple(reasons))
