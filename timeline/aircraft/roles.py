"""Aircraft roles grouped into families (`data/role_families.csv`), and whether a generic
phrase's role fits a catalogue type: "two bombers" fits a Tu-160, not an An-124."""

from __future__ import annotations

import re
from functools import cache

from timeline.model import AircraftType
from timeline.resources import read_table


@cache
def _families() -> dict[str, str]:
    """Each listed role (lower case) and the family it belongs to."""
    return {
        role.strip().lower(): row["family"]
        for _, row in read_table("role_families.csv")
        for role in row["roles"].split("|")
        if role.strip()
    }


@cache
def _broad() -> dict[str, bool]:
    """Roles that only say military or not (`data/broad_roles.csv`)."""
    return {
        row["role"].lower(): row["military"] == "yes" for _, row in read_table("broad_roles.csv")
    }


@cache
def _role_words() -> re.Pattern[str]:
    roles = sorted({*_families(), *_broad()}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, roles)) + r")\b")


def role_family(role: str) -> str | None:
    """The family of a role ("strategic airlifter" is transport), or None if unlisted."""
    return _families().get(role.strip().lower())


def fits(role: str, aircraft: AircraftType) -> bool:
    """Whether a generic phrase of `role` (its modifiers' and head's roles joined in text
    order, e.g. "military transport") can name `aircraft`: a broad word agrees with the
    type's military flag, and the last word with a family (the head's, when it has one:
    "strategic bomber" is a bomber) names the type's family; no role fits any type."""
    words = _role_words().findall(role.lower())
    if any(_broad().get(word, aircraft.military) != aircraft.military for word in words):
        return False
    families = [_families()[word] for word in words if word not in _broad()]
    return not families or families[-1] == role_family(aircraft.role)
