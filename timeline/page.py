"""The one-file HTML page: timeline, route map and event table, with an in-page filter.

The page works offline from `file://`: plotly.js is inlined (unless `cdn=True`) and the
world base map is embedded as `window.PlotlyGeoAssets`, which plotly.js reads instead of
fetching its topojson. Article text is untrusted: HTML is escaped, links are only absolute
http(s) URLs, inline JSON has `<`, `>` and `&` escaped, and the page script writes only
`textContent`. A Content-Security-Policy forbids any other network access.
"""

from __future__ import annotations

import html
import json
import pathlib
from datetime import date, timedelta
from functools import cache
from typing import Any

import pandas as pd

from timeline import movements
from timeline.exports import records, resolved_text, route_text, safe_url, subject_text
from timeline.mapplot import map_figure
from timeline.page_assets import SCRIPT, STYLE
from timeline.plots import (
    colour_key,
    colours,
    date_extent,
    figure_json,
    overview_trace,
    plotly_cdn_url,
    plotly_js,
    timeline_figure,
)
from timeline.resources import data_path
from timeline.table import write_atomic
from timeline.words import plural

_EPOCH = date(1970, 1, 1)
_PAD = timedelta(days=3)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _attr(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _inline_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` can end or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _world_topojson() -> str:
    """The bundled 1:110m world base map (data/world_110m.json), ready to inline."""
    text = data_path("world_110m.json").read_text(encoding="utf-8")
    return _inline_json(json.loads(text))


def _csp(cdn: bool) -> str:
    """A policy that lets the inline page run and blocks every other load."""
    scripts = "'unsafe-inline' https://cdn.plot.ly" if cdn else "'unsafe-inline'"
    connect = "https://cdn.plot.ly" if cdn else "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
        f"font-src data:; connect-src {connect}; base-uri 'none'; form-action 'none'"
    )


def _options(label: str, element_id: str, names: list[str], *, blank: bool = True) -> str:
    options = ['<option value="">All</option>'] if blank else []
    options += [f'<option value="{n}">{_text(name)}</option>' for n, name in enumerate(names)]
    return f'<label>{label}<select id="{element_id}">{"".join(options)}</select></label>'


_TABLE_COLUMNS = (
    ("when", "When"),
    ("subject", "Subject"),
    ("route", "Route"),
    ("operator", "Operator"),
    ("attribution", "According to"),
    ("evidence", "Evidence"),
    ("source", "Source"),
)


def _table(rows: list[dict[str, Any]]) -> str:
    """The event table; every cell escaped, sources linked only when http(s).

    Each cell carries its column name in `data-label`, which narrow screens show above
    the cell when the rows become cards.
    """
    head = "".join(f"<th>{name}</th>" for _, name in _TABLE_COLUMNS)
    body = []
    for number, row in enumerate(rows):
        when = _text(row["date_text"] or "—")
        when += f'<br><span class="resolved">{_text(resolved_text(row))}</span>'
        subject = " · ".join(_text(part) for part in (row["event_type"], subject_text(row)) if part)
        url = safe_url(row["source_url"])
        label = _text(row["headline"] or row["article_id"] or url)
        link = f'<a href="{_attr(url)}" target="_blank" rel="noopener noreferrer">'
        source = f"{link}{label or 'source'}</a>" if url else label
        cells = (
            when,
            subject,
            _text(route_text(row)),
            _text(row["operator"]),
            _text(row["attribution"]),
            _text(row["evidence"]),
            source,
        )
        tds = "".join(
            f'<td class="{c}" data-label="{name}">{cell}</td>'
            for (c, name), cell in zip(_TABLE_COLUMNS, cells, strict=True)
        )
        body.append(f'<tr data-event="{number}">{tds}</tr>')
    return (
        f'<table id="events"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


MENTION, MOVEMENT, BOTH = 0, 1, 2
"""What a page row is: a mention of a movement told several times, the movement itself
(drawn once, with the merged route and dates), or a movement told once (both at once)."""


def with_movements(
    frame: pd.DataFrame, moves: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[int]]:
    """The rows the page draws and what each is: every event, then one row per movement that
    several events tell, its evidence saying how often and by whom it was reported. `moves`
    is the frame's movements table when the caller has it already."""
    if "movement_id" not in frame or not frame["movement_id"].astype(bool).all():
        return frame, [BOTH] * len(frame)
    if moves is None:
        moves = movements.summarize(frame)
    merged = moves[moves["mentions"] > 1]
    told = frame["movement_id"].isin(set(merged["movement_id"]))
    levels = [MENTION if t else BOTH for t in told]
    if merged.empty:
        return frame, levels
    drawn = movements.as_events(frame, merged).reset_index(drop=True)
    drawn["evidence"] = [
        f"Reported {plural(int(m), 'time')} in {plural(int(a), 'article')}"
        + (f" ({o})" if o else "")
        + f": {evidence}"
        for m, a, o, evidence in zip(
            merged["mentions"],
            merged["articles"],
            merged["outlets"],
            drawn["evidence"],
            strict=True,
        )
    ]
    return pd.concat([frame, drawn], ignore_index=True), levels + [MOVEMENT] * len(drawn)


def _summary(rows: list[dict[str, Any]]) -> str:
    articles = len({row["article_id"] for row in rows if row["article_id"]})
    text = f"{plural(len(rows), 'event')} from {plural(articles, 'article')}"
    days = [day for row in rows for day in (row["start_date"], row["end_date"]) if day]
    if days:
        text += f", dated {min(days).isoformat()} to {max(days).isoformat()}"
    return text


def _document(title: str, csp: str, body: str, scripts: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="generator" content="flight-timeline">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(csp)}">\n'
        f"<title>{_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{_text(title)}</h1></header>\n{body}\n{scripts}</body>\n</html>\n"
    )


def _epoch_day(day: date | None) -> int | None:
    return None if day is None else (day - _EPOCH).days


def periods(rows: list[dict[str, Any]]) -> list[tuple[str, date, date]]:
    """Presets for the period picker: each year with events, or each month when the dates
    lie within about a year; empty when there is one period or none."""
    days = [day for row in rows for day in (row["start_date"], row["end_date"]) if day]
    if not days:
        return []
    low, high = min(days), max(days)
    found: set[tuple[int, int]] = set()
    monthly = (high - low).days <= 400
    for row in rows:
        start, end = row["start_date"] or row["end_date"], row["end_date"] or row["start_date"]
        if start is None or end is None:
            continue
        year, month = start.year, start.month if monthly else 1
        while (year, month) <= (end.year, end.month if monthly else 1):
            found.add((year, month))
            year, month = (year, month + 1) if monthly and month < 12 else (year + 1, 1)
    out = []
    for year, month in sorted(found):
        if monthly:
            last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            out.append((f"{_MONTHS[month - 1]} {year}", date(year, month, 1), last))
        else:
            out.append((str(year), date(year, 1, 1), date(year, 12, 31)))
    return out if len(out) > 1 else []


def _legend(rows: list[dict[str, Any]]) -> str:
    """The colour key as checkboxes (one per role family present) that filter every view."""
    palette = colours()
    present = {colour_key(row) for row in rows}
    items = [
        f'<label><input type="checkbox" data-family="{n}" checked>'
        f'<span class="swatch" style="background:{palette[name]}"></span>{_text(name)}</label>'
        for n, name in enumerate(palette)
        if name in present
    ]
    return f'<div class="legend" id="family-legend">{"".join(items)}</div>'


_TIMELINE_KEY = (
    ("▬", "dated range"),
    ("●", "single day"),
    ("○", "vague date"),
    ("▨ ◁", "open-ended, drawn to the edge"),
)
_MAP_KEY = (
    ("○", "origin"),
    ("●", "arrival"),
    ("□ ■", "country or region (shaded)"),
    ("◦", "via stop"),
    ("—", "route through its stops"),
)


def _key(items: tuple[tuple[str, str], ...]) -> str:
    entries = "".join(
        f'<li><span class="key">{_text(mark)}</span>{_text(text)}</li>' for mark, text in items
    )
    return f'<ul class="legend">{entries}</ul>'


def render_page(
    frame: pd.DataFrame,
    *,
    title: str = "Flight timeline",
    cdn: bool = False,
    why_empty: str = "",
    moves: pd.DataFrame | None = None,
) -> str:
    """The full HTML document for the event table (self-contained unless `cdn`).

    `why_empty` says what emptied the table (e.g. the filter that matched nothing); an
    empty page shows it so the reader knows the articles were not the cause. `moves`, the
    table's movements (`movements.summarize`), is made here when not given.
    """
    csp = _csp(cdn)
    if frame.empty:
        reason = f" {_text(why_empty)}" if why_empty else ""
        return _document(title, csp, f'<p class="empty">No events to show.{reason}</p>')
    mentions = records(frame)
    frame, levels = with_movements(frame, moves)
    rows = records(frame)
    types = sorted({row["aircraft_type"] for row in rows})
    kinds = sorted({row["subject_kind"] for row in rows})
    family_names = list(colours())
    undated = sum(1 for row in rows if not (row["start_date"] or row["end_date"]))
    extent = date_extent(rows)
    presets = periods(rows)
    map_data = json.loads(figure_json(map_figure(rows)))
    located = any(trace.get("meta") == "place" for trace in map_data["data"])
    data = {
        "timeline": json.loads(figure_json(timeline_figure(rows))) if extent else None,
        "overview": overview_trace(rows),
        "map": map_data if located else None,
        "events": [
            [
                types.index(row["aircraft_type"]),
                kinds.index(row["subject_kind"]),
                safe_url(row["source_url"]),
                family_names.index(colour_key(row)),
                _epoch_day(row["start_date"]),
                _epoch_day(row["end_date"]),
                level,
            ]
            for row, level in zip(rows, levels, strict=True)
        ],
        "periods": [
            [
                label,
                _epoch_day(low),
                _epoch_day(high),
                f"{low - _PAD} 00:00",
                f"{high + _PAD} 23:59",
            ]
            for label, low, high in presets
        ],
    }
    summary = _summary(mentions)
    told_twice = MOVEMENT in levels
    timeline = [
        '<div id="timeline-axis" class="plot"></div>',
        '<div id="timeline-plot" class="plot"></div>',
    ]
    if not extent:
        timeline = ['<p class="note">No event has a date, so the timeline is empty.</p>']
    body = "\n".join(
        [
            f'<p class="summary">{_text(summary)}</p>',
            '<form id="filters">',
            _options("Aircraft type", "filter-type", [name or "(none)" for name in types]),
            _options("Kind", "filter-kind", [name or "(unknown)" for name in kinds]),
            _options("Period", "filter-period", [label for label, _, _ in presets])
            if presets
            else "",
            _options("Show", "filter-view", ["movements", "mentions"], blank=False)
            if told_twice
            else "",
            f'<output id="filter-count">Showing {len(rows)} of {plural(len(rows), "event")}'
            "</output>",
            _legend(rows),
            "</form>",
            "<section><h2>Timeline</h2>",
            _key(_TIMELINE_KEY),
            '<p class="note">Lanes are grouped by role family; marks that overlap take a row '
            "of their own · tap or click a mark to open its source · the slider under the "
            "dates zooms.</p>",
            f'<p class="note">Only in the table: {_text(plural(undated, "undated event"))}.</p>'
            if undated
            else "",
            *timeline,
            "</section>",
            "<section><h2>Routes</h2>",
            _key(_MAP_KEY) + '<div id="map-plot" class="plot"></div>'
            if located
            else '<p class="note">No event has located places.</p>',
            "</section>",
            f"<section><h2>Events</h2>{_table(rows)}</section>",
        ]
    )
    plotly_tag = (
        f'<script src="{_attr(plotly_cdn_url())}" charset="utf-8"></script>'
        if cdn
        else f"<script>{plotly_js()}</script>"
    )
    geo_assets = f"{{topojson: {{world_110m: {_world_topojson()}}}}}"
    geo = "" if cdn else f"<script>window.PlotlyGeoAssets = {geo_assets};</script>\n"
    scripts = (
        f'<script type="application/json" id="page-data">{_inline_json(data)}</script>\n'
        f"{geo}{plotly_tag}\n<script>{SCRIPT}</script>\n"
    )
    return _document(title, csp, body, scripts)


def write_page(
    frame: pd.DataFrame,
    path: pathlib.Path,
    *,
    title: str = "Flight timeline",
    cdn: bool = False,
    why_empty: str = "",
) -> None:
    """Write the page atomically (temporary file, then rename), as every output is written."""
    page = render_page(frame, title=title, cdn=cdn, why_empty=why_empty)
    write_atomic(pathlib.Path(path), page)
