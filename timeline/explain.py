"""`--explain` output: why each sentence of an article gave events or not, as text or data.

The text form is for reading in a terminal; the records (one per sentence that holds a
mention, an event or a reason) are the same facts as JSON-ready dicts, each mention and
event with the name of the rule that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from timeline.events import Explanation, Finding
from timeline.model import Event
from timeline.pipeline import Result


def _told(item: Explanation) -> bool:
    return bool(item.mentions or item.events or item.reasons)


def _place(event: Event) -> str:
    where = event.destination or event.location
    return where.name if where else ""


def _event_line(event: Event) -> str:
    origin = event.origin.name if event.origin else "?"
    return (
        f"{event.event_type} {event.subject_kind} '{event.subject}' "
        f"{origin} → {_place(event) or '?'} [{event.rule}]"
    )


def _finding_line(finding: Finding) -> str:
    rule = f" ({finding.rule})" if finding.rule else ""
    return f"{finding.kind} '{finding.text}' → {finding.value}{rule}"


def explain_lines(result: Result) -> Iterator[str]:
    """The explanation of one article as lines of text."""
    yield f"== {result.article.article_id} (published {result.article.published})"
    for item in filter(_told, result.explanations):
        yield ""
        yield f"[{item.sentence.start}:{item.sentence.end}] {item.sentence.text}"
        yield from (f"  found   {_finding_line(f)}" for f in item.mentions)
        yield from (f"  EVENT   {_event_line(e)}" for e in item.events)
        yield from (f"  no event: {reason}" for reason in item.reasons)


def _event_record(event: Event) -> dict[str, Any]:
    when = event.when
    return {
        "event_type": event.event_type,
        "subject_kind": event.subject_kind,
        "subject": event.subject,
        "origin": event.origin.name if event.origin else "",
        "via": [place.name for place in event.via],
        "destination": event.destination.name if event.destination else "",
        "location": event.location.name if event.location else "",
        "start": when.earliest.isoformat() if when and when.earliest else "",
        "end": when.latest.isoformat() if when and when.latest else "",
        "rule": event.rule,
    }


def explain_records(result: Result) -> Iterator[dict[str, Any]]:
    """The explanation of one article as one dict per sentence that holds anything."""
    for item in filter(_told, result.explanations):
        yield {
            "article_id": result.article.article_id,
            "published": result.article.published.isoformat() if result.article.published else "",
            "sentence": {
                "start": item.sentence.start,
                "end": item.sentence.end,
                "text": item.sentence.text,
            },
            "mentions": [asdict(f) for f in item.mentions if f.kind != "trigger"],
            "triggers": [asdict(f) for f in item.mentions if f.kind == "trigger"],
            "events": [_event_record(e) for e in item.events],
            "reasons": list(item.reasons),
        }
