"""The finder of place names in running news text: candidate names over the tokens, the
rules that say a capitalised word is a place here, and the choice among overlapping ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from timeline.model import Place, PlaceMention
from timeline.places.gazetteer import (
    AIRFIELD_KINDS,
    TIER_ADMIN,
    TIER_CITY,
    TIER_OVERLAY,
    Affix,
    Entry,
    Gazetteer,
    within_km,
)
from timeline.resources import ResourceError, read_lines, read_table
from timeline.spans import filter_spans
from timeline.tokens import Word

INITIAL_MIN_POPULATION = 100_000
"""A GeoNames town capitalised only by its sentence position must be at least this big."""
AIRPORT_RADIUS_KM = 60.0
"""An airport named after a city ("Kabul airport") lies within this distance of it."""
MAX_NAME_TOKENS = 8
MAX_RUN_TOKENS = 5
_CONNECTORS = frozenset(read_lines("places/connectors.txt"))
_FUNCTION = frozenset(read_lines("places/function_words.txt"))
_NOUN_FOLLOWERS = _FUNCTION | frozenset(read_lines("places/noun_followers.txt"))
_CODE_CUES = frozenset(read_lines("places/code_cues.txt"))


def settlement_words() -> frozenset[str]:
    """The place nouns after which an unknown capitalised name is a town ("the village of X")."""
    words = set()
    for number, row in read_table("places/place_nouns.tsv"):
        if row["settlement"] not in ("yes", "no"):
            raise ResourceError(f"data/places/place_nouns.tsv:{number}: settlement is yes or no")
        if row["settlement"] == "yes":
            words.add(row["word"])
    return frozenset(words)


_SETTLEMENT_WORDS = settlement_words()
_EXONYM = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
"""A city written in the article's own spelling ("Cologne", "Gomel"), cited as written
rather than under the gazetteer's local name ("Köln", "Homyel'")."""


class Candidate(NamedTuple):
    """A span that could be a place mention: words [first, end), the place, the rule that
    proposed it, and its rank among overlapping ones of the same length (lower wins)."""

    first: int
    end: int
    place: Place
    rule: str
    rank: int


@dataclass(frozen=True, slots=True)
class _Match:
    """A raw name match over tokens [i, j) with its key and readings."""

    i: int
    j: int
    key: str
    entries: tuple[Entry, ...]


class Finder:
    """One pass of place finding over one chunk of text, against a shared context."""

    def __init__(self, gaz: Gazetteer, tokens: list[Word], text: str, offset: int) -> None:
        self.gaz = gaz
        self.tokens = tokens
        self.text = text
        self.offset = offset
        self.matches: dict[int, _Match] = {}
        self.headline = self._headline_lines()
        for i, token in enumerate(tokens):
            match = self._name_at(i) if token.cap else None  # a name opens with a capital
            if match:
                self.matches[i] = match
        self.ends: dict[int, _Match] = {}
        for m in self.matches.values():  # the longest name ending there: "New York", not "York"
            self.ends.setdefault(m.j, m)

    def _headline_lines(self) -> set[int]:
        """Word indices on Title Case lines (headlines), where capitals say little about names.

        A headline has at least four words of four letters or more, four in five of them
        capitalised, and does not end with a full stop.
        """
        heads: set[int] = set()
        tokens = self.tokens
        starts = [i for i, token in enumerate(tokens) if token.line_start or i == 0]
        for first, end in zip(starts, [*starts[1:], len(tokens)], strict=False):
            long_words = [t for t in tokens[first:end] if len(t.norm) > 3]
            capped = sum(t.cap for t in long_words)
            if len(long_words) >= 4 and capped >= 0.8 * len(long_words):
                tail_start = tokens[end - 1].end - self.offset
                if "." not in self.text[tail_start : tail_start + 2]:
                    heads.update(range(first, end))
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

    def candidates(self, context: frozenset[str]) -> Iterator[Candidate]:
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

    def _hint_after(self, j: int, context: frozenset[str]) -> tuple[Entry, int] | None:
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
            if e.place.kind == "country" or (e.tier == TIER_ADMIN and e.admin1)
        ]
        area = self.gaz.choose(areas, context, match.key)
        return (area, match.j) if area else None

    def _standalone_ok(self, match: _Match, entry: Entry) -> bool:
        """Whether a plain name match is used as a place name here (see module docstring)."""
        tokens = self.tokens
        first = tokens[match.i]
        city = entry.tier >= TIER_CITY
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

    def _plain(self, match: _Match, context: frozenset[str]) -> Iterator[Candidate]:
        hint = self._hint_after(match.j, context)
        if hint:
            inside = self.gaz.choose(match.entries, context, match.key, hint[0])
            if inside and inside.place.kind != "country":
                yield Candidate(match.i, hint[1], inside.place, "city_country", 1)
        entry = self.gaz.choose(match.entries, context, match.key)
        if entry and self._standalone_ok(match, entry):
            yield Candidate(match.i, match.j, entry.place, "name", 3)

    def _affix_at(self, s: int, context: frozenset[str]) -> Iterator[Candidate]:
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
        self, s: int, e: int, affix: Affix, context: frozenset[str]
    ) -> Iterator[Candidate]:
        """ "<Name> air base", "<City>'s <Name> airport", "the air base at <City>", "<Name> region".

        The longest capitalised name before the affix that resolves wins; an unresolved
        airfield name is still reported, without coordinates.
        """
        start = self._run_before(s)
        near: Entry | None = None
        span_start = start
        if start == s:
            if s >= 2 and self.tokens[s - 1].norm == "'s" and (s - 1) in self.ends:
                owner = self.ends[s - 1]
                yield from self._airfield_of(owner.i, owner.j, owner.i, e, affix, context, None)
            elif e + 1 < len(self.tokens) and self.tokens[e].norm in ("at", "in"):
                target = self.matches.get(e + 1)
                kinds = {x.place.kind for x in target.entries} if target else set()
                if target and affix.kind in AIRFIELD_KINDS and kinds & {"city", *AIRFIELD_KINDS}:
                    yield from self._airfield_of(
                        target.i, target.j, s, target.j, affix, context, None
                    )
            return
        if start >= 2 and self.tokens[start - 1].norm == "'s" and (start - 1) in self.ends:
            owner = self.ends[start - 1]
            near = self.gaz.choose(owner.entries, context, owner.key)
            span_start = owner.i
        unknown: list[Candidate] = []
        for m in range(start, s):
            if affix.kind in AIRFIELD_KINDS:
                found = list(
                    self._airfield_of(
                        m, s, span_start if m == start else m, e, affix, context, near
                    )
                )
            else:
                found = list(self._region_of(m, s, e, affix, context))
            resolved = [c for c in found if c.rule != "airfield_unknown"]
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
        affix: Affix,
        context: frozenset[str],
        near: Entry | None,
    ) -> Iterator[Candidate]:
        """An airport or air base named by tokens [i, j) and an airfield affix."""
        gaz = self.gaz
        name = self._name_key(i, j)
        hint = self._hint_after(e, context)
        end = hint[1] if hint else e
        area = near or (hint[0] if hint else None)
        full = gaz.names.get(f"{name} {affix.words}", [])
        picked = gaz.choose(x for x in full if x.place.kind in AIRFIELD_KINDS)
        if picked:
            yield Candidate(span_start, end, picked.place, "airfield_alias", 0)
            return
        wide = area if area and area.place.kind in ("country", "region") else None
        own = gaz.choose(gaz.names.get(name, []), context, name, wide)
        if own and own.place.kind in AIRFIELD_KINDS:
            yield Candidate(span_start, end, own.place, "airfield_name", 0)
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
            options = [x for x in options if x.tier == TIER_OVERLAY] or options
        if len(options) > 1:
            exact = [x for x in options if x in gaz.airfields.get(name, []) and x.place.iata]
            options = exact if len(exact) == 1 else options
        if len(options) == 1 or (options and anchor is None):
            best = min(options, key=lambda x: (x.tier, x.place.icao))
            yield Candidate(span_start, end, best.place, "airfield", 0)
            return
        kind = "airport" if affix.kind == "airport" else "airbase"
        written = f"{self._written(i, j)} {affix.display}"
        if anchor is not None:
            place = Place(written, anchor.country, anchor.lat, anchor.lon, kind)
            yield Candidate(span_start, end, place, "airfield_near_city", 2)
        elif i == span_start and j - i <= 3 and set(name.split(" ")) - gaz.affix_words:
            country = affix.country or (area.place.country if area else "")
            yield Candidate(
                span_start, end, Place(written, country, kind=kind), "airfield_unknown", 2
            )

    def _prefixed(
        self, s: int, e: int, affix: Affix, context: frozenset[str]
    ) -> Iterator[Candidate]:
        """ "RAF <Name>", "Joint Base <Name>": an air base of the affix's country."""
        gaz = self.gaz
        end = self._run_after(e)
        country = gaz.countries.get(affix.country)
        area = Entry(country, TIER_ADMIN) if country else None
        for k in range(end, e, -1):
            name = self._name_key(e, k)
            full = gaz.names.get(f"{affix.words} {name}", [])
            picked = gaz.choose(x for x in full if x.place.kind in AIRFIELD_KINDS)
            if picked is None:
                options = [
                    x
                    for x in gaz.airfields.get(name, [])
                    if not affix.country or x.place.country == affix.country
                ]
                picked = min(options, key=lambda x: (x.tier, x.place.icao)) if options else None
            if picked:
                yield Candidate(s, k, picked.place, "airfield_prefix", 0)
                return
        if end == e:
            return
        town = gaz.choose(gaz.names.get(self._name_key(e, end), []), context, hint=area)
        if town is None or town.place.kind != "city":
            return
        written = f"{affix.display} {self._written(e, end)}"
        place = Place(written, town.place.country, town.place.lat, town.place.lon, affix.kind)
        yield Candidate(s, end, place, "airfield_prefix_town", 2)

    def _region_of(
        self, i: int, s: int, e: int, affix: Affix, context: frozenset[str]
    ) -> Iterator[Candidate]:
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
            yield Candidate(i, end, picked.place, "region_alias", 0)
            return
        pool = [x for x in gaz.names.get(name, []) if x.place.kind in ("city", "region")]
        if affix.words == "state":
            pool = [x for x in pool if x.place.kind == "region"]
        base = gaz.choose(pool, context, name, hint[0] if hint else None)
        if base is None:
            yield from self._unknown_named(i, s, end, affix, hint)
            return
        if base.place.kind == "region":
            yield Candidate(i, end, base.place, "region", 0)
            return
        place = replace(base.place, name=f"{base.place.name} {affix.display}", kind="region")
        yield Candidate(i, end, place, "region", 0)

    def _unknown_named(
        self, i: int, s: int, end: int, affix: Affix, hint: tuple[Entry, int] | None
    ) -> Iterator[Candidate]:
        """A district or facility the gazetteer lacks ("Korochansky district", "Arrowe Park
        Hospital"): reported as written, without coordinates, when its name is capitalised."""
        if not affix.unknown_ok or s - i > 3 or i in self.headline:
            return
        if not all(t.cap and t.norm not in self.gaz.demonyms for t in self.tokens[i:s]):
            return
        country = hint[0].place.country if hint else ""
        written = f"{self._written(i, s)} {affix.display}"
        yield Candidate(i, end, Place(written, country, kind=affix.kind), "named_unknown", 4)

    def _settlement_at(self, i: int) -> Iterator[Candidate]:
        """ "the village of Yablonovo": a settlement the gazetteer lacks, named after "<kind> of"."""
        tokens = self.tokens
        if i < 2 or i in self.matches or not tokens[i].cap or i in self.headline:
            return
        if tokens[i - 1].norm != "of" or tokens[i - 2].norm not in _SETTLEMENT_WORDS:
            return
        end = self._run_after(i)
        if end - i > 2:
            return
        yield Candidate(i, end, Place(self._written(i, end), kind="city"), "settlement_unknown", 4)

    def _capital_at(self, i: int, context: frozenset[str]) -> Iterator[Candidate]:
        """ "the Saudi capital" and "Ukraine's capital": that country's capital city."""
        tokens, gaz = self.tokens, self.gaz
        match = self.matches.get(i)
        if match and match.j + 1 < len(tokens) and tokens[match.j].norm == "'s":
            country = gaz.choose(e for e in match.entries if e.place.kind == "country")
            capital = gaz.capital_of(country.place.country) if country else None
            if capital and tokens[match.j + 1].norm == "capital":
                yield Candidate(i, match.j + 2, capital, "country_capital", 0)
        if tokens[i].norm != "the":
            return
        for k in (i + 2, i + 3):
            if k < len(tokens) and tokens[k].norm == "capital":
                iso = gaz.demonyms.get(self._name_key(i + 1, k))
                capital = gaz.capital_of(iso) if iso else None
                if capital:
                    yield Candidate(i, k + 1, capital, "demonym_capital", 0)

    def _code_at(self, i: int) -> Iterator[Candidate]:
        """An ICAO/IATA code written in capitals next to an airport word."""
        token = self.tokens[i]
        if not token.upper or len(token.norm) not in (3, 4) or not token.norm.isalnum():
            return
        place = self.gaz.codes.get(token.norm.upper())
        window = self.tokens[max(0, i - 4) : i]
        if place and any(t.norm in _CODE_CUES for t in window):
            yield Candidate(i, i + 1, place, "airport_code", 1)

    def select(self, context: frozenset[str]) -> list[PlaceMention]:
        """Non-overlapping mentions: longest first, then earliest, then most specific rule."""
        tokens = self.tokens
        kept = filter_spans(
            self.candidates(context),
            bounds=lambda c: (tokens[c.first].start, tokens[c.end - 1].end),
            rank=lambda c: c.rank,
        )
        out: list[PlaceMention] = []
        for i, j, place, rule, _ in kept:
            start, end = self.tokens[i].start, self.tokens[j - 1].end
            text = self.text[start - self.offset : end - self.offset]
            if place.kind in AIRFIELD_KINDS:
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
        for k in range(first + 1, named):  # "the Waterkloof Air Force base": the affix whole
            affix = next(iter(self.gaz.affixes.get(self._name_key(k, j), [])), None)
            if affix is not None and affix.display:
                return f"{self._written(first, k)} {affix.display}"
        return self._written(first, named if named > first else j)
