"""The page on every screen: entity lanes in sub-rows, few colours, routes through their
stops, countries drawn as areas, and the page at 390 and 1400 px in an offline Chromium."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from timeline.exports import lane, records
from timeline.mapplot import MIN_SPAN, map_figure
from timeline.page import write_page
from timeline.plots import colour_key, timeline_figure
from timeline.table import COLUMNS

VENEZUELA = {"destination_lat": 10.488, "destination_lon": -66.8792}  # the gazetteer's point
PRONOUNS = {"they", "them", "he", "she", "it", "group", "contingent"}


def _row(**fields: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS, "")
    row.update(fields)
    return row


def _group() -> pd.DataFrame:
    """One group told as 'contractors', 'they' and 'group', plus three aircraft."""
    return pd.DataFrame(
        [
            _row(
                event_id="g0",
                article_id="b1",
                headline="Contractors arrive",
                source_url="https://example.org/b1",
                event_type="arrival",
                subject_kind="personnel",
                subject="contractors",
                entity="private security contractors",
                destination="Venezuela",
                start="2019-01-22",
                end="2019-01-26",
                precision="vague",
                evidence="Private security contractors reached Venezuela in recent days.",
                **VENEZUELA,
            ),
            _row(
                event_id="g1",
                article_id="b1",
                event_type="flight",
                subject_kind="personnel",
                subject="they",
                entity="private security contractors",
                origin="Havana",
                destination="Venezuela",
                start="2019-01-21",
                end="2019-01-22",
                precision="week",
                evidence="They flew on from Havana early this week.",
                origin_lat=23.133,
                origin_lon=-82.383,
                **VENEZUELA,
            ),
            _row(
                event_id="g2",
                article_id="b1",
                event_type="arrival",
                subject_kind="personnel",
                subject="group",
                entity="private security contractors",
                destination="Venezuela",
                start="",
                end="2019-01-26",
                precision="vague",
                evidence="Another group had come earlier.",
                **VENEZUELA,
            ),
            _row(
                event_id="g3",
                article_id="b1",
                event_type="flight",
                subject_kind="aircraft",
                subject="Ilyushin-96",
                entity="Il-96",
                aircraft_type="Ilyushin Il-96",
                aircraft_role="airliner",
                origin="Moscow",
                via="Senegal; Paraguay",
                destination="Havana",
                start="2019-01-23",
                end="2019-01-23",
                precision="day",
                evidence="The airliner left Moscow and stopped in Senegal and Paraguay on its "
                "way to Havana.",
                origin_lat=55.752,
                origin_lon=37.6178,
                destination_lat=23.133,
                destination_lon=-82.383,
            ),
            _row(
                event_id="g4",
                article_id="b2",
                event_type="arrival",
                subject_kind="aircraft",
                subject="government aircraft",
                entity="government aircraft",
                aircraft_role="government",
                destination="Venezuela",
                start="2019-01-05",
                end="2019-01-26",
                precision="vague",
                evidence="Government jets have landed in Venezuela over recent weeks.",
                **VENEZUELA,
            ),
            _row(
                event_id="g5",
                article_id="b2",
                event_type="flight",
                subject_kind="aircraft",
                subject="freighter",
                entity="An-124",
                aircraft_type="Antonov An-124 Ruslan",
                aircraft_role="strategic airlifter",
                origin="Russia",
                destination="Caracas",
                start="2018-12-10",
                end="2018-12-14",
                precision="day",
                evidence="A heavy freighter flew from Russia to Caracas in mid-December.",
                origin_lat=55.752,
                origin_lon=37.6178,
                destination_lat=10.488,
                destination_lon=-66.8792,
            ),
        ]
    )


def _marks(figure) -> dict[int, tuple[str, float, float, float]]:
    """Each event's timeline mark: (colour, y, left ms, right ms)."""
    out = {}
    for trace in figure.data:
        if trace.meta != "event":
            continue
        for i, number in enumerate(trace.customdata):
            if trace.type == "bar":
                left = pd.Timestamp(trace.base[i]).value / 1e6
                right = left + trace.x[i]
            else:
                left = right = pd.Timestamp(trace.x[i]).value / 1e6
            colour = trace.marker.line.color if trace.type == "bar" else trace.marker.color
            out[number] = (colour, trace.y[i], left, right)
    return out


# --- figures (no browser) ----------------------------------------------------------------


def test_lanes_follow_the_entity_never_a_pronoun():
    figure = timeline_figure(_group())
    rows = figure.layout.meta["rows"]
    lanes = [row["label"] for row in rows if not row["header"] and row["label"]]
    assert sorted(lanes) == [
        "An-124",
        "Il-96",
        "government aircraft",
        "private security contractors",
    ]
    assert not PRONOUNS & set(lanes)
    headers = [row["label"] for row in rows if row["header"]]
    assert headers == ["transport", "passenger & VIP", "personnel"]  # the families' order
    marks = _marks(figure)
    contractors = {rows[int(marks[n][1])]["lane"] for n in (0, 1, 2)}
    assert len(contractors) == 1  # 'contractors', 'they' and 'group' share one lane


def test_lanes_fall_back_to_the_subject_without_an_entity_column():
    rows = records(_group().drop(columns=["entity"]))
    assert [lane(row) for row in rows[:3]] == ["contractors", "they", "group"]
    assert lane(rows[3]) == "Ilyushin Il-96"


def test_overlapping_marks_take_sub_rows_and_none_hides_another():
    marks = _marks(timeline_figure(_group()))
    # the open-started 'group' bar overlaps both dated contractor marks: three sub-rows
    assert len({marks[n][1] for n in (0, 1, 2)}) == 3
    for a in marks:
        for b in marks:
            if a < b and marks[a][1] == marks[b][1]:
                assert marks[a][3] <= marks[b][2] or marks[b][3] <= marks[a][2]


def test_one_colour_per_role_family():
    rows = records(_group())
    assert [colour_key(row) for row in rows] == [
        "personnel",
        "personnel",
        "personnel",
        "passenger & VIP",  # airliner
        "passenger & VIP",  # government
        "transport",  # strategic airlifter
    ]
    marks = _marks(timeline_figure(_group()))
    assert marks[3][0] == marks[4][0] != marks[5][0] != marks[0][0]


def _traces(figure, meta: str) -> list:
    return [trace for trace in figure.data if trace.meta == meta]


def test_a_route_runs_through_its_via_stops():
    figure = map_figure(_group())
    (route,) = [t for t in _traces(figure, "route") if 3 in t.customdata]
    points = [
        (round(lat), round(lon))
        for n, lat, lon in zip(route.customdata, route.lat, route.lon, strict=True)
        if n == 3 and lat is not None
    ]
    assert points[0] == (56, 38) and points[-1] == (23, -82)  # Moscow … Havana
    assert len(points) == 4
    senegal, paraguay = points[1], points[2]
    assert 12 <= senegal[0] <= 17 and -18 <= senegal[1] <= -12  # inside Senegal
    assert -27 <= paraguay[0] <= -19 and -62 <= paraguay[1] <= -54  # inside Paraguay
    (via,) = _traces(figure, "via")
    assert list(via.customdata) == [3, 3]
    assert via.hovertext[0].startswith("via Senegal")


def test_countries_are_areas_and_cities_are_dots():
    figure = map_figure(_group())
    (areas,) = _traces(figure, "area")
    assert set(areas.locations) == {"VEN", "RUS", "SEN", "PRY"}
    symbols = {}
    for trace in _traces(figure, "place"):
        for n, symbol, lat in zip(trace.customdata, trace.marker.symbol, trace.lat, strict=True):
            symbols.setdefault(n, []).append((symbol, lat))
    assert [s for s, _ in symbols[0]] == ["square"]  # arrival in Venezuela: an area
    assert sorted(s for s, _ in symbols[5]) == ["circle", "square-open"]  # Russia → Caracas
    (labels,) = _traces(figure, "label")
    assert {"Venezuela", "Russia"} <= set(labels.text)
    spot = {
        text: (lat, lon) for text, lat, lon in zip(labels.text, labels.lat, labels.lon, strict=True)
    }
    squares = [lat for n in (0, 1, 2, 4) for s, lat in symbols[n] if s == "square"]
    assert 5 < sum(squares) / 4 < 9  # around the country's middle (7.2 N), not Caracas (10.5 N)
    assert spot["Venezuela"] == (min(squares), -66.16)  # the label under its marks
    assert spot["Russia"][1] > 60  # Russia's middle lies far east of Moscow


def test_several_events_at_one_place_stay_apart():
    figure = map_figure(_group())
    spots = [
        (round(lat, 3), round(lon, 3))
        for trace in _traces(figure, "place")
        for n, lat, lon, symbol in zip(
            trace.customdata, trace.lat, trace.lon, trace.marker.symbol, strict=True
        )
        if symbol == "square"  # arrivals in Venezuela (g1 also has an origin dot in Havana)
    ]
    assert len(spots) == 4 and len(set(spots)) == 4  # four events in Venezuela, four marks
    middle = (sum(s[0] for s in spots) / 4, sum(s[1] for s in spots) / 4)
    assert all(math.dist(s, middle) < 8 for s in spots)  # still around one place


def test_one_place_keeps_a_regional_extent():
    one = _group().iloc[[5]].assign(origin="", origin_lat=math.nan, origin_lon=math.nan)
    geo = map_figure(one).layout.geo
    low, high = geo.lonaxis.range
    assert high - low >= MIN_SPAN[0] and low < -66.88 < high
    low, high = geo.lataxis.range
    assert high - low >= MIN_SPAN[1] and low < 10.49 < high
    world = map_figure(_group()).layout.geo  # Moscow to Havana and Russia: the whole world
    low, high = world.lonaxis.range
    assert high - low == 360 and world.lataxis.range == (-58, 84)


# --- the page at phone and desktop widths, offline ----------------------------------------


@pytest.fixture(scope="module")
def group_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / "group.html"
    write_page(_group(), path)
    return path


FITS = """() => {
    const width = window.innerWidth, root = document.documentElement;
    const out = Array.from(document.querySelectorAll(
        ".legend li, .legend label, #filters label, .main-svg, #events td, h1, p"))
      .filter(e => e.getClientRects().length)
      .map(e => e.getBoundingClientRect())
      .filter(r => r.left < -0.5 || r.right > width + 0.5);
    return {scroll: root.scrollWidth - root.clientWidth, outside: out.length};
}"""


@pytest.mark.parametrize("width", [360, 390, 1400])
def test_no_horizontal_scroll_and_legends_inside_the_viewport(page_open, group_page, width):
    view = page_open(group_page, width)
    assert view.page.evaluate(FITS) == {"scroll": 0, "outside": 0}
    assert view.errors == [] and view.blocked == []


def test_narrow_screens_show_the_table_as_cards(page_open, group_page):
    view = page_open(group_page, 390)
    shape = view.page.evaluate(
        """() => ({
            head: getComputedStyle(document.querySelector("#events thead")).display,
            cell: getComputedStyle(document.querySelector("#events td.evidence")).display,
            label: getComputedStyle(document.querySelector("#events td.route"), "::before")
                   .content,
        })"""
    )
    assert shape == {"head": "none", "cell": "block", "label": '"Route"'}
    wide = page_open(group_page, 1400)
    assert (
        wide.page.evaluate("getComputedStyle(document.querySelector('#events thead')).display")
        == "table-header-group"
    )


@pytest.mark.parametrize("width", [390, 1400])
def test_lanes_route_and_filters_in_the_browser(page_open, group_page, width):
    view = page_open(group_page, width)
    ticks = view.page.locator("#timeline-plot .ytick text").all_text_contents()
    assert any(t.startswith("private secur") for t in ticks)
    assert not PRONOUNS & {t.strip() for t in ticks}
    drawn = view.page.evaluate(
        """() => {
            const gd = document.getElementById("map-plot");
            const route = gd.data.find(t => t.meta === "route" && t.customdata.includes(3));
            return {
                vertices: route.lat.filter((lat, i) => route.customdata[i] === 3 && lat !== null)
                              .length,
                lines: gd.querySelectorAll(".scattergeo path.js-line").length,
                areas: gd.querySelectorAll(".choropleth path").length,
            };
        }"""
    )
    assert drawn["vertices"] == 4 and drawn["lines"] >= 2 and drawn["areas"] >= 4
    longest = view.page.evaluate(
        """() => Math.max(...document.getElementById("timeline-plot").data
              .flatMap(t => t.hovertext || []).flatMap(h => h.split("<br>"))
              .map(line => line.length))"""
    )
    assert longest <= (50 if width == 390 else 100)  # hover lines fit a phone's width
    view.page.locator("#family-legend label", has_text="personnel").locator("input").uncheck()
    view.page.wait_for_function(
        "document.getElementById('filter-count').textContent.includes(' 3 of')"
    )
    assert view.marks("timeline-plot") == [3, 4, 5] and view.visible_rows() == [3, 4, 5]
    assert set(view.marks("map-plot", "place")) == {3, 4, 5}
    ticks = view.page.locator("#timeline-plot .ytick text").all_text_contents()
    assert "personnel" not in ticks  # an emptied group's header goes too
    view.page.select_option("#filter-period", label="Dec 2018")
    view.page.wait_for_function(
        "document.getElementById('filter-count').textContent.includes(' 1 of')"
    )
    assert view.marks("timeline-plot") == [5] and view.visible_rows() == [5]
    assert view.errors == [] and view.blocked == []


def test_the_date_axis_stays_in_view_while_the_lanes_scroll(page_open, group_page):
    view = page_open(group_page, 390)
    view.page.evaluate(
        """() => {
            const plot = document.getElementById("timeline-plot").getBoundingClientRect();
            window.scrollTo(0, window.scrollY + plot.top + 60);
        }"""
    )
    top = view.page.evaluate("document.getElementById('timeline-axis').getBoundingClientRect().top")
    assert abs(top) < 1
    assert view.page.locator("#timeline-axis .xtick text").count() >= 2
    assert view.page.locator("#timeline-axis .rangeslider-container").count() == 1


def test_the_period_slider_and_presets_set_the_lanes_date_range(page_open, group_page):
    view = page_open(group_page, 1400)
    lanes = "document.getElementById('timeline-plot').layout.xaxis.range.map(String)"
    view.page.evaluate(
        "Plotly.relayout('timeline-axis', {'xaxis.range': ['2019-01-01', '2019-01-31']})"
    )
    view.page.wait_for_function(f"{lanes}[0].startsWith('2019-01-01')")
    assert view.page.evaluate(lanes)[1].startswith("2019-01-31")
    view.page.select_option("#filter-period", label="Dec 2018")
    view.page.wait_for_function(f"{lanes}[0].startsWith('2018-11-28')")  # December, padded
    assert view.page.evaluate(lanes)[1].startswith("2019-01-03")
    assert view.errors == []


def test_every_mark_at_one_place_shows_its_own_event_on_hover(page_open, group_page):
    view = page_open(group_page, 1400)
    view.page.evaluate("document.getElementById('map-plot').scrollIntoView()")
    marks = view.page.evaluate(
        """() => {
            const gd = document.getElementById("map-plot"), box = gd.getBoundingClientRect();
            const project = gd._fullLayout.geo._subplot.projection, out = [];
            gd.data.filter(t => t.meta === "place").forEach(t => t.lat.forEach((lat, i) => {
                if (t.marker.symbol[i] !== "square") { return; }  // the Venezuela arrivals
                const [x, y] = project([t.lon[i], lat]);
                out.push([t.customdata[i], box.left + x, box.top + y]);
            }));
            return out;
        }"""
    )
    assert sorted(n for n, _, _ in marks) == [0, 1, 2, 4]
    hover = view.page.locator("#map-plot .hoverlayer .hovertext")
    seen = {}
    for number, x, y in marks:
        view.page.mouse.move(x, y)
        hover.first.wait_for()
        seen[number] = hover.first.text_content()
        view.page.mouse.move(0, 0)
    assert "Havana → Venezuela" in seen[1] and "open to 2019-01-26" in seen[2]
    assert seen[4].startswith("government aircraft") and len(set(seen.values())) == 4


def test_a_page_without_dates_or_places_still_draws(page_browser, tmp_path):
    bare = _group().assign(
        start="", end="", origin_lat=math.nan, origin_lon=math.nan,
        destination_lat=math.nan, destination_lon=math.nan,
    )  # fmt: skip
    path = tmp_path / "bare.html"
    write_page(bare, path)
    context = page_browser.new_context(viewport={"width": 390, "height": 800})
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("#events")
    assert page.locator("#timeline-plot").count() == 0
    assert page.locator("#map-plot").count() == 0
    assert "No event has a date" in page.locator("section").nth(0).text_content()
    assert "No event has located places" in page.locator("section").nth(1).text_content()
    page.locator("#family-legend label", has_text="personnel").locator("input").uncheck()
    page.wait_for_function("document.getElementById('filter-count').textContent.includes(' 3 of')")
    assert errors == []
    context.close()


def _reported_twice() -> pd.DataFrame:
    """One Il-76 flight told by two outlets, plus a C-17 flight told once."""
    common = dict(
        event_type="arrival",
        subject_kind="aircraft",
        aircraft_type="Ilyushin Il-76",
        icao_type="IL76",
        subject="Il-76",
        entity="Ilyushin Il-76",
        count=1,
        destination="Bamako",
        destination_lat=12.65,
        destination_lon=-8.0,
        char_start=0,
        char_end=40,
    )
    return pd.DataFrame(
        [
            _row(
                event_id="a1-001",
                article_id="a1",
                headline="Jet lands",
                start="2024-03-04",
                end="2024-03-04",
                source_url="https://one.example/a",
                evidence="An Il-76 landed.",
                movement_id="M-a1-001",
                **common,
            ),
            _row(
                event_id="a2-001",
                article_id="a2",
                headline="Jet seen",
                start="2024-03-04",
                end="2024-03-05",
                source_url="https://two.example/b",
                evidence="An Il-76 was seen.",
                movement_id="M-a1-001",
                **common,
            ),
            _row(
                event_id="a3-001",
                article_id="a3",
                headline="C-17",
                start="2024-03-09",
                end="2024-03-09",
                event_type="arrival",
                subject_kind="aircraft",
                aircraft_type="Boeing C-17 Globemaster III",
                icao_type="C17",
                subject="C-17",
                entity="Boeing C-17 Globemaster III",
                destination="Kabul",
                destination_lat=34.5,
                destination_lon=69.2,
                char_start=0,
                char_end=30,
                evidence="A C-17 landed.",
                movement_id="M-a3-001",
            ),
        ]
    )


def test_the_page_draws_a_movement_once_and_switches_back_to_its_mentions(page_open, tmp_path):
    path = tmp_path / "moves.html"
    write_page(_reported_twice(), path)
    view = page_open(path, 1400)
    page = view.page
    assert page.locator("#filter-count").text_content() == "Showing 2 of 2 movements"
    assert len(view.marks("timeline-plot")) == 2
    visible = "b => Array.from(b.rows).filter(r => !r.hidden).map(r => r.textContent)"
    table = page.locator("#events tbody")
    rows = table.evaluate(visible)
    assert len(rows) == 2
    assert sum("Reported 2 times in 2 articles (one.example; two.example)" in r for r in rows) == 1
    page.select_option("#filter-view", label="mentions")
    assert page.locator("#filter-count").text_content() == "Showing 3 of 3 events"
    assert len(view.marks("timeline-plot")) == 3
    rows = table.evaluate(visible)
    assert len(rows) == 3 and not any("Reported" in r for r in rows)
    assert view.errors == [] and view.blocked == []
