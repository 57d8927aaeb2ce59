"""Event extraction on hand-written news sentences, through the whole pipeline."""

from datetime import date

import pytest

from timeline.model import Article, Event
from timeline.pipeline import process

PUBLISHED = date(2021, 6, 10)  # a Thursday


def events_of(body: str, published: date | None = PUBLISHED) -> list[Event]:
    article = Article(article_id="t", text=body, published=published)
    return list(process(article).events)


def route(event: Event) -> tuple[str, str, str]:
    def name(place: object) -> str:
        return place.name if place else ""

    return (
        name(event.origin),
        "; ".join(p.name for p in event.via),
        name(event.destination or event.location),
    )


def test_flight_with_origin_via_destination_and_weekday() -> None:
    [event] = events_of(
        "A Russian Ilyushin Il-76 flew into Caracas late on Tuesday after starting its "
        "journey in Moscow and flying via Senegal and Paraguay, tracking data showed."
    )
    assert event.aircraft is not None and event.aircraft.icao_type == "IL76"
    assert route(event)[0] == "Moscow"
    assert route(event)[2] == "Caracas"
    assert "Senegal" in route(event)[1] and "Paraguay" in route(event)[1]
    assert event.when is not None and event.when.earliest == date(2021, 6, 8)
    assert event.subject_kind == "aircraft"
    assert "tracking data" in event.attribution


def test_two_aircraft_joined_by_and_give_two_events_with_a_range() -> None:
    events = events_of(
        "Between May 3 and May 6, an Antonov An-124 cargo aircraft and an Ilyushin Il-76 "
        "carried out flights between Russia and Damascus."
    )
    assert sorted(e.aircraft.icao_type for e in events) == ["A124", "IL76"]
    for event in events:
        assert route(event)[0] == "Russia" and route(event)[2] == "Damascus"
        assert (event.when.earliest, event.when.latest) == (date(2021, 5, 3), date(2021, 5, 6))


def test_departure_then_arrival_in_one_sentence_is_one_flight() -> None:
    [event] = events_of(
        "A Lockheed C-130 Hercules took off from Kharkiv in the morning and touched down "
        "in Warsaw on Monday afternoon."
    )
    assert route(event)[0] == "Kharkiv" and route(event)[2] == "Warsaw"
    assert event.event_type == "flight"
    assert event.when.earliest == date(2021, 6, 7)


def test_personnel_subject_and_count() -> None:
    [event] = events_of("About 300 military contractors arrived in Bamako on Sunday.")
    assert event.subject_kind == "personnel"
    assert event.count == 300
    assert route(event)[2] == "Bamako"
    assert event.when.earliest == date(2021, 6, 6)


@pytest.mark.parametrize(
    "sentence",
    [
        "The delegation will fly to Berlin next week.",
        "No aircraft landed in Minsk on Monday.",
        "The jets did not land in Riga on Tuesday.",
        "If the talks fail, the troops could fly to Tbilisi.",
        "The minister plans to travel to Ankara on Friday.",
    ],
)
def test_future_negated_and_hypothetical_movements_are_not_events(sentence: str) -> None:
    assert events_of(sentence) == []


def test_pronoun_takes_the_previous_subject_and_its_last_place_as_origin() -> None:
    events = events_of(
        "Two Boeing C-17 Globemaster IIIs landed in Ramstein on Monday. "
        "They flew on to Kabul on Tuesday."
    )
    assert len(events) == 2
    assert events[1].aircraft is not None and events[1].aircraft.icao_type == "C17"
    assert route(events[1]) == ("Ramstein Air Base", "", "Kabul") or route(events[1])[2] == "Kabul"
    assert events[1].origin is not None
    assert events[1].when.earliest == date(2021, 6, 8)


def test_arrival_without_place_uses_the_previous_destination() -> None:
    events = events_of(
        "A Gulfstream IV landed at Vnukovo airport on Monday. "
        "A second jet touched down three hours later."
    )
    assert len(events) == 2
    assert events[1].destination == events[0].destination


def test_visit_to_two_countries_is_two_events() -> None:
    events = events_of("The president visited Qatar and Oman on Wednesday.")
    assert sorted(route(e)[2] for e in events) == ["Oman", "Qatar"]
    assert all(e.when.earliest == date(2021, 6, 9) for e in events)


def test_presence_event() -> None:
    [event] = events_of("Another Il-76 was in Tripoli from June 1 to June 4.")
    assert event.event_type == "presence"
    assert route(event)[2] == "Tripoli"
    assert (event.when.earliest, event.when.latest) == (date(2021, 6, 1), date(2021, 6, 4))


def test_evidence_is_the_sentence_at_its_offsets() -> None:
    body = "Officials spoke. Three Su-25 jets were shot down over Donetsk on Monday. Nothing else."
    [event] = events_of(body)
    assert body[event.char_start : event.char_end] == event.evidence
    assert event.evidence.startswith("Three Su-25 jets")


def test_no_publication_date_keeps_absolute_dates_only() -> None:
    events = events_of(
        "A Boeing 747 landed in Delhi on 3 March 2020. A C-17 landed in Doha on Monday.",
        published=None,
    )
    assert events[0].when.earliest == date(2020, 3, 3)
    assert events[1].when is None or events[1].when.earliest is None


def test_time_mentions_say_how_events_must_anchor_them() -> None:
    from timeline.temporal import find_times

    text = (
        "On June 3 the jet left at 11 p.m. and landed the next day. Later that day it flew "
        "overnight to Oslo; in the afternoon it stayed."
    )
    assert [(t.text, t.reading) for t in find_times(text, PUBLISHED)] == [
        ("June 3", ""),
        ("11 p.m.", "clock"),
        ("the next day", "anaphoric"),
        ("Later that day", "same_day"),
        ("overnight", "overnight"),
        ("in the afternoon", "day_part"),
    ]
