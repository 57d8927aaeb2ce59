"""The timeline figure of the page, and what the page's plots share (the only plotly users).

Every plotted point carries its row number as `customdata`, so the page's filter can
drop points of hidden events and a click can find the event's source. Each trace's
`meta` says what its points are: "event" (one mark per event), "arrow" (the open end
of an interval), and on the map "route", "via", "place", "area" or "label". Article text
reaches plotly already escaped with `html.escape`, so plotly's pseudo-HTML shows it as
text and never as markup.

The timeline has one lane per entity, lanes grouped by role family (the colour) and
ordered by aircraft family within a group; marks that overlap in a lane go to sub-rows
below it, so no mark hides another. Its y axis is numeric (one unit per sub-row); the page
script lays out the lane labels from `layout.meta.rows`, so a filter can drop empty rows.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline
from plotly.colors import hex_to_rgb

from timeline.aircraft.roles import role_family
from timeline.exports import headline, lane, records, resolved_text, route_text
from timeline.resources import ResourceError, read_table

_DAY_MS = 86_400_000
_WRAP = 90
_TEMPLATE = "plotly_white"
ROW_PX = 24
"""Height of one sub-row of the timeline, in pixels."""
_INSTANT_SHARE = 0.012
"""A single-day mark is taken as this share of the date extent wide when marks are packed."""


def plotly_js() -> str:
    """The bundled plotly.js source, for inlining into a self-contained page."""
    return plotly.offline.get_plotlyjs()


def plotly_cdn_url() -> str:
    """The CDN address of the plotly.js version bundled with plotly.py."""
    return f"https://cdn.plot.ly/plotly-{plotly.offline.get_plotlyjs_version()}.min.js"


def figure_json(figure: go.Figure) -> str:
    """The figure as plotly JSON ({"data": …, "layout": …}), for `Plotly.newPlot`."""
    return pio.to_json(figure, validate=False)


@dataclass(frozen=True)
class Family:
    """A role family: the one thing the page colours, and its colour (its roles are read by
    `timeline.aircraft.roles`)."""

    name: str
    colour: str


@cache
def families() -> tuple[Family, ...]:
    """The role families of `data/role_families.csv`, in legend order."""
    out = []
    for number, row in read_table("role_families.csv"):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", row["colour"]):
            raise ResourceError(f"role_families.csv:{number}: bad colour {row['colour']!r}")
        out.append(Family(row["family"], row["colour"]))
    names = {family.name for family in out}
    if not {"personnel", "other aircraft"} <= names:
        raise ResourceError("role_families.csv: needs 'personnel' and 'other aircraft' rows")
    return tuple(out)


def colour_key(row: dict[str, Any]) -> str:
    """The role family of a row: personnel, the family of its aircraft role, or other."""
    if row["subject_kind"] == "personnel":
        return "personnel"
    return role_family(row["aircraft_role"]) or "other aircraft"


def colours() -> dict[str, str]:
    """The colour of each role family, shared by the timeline, the map and the legend."""
    return {family.name: family.colour for family in families()}


def tint(colour: str, alpha: float) -> str:
    """The colour at the given opacity, as an rgba() string."""
    red, green, blue = hex_to_rgb(colour)
    return f"rgba({red},{green},{blue},{alpha})"


def escape(text: Any) -> str:
    """Article text as plotly shows it: its pseudo-HTML escaped."""
    return html.escape(str(text), quote=False)


def _wrapped(text: str) -> str:
    return "<br>".join(escape(line) for line in textwrap.wrap(text, _WRAP)) or escape(text)


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
    lines = [f"<b>{escape(headline(row))}</b>"]
    lines += [f"{label}: {_wrapped(value)}" for label, value in fields if value]
    return "<br>".join(lines)


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


@dataclass
class _Mark:
    """One event's mark on the timeline: its shape and where it sits in time."""

    number: int
    row: dict[str, Any]
    left: date
    right: date  # exclusive end of a bar; the day itself for an instant
    instant: bool
    style: str


def _marks(rows: list[dict[str, Any]], extent: tuple[date, date]) -> list[_Mark]:
    marks = []
    for number, row in enumerate(rows):
        start, end = row["start_date"], row["end_date"]
        if start is None and end is None:
            continue
        vague = row["precision"] == "vague"
        if start is not None and start == end:
            marks.append(_Mark(number, row, start, start, True, "vague" if vague else "dated"))
            continue
        parts = (["open"] if start is None or end is None else []) + (["vague"] if vague else [])
        right = end + timedelta(days=1) if end else extent[1]
        marks.append(_Mark(number, row, start or extent[0], right, False, " ".join(parts)))
    return marks


def _pack(marks: list[_Mark], extent: tuple[date, date]) -> dict[int, int]:
    """Sub-row of each mark in one lane: overlapping marks never share a sub-row.

    Greedy interval partitioning by start (as few sub-rows as the overlaps need); a
    single day counts as a short interval, since its dot has a width on screen.
    """
    half = (_ms(extent[1]) - _ms(extent[0])) * _INSTANT_SHARE
    spans = []
    for mark in marks:
        if mark.instant:
            middle = _ms(mark.left) + _DAY_MS / 2
            spans.append((middle - half, middle + half, mark.number))
        else:
            spans.append(
                (_ms(mark.left), max(_ms(mark.right), _ms(mark.left) + 2 * half), mark.number)
            )
    ends: list[float] = []
    placed = {}
    for low, high, number in sorted(spans):
        free = next((n for n, end in enumerate(ends) if end <= low), None)
        if free is None:
            ends.append(high)
            free = len(ends) - 1
        ends[free] = high
        placed[number] = free
    return placed


def lane_rows(rows: list[dict[str, Any]], marks: list[_Mark], extent: tuple[date, date]):
    """The y row of each mark and the rows' meta for the page: group headers, then lanes.

    Returns ({event number: y}, [{"label", "lane", "group", "header"}, ...]) where y
    indexes the meta list (top row 0). Groups follow the family legend order; lanes
    within a group are ordered by aircraft family, then name.
    """
    order = {family.name: n for n, family in enumerate(families())}
    lanes: dict[tuple[str, str], list[_Mark]] = defaultdict(list)
    for mark in marks:
        lanes[(colour_key(mark.row), lane(mark.row))].append(mark)

    def sort_key(item: tuple[tuple[str, str], list[_Mark]]) -> tuple:
        (group, name), lane_marks = item
        family = min(m.row["aircraft_family"] or m.row["aircraft_type"] for m in lane_marks)
        return (order[group], family.lower(), name.lower())

    meta: list[dict[str, Any]] = []
    y_of: dict[int, int] = {}
    group = None
    for lane_number, ((family, name), lane_marks) in enumerate(sorted(lanes.items(), key=sort_key)):
        if family != group:
            group = family
            meta.append({"label": family, "lane": -1, "group": family, "header": True})
        placed = _pack(lane_marks, extent)
        base = len(meta)
        for sub in range(max(placed.values()) + 1):
            label = name if sub == 0 else ""
            meta.append({"label": label, "lane": lane_number, "group": family, "header": False})
        for number, sub in placed.items():
            y_of[number] = base + sub
    return y_of, meta


# Fill tint (alpha of the family colour) and pattern of each bar style: solid for dated
# ranges, a pale dotted fill for vague ones, hatching for open-ended ones.
_BAR_STYLE = {
    "": {"tint": 0.85, "pattern": ""},
    "vague": {"tint": 0.18, "pattern": "."},
    "open": {"tint": 0.3, "pattern": "/"},
    "open vague": {"tint": 0.15, "pattern": "/"},
}


def overview_trace(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One small dot per dated event at its start (else its end), for the period slider.

    `rows` are the table's `records`, numbered as the page numbers its events.
    """
    numbers = [n for n, row in enumerate(rows) if row["start_date"] or row["end_date"]]
    return {
        "type": "scatter",
        "mode": "markers",
        "meta": "overview",
        "x": [_iso(rows[n]["start_date"] or rows[n]["end_date"], 12) for n in numbers],
        "y": [0.5] * len(numbers),
        "customdata": numbers,
        "hoverinfo": "skip",
        "marker": {"color": "#5b6470", "size": 5, "opacity": 0.6},
    }


def timeline_figure(frame: pd.DataFrame | list[dict[str, Any]]) -> go.Figure:
    """A lane per entity: bars for date ranges, dots for single days, coloured by family.

    Vague intervals are light and dotted (open dots), open-ended ones hatched and drawn to
    the edge of the date extent with an open arrow; rows without any date are left out
    (the page's table still lists them). `frame` may also be its `records`, already read.
    """
    rows = frame if isinstance(frame, list) else records(frame)
    extent = date_extent(rows)
    figure = go.Figure()
    meta: list[dict[str, Any]] = []
    if extent is not None:
        marks = _marks(rows, extent)
        y_of, meta = lane_rows(rows, marks, extent)
        _add_marks(figure, marks, y_of, extent)
    figure.update_layout(
        template=_TEMPLATE,
        barmode="overlay",
        showlegend=False,
        height=max(200, ROW_PX * len(meta) + 40),
        margin={"l": 10, "r": 14, "t": 6, "b": 30},
        hovermode="closest",
        dragmode=False,
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
        meta={"rows": meta, "row_px": ROW_PX},
        xaxis={
            "type": "date",
            "range": [_iso(extent[0]), _iso(extent[1])] if extent else None,
            "fixedrange": True,
        },
        yaxis={
            "range": [len(meta) - 0.5, -0.5],
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "tickmode": "array",
            "tickvals": [],
        },
    )
    return figure


def _add_marks(
    figure: go.Figure, marks: list[_Mark], y_of: dict[int, int], extent: tuple[date, date]
) -> None:
    """One trace per (family, kind of mark, style), so a few traces carry every mark."""
    palette = colours()
    points: dict[tuple[str, str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for mark in marks:
        key = colour_key(mark.row)
        common = {"y": y_of[mark.number], "customdata": mark.number}
        common["hovertext"] = hover_html(mark.row)
        if mark.instant:
            group = points[(key, "instant", mark.style)]
            group["x"].append(_iso(mark.left, 12))
        else:
            group = points[(key, "bar", mark.style)]
            group["base"].append(_iso(mark.left))
            group["x"].append(_ms(mark.right) - _ms(mark.left))
            for end, symbol in ((mark.row["start_date"], "left"), (mark.row["end_date"], "right")):
                if end is None:
                    arrow = points[(key, "arrow", "")]
                    edge = mark.left if symbol == "left" else mark.right
                    arrow["x"].append(_iso(edge))
                    arrow["symbol"].append(f"triangle-{symbol}-open")
                    for name, value in common.items():
                        arrow[name].append(value)
        for name, value in common.items():
            group[name].append(value)
    for (key, kind, style), values in sorted(points.items()):
        colour = palette[key]
        common_trace = {
            "name": escape(key),
            "customdata": values["customdata"],
            "hovertext": values["hovertext"],
            "hoverinfo": "text",
            "x": values["x"],
            "y": values["y"],
        }
        if kind == "bar":
            look = _BAR_STYLE[style]
            figure.add_bar(
                **common_trace,
                meta="event",
                base=values["base"],
                orientation="h",
                width=0.7,
                marker={
                    "color": tint(colour, look["tint"]),
                    "line": {"color": colour, "width": 1},
                    "pattern": {
                        "shape": look["pattern"],
                        "fgcolor": colour,
                        "bgcolor": tint(colour, look["tint"]),
                        "solidity": 0.35,
                    },
                },
            )
        elif kind == "instant":
            symbol = "circle-open" if style == "vague" else "circle"
            figure.add_scatter(
                **common_trace,
                meta="event",
                mode="markers",
                marker={"color": colour, "size": 11, "symbol": symbol, "line": {"width": 2}},
            )
        else:
            figure.add_scatter(
                **common_trace,
                meta="arrow",
                mode="markers",
                marker={
                    "color": colour,
                    "size": 11,
                    "symbol": values["symbol"],
                    "line": {"width": 2},
                },
            )
