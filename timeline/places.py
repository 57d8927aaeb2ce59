"""Place knowledge: an offline gazetteer and a finder of place names in running news text.

Knowledge is data (`data/places.csv`, `data/geonames_cities.tsv`, `data/countries.tsv`,
`data/admin_regions.tsv`, `data/place_affixes.csv`, `data/demonyms.csv`,
`data/place_stopwords.csv`) plus airportsdata, all loaded once per process.

Mention rules (see `find_places`):
- a name is reported only where a place is named: a capitalised name that is part of a longer
  capitalised name ("Washington Post", "Volga-Dnepr Airlines", "Jamal Khashoggi") is not one;
- abbreviations of countries ("U.S.", "UK") count only when used as a noun ("in the U.S."),
  not as a modifier ("U.S. Air Force", "U.S. officials");
- demonyms ("Russian") are never mentions; `country_of_demonym` maps them to a country;
- "City, Country" and "City, State" are one mention of the city, resolved inside that country
  or state; the country part is absorbed into the span;
- a leading "the" is not part of a name's span, except in "the <demonym> capital".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache

import airportsdata

from timeline.model import Place, PlaceMention
from timeline.resources import ResourceError, read_table
from timeline.spans import filter_spans, fold

INITIAL_MIN_POPULATION = 100_000
"""A GeoNames town capitalised only by its sentence position must be at least this big."""
AIRPORT_RADIUS_KM = 60.0
"""An airport named after a city ("Kabul airport") lies within this distance of it."""
EVIDENCE_WEIGHT = 3.0
"""One piece of context evidence outweighs this many orders of magnitude of population."""
CHUNK_CHARS = 100_000
MAX_NAME_TOKENS = 8
MAX_RUN_TOKENS = 5

_TOKEN = re.compile(r"[^\W\d_](?:\.[^\W\d_])+\.?|\w+(?:['’]\w+)*")
_SENTENCE_BREAK = re.compile(r"[.!?\n:“\"—]")
_ONLY_SPACE = re.compile(r"[ \t\-]*")
_CONNECTORS = frozenset(
    [
        "of",
        "and",
        "the",
        "de",
        "la",
        "del",
        "di",
        "al",
        "el",
        "da",
        "du",
        "on",
        "upon",
        "am",
        "an",
        "der",
        "des",
        "le",
        "les",
        "y",
        "e",
        "'s",
    ]
)
_FUNCTION = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "at",
        "from",
        "to",
        "on",
        "for",
        "by",
        "with",
        "and",
        "but",
        "near",
        "outside",
        "inside",
        "into",
        "over",
        "across",
        "after",
        "before",
        "since",
        "via",
        "while",
        "when",
        "as",
        "both",
        "like",
        "unlike",
        "throughout",
        "within",
        "under",
        "above",
        "beyond",
        "through",
        "toward",
        "towards",
        "meanwhile",
        "yet",
        "so",
        "or",
        "also",
        "then",
        "there",
        "here",
        "this",
        "that",
        "these",
        "those",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "if",
        "though",
        "although",
        "because",
        "where",
        "which",
        "who",
        "what",
        "how",
        "why",
        "once",
        "back",
        "even",
        "only",
        "just",
        "more",
        "most",
        "many",
        "some",
        "several",
        "other",
        "another",
        "each",
        "every",
        "all",
        "no",
        "not",
    ]
)
_NOUN_FOLLOWERS = _FUNCTION | frozenset(
    [
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "had",
        "have",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "did",
        "does",
        "do",
        "said",
        "says",
        "say",
        "told",
        "reported",
        "announced",
        "last",
        "next",
        "earlier",
        "later",
        "again",
        "instead",
        "too",
        "yesterday",
        "today",
        "tonight",
        "tomorrow",
    ]
)
_CODE_CUES = frozenset(
    ["icao", "iata", "code", "airport", "airfield", "aerodrome", "airbase", "base"]
)
_TIER_OVERLAY, _TIER_ADMIN, _TIER_CITY, _TIER_ALTERNATE = 0, 1, 2, 3
_AIRFIELD_KINDS = frozenset({"airport", "airbase", "airfield"})
_SETTLEMENT_WORDS = frozenset({"village", "town", "hamlet", "settlement", "city", "township"})


class _Token:
    """One word of the text: offsets, folded form and the capitalisation facts rules use."""

    __slots__ = ("cap", "end", "initial", "joined", "line_start", "norm", "start", "upper")

    def __init__(
        self,
        start: int,
        end: int,
        norm: str,
        cap: bool,
        upper: bool,
        initial: bool,
        joined: bool,
        line_start: bool,
    ) -> None:
        self.start = start
        self.end = end
        self.norm = norm
        self.cap = cap
        self.upper = upper
        self.initial = initial
        self.joined = joined
        self.line_start = line_start


def _tokens(text: str, offset: int = 0) -> list[_Token]:
    """Word tokens with their offsets; a possessive "'s" is a token of its own."""
    out: list[_Token] = []
    previous_end = 0
    breaks = _SENTENCE_BREAK.search
    only_space = _ONLY_SPACE.fullmatch
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = match.group()
        if out:
            gap = text[previous_end:start]
            if gap == " ":
                initial, joined, line_start = False, True, False
            else:
                initial = breaks(gap) is not None
                joined = only_space(gap) is not None
                line_start = "\n" in gap
        else:
            initial, joined, line_start = True, False, True
        split = len(word) > 2 and word[-2:] in ("'s", "’s", "'S", "’S")
        core = word[:-2] if split else word
        core_end = end - 2 if split else end
        out.append(
            _Token(
                offset + start,
                offset + core_end,
                core.casefold() if core.isascii() else fold(core),
                core[0].isupper(),
                len(core) > 1 and core.isupper(),
                initial,
                joined,
                line_start,
            )
        )
        if split:
            out.append(
                _Token(offset + core_end, offset + end, "'s", False, False, False, True, False)
            )
        previous_end = end
    return out


def _key(name: str) -> str:
    """The index key of a name: its folded tokens joined by spaces, as `_tokens` folds them."""
    if name.isascii() and name.replace(" ", "").isalpha():
        return " ".join(name.casefold().split())
    words = []
    for word in _TOKEN.findall(fold(name)):
        if len(word) > 2 and word.endswith("'s"):
            words.extend((word[:-2], "'s"))
        else:
            words.append(word)
    return " ".join(words)


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
class _Entry:
    """One way a name can be read: the place, its source tier, population and admin area."""

    place: Place
    tier: int
    population: int = 0
    admin1: str = ""
    city: str = ""


@dataclass(frozen=True, slots=True)
class _Affix:
    words: str
    position: str
    kind: str
    country: str
    display: str
    unknown_ok: bool = False


@dataclass(frozen=True, slots=True)
class _Match:
    """A raw name match over tokens [i, j) with its key and readings."""

    i: int
    j: int
    key: str
    entries: tuple[_Entry, ...]


def _float(value: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ResourceError(f"{where}: bad coordinate {value!r}") from None


class Gazetteer:
    """All place names, indexed by folded key, with the evidence used to disambiguate them."""

    def __init__(self) -> None:
        self.names: dict[str, list[_Entry]] = {}
        self.prefixes: set[str] = set()
        self.abbreviations: set[str] = set()
        self.airfields: dict[str, list[_Entry]] = {}
        self.airfields_by_city: dict[str, list[_Entry]] = {}
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
        self.affixes: dict[str, list[_Affix]] = {}
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

    def _add(self, index: dict[str, list[_Entry]], name: str, entry: _Entry) -> str:
        key = _key(name)
        if not key:
            return key
        bucket = index.setdefault(key, [])
        if not any(known is entry for known in bucket):
            bucket.append(entry)
        if index is self.names:
            if " " in key:
                words = key.split(" ")
                for n in range(1, len(words)):
                    self.prefixes.add(" ".join(words[:n]))
            self.prefixes.add(key)
            if name.isupper():
                self.abbreviations.add(key)
        return key

    def _load_affixes(self) -> None:
        for number, row in read_table("place_affixes.csv"):
            if row["position"] not in ("prefix", "suffix", "strip"):
                raise ResourceError(f"place_affixes.csv:{number}: bad position {row['position']}")
            key = _key(row["affix"])
            self.affix_words.update(key.split(" "))
            if row["position"] == "strip":
                self.strip_words.add(key)
                continue
            same = self.affixes.setdefault(key, [])
            if any(a.position == row["position"] for a in same):
                raise ResourceError(f"place_affixes.csv:{number}: duplicate affix {row['affix']}")
            same.append(
                _Affix(
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
            entry = _Entry(place, _TIER_ADMIN, int(row["population"] or 0))
            keys = {self._add(self.names, row["name"], entry)}
            for alias in filter(None, row["aliases"].split("|")):
                keys.add(self._add(self.names, alias, entry))
            self.country_keys[row["iso2"]] = keys
            self.capitals[row["iso2"]] = _key(row["capital"])
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
            entry = _Entry(place, _TIER_ADMIN, int(row["population"] or 0), row["admin1"])
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
            entry = _Entry(place, _TIER_CITY, population, row["admin1"])
            key = self._add(self.names, row["name"], entry)
            if row["asciiname"]:
                self._add(self.names, row["asciiname"], entry)
            if row["alternatenames"]:
                alternate = replace(entry, tier=_TIER_ALTERNATE)
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
            entry = _Entry(place, _TIER_OVERLAY, city=_key(row["city"]))
            names = [row["name"], *filter(None, row["aliases"].split("|"))]
            for name in names:
                self._add(self.names, name, entry)
            if row["kind"] == "country":
                self.countries[row["country"]] = place
                self.country_keys.setdefault(row["country"], set()).update(map(_key, names))
            if row["kind"] in _AIRFIELD_KINDS:
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
            full = _key(part)
            words = full.split(" ")
            changed = True
            while changed and words:
                changed = False
                for n in range(min(4, len(words)), 0, -1):
                    tail = " ".join(words[-n:])
                    kinds = {a.kind for a in self.affixes.get(tail, []) if a.position == "suffix"}
                    if tail in self.strip_words or kinds & _AIRFIELD_KINDS:
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
            entry = _Entry(place, _TIER_CITY if row["iata"] else _TIER_ALTERNATE)
            for core in self._airfield_cores(row["name"]):
                self._add(self.airfields, core, entry)
            if row["city"]:
                self._add(self.airfields_by_city, row["city"], entry)

    def _load_demonyms(self) -> None:
        for number, row in read_table("demonyms.csv"):
            if row["country"] not in self.countries:
                raise ResourceError(f"demonyms.csv:{number}: unknown country {row['country']}")
            self.demonyms[_key(row["demonym"])] = row["country"]

    def _load_stopwords(self) -> None:
        for number, row in read_table("place_stopwords.csv"):
            target = {"always": self.stop_always, "initial": self.stop_initial}.get(row["scope"])
            if target is None:
                raise ResourceError(f"place_stopwords.csv:{number}: bad scope {row['scope']}")
            target.add(_key(row["word"]))

    def evidence(self, entry: _Entry, context: frozenset[str], key: str) -> int:
        """How many names in the context support this reading of `key` (at most 3)."""
        place = entry.place
        terms: set[str] = {f"#{place.country}"}
        if place.kind == "country":
            terms.add(self.capitals.get(place.country, ""))
            terms.update(self.top_cities.get((place.country, ""), []))
            for neighbour in self.neighbours.get(place.country, []):
                terms.update(self.country_keys.get(neighbour, ()))
        elif place.country == "US" and entry.admin1 and entry.tier == _TIER_ADMIN:
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
        entries: Iterable[_Entry],
        context: frozenset[str] = frozenset(),
        key: str = "",
        hint: _Entry | None = None,
    ) -> _Entry | None:
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
    def _inside(entry: _Entry, area: _Entry) -> bool:
        if entry.place.country != area.place.country or entry is area:
            return False
        return area.place.kind == "country" or (bool(area.admin1) and entry.admin1 == area.admin1)

    def capital_of(self, country: str) -> Place | None:
        """The capital city of a country (ISO2), as a gazetteer place."""
        key = self.capitals.get(country, "")
        area = _Entry(self.countries[country], _TIER_ADMIN) if country in self.countries else None
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
    iso = gaz.demonyms.get(_key(word))
    return gaz.countries.get(iso) if iso else None


class _Finder:
    """One pass of place finding over one chunk of text, against a shared context."""

    def __init__(self, gaz: Gazetteer, tokens: list[_Token], text: str, offset: int) -> None:
        self.gaz = gaz
        self.tokens = tokens
        self.text = text
        self.offset = offset
        self.matches: dict[int, _Match] = {}
        self.headline = self._headline_lines()
        for i in range(len(tokens)):
            match = self._name_at(i)
            if match:
                self.matches[i] = match
        self.ends = {m.j: m for m in self.matches.values()}

    def _headline_lines(self) -> set[int]:
        """Token indices on Title Case lines (headlines), where capitals say little about names.

        A headline has at least four words of four letters or more, four in five of them
        capitalised, and does not end with a full stop.
        """
        heads: set[int] = set()
        line: list[int] = []
        for i, token in enumerate([*self.tokens, None]):
            if token is None or token.line_start:
                long_words = [self.tokens[k] for k in line if len(self.tokens[k].norm) > 3]
                capped = sum(t.cap for t in long_words)
                if len(long_words) >= 4 and capped >= 0.8 * len(long_words):
                    tail_start = self.tokens[line[-1]].end - self.offset
                    tail = self.text[tail_start : tail_start + 2]
                    if "." not in tail:
                        heads.update(line)
                line = []
            if token is not None:
                line.append(i)
        return heads

    def _name_at(self, i: int) -> _Match | None:
        """The longest gazetteer name starting at token i, written with capitals."""
        tokens, gaz = self.tokens, self.gaz
        if not tokens[i].cap:
            return None
        best: _Match | None = None
        key = ""
        for j in range(i, min(len(tokens), i + MAX_NAME_TOKENS)):
            token = tokens[j]
            if j > i and not token.joined:
                break
            key = f"{key} {token.norm}" if key else token.norm
            if key not in gaz.prefixes:
                break
            if not token.cap and token.norm not in _CONNECTORS:
                continue
            if token.cap and key in gaz.names:
                best = _Match(i, j + 1, key, tuple(gaz.names[key]))
        return best

    def context(self) -> set[str]:
        """Keys of all names and demonym markers in the chunk, the evidence for readings."""
        found = {m.key for m in self.matches.values()}
        for token in self.tokens:
            if token.cap and token.norm in self.gaz.demonyms:
                found.add(f"#{self.gaz.demonyms[token.norm]}")
        return found

    def candidates(self, context: frozenset[str]) -> Iterator[tuple[int, int, Place, str, int]]:
        """Every span that could be a place mention: (first token, end token, place, rule, rank).

        Each finder is called only where its first test can pass (this is the hot loop).
        """
        affix_prefixes, matches = self.gaz.affix_prefixes, self.matches
        for i, token in enumerate(self.tokens):
            if token.norm in affix_prefixes:
                yield from self._affix_at(i, context)
            match = matches.get(i)
            if match or token.norm == "the":
                yield from self._capital_at(i, context)
            if token.upper:
                yield from self._code_at(i)
            if token.cap:
                yield from self._settlement_at(i)
            if match:
                yield from self._plain(match, context)

    def _hint_after(self, j: int, context: frozenset[str]) -> tuple[_Entry, int] | None:
        """A ", Country" or ", State" right after token j-1: the area and its end token."""
        if j >= len(self.tokens) or j == 0:
            return None
        gap = self.text[self.tokens[j - 1].end - self.offset : self.tokens[j].start - self.offset]
        if gap.strip() != ",":
            return None
        match = self.matches.get(j)
        if not match or (match.j < len(self.tokens) and self.tokens[match.j].norm == "'s"):
            return None
        areas = [
            e
            for e in match.entries
            if e.place.kind == "country" or (e.tier == _TIER_ADMIN and e.admin1)
        ]
        area = self.gaz.choose(areas, context, match.key)
        return (area, match.j) if area else None

    def _standalone_ok(self, match: _Match, entry: _Entry) -> bool:
        """Whether a plain name match is used as a place name here (see module docstring)."""
        tokens = self.tokens
        first = tokens[match.i]
        city = entry.tier >= _TIER_CITY
        single = match.j - match.i == 1
        if single and city and match.key in self.gaz.stop_always:
            return False
        all_caps = all(tokens[k].upper for k in range(match.i, match.j))
        if match.key in self.gaz.abbreviations:
            return all_caps and self._noun_use(match.j)
        if any(tokens[k].upper for k in range(match.i, match.j)):
            return first.line_start and all_caps
        headline = match.i in self.headline
        small = match.key in self.gaz.stop_initial or entry.population < INITIAL_MIN_POPULATION
        if single and city and (first.initial or headline) and small:
            return False
        if match.i > 0 and first.joined:
            before = tokens[match.i - 1]
            hyphen = "-" in self.text[before.end - self.offset : first.start - self.offset]
            if before.cap and (
                hyphen or not (headline or (before.initial and before.norm in _FUNCTION))
            ):
                return False
            if any(c.isdigit() for c in before.norm):
                return False
        if match.j < len(tokens) and tokens[match.j].joined:
            after = tokens[match.j]
            hyphen = (
                "-" in self.text[tokens[match.j - 1].end - self.offset : after.start - self.offset]
            )
            if after.cap and (hyphen or not headline) and after.norm not in self.gaz.stop_always:
                return False
        return True

    def _noun_use(self, j: int) -> bool:
        """An abbreviation ending before token j stands as a noun, not as a modifier."""
        if j >= len(self.tokens):
            return True
        after = self.tokens[j]
        gap = self.text[self.tokens[j - 1].end - self.offset : after.start - self.offset].strip()
        if gap:
            return gap != "-"
        if after.cap:
            return after.norm in _FUNCTION
        return after.norm in _NOUN_FOLLOWERS

    def _plain(
        self, match: _Match, context: frozenset[str]
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        hint = self._hint_after(match.j, context)
        if hint:
            inside = self.gaz.choose(match.entries, context, match.key, hint[0])
            if inside and inside.place.kind != "country":
                yield match.i, hint[1], inside.place, "city_country", 1
        entry = self.gaz.choose(match.entries, context, match.key)
        if entry and self._standalone_ok(match, entry):
            yield match.i, match.j, entry.place, "name", 3

    def _affix_at(
        self, s: int, context: frozenset[str]
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """Airfield and region patterns whose affix starts at token s."""
        tokens, gaz = self.tokens, self.gaz
        key = ""
        for e in range(s, min(len(tokens), s + 4)):
            if e > s and not tokens[e].joined:
                break
            key = f"{key} {tokens[e].norm}" if key else tokens[e].norm
            if key not in gaz.affix_prefixes:
                break
            for affix in gaz.affixes.get(key, []):
                if affix.position == "prefix":
                    yield from self._prefixed(s, e + 1, affix, context)
                else:
                    yield from self._suffixed(s, e + 1, affix, context)

    def _run_before(self, s: int) -> int:
        """First token of the capitalised name ending just before token s."""
        k = s
        while k > 0 and s - k < MAX_RUN_TOKENS and self.tokens[k].joined:
            token = self.tokens[k - 1]
            if (token.cap and not (token.initial and token.norm in _FUNCTION)) or (
                token.norm in _CONNECTORS and token.norm != "'s" and k < s
            ):
                k -= 1
            else:
                break
        while k < s and (not self.tokens[k].cap or self.tokens[k].norm in self.gaz.demonyms):
            k += 1
        return k

    def _run_after(self, e: int) -> int:
        """End token of the capitalised name starting at token e."""
        k = e
        while (
            k < len(self.tokens)
            and k - e < MAX_RUN_TOKENS
            and self.tokens[k].joined
            and self.tokens[k].cap
        ):
            k += 1
        return k

    def _written(self, i: int, j: int) -> str:
        """The text of tokens [i, j) as written."""
        return self.text[self.tokens[i].start - self.offset : self.tokens[j - 1].end - self.offset]

    def _name_key(self, i: int, j: int) -> str:
        """The index key of tokens [i, j)."""
        return " ".join(t.norm for t in self.tokens[i:j])

    def _suffixed(
        self, s: int, e: int, affix: _Affix, context: frozenset[str]
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """ "<Name> air base", "<City>'s <Name> airport", "the air base at <City>", "<Name> region".

        The longest capitalised name before the affix that resolves wins; an unresolved
        airfield name is still reported, without coordinates.
        """
        start = self._run_before(s)
        near: _Entry | None = None
        span_start = start
        if start == s:
            if s >= 2 and self.tokens[s - 1].norm == "'s" and (s - 1) in self.ends:
                owner = self.ends[s - 1]
                yield from self._airfield_of(owner.i, owner.j, owner.i, e, affix, context, None)
            elif e + 1 < len(self.tokens) and self.tokens[e].norm in ("at", "in"):
                target = self.matches.get(e + 1)
                kinds = {x.place.kind for x in target.entries} if target else set()
                if target and affix.kind in _AIRFIELD_KINDS and kinds & {"city", *_AIRFIELD_KINDS}:
                    yield from self._airfield_of(
                        target.i, target.j, s, target.j, affix, context, None
                    )
            return
        if start >= 2 and self.tokens[start - 1].norm == "'s" and (start - 1) in self.ends:
            owner = self.ends[start - 1]
            near = self.gaz.choose(owner.entries, context, owner.key)
            span_start = owner.i
        unknown: list[tuple[int, int, Place, str, int]] = []
        for m in range(start, s):
            if affix.kind in _AIRFIELD_KINDS:
                found = list(
                    self._airfield_of(
                        m, s, span_start if m == start else m, e, affix, context, near
                    )
                )
            else:
                found = list(self._region_of(m, s, e, affix, context))
            resolved = [c for c in found if c[3] != "airfield_unknown"]
            if resolved:
                yield from resolved
                return
            if m == start:
                unknown = found
        yield from unknown

    def _airfield_of(
        self,
        i: int,
        j: int,
        span_start: int,
        e: int,
        affix: _Affix,
        context: frozenset[str],
        near: _Entry | None,
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """An airport or air base named by tokens [i, j) and an airfield affix."""
        gaz = self.gaz
        name = self._name_key(i, j)
        hint = self._hint_after(e, context)
        end = hint[1] if hint else e
        area = near or (hint[0] if hint else None)
        full = gaz.names.get(f"{name} {affix.words}", [])
        picked = gaz.choose(x for x in full if x.place.kind in _AIRFIELD_KINDS)
        if picked:
            yield span_start, end, picked.place, "airfield_alias", 0
            return
        wide = area if area and area.place.kind in ("country", "region") else None
        own = gaz.choose(gaz.names.get(name, []), context, name, wide)
        if own and own.place.kind in _AIRFIELD_KINDS:
            yield span_start, end, own.place, "airfield_name", 0
            return
        anchor = near.place if near else (own.place if own else (area.place if area else None))
        pool = {id(x): x for x in gaz.airfields.get(name, []) + gaz.airfields_by_city.get(name, [])}
        options = list(pool.values())
        if anchor is not None:
            options = [x for x in options if within_km(x.place, anchor, AIRPORT_RADIUS_KM)]
        if affix.kind != "airfield":
            same = [x for x in options if x.place.kind == affix.kind]
            options = same or options
        if len(options) > 1:
            options = [x for x in options if x.tier == _TIER_OVERLAY] or options
        if len(options) > 1:
            exact = [x for x in options if x in gaz.airfields.get(name, []) and x.place.iata]
            options = exact if len(exact) == 1 else options
        if len(options) == 1 or (options and anchor is None):
            best = min(options, key=lambda x: (x.tier, x.place.icao))
            yield span_start, end, best.place, "airfield", 0
            return
        kind = "airport" if affix.kind == "airport" else "airbase"
        written = f"{self._written(i, j)} {affix.display}"
        if anchor is not None:
            place = Place(written, anchor.country, anchor.lat, anchor.lon, kind)
            yield span_start, end, place, "airfield_near_city", 2
        elif i == span_start and j - i <= 3 and set(name.split(" ")) - gaz.affix_words:
            country = affix.country or (area.place.country if area else "")
            yield span_start, end, Place(written, country, kind=kind), "airfield_unknown", 2

    def _prefixed(
        self, s: int, e: int, affix: _Affix, context: frozenset[str]
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """ "RAF <Name>", "Joint Base <Name>": an air base of the affix's country."""
        gaz = self.gaz
        end = self._run_after(e)
        country = gaz.countries.get(affix.country)
        area = _Entry(country, _TIER_ADMIN) if country else None
        for k in range(end, e, -1):
            name = self._name_key(e, k)
            full = gaz.names.get(f"{affix.words} {name}", [])
            picked = gaz.choose(x for x in full if x.place.kind in _AIRFIELD_KINDS)
            if picked is None:
                options = [
                    x
                    for x in gaz.airfields.get(name, [])
                    if not affix.country or x.place.country == affix.country
                ]
                picked = min(options, key=lambda x: (x.tier, x.place.icao)) if options else None
            if picked:
                yield s, k, picked.place, "airfield_prefix", 0
                return
        if end == e:
            return
        town = gaz.choose(gaz.names.get(self._name_key(e, end), []), context, hint=area)
        if town is None or town.place.kind != "city":
            return
        written = f"{affix.display} {self._written(e, end)}"
        place = Place(written, town.place.country, town.place.lat, town.place.lon, affix.kind)
        yield s, end, place, "airfield_prefix_town", 2

    def _region_of(
        self, i: int, s: int, e: int, affix: _Affix, context: frozenset[str]
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """ "Belgorod region", "Riverside County, California": the area named after a place."""
        gaz = self.gaz
        name = self._name_key(i, s)
        after = self.tokens[e] if e < len(self.tokens) else None
        if self.tokens[s].cap and after and after.joined and after.cap:
            return
        hint = self._hint_after(e, context)
        end = hint[1] if hint else e
        if affix.kind == "facility":
            yield from self._unknown_named(i, s, end, affix, hint)
            return
        full = gaz.names.get(f"{name} {affix.words}", [])
        picked = gaz.choose((x for x in full if x.place.kind == "region"), context)
        if picked:
            yield i, end, picked.place, "region_alias", 0
            return
        pool = [x for x in gaz.names.get(name, []) if x.place.kind in ("city", "region")]
        if affix.words == "state":
            pool = [x for x in pool if x.place.kind == "region"]
        base = gaz.choose(pool, context, name, hint[0] if hint else None)
        if base is None:
            yield from self._unknown_named(i, s, end, affix, hint)
            return
        if base.place.kind == "region":
            yield i, end, base.place, "region", 0
            return
        place = replace(base.place, name=f"{base.place.name} {affix.display}", kind="region")
        yield i, end, place, "region", 0

    def _unknown_named(
        self, i: int, s: int, end: int, affix: _Affix, hint: tuple[_Entry, int] | None
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """A district or facility the gazetteer lacks ("Korochansky district", "Arrowe Park
        Hospital"): reported as written, without coordinates, when its name is capitalised."""
        if not affix.unknown_ok or s - i > 3 or i in self.headline:
            return
        if not all(t.cap and t.norm not in self.gaz.demonyms for t in self.tokens[i:s]):
            return
        country = hint[0].place.country if hint else ""
        written = f"{self._written(i, s)} {affix.display}"
        yield i, end, Place(written, country, kind=affix.kind), "named_unknown", 4

    def _settlement_at(self, i: int) -> Iterator[tuple[int, int, Place, str, int]]:
        """ "the village of Yablonovo": a settlement the gazetteer lacks, named after "<kind> of"."""
        tokens = self.tokens
        if i < 2 or i in self.matches or not tokens[i].cap or i in self.headline:
            return
        if tokens[i - 1].norm != "of" or tokens[i - 2].norm not in _SETTLEMENT_WORDS:
            return
        end = self._run_after(i)
        if end - i > 2:
            return
        yield i, end, Place(self._written(i, end), kind="city"), "settlement_unknown", 4

    def _capital_at(
        self, i: int, context: frozenset[str]
    ) -> Iterator[tuple[int, int, Place, str, int]]:
        """ "the Saudi capital" and "Ukraine's capital": that country's capital city."""
        tokens, gaz = self.tokens, self.gaz
        match = self.matches.get(i)
        if match and match.j + 1 < len(tokens) and tokens[match.j].norm == "'s":
            country = gaz.choose(e for e in match.entries if e.place.kind == "country")
            capital = gaz.capital_of(country.place.country) if country else None
            if capital and tokens[match.j + 1].norm == "capital":
                yield i, match.j + 2, capital, "country_capital", 0
        if tokens[i].norm != "the":
            return
        for k in (i + 2, i + 3):
            if k < len(tokens) and tokens[k].norm == "capital":
                iso = gaz.demonyms.get(self._name_key(i + 1, k))
                capital = gaz.capital_of(iso) if iso else None
                if capital:
                    yield i, k + 1, capital, "demonym_capital", 0

    def _code_at(self, i: int) -> Iterator[tuple[int, int, Place, str, int]]:
        """An ICAO/IATA code written in capitals next to an airport word."""
        token = self.tokens[i]
        if not token.upper or len(token.norm) not in (3, 4) or not token.norm.isalnum():
            return
        place = self.gaz.codes.get(token.norm.upper())
        window = self.tokens[max(0, i - 4) : i]
        if place and any(t.norm in _CODE_CUES for t in window):
            yield i, i + 1, place, "airport_code", 1

    def select(self, context: frozenset[str]) -> list[PlaceMention]:
        """Non-overlapping mentions: longest first, then earliest, then most specific rule."""
        tokens = self.tokens
        kept = filter_spans(
            self.candidates(context),
            bounds=lambda c: (tokens[c[0]].start, tokens[c[1] - 1].end),
            rank=lambda c: c[4],
        )
        out: list[PlaceMention] = []
        for i, j, place, rule, _ in kept:
            start, end = self.tokens[i].start, self.tokens[j - 1].end
            text = self.text[start - self.offset : end - self.offset]
            if place.kind in _AIRFIELD_KINDS:
                cited = self._airfield_name(i, j, place)
            else:
                cited = text if place.kind == "city" and _EXONYM.fullmatch(text) else ""
            out.append(PlaceMention(start, end, text, place, rule, cited or place.name))
        return out

    def _airfield_name(self, i: int, j: int, place: Place) -> str:
        """An airfield as the article names it, the way readers and annotators cite it:
        without the owner or a descriptor in lower case, which is not part of the name
        ("Rome's Fiumicino airport" → "Fiumicino", but "Ataturk Airport"), name first
        ("the air base at Istres" → "Istres Air Base"); a bare code keeps the gazetteer name."""
        tokens = self.tokens
        owner = [k for k in range(i, j) if tokens[k].norm == "'s"]
        first = owner[-1] + 1 if owner else i
        if first >= j or (j - first == 1 and tokens[first].upper):
            return place.name
        at = next(
            (k for k in range(first, j) if tokens[k].norm in ("at", "in", "near") and k > first),
            None,
        )
        if at is not None and not tokens[first].cap:
            affix = next(iter(self.gaz.affixes.get(self._name_key(first, at), [])), None)
            if affix is not None and at + 1 < j:
                return f"{self._written(at + 1, j)} {affix.display}"
            return place.name
        named = j
        while named > first and not tokens[named - 1].cap:
            named -= 1
        return self._written(first, named if named > first else j)


_EXONYM = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
"""A city written in the article's own spelling ("Cologne", "Gomel"), cited as written
rather than under the gazetteer's local name ("Köln", "Homyel'")."""


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most about CHUNK_CHARS, cut at line breaks (or spaces) so memory stays flat."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield start, text[start:end]
        start = end


def _short_names(gaz: Gazetteer, text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """Later mentions of an airfield by its bare name ("Lask Air Base" ... "landed at Lask")."""
    extra: list[PlaceMention] = []
    for mention in found:
        if mention.place.kind not in _AIRFIELD_KINDS:
            continue
        words = re.split(r"\s+", re.sub(r"^.*['’]s\s+", "", mention.text))
        core = []
        for word in words:
            if _key(word) in gaz.affix_words or not word[:1].isupper():
                break
            core.append(word)
        if not core or len(core) == len(words) or "'" in " ".join(core):
            continue
        pattern = re.compile(r"\b" + re.escape(" ".join(core)) + r"\b(?![ -]?[A-Z])")
        for match in pattern.finditer(text, mention.end):
            start, end = match.span()
            if any(m.start < end and start < m.end for m in found + extra):
                continue
            extra.append(
                PlaceMention(start, end, match.group(0), mention.place, "short_name", mention.cited)
            )
    return sorted(found + extra, key=lambda m: m.start)


def find_places(text: str) -> list[PlaceMention]:
    """Place names in running text, resolved, sorted by start, non-overlapping (longest wins)."""
    gaz = gazetteer()
    if len(text) <= CHUNK_CHARS:
        finder = _Finder(gaz, _tokens(text), text, 0)
        return _short_names(gaz, text, finder.select(frozenset(finder.context())))
    context: set[str] = set()
    for offset, piece in _chunks(text):
        context |= _Finder(gaz, _tokens(piece, offset), piece, offset).context()
    frozen = frozenset(context)
    out: list[PlaceMention] = []
    for offset, piece in _chunks(text):
        out.extend(_Finder(gaz, _tokens(piece, offset), piece, offset).select(frozen))
    return out


def _context_keys(gaz: Gazetteer, context: str) -> frozenset[str]:
    if not context:
        return frozenset()
    finder = _Finder(gaz, _tokens(context[:CHUNK_CHARS]), context[:CHUNK_CHARS], 0)
    return frozenset(finder.context())


def lookup(name: str, *, context: str = "") -> Place | None:
    """The best place for one name; `context` (surrounding text) helps choose among readings."""
    gaz = gazetteer()
    key = _key(name)
    if not key:
        return None
    evidence = _context_keys(gaz, context)
    entry = gaz.choose(gaz.names.get(key, []), evidence, key)
    if entry:
        return entry.place
    stripped = name.strip()
    if stripped.isupper() and stripped.upper() in gaz.codes:
        return gaz.codes[stripped.upper()]
    finder = _Finder(gaz, _tokens(stripped), stripped, 0)
    found = finder.select(evidence | frozenset(finder.context()))
    whole = [m for m in found if m.start == 0 and m.end >= len(stripped.rstrip(".,"))]
    if whole:
        return whole[0].place
    airfields = gaz.airfields.get(key, [])
    if airfields:
        return min(airfields, key=lambda x: (x.tier, x.place.icao)).place
    return None
