#!/usr/bin/env python3
"""Make every gold file cite a place the ways readers do: an alternative "<Name> air
base|AFB|Air Force Base|airport|air station|airfield" also accepts "<Name>" alone, "<Name>
AFB" and "<Name> Air Force Base" accept each other, "<City>'s <Name> airport" also accepts
it without its city ("New York's JFK Airport": "JFK Airport"), and a country written by a short name
("Britain", "UK") accepts its gazetteer name ("United Kingdom"). Run after gold is added;
it changes no answer, only which spellings of the same place count.

    PYTHONPATH=. python3 eval/real/harmonize_places.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from timeline.places import lookup

GOLD = Path(__file__).resolve().parent / "gold"
SUFFIX = re.compile(
    r"^(?P<name>.+?)\s+(?P<kind>air base|airbase|afb|air force base|international airport|"
    r"airport|air station|airfield)$",
    re.I,
)
TWINS = {"afb": "Air Force Base", "air force base": "AFB"}
OWNER = re.compile(r"^[^|]+?['’]s\s+(?P<rest>.+)$")


def spellings(value: str) -> str:
    """The alternatives of one place cell, with the bare and twin spellings added."""
    alternatives = [a.strip() for a in value.split("|") if a.strip()]
    out = list(alternatives)
    for alternative in list(alternatives):
        owned = OWNER.match(alternative)
        if owned and SUFFIX.match(owned["rest"]):
            alternatives.append(owned["rest"])
            out.append(owned["rest"])
    for alternative in alternatives:
        place = lookup(alternative)
        if place is not None and place.kind == "country":
            out.append(place.name)
        match = SUFFIX.match(alternative)
        if not match:
            continue
        twin = TWINS.get(match["kind"].lower())
        for extra in (match["name"], f"{match['name']} {twin}" if twin else ""):
            if extra and extra.lower() not in {o.lower() for o in out}:
                out.append(extra)
    return "|".join(dict.fromkeys(out))


def main() -> None:
    changed = 0
    for path in sorted(GOLD.glob("*.gold.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames, list(reader)
        before = [dict(row) for row in rows]
        for row in rows:
            for column in ("origin", "destination"):
                row[column] = spellings(row[column])
        if rows != before:
            changed += 1
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    print(f"{changed} gold files gained spellings")


if __name__ == "__main__":
    main()
