"""Finishing: a draft becomes an Event, with places and time the sentence left out taken
from the mover's and the story's memory, each such decision named in its `rule`."""

from __future__ import annotations

from timeline.events.lexicon import phrase
from timeline.events.memory import Context, Draft
from timeline.events.timing import on_event_day, on_publication_day, until_published
from timeline.model import Article, Event, Sentence

_DATE_WORD = phrase("date_word")
LEAD = 1
"""The sentences (by index: the headline, if in the body, and the first) that tell the
story's news: an undated movement there happened on the publication day."""


def _event_type(types: list[str]) -> str:
    """The table's event type for the trigger types one event merged."""
    kinds = set(types)
    if "loss" in kinds and kinds <= {"loss", "departure"}:
        return "presence"  # "crashed after taking off from X": lost near X
    if "departure" in kinds and ("arrival" in kinds or "flight" in kinds):
        return "flight"
    for kind in ("flight", "arrival", "departure", "presence"):
        if kind in kinds:
            return kind
    if "loss" in kinds:
        return "presence"
    return "arrival" if "via" in kinds else "flight"


def finish(
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
    if location is None and via and event_type == "presence":  # "held during a stop at X"
        location = via.pop()
    origin = draft.origin
    if location is None and origin is not None and {"loss", "departure"} <= set(draft.types):
        location, origin = origin, None  # "crashed shortly after taking off from X"
    via.extend(p for p in draft.overflown if p not in via)
    rules = list(draft.rules)
    if (
        origin is None
        and location is not None
        and destination is not None
        and event_type != "presence"
        and "presence" in draft.types
    ):
        origin, location = location, None  # "nationals stranded in Norway reached Islamabad"
        rules.append("stayed_before")
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
        when = until_published(when, article.published, sentence)
        rules.append("until_published")
    elif when is None and draft.hot_news and article.published is not None:
        when = on_publication_day(article.published, sentence)
        rules.append("hot_news")
    elif when is None and recent is not None and not silent_time:
        when = recent.when
        if when is not None:
            rules.append("story_time")
    elif (
        when is None
        and recent is None
        and sentence_index <= LEAD
        and article.published
        and not _DATE_WORD.search(sentence.text)
    ):
        when = on_publication_day(article.published, sentence)  # the lead tells today's news
        rules.append("lead_time")
    elif when is not None and recent is not None:
        moved = on_event_day(when, recent.when)
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
