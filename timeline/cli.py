"""The `timeline` command: a thin layer over the library.

Every command parses its options, calls the library and prints. Errors the user
can act on (a missing file, an unknown aircraft type, an unwritable output) end
the run with one line on stderr and a non-zero exit; `--debug` shows tracebacks.
Exit codes: 0 all good, 1 nothing could be done, 2 bad usage, 3 partial batch, 141 when
the reader of standard output closed it early (`timeline types | head -2`), as `cat` does.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click

from timeline.outputs import Filters, Tally, export, export_movements, filtered, with_movements
from timeline.resources import seeds_dir
from timeline.terminal import printable, shown
from timeline.words import plural

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `cat` when its reader went away


class UserError(click.ClickException):
    """An error explained in one line, ending the run with exit code 1."""

    exit_code = EXIT_FAILED

    def show(self, file: Any = None) -> None:
        click.echo(f"timeline: error: {printable(self.format_message())}", err=True)


class BadUsage(UserError):
    """A usage error explained in one line (an unknown --aircraft value), exit code 2."""

    exit_code = EXIT_USAGE


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
        from timeline.stop import Stopped, stop_on_signals

        try:
            with stop_on_signals():
                command(*args, **kwargs)
        except Stopped as stop:  # SIGTERM, SIGHUP: workers and temporary files are gone now
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                click.echo(f"timeline: stopped by {stop}", err=True)
            sys.exit(128 + stop.signum)
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt, BrokenPipeError):
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
        click.option(
            "--follow-symlinks",
            is_flag=True,
            help="In input folders, follow symbolic links (default: pass over them).",
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


def _sources(
    inputs: tuple[str, ...], *, follow_symlinks: bool = False, outputs: tuple[str, ...] = ()
) -> tuple[list[Any], list[str]]:
    """The inputs' sources and failures; stops the run when there is nothing to read.

    Stdin lists are read as bytes: a path need not be UTF-8. `outputs` are the files (and
    build's folder, which is not searched) the run writes: an input among them is bad usage.
    """
    from timeline.corpus import InputClash, expand

    stdin = sys.stdin.buffer if "-" in inputs else ()
    try:
        sources, failures = expand(
            inputs,
            stdin=stdin,
            follow_symlinks=follow_symlinks,
            outputs=outputs,
            skip=[name for name in outputs if os.path.isdir(name)],
        )
    except InputClash as clash:
        raise click.UsageError(f"{shown(str(clash))} is both an input and an output") from None
    if not sources:
        if len(failures) == 1:
            raise UserError(failures[0])
        for failure in failures:
            click.echo(f"timeline: skipped: {printable(failure)}", err=True)
        if failures:
            raise UserError(f"none of the {len(failures)} input(s) could be read")
        raise UserError("no article files found in " + ", ".join(map(shown, inputs)))
    return sources, failures


def _run_batch(
    inputs: tuple[str, ...],
    published: date | None,
    *,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    follow_symlinks: bool,
    outputs: tuple[str, ...],
) -> Any:
    from timeline.batch import EngineError, default_jobs, run

    sources, failures = _sources(inputs, follow_symlinks=follow_symlinks, outputs=outputs)
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
        click.echo(f"timeline: skipped: {printable(failure)}", err=True)
    if not batch.articles:
        raise UserError(f"none of the {len(batch.failures)} input article(s) could be read")
    for path in batch.undated_paths:
        click.echo(
            f"timeline: warning: {shown(path)}: no publication date found; "
            "relative dates are left open (use --published YYYY-MM-DD)",
            err=True,
        )
    if batch.undated > len(batch.undated_paths):
        click.echo(
            f"timeline: warning: {batch.undated - len(batch.undated_paths)} more articles "
            "have no publication date",
            err=True,
        )
    if batch.renamed:
        click.echo(
            f"timeline: note: {plural(batch.renamed, 'article')} had the id of an earlier one "
            "and got ID~2, ID~3, ... (see README: article ids)",
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
            raise BadUsage(str(error)) from None


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

    _check_batch_options(engine, scheduler)
    _check_queries(aircraft)
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
        _check_writable(path)
    outputs = (str(csv_path), str(moves_path), str(page_path), str(folder))
    with _run_batch(
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
@_guarded
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
    _check_batch_options(engine, scheduler)
    _check_queries(aircraft)
    if fmt == "parquet":
        if not output:
            raise click.UsageError("--format parquet is binary: give -o FILE")
        _require("pyarrow", "Parquet output", "parquet")
    if output:
        _check_writable(Path(output))
    outputs = (str(output),) if output else ()
    if explain:
        _explain(inputs, published, fmt, output, follow_symlinks=follow_symlinks, outputs=outputs)
        return
    with _run_batch(
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

    sources, failures = _sources(inputs, **expansion)
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
    callback=_iso_date,
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
