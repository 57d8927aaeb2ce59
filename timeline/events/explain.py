"""Provenance: the names of the decisions beside the triggers', and what `--explain` shows."""

from __future__ import annotations

from dataclasses import dataclass

from timeline.events.memory import TriggerMatch
from timeline.events.sentence import SentenceState
from timeline.model import Event, Sentence

DECISIONS = {
    "gapping": "a verbless conjunct repeats the verb ('and the other by way of Dubai')",
    "shared_time": "a time told after the last conjunct is every conjunct's ('landed in Minsk, "
    "an An-124 in Tehran and a Tu-154 in Damascus on Monday')",
    "follower": "'followed by a second' repeats the movement with its own time",
    "followed_route": "'X followed' takes the route of the movement told just before",
    "home": "'flew home' goes to the country the subject's nationality names",
    "when_clause": "'since October 2019, when he went to ...' dates the movement at that time",
    "summed_up": "a trip noun summing up the journey ('ending a tour of A and B') adds no goal",
    "coordinated": "one movement per coordinated destination ('to X in May and to Y in June')",
    "entity_place": "an arrival or stay with no place is where its mover last was",
    "prior_origin": "a movement with no origin starts where its mover (or the story) last was",
    "stayed_before": "where the movers were staying ('stranded in Norway') is where they came "
    "from, when the sentence tells them moving on",
    "previous_origin": "a departure with no origin leaves the previous event's place",
    "story_place": "an arrival or stay with no place is at the previous event's place or the "
    "article's main place",
    "until_published": "a state in the present perfect lasts until publication",
    "carried": "people an aircraft carried moved with it, on its route and time",
    "hot_news": "a movement in the present perfect with no date is the publication day's news",
    "story_time": "a sentence with no date of its own keeps the previous event's time",
    "lead_time": "an undated movement in the story's lead is the publication day's news",
    "story_day": "a time of day ('at 11 p.m.') falls on the previous event's day",
    "operator_clause": "'the aircraft is owned by X' names the operator",
    "named_type": "a generic aircraft is the type the article names that its role fits "
    "('two bombers' ... 'the Tu-160s')",
    "conveyed": "the aircraft people travelled in ('aboard a C-17') moved with them",
    "owner": "a person whose aircraft moved ('Putin's plane landed') travelled on it",
    "story_source": "a sentence with no source of its own keeps the previous event's source",
}
"""The extractor's decisions beside its triggers: each names itself in the `rule` column of
the events it shapes, after the names of the triggers (`data/events/triggers.tsv`)."""


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


def explain(
    reader: SentenceState,
    triggers: list[TriggerMatch],
    made: list[Event],
    reasons: list[str],
) -> Explanation:
    """What `--explain` shows for one sentence: its mentions (triggers with their rule
    names), the events it made and why the others were not."""
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
