"""One small test per extraction rule, on sentences written for the test (not real articles)."""

from datetime import date

from timeline.model import Article, Event
from timeline.pipeline import process

PUBLISHED = date(2021, 6, 10)  # a Thursday


def events_of(body: str, published: date = PUBLISHED) -> list[Event]:
    article = Article(article_id="t", text=body, published=published)
    return list(process(article).events)


def place(event: Event) -> str:
    found = event.destination or event.location
    return found.name if found else ""


def days(event: Event) -> tuple[date | None, date | None]:
    assert event.when is not None
    return event.when.earliest, event.when.latest


def test_a_when_clause_dates_both_coordinated_visits() -> None:
    events = events_of(
        "President Vladimir Putin visited Qatar on Monday. It was his first visit since "
        "October 2019, when he went to Riyadh and Abu Dhabi on consecutive days."
    )
    later = [e for e in events if place(e) in ("Riyadh", "Abu Dhabi")]
    assert sorted(place(e) for e in later) == ["Abu Dhabi", "Riyadh"]
    for event in later:
        assert days(event) == (date(2019, 10, 1), date(2019, 10, 31))
        assert event.subject_kind == "personnel"


def test_there_refers_to_a_place_named_earlier_in_the_same_sentence() -> None:
    events = events_of(
        "An Airbus A340 brought 180 nationals to Istres on June 1, and a chartered Airbus "
        "A380 landed there two days ago."
    )
    a380 = next(e for e in events if e.aircraft and e.aircraft.icao_type == "A388")
    assert "Istres" in place(a380)
    assert days(a380) == (date(2021, 6, 8), date(2021, 6, 8))


def test_the_airport_does_not_refer_back_to_an_air_base() -> None:
    events = events_of(
        "A C-17 left Hamid Karzai International Airport on Monday. Another C-17 carried 800 "
        "people to Al Udeid Air Base on Tuesday. Last week some 5,800 troops were on the "
        "ground at the airport."
    )
    troops = next(e for e in events if e.subject == "troops")
    assert place(troops) == "Hamid Karzai International Airport"


def test_the_narrower_of_two_times_in_a_clause_wins() -> None:
    events = events_of(
        "Defence Minister Sergei Shoigu visited Minsk on Monday. His only other trip this "
        "year was to Beijing in mid-October.",
        published=date(2021, 12, 7),
    )
    beijing = next(e for e in events if place(e) == "Beijing")
    assert days(beijing) == (date(2021, 10, 11), date(2021, 10, 20))


def test_it_was_a_visit_is_not_an_aircraft_subject() -> None:
    events = events_of(
        "A Boeing 737 landed in Minsk on Monday. It was the minister's first visit to Minsk."
    )
    assert all(e.subject_kind == "aircraft" for e in events[:1])
    assert not [e for e in events[1:] if e.subject_kind == "aircraft"]


def test_the_other_with_a_who_clause_is_people() -> None:
    events = events_of(
        "A Boeing 747 landed at RAF Brize Norton on Friday. The Britons were taken by coach "
        "to a hospital, while most of the others, who were Spanish, flew on to Madrid."
    )
    madrid = next(e for e in events if place(e) == "Madrid")
    assert madrid.subject_kind == "personnel"


def test_a_place_inside_a_time_expression_is_not_a_location() -> None:
    [event] = events_of("The Il-76 came down in a field at around 11am Moscow time on 24 May.")
    assert place(event) != "Moscow"


def test_landed_there_means_in_the_place_named_before() -> None:
    events = events_of(
        "A French Airbus A340 brought 180 nationals to Istres on Monday. A chartered Airbus "
        "A380 landed there on Tuesday."
    )
    assert "Istres" in place(events[-1])


def test_an_airfield_is_cited_by_its_name_without_owner_or_lower_case_descriptor() -> None:
    [event] = events_of(
        "A China Eastern Airbus A350 from Shanghai landed at Rome's Fiumicino airport on March 12."
    )
    assert place(event) == "Fiumicino"
    assert event.destination is not None and event.destination.icao == "LIRF"


def test_every_trigger_row_matches_its_own_example() -> None:
    from timeline.events.lexicon import lexicon

    lex = lexicon()
    for number, trigger in enumerate(lex.triggers):
        names = [m.lastgroup for m in lex.trigger_pattern.finditer(trigger.example.lower())]
        assert f"t{number}" in names, f"trigger {number} does not match {trigger.example!r}"


def test_a_departure_without_origin_leaves_from_where_the_story_is() -> None:
    events = events_of(
        "A Gulfstream IV landed at Ataturk Airport on Oct. 2, 2018. The other left at "
        "around 11 p.m."
    )
    assert events[-1].origin is not None and "Ataturk" in events[-1].origin.name


def test_a_role_noun_after_an_aircraft_type_is_the_aircraft_not_people() -> None:
    [event] = events_of("Six U.S. Air Force F-35A fighters arrived at Lask Air Base on Friday.")
    assert event.subject_kind == "aircraft"
    assert (event.count, event.operator) == (6, "U.S. Air Force")


def test_a_place_describing_the_load_is_not_where_it_was_carried() -> None:
    staff, event = events_of(
        "A Boeing 747 carrying staff of the consulate in Wuhan landed at March Air Reserve "
        "Base on Wednesday."
    )
    assert place(event) == "March Air Reserve Base"
    assert event.via == ()
    assert (staff.subject_kind, place(staff), staff.via) == ("personnel", place(event), ())


def test_landing_at_an_airport_of_the_destination_city_is_the_same_leg() -> None:
    [event] = events_of("The Il-96 flew to Moscow on Monday, landing at Vnukovo airport.")
    assert "Vnukovo" in place(event)


def test_the_first_of_a_group_is_one_aircraft_not_the_group() -> None:
    events = events_of(
        "Two Il-76 transport planes flew from Niamey to Moscow on Friday. The first Il-76 "
        "landed at Chkalovsky on Saturday."
    )
    assert events[0].count == 2 and events[1].count != 2


def test_a_part_of_day_before_a_day_takes_that_day() -> None:
    events = events_of(
        "The evacuees landed at Pratica di Mare on Monday aboard a Boeing KC-767 tanker, "
        "which had left the base for Wuhan at dawn the previous day."
    )
    tanker = next(e for e in events if e.subject_kind == "aircraft")
    assert days(tanker) == (date(2021, 6, 6), date(2021, 6, 6))
    assert tanker.origin is not None and tanker.origin.name == "Pratica di Mare"


def test_a_clock_time_ending_in_z_ends_the_sentence() -> None:
    events = events_of(
        "A US Navy P-8A Poseidon departed Souda Bay at around 07:00Z. The P-8A landed back at "
        "Souda Bay in the afternoon."
    )
    assert len(events) == 2
    assert events[1].operator == "US Navy"


def test_an_air_base_in_the_country_named_first_is_the_same_arrival() -> None:
    [event] = events_of(
        "Two KC-135R tankers flew from RAF Mildenhall to Romania on Monday, landing at "
        "Mihail Kogalniceanu air base near Constanta."
    )
    assert "Kogalniceanu" in place(event)
    assert [p.name for p in event.via] == ["Romania"]


def test_a_name_after_a_role_noun_is_a_person_who_can_travel_later() -> None:
    events = events_of(
        "Libyan commander Khalifa Haftar met officials in Moscow on Jan. 12. Three days later, "
        "Haftar flew to Berlin."
    )
    assert [(e.subject, place(e)) for e in events] == [
        ("Libyan commander Khalifa Haftar", "Moscow"),
        ("Haftar", "Berlin"),
    ]


def test_verbless_conjuncts_with_their_own_aircraft_are_events_of_their_own() -> None:
    events = events_of(
        "Two Il-76s landed in Minsk on Monday, an An-124 in Tehran and a Tu-154 in Damascus."
    )
    assert [(e.aircraft.icao_type if e.aircraft else "", place(e)) for e in events] == [
        ("IL76", "Minsk"),
        ("A124", "Tehran"),
        ("T154", "Damascus"),
    ]


def test_a_conjunct_with_a_verb_of_its_own_is_not_gapping() -> None:
    events = events_of(
        "The Antonov-124 has sat on the ground in Toronto ever since, and no Russian-registered "
        "aircraft has been allowed into the country."
    )
    assert [place(e) for e in events] == ["Toronto"]


def test_a_dispatch_verb_moves_its_object_and_each_conjunct_keeps_its_time() -> None:
    events = events_of(
        "Russia sent two Tu-22M3 bombers to Syria on Monday and four Su-35s to Belarus on Tuesday."
    )
    assert [(e.count, place(e), days(e)[0]) for e in events] == [
        (2, "Syria", date(2021, 6, 7)),
        (4, "Belarus", date(2021, 6, 8)),
    ]


def test_a_stay_has_no_origin_even_when_its_subject_moved_before() -> None:
    events = events_of(
        "A team of investigators flew to Kharkiv on Monday. The team that met the train in "
        "Kharkiv counted the bags on Tuesday."
    )
    assert (events[-1].event_type, events[-1].origin, place(events[-1])) == (
        "presence",
        None,
        "Kharkiv",
    )


def test_an_unknown_district_owned_by_a_known_city_is_reported_as_the_city() -> None:
    events = events_of(
        "Italy's 56 evacuees landed at Pratica di Mare on Monday. They were then driven to a "
        "military complex in Rome's Cecchignola district."
    )
    assert place(events[-1]) == "Rome"
    assert events[-1].destination is not None and events[-1].destination.lat is not None


def test_a_departure_in_an_after_clause_completes_the_same_flight() -> None:
    [event] = events_of("The Il-96 landed in Caracas after taking off from Moscow on Monday.")
    assert (event.origin.name if event.origin else "", place(event)) == ("Moscow", "Caracas")


def test_a_country_that_flies_people_out_moves_the_people() -> None:
    [event] = events_of("Spain flew 99 of its citizens out of Khartoum on Monday.")
    assert (event.subject_kind, event.subject, event.count) == ("personnel", "citizens", 99)
    assert event.origin is not None and event.origin.name == "Khartoum"
    [staff] = events_of("The U.S. military airlifted embassy staff out of Kabul on Tuesday.")
    assert staff.subject == "staff" and staff.origin is not None


def test_a_possessive_before_a_group_is_not_a_subject_of_its_own() -> None:
    [event] = events_of("France flew hundreds of their nationals out of Niamey on Monday.")
    assert event.subject == "nationals"


def test_the_bombers_never_refers_back_to_a_transport() -> None:
    events = events_of(
        "An Antonov An-124 landed in Dubai on Monday. The bombers landed in Guam on Tuesday."
    )
    assert events[1].aircraft is None
    events = events_of("Two B-52H bombers landed in Guam on Monday. The bombers left on Tuesday.")
    assert events[1].aircraft is not None and events[1].aircraft.icao_type == "B52"


def test_not_only_but_also_inside_a_subject_does_not_open_a_clause() -> None:
    events = events_of(
        "An A400M carrying 120 people, mostly French but also German nationals, left Niamey "
        "on Tuesday."
    )
    [event] = [e for e in events if e.subject_kind == "aircraft"]
    assert event.origin is not None


def test_aircraft_seen_on_an_apron_are_present_there() -> None:
    [event] = events_of("Imagery showed four B-2 bombers on the apron at Diego Garcia on Monday.")
    assert (event.event_type, place(event), event.count) == ("presence", "Diego Garcia", 4)


def test_a_closed_relative_clause_holds_no_subject_of_the_main_verb() -> None:
    [event] = events_of(
        "Four engineers from the plant, where the Il-96 is built, were flown to Hanoi on Monday."
    )
    assert (event.subject_kind, event.subject, place(event)) == ("personnel", "engineers", "Hanoi")


def test_flights_an_airline_operated_are_what_moved() -> None:
    [event] = events_of("Royal Jordanian operated six flights between Amman and Doha on Friday.")
    assert (event.subject_kind, event.count, place(event)) == ("aircraft", 6, "Doha")
    assert event.origin is not None and event.origin.name == "Amman"
    assert events_of("Six flights between Amman and Doha are planned for Friday.") == []


def test_an_aircraft_named_by_its_registration_moves() -> None:
    [event] = events_of("On Thursday, VT-JRK departed Toulouse for Delhi.")
    assert (event.subject, event.operator, place(event)) == ("VT-JRK", "", "Delhi")


def test_two_of_them_is_part_of_the_latest_group() -> None:
    events = events_of(
        "Four B-1B bombers landed at Misawa on Friday. Two of them flew back to Guam on Sunday."
    )
    assert (events[1].aircraft is not None, events[1].count, place(events[1])) == (True, 2, "Guam")
    assert events[1].aircraft.icao_type == "B1"  # type: ignore[union-attr]


def test_a_second_aircraft_that_followed_made_the_same_trip_on_its_own_day() -> None:
    events = events_of(
        "A C-130J landed in Brisbane on June 1 with 84 passengers. A second aircraft followed "
        "on June 2 with 108 passengers. Other countries followed suit."
    )
    assert [(place(e), days(e)[0]) for e in events if e.subject_kind == "aircraft"] == [
        ("Brisbane", date(2021, 6, 1)),
        ("Brisbane", date(2021, 6, 2)),
    ]


def test_a_place_inside_a_from_phrase_is_the_origin() -> None:
    [event] = events_of(
        "President Ruto flew back to Nairobi on Wednesday from the climate summit in Baku."
    )
    assert (event.origin.name if event.origin else "", place(event)) == ("Baku", "Nairobi")
    [outward] = events_of("The delegation flew to the summit in Baku on Monday.")
    assert place(outward) == "Baku"


def test_the_end_of_a_hyphenated_word_is_no_trigger() -> None:
    from timeline.events.lexicon import lexicon

    pattern = lexicon().trigger_pattern
    assert pattern.search("the centre-left senator") is None
    assert pattern.search("the senator left") is not None


def test_a_bare_first_and_last_name_before_a_movement_verb_is_a_person() -> None:
    events = events_of(
        "Emmanuel Macron arrived in Noumea on Thursday. He flew back to Paris on Friday."
    )
    assert [(e.subject, place(e)) for e in events] == [
        ("Emmanuel Macron", "Noumea"),
        ("He", "Paris"),
    ]
    [airline] = events_of("Turkish Airlines flew 300 people to Istanbul on Monday.")
    assert airline.subject == "people"
