"""Merging: the triggers of one mover in one sentence make one event, unless a trigger
starts a new leg (a departure after an arrival, a far second destination)."""

from __future__ import annotations

from timeline.events.lexicon import Trigger
from timeline.events.memory import Draft, Role, Subject
from timeline.events.timing import arrives_later, spanning, time_tier
from timeline.model import Place, TimeMention
from timeline.places import within_km

# A second destination of one subject in one sentence farther than this from the first is a
# new leg ("flew to Brussels ... and returned to Warsaw"), nearer it names the same arrival
# ("flew to Moscow, landing at Vnukovo").
LEG_KM = 100.0


def _same_area(first: Place, second: Place) -> bool:
    """Two destinations of one arrival: close together, or one is the other's country/region."""
    if first.kind in ("country", "region") or second.kind in ("country", "region"):
        return bool(first.country) and first.country == second.country
    return within_km(first, second, LEG_KM)


def merge(
    drafts: list[Draft],
    subject: Subject,
    trigger: Trigger,
    roles: list[Role],
    when: TimeMention | None,
    continuation: bool,
    rules: list[str],
    *,
    new_leg: bool = False,
    ongoing: bool = False,
    hot_news: bool = False,
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
        roles = [*roles, Role("origin", where)] if where else roles
    if earlier and has_end and current is not None:
        # "landed at X after a visit to Y": Y is where the mover was before, not its end
        before = [p for r, p in roles if r in ("destination", "location")]
        roles = [role for role in roles if role.role not in ("destination", "location")]
        roles += [Role("origin", before[-1])] if before and current.origin is None else []
    current.types.append(trigger.event_type)
    current.rules.extend(rules)
    current.continuation = current.continuation or continuation
    current.ongoing = current.ongoing or (trigger.event_type == "presence" and ongoing)
    current.hot_news = current.hot_news or (trigger.event_type != "presence" and hot_news)
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
        and arrives_later(current.when, when)
    ):
        current.when = spanning(current.when, when)
    elif when is not None and (
        current.when is None
        or (own and not current.own_time)
        or (own == current.own_time and time_tier(when) < time_tier(current.when))
    ):
        current.when = when
        current.own_time = own
