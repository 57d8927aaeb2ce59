"""The `timeline` command: a thin layer over the library.

Every command parses its options, calls the library and prints. Errors the user
can act on (a missing file, an unknown aircraft type, an unwritable output) end
the run with one line on stderr and a non-zero exit; `--debug` shows tracebacks.
Exit codes: 0 all good, 1 nothing could be done, 2 bad usage, 3 partial batch, 141 when
the reader of standard output closed it early (`timeline types | head -2`), as `cat` does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from timeline.cli_options import (
    EXIT_PARTIAL,
    EXIT_PIPE,
    UserError,
    batch_options,
    check_batch_options,
    check_queries,
    check_writable,
    filter_options,
    iso_date,
    one_line_errors,
    read_inputs,
    require,
    run_batch,
)
from timeline.outputs import Filters, Tally, export, export_movements, filtered, with_movements
from timeline.resources import seeds_dir
from timeline.terminal import printable, shown
from timeline.words import plural


def _reader_gone() -> None:
    """End the run quietly after the reader of stdout closed it (`... | head`).

    Standard output is pointed at /dev/null so the interpreter's last flush cannot fail
    again and print a traceback at exit.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test runner's buffer)
        pass
    finally:
        os.close(devnull)
    sys.exit(EXIT_PIPE)


class _Commands(click.Group):
    """The command group; a closed output pipe ends any command quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _reader_gone()


def entry() -> None:
    """The `timeline` executable: the commands, then a last flush that may meet a closed pipe."""
    try:
        main()
    except SystemExit as done:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _reader_gone()
        raise done


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flight-timeline")
def main() -> None:
    """Turn news articles about aircraft movements into a dated event table and timeline."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option(
    "-o",
    "--outdir",
    type=click.Path(file_okay=False),
    default="timeline-out",
    show_default=True,
    help="Folder for events.csv, movements.csv and timeline.html.",
)
@click.option("--cdn", is_flag=True, help="Load plotly.js from the web (smaller page).")
@filter_options
@batch_options
@one_line_errors
def build(
    inputs: tuple[str, ...],
    outdir: str,
    cdn: bool,
    aircraft: tuple[str, ...],
    since: date | None,
    until: date | None,
    kind: str | None,
    published: date | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    follow_symlinks: bool,
) -> None:
    """Extract articles (default: the bundled seed) into events.csv, movements.csv and
    timeline.html.

    INPUTS are article files, folders (searched recursively), glob patterns, JSON Lines
    corpora (.jsonl, .jsonl.gz: one article per line), or `-` for paths read from stdin.
    """
    from timeline import movements
    from timeline.page import render_page
    from timeline.table import concat_tables, render_stream, write_all_atomic

    check_batch_options(engine, scheduler)
    check_queries(aircraft)
    filters, tally = Filters(aircraft, since, until, kind), Tally()
    inputs = inputs or (str(seeds_dir()),)
    folder = Path(outdir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{folder}: cannot create the output folder ({error.strerror})") from None
    csv_path, page_path = folder / "events.csv", folder / "timeline.html"
    moves_path = folder / "movements.csv"
    for path in (csv_path, moves_path, page_path):
        check_writable(path)
    outputs = (str(csv_path), str(moves_path), str(page_path), str(folder))
    with run_batch(
        inputs,
        published,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        follow_symlinks=follow_symlinks,
        outputs=outputs,
    ) as batch:
        whole = batch.table.frame()
        table = movements.apply(whole, movements.plan(whole))
    frame = concat_tables(filtered([table], filters, tally))
    moves = movements.summarize(frame)
    emptied = tally.emptied_by(filters)
    page = render_page(frame, cdn=cdn, why_empty=emptied + "." if emptied else "", moves=moves)
    write_all_atomic(
        [
            (csv_path, render_stream([frame], "csv")),
            (moves_path, render_stream([moves], "csv")),
            (page_path, page),
        ]
    )
    for article_id, events in table["article_id"].value_counts(sort=False).items():
        click.echo(f"{printable(article_id)}: {plural(events, 'event')}")
    silent = batch.articles - table["article_id"].nunique()
    if silent:
        click.echo(f"{plural(silent, 'article')} gave no events")
    if emptied:
        click.echo(f"timeline: {emptied}", err=True)
    click.echo(
        f"wrote {shown(str(csv_path))} ({plural(len(frame), 'row')}), {shown(str(moves_path))} "
        f"({plural(len(moves), 'movement')}) and {shown(str(page_path))}"
    )
    if batch.failures:
        click.echo(f"{plural(len(batch.failures), 'file')} failed", err=True)
        sys.exit(EXIT_PARTIAL)


_TABLE_FORMATS = ("csv", "json", "jsonl", "parquet", "timelinejs", "geojson")
_EXPLAIN_FORMATS = ("text", "json", "jsonl")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted({*_TABLE_FORMATS, *_EXPLAIN_FORMATS})),
    help="Output format: csv (default), json, jsonl, parquet, timelinejs, geojson; "
    "with --explain: text (default), json or jsonl.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--level",
    type=click.Choice(["events", "movements"]),
    default="events",
    show_default=True,
    help="One row per reported event, or per movement (the events that tell one flight "
    "or trip, merged across sentences and articles).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Show, per sentence, the mentions, triggers and events with the rules that made them, "
    "and why other triggers gave no event.",
)
@filter_options
@batch_options
@one_line_errors
def extract(
    inputs: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    level: str,
    explain: bool,
    aircraft: tuple[str, ...],
    since: date | None,
    until: date | None,
    kind: str | None,
    published: date | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    follow_symlinks: bool,
) -> None:
    """Extract the event table of articles to stdout or a file.

    INPUTS are article files, folders (searched recursively), glob patterns, JSON Lines
    corpora (.jsonl, .jsonl.gz: one article per line), or `-` for paths read from stdin.
    """
    filters, tally = Filters(aircraft, since, until, kind), Tally()
    if explain:
        _check_explain_options(fmt, filters, jobs, engine, scheduler)
        if level != "events":
            raise click.UsageError("--explain shows the events of each sentence: drop --level")
    elif fmt not in (None, *_TABLE_FORMATS):
        raise click.UsageError(
            f"--format {fmt} is for --explain; the table is {', '.join(_TABLE_FORMATS)}"
        )
    fmt = fmt or ("text" if explain else "csv")
    check_batch_options(engine, scheduler)
    check_queries(aircraft)
    if fmt == "parquet":
        if not output:
            raise click.UsageError("--format parquet is binary: give -o FILE")
        require("pyarrow", "Parquet output", "parquet")
    if output:
        check_writable(Path(output))
    outputs = (str(output),) if output else ()
    if explain:
        _explain(inputs, published, fmt, output, follow_symlinks=follow_symlinks, outputs=outputs)
        return
    with run_batch(
        inputs,
        published,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        follow_symlinks=follow_symlinks,
        outputs=outputs,
    ) as batch:
        chunks = filtered(with_movements(batch.table), filters, tally)
        _emit(
            export(chunks, fmt) if level == "events" else export_movements(chunks, fmt),
            output,
        )
    emptied = tally.emptied_by(filters)
    if emptied:
        click.echo(f"timeline: {emptied}", err=True)
    if batch.failures:
        sys.exit(EXIT_PARTIAL)


def _emit(content: Iterable[str] | Iterable[bytes], output: str | None) -> None:
    """Write an output's pieces to a file (atomically) or, as they come, to stdout."""
    from timeline.table import write_atomic

    if output:
        write_atomic(Path(output), content)
    else:
        for piece in content:
            click.echo(piece, nl=False)


def _check_explain_options(
    fmt: str | None, filters: Filters, jobs: int | None, engine: str, scheduler: str | None
) -> None:
    """Refuse what --explain cannot honour, rather than ignore it."""
    if fmt not in (None, *_EXPLAIN_FORMATS):
        raise click.UsageError(
            f"--explain writes {', '.join(_EXPLAIN_FORMATS)}, not --format {fmt}"
        )
    if filters:
        raise click.UsageError(f"--explain shows every sentence; it does not filter ({filters})")
    if (jobs or 1) > 1 or engine != "local" or scheduler:
        raise click.UsageError(
            "--explain runs in this process: drop --jobs, --engine and --scheduler"
        )


def _explain(
    inputs: tuple[str, ...],
    published: date | None,
    fmt: str,
    output: str | None,
    **expansion: Any,
) -> None:
    """Explain, in this process, why each sentence of each article gave events or not."""
    from timeline.corpus import read_source

    sources, failures = read_inputs(inputs, **expansion)
    explained = [0]

    def pieces() -> Iterator[str]:
        from timeline.explain import explain_lines, explain_records
        from timeline.ingest import ArticleError
        from timeline.pipeline import process
        from timeline.table import json_text

        records: list[Any] = []
        for source in sources:
            for article in read_source(source, published=published):
                if isinstance(article, ArticleError):
                    failures.append(str(article))
                    continue
                result = process(article, explain=True)
                explained[0] += 1
                if fmt == "text":
                    yield "".join(f"{printable(line)}\n" for line in explain_lines(result))
                elif fmt == "jsonl":
                    yield "".join(json_text(r) + "\n" for r in explain_records(result))
                else:
                    records.extend(explain_records(result))
        if fmt == "json":
            yield json_text(records, indent=1) + "\n"

    _emit(pieces(), output)
    for failure in failures:
        click.echo(f"timeline: skipped: {printable(failure)}", err=True)
    if not explained[0]:
        raise UserError(f"none of the {plural(len(failures), 'input article')} could be read")
    if failures:
        sys.exit(EXIT_PARTIAL)


@main.command()
@click.argument("query", required=False)
def types(query: str | None) -> None:
    """List the aircraft catalogue, or the types matching QUERY."""
    from timeline.aircraft import list_types

    found = list_types(query)
    if not found:
        raise UserError(f"no aircraft type matches {query!r}")
    for entry in found:
        click.echo(f"{entry.icao_type:6} {entry.name:40} {entry.manufacturer:24} {entry.role}")


_TIMEX_FIELDS = ("start", "end", "text", "type", "value", "mod", "earliest", "latest", "precision")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--published",
    "--dct",
    "published",
    callback=iso_date,
    help="Reference date YYYY-MM-DD that relative dates resolve against (the document "
    "creation time; a .tml file's own DCT otherwise).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["timeml", "tsv", "jsonl"]),
    default="timeml",
    show_default=True,
    help="TimeML-annotated text, or one expression per line (tab-separated or JSON: "
    + ", ".join(_TIMEX_FIELDS)
    + ").",
)
def timex(inputs: tuple[str, ...], published: date | None, fmt: str) -> None:
    """Tag and normalise temporal expressions (TIMEX3) in text or TimeML (.tml) files."""
    from timeline.ingest import ArticleError, decode, read_bytes

    for name in inputs:
        try:
            _timex_file(name, decode(read_bytes(name), name), published, fmt)
        except ArticleError as error:
            raise UserError(str(error)) from None
        except ValueError as error:  # a malformed TimeML document
            raise UserError(f"{name}: {error}") from None


def _timex_file(name: str, text: str, published: date | None, fmt: str) -> None:
    """Print one file's temporal expressions; a malformed TimeML file raises ValueError."""
    from timeline import timeml
    from timeline.table import json_text

    tml = name.endswith(".tml") or "<TimeML" in text[:2000]
    if fmt == "timeml":
        click.echo(
            timeml.annotate_tml(text, published) if tml else timeml.annotate(text, published),
            nl=not tml,
        )
        return
    if tml:
        timeml.text_element(text)
    reference = published or (timeml.document_creation_time(text) if tml else None)
    for m in timeml.timex3s(timeml.plain_text(text) if tml else text, reference):
        earliest, latest = (day.isoformat() if day else None for day in (m.earliest, m.latest))
        values = [m.start, m.end, m.text, m.type, m.value, m.mod, earliest, latest, m.precision]
        if fmt == "jsonl":
            click.echo(json_text(dict(zip(_TIMEX_FIELDS, values, strict=True))))
        else:
            click.echo("\t".join("" if v is None else str(v) for v in values))
