"""What the event stages pass each other and remember across sentences.

An `Entity` is something that moves and can be referred back to; its `Referent` is the
identity its mentions share (and the name the `entity` column shows); a `Subject` is one
mention of it in a sentence; a `Draft` is an event being assembled; `Context` is the
discourse memory of the article read so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from timeline.events.lexicon import Trigger
from timeline.model import AircraftType, Event, Place, PlaceMention, TimeMention

# How far back (in mentions, clause markers or subjects of a sentence) a look-back reaches,
# and how many entities and places the discourse memory keeps: bounds that keep the
# extractor linear in the text's length on any input.
LOOKBACK = 12
MEMORY = 60


class Role(NamedTuple):
    """A place of a movement and the part it plays: origin, via, destination or location."""

    role: str
    place: Place


class RoleSpan(NamedTuple):
    """A role as the sentence writes it: the role, its place, and where the place stands."""

    role: str
    place: Place
    start: int
    end: int


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


class Conjunct(NamedTuple):
    """A verbless conjunct after a sentence's last trigger (", an An-124 in Tehran"): where
    it starts, where its subject ends, the subject's text and entity (None: one more of the
    main subject)."""

    start: int
    subject_end: int
    text: str
    entity: Entity | None


class TriggerMatch(NamedTuple):
    """A movement trigger found in a sentence: the match, and the table row it matched."""

    match: re.Match[str]
    trigger: Trigger


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
    hot_news: bool = False
    rules: list[str] = field(default_factory=list)


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
    last_source: str = ""
    last_source_sentence: int = -10
    last_speaker: str = ""
    last_speaker_at: int = 0
    main_place: Place | None = None
    registrations: dict[str, Referent] = field(default_factory=dict)


def remember(
    context: Context, subjects: list[Subject], places: list[PlaceMention], index: int
) -> None:
    """Update the discourse memory with a sentence's subjects and places (latest last)."""
    for position, subject in enumerate(subjects):
        entity = subject.entity
        entity.seen = index * 1000 + position
        pool = context.aircraft if entity.kind == "aircraft" else context.groups
        if entity.person:
            continue
        pool[:] = [*[e for e in pool if e is not entity][-MEMORY + 1 :], entity]
    context.places[:] = (context.places + [m.place for m in places])[-MEMORY:]
    for surname in list(context.persons)[:-MEMORY]:
        del context.persons[surname]
