"""Movements: what several sentences and articles say about one flight, merged (and what not)."""

import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline import movements
from timeline.cli import main


def _assigned(texts: list[str], published: str = "2024-03-06") -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = timeline.extract(texts, published=published)
    written = frame.assign(
        **{c: frame[c].dt.strftime("%Y-%m-%d").fillna("") for c in ("published", "start", "end")}
    )
    return movements.assign(written)


def test_two_mentions_of_one_flight_merge_and_complete_each_other() -> None:
    events, moves = _assigned(
        [
            "An Il-76 of the Russian air force landed at Bamako airport on Monday, officials "
            "said. Flight-tracking data showed the Il-76 arriving in Bamako from Moscow."
        ]
    )
    assert events["movement_id"].nunique() == 1
    assert events["origin"].tolist() == ["Moscow", "Moscow"]  # the first mention takes it
    assert events["rule"][0].endswith("+movement:origin")
    [move] = moves.to_dict("records")
    assert (move["mentions"], move["origin"], move["destination"]) == (2, "Moscow", "Bamako")
    assert (move["start"], move["end"]) == ("2024-03-04", "2024-03-04")


def test_two_aircraft_of_one_sentence_stay_apart() -> None:
    events, _ = _assigned(
        ["An Il-76 landed in Bamako on Monday, and a second Il-76 landed in Bamako on Monday."]
    )
    assert len(events) == 2 and events["movement_id"].nunique() == 2


def test_an_outbound_flight_and_its_return_stay_apart() -> None:
    events, _ = _assigned(
        ["A C-17 flew from Ramstein to Kabul on Monday. The C-17 flew back to Ramstein on Monday."]
    )
    assert list(zip(events["origin"], events["destination"], strict=True)) == [
        ("Ramstein", "Kabul"),
        ("Kabul", "Ramstein"),
    ]
    assert events["movement_id"].nunique() == 2


def test_trips_on_different_days_stay_apart() -> None:
    events, _ = _assigned(
        ["An Il-76 landed in Bamako on Monday. Another Il-76 landed in Bamako on Wednesday."]
    )
    assert events["movement_id"].nunique() == 2


def test_a_presence_is_not_the_arrival_that_began_it() -> None:
    events, _ = _assigned(
        [
            "An An-124 landed in Leipzig on Monday. The An-124 has been parked in Leipzig since Monday."
        ]
    )
    assert events["event_type"].tolist() == ["arrival", "presence"]
    assert events["movement_id"].nunique() == 2


def test_outlets_a_day_apart_merge_and_name_the_conflict() -> None:
    _, moves = _assigned(
        [
            "A Russian Il-76 landed in Bamako late on Monday, witnesses said.",
            "A Russian Il-76 landed in Bamako on Tuesday, officials said.",
        ]
    )
    [move] = moves.to_dict("records")
    assert (move["articles"], move["article_ids"]) == (2, "text-1; text-2")
    assert move["conflicts"] == "dates"
    assert (move["start"], move["end"]) == ("2024-03-04", "2024-03-05")


def test_an_airport_its_city_and_its_country_are_one_place() -> None:
    assert movements.same_area("Fiumicino", "Rome") and movements.same_area("Rome", "Italy")
    assert movements.same_area("Caracas", "Venezuela") and movements.same_area("", "Kabul")
    assert not movements.same_area("Rome", "Milan") and not movements.same_area(
        "Havana", "Venezuela"
    )
    _, moves = _assigned(
        [
            "An Airbus A330 landed at Fiumicino airport on Monday with 200 passengers.",
            "An A330 carrying 180 passengers arrived in Rome on Monday.",
        ]
    )
    # each aircraft and the passengers it carried: one movement, told by two articles
    assert (moves["mentions"].tolist(), moves["articles"].tolist()) == ([4], [2])
    assert moves["count"].tolist() == [1]  # one aircraft: the passengers do not count


def test_one_article_giving_two_sizes_tells_two_groups() -> None:
    rows = pd.DataFrame(
        [
            _row("e1", count=2, start="2024-03-04", char_start=0),
            _row("e2", count=3, start="2024-03-04", char_start=50),
            _row("e3", count=3, start="2024-03-04", article="b", char_start=0),
        ]
    )
    events, moves = movements.assign(rows)
    assert events["movement_id"].tolist() == ["M-e1", "M-e2", "M-e2"]
    assert moves.set_index("movement_id").loc["M-e2", "articles"] == 2


def _row(
    event_id: str,
    *,
    count: int,
    start: str,
    char_start: int,
    article: str = "a",
    kind: str = "aircraft",
    subject: str = "C-17",
) -> dict:
    from timeline.table import COLUMNS

    row = dict.fromkeys(COLUMNS, "")
    row.update(
        event_id=event_id,
        article_id=article,
        event_type="arrival",
        subject_kind=kind,
        subject=subject,
        entity=subject,
        icao_type="C17" if kind == "aircraft" else "",
        evidence=f"The {subject} landed.",
        count=count,
        destination="Kabul",
        start=start,
        end=start,
        char_start=char_start,
        char_end=char_start + 40,
    )
    return row


def test_people_join_the_one_aircraft_that_carried_them() -> None:
    rows = [
        _row("e1", count=1, start="2024-03-04", char_start=0),
        _row("e2", count=95, start="2024-03-04", char_start=0, kind="personnel", subject="troops"),
    ]
    events, moves = movements.assign(pd.DataFrame(rows))
    assert events["movement_id"].tolist() == ["M-e1", "M-e1"]
    assert moves["mentions"].tolist() == [2]


def test_people_told_with_two_aircraft_join_neither() -> None:
    rows = [
        _row("e1", count=1, start="2024-03-04", char_start=0),
        _row("e2", count=1, start="2024-03-04", char_start=0, subject="C-17A"),
        _row("e3", count=95, start="2024-03-04", char_start=0, kind="personnel", subject="troops"),
    ]
    events, _ = movements.assign(pd.DataFrame(rows))
    assert events["movement_id"].nunique() == 3


def test_a_mention_introduced_as_new_is_a_movement_of_its_own() -> None:
    events, _ = _assigned(
        [
            "A C-17 landed in Kathmandu on Monday with 102 passengers. Around 4 am, a C-17 "
            "landed in Kathmandu with 237 passengers."
        ]
    )
    planes = events[events["subject_kind"] == "aircraft"]
    assert len(planes) == 2 and planes["movement_id"].nunique() == 2
    # each load of passengers travels with its own aircraft
    for movement in planes["movement_id"]:
        counts = events.loc[events["movement_id"] == movement, "count"].tolist()
        assert sorted(counts) in ([1, 102], [1, 237])


def test_named_people_are_the_same_person_across_articles() -> None:
    _, moves = _assigned(
        [
            "Prime Minister Narendra Modi arrived in Tokyo on Monday.",
            "Narendra Modi landed at Haneda airport on Monday, officials said.",
        ]
    )
    assert moves["articles"].tolist() == [2]


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_extract_writes_the_movements_level(tmp_path, fmt: str) -> None:
    source = tmp_path / "wire.txt"
    source.write_text(
        "A Russian Il-76 landed in Bamako on Monday, officials said. The Il-76 had flown in "
        "from Moscow, tracking data showed.",
        encoding="utf-8",
    )
    args = ["extract", str(source), "--published", "2024-03-06", "--level", "movements"]
    result = CliRunner().invoke(main, [*args, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        header, row = result.stdout.splitlines()
        assert header.startswith("movement_id,entity,subject_kind")
        assert ",Moscow,,Bamako,2024-03-04,2024-03-04,2," in row
    elif fmt == "json":
        assert '"mentions": 2' in result.stdout
    else:
        assert '"Moscow"' in result.stdout and '"Bamako"' in result.stdout


def test_build_writes_movements_beside_events(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    events = pd.read_csv(tmp_path / "events.csv", keep_default_na=False)
    moves = pd.read_csv(tmp_path / "movements.csv", keep_default_na=False)
    assert set(events["movement_id"]) == set(moves["movement_id"])
    assert moves["mentions"].sum() == len(events)
