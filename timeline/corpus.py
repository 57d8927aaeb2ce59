"""Batch inputs: files, folders, glob patterns, path lists on stdin and JSON Lines corpora.

`expand` turns what the user typed into `Source`s: small picklable pointers (one
article file, or a run of lines of a JSON Lines file) that workers — a local process
pool or a Dask cluster — read themselves, so the parent never holds the texts.
A JSON Lines record has `text` and optional `published` (ISO date or datetime),
`url`, `title` and `id`; a record that cannot be read is a failure named
`file:line`, never the end of the run.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO

from dateutil import parser as date_parser

from timeline.ingest import ArticleError, collect_paths, parse_text, read_article
from timeline.model import Article

CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
LINES_PER_SOURCE = 16
_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class Source:
    """One article file (`line == 0`), or `count` lines of a JSON Lines file.

    For a corpus, `line` is the number of the first line and `offset` its byte
    offset (0 for gzip files, which are read from the start as one source).
    `article_id` overrides the file stem when two files share it (`a/index.html`,
    `b/index.html`).
    """

    path: str
    line: int = 0
    offset: int = 0
    count: int = 1
    article_id: str = ""


def is_corpus(path: Path) -> bool:
    """A JSON Lines corpus by its name (`.jsonl`, `.ndjson`, optionally gzipped)."""
    return path.name.lower().endswith(CORPUS_SUFFIXES)


def _stem(path: Path) -> str:
    """The corpus file name without its JSON Lines suffix: `wire.jsonl.gz` → `wire`."""
    name = path.name
    suffix = next(s for s in CORPUS_SUFFIXES if name.lower().endswith(s))
    return name[: -len(suffix)]


def expand(inputs: Iterable[str], *, stdin: Iterable[str] = ()) -> tuple[list[Source], list[str]]:
    """Sources for the inputs, plus messages for inputs that give none.

    An input is a file, a folder (searched recursively), a glob pattern the shell did
    not expand (`'archive/**/*.html'`), or `-`: one path (or pattern) per line on stdin.
    Paths named twice are read once.
    """
    failures: list[str] = []
    paths: dict[Path, None] = {}
    for item in inputs:
        names = [line.strip() for line in stdin if line.strip()] if item == "-" else [item]
        for name in names:
            paths.update(dict.fromkeys(_paths(name, failures)))
    sources: list[Source] = []
    for path in paths:
        if is_corpus(path):
            sources.extend(_corpus_sources(path, failures))
        else:
            sources.append(Source(str(path)))
    return _unique_ids(sources), failures


def _unique_ids(sources: list[Source]) -> list[Source]:
    """Files sharing a stem get their path (below the folder all inputs share) as id."""
    files = [Path(s.path) for s in sources if not s.line]
    shared = {stem for stem, n in Counter(p.stem for p in files).items() if n > 1}
    if not shared:
        return sources
    root = Path(os.path.commonpath([str(p.resolve().parent) for p in files]))
    return [
        replace(s, article_id=Path(s.path).resolve().relative_to(root).with_suffix("").as_posix())
        if not s.line and Path(s.path).stem in shared
        else s
        for s in sources
    ]


def _paths(name: str, failures: list[str]) -> list[Path]:
    path = Path(name)
    if path.is_dir():
        return _folder(path)
    if path.exists() or not _GLOB_CHARACTERS & set(name):
        return [path]
    matches = sorted(Path(match) for match in glob.glob(name, recursive=True))
    if not matches:
        failures.append(f"{name}: no file matches this pattern")
    return [found for match in matches for found in (_folder(match) if match.is_dir() else [match])]


def _folder(folder: Path) -> list[Path]:
    corpora = [p for p in folder.rglob("*") if p.is_file() and is_corpus(p)]
    return sorted([*collect_paths([folder]), *corpora])


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _read_error(path: Path | str, error: OSError | EOFError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{path}: no such file"
    if isinstance(error, gzip.BadGzipFile):
        return f"{path}: not a gzip file"
    if isinstance(error, EOFError):
        return f"{path}: the gzip file is cut short"
    return f"{path}: cannot read ({error.strerror or error})"


def _corpus_sources(path: Path, failures: list[str]) -> list[Source]:
    """One source per LINES_PER_SOURCE lines (one per gzip file), found in one pass."""
    starts: list[tuple[int, int]] = []
    offset = lines = 0
    try:
        with _open(path) as stream:
            for lines, line in enumerate(stream, 1):
                if (lines - 1) % LINES_PER_SOURCE == 0:
                    starts.append((lines, offset))
                offset += len(line)
    except (OSError, EOFError) as error:
        failures.append(_read_error(path, error))
        return []
    if not lines:
        failures.append(f"{path}: empty file")
        return []
    if path.suffix.lower() == ".gz":
        return [Source(str(path), 1, 0, lines)]
    ends = [line for line, _ in starts[1:]] + [lines + 1]
    return [
        Source(str(path), line, start, end - line)
        for (line, start), end in zip(starts, ends, strict=True)
    ]


def read_source(
    source: Source, *, published: date | None = None
) -> Iterator[Article | ArticleError]:
    """The articles of a source, or for each one that cannot be read, the error saying why."""
    if not source.line:
        try:
            article = read_article(source.path, published=published)
        except ArticleError as error:
            yield error
            return
        yield replace(article, article_id=source.article_id) if source.article_id else article
        return
    path = Path(source.path)
    stem = _stem(path)
    try:
        with _open(path) as stream:
            if source.offset:
                stream.seek(source.offset)
            for number, line in enumerate(islice(stream, source.count), source.line):
                if not line.strip():
                    continue
                try:
                    article = parse_record(line, f"{stem}:{number}", where=f"{path}:{number}")
                except ArticleError as error:
                    yield error
                    continue
                yield article if published is None else replace(article, published=published)
    except (OSError, EOFError) as error:
        yield ArticleError(_read_error(path, error))


def parse_record(line: bytes | str, default_id: str, *, where: str) -> Article:
    """One JSON Lines record as an Article; `where` (file:line) names it in errors.

    The id is the record's `id`, else `default_id`; `title`, `url` and `published`
    override what the text's own layout (headline, date line) gives.
    """
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise ArticleError(f"{where}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ArticleError(f"{where}: not valid JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError(f"{where}: no 'text' field with the article text")
    ident = record.get("id")
    article_id = str(ident) if isinstance(ident, str | int) and str(ident).strip() else default_id
    article = parse_text(text, article_id, path=where)
    if not article.text[article.body_start : article.body[1]].strip():
        raise ArticleError(f"{where}: no article text")
    fields: dict[str, object] = {}
    title, url = record.get("title"), record.get("url")
    if isinstance(title, str) and title.strip():
        fields["headline"] = " ".join(title.split())
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        fields["source_url"] = url
    if record.get("published") not in (None, ""):
        fields["published"] = _record_date(record["published"], where)
    return replace(article, **fields)


def _record_date(value: object, where: str) -> date:
    """A record's `published`: ISO 8601 date or datetime, else any unambiguous written date."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
        try:
            return date_parser.parse(value, fuzzy=False).date()
        except (ValueError, OverflowError):
            pass
    raise ArticleError(f"{where}: 'published' is not a date: {value!r}")
