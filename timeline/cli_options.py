"""The `timeline` command's shared parts: its errors and exit codes, the options `build` and
`extract` share, and reading their inputs as a batch (`timeline.cli` holds the commands)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click

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


def iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def one_line_errors(command: Callable[..., None]) -> Callable[..., None]:
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
        click.option("--since", callback=iso_date, help="Keep events that end on or after DATE."),
        click.option(
            "--until", callback=iso_date, help="Keep events that start on or before DATE."
        ),
        click.option("--kind", type=click.Choice(["aircraft", "personnel"]), help="Keep one kind."),
        click.option(
            "--published",
            callback=iso_date,
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


def check_batch_options(engine: str, scheduler: str | None) -> None:
    """Refuse contradictory options and a missing Dask before any work is done."""
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if engine == "dask":
        require("distributed", "the dask engine", "dask")


def require(module: str, feature: str, extra: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UserError(f"{feature} needs {module}: pip install 'flight-timeline[{extra}]'")


def check_writable(path: Path) -> None:
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


def read_inputs(
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


def run_batch(
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

    sources, failures = read_inputs(inputs, follow_symlinks=follow_symlinks, outputs=outputs)
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


def check_queries(aircraft: tuple[str, ...]) -> None:
    """Refuse an unknown --aircraft query before a long run, not after it."""
    from timeline import aircraft as catalogue

    for query in aircraft:
        try:
            catalogue.check_query(query)
        except ValueError as error:
            raise BadUsage(str(error)) from None
