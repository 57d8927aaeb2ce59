"""The event table: the column contract, and Event dataclasses → pandas DataFrame.

Columns (names and meanings are a contract that other tools, e.g. the scorer, read):

- event_id, article_id (file stem), headline, published (ISO date), source_url
- event_type: flight | arrival | departure | presence
- subject_kind: aircraft | personnel; subject (as written)
- entity: the name the article establishes for what moved, the same in every row about
  that mover ("Russian contractors", "Ilyushin Il-96", "RA-86496"); pronouns and definite
  references ("they", "the plane") carry the name of what they refer to
- aircraft_type (canonical name), aircraft_family, icao_type (ICAO Doc 8643 designator), manufacturer,
  aircraft_role, count, operator
- origin, via (places in order, "; "-separated), destination, location (presence)
- start, end: ISO dates, earliest possible start / latest possible end; empty = unbounded
- precision: day | week | month | season | year | decade | vague
- date_text (as written), time_of_day, attribution (who says so)
- evidence (the sentence), char_start, char_end (offsets of the evidence in the text)
- origin_lat, origin_lon, destination_lat, destination_lon
- rule: the stable names of the rules that made the row, "+"-joined: the triggers'
  names (`data/events/triggers.tsv`) then the decisions that filled it (`DECISIONS` in
  `timeline.events.explain`: "story_time", "prior_origin"...); --explain shows the same names
- movement_id: the movement the row tells (`timeline.movements`): rows that report the same
  flight or trip, in one article or several, share it
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd

from timeline.model import AircraftType, Article, Event, Place

COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "headline",
    "published",
    "source_url",
    "event_type",
    "subject_kind",
    "subject",
    "entity",
    "aircraft_type",
    "aircraft_family",
    "icao_type",
    "manufacturer",
    "aircraft_role",
    "count",
    "operator",
    "origin",
    "via",
    "destination",
    "location",
    "start",
    "end",
    "precision",
    "date_text",
    "time_of_day",
    "attribution",
    "evidence",
    "char_start",
    "char_end",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
    "rule",
    "movement_id",
)


FORMATS = ("csv", "json", "jsonl")
_NUMERIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SORT_KEY = ("article_id", "char_start", "event_id")
"""The table's order: by article, then by position in its text; any run gives this order."""
INT_COLUMNS = frozenset({"count", "char_start", "char_end"})
FLOAT_COLUMNS = frozenset({"origin_lat", "origin_lon", "destination_lat", "destination_lon"})


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _name(place: Place | None) -> str:
    return place.name if place else ""


def event_row(article: Article, event: Event, number: int) -> dict[str, object]:
    """One table row for one event, in the column contract's names."""
    aircraft = event.aircraft or AircraftType(name="", icao_type="")
    when = event.when
    arrival = event.destination or event.location
    return {
        "event_id": f"{article.article_id}-{number:03d}",
        "article_id": article.article_id,
        "headline": article.headline,
        "published": _iso(article.published),
        "source_url": article.source_url,
        "event_type": event.event_type,
        "subject_kind": event.subject_kind,
        "subject": event.subject,
        "entity": event.entity,
        "aircraft_type": aircraft.name,
        "aircraft_family": aircraft.family,
        "icao_type": aircraft.icao_type,
        "manufacturer": aircraft.manufacturer,
        "aircraft_role": event.role or aircraft.role,
        "count": event.count,
        "operator": event.operator,
        "origin": _name(event.origin),
        "via": "; ".join(p.name for p in event.via),
        "destination": _name(event.destination),
        "location": _name(event.location),
        "start": _iso(when.earliest if when else None),
        "end": _iso(when.latest if when else None),
        "precision": when.precision if when else "",
        "date_text": when.text if when else "",
        "time_of_day": when.time_of_day if when else "",
        "attribution": event.attribution,
        "evidence": event.evidence,
        "char_start": event.char_start,
        "char_end": event.char_end,
        "origin_lat": event.origin.lat if event.origin else None,
        "origin_lon": event.origin.lon if event.origin else None,
        "destination_lat": arrival.lat if arrival else None,
        "destination_lon": arrival.lon if arrival else None,
        "rule": event.rule,
        "movement_id": "",
    }


def to_frame(rows: Iterable[dict[str, object]] | Iterable[tuple[object, ...]]) -> pd.DataFrame:
    """The event table: contract columns in order, typed, sorted deterministically.

    Rows are dicts (as `event_row` makes them) or tuples in column order.
    """
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    for column in frame.columns:
        if column in INT_COLUMNS:
            frame[column] = pd.array(frame[column], dtype="Int64")
        elif column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return _sorted(frame)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(SORT_KEY), kind="stable").reset_index(drop=True)


def concat_tables(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One table from partial tables made by `to_frame`, sorted as `to_frame` sorts."""
    parts = [table for table in tables if len(table)]
    return _sorted(pd.concat(parts, ignore_index=True)) if parts else to_frame([])


def _neutralise(value: str) -> str:
    """Defuse spreadsheet formulas (OWASP CSV injection) without touching plain numbers.

    A carriage return becomes a newline, as in article text: the CSV writer quotes cells
    holding a newline but not a lone carriage return, which readers take as a row end.
    """
    if value.startswith(_FORMULA_START) and not _NUMERIC.fullmatch(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def render(frame: pd.DataFrame, fmt: str) -> str:
    """The table as CSV (formula-safe), a JSON array, or JSON Lines."""
    return "".join(render_stream([frame], fmt))


def render_stream(chunks: Iterable[pd.DataFrame], fmt: str) -> Iterator[str]:
    """A table given in chunks, rendered piece by piece: the pieces join into what one
    rendering of the whole table would give, so no output is ever one huge string."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        header = True
        for chunk in chunks:
            if header or len(chunk):
                yield _csv(chunk, header=header)
                header = False
        if header:
            yield _csv(to_frame([]), header=True)
        return
    opened = False
    for chunk in chunks:
        for record in json.loads(chunk.to_json(orient="records", force_ascii=False)):
            if fmt == "jsonl":
                yield json_text(record) + "\n"
            else:  # one item of a JSON array, indented as json.dumps(indent=1) indents it
                item = json_text(record, indent=1).replace("\n", "\n ")
                yield ("," if opened else "[") + "\n " + item
                opened = True
    if fmt == "json":
        yield "\n]\n" if opened else "[]\n"


def _csv(frame: pd.DataFrame, *, header: bool) -> str:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralise)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, header=header, lineterminator="\n")
    return buffer.getvalue()


def parquet_stream(
    chunks: Iterable[pd.DataFrame], *, schema_frame: pd.DataFrame | None = None
) -> Iterator[bytes]:
    """A table given in chunks as the bytes of one Parquet file (needs pyarrow), one row
    group per chunk: typed columns, compressed, for big tables. The schema is the event
    table's unless `schema_frame` (an empty frame of another table) gives another."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    empty = to_frame([]) if schema_frame is None else schema_frame
    schema = pa.Schema.from_pandas(empty, preserve_index=False)
    sink = _Collector()
    with pq.ParquetWriter(sink, schema) as writer:
        for chunk in chunks:
            writer.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))
            yield sink.take()
    yield sink.take()


class _Collector(io.RawIOBase):
    """A write-only stream whose bytes are taken out piece by piece (for `parquet_stream`)."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def json_text(value: object, indent: int | None = None) -> str:
    """JSON keeping non-ASCII text readable, with U+2028/9 escaped so no tool sees a line break."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _encoded(pieces: Iterable[str | bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield piece.encode("utf-8") if isinstance(piece, str) else piece


def write_atomic(path: Path, content: str | bytes | Iterable[str]) -> None:
    """Write a file via a temporary sibling and a rename, so no reader sees half a file.

    `content` may come in pieces (see `render_stream`); text is written as UTF-8.
    """
    write_all_atomic([(Path(path), content)])


def write_all_atomic(outputs: list[tuple[Path, str | bytes | Iterable[str]]]) -> None:
    """Write several files so that all of them are replaced or none (`build`'s pair).

    Each is written to a temporary sibling with a short name (`.tl-XXXXXXXX.tmp`, so an
    output name of 255 bytes still fits); only when all are written are they renamed. A
    device or pipe (`-o /dev/stdout`) is written directly, without a rename.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in outputs:
            pieces = [content] if isinstance(content, str | bytes) else content
            if path.exists() and not path.is_file():
                with path.open("wb") as stream:
                    stream.writelines(_encoded(pieces))
                continue
            target = path.resolve()  # through a symbolic link: the link stays, its target changes
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tl-", suffix=".tmp")
            staged.append((temporary, target))
            os.fchmod(handle, _mode_for(target))
            with os.fdopen(handle, "wb") as stream:
                stream.writelines(_encoded(pieces))
                stream.flush()
                os.fsync(stream.fileno())
        for _, target in staged:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
        while staged:
            temporary, target = staged[0]
            os.replace(temporary, target)
            staged.pop(0)
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: the replaced file's, else what the umask
    allows (a temporary file would otherwise leave it readable by its owner only)."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def filter_frame(
    frame: pd.DataFrame,
    *,
    aircraft: Iterable[str] = (),
    since: date | None = None,
    until: date | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Rows matching every given filter: any of the aircraft queries, the date window, the kind.

    A row is in the window when its interval [start, end] overlaps [since, until]; an
    empty bound is unbounded. Dates may be ISO strings (as the table is written) or dates
    (as `timeline.extract` types them). An aircraft query the catalogue does not know
    raises ValueError, as the command line refuses it.
    """
    from timeline import aircraft as catalogue

    queries = list(aircraft)
    for query in queries:
        catalogue.check_query(query)
    keep = pd.Series(True, index=frame.index)
    if queries:
        keep &= frame.apply(
            lambda row: any(
                catalogue.matches(
                    query,
                    catalogue.resolve(row["aircraft_type"]) if row["aircraft_type"] else None,
                    row["aircraft_role"],
                )
                for query in queries
            ),
            axis=1,
        )
    if since is not None:
        keep &= _unbounded_or(frame["end"], lambda day: day >= since)
    if until is not None:
        keep &= _unbounded_or(frame["start"], lambda day: day <= until)
    if kind:
        keep &= frame["subject_kind"] == kind
    return frame[keep].reset_index(drop=True)


def _unbounded_or(column: pd.Series, test: Callable[[date], bool]) -> pd.Series:
    """Rows whose date in `column` is empty (unbounded) or passes `test`."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.map(lambda day: pd.isna(day) or test(day.date()))
    return column.map(lambda day: day == "" or test(date.fromisoformat(day)))
