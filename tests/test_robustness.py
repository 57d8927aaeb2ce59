"""Bad input end to end: every kind of file users feed the tool gives a correct result or a
one-line error naming the file and the reason, the right exit code, no traceback, no
half-written output; batches skip bad files; outputs are atomic and deterministic; no
regular expression blows up on pathological text."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from timeline import ingest
from timeline.cli import main
from timeline.model import Article
from timeline.pipeline import process

STORY = (
    "# Transport Jets in the Capital\n\nMarch 5, 2021\n\n"
    "Two Russian Il-76 transport planes landed in Caracas on Wednesday, the ministry said.\n"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line_error(result: Result, *words: str) -> None:
    """The run failed with exit 1, no output and one error line naming every word."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("timeline: error: ")
    for word in words:
        assert word in line, (word, line)


def table(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- single bad inputs -------------------------------------------------------------------


def test_nonexistent_path(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = run("extract", str(tmp_path / "absent.txt"), "-o", str(out))
    one_line_error(result, "absent.txt", "no such file")
    assert not out.exists()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("report.pdf", PDF, "not a text article (a PDF document)"),
        ("report.txt", PDF, "not a text article (a PDF document)"),
        ("photo.png", PNG, "not a text article (a PNG image)"),
        ("empty.txt", b"", "empty file"),
        ("blank.md", b" \n\t\r\n  \n", "empty file"),
        ("nul.txt", b"An Il-76 landed.\x00\x01\x02" * 50, "binary data"),
        ("noise.txt", bytes((n * 7919 + 13) % 255 + 1 for n in range(20_000)), "binary data"),
        ("controls.txt", bytes(range(1, 32)) * 200, "binary data"),
        ("page.html", b"<html><body><script>var a = 1;</script></body></html>", "no article"),
    ],
    ids=["pdf", "pdf-as-txt", "png", "empty", "whitespace", "nul", "noise", "controls", "html"],
)
def test_unreadable_file_is_a_one_line_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    out = tmp_path / "out.csv"
    result = run("extract", str(write(tmp_path, name, content)), "-o", str(out))
    one_line_error(result, name, reason)
    assert not out.exists()


def test_folder_of_mixed_files_reads_the_articles_and_passes_over_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", STORY)
    write(tmp_path, "b.md", "An Antonov An-124 flew from Moscow to Havana on 3 March 2021.\n")
    write(
        tmp_path,
        "c.html",
        "<html><head><title>Cargo jet</title></head><body><article><p>A Boeing 747 cargo "
        "jet flew from Doha to Kabul on 4 March 2021 with medical aid for the hospitals, "
        "officials said on Thursday.</p></article></body></html>",
    )
    write(tmp_path, "scan.pdf", PDF)
    write(tmp_path, "photo.png", PNG)
    result = run("extract", str(tmp_path), "--published", "2021-03-05")
    assert result.exit_code == 0, result.output
    rows = table(result.stdout)
    assert set(rows["article_id"]) == {"a", "b", "c"}
    by_article = rows.drop_duplicates("article_id").set_index("article_id")
    assert by_article.loc["a", "icao_type"] == "IL76"
    assert by_article.loc["b", "icao_type"] == "A124"
    assert (by_article.loc["c", "origin"], by_article.loc["c", "destination"]) == ("Doha", "Kabul")
    assert "scan" not in result.stderr and "photo" not in result.stderr


def test_legacy_encodings_are_decoded_with_quotes_and_accents_intact(tmp_path: Path) -> None:
    cp1252 = "The minister said: \u201cAn Il-76 landed in S\u00e3o Paulo on 3 March 2021\u201d \u2014 officially."
    latin1 = "Ein Airbus A400M flog am 3. M\u00e4rz 2021 \u00fcber M\u00fcnchen nach Z\u00fcrich."
    write(tmp_path, "windows.txt", cp1252.encode("cp1252"))
    write(tmp_path, "latin.txt", latin1.encode("latin-1"))
    write(
        tmp_path,
        "short.txt",
        "\u201cJets landed\u201d, caf\u00e9 \u00e0 Bras\u00edlia.".encode("cp1252"),
    )
    assert ingest.read_article(tmp_path / "windows.txt").text == cp1252
    assert ingest.read_article(tmp_path / "latin.txt").text == latin1
    assert (
        "\u201cJets landed\u201d, caf\u00e9 \u00e0"
        in ingest.read_article(tmp_path / "short.txt").text
    )
    result = run("extract", str(tmp_path / "windows.txt"))
    assert result.exit_code == 0, result.output
    assert table(result.stdout).loc[0, "evidence"] == cp1252


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: text.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16-bom", "crlf", "cr"],
)
def test_boms_and_line_ends(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    path = write(tmp_path, "story.txt", encode(STORY + "\n\u201cQuoted\u201d.\n"))
    article = ingest.read_article(path)
    assert article.headline == "Transport Jets in the Capital"
    assert article.published == date(2021, 3, 5)
    assert "\r" not in article.text and "\ufeff" not in article.text
    rows = table(run("extract", str(path)).stdout)
    assert rows.loc[0, "icao_type"] == "IL76"
    assert rows.loc[0, "start"] == "2021-03-03"
    start, end = int(rows.loc[0, "char_start"]), int(rows.loc[0, "char_end"])
    assert article.text[start:end] == rows.loc[0, "evidence"]


def test_utf8_cut_mid_character_keeps_its_text(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.txt", (STORY + "Caf\u00e9 \u201c").encode("utf-8")[:-1])
    article = ingest.read_article(path)
    assert "Caf\u00e9 \ufffd" in article.text
    assert article.headline == "Transport Jets in the Capital"


def test_fifty_megabyte_text_is_refused_quickly_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    with path.open("wb") as stream:
        for _ in range(50):
            stream.write(STORY.encode("utf-8") * (1_000_000 // len(STORY)))
    result = run("extract", str(path))
    one_line_error(result, "dump.txt", "1,000,000", "split it")


def test_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, "big.html", b"<html>" + b" " * 2000)
    with pytest.raises(ingest.ArticleError, match=r"big\.html: over the 0 MB limit"):
        ingest.read_article(path)


def test_article_without_date_keeps_relative_dates_open(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "undated.txt",
        "An Il-76 flew from Moscow to Caracas on Wednesday. An An-124 landed in Havana "
        "on 3 March 2021.\n",
    )
    result = run("extract", str(path))
    assert result.exit_code == 0
    assert "no publication date" in result.stderr and "undated.txt" in result.stderr
    rows = table(result.stdout).set_index("icao_type")
    assert (rows.loc["IL76", "start"], rows.loc["IL76", "end"]) == ("", "")
    assert (rows.loc["A124", "start"], rows.loc["A124", "end"]) == ("2021-03-03", "2021-03-03")


@pytest.mark.parametrize(
    "sentence",
    [
        "An Il-76 flew from Moscow to Caracas on 31 February 2019.",
        "An Il-76 flew from Moscow to Caracas on February 30.",
        "In the year 99999 an Il-76 flew from Moscow to Caracas.",
        "An Il-76 flew from Moscow to Caracas on Dec. 32.",
        "An Il-76 flew from Moscow to Caracas on 2019-13-45.",
    ],
)
@pytest.mark.parametrize("published", [None, date(2019, 3, 1), date.min, date.max])
def test_impossible_dates_give_no_dates(sentence: str, published: date | None) -> None:
    article = Article("x", sentence, published=published)
    events = process(article).events
    assert [e.destination.name for e in events if e.destination] == ["Caracas"]
    assert all(e.when is None or (e.when.earliest, e.when.latest) == (None, None) for e in events)


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_relative_dates_at_the_ends_of_the_calendar(tmp_path: Path, published: str) -> None:
    path = write(
        tmp_path,
        "edge.txt",
        "An Il-76 flew to Caracas last week. It will fly to Havana next year. "
        "The jet left Minsk the following day.\n",
    )
    result = run("extract", str(path), "--published", published)
    assert result.exit_code == 0, result.output
    for _, row in table(result.stdout).iterrows():
        assert "0001-01-01" <= (row["start"] or "0001-01-01") <= (row["end"] or "9999-12-31")


@pytest.mark.parametrize(
    "line",
    [
        "x" * 500_000,
        "the weather was mild and the markets were calm " * 6_000,
        ", " * 150_000,
    ],
    ids=["one-word", "one-sentence", "punctuation"],
)
def test_extremely_long_line(tmp_path: Path, line: str) -> None:
    path = write(tmp_path, "long.txt", STORY + line + "\n\nAn An-124 landed in Havana.\n")
    result = run("extract", str(path))
    assert result.exit_code == 0, result.output
    assert {"IL76", "A124"} <= set(table(result.stdout)["icao_type"])


def _nested(depth: int) -> str:
    return (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + "<p>An Il-76 flew from Moscow to Caracas on 3 March 2021, officials said, adding "
        "that the crew would rest before the return flight.</p>"
        + "</div>" * depth
        + "</body></html>"
    )


def test_deeply_nested_html_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.html", _nested(1000))
    result = run("extract", str(path))
    assert result.exit_code == 0, result.output
    assert table(result.stdout).loc[0, "destination"] == "Caracas"


def test_html_nested_beyond_the_parser_limit_is_a_one_line_error(tmp_path: Path) -> None:
    path = write(tmp_path, "abyss.html", _nested(50_000))
    one_line_error(run("extract", str(path)), "abyss.html", "nested over 2048 deep")


# --- batches ------------------------------------------------------------------------------


def test_bad_files_in_a_batch_are_reported_and_skipped(tmp_path: Path) -> None:
    for n in range(4):
        write(
            tmp_path,
            f"good{n}.txt",
            STORY.replace("Caracas", ["Havana", "Minsk", "Caracas", "Kabul"][n]),
        )
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "scan.txt", PDF)
    write(tmp_path, "noise.md", b"\x00\xff" * 100)
    out = tmp_path / "out"
    result = run("build", str(tmp_path), str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    skipped = [line for line in result.stderr.splitlines() if "skipped:" in line]
    assert sorted(line.split(": ")[2].rsplit("/", 1)[-1] for line in skipped) == [
        "empty.txt",
        "missing.txt",
        "noise.md",
        "scan.txt",
    ]
    assert "4 files failed" in result.stderr
    rows = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert sorted(rows["destination"]) == ["Caracas", "Havana", "Kabul", "Minsk"]


def test_an_internal_error_on_one_article_costs_only_that_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.pipeline

    real = timeline.pipeline.process

    def flaky(article: Article, **options: object) -> object:
        if article.article_id == "cursed":
            raise RuntimeError("rule table\nbroken")
        return real(article, **options)

    monkeypatch.setattr(timeline.pipeline, "process", flaky)
    write(tmp_path, "cursed.txt", STORY)
    write(tmp_path, "fine.txt", STORY)
    result = run("extract", str(tmp_path), "-j", "1")
    assert result.exit_code == 3
    assert set(table(result.stdout)["article_id"]) == {"fine"}
    [line] = [line for line in result.stderr.splitlines() if "cursed" in line]
    assert line.endswith("cursed.txt: internal error (RuntimeError: rule table broken)")


def test_debug_shows_the_traceback_of_an_unexpected_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.table

    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(timeline.table, "render_stream", broken)
    seed = str(Path(__file__).parents[1] / "seeds")
    one_line_error(run("extract", seed), "RuntimeError: renderer broke")
    result = run("extract", seed, "--debug")
    assert isinstance(result.exception, RuntimeError)


def test_real_process_prints_no_traceback_and_exits_partial(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", STORY)
    write(tmp_path, "scan.txt", PDF)
    write(tmp_path, "empty.txt", "")
    command = [sys.executable, "-c", "from timeline.cli import main; main()", "extract"]
    partial = subprocess.run(
        [*command, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert partial.returncode == 3
    assert "Traceback" not in partial.stderr
    assert len(table(partial.stdout)) == 1
    failed = subprocess.run(
        [*command, str(tmp_path / "scan.txt"), str(tmp_path / "empty.txt"), "nope.txt"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert "Traceback" not in failed.stderr
    assert len(failed.stderr.splitlines()) == 4


# --- outputs ------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_interrupted_write_leaves_the_previous_output_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    source = write(tmp_path, "story.txt", STORY)
    out = tmp_path / "out"
    assert run("build", str(source), "-o", str(out)).exit_code == 0
    before = {name: (out / name).read_bytes() for name in ("events.csv", "timeline.html")}
    write(tmp_path, "story.txt", STORY.replace("Caracas", "Havana"))

    def fail(_descriptor: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    result = run("build", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert {name: (out / name).read_bytes() for name in before} == before
    assert _leftovers(out) == []


def test_unwritable_output_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.pipeline

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an article was processed")

    monkeypatch.setattr(timeline.pipeline, "process", never)
    source = write(tmp_path, "story.txt", STORY)
    blocker = write(tmp_path, "file", "not a folder")
    one_line_error(
        run("extract", str(source), "-o", str(tmp_path / "no" / "x.csv")), "does not exist"
    )
    one_line_error(
        run("build", str(source), "-o", str(blocker / "out")), "cannot create the output folder"
    )
    assert run("extract", str(source), "-o", str(tmp_path)).exit_code == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    source = write(tmp_path, "story.txt", STORY)
    one_line_error(run("extract", str(source), "-o", str(folder / "x.csv")), "not writable")


def test_output_to_a_pipe_writes_through_it(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = run("extract", str(write(tmp_path, "story.txt", STORY)), "-o", str(pipe))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert table(received[0].decode("utf-8")).loc[0, "icao_type"] == "IL76"
    assert _leftovers(tmp_path) == []


def test_output_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    target = write(tmp_path, "real.csv", "old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("extract", str(write(tmp_path, "story.txt", STORY)), "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert table(target.read_text(encoding="utf-8")).loc[0, "icao_type"] == "IL76"


def test_csv_cells_cannot_run_formulas(tmp_path: Path) -> None:
    headlines = ['=HYPERLINK("http://evil.example")', "+SUM(A1)", "@cmd", "-2+3", "-12.5"]
    for n, headline in enumerate(headlines):
        write(tmp_path, f"f{n}.txt", STORY.replace("Transport Jets in the Capital", headline))
    result = run("extract", str(tmp_path))
    cells = table(result.stdout).drop_duplicates("article_id")["headline"].tolist()
    assert cells == ["'" + h for h in headlines[:4]] + ["-12.5"]
    records = json.loads(run("extract", str(tmp_path), "--format", "json").stdout)
    assert [r["headline"] for r in records] == headlines


# --- determinism --------------------------------------------------------------------------


def test_same_files_in_any_order_give_identical_bytes(tmp_path: Path) -> None:
    names = ["zulu.txt", "alpha.md", "mike.txt", "sub/bravo.txt"]
    texts = {
        name: STORY.replace("Caracas", city)
        for name, city in zip(names, ["Havana", "Minsk", "Kabul", "Doha"], strict=True)
    }
    outputs = []
    for label, order in (("one", names), ("two", names[::-1])):
        folder = tmp_path / label / "in"
        (folder / "sub").mkdir(parents=True)
        for name in order:
            write(folder, name, texts[name])
            time.sleep(0.01)
        result = run("build", str(folder), "-o", str(tmp_path / label / "out"))
        assert result.exit_code == 0, result.output
        outputs.append(
            [(tmp_path / label / "out" / f).read_bytes() for f in ("events.csv", "timeline.html")]
        )
    assert outputs[0] == outputs[1]
    files = [str(tmp_path / "one" / "in" / name) for name in names]
    forward = run("extract", *files).stdout
    assert forward == run("extract", *files[::-1]).stdout
    assert forward.encode("utf-8") == outputs[0][0]


# --- pathological text --------------------------------------------------------------------
# How the stages grow on these inputs is measured by benchmarks/bench_pathological.py (speed
# belongs in benchmarks, not in timed tests); here each must finish and keep its contract.

PATHOLOGICAL = {
    "digits": "9" * 200_000,
    "dec": "Dec. " * 40_000,
    "flew-to": "flew to " * 30_000,
    "dense-sentence": "The plane flew to Moscow, " * 4_000,
    "bare-names": "John Smith flew to Paris, and Anna Berg landed in Rome, " * 2_000,
}


@pytest.mark.parametrize("case", PATHOLOGICAL)
def test_the_pipeline_reads_pathological_text(case: str) -> None:
    text = PATHOLOGICAL[case]
    result = process(Article("x", text, published=date(2020, 1, 1)))
    for event in result.events:
        assert text[event.char_start : event.char_end] == event.evidence
