"""The timeline page: figures, HTML safety, and behaviour in a real (offline) Chromium."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest

from timeline.mapplot import map_figure
from timeline.page import render_page, write_page
from timeline.plots import timeline_figure
from timeline.table import COLUMNS

DAY_MS = 86_400_000
HOSTILE_URL = "javascript:alert(1)"


def _row(**fields: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS, "")
    row.update(fields)
    return row


def _sample() -> pd.DataFrame:
    """Four hand-written events: a one-day flight, a 5-day range, an open start, a vague range."""
    return pd.DataFrame(
        [
            _row(
                event_id="e1",
                article_id="a1",
                headline="Transport jet lands in the Caribbean",
                source_url="https://example.org/news/1",
                event_type="flight",
                subject_kind="aircraft",
                subject="an Il-76 transport",
                aircraft_type="Il-76",
                aircraft_role="transport",
                count=1,
                operator="the air force",
                origin="Moscow",
                destination="Havana",
                start="2019-03-05",
                end="2019-03-05",
                precision="day",
                date_text="on Tuesday",
                attribution="flight trackers",
                evidence="An Il-76 flew from Moscow to Havana on Tuesday, flight trackers said.",
                origin_lat=55.75,
                origin_lon=37.62,
                destination_lat=23.13,
                destination_lon=-82.38,
            ),
            _row(
                event_id="e2",
                article_id="a1",
                headline="Transport jet lands in the Caribbean",
                source_url="https://example.org/news/1",
                event_type="flight",
                subject_kind="aircraft",
                subject="two An-124 freighters",
                aircraft_type="An-124",
                aircraft_role="heavy transport",
                count=2,
                origin="Ulyanovsk",
                via="Shannon; Gander",
                destination="Caracas",
                start="2019-03-01",
                end="2019-03-05",
                precision="day",
                date_text="between 1 and 5 March",
                evidence="Two An-124 freighters made the trip between 1 and 5 March.",
                origin_lat=54.32,
                origin_lon=48.4,
                destination_lat=10.48,
                destination_lon=-66.9,
            ),
            _row(
                event_id="e3",
                article_id="a2",
                headline="Advisers deployed",
                source_url="https://example.com/story",
                event_type="presence",
                subject_kind="personnel",
                subject="military advisers",
                location="Caracas",
                start="",
                end="2019-02-28",
                precision="month",
                date_text="before March",
                evidence="Military advisers had arrived in Caracas before March, officials said.",
                destination_lat=10.48,
                destination_lon=-66.9,
            ),
            _row(
                event_id="e4",
                article_id="a2",
                headline="Advisers deployed",
                event_type="arrival",
                subject_kind="aircraft",
                aircraft_type="Il-78",
                aircraft_role="tanker",
                destination="Havana",
                start="2019-02-10",
                end="2019-03-10",
                precision="vague",
                date_text="recently",
                evidence="A tanker recently landed in Havana.",
                destination_lat=23.13,
                destination_lon=-82.38,
            ),
        ]
    )


def _hostile() -> pd.DataFrame:
    """The sample plus a row whose every text field tries to inject markup or script."""
    attack = _row(
        event_id="e5",
        article_id="<script>alert(1)</script>",
        headline="<script>alert(1)</script>",
        source_url=HOSTILE_URL,
        event_type="flight",
        subject_kind="aircraft",
        subject="<b onmouseover=alert(1)>jet</b>",
        aircraft_type="<svg onload=alert(1)>",
        aircraft_role="<img src=x onerror=alert(1)>",
        operator='"><img src=x onerror=alert(1)>',
        origin="<a href='javascript:alert(1)'>here</a>",
        destination="Havana",
        start="2019-03-02",
        end="2019-03-02",
        precision="day",
        date_text="<img src=x onerror=alert(1)>",
        attribution="</script><script>alert(1)</script>",
        evidence='The plane <img src=x onerror=alert(1)> landed, <a href="https://evil.example/">see</a>.',
        origin_lat=40.0,
        origin_lon=-3.7,
        destination_lat=23.13,
        destination_lon=-82.38,
    )
    return pd.concat([_sample(), pd.DataFrame([attack])], ignore_index=True)


def _event_points(figure) -> list[int]:
    return sorted(n for trace in figure.data if trace.meta == "event" for n in trace.customdata)


# --- figures and HTML (no browser) ---------------------------------------------------------


def test_timeline_has_one_mark_per_dated_event_with_the_right_shape():
    figure = timeline_figure(_sample())
    assert _event_points(figure) == [0, 1, 2, 3]
    by_event = {
        n: (trace, i)
        for trace in figure.data
        if trace.meta == "event"
        for i, n in enumerate(trace.customdata)
    }
    instant, _ = by_event[0]
    assert instant.type == "scatter" and instant.x[0] == "2019-03-05 12:00"
    bar, i = by_event[1]
    assert bar.type == "bar" and bar.base[i] == "2019-03-01 00:00"
    assert bar.x[i] == 5 * DAY_MS  # 1..5 March inclusive
    arrows = [trace for trace in figure.data if trace.meta == "arrow"]
    assert [list(trace.customdata) for trace in arrows] == [[2]]
    assert arrows[0].marker.symbol == ("triangle-left-open",)
    open_bar, i = by_event[2]
    assert open_bar.marker.pattern.shape == "/"
    assert open_bar.base[i] < "2019-02-10"  # drawn from the left edge of the page's extent
    vague_bar, _ = by_event[3]
    assert vague_bar.marker.pattern.shape == "."
    assert vague_bar.marker.color != bar.marker.color


def test_timeline_reads_mixed_and_missing_dates_without_guessing():
    frame = _sample()
    frame.loc[0, "start"] = "5 March 2019"  # not ISO: unreadable, so the row is open-started
    frame.loc[3, ["start", "end"]] = ["", ""]  # undated: left out of the timeline
    figure = timeline_figure(frame)
    assert _event_points(figure) == [0, 1, 2]


def _routes(figure) -> dict[int, list[tuple[float, float]]]:
    """Each event's route line as its (lat, lon) vertices, read from the map's route traces."""
    lines: dict[int, list[tuple[float, float]]] = {}
    for trace in figure.data:
        if trace.meta == "route":
            for n, lat, lon in zip(trace.customdata, trace.lat, trace.lon, strict=True):
                if lat is not None:
                    lines.setdefault(n, []).append((lat, lon))
    return lines


def test_map_draws_each_located_route_once_through_its_via_stops():
    figure = map_figure(_sample())
    routes = _routes(figure)
    assert routes[0] == [(55.75, 37.62), (23.13, -82.38)]  # Moscow → Havana, no stop
    # Ulyanovsk → Shannon → Gander → Caracas: the stops from the gazetteer's airports
    assert [round(lat) for lat, _ in routes[1]] == [54, 53, 49, 10]
    assert [round(lon) for _, lon in routes[1]] == [48, -9, -55, -67]
    assert set(routes) == {0, 1}
    vias = [n for trace in figure.data if trace.meta == "via" for n in trace.customdata]
    assert vias == [1, 1]
    places = [n for trace in figure.data if trace.meta == "place" for n in trace.customdata]
    assert sorted(places) == [0, 0, 1, 1, 2, 3]


class _Tags(HTMLParser):
    """Every start tag of a document with its attributes (script bodies are not parsed)."""

    def __init__(self, document: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(document)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_page_escapes_article_text_and_links_only_http():
    page = render_page(_hostile())
    tags = _Tags(page).tags
    assert {tag for tag, _ in tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "form",
        "label", "select", "option", "output", "section", "div", "table", "thead", "tbody",
        "tr", "th", "td", "br", "span", "a", "script", "ul", "li", "input",
    }  # fmt: skip
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    hrefs = [attrs["href"] for tag, attrs in tags if tag == "a"]
    assert hrefs == ["https://example.org/news/1"] * 2 + ["https://example.com/story"]
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert len(scripts) == 4 and not any("src" in attrs for attrs in scripts)
    assert "</script><script>alert(1)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown as text in the table
    assert page.count("<tr data-event=") == 5


def test_page_is_self_contained_by_default_and_small_with_cdn():
    full, small = render_page(_sample()), render_page(_sample(), cdn=True)
    assert "<script src=" not in full and "PlotlyGeoAssets" in full
    assert len(full) > 3_000_000
    assert re.search(r'<script src="https://cdn\.plot\.ly/plotly-[\d.]+\.min\.js"', small)
    assert len(small) < 200_000


def test_empty_frame_renders_a_page_saying_so():
    page = render_page(pd.DataFrame(columns=list(COLUMNS)), title="Nothing <yet>")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "No events to show." in page and "<script" not in page
    assert "<title>Nothing &lt;yet&gt;</title>" in page


def test_an_empty_page_names_what_emptied_it():
    empty = pd.DataFrame(columns=list(COLUMNS))
    page = render_page(empty, why_empty="0 of 3 events match --kind <personnel>.")
    assert "No events to show. 0 of 3 events match --kind &lt;personnel&gt;." in page


def test_the_summary_counts_one_article_in_the_singular():
    page = render_page(_sample().assign(article_id="a1"))
    assert re.search(r"\d+ events from 1 article\b", page)


def test_write_page_replaces_atomically(tmp_path, monkeypatch):
    target = tmp_path / "timeline.html"
    target.write_text("old page", encoding="utf-8")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_page(_sample(), target, cdn=True)
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.html"]
    monkeypatch.undo()
    write_page(_sample(), target, title="March flights", cdn=True)
    assert "<h1>March flights</h1>" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.html"]


# --- in Chromium, offline --------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_files(tmp_path_factory):
    """The sample and the hostile page, written once."""
    folder = tmp_path_factory.mktemp("pages")
    paths = {"sample": folder / "sample.html", "hostile": folder / "hostile.html"}
    write_page(_sample(), paths["sample"])
    write_page(_hostile(), paths["hostile"])
    return paths


def test_page_renders_offline_with_one_mark_per_event(page_open, page_files, tmp_path):
    view = page_open(page_files["sample"])
    assert view.errors == [] and view.blocked == []
    assert view.marks("timeline-plot") == [0, 1, 2, 3]
    assert view.marks("timeline-plot", "arrow") == [2]
    bars = view.page.locator("#timeline-plot .subplot.xy .barlayer .point").count()
    assert bars == 3  # An-124 range, open-started advisers, vague tanker
    assert view.visible_rows() == [0, 1, 2, 3]
    shot = tmp_path / "timeline.png"
    view.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("TIMELINE_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["TIMELINE_SCREENSHOT"])


def test_map_draws_land_and_route_lines(page_open, page_files):
    view = page_open(page_files["sample"])
    land = view.page.eval_on_selector(
        "#map-plot .geo .layer.land path", "p => p.getAttribute('d').length"
    )
    assert land > 10_000
    assert view.page.locator("#map-plot .geo .layer.countries path").count() >= 1
    assert view.page.locator("#map-plot .frontplot path.js-line").count() == 2
    assert view.errors == [] and view.blocked == []


def test_filter_by_type_and_kind_reaches_timeline_map_and_table(page_open, page_files):
    view = page_open(page_files["sample"])
    view.page.select_option("#filter-type", label="Il-76")
    view.page.wait_for_function(
        "document.getElementById('filter-count').textContent.includes(' 1 of')"
    )
    assert view.marks("timeline-plot") == [0]
    assert set(view.marks("map-plot", "place")) == {0}
    assert set(view.marks("map-plot", "route")) == {0}
    assert view.visible_rows() == [0]
    view.page.select_option("#filter-type", label="All")
    view.page.select_option("#filter-kind", label="personnel")
    view.page.wait_for_function(
        "document.getElementById('filter-count').textContent.includes(' 1 of')"
    )
    assert view.marks("timeline-plot") == [2] and view.visible_rows() == [2]
    assert view.marks("map-plot", "route") == []
    assert view.errors == []


def test_hover_shows_evidence_and_click_opens_the_source(page_open, page_files):
    view = page_open(page_files["sample"])
    x, y = view.point_of(0)
    view.page.mouse.move(x, y)
    hover = view.page.locator("#timeline-plot .hoverlayer .hovertext")
    hover.wait_for()
    text = hover.text_content()
    assert "flight trackers said" in text and "Moscow → Havana" in text
    assert "on Tuesday" in text and "2019-03-05" in text
    view.page.mouse.click(x, y)
    for _ in range(20):
        if view.blocked:
            break
        view.page.wait_for_timeout(100)
    assert view.blocked == ["https://example.org/news/1"]  # opened, then kept offline


def test_hostile_article_text_stays_text(page_open, page_files):
    view = page_open(page_files["hostile"])
    assert view.marks("timeline-plot") == [0, 1, 2, 3, 4]
    x, y = view.point_of(4)
    view.page.mouse.move(x, y)
    hover = view.page.locator("#timeline-plot .hoverlayer .hovertext")
    hover.wait_for()
    assert "<img src=x onerror=alert(1)>" in hover.text_content()
    assert view.page.locator(".hoverlayer a, .hoverlayer img").count() == 0
    view.page.mouse.click(x, y)
    view.page.select_option("#filter-type", label="<svg onload=alert(1)>")
    view.page.wait_for_function(
        "document.getElementById('filter-count').textContent.includes(' 1 of')"
    )
    assert view.marks("timeline-plot") == [4] and view.visible_rows() == [4]
    view.page.wait_for_timeout(200)
    found = view.page.evaluate(
        """() => ({
            scripts: document.scripts.length,
            injected: document.querySelectorAll("img, svg[onload], b[onmouseover], iframe").length,
            links: Array.from(document.querySelectorAll("a"), a => a.getAttribute("href")),
            cell: document.querySelector('#events tr[data-event="4"] td.evidence').textContent,
        })"""
    )
    assert found == {
        "scripts": 4,  # page data, base map, plotly.js, page script
        "injected": 0,
        "links": ["https://example.org/news/1"] * 2 + ["https://example.com/story"],
        "cell": 'The plane <img src=x onerror=alert(1)> landed, <a href="https://evil.example/">see</a>.',
    }
    assert view.dialogs == [] and len(view.context.pages) == 1 and view.blocked == []
    assert view.errors == []
