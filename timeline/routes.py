"""Where a row's places are on a map: located stops in travel order, areas told from points.

The table carries coordinates only for the origin and the arrival place, so via stops are
looked up in the gazetteer (with the evidence sentence as context), and every place is
checked against it to tell a country or region (an area) from a city or airfield (a
point). Shared by the GeoJSON export and the page's map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from timeline.resources import data_path, read_table

AREA_KINDS = frozenset({"country", "region", "sea"})
"""Gazetteer kinds that name an area rather than a point."""
_SAME_PLACE_DEGREES = 0.05


@dataclass(frozen=True)
class Stop:
    """One located place of a route: its role, name, coordinates and kind of place.

    `area` is True for a country, region or sea; `iso3` is set for a country, and
    `label_lat`/`label_lon` are where a map labels the place (a country's centroid).
    """

    role: str
    name: str
    lat: float
    lon: float
    area: bool = False
    iso3: str = ""
    label_lat: float | None = None
    label_lon: float | None = None


@cache
def _iso3() -> dict[str, str]:
    """ISO 3166 alpha-2 → alpha-3 codes, from the bundled country table."""
    return {row["iso2"]: row["iso3"] for _, row in read_table("countries.tsv")}


@cache
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 → (lat, lon) label point of each country drawn on the 1:110m base map."""
    text = data_path("world_110m.json").read_text(encoding="utf-8")
    geometries = json.loads(text)["objects"]["countries"]["geometries"]
    return {
        shape["id"]: (shape["properties"]["ct"][1], shape["properties"]["ct"][0])
        for shape in geometries
        if shape.get("id") and "ct" in shape.get("properties", {})
    }


@cache
def _lookup(name: str, context: str) -> Any:
    from timeline.places import lookup

    return lookup(name, context=context)


def _stop(role: str, name: str, lat: float, lon: float) -> Stop:
    """A stop at the given coordinates, marked as an area when the gazetteer says so.

    The name alone is looked up: the coordinates check the reading, and names repeat
    across rows, so each is looked up once.
    """
    place = _lookup(name, "")
    same = (
        place is not None
        and place.lat is not None
        and place.lon is not None
        and abs(place.lat - lat) < _SAME_PLACE_DEGREES
        and abs(place.lon - lon) < _SAME_PLACE_DEGREES
    )
    if not same or place.kind not in AREA_KINDS:
        return Stop(role, name, lat, lon)
    iso3 = _iso3().get(place.country, "") if place.kind == "country" else ""
    label = country_centroids().get(iso3, (lat, lon))
    return Stop(role, name, lat, lon, True, iso3, label[0], label[1])


def _located(row: dict[str, Any], prefix: str) -> tuple[float, float] | None:
    lat, lon = row[f"{prefix}_lat"], row[f"{prefix}_lon"]
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def route_stops(row: dict[str, Any]) -> list[Stop]:
    """The row's located places in travel order: origin, located via stops, arrival place.

    Via stops are kept only when both ends are located (a line needs them) and the
    gazetteer knows the name; a presence's location comes as its arrival place.
    """
    context = row["evidence"]
    origin, arrival = _located(row, "origin"), _located(row, "destination")
    arrival_name = row["destination"] or row["location"]
    stops = []
    if origin:
        stops.append(_stop("origin", row["origin"], *origin))
    if origin and arrival:
        for name in filter(None, (part.strip() for part in row["via"].split(";"))):
            place = _lookup(name, context)
            if place is not None and place.lat is not None and place.lon is not None:
                stops.append(_stop("via", name, place.lat, place.lon))
    if arrival:
        role = "destination" if row["destination"] else "location"
        stops.append(_stop(role, arrival_name, *arrival))
    return stops
