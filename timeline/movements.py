"""Movements: the event rows that tell the same real-world flight or trip, merged.

Several sentences of one article, and several articles, often report one movement. Rows
are grouped by what moved (a registration; a type with a compatible operator; within one
article, the resolved entity) and then clustered greedily in reading order: a row joins a
movement when its places are compatible (an airport inside its city inside its country),
its dates overlap the movement's, and nothing the text keeps apart separates them. Kept
apart: two rows of one sentence (two aircraft of a type), a presence and a movement, trips
whose dates do not meet, an outbound flight and its return.

Inside one article, mentions of a movement complete each other: a row lacking the date,
stops, operator, source, origin or destination that another mention states takes it, and
its `rule` says so. Blocking by key keeps the work near-linear in the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from urllib.parse import urlsplit

import pandas as pd

from timeline.aircraft import is_registration
from timeline.model import Place
from timeline.places import lookup, within_km
from timeline.resources import ResourceError, read_table
from timeline.table import COLUMNS

MOVEMENT_COLUMNS: tuple[str, ...] = (
    "movement_id",
    "entity",
    "subject_kind",
    "event_type",
    "icao_type",
    "operator",
    "count",
    "origin",
    "via",
    "destination",
    "start",
    "end",
    "mentions",
    "articles",
    "article_ids",
    "outlets",
    "source_urls",
    "first_reported",
    "conflicts",
    "event_ids",
)
"""The movements table: one row per movement, its route and tightest dates, its sources."""

COMPLETED = ("start", "end", "via", "operator", "attribution", "origin", "destination")
"""Fields one mention of a movement lends another mention of it in the same article."""

CROSS_SOURCE_SLACK_DAYS = 1
"""Two outlets may date one flight a day apart (local time, 'late on Wednesday'); one
article's own mentions must overlap exactly."""

SAME_CITY_KM = 60.0
"""An airport and its city (Fiumicino and Rome), or two names of one airfield, lie closer."""


@cache
def _determiners() -> dict[str, str]:
    """`data/events/determiners.tsv`: word → `new` (introduces a referent) or `old`."""
    table = {row["word"].lower(): row["kind"] for _, row in read_table("events/determiners.tsv")}
    for word, kind in table.items():
        if kind not in ("new", "old"):
            raise ResourceError(f"events/determiners.tsv: {word}: kind must be new or old")
    return table


@cache
def _place(name: str) -> Place | None:
    return lookup(name) if name else None


def _norm(text: str) -> str:
    """A name without case, spacing or a leading determiner: 'The  Il-76' → 'il-76'."""
    words = text.lower().split()
    return " ".join(words[1:] if words and words[0] in _determiners() else words)


def _introduced(record: dict[str, object]) -> bool:
    """Whether the row's subject is introduced as new ("a C-17", "another Il-76", "two
    planes"), by the word before its first occurrence in the evidence."""
    subject, evidence = str(record.get("subject") or ""), str(record.get("evidence") or "")
    at = evidence.find(subject) if subject else -1
    before = evidence[:at].split()[-2:] if at > 0 else []
    return any(_determiners().get(w.lower().strip(",;:(")) == "new" for w in before)


def same_area(first: str, second: str) -> bool:
    """Whether two place names can denote where one movement went: the same place, or one
    inside the other (a city in its country, an airport at its city). Empty matches all."""
    if not first or not second or _norm(first) == _norm(second):
        return True
    a, b = _place(first), _place(second)
    if a is None or b is None:
        return False
    if a.name == b.name:
        return True
    if "country" in (a.kind, b.kind) or "region" in (a.kind, b.kind):
        return bool(a.country) and a.country == b.country
    return within_km(a, b, SAME_CITY_KM)


def _day(value: object) -> date | None:
    if not _filled(value):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass
class _Row:
    """What clustering reads of one event row."""

    index: int
    article: str
    sentence: tuple[int, int]
    kind: str
    event_type: str
    key: str
    origin: str
    destination: str
    start: date | None
    end: date | None
    count: int | None
    operator: str
    introduced: bool = False


@dataclass
class _Movement:
    """A growing cluster: its members and the constraints they share."""

    rows: list[_Row] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    origin: str = ""
    destination: str = ""
    sentences: set[tuple[str, tuple[int, int]]] = field(default_factory=set)
    counts: dict[str, set[int]] = field(default_factory=dict)
    operators: set[str] = field(default_factory=set)

    def admits(self, row: _Row) -> bool:
        """Whether the row can tell this movement (each test reads sets, not the rows)."""
        if (row.event_type == "presence") != (self.rows[0].event_type == "presence"):
            return False
        if (row.article, row.sentence) in self.sentences:
            return False
        told_here = row.article in self.counts
        if row.introduced and told_here:
            return False  # "a C-17 ... a C-17": a second aircraft, not a retelling
        if row.count and self.counts.get(row.article, set()) - {row.count}:
            return False  # one article giving two sizes tells two groups
        slack = 0 if told_here else CROSS_SOURCE_SLACK_DAYS
        if not _overlap(self.start, self.end, row.start, row.end, slack):
            return False
        return same_area(self.destination, row.destination) and same_area(self.origin, row.origin)

    def add(self, row: _Row) -> None:
        self.rows.append(row)
        self.sentences.add((row.article, row.sentence))
        self.counts.setdefault(row.article, set()).update([row.count] if row.count else [])
        if row.operator:
            self.operators.add(row.operator)
        start = max(filter(None, (self.start, row.start)), default=None)
        end = min(filter(None, (self.end, row.end)), default=None)
        if not (start and end and start > end):  # reports a day apart keep the wider range
            self.start, self.end = start, end
        self.origin = _narrower(self.origin, row.origin)
        self.destination = _narrower(self.destination, row.destination)


def _overlap(
    s1: date | None, e1: date | None, s2: date | None, e2: date | None, slack: int = 0
) -> bool:
    """Whether two date ranges (None = unbounded) meet, allowing `slack` days between them."""
    gap = timedelta(days=slack)
    return (s1 is None or e2 is None or s1 <= e2 + gap) and (
        s2 is None or e1 is None or s2 <= e1 + gap
    )


def _narrower(kept: str, new: str) -> str:
    """Of two compatible place names, the more specific (a city rather than its country)."""
    if not kept:
        return new
    if not new:
        return kept
    a, b = _place(kept), _place(new)
    broad = ("country", "region")
    return (
        new if a is not None and b is not None and a.kind in broad and b.kind not in broad else kept
    )


def _key(record: dict[str, object]) -> str:
    """What moved, as a blocking key: a registration or a type anywhere; else an entity,
    which only means the same thing inside its own article."""
    subject = str(record.get("subject") or "")
    if record["subject_kind"] == "aircraft":
        if is_registration(subject):
            return f"reg:{subject.upper()}"
        if record.get("icao_type"):
            return f"type:{record['icao_type']}"
    entity = str(record.get("entity") or subject)
    names = [w for w in entity.split() if w[:1].isupper()]
    if (
        record["subject_kind"] == "personnel"
        and len(names) >= 2
        and names[-1] == entity.split()[-1]
    ):
        return f"person:{names[-1].lower()}"  # a named person: the same one in any article
    return f"entity:{record['article_id']}:{_norm(entity)}"


def _rows(frame: pd.DataFrame) -> list[_Row]:
    rows = []
    for index, record in enumerate(_records(frame)):
        count = record.get("count")
        rows.append(
            _Row(
                index=index,
                article=str(record["article_id"]),
                sentence=(int(record["char_start"]), int(record["char_end"])),
                kind=str(record["subject_kind"]),
                event_type=str(record["event_type"]),
                key=_key(record),
                origin=str(record["origin"] or ""),
                destination=str(record["destination"] or record["location"] or ""),
                start=_day(record["start"]),
                end=_day(record["end"]),
                count=None if count is None or pd.isna(count) else int(count),
                operator=_norm(str(record["operator"] or "")),
                introduced=_introduced(record),
            )
        )
    return rows


def cluster(frame: pd.DataFrame) -> list[list[int]]:
    """Positions of the frame's rows grouped into movements, each group in table order.

    Rows are taken by publication, article and position. A row joins the latest movement
    of its block (kind and key) that admits it: first among those its own article already
    feeds, then, for a dated row with a destination, among other articles' movements of the
    same weeks. Looking only there keeps the work near-linear in the number of rows.
    """
    published = [str(day) for day in frame["published"]]
    order = sorted(_rows(frame), key=lambda r: (published[r.index], r.article, r.sentence, r.index))
    in_article: dict[tuple[str, str, str], list[_Movement]] = defaultdict(list)
    by_week: dict[tuple[str, str, int], list[_Movement]] = defaultdict(list)
    movements: list[_Movement] = []
    for row in order:
        block = (row.kind, row.key)
        own = in_article[(*block, row.article)]
        weeks = _weeks(row)
        others = [m for week in weeks for m in by_week.get((*block, week), ())]
        home = next(
            (
                m
                for m in (*reversed(own), *reversed(others))
                if m.admits(row) and _operators_agree(m, row)
            ),
            None,
        )
        if home is None:
            home = _Movement()
            movements.append(home)
        if not home.rows or all(m is not home for m in own):
            own.append(home)
        home.add(row)
        for week in weeks:
            if all(m is not home for m in by_week[(*block, week)]):
                by_week[(*block, week)].append(home)
    return [sorted(r.index for r in m.rows) for m in _with_carriers(movements)]


MAX_SOURCE_WEEKS = 8
"""A row dated more loosely than this ('since March', 'in 2019') is merged inside its own
article only: across articles such a range would join any report of the type."""


def _weeks(row: _Row) -> list[int]:
    """The weeks (days since 0001-01-01 // 7) a row may meet another article's rows in:
    its dated range with a week either side; none when undated, too loose or placeless."""
    if row.start is None or row.end is None or not row.destination:
        return []
    first, last = row.start.toordinal() // 7, row.end.toordinal() // 7
    if last - first > MAX_SOURCE_WEEKS:
        return []
    return list(range(first - 1, last + 2))


def _with_carriers(movements: list[_Movement]) -> list[_Movement]:
    """People's movements joined to the aircraft that carried them: a group told in the same
    sentence as exactly one aircraft movement whose places and dates fit ("a C-17 carrying
    95 troops landed in Kigali") travelled on it."""
    by_sentence: dict[tuple[str, tuple[int, int]], list[_Movement]] = defaultdict(list)
    for movement in movements:
        if movement.rows[0].kind == "aircraft":
            for row in movement.rows:
                by_sentence[(row.article, row.sentence)].append(movement)
    joined: list[_Movement] = []
    for movement in movements:
        if movement.rows[0].kind == "aircraft":
            continue
        carriers = {
            id(aircraft): aircraft
            for row in movement.rows
            for aircraft in by_sentence.get((row.article, row.sentence), [])
        }
        fitting = [a for a in carriers.values() if _fits(a, movement)]
        if len(fitting) == 1:
            fitting[0].rows.extend(movement.rows)
            continue
        joined.append(movement)
    return [m for m in movements if m.rows[0].kind == "aircraft"] + joined


def _fits(aircraft: _Movement, people: _Movement) -> bool:
    return (
        _overlap(aircraft.start, aircraft.end, people.start, people.end)
        and same_area(aircraft.destination, people.destination)
        and same_area(aircraft.origin, people.origin)
    )


def _operators_agree(movement: _Movement, row: _Row) -> bool:
    """A type seen in two articles is one aircraft only if no operator contradicts it."""
    named = movement.operators
    return (
        not row.operator
        or not named
        or row.operator in named
        or any(row.operator in n or n in row.operator for n in named)
    )


PLAN_COLUMNS = tuple(
    name
    for name in COLUMNS
    if name
    not in {
        "headline",
        "aircraft_type",
        "aircraft_family",
        "manufacturer",
        "aircraft_role",
        "date_text",
        "time_of_day",
        "origin_lat",
        "origin_lon",
        "destination_lat",
        "destination_lon",
        "movement_id",
    }
)
"""The columns movements are found and summarised from (a table too big for memory is
planned from these alone, then its chunks are completed one by one)."""


@dataclass(frozen=True)
class Plan:
    """Each row's movement id and the fields its movement lends it, by row position."""

    ids: list[str]
    fills: dict[int, dict[str, object]]


def plan(frame: pd.DataFrame) -> Plan:
    """Movements of a table (in its order): ids, and what each mention takes from the others
    of its movement in its own article (a date only to a mention with no date at all)."""
    records = _records(frame)
    ids = [""] * len(records)
    fills: dict[int, dict[str, object]] = {}
    for group in cluster(frame):
        by_article: dict[str, list[dict[str, object]]] = defaultdict(list)
        for position in group:
            ids[position] = f"M-{records[group[0]]['event_id']}"
            by_article[str(records[position]["article_id"])].append(records[position])
        for position in group:
            lent = _lent(records[position], by_article[str(records[position]["article_id"])])
            if lent:
                fills[position] = lent
    return Plan(ids, fills)


def _dated(record: dict[str, object]) -> bool:
    return _filled(record["start"]) or _filled(record["end"])


def _lent(record: dict[str, object], members: list[dict[str, object]]) -> dict[str, object]:
    """What one mention takes from the other mentions of its movement in its article: places
    and operator only from a mention of the same kind (the people an aircraft carried may
    have boarded or left it elsewhere), dates and sources from any."""
    lent: dict[str, object] = {}
    for name in COMPLETED:
        if _filled(record[name]):
            continue
        if name in ("start", "end"):
            if _dated(record):
                continue
            donor = next((m for m in members if _dated(m)), None)
        else:
            donor = next(
                (
                    m
                    for m in members
                    if _filled(m[name])
                    and (name == "attribution" or m["subject_kind"] == record["subject_kind"])
                ),
                None,
            )
        if donor is None or not _filled(donor[name]):
            continue
        opposite = {"origin": "destination", "destination": "origin"}.get(name)
        if opposite and donor[name] == record[opposite]:
            continue  # a trip does not end where it began: that mention tells another leg
        lent[name] = donor[name]
        if name == "start":
            lent["precision"] = donor["precision"]
    if lent:
        lent["rule"] = str(record["rule"]) + "".join(
            f"+movement:{name}" for name in lent if name in COMPLETED
        )
    return lent


def apply(chunk: pd.DataFrame, planned: Plan, offset: int = 0) -> pd.DataFrame:
    """A chunk of the planned table (its first row at `offset`) completed, with movement ids."""
    chunk = chunk.reset_index(drop=True)
    changed = {
        name: chunk[name].tolist()
        for name in {
            n for p in range(offset, offset + len(chunk)) for n in planned.fills.get(p, {})
        }
    }
    for position in range(len(chunk)):
        for name, value in planned.fills.get(offset + position, {}).items():
            changed[name][position] = value
    updates = {name: pd.Series(values, dtype=chunk[name].dtype) for name, values in changed.items()}
    return chunk.assign(**updates, movement_id=planned.ids[offset : offset + len(chunk)])


def summarize(frame: pd.DataFrame) -> pd.DataFrame:
    """The movements table of an event table whose rows carry their `movement_id`."""
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for record in _records(frame):
        groups[str(record["movement_id"])].append(record)
    table = pd.DataFrame(
        [_summary(rows) for rows in groups.values()], columns=list(MOVEMENT_COLUMNS)
    )
    for name in ("count", "mentions", "articles"):
        table[name] = pd.array(table[name], dtype="Int64")
    return table


def assign(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The event table with movement ids and completed mentions, and its movements table."""
    events = apply(frame, plan(frame))
    return events, summarize(events)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The frame's rows as dicts, column by column (several times faster than to_dict)."""
    columns = {name: frame[name].tolist() for name in frame.columns}
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return value != ""
    return value is not None and not pd.isna(value)


def _outlet(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _summary(rows: list[dict[str, object]]) -> dict[str, object]:
    """One movement's row of the movements table, from its mentions' records."""

    def column(name: str) -> list[object]:
        return [row.get(name, "") for row in rows]

    starts = [d for d in map(_day, column("start")) if d]
    ends = [d for d in map(_day, column("end")) if d]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    conflicts = []
    if start and end and start > end:
        conflicts.append("dates")
        start, end = min(starts), max(ends)
    kind = "aircraft" if "aircraft" in column("subject_kind") else "personnel"
    counts = {
        int(row["count"])  # type: ignore[call-overload]
        for row in rows
        if row["subject_kind"] == kind and _filled(row["count"])
    }
    if len(counts) > 1:
        conflicts.append("count")
    operators = {_norm(str(o)) for o in column("operator") if o}
    if len(operators) > 1 and not any(all(o in p for p in operators) for o in operators):
        conflicts.append("operator")
    urls = sorted({str(u) for u in column("source_url") if u})
    places = [row["destination"] or row["location"] for row in rows]
    return {
        "movement_id": rows[0]["movement_id"],
        "entity": _most_common(
            row.get("entity") or row["subject"] for row in rows if row["subject_kind"] == kind
        ),
        "subject_kind": kind,
        "event_type": _most_common(column("event_type")),
        "icao_type": _most_common(column("icao_type")),
        "operator": _most_common(column("operator")),
        "count": max(counts) if counts else None,
        "origin": _most_specific(column("origin")),
        "via": _most_common(column("via")),
        "destination": _most_specific(places),
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "mentions": len(rows),
        "articles": len({row["article_id"] for row in rows}),
        "article_ids": "; ".join(dict.fromkeys(str(a) for a in column("article_id"))),
        "outlets": "; ".join(sorted({_outlet(u) for u in urls})),
        "source_urls": "; ".join(urls),
        "first_reported": min((str(p)[:10] for p in column("published") if _filled(p)), default=""),
        "conflicts": "; ".join(conflicts),
        "event_ids": "; ".join(str(e) for e in column("event_id")),
    }


def _most_common(values: Iterable[object]) -> str:
    named = [str(v) for v in values if _filled(v) and str(v)]
    return max(dict.fromkeys(named), key=named.count) if named else ""


def _most_specific(values: Iterable[object]) -> str:
    kept = ""
    for value in values:
        kept = _narrower(kept, str(value)) if _filled(value) else kept
    return kept


def as_events(events: pd.DataFrame, movements: pd.DataFrame) -> pd.DataFrame:
    """One event-table row per movement (its first mention, with the movement's route, dates
    and count), so exports and the page made for events can draw movements."""
    first = events.drop_duplicates("movement_id").set_index("movement_id")
    rows = first.loc[movements["movement_id"]].reset_index()
    merged = movements.set_index("movement_id").loc[rows["movement_id"]].reset_index()
    for name in ("origin", "via", "destination", "start", "end", "operator"):
        rows[name] = merged[name].where(merged[name] != "", rows[name]).to_numpy()
    rows["count"] = pd.array(merged["count"], dtype="Int64")
    return rows[[*events.columns]]
