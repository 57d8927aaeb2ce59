"""The event table: column contract, formula-safe CSV, JSON, atomic writes, date/kind filters."""

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from timeline.model import AircraftType, Article, Event, Place, TimeMention
from timeline.table import COLUMNS, event_row, filter_frame, render, to_frame, write_atomic

ARTICLE = Article(
    article_id="a1",
    text="A test article.",
    headline="Head",
    published=date(2020, 5, 6),
    source_url="https://example.com/a1",
)
IL76 = AircraftType("Ilyushin Il-76", "IL76", "Ilyushin", "Il-76", "strategic airlifter", True)


def event(**changes: object) -> Event:
    base = Event(
        article_id="a1",
        event_type="flight",
        subject_kind="aircraft",
        subject="an Il-76",
        evidence="A test article.",
        char_start=0,
        char_end=15,
        aircraft=IL76,
        origin=Place("Moscow", "RU", 55.75, 37.62),
        via=(Place("Dakar", "SN"), Place("Asuncion", "PY")),
        destination=Place("Havana", "CU", 23.13, -82.38),
        when=TimeMention(
            0,
            4,
            "late on Wednesday",
            "DATE",
            "2020-05-06",
            earliest=date(2020, 5, 6),
            latest=date(2020, 5, 6),
            precision="day",
            time_of_day="late",
        ),
    )
    from dataclasses import replace

    return replace(base, **changes)


def test_row_follows_the_contract() -> None:
    row = event_row(ARTICLE, event(entity="RA-86496"), 1)
    assert tuple(row) == COLUMNS
    assert COLUMNS.index("entity") == COLUMNS.index("subject") + 1
    assert row["entity"] == "RA-86496"
    assert row["event_id"] == "a1-001"
    assert row["icao_type"] == "IL76"
    assert row["via"] == "Dakar; Asuncion"
    assert (row["start"], row["end"], row["precision"]) == ("2020-05-06", "2020-05-06", "day")
    assert (row["destination_lat"], row["destination_lon"]) == (23.13, -82.38)
    assert row["published"] == "2020-05-06"


def test_unbounded_dates_are_empty() -> None:
    open_start = TimeMention(
        0, 1, "before May", "DATE", "2020-05", mod="BEFORE", latest=date(2020, 5, 31)
    )
    row = event_row(ARTICLE, event(when=open_start), 1)
    assert row["start"] == ""
    assert row["end"] == "2020-05-31"


def frame_of(*events: Event) -> pd.DataFrame:
    return to_frame(event_row(ARTICLE, e, n) for n, e in enumerate(events, 1))


def test_csv_neutralises_formulas_but_not_numbers() -> None:
    frame = frame_of(event(subject='=HYPERLINK("http://x")', attribution="-12.5", operator="@cmd"))
    text = render(frame, "csv")
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert back.loc[0, "subject"] == '\'=HYPERLINK("http://x")'
    assert back.loc[0, "attribution"] == "-12.5"
    assert back.loc[0, "operator"] == "'@cmd"
    assert list(back.columns) == list(COLUMNS)


def test_json_and_jsonl_are_valid_for_any_text() -> None:
    frame = frame_of(event(evidence='quote " backslash \\ newline \n tab \t and \u2028 end'))
    records = json.loads(render(frame, "json"))
    assert records[0]["evidence"].startswith('quote " backslash')
    lines = render(frame, "jsonl").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["icao_type"] == "IL76"


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    target.write_text("old")
    write_atomic(target, "new content")
    assert target.read_text() == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


def test_write_atomic_gives_a_new_file_the_umask_mode_and_keeps_an_old_files_mode(
    tmp_path: Path,
) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.csv"
        write_atomic(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("old")
        kept.chmod(0o640)
        write_atomic(kept, "new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_date_window_and_kind_filters() -> None:
    def at(start: date | None, end: date | None) -> TimeMention:
        return TimeMention(0, 1, "x", "DATE", "", earliest=start, latest=end)

    frame = frame_of(
        event(when=at(date(2020, 1, 1), date(2020, 1, 5))),
        event(when=at(date(2020, 3, 1), date(2020, 3, 1)), subject_kind="personnel", aircraft=None),
        event(when=at(None, date(2019, 12, 31))),
    )
    assert len(filter_frame(frame, since=date(2020, 1, 5))) == 2
    assert len(filter_frame(frame, until=date(2019, 12, 31))) == 1
    assert len(filter_frame(frame, since=date(2020, 1, 6), until=date(2020, 2, 28))) == 0
    assert filter_frame(frame, kind="personnel")["subject_kind"].tolist() == ["personnel"]


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(frame_of(event()), "xml")
