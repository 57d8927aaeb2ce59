"""What `build` and `extract` write, assembled from the sorted event table: the rows the
filters keep (and a word when they keep none), movement ids planned over the whole table,
and each output format's content in pieces, so a big table is never one string."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from timeline.words import plural


@dataclass(frozen=True)
class Filters:
    """The row filters of `build` and `extract`, as given on the command line."""

    aircraft: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    kind: str | None = None

    def __bool__(self) -> bool:
        return bool(self.aircraft or self.since or self.until or self.kind)

    def __str__(self) -> str:
        """The filters as the user typed them: `--aircraft Boeing --since 2020-01-01`."""
        words = [f"--aircraft {query}" for query in self.aircraft]
        words += [
            f"--{name} {value}"
            for name in ("since", "until", "kind")
            if (value := getattr(self, name))
        ]
        return " ".join(words)


@dataclass
class Tally:
    """How many rows the filters saw and kept, to say so when they keep none."""

    seen: int = 0
    kept: int = 0

    def emptied_by(self, filters: Filters) -> str:
        """'0 of 12 events match --aircraft Boeing' when the filters removed every row."""
        if not filters or self.kept or not self.seen:
            return ""
        verb = "matches" if self.seen == 1 else "match"
        return f"0 of {plural(self.seen, 'event')} {verb} {filters}"


def filtered(chunks: Iterable[Any], filters: Filters, tally: Tally) -> Iterator[Any]:
    """The table's chunks with only the rows the filters keep (every filter reads one row)."""
    from timeline.table import filter_frame

    for chunk in chunks:
        tally.seen += len(chunk)
        if filters:
            chunk = filter_frame(
                chunk,
                aircraft=filters.aircraft,
                since=filters.since,
                until=filters.until,
                kind=filters.kind,
            )
        tally.kept += len(chunk)
        yield chunk


def with_movements(table: Any) -> Iterator[Any]:
    """The sorted table's chunks with movement ids and completed mentions, in two passes:
    the movements are planned from a few columns of every row, then each chunk is completed."""
    import pandas as pd

    from timeline import movements
    from timeline.table import COLUMNS

    columns = [c for c in movements.PLAN_COLUMNS if c in COLUMNS]
    planned = movements.plan(pd.concat([c[columns] for c in table.chunks()], ignore_index=True))
    offset = 0
    for chunk in table.chunks():
        yield movements.apply(chunk, planned, offset)
        offset += len(chunk)


def export_movements(chunks: Iterable[Any], fmt: str) -> Iterable[str] | Iterable[bytes]:
    """The movements table (one document, made from the whole event table) in any format;
    TimelineJS and GeoJSON draw each movement as its first mention with the merged route."""
    from timeline import movements
    from timeline.table import concat_tables, parquet_stream, render_stream

    events = concat_tables(chunks)
    moves = movements.summarize(events)
    if fmt in ("timelinejs", "geojson"):
        return export([movements.as_events(events, moves)], fmt)
    if fmt == "parquet":
        return parquet_stream([moves], schema_frame=moves.iloc[:0])
    return render_stream([moves], fmt)


def export(chunks: Iterable[Any], fmt: str) -> Iterable[str] | Iterable[bytes]:
    """The output's content in pieces, made as the sorted table's chunks come.

    TimelineJS and GeoJSON are single documents built from the whole table at once.
    """
    import json

    from timeline.table import concat_tables, parquet_stream, render_stream

    if fmt == "parquet":
        return parquet_stream(chunks)
    if fmt in ("timelinejs", "geojson"):
        from timeline import exports

        frame = concat_tables(chunks)
        data = exports.to_timelinejs(frame) if fmt == "timelinejs" else exports.to_geojson(frame)
        return [json.dumps(data, ensure_ascii=False, indent=1) + "\n"]
    return render_stream(chunks, fmt)
