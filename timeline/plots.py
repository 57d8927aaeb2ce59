"""The plotly figures of the timeline page (the only module that imports plotly).

Every plotted point carries its row number as `customdata`, so the page's filter can
drop points of hidden events and a click can find the event's source. Each trace's
`meta` says what its points are: "event" (one mark per event), "arrow" (the open end
of an interval), "route" or "place". Article text reaches plotly already escaped with
`html.escape`, so plotly's pseudo-HTML shows it as text and never as markup.
"""

from __future__ import annotations

import html
import textwrap
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline
from plotly.colors import hex_to_rgb, qualitative

from timeline.exports import headline, lane, records, resolved_text, route_text

_DAY_MS = 86_400_000
_WRAP = 90
_PALETTE = qualitative.Plotly + qualitative.D3
_TEMPLATE = "plotly_white"


def plotly_js() -> str:
    """The bundled plotly.js source, for inlining into a self-contained page."""
    return plotly.offline.get_plotlyjs()


def plotly_cdn_url() -> str:
    """The CDN address of the plotly.js version bundled with plotly.py."""
    return f"https://cdn.plot.ly/plotly-{plotly.offline.get_plotlyjs_version()}.min.js"


def figure_json(figure: go.Figure) -> str:
    """The figure as plotly JSON ({"data": …, "layout": …}), for `Plotly.newPlot`."""
    return pio.to_json(figure, validate=False)


def colour_key(row: dict[str, Any]) -> str:
    """The legend group of a row: its aircraft role, else personnel, else its event type."""
    if row["subject_kind"] == "personnel":
        return "personnel"
    return row["aircraft_role"] or row["event_type"] or "other"


def colours(rows: list[dict[str, Any]]) -> dict[str, str]:
    """A stable colour per legend group, shared by the timeline and the map."""
    keys = sorted({colour_key(row) for row in rows})
    return {key: _PALETTE[n % len(_PALETTE)] for n, key in enumerate(keys)}


def _tint(colour: str, alpha: float) -> str:
    """The palette colour at the given opacity, as an rgba() string."""
    red, green, blue = hex_to_rgb(colour)
    return f"rgba({red},{green},{blue},{alpha})"


def _escape(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _wrapped(text: str) -> str:
    return "<br>".join(_escape(line) for line in textwrap.wrap(text, _WRAP)) or _escape(text)


def hover_html(row: dict[str, Any]) -> str:
    """The hover label of one event, every article string escaped."""
    fields = [
        ("Date as written", row["date_text"]),
        ("Resolved", resolved_text(row)),
        ("Route", route_text(row)),
        ("Count", "" if row["count"] is None else f"{row['count']:g}"),
        ("Operator", row["operator"]),
        ("According to", row["attribution"]),
        ("Evidence", row["evidence"]),
        ("Article", row["headline"]),
    ]
    lines = [f"<b>{_escape(headline(row))}</b>"]
    lines += [f"{label}: {_wrapped(value)}" for label, value in fields if value]
    return "<br>".join(lines)


def _lanes(rows: list[dict[str, Any]]) -> list[str]:
    """Lane labels, aircraft first, each group sorted; escaped as plotly shows them."""
    aircraft = {lane(row) for row in rows if row["subject_kind"] != "personnel"}
    people = {lane(row) for row in rows if row["subject_kind"] == "personnel"} - aircraft
    return [_escape(name) for name in sorted(aircraft) + sorted(people)]


def date_extent(rows: list[dict[str, Any]]) -> tuple[date, date] | None:
    """The padded span of all known dates; open intervals are drawn to its edges."""
    days = [day for row in rows for day in (row["start_date"], row["end_date"]) if day]
    if not days:
        return None
    low, high = min(days), max(days) + timedelta(days=1)
    pad = max(timedelta(days=3), (high - low) * 0.04)
    return low - pad, high + pad


def _ms(day: date) -> int:
    return (day - date(1970, 1, 1)).days * _DAY_MS


def _iso(day: date, hours: int = 0) -> str:
    return f"{day.isoformat()} {hours:02d}:00"


class _Traces:
    """Collects points per (legend group, kind of mark, style) and emits the traces."""

    def __init__(self) -> None:
        self.points: dict[tuple[str, str, str], dict[str, list]] = defaultdict(
            lambda: defaultdict(list)
        )

    def add(self, key: tuple[str, str, str], **values: Any) -> None:
        for name, value in values.items():
            self.points[key][name].append(value)


# Fill tint (alpha of the lane colour) and pattern of each bar style: solid for dated
# ranges, a pale dotted fill for vague ones, hatching for open-ended ones.
_BAR_STYLE = {
    "dated": {"tint": 0.85, "pattern": ""},
    "vague": {"tint": 0.18, "pattern": "."},
    "open": {"tint": 0.3, "pattern": "/"},
    "open vague": {"tint": 0.15, "pattern": "/"},
}
_STYLE_NAMES = {
    "dated": "",
    "vague": " (vague)",
    "open": " (open-ended)",
    "open vague": " (open, vague)",
}


def timeline_figure(frame: pd.DataFrame) -> go.Figure:
    """A lane per subject: bars for date ranges, markers for single days.

    Vague intervals are light and dotted, open-ended ones hatched and drawn to the edge
    of the date extent with an open arrow; colour follows `colour_key`; rows without any
    date are left out (the page's table still lists them).
    """
    rows = records(frame)
    extent = date_extent(rows)
    palette = colours(rows)
    traces = _Traces()
    for number, row in enumerate(rows):
        start, end = row["start_date"], row["end_date"]
        if extent is None or (start is None and end is None):
            continue
        key, y, hover = colour_key(row), _escape(lane(row)), hover_html(row)
        vague = row["precision"] == "vague"
        common = {"y": y, "customdata": number, "hovertext": hover}
        if start is not None and start == end:
            traces.add((key, "instant", "vague" if vague else "dated"), x=_iso(start, 12), **common)
            continue
        left = start or extent[0]
        right = end + timedelta(days=1) if end else extent[1]
        parts = (["open"] if start is None or end is None else []) + (["vague"] if vague else [])
        style = " ".join(parts) or "dated"
        traces.add((key, "bar", style), base=_iso(left), x=_ms(right) - _ms(left), **common)
        if start is None:
            traces.add((key, "arrow", ""), x=_iso(left), symbol="triangle-left-open", **common)
        if end is None:
            traces.add((key, "arrow", ""), x=_iso(right), symbol="triangle-right-open", **common)
    figure = go.Figure()
    rank = {key: 1000 + n for n, key in enumerate(palette)}
    shown: set[str] = set()
    for (key, mark, style), values in sorted(traces.points.items()):
        first = mark != "arrow" and key not in shown
        if first:
            shown.add(key)
        group = {
            "legendgroup": key,
            "legendrank": rank[key],
            "name": _escape(key) + ("" if first else _STYLE_NAMES.get(style, "")),
            "showlegend": first,
            "customdata": values["customdata"],
            "hovertext": values["hovertext"],
            "hoverinfo": "text",
            "y": values["y"],
            "x": values["x"],
        }
        colour = palette[key]
        if mark == "bar":
            look = _BAR_STYLE[style]
            figure.add_bar(
                **group,
                meta="event",
                base=values["base"],
                orientation="h",
                width=0.55,
                marker={
                    "color": _tint(colour, look["tint"]),
                    "line": {"color": colour, "width": 1},
                    "pattern": {
                        "shape": look["pattern"],
                        "fgcolor": colour,
                        "bgcolor": _tint(colour, look["tint"]),
                        "solidity": 0.35,
                    },
                },
            )
        elif mark == "instant":
            symbol = "circle-open" if style == "vague" else "circle"
            figure.add_scatter(
                **group,
                meta="event",
                mode="markers",
                marker={"color": colour, "size": 12, "symbol": symbol, "line": {"width": 2}},
            )
        else:
            figure.add_scatter(
                **group,
                meta="arrow",
                mode="markers",
                marker={
                    "color": colour,
                    "size": 13,
                    "symbol": values["symbol"],
                    "line": {"width": 2},
                },
            )
    lanes = _lanes([row for row in rows if row["start_date"] or row["end_date"]])
    figure.update_layout(
        template=_TEMPLATE,
        barmode="overlay",
        height=max(360, 48 * len(lanes) + 220),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
        legend={"title": {"text": "Role / type"}},
        xaxis={
            "type": "date",
            "rangeslider": {"visible": True, "thickness": 0.08},
            "title": {"text": ""},
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": lanes,
            "autorange": "reversed",
            "automargin": True,
        },
    )
    return figure


def map_figure(frame: pd.DataFrame) -> go.Figure:
    """Route lines origin → destination and place markers on an offline world map.

    The table has coordinates only for origin and destination, so a line skips any via
    places (they are named in the hover). Origins are open circles, destinations filled.
    """
    rows = records(frame)
    palette = colours(rows)
    traces = _Traces()
    for number, row in enumerate(rows):
        key, hover = colour_key(row), hover_html(row)
        ends = []
        for prefix, symbol in (("origin", "circle-open"), ("destination", "circle")):
            lat, lon = row[f"{prefix}_lat"], row[f"{prefix}_lon"]
            if lat is not None and lon is not None:
                ends.append((lat, lon))
                traces.add(
                    (key, "place", ""),
                    lat=lat,
                    lon=lon,
                    symbol=symbol,
                    customdata=number,
                    hovertext=hover,
                )
        if len(ends) == 2:
            for lat, lon in [*ends, (None, None)]:
                traces.add((key, "route", ""), lat=lat, lon=lon, customdata=number)
    figure = go.Figure()
    rank = {key: 1000 + n for n, key in enumerate(palette)}
    for (key, mark, _), values in sorted(
        traces.points.items(), key=lambda item: item[0][1] != "route"
    ):
        colour = palette[key]
        common = {
            "legendgroup": key,
            "legendrank": rank[key],
            "name": _escape(key),
            "lat": values["lat"],
            "lon": values["lon"],
            "customdata": values["customdata"],
            "meta": mark,
        }
        if mark == "route":
            figure.add_scattergeo(
                **common,
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                line={"color": colour, "width": 2},
                opacity=0.7,
            )
        else:
            figure.add_scattergeo(
                **common,
                mode="markers",
                hovertext=values["hovertext"],
                hoverinfo="text",
                marker={
                    "color": colour,
                    "size": 9,
                    "symbol": values["symbol"],
                    "line": {"width": 2},
                },
            )
    figure.update_layout(
        template=_TEMPLATE,
        height=480,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
        legend={"title": {"text": "Role / type"}},
        geo={
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "natural earth"},
            "showland": True,
            "landcolor": "#ece8dc",
            "showocean": True,
            "oceancolor": "#eef4f8",
            "showcountries": True,
            "countrycolor": "#b8b8b8",
            "showcoastlines": True,
            "coastlinecolor": "#999999",
            "showframe": False,
        },
    )
    return figure
