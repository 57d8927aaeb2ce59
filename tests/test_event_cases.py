"""Sentence cases as data: every `tests/cases/events/*.tsv` row runs through the whole pipeline.

Columns: `case` (a name), `text` (a sentence or short text, `\\n` for a line break; a row
with an empty text adds one more expected event to the case above it), `published` (ISO
date), `count` (how many events the text gives), `event` (which one the row describes: 1 is
the first, -1 the last; 0 with a count of 0, for a text that reports no movement), then
the expected `type` (event type), `kind` (aircraft | personnel), `entity`, `aircraft`
(ICAO designator), `origin`, `via` ("; "-joined), `place` (destination or location),
`start`, `end` (ISO dates). A file may add `size` (how many aircraft or people the row is
about), `operator` and `source` (its attribution) after them. A cell `*` is not checked; an
empty cell must be empty. Files are grouped by phenomenon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from timeline.model import Article, Event
from timeline.pipeline import process

CASES = Path(__file__).parent / "cases" / "events"
COLUMNS = (
    "case",
    "text",
    "published",
    "count",
    "event",
    "type",
    "kind",
    "entity",
    "aircraft",
    "origin",
    "via",
    "place",
    "start",
    "end",
)
FIELDS = ("size", "operator", "source")
"""Optional trailing columns: a file's header may end with them."""
CHECKED = COLUMNS[5:] + FIELDS


class CaseError(ValueError):
    """A malformed case file; the message names the file and line."""


@dataclass
class Case:
    """One text with its publication date and the events expected from it."""

    where: str
    name: str
    text: str
    published: date
    count: str
    expected: list[dict[str, str]] = field(default_factory=list)


def load(path: Path) -> list[Case]:
    """The cases of one file, checked: a header row, then rows of the header's width."""
    cases: list[Case] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{path}:{number}"
        if header is None:
            if tuple(cells) not in (COLUMNS, COLUMNS + FIELDS):
                wanted = f"{' '.join(COLUMNS)} [{' '.join(FIELDS)}]"
                raise CaseError(f"{where}: the header must be {wanted}")
            header = cells
            continue
        if len(cells) != len(header):
            raise CaseError(f"{where}: {len(cells)} fields, the header has {len(header)}")
        row = dict(zip(header, cells, strict=True))
        if row["event"] == "0" and row["count"] != "0":
            raise CaseError(f"{where}: event 0 is only for a count of 0")
        if row["event"] == "*" or not row["event"].lstrip("-").isdigit():
            raise CaseError(f"{where}: event must be a position (1, 2, -1...)")
        if row["text"]:
            try:
                published = date.fromisoformat(row["published"])
            except ValueError:
                raise CaseError(f"{where}: published must be an ISO date") from None
            text = row["text"].replace("\\n", "\n")
            cases.append(Case(where, row["case"], text, published, row["count"]))
        elif not cases:
            raise CaseError(f"{where}: a continuation row before any case")
        cases[-1].expected.append(row)
    return cases


def _all_cases() -> list[Case]:
    return [case for path in sorted(CASES.glob("*.tsv")) for case in load(path)]


def _actual(event: Event) -> dict[str, str]:
    where = event.destination or event.location
    when = event.when
    return {
        "type": event.event_type,
        "kind": event.subject_kind,
        "entity": event.entity,
        "aircraft": event.aircraft.icao_type if event.aircraft else "",
        "origin": event.origin.name if event.origin else "",
        "via": "; ".join(p.name for p in event.via),
        "place": where.name if where else "",
        "start": when.earliest.isoformat() if when and when.earliest else "",
        "end": when.latest.isoformat() if when and when.latest else "",
        "size": "" if event.count is None else str(event.count),
        "operator": event.operator,
        "source": event.attribution,
    }


@pytest.mark.parametrize("case", _all_cases(), ids=lambda case: case.name)
def test_case(case: Case) -> None:
    events = process(Article(article_id="case", text=case.text, published=case.published)).events
    if case.count != "*":
        assert len(events) == int(case.count), f"{case.where}: {len(events)} events"
    for row in case.expected:
        position = int(row["event"])
        if not position:
            continue
        assert -len(events) <= position <= len(events) and position, f"{case.where}: no event"
        got = _actual(events[position - 1 if position > 0 else position])
        for column in CHECKED:
            if row.get(column, "*") != "*":
                assert got[column] == row[column], f"{case.where}: {column}"


def test_every_phenomenon_has_cases() -> None:
    assert {p.stem for p in CASES.glob("*.tsv")} >= {
        "roles",
        "time",
        "subjects",
        "entity",
        "modality",
        "presence",
    }
    assert len(_all_cases()) >= 30


def test_a_malformed_case_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(
        "# a comment\n" + "\t".join(COLUMNS) + "\nname\tA jet landed.\t2021-06-10\t1\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match=r"bad\.tsv:3: 4 fields, the header has 14"):
        load(bad)
