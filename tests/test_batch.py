"""Batch runs: inputs (globs, stdin lists, JSON Lines), parallel and Dask engines, progress,
Parquet — and that the table never depends on how the work was split."""

import gzip
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import batch as batch_module
from timeline import corpus, external_sort
from timeline.batch import run
from timeline.cli import main
from timeline.corpus import Source, expand, parse_record, read_source
from timeline.external_sort import SortedTable
from timeline.ingest import ArticleError
from timeline.table import (
    COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    concat_tables,
    parquet_stream,
    render,
    render_stream,
    to_frame,
    write_atomic,
)

STORIES = [
    "Two Russian Il-76 transport planes landed in Caracas on Wednesday, the ministry said.",
    "An Antonov An-124 cargo jet flew from Moscow to Havana on March 3, officials said.",
    "A Boeing 747 carrying 200 passengers left Wuhan on Monday and landed in Sydney.",
    "Two Chinese Y-20 airlifters arrived in Belgrade on Saturday, the defence ministry said.",
    "A Qatari C-17 flew from Doha to Kabul on Tuesday with aid, officials said.",
]


def story(n: int) -> str:
    """A short article, different for every n, that gives at least one event."""
    extra = f" The crew of {n + 2} stayed for {n % 9 + 2} days."
    return STORIES[n % len(STORIES)] + extra


def write_corpus(path: Path, n: int, first: int = 0) -> Path:
    lines = [
        json.dumps({"id": f"s{i:03d}", "published": "2021-03-05", "text": story(i)})
        for i in range(first, first + n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_files(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = f"# Story {i}\n\nMarch 5, 2021\n\n{story(i)}\n"
        (folder / f"f{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def invoke(*args: str, stdin: str | None = None) -> object:
    return CliRunner().invoke(main, list(args), input=stdin)


# --- JSON Lines records -------------------------------------------------------------------


def test_record_fields_become_article_metadata() -> None:
    line = json.dumps(
        {
            "id": "wire-1",
            "title": "  Jets   land ",
            "published": "2019-01-24T22:30:00+03:00",
            "url": "https://example.org/a",
            "text": "A jet landed in Caracas on Wednesday.",
        }
    )
    article = parse_record(line, "dump:1", where="dump.jsonl:1")
    assert article.article_id == "wire-1"
    assert article.headline == "Jets land"
    assert article.published == date(2019, 1, 24)
    assert article.source_url == "https://example.org/a"
    assert article.text == "A jet landed in Caracas on Wednesday."


def test_a_text_opening_with_its_title_keeps_the_title_out_of_the_body() -> None:
    title = "Two C-17s land in Accra"
    text = f"{title}\nTwo C-17s landed in Accra on Monday."
    article = parse_record(json.dumps({"title": title, "text": text}), "d:1", where="x")
    assert article.text[article.body_start :] == "Two C-17s landed in Accra on Monday."
    other = parse_record(json.dumps({"title": "Airlift", "text": text}), "d:1", where="x")
    assert other.body_start == 0  # a first line that is not the title is news
    paged = parse_record(
        json.dumps({"title": title, "text": f"Skip to content\n{text}"}), "d", where="x"
    )
    assert paged.text[paged.body_start :] == "Two C-17s landed in Accra on Monday."
    lead = "Two C-17s landed in Accra on Monday."
    told = parse_record(
        json.dumps({"title": lead, "text": f"{lead}\nMore are due."}), "d", where="x"
    )
    assert told.body_start == 0  # a title that is a sentence is the lead, news of its own
    twice = parse_record(json.dumps({"title": title, "text": f"{title}\n{text}"}), "d", where="x")
    assert twice.text[twice.body_start :] == "Two C-17s landed in Accra on Monday."


def test_record_without_id_uses_file_and_line_and_numeric_id_is_kept() -> None:
    assert parse_record('{"text": "A jet landed."}', "dump:9", where="x").article_id == "dump:9"
    assert parse_record('{"id": 42, "text": "A jet."}', "dump:9", where="x").article_id == "42"


@pytest.mark.parametrize(
    "line, reason",
    [
        ("not json", "not valid JSON"),
        ('{"text": "unterminated', "not valid JSON"),
        ('["a list"]', "not a JSON object"),
        ('{"title": "no text"}', "no 'text' field"),
        ('{"text": "   "}', "no 'text' field"),
        ('{"text": 5}', "no 'text' field"),
        ('{"text": "A jet landed.", "published": "someday"}', "'published' is not a date"),
        ('{"text": "A jet landed.", "published": 1548288000}', "'published' is not a date"),
        (b'{"text": "caf\xe9"}', "not UTF-8"),
    ],
)
def test_bad_records_are_one_line_errors_naming_file_and_line(
    line: str | bytes, reason: str
) -> None:
    with pytest.raises(ArticleError, match=reason) as caught:
        parse_record(line, "dump:3", where="dump.jsonl:3")
    assert str(caught.value).startswith("dump.jsonl:3: ")
    assert "\n" not in str(caught.value)


def test_corpus_is_split_into_sources_by_bytes_that_keep_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_file = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"id": f"s{i:03d}", "text": f"A jet landed in Riga, {i:03d}."})
        for i in range(35)
    ]
    corpus_file.write_text("".join(line + "\n" for line in lines))
    assert len({len(line) for line in lines}) == 1
    monkeypatch.setattr(corpus, "SOURCE_BYTES", 16 * (len(lines[0]) + 1) - 10)
    sources, failures = expand([str(corpus_file)])
    assert failures == []
    assert [(s.line, s.count) for s in sources] == [(1, 16), (17, 16), (33, 3)]
    assert sum(s.size for s in sources) == corpus_file.stat().st_size
    third = list(read_source(sources[2]))
    assert [a.article_id for a in third] == ["s032", "s033", "s034"]
    assert [a.path for a in third] == [f"{corpus_file}:{n}" for n in (33, 34, 35)]


def test_blank_and_tiny_lines_make_few_sources(tmp_path: Path) -> None:
    corpus_file = tmp_path / "sparse.jsonl"
    corpus_file.write_text('{"text": "x"}\n\n' * 2000)
    sources, _ = expand([str(corpus_file)])
    assert len(sources) == 1
    assert (sources[0].line, sources[0].count) == (1, 4000)
    assert len(batch_module._tasks(sources)) == 1


def test_blank_lines_are_skipped_and_ids_count_physical_lines(tmp_path: Path) -> None:
    corpus = tmp_path / "dump.jsonl"
    corpus.write_text('{"text": "A jet landed."}\n\n   \n{"text": "A jet left."}\n')
    (source,) = expand([str(corpus)])[0]
    assert [a.article_id for a in read_source(source)] == ["dump:1", "dump:4"]


def test_gzipped_corpus_is_read(tmp_path: Path) -> None:
    plain = write_corpus(tmp_path / "plain.jsonl", 3)
    packed = tmp_path / "wire.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    (source,) = expand([str(packed)])[0]
    assert source.count == 3
    assert [a.text for a in read_source(source)] == [story(i) for i in range(3)]


def test_damaged_gzip_corpora_are_reported(tmp_path: Path) -> None:
    packed = gzip.compress(write_corpus(tmp_path / "plain.jsonl", 20).read_bytes())
    bad, cut = tmp_path / "bad.jsonl.gz", tmp_path / "cut.jsonl.gz"
    bad.write_bytes(b"not gzip at all")
    cut.write_bytes(packed[: len(packed) // 2])
    sources, failures = expand([str(bad), str(cut)])
    assert sources == []
    assert failures == [f"{bad}: not a gzip file", f"{cut}: the gzip file is cut short"]


def test_published_option_overrides_the_record_date(tmp_path: Path) -> None:
    (source,) = expand([str(write_corpus(tmp_path / "c.jsonl", 1))])[0]
    (article,) = read_source(source, published=date(2020, 1, 1))
    assert article.published == date(2020, 1, 1)


# --- expanding inputs ---------------------------------------------------------------------


def test_quoted_glob_is_expanded_recursively_and_sorted(tmp_path: Path) -> None:
    write_files(tmp_path / "archive" / "2021", 2)
    write_files(tmp_path / "archive" / "2020", 1)
    (tmp_path / "archive" / "notes.md").write_text("x")
    sources, failures = expand([str(tmp_path / "archive" / "**" / "*.txt")])
    assert failures == []
    names = [Path(s.path).relative_to(tmp_path / "archive").as_posix() for s in sources]
    assert names == ["2020/f000.txt", "2021/f000.txt", "2021/f001.txt"]


def test_pattern_matching_nothing_is_a_failure(tmp_path: Path) -> None:
    sources, failures = expand([str(tmp_path / "*.html")])
    assert sources == []
    assert failures == [f"{tmp_path / '*.html'}: no file matches this pattern"]


def test_folder_includes_corpora_and_paths_named_twice_are_read_once(tmp_path: Path) -> None:
    write_files(tmp_path, 2)
    (tmp_path / "sub").mkdir()
    write_corpus(tmp_path / "sub" / "wire.jsonl", 2)
    sources, _ = expand([str(tmp_path), str(tmp_path / "f001.txt")])
    assert [(Path(s.path).name, s.line) for s in sources] == [
        ("f000.txt", 0),
        ("f001.txt", 0),
        ("wire.jsonl", 1),
    ]


def test_files_sharing_a_name_in_different_folders_get_distinct_ids(tmp_path: Path) -> None:
    text = "# Title\n\n2021-06-10\n\nA C-17 landed in Riga on Monday.\n"
    for folder in ("site/a", "site/b"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.txt").write_text(text)
    (tmp_path / "site" / "other.txt").write_text(text)
    result = invoke("extract", str(tmp_path / "site"), "--format", "jsonl", "-j", "1")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert sorted(r["article_id"] for r in rows) == ["a/index", "b/index", "other"]
    assert len({r["event_id"] for r in rows}) == 3


def test_paths_on_stdin(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "a", 3)
    listing = f"{folder / 'f002.txt'}\n\n{folder / 'f000.txt'}\n"
    result = invoke("extract", "-", "--format", "jsonl", stdin=listing)
    assert result.exit_code == 0, result.output
    ids = {json.loads(line)["article_id"] for line in result.output.splitlines()}
    assert ids == {"f000", "f002"}


def test_missing_corpus_is_reported(tmp_path: Path) -> None:
    sources, failures = expand([str(tmp_path / "gone.jsonl")])
    assert sources == [] and failures == [f"{tmp_path / 'gone.jsonl'}: no such file"]


# --- the CLI on corpora -------------------------------------------------------------------


def test_bad_lines_are_partial_failures_not_a_crash(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "wire.jsonl", 3)
    lines = corpus.read_text().splitlines()
    lines.insert(1, '{"text": "broken')
    corpus.write_text("\n".join(lines) + "\n")
    out = tmp_path / "events.csv"
    result = invoke("extract", str(corpus), "-o", str(out))
    assert result.exit_code == 3
    assert f"skipped: {corpus}:2: not valid JSON" in result.output
    assert "Traceback" not in result.output
    table = pd.read_csv(out, dtype=str)
    assert set(table["article_id"]) == {"s000", "s001", "s002"}


def test_relative_dates_resolve_against_the_record_date(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    record = {"published": "2021-03-05", "text": "Two Il-76 planes landed in Caracas on Wednesday."}
    corpus.write_text(json.dumps(record) + "\n")
    result = invoke("extract", str(corpus), "--format", "json")
    (row,) = json.loads(result.output)
    assert (row["article_id"], row["start"], row["end"]) == ("c:1", "2021-03-03", "2021-03-03")
    assert (row["icao_type"], row["destination"]) == ("IL76", "Caracas")


def test_undated_warnings_are_capped(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": story(i)}) + "\n" for i in range(8)))
    result = invoke("extract", str(corpus), "-o", str(tmp_path / "out.csv"), "-j", "1")
    assert result.output.count("no publication date found") == 5
    assert "3 more articles have no publication date" in result.output


def test_explain_reads_corpora(tmp_path: Path) -> None:
    result = invoke("extract", str(write_corpus(tmp_path / "c.jsonl", 2)), "--explain")
    assert result.exit_code == 0
    assert "== s000" in result.output and "== s001" in result.output


# --- engines and determinism --------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty articles: files and a corpus, enough for several tasks."""
    folder = write_files(tmp_path_factory.mktemp("corpus"), 20)
    write_corpus(folder / "wire.jsonl", 20, first=20)
    return folder


@pytest.fixture(scope="module")
def serial_table(corpus_dir: Path) -> pd.DataFrame:
    sources, _ = expand([str(corpus_dir)])
    table = run(sources, jobs=1).table.frame()
    assert table["article_id"].nunique() == 40
    return table


def test_jobs_1_runs_in_this_process(
    corpus_dir: Path, serial_table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(batch_module, "ProcessPoolExecutor", refuse)
    sources, _ = expand([str(corpus_dir)])
    pd.testing.assert_frame_equal(run(sources, jobs=1).table.frame(), serial_table)
    one_task = sources[:3]
    assert run(one_task, jobs=2).articles == 3


def test_process_pool_gives_the_same_table(corpus_dir: Path, serial_table: pd.DataFrame) -> None:
    sources, _ = expand([str(corpus_dir)])
    assert len(batch_module._tasks(sources)) >= 3
    pd.testing.assert_frame_equal(run(sources, jobs=2).table.frame(), serial_table)


def test_table_does_not_depend_on_input_order_or_spilling(
    corpus_dir: Path, serial_table: pd.DataFrame, tmp_path: Path
) -> None:
    sources, _ = expand([str(corpus_dir)])
    spilling = SortedTable(memory_rows=3, chunk_rows=5, folder=str(tmp_path))
    with run(list(reversed(sources)), jobs=1, table=spilling) as reordered:
        assert reordered.table.spilled > 1
        chunks = list(reordered.table.chunks())
        assert {len(chunk) for chunk in chunks[:-1]} == {5}
        pd.testing.assert_frame_equal(concat_tables(chunks), serial_table)
    assert list(tmp_path.iterdir()) == []


def test_cli_output_is_byte_identical_for_any_jobs(corpus_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"events-{jobs}.csv"
        result = invoke("extract", str(corpus_dir), "-j", jobs, "-o", str(out))
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") > 40


def test_concat_tables_equals_one_table() -> None:
    blank = {c: None if c in INT_COLUMNS | FLOAT_COLUMNS else "" for c in COLUMNS}
    rows = [
        blank | {"event_id": f"{a}-{n:03d}", "article_id": a, "char_start": 10 - n, "count": n}
        for a in ("b", "a")
        for n in (1, 2)
    ]
    whole = to_frame(rows)
    parts = concat_tables([to_frame(rows[:1]), to_frame([]), to_frame(rows[1:])])
    pd.testing.assert_frame_equal(parts, whole)
    assert parts["event_id"].tolist() == ["a-002", "a-001", "b-002", "b-001"]
    assert len(concat_tables([])) == 0


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_output_in_pieces_equals_output_in_one(serial_table: pd.DataFrame, fmt: str) -> None:
    chunks = [serial_table.iloc[start : start + 7] for start in range(0, len(serial_table), 7)]
    pieces = list(render_stream([serial_table.iloc[:0], *chunks, serial_table.iloc[:0]], fmt))
    assert "".join(pieces) == render(serial_table, fmt)
    assert len(pieces) == (len(chunks) + 1 if fmt == "csv" else len(serial_table) + (fmt == "json"))


def test_stream_of_pieces_matches_the_one_document_formats(serial_table: pd.DataFrame) -> None:
    records = json.loads(serial_table.to_json(orient="records", force_ascii=False))
    halves = [serial_table.iloc[:5], serial_table.iloc[5:]]
    assert (
        "".join(render_stream(halves, "json"))
        == json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    )
    assert json.loads("".join(render_stream(halves, "json"))) == records
    empty = to_frame([])
    assert "".join(render_stream([], "json")) == "[]\n"
    assert "".join(render_stream([empty, empty], "csv")) == ",".join(COLUMNS) + "\n"
    assert "".join(render_stream([], "jsonl")) == ""


def test_atomic_write_of_pieces_leaves_no_file_when_a_piece_fails(tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    write_atomic(target, iter(["a,b\n", "1,2\n"]))
    assert target.read_text() == "a,b\n1,2\n"

    def failing() -> Iterator[str]:
        yield "x\n"
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "other.csv", failing())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]


def test_progress_bar_draws_on_a_terminal_only(corpus_dir: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    sources, _ = expand([str(corpus_dir)])
    run(sources, jobs=1, progress=screen)
    assert "40/40" in screen.getvalue() and "article" in screen.getvalue()
    result = invoke("extract", str(corpus_dir), "-j", "1", "-o", "/dev/null")
    assert "40/40" not in result.output and "%|" not in result.output


def test_batch_keeps_summaries_without_rows_and_failures(corpus_dir: Path) -> None:
    sources, _ = expand([str(corpus_dir)])
    result = run([*sources[:2], Source(path="missing.txt")], jobs=1)
    assert result.failures == ["missing.txt: no such file"]
    assert (result.articles, result.undated, result.undated_paths) == (2, 0, [])
    table = result.table.frame()
    assert sorted(set(table["article_id"])) == ["f000", "f001"]
    assert len(table) == result.table.rows >= 2


def test_dask_local_cluster_gives_the_same_table(
    corpus_dir: Path, serial_table: pd.DataFrame
) -> None:
    distributed = pytest.importorskip("distributed")
    sources, _ = expand([str(corpus_dir)])
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        table = run(sources, engine="dask", scheduler=cluster.scheduler_address).table.frame()
    pd.testing.assert_frame_equal(table, serial_table)


def test_cli_dask_engine_starts_and_stops_its_own_cluster(corpus_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert invoke("extract", str(corpus_dir), "-j", "1", "-o", str(local)).exit_code == 0
    result = invoke("extract", str(corpus_dir), "--engine", "dask", "-j", "1", "-o", str(dask))
    assert result.exit_code == 0, result.output
    assert dask.read_bytes() == local.read_bytes()


def test_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    corpus = write_corpus(tmp_path / "c.jsonl", 1)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = invoke(
            "extract", str(corpus), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"
        )
    assert result.exit_code == 1
    assert result.output.startswith("timeline: error: cannot reach the Dask scheduler")
    assert len(result.output.strip().splitlines()) == 1


def test_scheduler_without_dask_engine_is_bad_usage(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 1)
    result = invoke("extract", str(corpus), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert "--scheduler needs --engine dask" in result.output


# --- Parquet ------------------------------------------------------------------------------


def test_parquet_round_trip_keeps_values_and_types(serial_table: pd.DataFrame) -> None:
    pytest.importorskip("pyarrow")
    chunks = [serial_table.iloc[:7], serial_table.iloc[7:].reset_index(drop=True)]
    back = pd.read_parquet(io.BytesIO(b"".join(parquet_stream(chunks))))
    pd.testing.assert_frame_equal(back, serial_table)
    assert str(back["count"].dtype) == "Int64" and back["origin_lat"].dtype == "float64"


def test_cli_parquet_needs_an_output_file(corpus_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    result = invoke("extract", str(corpus_dir), "--format", "parquet")
    assert result.exit_code == 2
    assert "--format parquet is binary: give -o FILE" in result.output
    out = tmp_path / "events.parquet"
    result = invoke("extract", str(corpus_dir), "--format", "parquet", "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    csv = invoke("extract", str(corpus_dir), "--format", "csv", "-j", "1").output
    expected = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    table = pd.read_parquet(out)
    assert table["event_id"].tolist() == expected["event_id"].tolist()
    assert table["evidence"].tolist() == expected["evidence"].tolist()
    assert [f.name for f in tmp_path.iterdir()] == ["events.parquet"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_cli_output_is_the_same_when_the_table_spills_to_disk(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    in_memory, spilled = tmp_path / f"memory.{fmt}", tmp_path / f"spilled.{fmt}"
    args = ["extract", str(corpus_dir), "-j", "1", "--format", fmt, "-o"]
    assert invoke(*args, str(in_memory)).exit_code == 0
    monkeypatch.setattr(external_sort, "MEMORY_ROWS", 4)
    monkeypatch.setattr(external_sort, "CHUNK_ROWS", 6)
    writes = []
    write = external_sort.SortedTable._write
    monkeypatch.setattr(
        external_sort.SortedTable, "_write", lambda self, b: writes.append(1) or write(self, b)
    )
    monkeypatch.setenv("TMPDIR", str(tmp_path / "spill"))
    (tmp_path / "spill").mkdir()
    tempfile.tempdir = None  # let tempfile read TMPDIR again
    try:
        result = invoke(*args, str(spilled))
    finally:
        tempfile.tempdir = None
    assert result.exit_code == 0, result.output
    assert len(writes) > 5 and list((tmp_path / "spill").iterdir()) == []
    if fmt == "csv":
        assert spilled.read_bytes() == in_memory.read_bytes()
    else:
        pd.testing.assert_frame_equal(pd.read_parquet(spilled), pd.read_parquet(in_memory))
