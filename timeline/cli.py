"""The `timeline` command: a thin layer over the library.

Every command parses its options, calls the library and prints. Errors the user
can act on (a missing file, an unknown aircraft type, an unwritable output) end
the run with one line on stderr and a non-zero exit; `--debug` shows tracebacks.
Exit codes: 0 all good, 1 nothing could be done, 2 bad usage, 3 partial batch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click

from timeline.resources import seeds_dir

EXIT_FAILED = 1
EXIT_PARTIAL = 3


class UserError(click.ClickException):
    """An error explained in one line, ending the run with exit code 1."""

    exit_code = EXIT_FAILED

    def show(self, file: Any = None) -> None:
        click.echo(f"timeline: error: {self.format_message()}", err=True)


def _iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _guarded(command: Callable[..., None]) -> Callable[..., None]:
    """Turn unexpected exceptions into one-line errors unless --debug is given."""

    @wraps(command)
    def run(*args: Any, debug: bool = False, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as error:
            if debug:
                raise
            raise UserError(f"{type(error).__name__}: {error}") from None

    return run


def filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """Options shared by `build` and `extract`: filters, publication date, debug."""
    options = [
        click.option(
            "--aircraft",
            "aircraft",
            multiple=True,
            help="Keep rows of this aircraft type, family, maker or role (repeatable).",
        ),
        click.option("--since", callback=_iso_date, help="Keep events that end on or after DATE."),
        click.option(
            "--until", callback=_iso_date, help="Keep events that start on or before DATE."
        ),
        click.option("--kind", type=click.Choice(["aircraft", "personnel"]), help="Keep one kind."),
        click.option(
            "--published",
            callback=_iso_date,
            help="Publication date YYYY-MM-DD (overrides the date found in the article).",
        ),
        click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def batch_options(command: Callable[..., None]) -> Callable[..., None]:
    """Options shared by `build` and `extract` for big corpora: cores, engine, cluster."""
    options = [
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            help="Worker processes (default: every core; 1 runs in this process).",
        ),
        click.option(
            "--engine",
            type=click.Choice(["local", "dask"]),
            default="local",
            show_default=True,
            help="Run on local cores, or on Dask (pip install 'flight-timeline[dask]').",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler to use (tcp://host:8786); default: start a local cluster.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _check_batch_options(engine: str, scheduler: str | None) -> None:
    """Refuse contradictory options and a missing Dask before any work is done."""
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if engine == "dask":
        _require("distributed", "the dask engine", "dask")


def _require(module: str, feature: str, extra: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UserError(f"{feature} needs {module}: pip install 'flight-timeline[{extra}]'")


def _check_writable(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if path.exists() and path.is_dir():
        raise UserError(f"{path}: is a directory, not a file")
    if path.exists() and not path.is_file():  # a device or pipe, e.g. /dev/stdout
        if not os.access(path, os.W_OK):
            raise UserError(f"{path}: is not writable")
        return
    if not parent.is_dir():
        raise UserError(f"{parent}: output folder does not exist")
    if not os.access(parent, os.W_OK):
        raise UserError(f"{parent}: output folder is not writable")


def _sources(inputs: tuple[str, ...]) -> tuple[list[Any], list[str]]:
    """The inputs' sources and failures; stops the run when there is nothing to read."""
    from timeline.corpus import expand

    stdin = sys.stdin if "-" in inputs else ()
    sources, failures = expand(inputs, stdin=stdin)
    if not sources:
        for failure in failures:
            click.echo(f"timeline: skipped: {failure}", err=True)
        if failures:
            raise UserError(f"none of the {len(failures)} input(s) could be read")
        raise UserError("no article files found in " + ", ".join(inputs))
    return sources, failures


def _run_batch(
    inputs: tuple[str, ...],
    published: date | None,
    *,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
) -> Any:
    from timeline.batch import EngineError, default_jobs, run

    sources, failures = _sources(inputs)
    progress = sys.stderr if sys.stderr.isatty() else None
    try:
        batch = run(
            sources,
            published=published,
            jobs=jobs or default_jobs(),
            engine=engine,
            scheduler=scheduler,
            progress=progress,
        )
    except EngineError as error:
        raise UserError(str(error)) from None
    batch.failures[:0] = failures
    if not batch.articles:
        batch.table.close()
        if len(batch.failures) == 1:
            raise UserError(batch.failures[0])
    for failure in batch.failures:
        click.echo(f"timeline: skipped: {failure}", err=True)
    if not batch.articles:
        raise UserError(f"none of the {len(batch.failures)} input article(s) could be read")
    for path in batch.undated_paths:
        click.echo(
            f"timeline: warning: {path}: no publication date found; "
            "relative dates are left open (use --published YYYY-MM-DD)",
            err=True,
        )
    if batch.undated > len(batch.undated_paths):
        click.echo(
            f"timeline: warning: {batch.undated - len(batch.undated_paths)} more articles "
            "have no publication date",
            err=True,
        )
    return batch


def _check_queries(aircraft: tuple[str, ...]) -> None:
    """Refuse an unknown --aircraft query before a long run, not after it."""
    from timeline import aircraft as catalogue

    for query in aircraft:
        try:
            catalogue.check_query(query)
        except ValueError as error:
            raise UserError(str(error)) from None


def _filtered(
    chunks: Iterable[Any], aircraft: tuple[str, ...], since: Any, until: Any, kind: Any
) -> Iterator[Any]:
    """The table's chunks with only the rows the filters keep (every filter reads one row)."""
    from timeline.table import filter_frame

    for chunk in chunks:
        if aircraft or since or until or kind:
            chunk = filter_frame(chunk, aircraft=aircraft, since=since, until=until, kind=kind)
        yield chunk


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Folder for events.csv and timeline.html.",
)
@click.option("--cdn", is_flag=True, help="Load plotly.js from the web (smaller page).")
@filter_options
@batch_options
@_guarded
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
) -> None:
    """Extract articles (default: the bundled seed) into events.csv and timeline.html.

    INPUTS are article files, folders (searched recursively), glob patterns, JSON Lines
    corpora (.jsonl, .jsonl.gz: one article per line), or `-` for paths read from stdin.
    """
    from timeline.page import write_page
    from timeline.table import concat_tables, render_stream, write_atomic

    _check_batch_options(engine, scheduler)
    _check_queries(aircraft)
    inputs = inputs or (str(seeds_dir()),)
    folder = Path(outdir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{folder}: cannot create the output folder ({error.strerror})") from None
    _check_writable(folder / "events.csv")
    with _run_batch(inputs, published, jobs=jobs, engine=engine, scheduler=scheduler) as batch:
        table = batch.table.frame()
    frame = concat_tables(_filtered([table], aircraft, since, until, kind))
    csv_path, page_path = folder / "events.csv", folder / "timeline.html"
    write_atomic(csv_path, render_stream([frame], "csv"))
    write_page(frame, page_path, cdn=cdn)
    for article_id, events in table["article_id"].value_counts(sort=False).items():
        click.echo(f"{article_id}: {events} events")
    if batch.articles > table["article_id"].nunique():
        click.echo(f"{batch.articles - table['article_id'].nunique()} article(s) gave no events")
    click.echo(f"wrote {csv_path} ({len(frame)} rows) and {page_path}")
    if batch.failures:
        click.echo(f"{len(batch.failures)} file(s) failed", err=True)
        sys.exit(EXIT_PARTIAL)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl", "parquet", "timelinejs", "geojson"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--explain",
    is_flag=True,
    help="Show, per sentence, the mentions and why events were made or not.",
)
@filter_options
@batch_options
@_guarded
def extract(
    inputs: tuple[str, ...],
    fmt: str,
    output: str | None,
    explain: bool,
    aircraft: tuple[str, ...],
    since: date | None,
    until: date | None,
    kind: str | None,
    published: date | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
) -> None:
    """Extract the event table of articles to stdout or a file.

    INPUTS are article files, folders (searched recursively), glob patterns, JSON Lines
    corpora (.jsonl, .jsonl.gz: one article per line), or `-` for paths read from stdin.
    """
    from timeline.table import write_atomic

    _check_batch_options(engine, scheduler)
    _check_queries(aircraft)
    if fmt == "parquet":
        if not output:
            raise click.UsageError("--format parquet is binary: give -o FILE")
        _require("pyarrow", "Parquet output", "parquet")
    if output:
        _check_writable(Path(output))
    if explain:
        _explain(inputs, published)
        return
    with _run_batch(inputs, published, jobs=jobs, engine=engine, scheduler=scheduler) as batch:
        content = _export(_filtered(batch.table.chunks(), aircraft, since, until, kind), fmt)
        if output:
            write_atomic(Path(output), content)
        else:
            for piece in content:
                click.echo(piece, nl=False)
    if batch.failures:
        sys.exit(EXIT_PARTIAL)


def _explain(inputs: tuple[str, ...], published: date | None) -> None:
    """Print, in this process, why each sentence of each article gave events or not."""
    from timeline.corpus import read_source
    from timeline.ingest import ArticleError
    from timeline.pipeline import process

    sources, failures = _sources(inputs)
    explained = 0
    for source in sources:
        for article in read_source(source, published=published):
            if isinstance(article, ArticleError):
                failures.append(str(article))
            else:
                _print_explanations(process(article, explain=True))
                explained += 1
    for failure in failures:
        click.echo(f"timeline: skipped: {failure}", err=True)
    if not explained:
        raise UserError(f"none of the {len(failures)} input article(s) could be read")
    if failures:
        sys.exit(EXIT_PARTIAL)


def _export(chunks: Iterable[Any], fmt: str) -> Iterable[str] | Iterable[bytes]:
    """The output's content in pieces, made as the sorted table's chunks come.

    TimelineJS and GeoJSON are single documents built from the whole table at once.
    """
    import json

    from timeline.table import concat_tables, parquet_stream, render_stream

    if fmt == "parquet":
        return parquet_stream(chunks)
    if fmt in ("timelinejs", "geojson"):
        from timeline import exports

        frame = concat_tables(chunks)
        data = exports.to_timelinejs(frame) if fmt == "timelinejs" else exports.to_geojson(frame)
        return [json.dumps(data, ensure_ascii=False, indent=1) + "\n"]
    return render_stream(chunks, fmt)


def _print_explanations(result: Any) -> None:
    click.echo(f"== {result.article.article_id} (published {result.article.published})")
    for item in result.explanations:
        if not (item.mentions or item.events or item.reasons):
            continue
        click.echo(f"\n[{item.sentence.start}:{item.sentence.end}] {item.sentence.text}")
        for line in item.mentions:
            click.echo(f"  found   {line}")
        for line in item.events:
            click.echo(f"  EVENT   {line}")
        for line in item.reasons:
            click.echo(f"  no event: {line}")


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


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dct", callback=_iso_date, help="Reference (document creation) date YYYY-MM-DD.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["timeml", "tsv"]),
    default="timeml",
    show_default=True,
    help="TimeML-annotated text, or one expression per line.",
)
def timex(inputs: tuple[str, ...], dct: date | None, fmt: str) -> None:
    """Tag and normalise temporal expressions (TIMEX3) in text or TimeML (.tml) files."""
    from timeline import timeml
    from timeline.ingest import ArticleError, decode
    from timeline.temporal import find_times

    for name in inputs:
        try:
            text = decode(Path(name).read_bytes(), name)
        except ArticleError as error:
            raise UserError(str(error)) from None
        if name.endswith(".tml") or "<TimeML" in text[:2000]:
            click.echo(timeml.annotate_tml(text), nl=False)
        elif fmt == "timeml":
            click.echo(timeml.annotate(text, dct))
        else:
            for m in find_times(text, dct):
                click.echo(
                    "\t".join(
                        [
                            str(m.start),
                            str(m.end),
                            m.text,
                            m.type,
                            m.value,
                            m.mod,
                            str(m.earliest or ""),
                            str(m.latest or ""),
                            m.precision,
                        ]
                    )
                )
