"""Batch inputs: files, folders, glob patterns, path lists on stdin and JSON Lines corpora.

`expand` turns what the user typed into `Source`s: small picklable pointers (one
article file, or a run of lines of a JSON Lines file) that workers — a local process
pool or a Dask cluster — read themselves, so the parent never holds the texts.
A JSON Lines record has `text` and optional `published` (ISO date or datetime),
`url`, `title` and `id`; a record that cannot be read is a failure named
`file:line`, never the end of the run.
"""

from __future__ import annotations

import errno
import gzip
import itertools
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO

from dateutil import parser as date_parser

from timeline.ingest import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    ArticleError,
    is_own_page,
    kind_of,
    open_error,
    parse_text,
    read_article,
)
from timeline.model import Article
from timeline.terminal import printable, shown

CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
SOURCE_BYTES = 64_000
"""Bytes of JSON Lines in one source (about 16 news articles): sources are sized by bytes,
not lines, so a file of blank or tiny lines is not cut into thousands of trivial tasks."""
_GLOB_CHARACTERS = frozenset("*?[")
_IGNORED_ERRNOS = frozenset({errno.ENOENT, errno.ELOOP, errno.ENAMETOOLONG, errno.EACCES})
Identity = tuple[int, int]


@dataclass(frozen=True)
class Source:
    """One article file (`line == 0`), or `count` lines of a JSON Lines file.

    For a corpus, `line` is the number of the first line and `offset` its byte
    offset (0 for gzip files, which are read from the start as one source).
    `size` is its length in bytes (to size the tasks). `article_id` overrides the
    file stem when two files share it (`a/index.html`, `b/index.html`).
    """

    path: str
    line: int = 0
    offset: int = 0
    count: int = 1
    size: int = 0
    article_id: str = ""


class InputClash(ValueError):
    """An input is a file the run writes (`-o a.txt` with `a.txt` among the inputs)."""


def is_corpus(path: Path) -> bool:
    """A JSON Lines corpus by its name (`.jsonl`, `.ndjson`, optionally gzipped)."""
    return path.name.lower().endswith(CORPUS_SUFFIXES)


def _stem(path: Path) -> str:
    """The corpus file name without its JSON Lines suffix: `wire.jsonl.gz` → `wire`."""
    name = path.name
    suffix = next(s for s in CORPUS_SUFFIXES if name.lower().endswith(s))
    return printable(name[: -len(suffix)])


def expand(
    inputs: Iterable[str],
    *,
    stdin: Iterable[str | bytes] = (),
    follow_symlinks: bool = False,
    outputs: Iterable[str] = (),
    skip: Iterable[str] = (),
) -> tuple[list[Source], list[str]]:
    """Sources for the inputs, plus messages for inputs that give none.

    An input is a file, a folder (searched recursively), a glob pattern the shell did
    not expand (`'archive/**/*.html'`), or `-`: one path (or pattern) per line on stdin
    (bytes that are not UTF-8 are kept, as the file system has them). Each real file is
    read once, however often and however spelled it is reached; sources come in the
    order of their real paths, whatever the order of the inputs. Only regular files are
    read. In folders, symbolic links are passed over unless `follow_symlinks`; folders
    in `skip` (the run's output folder) are not entered. Pages and event tables that
    timeline wrote are passed over (and named, reported); any other file that is one of
    the `outputs` the run writes raises InputClash.
    """
    finder = _Finder(follow_symlinks, outputs, skip)
    for item in inputs:
        if item != "-":
            finder.name(item)
            continue
        for line in stdin:
            name = os.fsdecode(line.strip()) if isinstance(line, bytes) else line.strip()
            if name:
                finder.name(name)
    sources: list[Source] = []
    for _, path, size in sorted(finder.files):
        if is_corpus(Path(path)):
            sources.extend(_corpus_sources(Path(path), finder.failures))
        else:
            sources.append(Source(path, size=size))
    return _unique_ids(sources), finder.failures


class _Finder:
    """The files that inputs name, each once (by device and inode), with failures."""

    def __init__(self, follow_symlinks: bool, outputs: Iterable[str], skip: Iterable[str]) -> None:
        self.follow = follow_symlinks
        self.outputs = {found for name in outputs if (found := _identity(name))}
        self.skip = {found for name in skip if (found := _identity(name))}
        self.failures: list[str] = []
        self.files: list[tuple[str, str, int]] = []
        self._seen: set[Identity] = set()
        self._folders: set[Identity] = set()

    def name(self, name: str, *, named: bool = True) -> None:
        """A path the user named (argument or stdin line), or a glob pattern's match.

        A match is treated as a file met in a folder: if it cannot be read or is no
        regular file, it is passed over quietly.
        """
        try:
            status = os.stat(name)
        except (OSError, ValueError) as error:
            if isinstance(error, FileNotFoundError) and _GLOB_CHARACTERS & set(name):
                self._glob(name)
            elif named:
                self.failures.append(open_error(name, error))
            return
        if stat.S_ISDIR(status.st_mode):
            if named or _key(status) not in self.skip:
                self._walk(name, status)
        elif stat.S_ISREG(status.st_mode):
            self._admit(name, status, named=named)
        elif named:
            self.failures.append(f"{shown(name)}: {kind_of(status.st_mode)}, not a file")

    def _glob(self, pattern: str) -> None:
        parts = Path(pattern).parts
        first = next(n for n, part in enumerate(parts) if _GLOB_CHARACTERS & set(part))
        base = Path(*parts[:first]) if first else Path(".")
        try:
            matches = sorted(base.glob("/".join(parts[first:])))
        except (OSError, ValueError) as error:
            self.failures.append(f"{shown(pattern)}: not a usable pattern ({error})")
            return
        if not matches:
            self.failures.append(f"{shown(pattern)}: no file matches this pattern")
        for match in matches:
            self.name(str(match), named=False)

    def _walk(self, root: str, status: os.stat_result) -> None:
        """The article files and corpora of a folder and its subfolders, outputs left out."""
        if _key(status) in self._folders:
            return
        self._folders.add(_key(status))
        walk = os.walk(root, onerror=self._unreadable, followlinks=self.follow)
        for folder, subfolders, names in walk:
            subfolders[:] = sorted(name for name in subfolders if self._enter(folder, name))
            for name in sorted(names):
                if Path(name).suffix.lower() in ARTICLE_SUFFIXES or is_corpus(Path(name)):
                    self._walked_file(os.path.join(folder, name))

    def _unreadable(self, error: OSError) -> None:
        self.failures.append(open_error(str(error.filename), error))

    def _enter(self, folder: str, name: str) -> bool:
        """Whether the walk goes into a subfolder: once each, never an output folder."""
        path = os.path.join(folder, name)
        try:
            if not self.follow and os.path.islink(path):
                return False
            status = os.stat(path)
        except OSError:
            return False
        if _key(status) in self.skip or _key(status) in self._folders:
            return False
        self._folders.add(_key(status))
        return True

    def _walked_file(self, path: str) -> None:
        try:
            if not self.follow and os.path.islink(path):
                return
            status = os.stat(path)
        except OSError as error:
            if error.errno not in _IGNORED_ERRNOS:
                self.failures.append(open_error(path, error))
            return
        if stat.S_ISREG(status.st_mode):
            self._admit(path, status, named=False)

    def _admit(self, path: str, status: os.stat_result, *, named: bool) -> None:
        if named and _key(status) in self.outputs:
            raise InputClash(path)
        if _key(status) in self._seen:
            return
        self._seen.add(_key(status))
        own = _own_output(Path(path))
        if own:
            if named:
                self.failures.append(f"{shown(path)}: {own} written by timeline, not an input")
            return
        if _key(status) in self.outputs:
            raise InputClash(path)
        self.files.append((os.path.realpath(path), path, status.st_size))


def _key(status: os.stat_result) -> Identity:
    return status.st_dev, status.st_ino


def _identity(name: str) -> Identity | None:
    try:
        return _key(os.stat(name))
    except (OSError, ValueError):
        return None


def _own_output(path: Path) -> str:
    """What timeline output the file is ("a page", "an event table"), else "".

    Only HTML pages and JSON Lines files are looked into, and only at their start.
    """
    page = path.suffix.lower() in HTML_SUFFIXES
    if not (page or is_corpus(path)):
        return ""
    try:
        with _open(path) as stream:
            head = stream.read(1024) if page else stream.readline(1024)
    except (OSError, EOFError):
        return ""
    if page:
        return "a page" if is_own_page(head) else ""
    return "an event table" if _is_event_table(head.strip()) else ""


def _unique_ids(sources: list[Source]) -> list[Source]:
    """Files sharing a stem get their path (below the folder all inputs share) as id."""
    files = [Path(s.path) for s in sources if not s.line]
    shared = {stem for stem, n in Counter(p.stem for p in files).items() if n > 1}
    if not shared:
        return sources
    root = Path(os.path.commonpath([str(p.resolve().parent) for p in files]))
    return [
        replace(
            s,
            article_id=printable(
                Path(s.path).resolve().relative_to(root).with_suffix("").as_posix()
            ),
        )
        if not s.line and Path(s.path).stem in shared
        else s
        for s in sources
    ]


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _read_error(path: Path | str, error: OSError | EOFError) -> str:
    if isinstance(error, gzip.BadGzipFile):
        return f"{shown(str(path))}: not a gzip file"
    if isinstance(error, EOFError):
        return f"{shown(str(path))}: the gzip file is cut short"
    return open_error(str(path), error)


def _corpus_sources(path: Path, failures: list[str]) -> list[Source]:
    """Sources of about SOURCE_BYTES each (one per gzip file), found in one pass."""
    starts: list[tuple[int, int]] = []
    offset = lines = 0
    size = SOURCE_BYTES
    try:
        with _open(path) as stream:
            for lines, line in enumerate(stream, 1):
                if size >= SOURCE_BYTES:
                    starts.append((lines, offset))
                    size = 0
                size += len(line)
                offset += len(line)
    except (OSError, EOFError) as error:
        failures.append(_read_error(path, error))
        return []
    if not lines:
        failures.append(f"{shown(str(path))}: empty file")
        return []
    if path.suffix.lower() == ".gz":
        return [Source(str(path), 1, 0, lines, offset)]
    ends = [*starts[1:], (lines + 1, offset)]
    return [
        Source(str(path), line, start, end - line, stop - start)
        for (line, start), (end, stop) in zip(starts, ends, strict=True)
    ]


def _is_event_table(head: bytes) -> bool:
    """The start of a JSON Lines row of timeline's event table: `event_id`, then `article_id`."""
    return re.match(rb'\{"event_id": ?"[^"]*", ?"article_id": ?"', head) is not None


def read_source(
    source: Source, *, published: date | None = None
) -> Iterator[Article | ArticleError]:
    """The articles of a source, or for each one that cannot be read, the error saying why.

    An unexpected error reading one file or record costs that article only.
    """
    if not source.line:
        try:
            article = read_article(source.path, published=published)
        except ArticleError as error:
            yield error
            return
        except Exception as error:  # a parser's bug met on one page must not end the batch
            yield ArticleError(f"{shown(source.path)}: cannot read it ({_reason(error)})")
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
                where = f"{shown(str(path))}:{number}"
                try:
                    article = parse_record(line, f"{stem}:{number}", where=where)
                except ArticleError as error:
                    yield error
                    continue
                except Exception as error:
                    yield ArticleError(f"{where}: cannot read it ({_reason(error)})")
                    continue
                yield article if published is None else replace(article, published=published)
    except (OSError, EOFError) as error:
        yield ArticleError(_read_error(path, error))


def _reason(error: Exception) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())[:200]


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
    except RecursionError:
        raise ArticleError(f"{where}: not usable JSON (nested too deep)") from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise ArticleError(f"{where}: not usable JSON (a number too long)") from None
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: not a JSON object")
    for name in ("text", "id", "title", "url", "published"):
        _check_unicode(record.get(name), name, where)
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
        start = _after_title(article.text, article.body_start, fields["headline"])
        if start is not None:  # page furniture, then the title: no news of their own
            fields["body_start"] = start
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        fields["source_url"] = url
    if record.get("published") not in (None, ""):
        fields["published"] = _record_date(record["published"], where)
    return replace(article, **fields)


TITLE_LINES = 5
"""How many opening lines of a record's text may come before a repeat of its title."""


def _after_title(text: str, start: int, title: str) -> int | None:
    """Where the news begins when one of the text's first lines repeats its title and is no
    sentence (a headline ends with no stop; a title that is the lead sentence is news), past
    any more copies of it (a page that prints its headline twice, as a heading and a link)."""
    lines = _lines_from(text, start)
    for line, after in itertools.islice(lines, TITLE_LINES):
        if line == title:
            if line.endswith((".", "!", "?")):
                return None
            for copy, following in lines:
                if copy != title:
                    break
                after = following
            return after
    return None


def _lines_from(text: str, start: int) -> Iterator[tuple[str, int]]:
    """The text's complete lines from `start`, spaces normalised, each with where the next
    line begins."""
    while (end := text.find("\n", start)) >= 0:
        yield " ".join(text[start:end].split()), end + 1
        start = end + 1


def _check_unicode(value: object, name: str, where: str) -> None:
    """Refuse a field holding a lone surrogate (`"\\ud800"`): no encoding can write it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            code = ord(value[error.start])
            raise ArticleError(
                f"{where}: '{name}' holds a lone surrogate (\\u{code:04x}), not text"
            ) from None


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
    raise ArticleError(f"{where}: 'published' is not a date: {shown(repr(value))}")
