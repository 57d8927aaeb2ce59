"""The merge rules of the movement layer, one case each, on event rows written by hand.

Rows are built here rather than extracted, so each case tests the merge alone: what the
extractor would read from the sentence in `evidence` is given in the other fields.
"""

from movement_rows import event_row as _row
from movement_rows import movement_ids as _ids


def test_an_aircraft_told_without_its_type_is_the_typed_one_of_its_article() -> None:
    ids = _ids(
        _row(
            "e1", "Tu-160 bombers", "Two Tu-160 bombers landed in Kabul.", icao_type="T160", count=2
        ),
        _row("e2", "bombers", "The bombers had flown from Engels.", origin="Engels", char_start=40),
    )
    assert ids == ["M-e1", "M-e1"]


def test_an_aircraft_told_without_its_type_stays_apart_when_two_could_be_it() -> None:
    ids = _ids(
        _row("e1", "C-17", "A C-17 landed in Kabul.", icao_type="C17", count=1),
        _row("e2", "Il-76", "An Il-76 landed in Kabul.", icao_type="IL76", count=1, char_start=30),
        _row("e3", "plane", "The plane landed at dusk.", char_start=60),
    )
    assert len(set(ids)) == 3


def test_a_body_mention_introduced_as_new_retells_its_headline() -> None:
    headline = "Two bombers land in Kabul"
    ids = _ids(
        _row("e1", "bombers", headline, headline=headline, count=2),
        _row(
            "e2",
            "bombers",
            "Two bombers landed in Kabul on Monday.",
            headline=headline,
            count=2,
            char_start=30,
        ),
    )
    assert ids == ["M-e1", "M-e1"]
    # without a headline the same two sentences tell two pairs of bombers
    again = _ids(
        _row("e1", "bombers", "Two bombers landed in Kabul.", count=2),
        _row("e2", "bombers", "Two bombers landed in Kabul on Monday.", count=2, char_start=30),
    )
    assert again == ["M-e1", "M-e2"]


def test_a_headline_tells_the_stories_first_movement() -> None:
    headline = "C-17 lands"
    ids = _ids(
        _row(
            "e1",
            "C-17",
            headline,
            icao_type="C17",
            headline=headline,
            destination="",
            start="",
            end="",
        ),
        _row(
            "e2",
            "C-17",
            "A C-17 landed in Kabul on Monday.",
            icao_type="C17",
            headline=headline,
            char_start=20,
        ),
        _row(
            "e3",
            "C-17",
            "Another C-17 landed in Kabul on Tuesday.",
            icao_type="C17",
            headline=headline,
            start="2024-03-05",
            end="2024-03-05",
            char_start=60,
        ),
    )
    assert ids == ["M-e1", "M-e1", "M-e3"]


def test_the_second_plane_refers_back_to_a_second_flight() -> None:
    ids = _ids(
        _row("e1", "evacuation flight", "A second evacuation flight landed in Kabul."),
        _row(
            "e2",
            "plane",
            "Nobody said how many boarded the second plane, which landed in Kabul.",
            char_start=50,
        ),
    )
    assert ids == ["M-e1", "M-e1"]


def test_a_speaker_quoted_introduces_afresh_what_the_writer_told() -> None:
    ids = _ids(
        _row("e1", "C-17", "A C-17 landed in Kabul on Monday.", icao_type="C17"),
        _row(
            "e2",
            "C-17",
            'A spokesman said: "A C-17 landed in Kabul."',
            icao_type="C17",
            char_start=40,
        ),
    )
    assert ids == ["M-e1", "M-e1"]


def test_the_planes_are_not_the_one_aircraft_of_the_article() -> None:
    ids = _ids(
        _row("e1", "C-17", "A C-17 landed in Kabul.", icao_type="C17", count=1),
        _row("e2", "planes", "The planes landed in Kabul.", char_start=30),
    )
    assert ids == ["M-e1", "M-e2"]


def test_a_group_of_one_size_is_one_group_whatever_its_noun_and_stated_origin() -> None:
    people = {"subject_kind": "personnel", "count": 300, "destination": "Larnaca"}
    ids = _ids(
        _row(
            "e1",
            "people",
            "About 300 people were flown from Lebanon to Larnaca.",
            origin="Lebanon",
            **people,
        ),
        _row(
            "e2",
            "evacuees",
            "The 300 evacuees flew from Latakia.",
            origin="Latakia",
            char_start=60,
            **people,
        ),
    )
    assert ids == ["M-e1", "M-e1"]
    other = {**people, "count": 140}
    apart = _ids(
        _row("e1", "people", "About 300 people were flown to Larnaca.", **people),
        _row("e2", "people", "Another 140 people were flown to Larnaca.", char_start=60, **other),
    )
    assert apart == ["M-e1", "M-e2"]


def _president(event_id: str, evidence: str, **fields: object) -> dict:
    return _row(
        event_id,
        "President Ann Example",
        evidence,
        subject_kind="personnel",
        count=1,
        destination="Chaklala",
        **fields,
    )


def test_people_travel_on_the_one_aircraft_their_article_tells_of() -> None:
    ids = _ids(
        _president("e1", "President Ann Example flew to Chaklala on Friday on her jet."),
        _row(
            "e2",
            "plane",
            "The plane landed at Chaklala at night.",
            destination="Chaklala",
            char_start=70,
        ),
    )
    assert ids == ["M-e1", "M-e1"]


def test_people_leaving_from_where_the_aircraft_landed_took_another_leg() -> None:
    ids = _ids(
        _row("e1", "plane", "The plane landed at Fiumicino at night.", destination="Fiumicino"),
        _row(
            "e2",
            "guests",
            "The guests then flew from Fiumicino into Rome by helicopter.",
            subject_kind="personnel",
            count=2,
            origin="Fiumicino",
            destination="Rome",
            char_start=50,
        ),
    )
    assert ids == ["M-e1", "M-e2"]


def test_people_join_no_aircraft_when_their_article_tells_of_two() -> None:
    ids = _ids(
        _president("e1", "President Ann Example flew to Chaklala on Friday."),
        _row("e2", "plane", "Her plane landed at Chaklala.", destination="Chaklala", char_start=60),
        _row(
            "e3",
            "helicopter",
            "A helicopter flew on to Islamabad.",
            destination="Islamabad",
            char_start=90,
        ),
    )
    assert len(set(ids)) == 3


def test_outlets_may_differ_by_a_day_but_one_articles_mentions_meet_exactly() -> None:
    monday, tuesday = (
        {"start": "2024-03-04", "end": "2024-03-04"},
        {"start": "2024-03-05", "end": "2024-03-05"},
    )
    ids = _ids(
        _row("e1", "C-17", "A C-17 landed in Kabul on Monday.", icao_type="C17", **monday),
        _row(
            "e2",
            "C-17",
            "A C-17 landed in Kabul on Tuesday.",
            icao_type="C17",
            article_id="b",
            **tuesday,
        ),
        _row(
            "e3",
            "C-17",
            "The C-17 had left Ramstein on Tuesday.",
            icao_type="C17",
            article_id="b",
            char_start=40,
            **tuesday,
        ),
    )
    assert ids == ["M-e1", "M-e1", "M-e1"]
    apart = _ids(
        _row("e1", "C-17", "The C-17 landed in Kabul on Monday.", icao_type="C17", **monday),
        _row(
            "e2",
            "C-17",
            "The C-17 landed in Kabul on Tuesday.",
            icao_type="C17",
            char_start=40,
            **tuesday,
        ),
    )
    assert apart == ["M-e1", "M-e2"]


def test_a_person_spelled_with_or_without_accents_is_one_person() -> None:
    ids = _ids(
        _row(
            "e1",
            "Minister Mevlüt Çavuşoğlu",
            "Minister Mevlüt Çavuşoğlu landed in Kabul.",
            subject_kind="personnel",
        ),
        _row(
            "e2",
            "Minister Mevlut Cavusoglu",
            "Minister Mevlut Cavusoglu landed in Kabul.",
            subject_kind="personnel",
            article_id="b",
        ),
    )
    assert ids == ["M-e1", "M-e1"]


def test_two_registrations_are_two_aircraft_and_a_type_may_be_either() -> None:
    il96 = {"icao_type": "IL96", "destination": "Anchorage"}
    ids = _ids(
        _row("e1", "RA-96019", "Il-96 RA-96019 landed at Anchorage.", **il96),
        _row("e2", "RA-96018", "Il-96 RA-96018 landed at Anchorage.", article_id="b", **il96),
        _row("e3", "Il-96", "An Il-96 landed at Anchorage.", article_id="c", **il96),
    )
    assert ids[0] != ids[1] and ids[2] in ids[:2]


def test_another_before_a_name_that_qualifies_the_mover_introduces_a_new_one() -> None:
    c17 = {"icao_type": "C17", "count": 1, "origin": "Riga"}
    ids = _ids(
        _row("e1", "C-17", "The first Royal Air Force C-17 from Riga landed in Kabul.", **c17),
        _row(
            "e2",
            "C-17",
            "Another Royal Air Force's C-17 from Riga landed in Kabul.",
            char_start=60,
            **c17,
        ),
        _row(
            "e3",
            "C-17",
            "The Royal Air Force C-17 had refuelled in Baku.",
            char_start=120,
            **c17,
        ),
    )
    assert ids == ["M-e1", "M-e2", "M-e2"]


def test_a_group_counted_in_digits_is_a_new_group_not_the_unsized_one_told_before() -> None:
    people = {"subject_kind": "personnel", "destination": "Larnaca"}
    ids = _ids(
        _row("e1", "people", "Airlines keep flying people out to Larnaca.", **people),
        _row(
            "e2",
            "people",
            "Earlier, 42 people reached Larnaca on a navy jet.",
            count=42,
            char_start=60,
            **people,
        ),
        _row(
            "e3", "people", "The 42 people were met by consuls.", count=42, char_start=120, **people
        ),
    )
    assert ids == ["M-e1", "M-e2", "M-e2"]


def test_the_first_plane_is_not_the_second_flight_its_article_told_of() -> None:
    larnaca = {"destination": "Larnaca"}
    ids = _ids(
        _row("e1", "evacuation flight", "A second evacuation flight landed in Larnaca.", **larnaca),
        _row(
            "e2",
            "plane",
            "Officials said the first navy plane had carried 40 people.",
            char_start=50,
            **larnaca,
        ),
        _row("e3", "flight", "The second flight had left Port Sudan.", char_start=110, **larnaca),
    )
    assert ids == ["M-e1", "M-e2", "M-e1"]


def test_other_flights_are_not_the_planes_told_before_but_the_other_ones_are() -> None:
    amman = {"destination": "Amman", "start": "2024-03-01", "end": "2024-03-04"}
    ids = _ids(
        _row("e1", "Planes", "Planes carrying aid workers have been landing in Amman.", **amman),
        _row(
            "e2",
            "relief flights",
            "Other relief flights have been landing in Amman since Friday.",
            char_start=60,
            **amman,
        ),
    )
    assert ids == ["M-e1", "M-e2"]
    # "the other" refers back: the remaining planes of a group already told of
    back = _ids(
        _row("e1", "Il-76s", "Nine Il-76s flew in from Orenburg.", icao_type="IL76", **amman),
        _row(
            "e2",
            "Il-76s",
            "The other eight Il-76s landed in Amman overnight.",
            icao_type="IL76",
            char_start=40,
            **amman,
        ),
    )
    assert back == ["M-e1", "M-e1"]


def test_people_a_new_aircraft_carried_are_not_the_group_told_before() -> None:
    britons = {"subject_kind": "personnel", "entity": "British nationals", "rule": "carried"}
    ids = _ids(
        _row("e1", "plane", "A plane carrying Britons landed in Kabul.", count=1),
        _row("e2", "Britons", "A plane carrying Britons landed in Kabul.", **britons),
        _row(
            "e3",
            "flight",
            "Another flight carrying Britons landed in Kabul later on Monday.",
            count=1,
            char_start=50,
        ),
        _row(
            "e4",
            "Britons",
            "Another flight carrying Britons landed in Kabul later on Monday.",
            char_start=50,
            **britons,
        ),
    )
    assert ids == ["M-e1", "M-e1", "M-e3", "M-e3"]
    # people the new aircraft carried but named as those told before stay that group
    same = _ids(
        _row("e1", "Britons", "Forty Britons reached the airport in Kabul.", **britons),
        _row(
            "e2",
            "plane",
            "A plane carrying the Britons landed in Kabul.",
            count=1,
            char_start=50,
        ),
        _row(
            "e3",
            "Britons",
            "A plane carrying the Britons landed in Kabul.",
            char_start=50,
            **britons,
        ),
    )
    assert same == ["M-e1", "M-e1", "M-e1"]


def test_people_flown_out_of_the_country_the_aircraft_landed_in_took_its_next_leg() -> None:
    said = "Teachers were flown out of Peru on a plane that had landed in Peru with cargo."
    ids = _ids(
        _row("e1", "plane", said, destination="Peru", count=1),
        _row(
            "e2",
            "Teachers",
            said,
            subject_kind="personnel",
            event_type="flight",
            origin="Peru",
            destination="",
        ),
    )
    assert ids == ["M-e1", "M-e2"]


def test_a_group_first_counted_in_the_body_is_the_lead_told_in_plurals() -> None:
    tankers = {"icao_type": "K35R", "destination": "Rota"}
    ids = _ids(
        _row(
            "e1",
            "tankers",
            "Tankers from Kansas touched down in Rota recently.",
            start="",
            end="2024-03-06",
            **tankers,
        ),
        _row(
            "e2",
            "KC-135s",
            "Four KC-135s arrived at Rota on Monday.",
            count=4,
            char_start=60,
            **tankers,
        ),
    )
    assert ids == ["M-e1", "M-e1"]
    # counted months before the lead's end, the group is an earlier deployment
    earlier = _ids(
        _row(
            "e1",
            "tankers",
            "Tankers from Kansas touched down in Rota recently.",
            start="",
            end="2024-03-06",
            **tankers,
        ),
        _row(
            "e2",
            "KC-135s",
            "Four KC-135s went to Rota in October for a similar drill.",
            count=4,
            start="2023-10-01",
            end="2023-10-31",
            char_start=60,
            **tankers,
        ),
    )
    assert earlier == ["M-e1", "M-e2"]
    # a lead that named one tanker is not retold by a counted group
    single = _ids(
        _row("e1", "tanker", "A tanker touched down in Rota.", count=1, **tankers),
        _row("e2", "KC-135s", "Four KC-135s arrived at Rota.", count=4, char_start=60, **tankers),
    )
    assert single == ["M-e1", "M-e2"]


def test_a_title_or_a_noun_for_people_is_no_persons_name_across_articles() -> None:
    january = {"subject_kind": "personnel", "start": "2024-01-01", "end": "2024-01-31"}
    ids = _ids(
        _row(
            "e1", "Dutch Foreign Minister", "The Dutch Foreign Minister visited Chile.", **january
        ),
        _row(
            "e2",
            "Greek Foreign Minister",
            "The Greek Foreign Minister visited Chile.",
            article_id="b",
            **january,
        ),
        _row(
            "e3",
            "Stranded Germans",
            "Stranded Germans flew home to Chile.",
            article_id="c",
            **january,
        ),
        _row(
            "e4",
            "Stranded Germans",
            "Stranded Germans flew home to Chile.",
            article_id="d",
            **january,
        ),
    )
    assert len(set(ids)) == 4
    # a surname after a title is one: the same person in two outlets, a possessive or not
    named = _ids(
        _row("e1", "Minister Ann Example", "Minister Ann Example visited Chile.", **january),
        _row(
            "e2",
            "Minister Ann Example’s",
            "Minister Ann Example’s visit to Chile ended.",
            article_id="b",
            **january,
        ),
    )
    assert named == ["M-e1", "M-e1"]


def test_a_number_a_dateline_ends_with_a_colon_introduces_nobody() -> None:
    person = {"subject_kind": "personnel", "count": 1, "destination": "Kabul"}
    ids = _ids(
        _row("e1", "President Ann Example", "President Ann Example left Oslo for Kabul.", **person),
        _row(
            "e2",
            "President Ann Example",
            "KABUL, March 4: President Ann Example landed here on Monday.",
            char_start=50,
            **person,
        ),
    )
    assert ids == ["M-e1", "M-e1"]
    # a number right before the mover still introduces a new group
    groups = _ids(
        _row("e1", "troops", "Troops landed in Kabul.", subject_kind="personnel"),
        _row(
            "e2",
            "troops",
            "On March 4, 40 troops landed in Kabul.",
            count=40,
            char_start=30,
            subject_kind="personnel",
        ),
        _row(
            "e3",
            "troops",
            "On March 4, 40 troops landed in Kabul.",
            count=40,
            char_start=80,
            subject_kind="personnel",
        ),
    )
    assert groups == ["M-e1", "M-e2", "M-e3"]


def test_flights_that_go_on_are_a_series_not_one_of_its_flights() -> None:
    amman = {"destination": "Amman", "start": "2024-03-04", "end": "2024-03-04"}
    ids = _ids(
        _row("e1", "Cargo planes", "Cargo planes have been landing in Amman all week.", **amman),
        _row("e2", "plane", "The plane landed in Amman on Monday.", char_start=50, **amman),
        _row(
            "e3", "cargo planes", "The cargo planes keep arriving in Amman.", char_start=90, **amman
        ),
        _row("e4", "plane", "A plane landed in Amman on Monday.", article_id="b", **amman),
    )
    assert ids == ["M-e1", "M-e2", "M-e1", "M-e2"]


def test_people_sent_earlier_that_week_did_not_ride_the_plane_told_of() -> None:
    ids = _ids(
        _row("e1", "plane", "A relief plane landed in Adana on Saturday.", destination="Adana"),
        _row(
            "e2",
            "medics",
            "Earlier this week, two teams of medics were sent to Adana.",
            subject_kind="personnel",
            event_type="flight",
            destination="Adana",
            start="2024-02-26",
            end="2024-03-04",
            char_start=60,
        ),
    )
    assert ids == ["M-e1", "M-e2"]


def test_another_outlet_joins_by_its_mention_on_the_same_day_before_one_a_day_off() -> None:
    c17 = {"icao_type": "C17", "count": 1, "article_id": "b"}
    tuesday = {"start": "2024-03-05", "end": "2024-03-05"}
    ids = _ids(
        _row("e1", "C-17", "A C-17 landed in Kabul on Monday.", icao_type="C17", count=1),
        _row("e2", "C-17", "The C-17 was sent back to Kabul on Tuesday.", **tuesday, **c17),
        _row("e3", "C-17", "The C-17 had landed in Kabul on Monday.", char_start=60, **c17),
    )
    assert ids == ["M-e1", "M-e2", "M-e1"]
