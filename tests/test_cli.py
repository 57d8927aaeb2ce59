"""The command line as users run it: build on the seed, extract, filters, errors, help."""

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    # the Havana flight, and 'a number of Russian government aircraft' landing in Venezuela:
    # the one government type the article names
    assert sorted(il96["destination"]) == ["Havana", "Venezuela"]
    row = il96[il96["destination"] == "Havana"].iloc[0]
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
        ("Ilyushin", {"IL76": 2, "IL96": 2}),
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
    assert result.exit_code == 2  # bad usage, as the README says
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


# --- a Unix tool in a pipeline, exit codes, flags that are honoured (#12) ---------------


def _closed_reader(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run `timeline ARGS` with a stdout whose reader has already gone, as `| head` leaves it."""
    command = [sys.executable, "-c", "from timeline.cli import entry; entry()", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    return subprocess.CompletedProcess(command, process.wait(timeout=120), b"", stderr)


@pytest.mark.parametrize(
    "args",
    [("types",), ("extract", SEED, "--explain"), ("extract", SEED, "--format", "json")],
    ids=["types", "explain", "json"],
)
def test_a_closed_pipe_ends_the_run_quietly(args: tuple[str, ...]) -> None:
    done = _closed_reader(*args)
    assert done.stderr == b""  # no BrokenPipeError, no traceback, no message
    assert done.returncode == 141  # 128 + SIGPIPE, as `cat` reports it


def test_head_of_a_pipeline_gets_its_lines() -> None:
    shell = f"{sys.executable} -c 'from timeline.cli import entry; entry()' types | head -2"
    done = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, timeout=120)
    assert len(done.stdout.splitlines()) == 2
    assert done.stderr == ""


def test_a_filter_that_empties_the_table_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", SEED, "--aircraft", "Boeing"])
    assert result.exit_code == 0
    assert result.stderr.strip() == "timeline: 0 of 12 events match --aircraft Boeing"
    assert result.stdout.startswith("event_id,") and len(result.stdout.splitlines()) == 1
    built = CliRunner().invoke(
        main, ["build", "-o", str(tmp_path), "--aircraft", "Boeing", "--since", "2019-01-01"]
    )
    assert built.exit_code == 0, built.output
    page = (tmp_path / "timeline.html").read_text(encoding="utf-8")
    assert "No events to show. 0 of 12 events match --aircraft Boeing --since 2019-01-01." in page


def test_a_filter_that_keeps_rows_says_nothing() -> None:
    result = CliRunner().invoke(main, ["extract", SEED, "--aircraft", "Il-76"])
    assert result.exit_code == 0 and result.stderr == ""


def _explained(*args: str) -> Any:
    result = CliRunner().invoke(main, ["extract", SEED, "--explain", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_as_json_gives_mentions_triggers_and_rule_names() -> None:
    records = json.loads(_explained("--format", "json"))
    il96 = next(r for r in records if any(e["destination"] == "Havana" for e in r["events"]))
    event = next(e for e in il96["events"] if e["destination"] == "Havana")
    assert (event["origin"], event["destination"], event["via"]) == (
        "Moscow",
        "Havana",
        ["Senegal", "Paraguay"],
    )
    assert event["rule"]
    kinds = {m["kind"] for m in il96["mentions"]}
    assert {"time", "place", "aircraft"} <= kinds
    assert il96["triggers"] and all(t["rule"] and t["kind"] == "trigger" for t in il96["triggers"])
    sentence = il96["sentence"]
    text = Path(SEED).read_text(encoding="utf-8")
    assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    for mention in il96["mentions"] + il96["triggers"]:
        assert text[mention["start"] : mention["end"]].lower() == mention["text"].lower()


def test_explain_as_json_lines_is_one_sentence_a_line(tmp_path: Path) -> None:
    lines = _explained("--format", "jsonl").splitlines()
    assert len(lines) > 5 and all(json.loads(line)["article_id"] for line in lines)
    out = tmp_path / "why.jsonl"
    assert _explained("--format", "jsonl", "-o", str(out)) == ""
    assert out.read_text(encoding="utf-8").splitlines() == lines


@pytest.mark.parametrize(
    "args",
    [
        ("extract", SEED, "--explain", "--format", "csv"),
        ("extract", SEED, "--explain", "--aircraft", "Il-76"),
        ("extract", SEED, "--explain", "--since", "2019-01-01"),
        ("extract", SEED, "--explain", "--jobs", "2"),
        ("extract", SEED, "--explain", "--engine", "dask"),
        ("extract", SEED, "--format", "text"),
    ],
)
def test_a_flag_that_cannot_be_honoured_is_bad_usage(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_timex_published_is_the_reference_date_and_dct_its_alias(tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text("The jet landed on Dec. 10 and left on Wednesday.", encoding="utf-8")
    by_published = run("timex", str(source), "--published", "2019-01-26", "--format", "jsonl")
    by_dct = run("timex", str(source), "--dct", "2019-01-26", "--format", "jsonl")
    assert by_published.exit_code == 0 and by_published.output == by_dct.output
    first, second = (json.loads(line) for line in by_published.output.splitlines())
    assert first == {
        "start": 18,
        "end": 25,
        "text": "Dec. 10",
        "type": "DATE",
        "value": "2018-12-10",
        "mod": "",
        "earliest": "2018-12-10",
        "latest": "2018-12-10",
        "precision": "day",
    }
    assert (second["text"], second["value"]) == ("Wednesday", "2019-01-23")


def test_timex_lists_the_expressions_of_a_timeml_document(tmp_path: Path) -> None:
    document = tmp_path / "d.tml"
    document.write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>d</DOCID>\n'
        '<DCT><TIMEX3 tid="t0" type="DATE" value="2019-01-26" functionInDocument="CREATION_TIME">'
        'January 26, 2019</TIMEX3></DCT>\n<TEXT>The convoy left <TIMEX3 tid="t1" '
        'type="DATE" value="2019-01-23">on Wednesday</TIMEX3>.</TEXT>\n</TimeML>\n',
        encoding="utf-8",
    )
    own = run("timex", str(document), "--format", "jsonl")
    assert own.exit_code == 0, own.output
    [found] = [json.loads(line) for line in own.output.splitlines()]
    assert (found["text"], found["value"], found["start"]) == ("Wednesday", "2019-01-23", 19)
    later = run("timex", str(document), "--format", "jsonl", "--published", "2019-02-02")
    assert json.loads(later.output)["value"] == "2019-01-30"
    tagged = run("timex", str(document), "--published", "2019-02-02")
    assert 'value="2019-01-30"' in tagged.output


def test_timex_lines_are_timeml_expressions_a_range_two_of_them(tmp_path: Path) -> None:
    source = tmp_path / "r.txt"
    source.write_text("Between Dec. 10 and Dec. 14 last year, an An-124 flew to Caracas.")
    result = run("timex", str(source), "--published", "2019-01-26", "--format", "tsv")
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        ("8", "15", "Dec. 10", "2018-12-10"),
        ("20", "37", "Dec. 14 last year", "2018-12-14"),
    ]
