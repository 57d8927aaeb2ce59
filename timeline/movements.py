"""Movements: the event rows that tell the same real-world flight or trip, merged.

Several sentences of one article, and several articles, often report one movement;
`timeline.clusters` finds which rows do. Inside one article, mentions of a movement
complete each other: a row lacking the date, stops, operator, source, origin or
destination that another mention states takes it, and its `rule` says so. The movements
table gives one row per movement: its route, tightest dates, sources and conflicts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from timeline.across import cluster
from timeline.clusters import day, filled, narrower, norm, same_area
from timeline.table import COLUMNS

__all__ = ["MOVEMENT_COLUMNS", "PLAN_COLUMNS", "apply", "assign", "plan", "same_area", "summarize"]

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

PLAN_COLUMNS = tuple(
    name
    for name in COLUMNS
    if name
    not in {
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
    for group in cluster(records):
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
    return filled(record["start"]) or filled(record["end"])


def _lent(record: dict[str, object], members: list[dict[str, object]]) -> dict[str, object]:
    """What one mention takes from the other mentions of its movement in its article: places
    and operator only from a mention of the same kind (the people an aircraft carried may
    have boarded or left it elsewhere), dates and sources from any."""
    lent: dict[str, object] = {}
    for name in COMPLETED:
        if filled(record[name]):
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
                    if filled(m[name])
                    and (name == "attribution" or m["subject_kind"] == record["subject_kind"])
                ),
                None,
            )
        if donor is None or not filled(donor[name]):
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


def _outlet(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _summary(rows: list[dict[str, object]]) -> dict[str, object]:
    """One movement's row of the movements table, from its mentions' records."""

    def column(name: str) -> list[object]:
        return [row.get(name, "") for row in rows]

    starts = [d for d in map(day, column("start")) if d]
    ends = [d for d in map(day, column("end")) if d]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    conflicts = []
    if start and end and start > end:
        conflicts.append("dates")
        start, end = min(starts), max(ends)
    kind = "aircraft" if "aircraft" in column("subject_kind") else "personnel"
    counts = {
        int(row["count"])  # type: ignore[call-overload]
        for row in rows
        if row["subject_kind"] == kind and filled(row["count"])
    }
    if len(counts) > 1:
        conflicts.append("count")
    operators = {norm(str(o)) for o in column("operator") if o}
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
        "first_reported": min((str(p)[:10] for p in column("published") if filled(p)), default=""),
        "conflicts": "; ".join(conflicts),
        "event_ids": "; ".join(str(e) for e in column("event_id")),
    }


def _most_common(values: Iterable[object]) -> str:
    named = [str(v) for v in values if filled(v) and str(v)]
    return max(dict.fromkeys(named), key=named.count) if named else ""


def _most_specific(values: Iterable[object]) -> str:
    kept = ""
    for value in values:
        kept = narrower(kept, str(value)) if filled(value) else kept
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
