"""Which movements several articles tell: each article's movements joined across sources.

Outlets tell one flight in their own words and detail; a movement one article tells joins
another article's when they share what moved (a registration, a type, a person), agree on
operator, dates (the same days first, then within a day) and places (an airport inside its city inside its country),
and no article tells both apart. A mover told without a name ("a Russian plane") joins the
one movement that fits it closely; an aircraft seen somewhere joins the arrival that began
it. Blocking by name (or country) and week keeps the work near-linear.
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import date
from functools import lru_cache

from timeline.clusters import (
    Movement,
    in_articles,
    operators_agree,
    overlap,
    place_of,
    same_area,
    specific,
    with_carriers,
)
from timeline.places import country_of_demonym, lookup

CROSS_SOURCE_SLACK_DAYS = 1
"""Two outlets may date one flight a day apart (local time, 'late on Wednesday'); one
article's own mentions must overlap exactly."""

MAX_SOURCE_WEEKS = 8
"""A row dated more loosely than this ('since March', 'in 2019') is merged inside its own
article only: across articles such a range would join any report of the type."""

BLOCK_SIZE = 16
"""How many movements a block keeps, the latest filed: a movement is looked for among the
latest reports of its name (or country) and week, so the work stays linear."""

Blocks = dict[tuple, deque[Movement]]
"""Movements filed by a key (kind, name or country, week), each once, in filing order."""

GENERIC_MAX_DAYS = 2
"""A mover told without a registration, type or name ("a Russian plane", "the president")
joins another article's movement only when both are dated this tightly (in days)."""


def cluster(records: list[dict[str, object]]) -> list[list[int]]:
    """Positions of the rows grouped into movements, each group in table order: each
    article's movements, joined across articles (on the same days first, then a day apart,
    so an outlet's mention of the same day is not crowded out by one a day off), people
    joined to their aircraft."""
    exact = across(in_articles(records), slack=0)
    movements = with_carriers(across(exact, slack=CROSS_SOURCE_SLACK_DAYS))
    return [sorted(r.index for r in m.rows) for m in movements]


def across(movements: list[Movement], slack: int = CROSS_SOURCE_SLACK_DAYS) -> list[Movement]:
    """Each article's movements joined to the movements other articles told before it, dates
    `slack` days apart at most.

    A movement joins the one that shares a registration, type or person with it and agrees
    in everything else (`_agrees`), told by most outlets (`_best`); failing that, when one
    of the two is told without any name, the one movement that agrees with it on tight
    dates and an anchored route (`_generic`). Presences come after flights, so a presence another outlet
    reports joins the arrival that began it. Each article lends a merged movement one of
    its movements at most. Blocks by name or country, and week, keep it near-linear.
    """
    named: Blocks = defaultdict(lambda: deque(maxlen=BLOCK_SIZE))
    placed: Blocks = defaultdict(lambda: deque(maxlen=BLOCK_SIZE))  # and if the mover is named
    kept: list[Movement] = []
    for movement in sorted(movements, key=lambda m: m.presence):
        weeks = _weeks(movement)  # filed under its own weeks, looked for a week either side
        near = sorted({w + d for w in weeks for d in (-1, 0, 1)})
        names, areas = sorted(movement.names), _areas(movement)
        keys = [(movement.kind, name, week) for name in names for week in near]
        home = _best(
            [
                m
                for m in _candidates(named, keys)
                if _shared(m, movement) and _agrees(m, movement, slack)
            ],
            movement,
        )
        if home is None and areas:
            # a named mover can only be a nameless one's: it would have shared a name
            flags = (False,) if movement.names else (False, True)
            searched = [(movement.kind, a, w, f) for a in areas for w in near for f in flags]
            fitting = [
                m
                for m in _candidates(placed, searched)
                if _agrees(m, movement, slack) and _generic(m, movement)
            ]
            home = fitting[0] if len(fitting) == 1 else None
        if home is None:
            home = movement
            kept.append(movement)
        else:
            home.absorb(movement)
        filed = [(named, (movement.kind, name, week)) for name in names for week in weeks]
        filed += [(placed, (movement.kind, a, w, bool(home.names))) for a in areas for w in weeks]
        for blocks, key in filed:
            if all(m is not home for m in blocks[key]):
                blocks[key].append(home)
    return kept


def _best(fitting: list[Movement], movement: Movement) -> Movement | None:
    """Of the movements a movement fits (latest first), the one most outlets told, of the
    same size if any is: corroboration before recency."""
    sizes = _sizes(movement)
    return max(
        fitting,
        key=lambda m: (bool(sizes) and _sizes(m) == sizes, len(m.counts)),
        default=None,
    )


def _candidates(blocks: Blocks, keys: list[tuple]) -> list[Movement]:
    """The movements filed under any of the keys, latest first, each once."""
    seen = {id(m): m for key in keys for m in blocks.get(key, ())}
    return list(reversed(seen.values()))


def _areas(movement: Movement) -> list[str]:
    """The country a movement ends in, when its dates are tight enough for a mover told
    without a name to be matched on them."""
    place = place_of(movement.destination)
    span = _span(movement.start, movement.end)
    if place is None or not place.country or span is None or span > GENERIC_MAX_DAYS:
        return []
    return [place.country]


def _span(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def _agrees(kept: Movement, new: Movement, slack: int) -> bool:
    """Whether another article's movement can tell the same one: same kind of mover, a
    presence only as it begins with an arrival, no article of both, no name contradicted,
    operators agreeing, dates within a day, and compatible places."""
    if new.kind != kept.kind or not new.counts.keys().isdisjoint(kept.counts):
        return False  # an article told them apart
    if not overlap(kept.start, kept.end, new.start, new.end, slack):
        return False
    if new.presence != kept.presence and not _begins(kept, new):
        return False
    if new.series != kept.series:
        return False  # flights that went on for weeks are not one of them
    for prefix, names in new.named.items():
        if kept.named.get(prefix) and not kept.named[prefix] & names:
            return False
    if not all(_same_operator(kept.operators, o) for o in new.operators):
        return False
    return same_area(kept.destination, new.destination) and same_area(_origin(kept), _origin(new))


def _same_operator(named: set[str], operator: str) -> bool:
    """Whether outlets may name one operator: by the same words (`operators_agree`), or by
    the same nation ("U.S. military", "American government"); two nations are two."""
    nation = _nation(operator)
    if nation and named and all(_nation(n) for n in named):
        return any(_nation(n) == nation for n in named)
    return operators_agree(named, operator)


@lru_cache(maxsize=1 << 12)
def _nation(operator: str) -> str:
    """The country an operator's first word names ("russian air force" → RU), or ''."""
    words = operator.split()
    if not words:
        return ""
    place = country_of_demonym(words[0]) or lookup(words[0])
    return place.country if place is not None and place.kind == "country" else ""


def _shared(kept: Movement, new: Movement) -> bool:
    return bool(kept.names & new.names)


def _begins(kept: Movement, new: Movement) -> bool:
    """Whether an aircraft's presence one outlet reports begins with the arrival another
    reports: the arrival is dated, and the presence starts on its days (a day either side).
    People are not: a group "stranded in" a country was there before any flight."""
    arrival, presence = (new, kept) if kept.presence else (kept, new)
    return bool(
        arrival.kind == "aircraft"
        and arrival.start
        and arrival.end
        and presence.start
        and overlap(arrival.start, arrival.end, presence.start, presence.start, 1)
    )


def _origin(movement: Movement) -> str:
    """Where a movement set out, unless that is where it ended (a misread leg)."""
    origin, destination = movement.origin, movement.destination
    if specific(origin) and specific(destination) and same_area(origin, destination):
        return ""
    return origin


def _generic(kept: Movement, new: Movement) -> bool:
    """Whether a movement told without a name (one of the two, or both) may be the other:
    both tightly dated, one destination at least narrower than a country, the other end of
    the route given by both or both destinations narrow, and the same size (people told
    without sizes: the same noun)."""
    if not (_areas(kept) and _areas(new)):
        return False
    ends = specific(kept.destination) + specific(new.destination)
    if ends == 0 or (ends == 1 and not (_origin(kept) and _origin(new))):
        return False
    if _sizes(kept) and _sizes(new):
        return _sizes(kept) == _sizes(new)
    return kept.kind == "aircraft" or bool(_nouns(kept) & _nouns(new))


def _sizes(movement: Movement) -> set[int]:
    return {n for counts in movement.counts.values() for n in counts}


def _nouns(movement: Movement) -> set[str]:
    """The head nouns people are told by ("the president", "evacuees"), singular."""
    return {entity.split()[-1].removesuffix("s") for _, entity in movement.entities if entity}


def _weeks(movement: Movement) -> list[int]:
    """The weeks (days since 0001-01-01 // 7) a movement's dated range covers; none when
    undated, too loose or placeless (it then meets no other article's movement)."""
    if movement.start is None or movement.end is None or not movement.destination:
        return []
    first, last = movement.start.toordinal() // 7, movement.end.toordinal() // 7
    if last - first > MAX_SOURCE_WEEKS:
        return []
    return list(range(first, last + 1))
