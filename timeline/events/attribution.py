"""Attribution and operator: who the sentence says reports a movement ("according to X"),
and who flies the aircraft ("Russian Aerospace Forces Il-76", "owned by X")."""

from __future__ import annotations

import re
from dataclasses import replace

from timeline.events.lexicon import PRONOUNS, lexicon, phrase
from timeline.events.sentence import SentenceState
from timeline.model import AircraftMention, Event
from timeline.resources import read_lines

_OPERATOR_BEFORE = phrase("operator_before")
_OPERATOR_AFTER = phrase("operator_after")
_OPERATOR_LEAD = phrase("operator_lead")
_OPERATOR_CLAUSE = phrase("operator_clause")
_OPERATOR_UNIT = phrase("operator_unit")
_OPERATOR_POSSESSIVE = phrase("operator_possessive")
_OPERATOR_SENDER = phrase("operator_sender")
_ATTRIBUTION_CUT = phrase("attribution_cut")
_SOURCE_LEAD = phrase("source_lead")
_UNSAID = phrase("unsaid")
_PASSIVE_REPORT = phrase("passive_report")
_IT_REPORTER = phrase("it_reporter")
_APPOSITIVE_SOURCE = phrase("appositive_source")
_CITING_OPENER = phrase("citing_opener")
_PERSON_SOURCE = phrase("person_source")
_OWNER_NAME = phrase("owner_name")
_SOURCE_TAIL = phrase("source_tail")
_SOURCE_END = phrase("source_end")
_NOT_OPERATOR_WORDS = frozenset(read_lines("events/not_operator_words.txt"))
_ALL_OF = phrase("all_of")
_SENTENCE_END = phrase("word_sentence_end")


def operator_of(
    text: str, mention: AircraftMention, numbers: dict[str, int | None], floor: int
) -> str:
    """Who flies the aircraft, from the words before it ("Russian Aerospace Forces Il-76"),
    a body owning or sending it ("the Navy's newest aircraft, the P-8A", "the Air Force
    dispatched two C-17s") or the words after it ("of/operated by the Royal Air Force"),
    within its sentence."""
    before = _OPERATOR_BEFORE.search(text[max(floor, mention.start - 60) : mention.start])
    if before:
        words = before.group(1).split()
        while words and (words[0] in _NOT_OPERATOR_WORDS or words[0].lower() in numbers):
            words.pop(0)
        manufacturer = (mention.aircraft.manufacturer if mention.aircraft else "").lower()
        words = [w for w in words if w.lower() not in manufacturer.lower().split()]
        lead = _OPERATOR_LEAD.match(mention.text) if mention.aircraft is None else None
        if words:
            return " ".join([*words, lead.group(0)] if lead else words)
    window = max(floor, mention.start - 140), mention.start
    owned = _OPERATOR_POSSESSIVE.search(text, *window) or _OPERATOR_SENDER.search(text, *window)
    if owned:
        words = owned["op"].split()
        while words and words[0] in _NOT_OPERATOR_WORDS:
            words.pop(0)
        if words:
            return " ".join(words)
    after = _OPERATOR_AFTER.match(text, mention.end, min(len(text), mention.end + 80))
    return _within_sentence(after.group(1)) if after else ""


def _within_sentence(operator: str) -> str:
    """An operator cut where its sentence ends ("of 2006. The" is no operator), without
    trailing "of" or "the"; a bare number (a year) names no one."""
    words: list[str] = []
    for word in operator.split("\n")[0].split():
        words.append(word)
        if _SENTENCE_END.search(word):
            words[-1] = word[:-1]
            break
    while words and words[-1].lower() in ("of", "the", ""):
        words.pop()
    return "" if all(w.replace(",", "").isdigit() for w in words) else " ".join(words)


def assign_operators(events: list[Event], sentence: str) -> None:
    """Operators a sentence names for the aircraft of its own or earlier events ("is owned
    by X", "was delivered to the 910th Airlift Wing")."""
    clauses = [*_OPERATOR_CLAUSE.finditer(sentence), *_OPERATOR_UNIT.finditer(sentence)]
    for clause in sorted(clauses, key=lambda found: found.start()):
        owner = (clause["op"] or clause["op2"]).strip()
        collective = _ALL_OF.search(sentence, max(0, clause.start() - 200), clause.start())
        many = lexicon().numbers.get((collective["number"] or "").lower()) if collective else None
        _assign_operator(events, owner, bool(collective), many or 0)


def _assign_operator(events: list[Event], owner: str, collective: bool, many: int) -> None:
    """ "The aircraft is owned by X" names the operator of the last aircraft event without
    one; "All aircraft belong to X" names it for every such event of that sentence, and
    "All three aircraft belong to X" for the events before it until three are counted."""
    last: Event | None = None
    counted = 0
    for number in range(len(events) - 1, -1, -1):
        event = events[number]
        if last is not None and (
            not collective or (event.char_start != last.char_start and counted >= many)
        ):
            break
        if event.subject_kind == "aircraft" and not event.operator:
            events[number] = replace(event, operator=owner, rule=f"{event.rule}+operator_clause")
            last = event
            counted += event.count or 1


# how far (in characters) "he said" looks back for the person who spoke last
_SPEAKER_REACH = 1500


class AttributionStage(SentenceState):
    """Finds who reports the sentence's movements."""

    def attribution(self) -> str:
        """Who the sentence says reports it ("according to X", "X said"), or ""."""
        s0, s1 = self.sentence.start, self.sentence.end
        after = self.source_after()
        if after and _CITING_OPENER.match(self.sentence.text):  # "Citing X, Ruiz said"
            return self._source_before(s0, s1) or after
        return after or self._source_before(s0, s1)

    def speaker(self, source: str) -> str:
        """The source as a person the next "he said" may mean: a first and last name
        ("Kremlin spokesman Dmitry Peskov"), or a surname the article gave a first name to
        before ("Shabayev" after "Yevgeny Shabayev"); else ""."""
        if _PERSON_SOURCE.search(source) and not _OWNER_NAME.search(source):
            return source
        named = re.search(
            r"[A-Z][a-z’'-]+\s+" + re.escape(source) + r"\b", self.text[: self.sentence.start]
        )
        return source if source.istitle() and " " not in source and named else ""

    def source_after(self) -> str:
        """A source named after its cue ("according to X", ", said X"), or ""."""
        after = self.lex.attribution_after.search(self.text, self.sentence.start, self.sentence.end)
        return _SOURCE_END.sub("", after["source"]).strip().rstrip(".\"'”") if after else ""

    def _source_before(self, s0: int, s1: int) -> str:
        """A source named before its reporting verb ("officials said"), or ""."""
        for cue in self.lex.attribution_before.finditer(self.text, s0, s1):
            chunk = self.text[max(s0, cue.start() - 200) : cue.start()]
            if (
                _UNSAID.search(chunk)
                or _PASSIVE_REPORT.search(chunk)
                or self._noun_before_verb(cue.end())
            ):
                continue
            described = _APPOSITIVE_SOURCE.search(chunk)
            if described:  # "Ana Ruiz, a spokeswoman for the wing, said"
                return described["name"]
            piece = _ATTRIBUTION_CUT.split(chunk)[-1].strip()
            piece = _SOURCE_TAIL.sub("", _SOURCE_LEAD.sub("", piece))
            words = piece.split()
            if 0 < len(words) <= 8:
                return self._named_source(piece)
        return ""

    def _noun_before_verb(self, end: int) -> bool:
        """A cue word that another reporting verb follows is a noun of the source ("Local
        press reports confirm that", "the reports say")."""
        following = self.text[end : end + 1]
        return following == " " and bool(self.lex.attribution_before.match(self.text, end + 1))

    def _it_reporter(self) -> str:
        """What "which it says" refers to: a country, a body or an acronym opening the
        sentence ("Thailand has seized a plane, which it says ..."); not "Police"."""
        opening = _IT_REPORTER.match(self.sentence.text)
        if opening is None:
            return ""
        name, end = opening["name"], self.sentence.start + opening.end("name")
        place = any(p.start == self.sentence.start and p.end == end for p in self.places)
        body = _OWNER_NAME.search(name)
        return name if place or body else ""

    def _named_source(self, piece: str) -> str:
        """A source as the article names it: "he" or "she" is the person who spoke last,
        else the one person the article has named, or the one person the latest sentence
        naming people named; "it" is a country or body opening the sentence; another
        pronoun ("they"), or one among several people named together, names no one the
        reader can tell."""
        refers_to = PRONOUNS.get(piece.lower())
        if refers_to is None:
            return piece
        if refers_to == "singular":
            return self._it_reporter()
        if refers_to != "person":
            return ""
        speaker, said_at = self.context.last_speaker, self.context.last_speaker_at
        if speaker and self.sentence.start - said_at <= _SPEAKER_REACH:
            return speaker  # "Ruiz said ... He said": the one who spoke last
        persons = list(self.context.persons.values())
        if not persons:
            return ""
        latest = max(person.seen // 1000 for person in persons)
        named = [person for person in persons if person.seen // 1000 == latest]
        return named[0].referent.name if len(persons) == 1 or len(named) == 1 else ""
