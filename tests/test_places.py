"""Tests for timeline.places: gazetteer lookups, disambiguation and mention finding.

Coordinates are the true locations as known independently of the data files; every
resolved place must lie within 25 km of them.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.places import country_of_demonym, find_places, lookup
from timeline.resources import data_path, read_table

TOLERANCE_KM = 25.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


TRUE_LOCATIONS = [
    ("Havana", "CU", 23.13, -82.38),
    ("Caracas", "VE", 10.49, -66.88),
    ("Moscow", "RU", 55.76, 37.62),
    ("Kharkiv", "UA", 49.99, 36.23),
    ("Kharkov", "UA", 49.99, 36.23),
    ("Kyiv", "UA", 50.45, 30.52),
    ("Kiev", "UA", 50.45, 30.52),
    ("Dnipro", "UA", 48.46, 35.05),
    ("Odessa", "UA", 46.48, 30.73),
    ("Lviv", "UA", 49.84, 24.03),
    ("Donetsk", "UA", 48.00, 37.80),
    ("Torez", "UA", 48.03, 38.62),
    ("Sevastopol", "UA", 44.62, 33.52),
    ("Dubai", "AE", 25.20, 55.27),
    ("Riyadh", "SA", 24.71, 46.68),
    ("Abu Dhabi", "AE", 24.45, 54.38),
    ("Ulyanovsk", "RU", 54.32, 48.40),
    ("Khabarovsk", "RU", 48.48, 135.07),
    ("Anchorage", "US", 61.22, -149.90),
    ("Dushanbe", "TJ", 38.56, 68.79),
    ("Minsk", "BY", 53.90, 27.56),
    ("Beijing", "CN", 39.90, 116.40),
    ("Peking", "CN", 39.90, 116.40),
    ("Johannesburg", "ZA", -26.20, 28.05),
    ("New Delhi", "IN", 28.61, 77.21),
    ("Istanbul", "TR", 41.01, 28.98),
    ("Anapa", "RU", 44.89, 37.32),
    ("Belgorod", "RU", 50.60, 36.59),
    ("Tbilisi", "GE", 41.72, 44.79),
    ("Paris", "FR", 48.86, 2.35),
    ("London", "GB", 51.51, -0.13),
    ("Rome", "IT", 41.90, 12.50),
    ("Tokyo", "JP", 35.68, 139.69),
    ("Toronto", "CA", 43.65, -79.38),
    ("Kabul", "AF", 34.53, 69.17),
    ("Doha", "QA", 25.29, 51.53),
    ("Cairo", "EG", 30.04, 31.24),
    ("Tehran", "IR", 35.69, 51.39),
    ("Damascus", "SY", 33.51, 36.29),
    ("Latakia", "SY", 35.52, 35.78),
    ("Wuhan", "CN", 30.59, 114.31),
    ("Washington", "US", 38.90, -77.04),
    ("Madrid", "ES", 40.42, -3.70),
    ("Bishkek", "KG", 42.87, 74.59),
    ("Sochi", "RU", 43.60, 39.73),
    ("St. Petersburg", "RU", 59.94, 30.31),
    ("Bombay", "IN", 19.08, 72.88),
    ("Amsterdam", "NL", 52.37, 4.90),
    ("Canberra", "AU", -35.28, 149.13),
    ("Kuala Lumpur", "MY", 3.14, 101.69),
    ("Asunción", "PY", -25.26, -57.58),
    ("Asuncion", "PY", -25.26, -57.58),
    ("Dakar", "SN", 14.72, -17.47),
    ("Baghdad", "IQ", 33.31, 44.37),
    ("Beirut", "LB", 33.89, 35.50),
    ("Warsaw", "PL", 52.23, 21.01),
    ("Seoul", "KR", 37.57, 126.98),
    ("Vladivostok", "RU", 43.12, 131.89),
    ("Rostov-on-Don", "RU", 47.23, 39.72),
    ("Hmeimim", "SY", 35.40, 35.95),
    ("Khmeimim", "SY", 35.40, 35.95),
    ("Chkalovsky", "RU", 55.88, 38.06),
    ("Chkalovskiy", "RU", 55.88, 38.06),
    ("Maiquetia", "VE", 10.60, -67.00),
    ("Vnukovo", "RU", 55.60, 37.27),
    ("Sheremetyevo", "RU", 55.97, 37.41),
    ("Domodedovo", "RU", 55.41, 37.90),
    ("Nevatim", "IL", 31.21, 35.01),
    ("Al Udeid", "QA", 25.12, 51.31),
    ("Al Minhad", "AE", 25.03, 55.37),
    ("Ramstein", "DE", 49.44, 7.60),
    ("Incirlik", "TR", 37.00, 35.43),
    ("RAF Brize Norton", "GB", 51.75, -1.58),
    ("Pratica di Mare", "IT", 41.65, 12.45),
    ("Eindhoven Air Base", "NL", 51.45, 5.37),
    ("Learmonth", "AU", -22.24, 114.09),
    ("Toronto Pearson", "CA", 43.68, -79.63),
    ("Kabul airport", "AF", 34.57, 69.21),
    ("Hamid Karzai International Airport", "AF", 34.57, 69.21),
    ("Istanbul Ataturk Airport", "TR", 40.98, 28.82),
    ("Hostomel", "UA", 50.60, 30.19),
    ("Gostomel", "UA", 50.60, 30.19),
    ("Haneda", "JP", 35.55, 139.78),
    ("Narita", "JP", 35.77, 140.39),
    ("Fiumicino", "IT", 41.80, 12.25),
    ("Ciampino", "IT", 41.80, 12.59),
    ("Dulles", "US", 38.95, -77.46),
    ("Andrews Air Force Base", "US", 38.81, -76.87),
    ("Dover AFB", "US", 39.13, -75.47),
    ("March ARB", "US", 33.88, -117.26),
    ("Diego Garcia", "IO", -7.31, 72.41),
    ("Hickam", "US", 21.33, -157.95),
    ("Bagram", "AF", 34.95, 69.27),
    ("Sea of Azov", "", 46.0, 36.5),
    ("SVMI", "VE", 10.60, -67.00),
]

COUNTRIES = [
    ("Senegal", "SN"),
    ("Paraguay", "PY"),
    ("Venezuela", "VE"),
    ("Russia", "RU"),
    ("Ukraine", "UA"),
    ("United States", "US"),
    ("Britain", "GB"),
    ("UAE", "AE"),
    ("Saudi Arabia", "SA"),
    ("Qatar", "QA"),
    ("Tajikistan", "TJ"),
    ("Kyrgyzstan", "KG"),
    ("Belarus", "BY"),
    ("Syria", "SY"),
    ("Turkey", "TR"),
    ("Italy", "IT"),
    ("Holland", "NL"),
    ("Afghanistan", "AF"),
    ("Cuba", "CU"),
    ("Ivory Coast", "CI"),
    ("Burma", "MM"),
    ("Czechia", "CZ"),
]


def test_at_least_eighty_names_are_checked() -> None:
    assert len(TRUE_LOCATIONS) + len(COUNTRIES) >= 80


@pytest.mark.parametrize(("name", "country", "lat", "lon"), TRUE_LOCATIONS)
def test_lookup_places_within_25_km(name: str, country: str, lat: float, lon: float) -> None:
    place = lookup(name)
    assert place is not None, name
    assert place.country == country
    assert place.lat is not None and place.lon is not None
    assert km(place.lat, place.lon, lat, lon) <= TOLERANCE_KM, place


@pytest.mark.parametrize(("name", "country"), COUNTRIES)
def test_lookup_countries(name: str, country: str) -> None:
    place = lookup(name)
    assert place is not None and place.kind == "country" and place.country == country


def test_canonical_names_are_the_ones_news_uses() -> None:
    assert lookup("Maiquetia").name == "Simón Bolívar International Airport"
    assert lookup("Maiquetia").icao == "SVMI"
    assert lookup("Brize Norton").name == "RAF Brize Norton"
    assert lookup("Pearson").name == "Toronto Pearson International Airport"
    assert lookup("Kabul airport").name == "Hamid Karzai International Airport"
    assert lookup("Kiev").name == "Kyiv"
    assert lookup("Khmeimim").kind == "airbase"
    assert lookup("Dover AFB").kind == "airbase"


def test_country_name_beats_town_of_the_same_name() -> None:
    place = lookup("Venezuela")
    assert place.kind == "country" and place.country == "VE"


def test_georgia_follows_context() -> None:
    caucasus = lookup("Georgia", context="Talks in Tbilisi, with Russia watching Abkhazia.")
    assert caucasus.country == "GE" and caucasus.kind == "country"
    state = lookup("Georgia", context="The plane left Atlanta for Savannah and then Florida.")
    assert state.country == "US" and state.kind == "region"


def test_population_decides_without_context() -> None:
    assert lookup("Paris").country == "FR"
    assert lookup("Moscow").country == "RU"


def test_context_moves_a_small_namesake() -> None:
    assert lookup("Moscow", context="a college town in Idaho").country == "US"


def test_names_that_are_not_places() -> None:
    assert lookup("Washington Post") is None
    assert lookup("Sky Prime Aviation") is None


def test_lookup_by_code_and_phrase() -> None:
    assert lookup("UUEE").name == "Sheremetyevo International Airport"
    assert lookup("Belgorod region").kind == "region"
    havana = lookup("Havana, Cuba")
    assert havana.name == "Havana" and havana.country == "CU"


def test_demonyms() -> None:
    assert country_of_demonym("Russian").country == "RU"
    assert country_of_demonym("Saudi").name == "Saudi Arabia"
    assert country_of_demonym("belarusian").country == "BY"
    assert country_of_demonym("Martian") is None


def spans(text: str) -> list[tuple[str, str]]:
    """(text as written, canonical name) of each mention."""
    return [(m.text, m.place.name) for m in find_places(text)]


def test_raf_base_and_county() -> None:
    text = "The jet landed at RAF Brize Norton in Oxfordshire on Friday."
    found = find_places(text)
    assert [(m.text, m.place.name) for m in found] == [
        ("RAF Brize Norton", "RAF Brize Norton"),
        ("Oxfordshire", "Oxfordshire"),
    ]
    assert text[found[0].start : found[0].end] == "RAF Brize Norton"
    assert found[1].place.kind == "region"


def test_possessive_city_airport_is_one_mention() -> None:
    found = find_places("The charter touched down at Tokyo's Haneda airport at dawn.")
    assert len(found) == 1
    assert found[0].text == "Tokyo's Haneda airport"
    assert found[0].place.icao == "RJTT"


def test_a_two_word_city_owns_its_airport() -> None:
    found = find_places("The airliner diverted to New York's JFK Airport on one engine.")
    assert [(m.text, m.place.kind) for m in found] == [("New York's JFK Airport", "airport")]


def test_military_airfield_outside_city() -> None:
    text = "The Il-76 took off from the Chkalovsky military airfield outside Moscow."
    assert spans(text) == [
        ("Chkalovsky military airfield", "Chkalovsky"),
        ("Moscow", "Moscow"),
    ]


def test_city_country_pair_is_the_city() -> None:
    found = find_places("The jet flew into Havana, Cuba, via Senegal and Paraguay.")
    assert [(m.text, m.place.name, m.place.kind) for m in found] == [
        ("Havana, Cuba", "Havana", "city"),
        ("Senegal", "Senegal", "country"),
        ("Paraguay", "Paraguay", "country"),
    ]


def test_city_state_pair_picks_the_namesake_in_that_state() -> None:
    found = find_places("They were quarantined in Moscow, Idaho, for two weeks.")
    assert len(found) == 1 and found[0].place.country == "US"
    assert found[0].text == "Moscow, Idaho"


def test_region_patterns() -> None:
    found = find_places("A transport plane crashed in the Belgorod region on Wednesday.")
    assert [(m.text, m.place.name) for m in found] == [("Belgorod region", "Belgorod region")]
    assert found[0].place.country == "RU"
    assert km(found[0].place.lat, found[0].place.lon, 50.60, 36.59) <= TOLERANCE_KM
    county = find_places("The base lies in Riverside County, California.")
    assert county[0].text == "Riverside County, California"
    assert county[0].place.country == "US" and county[0].place.kind == "region"
    assert km(county[0].place.lat, county[0].place.lon, 33.95, -117.40) <= TOLERANCE_KM


def test_seas_and_named_regions() -> None:
    found = find_places("Drones flew over the Sea of Azov and the Black Sea toward Crimea.")
    assert [(m.text, m.place.kind) for m in found] == [
        ("Sea of Azov", "sea"),
        ("Black Sea", "sea"),
        ("Crimea", "region"),
    ]
    assert spans("Flights left Western Australia and Lombardy.") == [
        ("Western Australia", "Western Australia"),
        ("Lombardy", "Lombardy"),
    ]


def test_airfield_suffix_patterns() -> None:
    text = (
        "It stopped at Al Udeid Air Base, then Dover Air Force Base and March Air Reserve "
        "Base, and later Engels air base."
    )
    names = [m.place.name for m in find_places(text)]
    assert names == [
        "Al Udeid Air Base",
        "Dover Air Force Base",
        "March Air Reserve Base",
        "Engels-2 Air Base",
    ]
    engels = find_places("Bombers returned to Engels air base.")[0].place
    assert km(engels.lat, engels.lon, 51.48, 46.21) <= TOLERANCE_KM


def test_airport_named_after_its_city() -> None:
    found = find_places(
        "The last flight left Kabul airport and Toronto Pearson International Airport."
    )
    assert [m.place.icao for m in found] == ["OAKB", "CYYZ"]


def test_air_base_at_city() -> None:
    found = find_places("Troops flew to the military air base at Latakia on Monday.")
    assert len(found) == 1 and found[0].text == "military air base at Latakia"
    assert found[0].place.name == "Hmeimim Air Base"


def test_unknown_air_base_keeps_its_name_without_coordinates() -> None:
    found = find_places("Jets were seen at Zorblax air base yesterday.")
    assert len(found) == 1 and found[0].place.name == "Zorblax Air Base"
    assert found[0].place.kind == "airbase" and found[0].place.lat is None


def test_airport_codes_only_in_airport_context() -> None:
    found = find_places("It landed at Sheremetyevo (ICAO: UUEE) at noon.")
    assert [m.text for m in found] == ["Sheremetyevo", "UUEE"]
    assert found[1].place.name == "Sheremetyevo International Airport"
    assert find_places("Officials said the SVO would continue.") == []


def test_demonym_capital() -> None:
    found = find_places("The jet left the Saudi capital, then the Ukrainian capital.")
    assert [(m.text, m.place.name) for m in found] == [
        ("the Saudi capital", "Riyadh"),
        ("the Ukrainian capital", "Kyiv"),
    ]
    assert find_places("It flew to the Belarusian capital.")[0].place.name == "Minsk"
    assert find_places("It flew to Ukraine's capital.")[0].place.name == "Kyiv"


def test_us_as_noun_but_not_as_modifier() -> None:
    assert find_places("U.S. Air Force jets and U.S. officials met.") == []
    found = find_places("The jets returned to the U.S. on Friday.")
    assert [m.text for m in found] == ["U.S."] and found[0].place.country == "US"
    assert spans("He flew to the United States.") == [("United States", "United States")]
    assert find_places("Us and them.") == []
    late = find_places("The tanker took off in the UK early this morning.")
    assert [(m.text, m.place.country) for m in late] == [("UK", "GB")]


def test_capitalised_non_places() -> None:
    assert find_places("Khashoggi was a Washington Post columnist.") == []
    assert find_places("Gen. Kenneth McKenzie spoke to Jamal Khashoggi.") == []
    assert find_places("Russian Aerospace Forces and Volga-Dnepr Airlines flew.") == []
    assert find_places("A Riyadh-based firm, Sky Prime Aviation, owns it.")[0].text == "Riyadh"
    assert find_places("In May, on Monday and in March, it flew.") == []
    assert find_places("A C-130 Hercules landed.") == []


def test_sentence_initial_common_words() -> None:
    assert find_places("Nice to see you. Reading is fun. Mobile phones rang.") == []
    assert spans("The jet flew to Nice on Monday.") == [("Nice", "Nice")]


def test_sentence_initial_big_city_and_dateline() -> None:
    assert spans("Moscow said the crew died.") == [("Moscow", "Moscow")]
    found = find_places("ISTANBUL — Two jets landed at Ataturk Airport.")
    assert [(m.text, m.place.name) for m in found] == [
        ("ISTANBUL", "Istanbul"),
        ("Ataturk Airport", "Istanbul Atatürk Airport"),
    ]


def test_offsets_match_text() -> None:
    text = "Jets from Moscow's Vnukovo airport reached Havana, Cuba, then Caracas."
    for mention in find_places(text):
        assert text[mention.start : mention.end] == mention.text
    assert [m.place.icao for m in find_places(text)][:1] == ["UUWW"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Moscow",
                "the",
                "air",
                "base",
                "Air",
                "Base",
                "at",
                ",",
                "Cuba",
                "Havana",
                "'s",
                "RAF",
                "region",
                "U.S.",
                "capital",
                "Saudi",
                "airport",
                "\n",
                ".",
                "Sea",
                "of",
                "Azov",
                "Brize",
                "Norton",
                "-",
                "ICAO",
                "UUEE",
                "Georgia",
            ]
        ),
        max_size=40,
    )
)
def test_mentions_are_sorted_non_overlapping_and_exact(words: list[str]) -> None:
    text = " ".join(words)
    found = find_places(text)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start


def test_data_files() -> None:
    assert data_path("geonames_cities.tsv").stat().st_size < 3_000_000
    overlay = [row for _, row in read_table("places.csv")]
    assert len(overlay) > 100
    for row in overlay:
        assert lookup(row["name"]).name == row["name"], row["name"]


def test_an_airfield_named_once_in_full_is_found_by_its_bare_name_later() -> None:
    text = "Six jets arrived at Lask Air Base on Friday. A C-17 landed at Lask an hour later."
    found = find_places(text)
    assert [(m.text, m.rule) for m in found] == [
        ("Lask Air Base", found[0].rule),
        ("Lask", "short_name"),
    ]
    assert found[1].place == found[0].place


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Four B-1Bs landed at Andersen on Monday.", "Andersen Air Force Base"),
        ("The Ryanair jet diverted to Shannon.", "Shannon Airport"),
        ("Cargo flights went to the T4 airbase.", "Tiyas Air Base"),
        ("The C-17 landed at Hindon before dawn.", "Hindon Air Force Station"),
    ],
)
def test_military_airfields_by_their_short_names(sentence: str, name: str) -> None:
    assert [m.place.name for m in find_places(sentence)] == [name]


def test_a_surname_shared_with_an_air_base_is_not_the_base() -> None:
    assert find_places("Andrews said the tanker landed.") == []


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        (
            "The jets landed at the Waterkloof Air Force base on Monday.",
            "Waterkloof Air Force Base",
        ),
        ("The jets landed at Incirlik air base on Monday.", "Incirlik"),
        ("The jets landed at Ramstein Air Base on Monday.", "Ramstein Air Base"),
    ],
)
def test_an_airfield_is_cited_without_a_lower_case_descriptor_but_never_by_half_an_affix(
    text: str, cited: str
) -> None:
    [mention] = find_places(text)
    assert mention.cited == cited


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The C-130s flew to St. Martin on Friday.", "Saint Martin"),
        ("Troops from Ft. Bragg flew out on Friday.", "Fort Bragg"),
        ("The jet landed in St. Petersburg on Friday.", "Saint Petersburg"),
    ],
)
def test_a_place_name_may_open_with_its_abbreviation(text: str, name: str) -> None:
    assert [m.place.name for m in find_places(text)] == [name]


def test_an_abbreviation_that_ends_a_sentence_joins_no_name() -> None:
    assert [m.place.name for m in find_places("They met on Main St. Oslo was quiet.")] == ["Oslo"]
