"""TimelineJS and GeoJSON exports of the event table."""

from __future__ import annotations

import json
import math

import pandas as pd

from timeline.exports import to_geojson, to_timelinejs
from timeline.table import COLUMNS
from timeline.words import plural


def _row(**fields: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS, math.nan)
    row.update(fields)
    return row


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row(
                event_id="e1",
                article_id="a1",
                headline="Jet lands",
                source_url="https://example.org/1",
                subject_kind="aircraft",
                aircraft_type="Il-76",
                count=1.0,
                origin="Moscow",
                destination="Havana",
                start="2019-03-05",
                end="2019-03-05",
                precision="day",
                date_text="on Tuesday",
                evidence="An Il-76 flew from Moscow to Havana on Tuesday.",
                origin_lat=55.75,
                origin_lon=37.62,
                destination_lat=23.13,
                destination_lon=-82.38,
            ),
            _row(
                event_id="e2",
                article_id="a1",
                subject_kind="aircraft",
                aircraft_type="An-124",
                count=2.0,
                origin="Ulyanovsk",
                via="Shannon; Gander",
                destination="Caracas",
                start="2019-03-01",
                end="2019-03-05",
                precision="day",
                evidence="Two An-124 freighters flew between 1 and 5 March.",
                destination_lat="10.48",
                destination_lon="-66.9",
            ),
            _row(
                event_id="e3",
                article_id="a2",
                subject_kind="personnel",
                subject="advisers",
                start="",
                end="2019-02-28",
                precision="month",
                date_text="before March",
                evidence="Advisers had arrived before March.",
            ),
            _row(
                event_id="e3",
                article_id="a2",
                subject_kind="aircraft",
                aircraft_type="Il-78",
                start="2019-03-02",
                end="",
                precision="day",
                evidence="A tanker has been there since 2 March.",
                origin_lat=123.0,
                origin_lon=10.0,
            ),
            _row(event_id="e5", article_id="a3", subject="a plane", evidence="A plane came."),
        ]
    )


def test_timelinejs_dates_follow_precision_and_open_ends():
    events = to_timelinejs(_frame())["events"]
    by_id = {event["unique_id"]: event for event in events}
    assert list(by_id) == ["e1", "e2", "e3", "e3-3"]  # undated e5 left out; ids stay unique
    assert by_id["e1"]["start_date"] == {"year": 2019, "month": 3, "day": 5}
    assert "end_date" not in by_id["e1"] and "display_date" not in by_id["e1"]
    assert by_id["e2"]["end_date"] == {"year": 2019, "month": 3, "day": 5}
    assert by_id["e3"]["start_date"] == {"year": 2019, "month": 2}  # placed at its month
    assert by_id["e3"]["display_date"] == "before March 2019"
    assert by_id["e3-3"]["display_date"] == "after 1 March 2019"
    assert [event["group"] for event in events] == ["Il-76", "An-124", "advisers", "Il-78"]
    assert by_id["e2"]["text"]["headline"] == "2 × An-124: Ulyanovsk → Shannon → Gander → Caracas"


def test_timelinejs_text_is_escaped_and_links_only_http():
    frame = _frame()
    frame.loc[0, "evidence"] = "It <script>alert(1)</script> landed."
    frame.loc[1, "source_url"] = "javascript:alert(1)"
    frame.loc[1, "headline"] = "<b>Bold</b> claim"
    document = to_timelinejs(frame, title="Flights <2019>")
    first, second = document["events"][:2]
    assert first["text"]["text"].startswith("It &lt;script&gt;alert(1)&lt;/script&gt; landed.")
    assert (
        '<a href="https://example.org/1" rel="noopener noreferrer">Jet lands</a>'
        in (first["text"]["text"])
    )
    assert "<a " not in second["text"]["text"] and "javascript" not in second["text"]["text"]
    assert second["text"]["text"].endswith("&lt;b&gt;Bold&lt;/b&gt; claim")
    assert all(event["autolink"] is False for event in document["events"])
    assert document["title"]["text"]["headline"] == "Flights &lt;2019&gt;"
    assert document["title"]["text"]["text"] == "4 dated events from 2 articles"


def test_geojson_routes_and_places_with_json_safe_properties():
    collection = to_geojson(_frame())
    text = json.dumps(collection, allow_nan=False)  # raises on any NaN left behind
    assert json.loads(text)["type"] == "FeatureCollection"
    shapes = [
        (f["properties"]["event_id"], f["properties"]["feature"], f["geometry"]["type"])
        for f in collection["features"]
    ]
    assert shapes == [
        ("e1", "route", "LineString"),
        ("e1", "origin", "Point"),
        ("e1", "destination", "Point"),
        ("e2", "destination", "Point"),  # origin has no coordinates: no line
    ]  # e3 has none, e3's twin has an impossible latitude, e5 has none
    route = collection["features"][0]
    assert route["geometry"]["coordinates"] == [[37.62, 55.75], [-82.38, 23.13]]  # lon, lat
    assert collection["features"][3]["geometry"]["coordinates"] == [-66.9, 10.48]
    properties = collection["features"][3]["properties"]
    assert properties["count"] == 2 and isinstance(properties["count"], int)
    assert properties["origin_lat"] is None and properties["headline"] == ""
    assert properties["via"] == "Shannon; Gander"
    assert set(route["properties"]) == {*COLUMNS, "feature", "stops"}
    assert route["properties"]["stops"] == ["Moscow", "Havana"]


def test_geojson_route_runs_through_its_via_stops():
    frame = _frame().iloc[[1]].copy()
    frame.loc[:, ["origin_lat", "origin_lon"]] = [54.33, 48.39]
    frame.loc[:, "via"] = "Shannon; Xqzvwy; Gander"  # a name the gazetteer lacks is no vertex
    (route, *points) = to_geojson(frame)["features"]
    assert route["geometry"]["type"] == "LineString"
    assert route["properties"]["stops"] == ["Ulyanovsk", "Shannon", "Gander", "Caracas"]
    vertices = [[round(lon), round(lat)] for lon, lat in route["geometry"]["coordinates"]]
    assert vertices == [[48, 54], [-9, 53], [-55, 49], [-67, 10]]  # lon, lat
    assert [p["properties"]["feature"] for p in points] == ["origin", "destination"]


def test_exports_of_an_empty_table():
    empty = pd.DataFrame(columns=list(COLUMNS))
    assert to_geojson(empty) == {"type": "FeatureCollection", "features": []}
    assert to_timelinejs(empty)["events"] == []


def test_timelinejs_title_counts_in_the_right_number():
    one = to_timelinejs(_frame().iloc[:1])
    assert one["title"]["text"]["text"] == "1 dated event from 1 article"


def test_plural_words():
    assert [plural(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert (
        plural(1, "person", "people") == "1 person" and plural(3, "person", "people") == "3 people"
    )
