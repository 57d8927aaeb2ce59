"""Subjects and reference: who or what can move in a sentence, and what each mention refers
to: a new entity or one the article named before ("they", "the group", "the plane", "the
Voyager" after "an RAF Voyager", "the Boeing", "two of them")."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from timeline.alternation import guarded
from timeline.events.attribution import operator_of
from timeline.events.lexicon import PRONOUN_ROWS, PRONOUNS, Lexicon, lowered, phrase
from timeline.events.memory import (
    LOOKBACK,
    NATIONAL_PHRASE,
    PHRASE,
    PROPER_NAME,
    REGISTRATION_NAME,
    Entity,
    Referent,
    Subject,
)
from timeline.events.mentions import WORD, fold_generic_heads, right_after
from timeline.events.sentence import SentenceState
from timeline.model import AircraftMention, AircraftType
from timeline.places import country_of_demonym
from timeline.resources import read_lines
from timeline.spans import SpanIndex

_PART_OF = phrase("part_of")
_ONE_OF = phrase("one_of")
_FIRST_FEW_OF = phrase("first_few_of")
_MEMBER_COUNT = phrase("member_count")
_COLLECTIVE_NOUNS = tuple(read_lines("events/collective_nouns.txt"))
_GENERIC_PEOPLE = frozenset(read_lines("events/generic_people.txt"))
_MODIFIER_STOPS = frozenset(read_lines("events/modifier_stops.txt"))
_POSSESSIVE_PRONOUNS = {row["pronoun"] for row in PRONOUN_ROWS if row["possessive"] == "yes"}
_PRONOUN = lowered(phrase("pronoun"))
_EXPLETIVE = phrase("expletive")
_POSSESSOR = phrase("possessor")
_COLLECTIVE_OF = phrase("collective_of")
_PEOPLE_AS_MODIFIER = phrase("people_as_modifier")
_MAKER_AS_NOUN = phrase("maker_as_noun").pattern
_WHO_AFTER = phrase("who_after")
_DEFINITE = phrase("definite")
_NEW_ENTITY = phrase("new_entity")
_BARE_NAME = guarded(phrase("bare_name"))
_SPACED_WORD = re.compile(r"\S+\s+$|\S+\s+")


def _count(low: str, floor: int, before: int, lex: Lexicon) -> int | None:
    """The number written just before a subject ("about 400 contractors"), read in the
    lower-cased text."""
    match = lex.number_pattern.search(low[max(floor, before - 40) : before])
    return _number(match["number"], lex) if match else None


def _number(word: str, lex: Lexicon) -> int | None:
    """A numeral or number word as an int ("1,200", "two", "dozens")."""
    word = word.lower()
    if word in lex.numbers:
        return lex.numbers[word]
    try:
        return int(re.sub(r"[,\s]", "", word))
    except ValueError:
        return None


def _modifies(text: str, end: int, heads: set[int]) -> bool:
    """Whether a noun ending at `end` only modifies the aircraft or group noun right after
    it: the head of an English compound is its last noun ("National Guard C-130s")."""
    after = end + len(text[end : end + 3]) - len(text[end : end + 3].lstrip(" "))
    return after > end and after in heads


class ReferenceStage(SentenceState):
    """Finds the sentence's movers and resolves each to an entity of the discourse memory."""

    def _aircraft_entity(self, mention: AircraftMention) -> Entity:
        """The aircraft a mention names: one named before ("the jet"), or a new one."""
        prefix = self.text[max(self.sentence.start, mention.start - 30) : mention.start]
        aircraft = mention.aircraft
        if _DEFINITE.search(prefix) and not _NEW_ENTITY.search(prefix):
            antecedent = self._aircraft_antecedent(aircraft, mention.role)
            if antecedent is not None:
                stated = self._aircraft_count(mention) if mention.plural else None
                if stated is not None and stated > 1:
                    antecedent.count = stated  # "the two bombers": there are two
                if mention.registration:
                    antecedent.referent.offer(mention.registration, REGISTRATION_NAME)
                    self.context.registrations[mention.registration] = antecedent.referent
                return antecedent
        entity = Entity(
            kind="aircraft",
            text=mention.text,
            aircraft=aircraft,
            role=mention.role or (aircraft.role if aircraft else ""),
            count=self._aircraft_count(mention),
            plural=mention.plural,
            operator=""
            if mention.rule == "registration"
            else operator_of(self.text, mention, self.lex.numbers, self.sentence.start),
            referent=self._aircraft_referent(mention),
        )
        return entity

    def _aircraft_count(self, mention: AircraftMention) -> int | None:
        """How many aircraft a new mention is about: the first few or one of a number ("the
        first two of 12 F-35s", "the second of eight C-130Js"), the number written before it,
        or one for a singular phrase."""
        start = self._modifier_start(mention.start)
        few = _FIRST_FEW_OF.search(self.text, max(self.sentence.start, start - 40), start)
        counted = _number(few["number"], self.lex) if few else None
        if counted is not None:
            return counted
        if _ONE_OF.search(self.text, max(self.sentence.start, start - 40), start):
            return 1
        count = _count(self.low, self.sentence.start, start, self.lex)
        return 1 if count is None and not mention.plural else count

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
            if any(country_of_demonym(part) for part in WORD.findall(word.group())):
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
        """The group of people a head noun names: one named before, or a new one, with the
        number of its members ("a contingent of 400", "a 52-member relief team")."""
        head = self.text[start:end]
        prefix = self.text[max(self.sentence.start, start - 40) : start]
        name, rank = self._name_phrase(start, end)
        if _DEFINITE.search(prefix) and not _NEW_ENTITY.search(prefix) and self.context.groups:
            antecedent = self._group_antecedent(head)
            if antecedent is not None:
                antecedent.referent.offer(name, rank)
                return antecedent
        collective = head.lower().endswith(_COLLECTIVE_NOUNS)
        members = self.lex.members_pattern.match(self.text, end) if collective else None
        members = members or _MEMBER_COUNT.search(
            self.low, max(self.sentence.start, start - 60), start
        )
        count = _number(members["number"], self.lex) if members else None
        one = bool(self.lex.title_noun.fullmatch(head))  # "the president ... He": a person
        return Entity(
            kind="personnel",
            text=head,
            count=count
            or _count(self.low, self.sentence.start, self._modifier_start(start), self.lex),
            plural=not collective and not one,
            person=one,
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

    def _group_antecedent(self, head: str) -> Entity | None:
        """The group a definite phrase refers back to: one named with the same noun, else,
        for a noun that names no kind of people ("the group", "the men"), the latest group
        that has moved (the story's travellers) or the latest group. "The medics" after
        "the troops" are other people."""
        groups = list(reversed(self.context.groups))
        same = [g for g in groups if g.text.lower() == head.lower()]
        if same:
            return same[0]
        nation = self.lex.demonym_people.match(head.lower())
        if head.lower() not in _GENERIC_PEOPLE and not (nation and nation.end() == len(head)):
            return None
        moved = [g for g in groups if g.last_place is not None]
        return (moved or groups)[0]

    def _modifier_start(self, start: int) -> int:
        """Start of the adjectives before a head noun ("Private military contractors");
        asked twice per mover (its name and its count), so kept per sentence."""
        known = self.modifier_starts.get(start)
        if known is None:
            known = self.modifier_starts[start] = self._find_modifier_start(start)
        return known

    def _find_modifier_start(self, start: int) -> int:
        """The walk back over at most four modifier words that `_modifier_start` keeps."""
        cursor = start
        for word in reversed(
            _SPACED_WORD.findall(self.text[max(self.sentence.start, start - 80) : start])[-4:]
        ):
            bare = word.strip().strip(",")
            if word.strip() != bare or not bare:
                break
            at = cursor - len(word)
            verb = self.lex.trigger_pattern.match(self.low, at)
            if (
                bare[0].isdigit()
                or bare.lower() in self.lex.numbers
                or bare.lower() in _MODIFIER_STOPS
                or (verb is not None and verb.end() == at + len(bare))  # "Two C-17s carried troops"
            ):
                break
            cursor -= len(word)
        return cursor

    def _bare_names(self) -> list[re.Match[str]]:
        """A person's first and last name with no title, opening a clause right before a
        movement verb ("Emmanuel Macron arrived at La Tontouta"); not a place, an airline
        or a service ("Turkish Airlines flew", "Air Force"), nor a number of aircraft ("Four
        Lancers deployed")."""
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
            if words[0].lower() in self.lex.numbers or any(  # "Four Lancers deployed"
                a.start < match.end("name") and match.start("name") < a.end for a in self.aircraft
            ):
                continue
            found.append(match)
        return found

    def _subjects(self, aircraft: list[AircraftMention]) -> list[Subject]:
        """Everything in the sentence that can move: named people, aircraft, groups, pronouns."""
        subjects: list[Subject] = []
        taken = SpanIndex()

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
            if surname not in self.sentence.text:  # most sentences name nobody seen before
                continue
            for match in re.finditer(r"\b" + re.escape(surname) + r"\b", self.sentence.text):
                start, end = s0 + match.start(), s0 + match.end()
                if free(start, end):
                    subjects.append(Subject(start, end, surname, entity))
                    taken.add(start, end)
        for start, end, entity in self._maker_references():
            if free(start, end):
                subjects.append(Subject(start, end, self.text[start:end], entity))
                taken.add(start, end)
        personnel = self.people
        aircraft_ends = sorted(m.end for m in aircraft)
        aircraft_starts = sorted(m.start for m in aircraft)
        heads = {m.start for m in aircraft} | {start for start, _ in personnel}
        personnel = [
            (start, end)
            for start, end in sorted(personnel)
            if not right_after(self.text, aircraft_ends, start)
            and not _modifies(self.text, end, heads)
            and not self._counts_aircraft(start, end, aircraft_starts)
            and not _PEOPLE_AS_MODIFIER.match(self.low, end)  # "the marine base"
        ]
        people = SpanIndex(personnel)
        for mention in fold_generic_heads(aircraft, self.text):
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
        for match in _PRONOUN.finditer(self.low, s0, s1):
            start, end = match.span()
            if not free(start, end) or _EXPLETIVE.match(self.text, start):
                continue
            k = bisect.bisect_right(named_ends, start)
            recent = named[max(0, k - LOOKBACK) : k]
            entity = self._pronoun_entity(match.group(0), end, recent)
            if entity is not None:
                subjects.append(Subject(start, end, self.text[start:end], entity))
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

    def _counts_aircraft(self, start: int, end: int, aircraft_starts: list[int]) -> bool:
        """Whether a collective noun counts the aircraft after it ("a group of four Su-34s",
        "a squadron of F-35As"): the aircraft move, not a group of people."""
        if not self.low[start:end].endswith(_COLLECTIVE_NOUNS):
            return False
        index = bisect.bisect_right(aircraft_starts, end)
        if index == len(aircraft_starts):
            return False
        gap = self.text[end : aircraft_starts[index]]
        return bool(_COLLECTIVE_OF.match(gap)) and not self.lex.trigger_pattern.search(gap)

    def _maker_references(self) -> list[tuple[int, int, Entity]]:
        """ "the Boeing had been parked ...": a maker's name standing for its aircraft named
        earlier, when a verb or punctuation follows (not "the Boeing company")."""
        found = []
        makers: dict[str, Entity] = {}
        for entity in self.context.aircraft:
            if entity.aircraft is not None and entity.aircraft.manufacturer:
                makers[entity.aircraft.manufacturer.split()[0].lower()] = entity
        sentence = self.sentence.text
        low = sentence.lower() if makers and sentence.isascii() else None
        for maker, entity in makers.items():
            if low is not None and maker.isascii() and maker not in low:
                continue  # ASCII text can only match an ASCII maker's name as written
            pattern = r"\bthe\s+" + re.escape(maker) + r"\b" + _MAKER_AS_NOUN
            for match in re.finditer(pattern, sentence, re.I):
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
        want = PRONOUNS[pronoun]
        pool = list(self.context.persons.values()) + self.context.groups + self.context.aircraft
        if want == "any":
            return self._other_entity(end)
        if pronoun in _POSSESSIVE_PRONOUNS:
            for subject in reversed(recent):
                if subject.entity.person if want == "person" else subject.entity.plural:
                    return subject.entity
        if want == "person":
            here = [s.entity for s in recent if s.entity.person]
            if here:  # "The minister said he flew": the person this sentence just named
                return here[-1]
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
