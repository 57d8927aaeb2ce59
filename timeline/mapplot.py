"""The route map of the page: routes through their stops, areas shaded, every mark visible.

A route is one line through its located stops (plotly draws scattergeo lines as great
circles, so each leg is one); via stops are small rings. Cities and airfields are dots
(origins open, arrivals filled); a country is shaded and marked by a labelled square at
its centroid, a region by a labelled square at its gazetteer point. Marks of several
events at one place are spread on a small spiral around it, so each stays visible and
hoverable. The map opens on the extent of its marks, never narrower than a region.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from timeline.exports import records
from timeline.plots import colour_key, colours, escape, hover_html
from timeline.routes import Stop, route_stops

MIN_SPAN = (36.0, 22.0)
"""The narrowest extent the map opens on, in degrees of longitude and latitude."""
_WORLD_LON_SPAN = 150.0
_SPREAD_SHARE = 0.008
"""Spacing of marks spread around one place, as a share of the map's longitude span."""
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_AREA_FILL = "#ddd3ea"


@dataclass
class _Mark:
    number: int
    family: str
    stop: Stop
    lat: float
    lon: float


def _point(stop: Stop) -> tuple[float, float]:
    """Where a stop is drawn: an area at its label point, a point at its coordinates."""
    if stop.area and stop.label_lat is not None and stop.label_lon is not None:
        return stop.label_lat, stop.label_lon
    return stop.lat, stop.lon


def map_extent(points: list[tuple[float, float]]) -> dict[str, Any]:
    """lon/lat axis ranges around the points, at least MIN_SPAN wide; or the whole world
    (without Antarctica) centred on the points' mean longitude when they spread wide."""
    if not points:
        return _world(0.0)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lon_span = max(lons) - min(lons)
    if lon_span > _WORLD_LON_SPAN:
        east = sum(math.sin(math.radians(lon)) for lon in lons)
        north = sum(math.cos(math.radians(lon)) for lon in lons)
        return _world(round(math.degrees(math.atan2(east, north)), 1))
    ranges = {}
    for axis, values, least, limit in (
        ("lonaxis", lons, MIN_SPAN[0], 180.0),
        ("lataxis", lats, MIN_SPAN[1], 90.0),
    ):
        low, high = min(values), max(values)
        span = max(least, (high - low) * 1.25)
        middle = (low + high) / 2
        low, high = max(-limit, middle - span / 2), min(limit, middle + span / 2)
        ranges[axis] = {"range": [round(low, 3), round(high, 3)]}
    return ranges


def _world(middle: float) -> dict[str, Any]:
    """The world map turned to centre on a longitude, Antarctica left out."""
    return {
        "projection": {"type": "natural earth", "rotation": {"lon": middle}},
        "lonaxis": {"range": [middle - 180, middle + 180]},
        "lataxis": {"range": [-58, 84]},
        "center": {"lon": middle, "lat": 13},
    }


def _spread(marks: list[_Mark], lon_span: float) -> None:
    """Move marks that share a place onto a sunflower spiral around it (in place)."""
    by_place: dict[tuple[float, float], list[_Mark]] = defaultdict(list)
    for mark in marks:
        by_place[(round(mark.lat, 2), round(mark.lon, 2))].append(mark)
    step = lon_span * _SPREAD_SHARE
    for group in by_place.values():
        if len(group) < 2:
            continue
        squeeze = max(0.2, math.cos(math.radians(group[0].lat)))
        for k, mark in enumerate(group):
            radius = step * math.sqrt(k + 0.5)
            angle = k * _GOLDEN_ANGLE
            mark.lat = max(-89.0, min(89.0, mark.lat + radius * math.sin(angle)))
            mark.lon = mark.lon + radius * math.cos(angle) / squeeze


def map_figure(frame: pd.DataFrame | list[dict[str, Any]]) -> go.Figure:
    """Routes through their stops, shaded countries and spread place marks on a world map.

    `frame` may also be the table's `records`, already read.
    """
    rows = frame if isinstance(frame, list) else records(frame)
    palette = colours()
    marks: list[_Mark] = []
    lines: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    vias: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    areas: dict[str, list] = defaultdict(list)
    hovers: dict[int, str] = {}
    for number, row in enumerate(rows):
        stops = route_stops(row)
        if not stops:
            continue
        family = colour_key(row)
        hovers[number] = hover_html(row)
        for stop in stops:
            if stop.iso3:
                areas["locations"].append(stop.iso3)
                areas["customdata"].append(number)
                areas["hovertext"].append(escape(stop.name))
            lat, lon = _point(stop)
            if stop.role == "via":
                for name, value in (("lat", lat), ("lon", lon), ("customdata", number)):
                    vias[family][name].append(value)
                vias[family]["hovertext"].append(f"via {escape(stop.name)}<br>{hovers[number]}")
            else:
                marks.append(_Mark(number, family, stop, lat, lon))
        if len(stops) > 1 and stops[0].role == "origin":
            for lat, lon in [*map(_point, stops), (None, None)]:
                for name, value in (("lat", lat), ("lon", lon), ("customdata", number)):
                    lines[family][name].append(value)
    points = [(m.lat, m.lon) for m in marks]
    points += [
        (lat, lon) for v in vias.values() for lat, lon in zip(v["lat"], v["lon"], strict=True)
    ]
    extent = map_extent(points)
    lon_span = extent["lonaxis"]["range"][1] - extent["lonaxis"]["range"][0]
    _spread(marks, lon_span)
    figure = go.Figure()
    if areas:
        figure.add_choropleth(
            locations=areas["locations"],
            z=[1] * len(areas["locations"]),
            customdata=areas["customdata"],
            hovertext=areas["hovertext"],
            hoverinfo="text",
            meta="area",
            colorscale=[[0, _AREA_FILL], [1, _AREA_FILL]],
            showscale=False,
            marker={"line": {"color": "#8d7aa8", "width": 0.8}},
        )
    for family, values in sorted(lines.items()):
        figure.add_scattergeo(
            lat=values["lat"],
            lon=values["lon"],
            customdata=values["customdata"],
            meta="route",
            mode="lines",
            hoverinfo="skip",
            line={"color": palette[family], "width": 2},
            opacity=0.75,
        )
    for family, values in sorted(vias.items()):
        figure.add_scattergeo(
            **values,
            meta="via",
            mode="markers",
            hoverinfo="text",
            marker={
                "color": "white",
                "size": 7,
                "symbol": "circle",
                "line": {"color": palette[family], "width": 2},
            },
        )
    _add_places(figure, marks, hovers, palette)
    geo: dict[str, Any] = {
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
    }
    geo.update(extent)
    figure.update_layout(
        template="plotly_white",
        showlegend=False,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
        geo=geo,
    )
    return figure


def _add_places(
    figure: go.Figure, marks: list[_Mark], hovers: dict[int, str], palette: dict[str, str]
) -> None:
    """Place marks, one trace per family: dots for points, squares for areas, area labels."""
    places: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, list] = defaultdict(list)
    below = {}  # an area's label goes under the lowest of its (spread) marks
    for mark in marks:
        if mark.stop.area:
            below[mark.stop.name] = min(mark.lat, below.get(mark.stop.name, mark.lat))
    for mark in marks:
        values = places[mark.family]
        shape = "square" if mark.stop.area else "circle"
        values["symbol"].append(f"{shape}-open" if mark.stop.role == "origin" else shape)
        values["lat"].append(mark.lat)
        values["lon"].append(mark.lon)
        values["customdata"].append(mark.number)
        values["hovertext"].append(hovers[mark.number])
        if mark.stop.area:
            labels["lat"].append(below[mark.stop.name])
            labels["lon"].append(_point(mark.stop)[1])
            labels["text"].append(escape(mark.stop.name))
            labels["customdata"].append(mark.number)
    for family, values in sorted(places.items()):
        figure.add_scattergeo(
            lat=values["lat"],
            lon=values["lon"],
            customdata=values["customdata"],
            hovertext=values["hovertext"],
            hoverinfo="text",
            meta="place",
            mode="markers",
            marker={
                "color": palette[family],
                "size": 10,
                "symbol": values["symbol"],
                "line": {"width": 2, "color": palette[family]},
            },
        )
    if labels:
        figure.add_scattergeo(
            **labels,
            meta="label",
            mode="text",
            hoverinfo="skip",
            textposition="bottom center",
            textfont={"size": 11, "color": "#4b3b63"},
        )
