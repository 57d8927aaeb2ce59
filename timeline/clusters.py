"""Which event rows of one article tell the same real-world flight or trip.

A row names what moved: a registration, a type, or a named person; inside its own article
also the resolved entity, a group of the same size, or (an aircraft told without its type,
"the plane") any aircraft of the article. Rows are clustered greedily in reading order: a
row joins a movement that moved the same thing when its places are compatible (an airport
inside its city inside its country), its dates overlap the movement's, and nothing the text
keeps apart separates them. Kept apart: two rows of one sentence (two aircraft of a type), a
mention the text introduces as new ("another C-17"), a presence and a movement, trips whose
dates do not meet, an outbound flight and its return. `timeline.across` joins articles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache

import pandas as pd

from timeline.events.lexicon import phrase
from timeline.model import Place
from timeline.places import lookup, within_km
from timeline.wording import (
    determined,
    determiner_word,
    determiners,
    in_headline,
    kind,
    mover_names,
    number,
    plural_nouns,
    rank,
)

SAME_CITY_KM = 60.0
"""An airport and its city (Fiumicino and Rome), or two names of one airfield, lie closer."""

BROAD = ("country", "region")
"""Place kinds that contain other places rather than lie beside them."""

_SERIES = phrase("series")

SIZED_LEAD_DAYS = 7
"""How far apart the ends of a lead told in plurals ("tankers touched down recently") and
of the group its article then counts ("four KC-135s arrived on Monday") may lie."""


@cache
def place_of(name: str) -> Place | None:
    return lookup(name) if name else None


def norm(text: str) -> str:
    """A name without case, spacing or a leading determiner: 'The  Il-76' → 'il-76'."""
    words = text.lower().split()
    return " ".join(words[1:] if words and words[0] in determiners() else words)


@lru_cache(maxsize=1 << 16)
def same_area(first: str, second: str) -> bool:
    """Whether two place names can denote where one movement went: the same place, or one
    inside the other (a city in its country, an airport at its city). Empty matches all."""
    if not first or not second or norm(first) == norm(second):
        return True
    a, b = place_of(first), place_of(second)
    if a is None or b is None:
        return False
    if a.name == b.name:
        return True
    if a.kind in BROAD or b.kind in BROAD:
        return bool(a.country) and a.country == b.country
    return within_km(a, b, SAME_CITY_KM)


def specific(name: str) -> bool:
    """A place narrower than a country or region (a city, an airport), known or not."""
    place = place_of(name)
    return bool(name) and (place is None or place.kind not in BROAD)


def day(value: object) -> date | None:
    """A table date (ISO text or a date) as a date; None when empty."""
    if not filled(value):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def filled(value: object) -> bool:
    """Whether a table cell holds a value (not empty text, None or NA)."""
    if isinstance(value, str):
        return value != ""
    return value is not None and not pd.isna(value)


@dataclass
class _Row:
    """What clustering reads of one event row."""

    index: int
    article: str
    sentence: tuple[int, int]
    kind: str
    event_type: str
    names: tuple[str, ...]  # what moved, meant alike in any article: reg:, type:, person:
    entity: str  # what moved, as its article resolves it
    origin: str
    destination: str
    start: date | None
    end: date | None
    count: int | None
    operator: str
    introduced: bool = False
    headline: bool = False
    plural: bool = False  # "the planes", told without a count
    rank: int | None = None  # "the first plane": 1
    numbered: bool = False  # introduced by its size alone ("four KC-135s")
    series: bool = False  # "planes have been landing": flights that go on, not one


@dataclass
class Movement:
    """A growing cluster: its members and the constraints they share."""

    rows: list[_Row] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    origin: str = ""
    destination: str = ""
    names: set[str] = field(default_factory=set)
    named: dict[str, set[str]] = field(default_factory=dict)  # "reg", "type", "person" → names
    entities: set[tuple[str, str]] = field(default_factory=set)
    sentences: set[tuple[str, tuple[int, int]]] = field(default_factory=set)
    counts: dict[str, set[int]] = field(default_factory=dict)
    operators: set[str] = field(default_factory=set)
    ranks: set[int] = field(default_factory=set)  # "the first plane", "a second flight"
    unsized: set[str] = field(default_factory=set)  # articles that told it in plurals only

    @property
    def kind(self) -> str:
        return self.rows[0].kind

    @property
    def presence(self) -> bool:
        return self.rows[0].event_type == "presence"

    @property
    def series(self) -> bool:
        return self.rows[0].series

    def moved(self, row: _Row) -> bool:
        """Whether the row names what this movement moved: no registration, type or person
        of it contradicts the movement's, and a name is shared, or (in the row's article)
        the entity, a group's size, or an aircraft told without its type."""
        if row.kind != self.rows[0].kind:
            return False
        for name in row.names:
            seen = self.named.get(name[: name.index(":")])
            if seen and name not in seen:
                return False
        if self.names.intersection(row.names):
            return True
        if row.article not in self.counts:
            return False
        if (row.article, row.entity) in self.entities:
            return True
        if row.kind == "aircraft":  # "the plane" is any aircraft its article has told of
            return not row.names or not self.names
        return bool(row.count and row.count > 1 and row.count in self.counts[row.article])

    def admits(self, row: _Row) -> bool:
        """Whether a row of the movement's own article can tell it (each test reads sets,
        not the rows)."""
        if (row.event_type == "presence") != (self.rows[0].event_type == "presence"):
            return False
        if (row.article, row.sentence) in self.sentences:
            return False
        if row.series != self.series:
            return False  # "planes have been landing ... the first plane landed on Sunday"
        if row.introduced and not self._sized(row):
            return False  # "a C-17 ... a C-17": a second aircraft, not a retelling
        if row.count and self.counts.get(row.article, set()) - {row.count}:
            return False  # one article giving two sizes tells two groups
        if row.plural and self.counts.get(row.article) == {1}:
            return False  # "the planes" are not the one aircraft the article told of
        if row.rank and self.ranks - {row.rank}:
            return False  # "a second flight ... the first plane": two flights
        if not overlap(self.start, self.end, row.start, row.end):
            return False  # one article's own mentions of a flight meet exactly
        if not operators_agree(self.operators, row.operator):
            return False
        if not same_area(self.destination, row.destination):
            return False
        if row.count and row.count > 1 and self.counts.get(row.article) == {row.count}:
            return True  # a group of one size told twice: where it set out is told loosely
        return same_area(self.origin, row.origin)

    def _sized(self, row: _Row) -> bool:
        """Whether a group introduced by its size alone ("four KC-135s arrived on Monday")
        tells the size of a movement its article told before in plurals only, dated within
        days of it ("tankers touched down recently"): a story's lead, then its detail."""
        return (
            row.numbered
            and row.article in self.unsized
            and row.end is not None
            and self.end is not None
            and abs((row.end - self.end).days) <= SIZED_LEAD_DAYS
        )

    def add(self, row: _Row) -> None:
        if row.plural and row.article not in self.counts:
            self.unsized.add(row.article)  # "tankers touched down ... four KC-135s arrived"
        elif not row.plural:
            self.unsized.discard(row.article)
        self.rows.append(row)
        self.names.update(row.names)
        for name in row.names:
            self.named.setdefault(name[: name.index(":")], set()).add(name)
        self.entities.add((row.article, row.entity))
        self.sentences.add((row.article, row.sentence))
        self.counts.setdefault(row.article, set()).update([row.count] if row.count else [])
        if row.operator:
            self.operators.add(row.operator)
        if row.rank:
            self.ranks.add(row.rank)
        self.start, self.end = _tightest(self.start, self.end, row.start, row.end)
        self.origin = narrower(self.origin, row.origin)
        self.destination = narrower(self.destination, row.destination)

    def absorb(self, other: Movement) -> None:
        """Take in another article's movement whole (its articles are not this one's)."""
        self.rows.extend(other.rows)
        self.names.update(other.names)
        for prefix, names in other.named.items():
            self.named.setdefault(prefix, set()).update(names)
        self.entities.update(other.entities)
        self.sentences.update(other.sentences)
        self.counts.update(other.counts)
        self.operators.update(other.operators)
        self.start, self.end = _tightest(self.start, self.end, other.start, other.end)
        self.origin = narrower(self.origin, other.origin)
        self.destination = narrower(self.destination, other.destination)


def _tightest(
    s1: date | None, e1: date | None, s2: date | None, e2: date | None
) -> tuple[date | None, date | None]:
    """The dates two overlapping ranges share; of ranges a day apart, the first."""
    start = max(filter(None, (s1, s2)), default=None)
    end = min(filter(None, (e1, e2)), default=None)
    return (s1, e1) if start and end and start > end else (start, end)


def overlap(
    s1: date | None, e1: date | None, s2: date | None, e2: date | None, slack: int = 0
) -> bool:
    """Whether two date ranges (None = unbounded) meet, allowing `slack` days between them."""
    gap = timedelta(days=slack)
    return (s1 is None or e2 is None or s1 <= e2 + gap) and (
        s2 is None or e1 is None or s2 <= e1 + gap
    )


def narrower(kept: str, new: str) -> str:
    """Of two compatible place names, the more specific (a city rather than its country)."""
    if not kept:
        return new
    if not new:
        return kept
    a, b = place_of(kept), place_of(new)
    return (
        new if a is not None and b is not None and a.kind in BROAD and b.kind not in BROAD else kept
    )


def _rows(records: list[dict[str, object]]) -> list[_Row]:
    rows = []
    for index, record in enumerate(records):
        count = (
            None
            if record.get("count") is None or pd.isna(record["count"])
            else int(record["count"])
        )  # type: ignore[call-overload]
        subject, evidence = str(record.get("subject") or ""), str(record.get("evidence") or "")
        headline = in_headline(subject, evidence, str(record.get("headline") or ""))
        words = subject.lower().split()
        determiner = determiner_word(subject, evidence)
        rows.append(
            _Row(
                index=index,
                article=str(record["article_id"]),
                sentence=(int(record["char_start"]), int(record["char_end"])),
                kind=str(record["subject_kind"]),
                event_type=str(record["event_type"]),
                names=mover_names(record)
                if record["subject_kind"] in ("aircraft", "personnel")
                else (),
                entity=norm(str(record.get("entity") or subject)),
                origin=str(record["origin"] or ""),
                destination=str(record["destination"] or record["location"] or ""),
                start=day(record["start"]),
                end=day(record["end"]),
                count=count,
                operator=norm(str(record["operator"] or "")),
                introduced=not headline and kind(determiner) == "new",
                numbered=not headline and number(determiner),
                headline=headline,
                plural=not count and bool(words) and words[-1] in plural_nouns(),
                rank=rank(subject, evidence),
                series=_series(evidence),
            )
        )
    return _carried_anew(rows, records)


@lru_cache(maxsize=1 << 12)
def _series(sentence: str) -> bool:
    """Whether a sentence tells of flights that go on (read once for its rows)."""
    return bool(_SERIES.search(sentence))


def _carried_anew(rows: list[_Row], records: list[dict[str, object]]) -> list[_Row]:
    """People an aircraft the text introduces as new carried are a new group too ("another
    flight carrying Britons landed": other Britons), unless named or referred back to ("a
    C-17 carrying the troops")."""
    new_aircraft = {(r.article, r.sentence) for r in rows if r.kind == "aircraft" and r.introduced}
    for row in rows:
        if (
            row.kind == "personnel"
            and not row.introduced
            and not row.names
            and (row.article, row.sentence) in new_aircraft
        ):
            record = records[row.index]
            said = determined(str(record.get("subject") or ""), str(record.get("evidence") or ""))
            row.introduced = said != "old"
    return rows


def in_articles(records: list[dict[str, object]]) -> list[Movement]:
    """The movements each article tells, in reading order.

    Rows are taken by publication, article and position, an article's headline after its
    body. A row joins the latest movement of its own article that moved the same thing and
    admits it (a headline: the earliest, the story's lead).
    """
    order = sorted(
        _rows(records),
        key=lambda r: (str(records[r.index]["published"]), r.article, r.headline, r.sentence),
    )
    in_article: dict[str, list[Movement]] = defaultdict(list)
    movements: list[Movement] = []
    for row in order:
        own = in_article[row.article]
        home = _home(row, own)
        if home is None:
            home = Movement()
            movements.append(home)
            own.append(home)
        home.add(row)
    return movements


def _home(row: _Row, own: list[Movement]) -> Movement | None:
    """The movement of its article a row joins: the latest that moved the same thing and
    admits it (for a headline, the earliest: the story's lead). An aircraft told without
    its type ("the planes") that several of its article's aircraft could be joins none."""
    mine = (m for m in (own if row.headline else reversed(own)) if m.moved(row) and m.admits(row))
    if row.kind == "aircraft" and not row.names:
        could = list(mine)
        if len({frozenset(m.names) for m in could}) > 1:
            return None
        mine = iter(could)
    return next(mine, None)


def with_carriers(movements: list[Movement]) -> list[Movement]:
    """People's movements joined to the aircraft that carried them: a group told in the same
    sentence as exactly one aircraft movement whose places and dates fit ("a C-17 carrying
    95 troops landed in Kigali") travelled on it; so did a group whose article tells of
    exactly one aircraft movement, to the same place on the same days ("the President flew
    to Chaklala ... the plane landed at Chaklala at night")."""
    by_sentence: dict[tuple[str, tuple[int, int]], list[Movement]] = defaultdict(list)
    by_article: dict[str, dict[int, Movement]] = defaultdict(dict)
    for movement in movements:
        if movement.rows[0].kind == "aircraft":
            for row in movement.rows:
                by_sentence[(row.article, row.sentence)].append(movement)
                by_article[row.article][id(movement)] = movement
    joined: list[Movement] = []
    for movement in movements:
        if movement.rows[0].kind == "aircraft":
            continue
        carriers = {
            id(aircraft): aircraft
            for row in movement.rows
            for aircraft in by_sentence.get((row.article, row.sentence), [])
        }
        fitting = [a for a in carriers.values() if _fits(a, movement)]
        if not carriers and movement.rows[0].event_type != "presence":
            told = {k: a for row in movement.rows for k, a in by_article[row.article].items()}
            fitting = [a for a in told.values() if _fits(a, movement, told_apart=True)]
            fitting = fitting if len(told) == 1 else []
        if len(fitting) == 1:
            fitting[0].rows.extend(movement.rows)
            continue
        joined.append(movement)
    return [m for m in movements if m.rows[0].kind == "aircraft"] + joined


def _fits(aircraft: Movement, people: Movement, *, told_apart: bool = False) -> bool:
    """Whether people may have travelled on the aircraft: people leaving from where it landed
    took a later leg; told in other sentences, both must be placed and dated, the people
    within a day of the aircraft ("rescue teams were sent earlier this week" did not ride
    the plane that landed on Saturday)."""
    if told_apart and not (
        aircraft.start
        and aircraft.end
        and people.start
        and people.end
        and aircraft.destination
        and people.destination
        and overlap(aircraft.start, aircraft.end, people.start, people.start, 1)
        and overlap(aircraft.start, aircraft.end, people.end, people.end, 1)
    ):
        return False
    if _left_from(people.origin, aircraft.destination):
        return False
    return (
        overlap(aircraft.start, aircraft.end, people.start, people.end)
        and same_area(aircraft.destination, people.destination)
        and same_area(aircraft.origin, people.origin)
    )


def _left_from(origin: str, landed: str) -> bool:
    """Whether people set out from where an aircraft landed, so took a later leg ("the plane
    that landed in Honduras flew teachers out of Honduras"): the same name, or two places
    narrower than a country that lie together."""
    if not origin or not landed:
        return False
    if norm(origin) == norm(landed):
        return True
    return specific(origin) and specific(landed) and same_area(origin, landed)


def operators_agree(named: set[str], operator: str) -> bool:
    """An aircraft seen in two mentions is one only if no operator contradicts it."""
    return (
        not operator
        or not named
        or operator in named
        or any(operator in n or n in operator for n in named)
    )
