"""The command line as users run it: build on the seed, extract, filters, errors, help."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline.cli import main
from timeline.resources import seeds_dir

SEED = str(next(seeds_dir().glob("*.txt")))


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def seed_table(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    outdir = tmp_path_factory.mktemp("out")
    result = run("build", "-o", str(outdir))
    assert result.exit_code == 0, result.output
    assert (outdir / "timeline.html").stat().st_size > 100_000
    return pd.read_csv(outdir / "events.csv", dtype=str, keep_default_na=False)


def test_build_on_the_seed_finds_the_aircraft_movements(seed_table: pd.DataFrame) -> None:
    aircraft = seed_table[seed_table["subject_kind"] == "aircraft"]
    il96 = aircraft[aircraft["icao_type"] == "IL96"]
    assert len(il96) == 1
    row = il96.iloc[0]
    assert (row["origin"], row["destination"]) == ("Moscow", "Havana")
    assert row["via"].split("; ") == ["Senegal", "Paraguay"]
    assert (row["start"], row["end"]) == ("2019-01-23", "2019-01-23")
    assert abs(float(row["destination_lat"]) - 23.13) < 0.3
    assert abs(float(row["destination_lon"]) + 82.38) < 0.3
    a124 = aircraft[aircraft["icao_type"] == "A124"].iloc[0]
    assert (a124["origin"], a124["destination"]) == ("Russia", "Caracas")
    assert (a124["start"], a124["end"]) == ("2018-12-10", "2018-12-14")
    il76 = aircraft[aircraft["icao_type"] == "IL76"].sort_values("start")
    assert il76[["start", "end"]].values.tolist() == [
        ["2018-12-10", "2018-12-14"],
        ["2018-12-12", "2018-12-21"],
    ]
    assert il76.iloc[1]["location"] == "Caracas"


def test_build_on_the_seed_finds_the_contractors(seed_table: pd.DataFrame) -> None:
    people = seed_table[seed_table["subject_kind"] == "personnel"]
    assert (people["destination"] == "Venezuela").sum() >= 3
    start_of_week = people[people["evidence"].str.contains("the contingent flew")]
    assert start_of_week["start"].tolist() == ["2019-01-21"]
    before_election = people[people["evidence"].str.contains("in advance of")].iloc[0]
    assert before_election["start"] == "" and before_election["end"].startswith("2018-05")


def test_every_evidence_is_the_text_at_its_offsets(seed_table: pd.DataFrame) -> None:
    text = Path(SEED).read_text(encoding="utf-8")
    for _, row in seed_table.iterrows():
        assert text[int(row["char_start"]) : int(row["char_end"])] == row["evidence"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Il-76", {"IL76": 2}),
        ("IL76", {"IL76": 2}),
        ("ilyushin-76", {"IL76": 2}),
        ("Ilyushin Il-76", {"IL76": 2}),
        ("Ilyushin", {"IL76": 2, "IL96": 1}),
        ("An-124", {"A124": 1}),
    ],
)
def test_aircraft_filter_on_the_seed(query: str, expected: dict[str, int]) -> None:
    result = run("extract", SEED, "--aircraft", query, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert pd.Series([r["icao_type"] for r in rows]).value_counts().to_dict() == expected


def test_extract_jsonl_and_kind_filter() -> None:
    result = run("extract", SEED, "--format", "jsonl", "--kind", "personnel")
    lines = result.output.splitlines()
    assert lines and all(json.loads(line)["subject_kind"] == "personnel" for line in lines)


def test_since_until_filter() -> None:
    result = run(
        "extract", SEED, "--since", "2018-12-01", "--until", "2018-12-31", "--kind", "aircraft"
    )
    frame = pd.read_csv(io.StringIO(result.output), dtype=str, keep_default_na=False)
    assert set(frame["icao_type"]) == {"A124", "IL76"}


def test_unknown_aircraft_is_a_one_line_error() -> None:
    result = run("extract", SEED, "--aircraft", "Zeppelin-99x")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Zeppelin-99x" in result.output


def test_missing_file_is_a_one_line_error_and_no_output(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = run("extract", str(tmp_path / "nope.txt"), "-o", str(out))
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert not out.exists()


def test_batch_with_a_bad_file_is_partial(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(Path(SEED).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    result = run("extract", str(tmp_path), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 3
    assert "empty.txt" in result.output
    assert len(pd.read_csv(tmp_path / "out.csv")) > 5


def test_unwritable_output_fails_before_work(tmp_path: Path) -> None:
    result = run("extract", SEED, "-o", str(tmp_path / "missing-dir" / "x.csv"))
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_explain_shows_mentions_and_rules() -> None:
    result = run("extract", SEED, "--explain")
    assert result.exit_code == 0
    assert "EVENT" in result.output and "found   time" in result.output


@pytest.mark.parametrize("command", ["build", "extract", "types", "timex"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3


def test_timex_tsv_resolves_against_the_given_date(tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text("The jet landed on Dec. 10 and left on Wednesday.", encoding="utf-8")
    result = run("timex", str(source), "--dct", "2019-01-26", "--format", "tsv")
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert [(r[2], r[4]) for r in rows] == [("Dec. 10", "2018-12-10"), ("Wednesday", "2019-01-23")]
