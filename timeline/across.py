"""Which movements several articles tell: each article's movements joined across sources.

Outlets tell one flight in their own words and detail; a movement one article tells joins
another article's when they share what moved (a registration, a type, a person), agree on
operator, dates (within a day) and places (an airport inside its city inside its country),
and no article tells both apart. Blocking by name and week keeps the work near-linear.
"""

from __future__ import annotations

from collections import defaultdict

from timeline.clusters import (
    CROSS_SOURCE_SLACK_DAYS,
    MAX_SOURCE_WEEKS,
    Movement,
    in_articles,
    operators_agree,
    overlap,
    same_area,
    with_carriers,
)


def cluster(records: list[dict[str, object]]) -> list[list[int]]:
    """Positions of the rows grouped into movements, each group in table order: each
    article's movements, joined across articles, people joined to their aircraft."""
    movements = with_carriers(across(in_articles(records)))
    return [sorted(r.index for r in m.rows) for m in movements]


def across(movements: list[Movement]) -> list[Movement]:
    """Each article's movements joined to the movements other articles told before it: to
    the latest that shares a registration, type or person and agrees in everything else
    (`_agrees`), each article lending a merged movement one of its movements at most.
    Blocking by name and week keeps the work near-linear in the number of movements."""
    by_week: dict[tuple[str, str, int], list[Movement]] = defaultdict(list)
    kept: list[Movement] = []
    for movement in movements:
        keys = [
            (movement.kind, name, week)
            for name in sorted(movement.names)
            for week in _weeks(movement)
        ]
        seen = {id(m): m for key in keys for m in by_week.get(key, ())}
        home = next((m for m in reversed(seen.values()) if _agrees(m, movement)), None)
        if home is None:
            home = movement
            kept.append(movement)
        else:
            for row in movement.rows:
                home.add(row)
        for key in keys:
            if all(m is not home for m in by_week[key]):
                by_week[key].append(home)
    return kept


def _agrees(kept: Movement, new: Movement) -> bool:
    """Whether another article's movement tells the same one: same kind of mover and of
    event, no article of both, a name shared and none contradicted, operators agreeing,
    dates within a day, and compatible places."""
    if new.kind != kept.kind or new.presence != kept.presence:
        return False
    if set(new.counts) & set(kept.counts):
        return False  # an article told them apart
    for prefix, names in new.named.items():
        if kept.named.get(prefix) and not kept.named[prefix] & names:
            return False
    if not kept.names & new.names:
        return False
    if not all(operators_agree(kept.operators, o) for o in new.operators):
        return False
    if not overlap(kept.start, kept.end, new.start, new.end, CROSS_SOURCE_SLACK_DAYS):
        return False
    return same_area(kept.destination, new.destination) and same_area(kept.origin, new.origin)


def _weeks(movement: Movement) -> list[int]:
    """The weeks (days since 0001-01-01 // 7) a movement may meet another article's in: its
    dated range with a week either side; none when undated, too loose or placeless."""
    if movement.start is None or movement.end is None or not movement.destination:
        return []
    first, last = movement.start.toordinal() // 7, movement.end.toordinal() // 7
    if last - first > MAX_SOURCE_WEEKS:
        return []
    return list(range(first - 1, last + 2))
