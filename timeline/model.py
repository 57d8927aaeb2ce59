"""The typed values that flow through the pipeline, one frozen dataclass per stage.

Every mention carries `start`/`end` character offsets into `Article.text` and the
name of the rule that found it, so any row of the final table can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

D = TypeVar("D")


def evolve(value: D, **changes: object) -> D:
    """`value`, a frozen dataclass, with some fields changed: what `dataclasses.replace`
    makes, five times faster, for the hot paths that shift or complete mentions and events.
    It copies the fields as they are and calls no `__init__`, so it is only for dataclasses
    without `__post_init__` or slots, as all of this module's are."""
    fields = value.__dict__
    if not changes.keys() <= fields.keys():
        raise TypeError(
            f"{type(value).__name__} has no field {sorted(changes.keys() - fields.keys())}"
        )
    new = object.__new__(type(value))
    new.__dict__.update(fields, **changes)
    return new


@dataclass(frozen=True)
class Article:
    """One input article: its full text plus the metadata found in or beside it."""

    article_id: str
    text: str
    headline: str = ""
    published: date | None = None
    source_url: str = ""
    body_start: int = 0
    body_end: int | None = None
    path: str = ""

    @property
    def body(self) -> tuple[int, int]:
        """Offsets of the part of `text` that is reported news (no headline or URL block)."""
        return self.body_start, len(self.text) if self.body_end is None else self.body_end


@dataclass(frozen=True)
class TimeMention:
    """A temporal expression found in text and resolved against a reference date.

    `value` follows TIMEX3 (e.g. `2019-01-23`, `2018-12`, `P3D`, `PAST_REF`);
    `earliest`/`latest` are the first and last calendar day the expression can
    denote (None = unbounded on that side); `precision` is one of
    day | week | month | season | year | decade | vague. `reading` tells the event stages
    how the expression is anchored: "" (its own date), "clock" (a clock time),
    "anaphoric" (relative to the story's time: "the next day"), "day_part" (a part of the
    story's day: "in the afternoon"), "same_day" ("later that day") or "overnight".
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str = ""
    earliest: date | None = None
    latest: date | None = None
    precision: str = "vague"
    time_of_day: str = ""
    rule: str = ""
    reading: str = ""


@dataclass(frozen=True)
class AircraftType:
    """One entry of the aircraft catalogue: a type as ICAO and news know it."""

    name: str
    icao_type: str
    manufacturer: str = ""
    family: str = ""
    role: str = ""
    military: bool = False
    ambiguous: bool = False


@dataclass(frozen=True)
class AircraftMention:
    """An aircraft type (or a generic aircraft phrase) written in the text.

    `aircraft` is None for generic phrases ("a military transport plane"), which
    still give a `role` when the phrase names one. `registration` is the tail number the
    mention writes ("RA-86496", alone or after its type), if any.
    """

    start: int
    end: int
    text: str
    aircraft: AircraftType | None
    role: str = ""
    plural: bool = False
    rule: str = ""
    registration: str = ""


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a canonical place with its country and coordinates."""

    name: str
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    kind: str = ""
    icao: str = ""
    iata: str = ""


@dataclass(frozen=True)
class PlaceMention:
    """A place name written in the text, resolved to a gazetteer entry.

    `cited` is how a reader would cite it from this text (an airfield as written, without
    its owner: "Fiumicino airport"); the gazetteer name stays in `place.name`.
    """

    start: int
    end: int
    text: str
    place: Place
    rule: str = ""
    cited: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article with its offsets into `Article.text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Event:
    """One reported movement: who/what moved, from, via, to, when, and the evidence.

    `subject` is the mover as this sentence writes it ("they", "the plane"); `entity` is
    the name the article establishes for it, the same in every event about that mover.
    """

    article_id: str
    event_type: str
    subject_kind: str
    subject: str
    evidence: str
    char_start: int
    char_end: int
    aircraft: AircraftType | None = None
    role: str = ""
    count: int | None = None
    operator: str = ""
    origin: Place | None = None
    via: tuple[Place, ...] = field(default_factory=tuple)
    destination: Place | None = None
    location: Place | None = None
    when: TimeMention | None = None
    attribution: str = ""
    rule: str = ""
    entity: str = ""
