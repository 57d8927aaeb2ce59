"""Property-based tests: the temporal engine, the extractor and the exporters on arbitrary text.

Texts mix arbitrary Unicode with the words the rules look for (months, weekdays, aircraft,
places, movement verbs, signal words), so the generated inputs reach the rules and not
only their "no match" paths; publication dates range over the whole calendar.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.aircraft import find_aircraft
from timeline.ingest import parse_text
from timeline.model import AircraftType, Article, Event, Place, TimeMention
from timeline.pipeline import process
from timeline.places import find_places
from timeline.sentences import split_sentences
from timeline.table import COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, event_row, render, to_frame
from timeline.temporal import find_times

VOCABULARY = (
    "An Il-76 flew from Moscow to Caracas via Dakar on Monday , the ministry said .",
    "Two An-124 cargo planes landed in Havana on 31 February 2019 .",
    "The C-17 left Ramstein for Kabul last week and returned the following day .",
    "In the year 99999 a jet flew to Minsk .",
    "Dec. 32 Dec. 10 Jan. 3 , 2020 March 2021 early May mid-June late 2019 the 1990s",
    "between Sunday and Monday from 3 to 5 April since October until Friday before 2019",
    "at 3 p.m. Moscow time yesterday today tomorrow next year last month this week",
    "9999-12-31 0001-01-01 2019-02-29 12/31/2019 31/12/2019 Q4 2019 winter 2019",
    "# Headline\n\nMarch 3, 2021\n\n",
    "\n\nOriginal url:\n\n<https://example.com/a>",
    "'s ’s “ ” « » — – - = + @ \t \r \n \u2028 \u00a0 \ufeff",
    "Boeing 747 Airbus A400M troops contractors soldiers arrived departed were in stayed",
)
WORDS = [word for phrase in VOCABULARY for word in phrase.split(" ")]
TEXTS = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(VOCABULARY), st.text(max_size=12)),
    max_size=40,
).map(" ".join)
REFERENCES = st.one_of(st.none(), st.dates(), st.sampled_from([date.min, date.max]))
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ordered(first: date | None, last: date | None) -> bool:
    return first is None or last is None or first <= last


@PROPERTY
@given(TEXTS, REFERENCES)
def test_temporal_engine_on_any_text(text: str, reference: date | None) -> None:
    mentions = find_times(text, reference)
    previous_end = 0
    for mention in mentions:
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert _ordered(mention.earliest, mention.latest), mention
        previous_end = mention.end


@PROPERTY
@given(TEXTS)
def test_finders_give_offsets_into_the_text(text: str) -> None:
    for found in (*find_aircraft(text), *find_places(text)):
        assert 0 <= found.start < found.end <= len(text)
        assert text[found.start : found.end] == found.text
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


@PROPERTY
@given(TEXTS, REFERENCES)
def test_extractor_on_any_text(text: str, published: date | None) -> None:
    article = replace(parse_text(text, "prop"), published=published)
    result = process(article, explain=True)
    for event in result.events:
        assert article.text[event.char_start : event.char_end] == event.evidence
        if event.when is not None:
            assert _ordered(event.when.earliest, event.when.latest), event.when
    rows = [event_row(article, event, n) for n, event in enumerate(result.events, 1)]
    for row in rows:
        assert row["start"] == "" or row["end"] == "" or row["start"] <= row["end"]


CELLS = st.text(max_size=20)
DAYS = st.one_of(st.none(), st.dates())


@st.composite
def events(draw: st.DrawFn) -> Event:
    first, last = sorted([draw(DAYS) or date.min, draw(DAYS) or date.max])
    return Event(
        article_id="a",
        event_type=draw(st.sampled_from(["flight", "arrival", "departure", "presence"])),
        subject_kind=draw(st.sampled_from(["aircraft", "personnel"])),
        subject=draw(CELLS),
        evidence=draw(CELLS),
        char_start=draw(st.integers(0, 10**9)),
        char_end=draw(st.integers(0, 10**9)),
        aircraft=AircraftType(draw(CELLS), draw(CELLS), draw(CELLS)),
        count=draw(st.one_of(st.none(), st.integers(-(10**6), 10**6))),
        operator=draw(CELLS),
        origin=Place(draw(CELLS), "", draw(st.floats(-90, 90)), draw(st.floats(-180, 180))),
        via=tuple(Place(name) for name in draw(st.lists(CELLS, max_size=3))),
        destination=draw(st.one_of(st.none(), st.builds(Place, CELLS))),
        when=TimeMention(0, 1, draw(CELLS), "DATE", "", earliest=first, latest=last),
        attribution=draw(CELLS),
        rule=draw(CELLS),
    )


def _table(article_text: str, headline: str, found: list[Event]) -> pd.DataFrame:
    article = Article("a", article_text, headline=headline, source_url="https://x.example/a")
    return to_frame(event_row(article, event, n) for n, event in enumerate(found, 1))


def _cell(value: object) -> str:
    """What a text cell must read back as: itself, behind a quote when it starts a formula,
    with carriage returns as newlines."""
    text = str(value)
    number = re.fullmatch(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text)
    if text.startswith(("=", "+", "-", "@", "\t", "\r")) and not number:
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")


@PROPERTY
@given(CELLS, CELLS, st.lists(events(), max_size=4))
def test_csv_round_trip_gives_the_same_table(text: str, headline: str, found: list) -> None:
    frame = _table(text, headline, found)
    back = pd.read_csv(io.StringIO(render(frame, "csv")), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(COLUMNS)
    assert len(back) == len(frame)
    for column in COLUMNS:
        if column in INT_COLUMNS:
            expected = ["" if pd.isna(v) else str(v) for v in frame[column]]
            assert back[column].tolist() == expected, column
        elif column in FLOAT_COLUMNS:
            numbers = pd.to_numeric(back[column]).tolist()
            for got, want in zip(numbers, frame[column], strict=True):
                assert (pd.isna(got) and pd.isna(want)) or got == want, column
        else:
            assert back[column].tolist() == [_cell(v) for v in frame[column]], column


@PROPERTY
@given(CELLS, CELLS, st.lists(events(), max_size=4))
def test_json_and_jsonl_parse_back_for_any_text(text: str, headline: str, found: list) -> None:
    frame = _table(text, headline, found)
    records = json.loads(render(frame, "json"))
    lines = render(frame, "jsonl").split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == records
    assert [r["evidence"] for r in records] == frame["evidence"].tolist()
    assert [r["headline"] for r in records] == frame["headline"].tolist()
