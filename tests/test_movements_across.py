"""The rules that join one article's movements to another's, one case each, on event rows
written by hand (what the extractor would read from `evidence` is given in the fields)."""

from movement_rows import event_row
from movement_rows import movement_ids as _ids


def _row(event_id: str, article: str, subject: str, evidence: str, **fields: object) -> dict:
    """One event row of `article`: an aircraft arriving at Kabul airport on 2024-03-04."""
    where = {"article_id": article, "destination": "Hamid Karzai International Airport"}
    return event_row(event_id, subject, evidence, **{**where, **fields})


def test_a_plane_told_without_its_type_is_the_one_typed_flight_another_outlet_tells() -> None:
    ids = _ids(
        _row("e1", "a", "Il-76", "An Il-76 landed at Kabul airport on Monday.", icao_type="IL76"),
        _row("e2", "b", "Russian plane", "A Russian plane landed at Kabul airport on Monday."),
    )
    assert ids == ["M-e1", "M-e1"]


def test_a_plane_told_without_its_type_joins_no_flight_when_two_could_be_it() -> None:
    ids = _ids(
        _row("e1", "a", "Il-76", "An Il-76 landed at Kabul airport on Monday.", icao_type="IL76"),
        _row("e2", "b", "C-17", "A C-17 landed at Kabul airport on Monday.", icao_type="C17"),
        _row("e3", "c", "plane", "A plane landed at Kabul airport on Monday."),
    )
    assert len(set(ids)) == 3


def test_a_plane_told_without_its_type_needs_tight_dates_and_a_place_narrower_than_a_land() -> None:
    loose = {"start": "2024-03-01", "end": "2024-03-07"}
    ids = _ids(
        _row("e1", "a", "Il-76", "An Il-76 landed at Kabul airport this week.", icao_type="IL76"),
        _row("e2", "b", "plane", "A plane landed at Kabul airport this week.", **loose),
    )
    assert len(set(ids)) == 2
    country = {"destination": "Afghanistan"}
    ids = _ids(
        _row("e1", "a", "Il-76", "An Il-76 landed in Afghanistan.", icao_type="IL76", **country),
        _row("e2", "b", "plane", "A plane landed in Afghanistan.", **country),
    )
    assert len(set(ids)) == 2


def test_people_told_without_names_join_across_outlets_by_size_or_noun() -> None:
    people = {"subject_kind": "personnel", "origin": "Tashkent"}
    ids = _ids(
        _row("e1", "a", "evacuees", "Forty evacuees from Tashkent landed.", count=40, **people),
        _row("e2", "b", "passengers", "40 passengers from Tashkent landed.", count=40, **people),
        _row("e3", "c", "passengers", "Sixty passengers from Tashkent landed.", count=60, **people),
    )
    assert ids[0] == ids[1] != ids[2]


def test_a_presence_another_outlet_reports_joins_the_arrival_that_began_it() -> None:
    ids = _ids(
        _row("e1", "a", "Y-20", "Six Y-20s landed at Kabul airport on Monday.", icao_type="Y20"),
        _row(
            "e2",
            "b",
            "Y-20",
            "Six Y-20s were seen at Kabul airport on Monday.",
            icao_type="Y20",
            event_type="presence",
        ),
    )
    assert ids == ["M-e1", "M-e1"]


def test_a_presence_that_began_days_after_the_arrival_stays_apart() -> None:
    ids = _ids(
        _row("e1", "a", "Y-20", "A Y-20 landed at Kabul airport on Monday.", icao_type="Y20"),
        _row(
            "e2",
            "b",
            "Y-20",
            "A Y-20 was parked at Kabul airport on Friday.",
            icao_type="Y20",
            event_type="presence",
            start="2024-03-08",
            end="2024-03-08",
        ),
    )
    assert len(set(ids)) == 2


def test_operators_named_by_one_nation_agree_and_two_nations_are_two_aircraft() -> None:
    c17 = {"icao_type": "C17"}
    ids = _ids(
        _row("e1", "a", "C-17", "A U.S. military C-17 landed.", operator="U.S. military", **c17),
        _row("e2", "b", "C-17", "An American C-17 landed.", operator="American Air Force", **c17),
        _row(
            "e3", "c", "C-17", "A British C-17 landed.", operator="British Royal Air Force", **c17
        ),
    )
    assert ids[0] == ids[1] != ids[2]


def test_one_article_keeps_apart_what_another_article_tells_once() -> None:
    c17 = {"icao_type": "C17", "count": 1}
    ids = _ids(
        _row("e1", "a", "C-17", "A C-17 landed at Kabul airport on Monday.", **c17),
        _row("e2", "a", "C-17", "Another C-17 landed there on Monday.", char_start=50, **c17),
        _row("e3", "b", "C-17", "A C-17 landed at Kabul airport on Monday.", **c17),
    )
    assert ids[0] != ids[1] and ids[2] in ids[:2]


def test_an_origin_that_is_the_destination_is_a_misread_leg_not_a_return() -> None:
    t160 = {"icao_type": "T160", "count": 2}
    ids = _ids(
        _row(
            "e1", "a", "Tu-160s", "Two Tu-160s flew from Engels to Kabul.", origin="Engels", **t160
        ),
        _row(
            "e2",
            "b",
            "Tu-160s",
            "The two Tu-160s at Kabul airport flew.",
            origin="Kabul",
            **t160,
        ),
    )
    assert ids == ["M-e1", "M-e1"]
    back = {"origin": "Kabul", "destination": "Engels"}  # the same day: its return
    ids = _ids(
        _row(
            "e1", "a", "Tu-160s", "Two Tu-160s flew from Engels to Kabul.", origin="Engels", **t160
        ),
        _row("e2", "b", "Tu-160s", "Two Tu-160s flew from Kabul to Engels.", **back, **t160),
    )
    assert len(set(ids)) == 2


def test_a_report_joins_the_flight_most_outlets_told_rather_than_the_latest() -> None:
    c17 = {"icao_type": "C17", "count": 1}
    ids = _ids(
        _row("e1", "a", "C-17", "A C-17 landed at Kabul airport on Monday.", **c17),
        _row("e2", "b", "C-17", "A C-17 landed at Kabul airport on Monday.", **c17),
        _row("e3", "b", "C-17", "Another C-17 landed there on Monday.", char_start=50, **c17),
        _row("e4", "c", "C-17", "A C-17 landed at Kabul airport on Monday.", **c17),
    )
    assert ids[0] == ids[1] == ids[3] != ids[2]


def test_one_aircraft_type_on_days_that_do_not_meet_is_two_trips_across_outlets() -> None:
    c17 = {"icao_type": "C17", "count": 1}
    thursday = {"start": "2024-03-07", "end": "2024-03-07"}
    ids = _ids(
        _row("e1", "a", "C-17", "A C-17 landed at Kabul airport on Monday.", **c17),
        _row("e2", "b", "C-17", "A C-17 landed at Kabul airport on Thursday.", **c17, **thursday),
    )
    assert len(set(ids)) == 2


def test_people_present_somewhere_are_not_the_group_another_outlet_flew_there() -> None:
    people = {"subject_kind": "personnel", "destination": "Kabul"}
    ids = _ids(
        _row("e1", "a", "engineers", "Engineers were flown to Kabul on Monday.", **people),
        _row(
            "e2",
            "b",
            "engineers",
            "Engineers stranded in Kabul waited on Monday.",
            event_type="presence",
            **people,
        ),
    )
    assert len(set(ids)) == 2
