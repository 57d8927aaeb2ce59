"""The event stages composed: per sentence, per movement trigger, one pass through them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from timeline.aircraft.roles import fits
from timeline.events.attribution import AttributionStage, assign_operators
from timeline.events.conjuncts import ConjunctStage
from timeline.events.cues import CueStage
from timeline.events.explain import Explanation, explain
from timeline.events.finish import finish
from timeline.events.lexicon import Trigger, lexicon, phrase
from timeline.events.memory import (
    Context,
    Draft,
    Entity,
    Referent,
    Role,
    Subject,
    TriggerMatch,
    remember,
)
from timeline.events.mentions import Mentions, main_place
from timeline.events.merge import merge
from timeline.events.reference import ReferenceStage
from timeline.events.roles import followed_roles
from timeline.events.subjects import SubjectStage
from timeline.model import (
    AircraftMention,
    AircraftType,
    Article,
    Event,
    Place,
    PlaceMention,
    Sentence,
    TimeMention,
    evolve,
)
from timeline.sentences import split_sentences
from timeline.tokens import Tokens

_PLACELESS = frozenset({"arrival", "departure", "presence", "loss"})
"""Trigger types that make an event even when no place is named."""


class SentenceReader(ReferenceStage, SubjectStage, ConjunctStage, CueStage, AttributionStage):
    """Every stage over one sentence; the movers are found once, when it is read."""

    def __init__(self, mentions: Mentions, sentence: Sentence, context: Context) -> None:
        super().__init__(mentions, sentence, context)
        self.subjects = self._subjects(self.aircraft)
        self.subject_starts = [subject.start for subject in self.subjects]
        self.subject_ends = [subject.end for subject in self.subjects]


@dataclass
class _Sentence:
    """What the triggers of one sentence build up: drafts, the last movers, the reasons."""

    reader: SentenceReader
    index: int
    triggers: list[TriggerMatch]
    drafts: list[Draft] = field(default_factory=list)
    last_subjects: list[Subject] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def build_events(
    article: Article,
    times: list[TimeMention],
    aircraft: list[AircraftMention],
    places: list[PlaceMention],
    *,
    tokens: Tokens | None = None,
    explanations: list[Explanation] | None = None,
) -> list[Event]:
    """All movement events reported in the article's body, in text order, each carrying the
    name of its mover as the whole article establishes it; `tokens` is the article's token
    stream when the other stages have made it."""
    context = Context(main_place=main_place(article, places))
    stream = tokens or Tokens(article.text)
    mentions = Mentions.of(article, times, aircraft, places, stream)
    events: list[Event] = []
    referents: list[Referent] = []
    named = _named_types(aircraft)
    lines = stream.news_lines(*article.body)
    told: set[str] = set()
    for index, sentence in enumerate(split_sentences(article.text, *article.body, lines)):
        said = " ".join(sentence.text.split())
        if said in told:  # a standfirst repeated as the lead: the same report, told once
            continue
        told.add(said)
        reader = SentenceReader(mentions, sentence, context)
        state = _read(reader, index)
        finished = _finished(state, article, context)
        _remember_source(reader, state.index, bool(finished), context)
        for draft, event in finished:
            draft.entity.last_place = event.destination or event.location or draft.entity.last_place
            context.last_subject = draft.entity
        if finished:
            context.last_event = finished[-1][1]
            context.last_event_sentence = index
        # people an aircraft carried: rows of their own, but not what the story tells next
        finished = (
            _carried(reader, finished)
            + finished
            + _conveyed(reader, finished)
            + _owners(reader, finished)
        )
        made = [_typed(event, named) for _, event in finished]
        events.extend(made)
        assign_operators(events, sentence.text)
        referents.extend(draft.entity.referent for draft, _ in finished)
        remember(context, reader.subjects, reader.places, index)
        if explanations is not None:
            explanations.append(explain(reader, state.triggers, made, state.reasons))
    return [evolve(e, entity=r.name) for e, r in zip(events, referents, strict=True)]


def _named_types(aircraft: list[AircraftMention]) -> Counter[AircraftType]:
    """The catalogue types an article names, each with how often it is named."""
    counts: Counter[str] = Counter(m.aircraft.icao_type for m in aircraft if m.aircraft)
    types = {m.aircraft.icao_type: m.aircraft for m in aircraft if m.aircraft}
    return Counter({types[code]: count for code, count in counts.items()})


def _typed(event: Event, named: Counter[AircraftType]) -> Event:
    """An aircraft told only by a generic phrase is the type the article's story is about
    among those the phrase fits: the only one, or one named at least twice as often as any
    other ("two bombers landed ... the Tu-160s", a B-1 named once in comparison); else it
    stays untyped."""
    if event.subject_kind != "aircraft" or event.aircraft is not None:
        return event  # a bare "plane" may be any aircraft
    fitting = sorted(
        ((count, aircraft) for aircraft, count in named.items() if fits(event.role, aircraft)),
        key=lambda pair: -pair[0],
    )
    if not fitting or (len(fitting) > 1 and fitting[0][0] < 2 * fitting[1][0]):
        return event
    return evolve(event, aircraft=fitting[0][1], rule=f"{event.rule}+named_type")


_CARRIED_LOAD = phrase("carried_load")
_STATE_RELATIVE = phrase("state_relative")
_UNKNOWN_TIME = phrase("unknown_time")
_VEHICLE = phrase("vehicle")
_OWNER = phrase("owner")
_HOME_BOUND = phrase("home_bound")
_CLAUSE_BREAK = phrase("clause_break")
_HEADED = phrase("headed")
_FINITE_AFTER = phrase("finite_after")
_RECEIVER_GAP = phrase("receiver_gap")
_TRIPS = frozenset({"flight", "arrival", "departure"})
"""Event types of a trip, which an aircraft people travelled in made with them."""
_PARTITIVE = phrase("part_of")
LOAD_WINDOW = 30
"""How far before a group of people the words saying an aircraft carried them may start."""


def _along(event: Event, entity: Entity, text: str, decision: str) -> tuple[Draft, Event]:
    """`event`'s movement made by another mover that went with it (people an aircraft
    carried, the aircraft people rode in, an aircraft's owner), named in `rule`."""
    moved = evolve(
        event,
        subject_kind=entity.kind,
        subject=text,
        aircraft=entity.aircraft,
        role=entity.role,
        count=entity.count,
        operator=entity.operator,
        rule=f"{event.rule}+{decision}",
    )
    return Draft(entity=entity, subject_text=text), moved


def _told_before(reader: SentenceReader, pattern: re.Pattern[str], at: int, text: str) -> bool:
    """Whether `pattern` ends right before offset `at`, within LOAD_WINDOW of it."""
    return bool(pattern.search(text, max(reader.sentence.start, at - LOAD_WINDOW), at))


def _carried(
    reader: SentenceReader, finished: list[tuple[Draft, Event]]
) -> list[tuple[Draft, Event]]:
    """People an aircraft is told to carry ("a C-17 carrying 95 troops landed in Kigali")
    moved with it: one event of theirs on the aircraft's route and time, when the sentence
    moves exactly one aircraft and the people have no movement of their own in it. The
    load's first group stands for it ("doctors, virologists and equipment" is one load)."""
    planes = [(d, e) for d, e in finished if e.subject_kind == "aircraft"]
    if len(planes) != 1:
        return []
    draft, plane = planes[0]
    if "arrival" in draft.types[:-1] and draft.types[-1] == "departure":
        # "landed ... before taking off again with 15 men": they left where it had landed
        plane = evolve(
            plane,
            event_type="departure",
            origin=plane.destination or plane.origin,
            via=(),
            destination=None,
        )
    moving = {id(d.entity) for d, _ in finished}
    for subject in reader.subjects:
        if subject.entity.kind != "personnel" or id(subject.entity) in moving:
            continue
        if _PARTITIVE.search(subject.text):  # "200 Americans, most of them staff": one load
            continue
        if _told_before(reader, _CARRIED_LOAD, subject.start, reader.low):
            return [_along(plane, subject.entity, subject.text, "carried")]
    return []


def _conveyed(
    reader: SentenceReader, finished: list[tuple[Draft, Event]]
) -> list[tuple[Draft, Event]]:
    """The aircraft people travelled in ("arrived in Cyprus onboard a U.S. military plane",
    "flew in Marine One to X") moved with them: one event of its own on their route and time,
    when the sentence moves exactly one group or person, in one leg, and no aircraft."""
    people = [(d, e) for d, e in finished if e.subject_kind == "personnel"]
    if len(people) != 1 or len(people) != len(finished) or people[0][1].event_type not in _TRIPS:
        return []
    event = people[0][1]
    if event.via:  # "set off in two chartered aircraft for Havana, ... onto flights to Caracas"
        return []
    for subject in reader.subjects:
        entity = subject.entity
        if entity.kind != "aircraft" or not _told_before(
            reader, _VEHICLE, subject.start, reader.low
        ):
            continue
        entity.last_place = event.destination or event.location or entity.last_place
        return [_along(event, entity, subject.text, "conveyed")]
    return []


def _owners(
    reader: SentenceReader, finished: list[tuple[Draft, Event]]
) -> list[tuple[Draft, Event]]:
    """A person named as the owner of an aircraft that moved travelled on it ("Putin's plane
    landed in Minsk"): one event of theirs on its route and time, unless they move in the
    sentence. A pronoun ("his jet") may be anyone's, so it names no owner."""
    out: list[tuple[Draft, Event]] = []
    moving = {id(d.entity) for d, _ in finished}
    persons = reader.context.persons
    for draft, event in finished:
        at = reader.text.find(draft.subject_text, reader.sentence.start, reader.sentence.end)
        if event.subject_kind != "aircraft" or at < 0:
            continue
        owner = _OWNER.search(reader.text, max(reader.sentence.start, at - LOAD_WINDOW), at)
        person = persons.get(owner["owner"]) if owner else None
        if person is None or id(person) in moving:
            continue
        moving.add(id(person))
        out.append(_along(event, person, person.referent.name, "owner"))
    return out


def _read(reader: SentenceReader, index: int) -> _Sentence:
    """The drafts of one sentence: one pass per trigger, then verbless conjuncts and followers."""
    lex = lexicon()
    s0, s1 = reader.sentence.start, reader.sentence.end
    triggers = [
        TriggerMatch(m, lex.triggers[int(m.lastgroup[1:])])
        for m in lex.trigger_pattern.finditer(reader.low, s0, s1)
        if m.lastgroup
    ]
    # "the minister received a call": a receiving verb with no place as its subject is no
    # trigger at all, and does not cut the window of the one before it
    triggers = [
        hit
        for hit in triggers
        if hit.trigger.kind != "receive" or _receiver(reader, hit.match.start())
    ]
    triggers = [
        hit
        for n, hit in enumerate(triggers)
        if not _modifies_subject(reader, hit.match, hit.trigger, triggers[n + 1 :])
        and not (n and _background_state(reader, hit))
    ]
    state = _Sentence(reader, index, triggers)
    conjuncts = reader.conjuncts(reader.object_end(*triggers[-1])) if triggers else []
    ends = [hit.match.start() for hit in triggers[1:]] + [conjuncts[0].start if conjuncts else s1]
    for (match, trigger), window_end in zip(triggers, ends, strict=False):
        _read_trigger(state, match, trigger, window_end)
    drafts = state.drafts
    if drafts and conjuncts:
        gapped = reader.gapped(drafts[-1], triggers[-1].trigger, conjuncts)
        _share_time([drafts[-1], *gapped])
        drafts.extend(gapped)
    if drafts:
        drafts.extend(reader.followers(drafts[-1], triggers[-1].match.end()))
    return state


def _share_time(drafts: list[Draft]) -> None:
    """ "landed in Minsk, an An-124 in Tehran and a Tu-154 in Damascus on Monday": a time
    told after the last conjunct is every conjunct's that tells none of its own."""
    last = drafts[-1]
    for draft in drafts[:-1]:
        if last.when is not None and draft.when is None:
            draft.when = last.when
            draft.rules.append("shared_time")


def _background_state(reader: SentenceReader, hit: TriggerMatch) -> bool:
    """ "brought back 356 citizens who were stranded in Oman to Romania": a state in a
    relative clause on a movement's mover says where it had been; it is no event, and the
    places after it are the movement's."""
    return hit.trigger.event_type == "presence" and bool(
        _STATE_RELATIVE.search(reader.low, max(0, hit.match.start() - 24), hit.match.end())
    )


def _modifies_subject(
    reader: SentenceReader,
    match: re.Match[str],
    trigger: Trigger,
    later: list[TriggerMatch],
) -> bool:
    """A trip noun or 'headed' right after a mover with a verb of its own to come ("the plane
    bound for Lagos took off", "the passengers headed to Houston were put on another
    plane") only tells where that mover was going, which the later verb reads."""
    if trigger.kind == "verb" and _HEADED.fullmatch(match.group(0)):
        # "the passengers headed to Houston were put on another plane": a reduced relative
        verb = _FINITE_AFTER.search(reader.low, match.end(), reader.sentence.end)
    else:
        verb = (
            next((m for m, t in later if t.kind == "verb"), None)
            if trigger.kind == "noun"
            else None
        )
    if verb is None or _CLAUSE_BREAK.search(reader.low, match.end(), verb.start()):
        return False
    return any(
        s.end <= match.start() and not reader.low[s.end : match.start()].strip()
        for s in reader.subjects
    )


def _read_trigger(
    state: _Sentence, match: re.Match[str], trigger: Trigger, window_end: int
) -> None:
    """One trigger through the stages: cues, roles, movers, time; merged into the drafts."""
    reader, drafts = state.reader, state.drafts
    reason = reader.cancelled(match.start()) or (
        reader.called_off(match.end()) if trigger.kind == "noun" else ""
    )
    if reason:
        state.reasons.append(f"'{match.group(0)}': {reason}")
        return
    window_end = reader.clause_end(match.end(), window_end)
    roles = reader.roles(match.end(), window_end, trigger)
    decided: list[str] = []
    if trigger.kind == "follows" and not roles:
        roles = followed_roles(reader.context, state.index)
        decided += ["followed_route"] if roles else []
    if trigger.kind == "be" and not roles:
        return
    receiver = _receiver(reader, match.start()) if trigger.kind == "receive" else None
    if receiver is not None:
        roles = [Role("destination", receiver), *roles]
    if trigger.kind == "adds" and not drafts:
        state.reasons.append(f"'{match.group(0)}': an expectation with no movement reported")
        return
    subjects = reader.movers(match, trigger, bool(drafts), state.last_subjects)
    if not subjects:
        state.reasons.append(f"'{match.group(0)}': no aircraft or people as its subject")
        return
    state.last_subjects = [Subject(0, 0, s.text, s.entity) for s in subjects]
    # "landed at Haneda, bringing 565 Japanese nationals home": home is the place already told
    if not any(role == "destination" for role, _ in roles) and not any(
        d.destinations for d in drafts
    ):
        moved = any(d.entity is subjects[0].entity for d in drafts)
        home = reader.home(match, subjects[0], moved)
        roles = [*roles, Role("destination", home)] if home else roles
        decided += ["home"] if home else []
    if trigger.kind == "noun" and not drafts and not roles:
        return
    earlier = reader.told_after(match.start())
    if (
        trigger.kind == "noun"
        and drafts
        and drafts[-1].destinations
        and not earlier
        and reader.sums_up(match)
    ):
        roles = [role for role in roles if role.role != "destination"]
        decided.append("summed_up")
    own_time = reader.time_for(match.start(), match.end(), window_end, after_only=True)
    clause_time = reader.when_clause_time(match.start())
    decided += ["when_clause"] if clause_time else []
    when = clause_time or own_time or reader.time_for(match.start(), match.end(), window_end)
    continuation = reader.continuation(match)
    split, part_times = reader.coordinated_parts(trigger, roles, when, window_end)
    decided += ["coordinated"] if len(split) > 1 else []
    ongoing = reader.ongoing(match.start())
    hot_news = reader.hot_news(match.start())
    for subject in subjects:
        before = reader.route_before(subject, match.start(), trigger)
        own_end = any(role == "destination" for role, _ in roles)
        if _HOME_BOUND.match(match.group(0)):  # "fighters from Hill returned from X": home
            before = [] if own_end else [Role("destination", p) for r, p in before if r == "origin"]
        elif own_end:  # "a flight to Accra landed in Kumasi": the verb's own destination
            before = [role for role in before if role.role != "destination"]
        for number, (part, part_when) in enumerate(zip(split, part_times, strict=True)):
            merge(
                drafts,
                subject,
                trigger,
                before + part,
                part_when,
                continuation,
                [trigger.name, *decided],
                new_leg=number > 0,
                ongoing=ongoing,
                hot_news=hot_news,
                own=part_when is not None and part_when is own_time,
                earlier=earlier,
            )


def _receiver(reader: SentenceReader, trigger_start: int) -> Place | None:
    """The place that is a receiving verb's subject ("Mali received", "the base has
    received"), written right before it."""
    before = [p for p in reader.places if p.end <= trigger_start]
    if not before or not _RECEIVER_GAP.match(reader.text[before[-1].end : trigger_start]):
        return None
    return before[-1].place


def _remember_source(reader: SentenceReader, index: int, moved: bool, context: Context) -> None:
    """A source a sentence without movements names after its cue ("according to tracking
    data, six jets were seen over Turkey") is the source of the movements told right after
    it; one named before its verb is too often about something else ("X told reporters").
    A person who speaks in any sentence is whom a later "he said" means."""
    source = "" if moved else reader.source_after()
    if source:
        context.last_source, context.last_source_sentence = source, index
    speaker = reader.speaker(reader.attribution())
    if speaker:
        context.last_speaker, context.last_speaker_at = speaker, reader.sentence.end


def _finished(state: _Sentence, article: Article, context: Context) -> list[tuple[Draft, Event]]:
    """The sentence's drafts as events; a flight that names no place is no event. A sentence
    without a source of its own keeps the previous event's, and one that says the time is
    not known takes no time from the story."""
    reader = state.reader
    if not state.drafts:
        return []
    attribution = reader.attribution()
    recent = context.last_event
    sources = [(context.last_source_sentence, context.last_source)]
    if recent is not None:
        sources.append((context.last_event_sentence, recent.attribution))
    told, source = max(sources)  # the nearer of the two
    story_source = source if not attribution and state.index - told <= 2 else ""
    silent_time = any(t.type in ("DATE", "TIME") for t in reader.times) or bool(
        _UNKNOWN_TIME.search(reader.low, reader.sentence.start, reader.sentence.end)
    )
    finished = []
    for draft in state.drafts:
        if not (_PLACELESS & set(draft.types)) and not (
            draft.origin or draft.via or draft.destinations or draft.location or draft.overflown
        ):
            state.reasons.append(f"'{draft.subject_text}': a movement with no place")
            continue
        # a story's source holds for its next two sentences (the lead's "officials said"
        # covers the paragraphs after it) until another source is named
        lent = bool(story_source)
        source = story_source if lent else attribution
        event = finish(draft, reader.sentence, article, source, context, state.index, silent_time)
        event = evolve(event, rule=f"{event.rule}+story_source") if lent else event
        finished.append((draft, event))
    return finished
