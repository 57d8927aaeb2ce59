"""The offline gazetteer: places by name, code and demonym, loaded once per process from
`data/places.csv`, `data/geonames_cities.tsv`, `data/countries.tsv`, `data/admin_regions.tsv`,
`data/place_affixes.csv`, `data/demonyms.csv`, `data/place_stopwords.csv` and airportsdata."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache

import airportsdata

from timeline.model import Place
from timeline.resources import ResourceError, read_table
from timeline.tokens import name_key

_SHORT_WORDS = {row["word"]: row["short"] for _, row in read_table("places/name_abbreviations.tsv")}
"""Opening words of place names and their abbreviations (data/places/name_abbreviations.tsv)."""

EVIDENCE_WEIGHT = 3.0
"""One piece of context evidence outweighs this many orders of magnitude of population."""
TIER_OVERLAY, TIER_ADMIN, TIER_CITY, TIER_ALTERNATE = 0, 1, 2, 3
AIRFIELD_KINDS = frozenset({"airport", "airbase", "airfield"})


def _distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places with coordinates."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def within_km(a: Place, b: Place, km: float) -> bool:
    """Within `km` of each other; without coordinates, in the same country."""
    if a.lat is None or b.lat is None:
        return a.country == b.country
    return _distance_km(a, b) <= km


@dataclass(frozen=True, slots=True)
class Entry:
    """One way a name can be read: the place, its source tier, population and admin area."""

    place: Place
    tier: int
    population: int = 0
    admin1: str = ""
    city: str = ""


@dataclass(frozen=True, slots=True)
class Affix:
    words: str
    position: str
    kind: str
    country: str
    display: str
    unknown_ok: bool = False


def _float(value: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ResourceError(f"{where}: bad coordinate {value!r}") from None


class Gazetteer:
    """All place names, indexed by folded key, with the evidence used to disambiguate them."""

    def __init__(self) -> None:
        self.names: dict[str, list[Entry]] = {}
        self.prefixes: set[str] = set()
        self.abbreviations: set[str] = set()
        self.airfields: dict[str, list[Entry]] = {}
        self.airfields_by_city: dict[str, list[Entry]] = {}
        self.codes: dict[str, Place] = {}
        self.demonyms: dict[str, str] = {}
        self.countries: dict[str, Place] = {}
        self.country_keys: dict[str, set[str]] = {}
        self.capitals: dict[str, str] = {}
        self.neighbours: dict[str, list[str]] = {}
        self.top_cities: dict[tuple[str, str], list[str]] = {}
        self.state_keys: dict[str, str] = {}
        self.stop_always: set[str] = set()
        self.stop_initial: set[str] = set()
        self.affixes: dict[str, list[Affix]] = {}
        self.affix_prefixes: set[str] = set()
        self.strip_words: set[str] = set()
        self.affix_words: set[str] = set()
        self._load_affixes()
        self._load_countries()
        self._load_admin_regions()
        self._load_cities()
        airports = airportsdata.load()
        self._load_overlay(airports)
        self._load_airportsdata(airports)
        self._load_demonyms()
        self._load_stopwords()

    def _add(self, index: dict[str, list[Entry]], name: str, entry: Entry) -> str:
        key = name_key(name)
        if not key:
            return key
        first, _, rest = key.partition(" ")
        if rest and first in _SHORT_WORDS:  # "saint martin" is also "st martin"
            self._add_key(index, f"{_SHORT_WORDS[first]} {rest}", entry, upper=False)
        return self._add_key(index, key, entry, upper=name.isupper())

    def _add_key(
        self, index: dict[str, list[Entry]], key: str, entry: Entry, *, upper: bool
    ) -> str:
        """File `entry` under `key` (and its prefixes, and as an abbreviation when `upper`)."""
        bucket = index.setdefault(key, [])
        if not any(known is entry for known in bucket):
            bucket.append(entry)
        if index is self.names:
            if " " in key:
                words = key.split(" ")
                for n in range(1, len(words)):
                    self.prefixes.add(" ".join(words[:n]))
            self.prefixes.add(key)
            if upper:
                self.abbreviations.add(key)
        return key

    def _load_affixes(self) -> None:
        for number, row in read_table("place_affixes.csv"):
            if row["position"] not in ("prefix", "suffix", "strip"):
                raise ResourceError(f"place_affixes.csv:{number}: bad position {row['position']}")
            key = name_key(row["affix"])
            self.affix_words.update(key.split(" "))
            if row["position"] == "strip":
                self.strip_words.add(key)
                continue
            same = self.affixes.setdefault(key, [])
            if any(a.position == row["position"] for a in same):
                raise ResourceError(f"place_affixes.csv:{number}: duplicate affix {row['affix']}")
            same.append(
                Affix(
                    key,
                    row["position"],
                    row["kind"],
                    row["country"],
                    row["display"],
                    row.get("unknown") == "1",
                )
            )
            words = key.split(" ")
            for n in range(1, len(words) + 1):
                self.affix_prefixes.add(" ".join(words[:n]))

    def _load_countries(self) -> None:
        for number, row in read_table("countries.tsv"):
            where = f"countries.tsv:{number}"
            place = Place(
                row["name"],
                row["iso2"],
                _float(row["lat"], where),
                _float(row["lon"], where),
                "country",
            )
            self.countries[row["iso2"]] = place
            entry = Entry(place, TIER_ADMIN, int(row["population"] or 0))
            keys = {self._add(self.names, row["name"], entry)}
            for alias in filter(None, row["aliases"].split("|")):
                keys.add(self._add(self.names, alias, entry))
            self.country_keys[row["iso2"]] = keys
            self.capitals[row["iso2"]] = name_key(row["capital"])
            self.neighbours[row["iso2"]] = list(filter(None, row["neighbours"].split("|")))

    def _load_admin_regions(self) -> None:
        for number, row in read_table("admin_regions.tsv"):
            where = f"admin_regions.tsv:{number}"
            place = Place(
                row["name"],
                row["country"],
                _float(row["lat"], where),
                _float(row["lon"], where),
                "region",
            )
            entry = Entry(place, TIER_ADMIN, int(row["population"] or 0), row["admin1"])
            key = self._add(self.names, row["name"], entry)
            self.state_keys[f"{row['country']}.{row['admin1']}"] = key

    def _load_cities(self) -> None:
        for number, row in read_table("geonames_cities.tsv"):
            where = f"geonames_cities.tsv:{number}"
            place = Place(
                row["name"],
                row["country"],
                _float(row["lat"], where),
                _float(row["lon"], where),
                "city",
            )
            population = int(row["population"] or 0)
            entry = Entry(place, TIER_CITY, population, row["admin1"])
            key = self._add(self.names, row["name"], entry)
            if row["asciiname"]:
                self._add(self.names, row["asciiname"], entry)
            if row["alternatenames"]:
                alternate = replace(entry, tier=TIER_ALTERNATE)
                for alias in row["alternatenames"].split("|"):
                    self._add(self.names, alias, alternate)
            for area in (row["admin1"], ""):
                top = self.top_cities.setdefault((row["country"], area), [])
                if len(top) < 3:
                    top.append(key)

    def _load_overlay(self, airports: dict[str, dict]) -> None:
        for number, row in read_table("places.csv"):
            where = f"places.csv:{number}"
            icao, lat, lon = row["icao"], row["lat"], row["lon"]
            if not lat and icao:
                if icao not in airports:
                    raise ResourceError(f"{where}: {icao} not in airportsdata and no lat/lon")
                lat, lon = str(airports[icao]["lat"]), str(airports[icao]["lon"])
            if not row["kind"]:
                raise ResourceError(f"{where}: missing kind")
            place = Place(
                row["name"],
                row["country"],
                _float(lat, where),
                _float(lon, where),
                row["kind"],
                icao,
                row["iata"],
            )
            entry = Entry(place, TIER_OVERLAY, city=name_key(row["city"]))
            names = [row["name"], *filter(None, row["aliases"].split("|"))]
            for name in names:
                self._add(self.names, name, entry)
            if row["kind"] == "country":
                self.countries[row["country"]] = place
                self.country_keys.setdefault(row["country"], set()).update(map(name_key, names))
            if row["kind"] in AIRFIELD_KINDS:
                for name in names:
                    for core in self._airfield_cores(name):
                        self._add(self.airfields, core, entry)
                if row["city"]:
                    self._add(self.airfields_by_city, row["city"], entry)
                for code in (icao, row["iata"]):
                    if code:
                        self.codes.setdefault(code, place)

    def _airfield_cores(self, name: str) -> Iterator[str]:
        """The name and the name without airfield words: "Kabul International Airport" → "Kabul".

        Each part of a name with parentheses or slashes counts; parts that are only airfield
        words or carry digits ("(BA 125)") are not names.
        """
        for part in re.split(r"[()/]", name):
            full = name_key(part)
            words = full.split(" ")
            changed = True
            while changed and words:
                changed = False
                for n in range(min(4, len(words)), 0, -1):
                    tail = " ".join(words[-n:])
                    kinds = {a.kind for a in self.affixes.get(tail, []) if a.position == "suffix"}
                    if tail in self.strip_words or kinds & AIRFIELD_KINDS:
                        words = words[:-n]
                        changed = True
                        break
            if not words or any(c.isdigit() for c in full):
                continue
            yield full
            yield " ".join(words)
            for n in (2, 1):
                heads = self.affixes.get(" ".join(words[:n]), [])
                if any(a.position == "prefix" for a in heads) and len(words) > n:
                    yield " ".join(words[n:])

    def _load_airportsdata(self, airports: dict[str, dict]) -> None:
        military = re.compile(r"\b(Air Base|AB|Afb|Arb|Air Force|RAF|RAAF|Naval|Military)\b")
        for icao, row in sorted(airports.items()):
            if icao in self.codes:
                continue
            kind = "airbase" if military.search(row["name"]) else "airport"
            place = Place(
                row["name"], row["country"], row["lat"], row["lon"], kind, icao, row["iata"]
            )
            self.codes.setdefault(icao, place)
            if row["iata"]:
                self.codes.setdefault(row["iata"], place)
            if not row["iata"] and kind == "airport":
                continue
            entry = Entry(place, TIER_CITY if row["iata"] else TIER_ALTERNATE)
            for core in self._airfield_cores(row["name"]):
                self._add(self.airfields, core, entry)
            if row["city"]:
                self._add(self.airfields_by_city, row["city"], entry)

    def _load_demonyms(self) -> None:
        for number, row in read_table("demonyms.csv"):
            if row["country"] not in self.countries:
                raise ResourceError(f"demonyms.csv:{number}: unknown country {row['country']}")
            self.demonyms[name_key(row["demonym"])] = row["country"]

    def _load_stopwords(self) -> None:
        for number, row in read_table("place_stopwords.csv"):
            target = {"always": self.stop_always, "initial": self.stop_initial}.get(row["scope"])
            if target is None:
                raise ResourceError(f"place_stopwords.csv:{number}: bad scope {row['scope']}")
            target.add(name_key(row["word"]))

    def evidence(self, entry: Entry, context: frozenset[str], key: str) -> int:
        """How many names in the context support this reading of `key` (at most 3)."""
        place = entry.place
        terms: set[str] = {f"#{place.country}"}
        if place.kind == "country":
            terms.add(self.capitals.get(place.country, ""))
            terms.update(self.top_cities.get((place.country, ""), []))
            for neighbour in self.neighbours.get(place.country, []):
                terms.update(self.country_keys.get(neighbour, ()))
        elif place.country == "US" and entry.admin1 and entry.tier == TIER_ADMIN:
            terms.update(self.top_cities.get(("US", entry.admin1), []))
            terms.update(k for s, k in self.state_keys.items() if s.startswith("US."))
        elif place.country == "US" and entry.admin1:
            terms.add(self.state_keys.get(f"US.{entry.admin1}", ""))
        else:
            terms.update(self.country_keys.get(place.country, ()))
        terms.discard(key)
        return min(3, len(terms & context))

    def choose(
        self,
        entries: Iterable[Entry],
        context: frozenset[str] = frozenset(),
        key: str = "",
        hint: Entry | None = None,
    ) -> Entry | None:
        """The best reading: hinted area first, then source tier, then evidence and population."""
        pool = list(entries)
        if hint is not None:
            pool = [e for e in pool if self._inside(e, hint)]
        if len(pool) <= 1:
            return pool[0] if pool else None
        return min(
            pool,
            key=lambda e: (
                e.tier,
                -(EVIDENCE_WEIGHT * self.evidence(e, context, key) + math.log10(e.population + 10)),
            ),
        )

    @staticmethod
    def _inside(entry: Entry, area: Entry) -> bool:
        if entry.place.country != area.place.country or entry is area:
            return False
        return area.place.kind == "country" or (bool(area.admin1) and entry.admin1 == area.admin1)

    def capital_of(self, country: str) -> Place | None:
        """The capital city of a country (ISO2), as a gazetteer place."""
        key = self.capitals.get(country, "")
        area = Entry(self.countries[country], TIER_ADMIN) if country in self.countries else None
        if area is None:
            return None
        best = self.choose(
            (e for e in self.names.get(key, []) if e.place.kind == "city"), hint=area
        )
        return best.place if best else None


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    return Gazetteer()


def country_of_demonym(word: str) -> Place | None:
    """The country a demonym or nationality adjective refers to ("Saudi" → Saudi Arabia)."""
    gaz = gazetteer()
    iso = gaz.demonyms.get(name_key(word))
    return gaz.countries.get(iso) if iso else None
