"""Publishing exports of the event table: Knight Lab TimelineJS JSON and GeoJSON.

Also holds the small row helpers (cleaning, dates, routes, safe links) that the page
and its plots share, so every output reads the table the same way and none of them
needs plotly.
"""

from __future__ import annotations

import html
import math
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from timeline.table import COLUMNS, FLOAT_COLUMNS, INT_COLUMNS
from timeline.words import plural

NUMERIC_COLUMNS = INT_COLUMNS | FLOAT_COLUMNS
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TIMES = "\N{MULTIPLICATION SIGN}"
# How many date parts a TimelineJS date keeps for each precision of the table.
_PARTS_BY_PRECISION = {"year": 1, "decade": 1, "month": 2, "season": 2}


def clean_value(column: str, value: Any) -> Any:
    """One cell as plain Python: text stripped ("" for missing), numbers as int/float/None."""
    missing = value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
    if column in NUMERIC_COLUMNS:
        if missing or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        if not math.isfinite(number):
            return None
        if column in INT_COLUMNS and number.is_integer():
            return int(number)
        return number
    return "" if missing else str(value).strip()


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows as dicts over COLUMNS (missing columns are empty), plus parsed dates.

    `start_date`/`end_date` are `datetime.date` or None; dates are read with an explicit
    ISO format because pandas would otherwise guess it from the first value.
    """
    table = frame.reindex(columns=list(COLUMNS))
    starts = pd.to_datetime(table["start"], format="%Y-%m-%d", errors="coerce")
    ends = pd.to_datetime(table["end"], format="%Y-%m-%d", errors="coerce")
    rows = []
    for values, start, end in zip(table.itertuples(index=False), starts, ends, strict=True):
        row = {
            column: clean_value(column, value)
            for column, value in zip(COLUMNS, values, strict=True)
        }
        row["start_date"] = None if pd.isna(start) else start.date()
        row["end_date"] = None if pd.isna(end) else end.date()
        if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
            row["start_date"], row["end_date"] = row["end_date"], row["start_date"]
        rows.append(row)
    return rows


def safe_url(value: str) -> str:
    """The URL if it is an absolute http(s) URL fit to become a link, else ""."""
    if not value or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme.lower() in {"http", "https"} and parts.hostname else ""


def route_places(row: dict[str, Any]) -> list[str]:
    """Places of the row in travel order: origin, each via, destination (or the location)."""
    via = [place.strip() for place in row["via"].split(";") if place.strip()]
    places = [row["origin"], *via, row["destination"]]
    places = [place for place in places if place]
    return places or ([row["location"]] if row["location"] else [])


def route_text(row: dict[str, Any]) -> str:
    """The route as one line, e.g. "Moscow → Caracas → Havana"."""
    return " → ".join(route_places(row))


def lane(row: dict[str, Any]) -> str:
    """The timeline lane of a row: its resolved `entity`, else (a table made before that
    column, or a row without one) its aircraft type or its subject as written."""
    return (
        row["entity"] or row["aircraft_type"] or row["subject"] or row["subject_kind"] or "unknown"
    )


def format_day(day: date, precision: str = "day") -> str:
    """A date for readers at the given precision: "3 May 2018", "May 2018" or "2018"."""
    parts = _PARTS_BY_PRECISION.get(precision, 3)
    if parts == 1:
        return str(day.year)
    if parts == 2:
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def resolved_text(row: dict[str, Any]) -> str:
    """The resolved interval: "2019-01-23", "2019-01-23 to 2019-01-27", "open to 2018-04-30"."""
    start, end = row["start_date"], row["end_date"]
    if start is None and end is None:
        return "undated"
    if start == end:
        return start.isoformat()
    left = start.isoformat() if start else "open"
    right = end.isoformat() if end else "open"
    return f"{left} to {right}"


def subject_text(row: dict[str, Any]) -> str:
    """The subject with its count ("2", times sign, "Il-76"), or just the lane when uncounted."""
    return lane(row) if row["count"] is None else f"{row['count']:g} {_TIMES} {lane(row)}"


def headline(row: dict[str, Any]) -> str:
    """A short title for one event: subject with count, a colon, then the route."""
    subject = subject_text(row)
    route = route_text(row)
    return f"{subject}: {route}" if route else subject


def _tl_date(day: date, precision: str) -> dict[str, int]:
    parts = _PARTS_BY_PRECISION.get(precision, 3)
    return dict(list({"year": day.year, "month": day.month, "day": day.day}.items())[:parts])


def _display_date(row: dict[str, Any]) -> str:
    """ "before May 2018" for an open start (the day after the latest end), "after …" alike."""
    start, end, precision = row["start_date"], row["end_date"], row["precision"]
    if start is None:
        return f"before {format_day(end + timedelta(days=1), precision)}"
    if end is None:
        return f"after {format_day(start - timedelta(days=1), precision)}"
    return ""


def _tl_text(row: dict[str, Any]) -> str:
    """The slide body as HTML: every article string escaped, only http(s) links."""
    lines = [html.escape(row["evidence"], quote=False)] if row["evidence"] else []
    if row["date_text"]:
        lines.append(f"Date as written: {html.escape(row['date_text'], quote=False)}")
    if row["attribution"]:
        lines.append(f"According to: {html.escape(row['attribution'], quote=False)}")
    url = safe_url(row["source_url"])
    label = html.escape(row["headline"] or url, quote=False)
    if url:
        lines.append(
            f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{label}</a>'
        )
    elif label:
        lines.append(label)
    return "<br>".join(lines)


def to_timelinejs(frame: pd.DataFrame, *, title: str = "Flight timeline") -> dict:
    """The events as a Knight Lab TimelineJS3 document (events need a start or an end date).

    Open starts are placed at their end with display_date "before …" (and open ends at
    their start with "after …"); undated rows are left out because TimelineJS cannot place
    them. Text fields are HTML, so article text is escaped and autolinking is off.
    """
    events = []
    seen: set[str] = set()
    rows = records(frame)
    for number, row in enumerate(rows):
        anchor = row["start_date"] or row["end_date"]
        if anchor is None:
            continue
        unique_id = row["event_id"] or f"event-{number}"
        if unique_id in seen:
            unique_id = f"{unique_id}-{number}"
        seen.add(unique_id)
        event: dict[str, Any] = {
            "start_date": _tl_date(anchor, row["precision"]),
            "text": {"headline": html.escape(headline(row), quote=False), "text": _tl_text(row)},
            "group": html.escape(lane(row), quote=False),
            "unique_id": unique_id,
            "autolink": False,
        }
        end = row["end_date"]
        if row["start_date"] and end and end != row["start_date"]:
            event["end_date"] = _tl_date(end, row["precision"])
        display = _display_date(row)
        if display:
            event["display_date"] = display
        events.append(event)
    articles = len({row["article_id"] for row in rows if row["start_date"] or row["end_date"]})
    summary = f"{plural(len(events), 'dated event')} from {plural(articles, 'article')}"
    return {
        "title": {"text": {"headline": html.escape(title, quote=False), "text": summary}},
        "events": events,
    }


def _properties(row: dict[str, Any], feature: str) -> dict[str, Any]:
    properties = {column: row[column] for column in COLUMNS}
    properties["feature"] = feature
    return properties


def _feature(geometry: str, coordinates: list, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": geometry, "coordinates": coordinates},
        "properties": properties,
    }


def to_geojson(frame: pd.DataFrame) -> dict:
    """The events as a GeoJSON FeatureCollection of routes and places.

    Each row with both ends located gives a LineString origin → via stops → destination
    (via stops the gazetteer knows, in travel order; `stops` names the line's vertices);
    each located origin/destination gives a Point. Properties are the table row, JSON-safe
    (NaN → null), plus `feature` = route | origin | destination.
    """
    from timeline.routes import route_stops

    features = []
    for row in records(frame):
        stops = route_stops(row)
        ends = {stop.role: [stop.lon, stop.lat] for stop in stops if stop.role != "via"}
        if "origin" in ends and len(stops) > 1:
            properties = _properties(row, "route")
            properties["stops"] = [stop.name for stop in stops]
            line = [[stop.lon, stop.lat] for stop in stops]
            features.append(_feature("LineString", line, properties))
        for name in ("origin", "destination"):
            if name in ends or (name == "destination" and "location" in ends):
                point = ends.get(name) or ends["location"]
                features.append(_feature("Point", point, _properties(row, name)))
    return {"type": "FeatureCollection", "features": features}
