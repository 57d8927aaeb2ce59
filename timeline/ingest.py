"""Read an article file (plain text, Markdown, the seed layout, or an HTML page) into an Article.

The seed layout is: `# headline`, blank line, publication date line, body, and an
`Original url:` block. HTML goes through trafilatura, a maintained article
extractor, rather than hand-made regexes. The publication date comes from the
date line or the page metadata; a caller's `published` overrides both.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes
from dateutil import parser as date_parser

from timeline.model import Article
from timeline.terminal import printable, shown

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES

_HEADLINE = re.compile(r"\A\s*#[ \t]+(?P<headline>[^\n]+)\n")
_URL_BLOCK = re.compile(r"\n[ \t]*Original url:[ \t]*\n\s*<?(?P<url>https?://[^\s>]+)>?\s*\Z", re.I)
_DATE_LINE = re.compile(
    r"^[ \t]*[*_]{0,3}(?:by[ \t][^\n|·•]{1,60}[|·•][ \t]*)?"
    r"(?:(?:published|updated|posted|date)[ \t]*:?[ \t]*)?"
    r"(?:\d{1,2}[:.]\d{2}[ \t]*(?:[ap]\.?m\.?)?[ \t]*,?[ \t]*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?"
    r"(?P<date>[A-Za-z]{3,9}\.?[ \t]+\d{1,2},?[ \t]+\d{4}"
    r"|\d{1,2}[ \t]+[A-Za-z]{3,9}\.?,?[ \t]+\d{4}"
    r"|\d{4}-\d{2}-\d{2})[^\n]{0,40}$",
    re.I | re.M,
)
_PAGE_STAMP = re.compile(r"\A[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})[ \t]+(?=\S)")
"""A stored web page's date stamp before its first line ("date 2024-04-07 Title | Site")."""
_PAGE_TITLE = re.compile(r"(?P<headline>[^\n|]{10,200}?)[ \t]+\|[ \t]+[^\n|]{2,60}\n")
"""A page title line: the headline, a bar, the site's name."""
_PLAIN_HEADLINE = re.compile(r"\A\s*(?P<headline>[^\n#][^\n]{4,200})\n")
_BYLINES = re.compile(r"\s*(?:by[ \t][^\n]{1,80}\n\s*)?", re.I)
_HTML_START = re.compile(rb"\A\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)
_NOT_TEXT = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office document"),
    (b"\x1f\x8b", "a gzip file"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
MAX_FILE_BYTES = 64_000_000
"""Files larger than this are refused unread (saved pages with inline images stay below)."""
_DEEPEST = 2048
"""The deepest nesting lxml parses with `huge_tree` (without it: 256)."""
OWN_PAGE_MARK = b'<meta name="generator" content="flight-timeline">'
"""The mark `timeline build` puts near the top of its page, so a later run never reads it."""
MAX_ARTICLE_CHARS = 1_000_000
"""Article text longer than this (a book's length, 50 long-form features) is refused: it is
a concatenation of articles, better split or given as a JSON Lines corpus."""


class ArticleError(ValueError):
    """An input file cannot be read as an article; the message says which file and why."""


def decode(raw: bytes, name: str) -> str:
    """Decode an article's bytes; documents of other kinds and binary data are refused.

    The byte-order mark decides first, then UTF-8 (UTF-8 with a few bad bytes, e.g. a file
    cut mid-character, keeps its text and gets U+FFFD for them). Text with fewer non-ASCII
    bytes than ASCII letters (English or Western European with accents and curly quotes)
    is Windows-1252, a superset of Latin-1's printable characters: charset-normalizer
    cannot tell it from its Central European siblings on such text. The rest (Cyrillic,
    Greek, CJK) goes to charset-normalizer.
    """
    for signature, kind in _NOT_TEXT:
        if raw.startswith(signature):
            raise ArticleError(f"{name}: not a text article ({kind})")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            break
    else:
        if b"\x00" in raw[:4096]:
            raise ArticleError(f"{name}: binary data, not an article")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _legacy(raw, name)
    head = text[:65536]
    if len(_CONTROL.findall(head)) > max(8, len(head) // 50):
        raise ArticleError(f"{name}: binary data, not an article")
    return text


def _legacy(raw: bytes, name: str) -> str:
    """Text that is not valid UTF-8: UTF-8 cut short or with a few bad bytes, Windows-1252,
    or what charset-normalizer detects."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw) + "\ufffd"
    except UnicodeDecodeError:
        pass
    high = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    if sum(map(len, _UTF8_SEQUENCE.findall(raw))) >= 0.9 * high:
        return raw.decode("utf-8", errors="replace")
    letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    if high <= letters:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    best = from_bytes(raw).best()
    if best is None:
        raise ArticleError(f"{name}: binary data or an unknown text encoding")
    return str(best)


def _check_length(text: str, name: str) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"{name}: {len(text):,} characters, over the limit of {MAX_ARTICLE_CHARS:,} "
            "for one article (split it into articles)"
        )


def _parse_date(value: str) -> date | None:
    try:
        return date_parser.parse(value, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def _date_line(text: str, start: int) -> re.Match[str] | None:
    """The date line that opens the text at `start` (after at most a byline), if any."""
    found = _DATE_LINE.search(text, start, min(len(text), start + 300))
    if found and _BYLINES.fullmatch(text[start : found.start()]) and _parse_date(found["date"]):
        return found
    return None


def parse_text(text: str, article_id: str, *, path: str = "") -> Article:
    """Split a plain-text or Markdown article into headline, date line, body and URL block."""
    _check_length(text, path or article_id)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    headline, published, url = "", None, ""
    body_start, body_end = 0, len(text)
    head = _HEADLINE.match(text)
    if head:
        headline = head["headline"].strip()
        body_start = head.end()
    stamp = None if head else _PAGE_STAMP.match(text)
    if stamp and not _DATE_LINE.match(text):
        published, body_start = _parse_date(stamp["date"]), stamp.end()
        title = _PAGE_TITLE.match(text, body_start)
        if title:
            headline, body_start = title["headline"].strip(), title.end()
    date_line = _date_line(text, body_start)
    plain = None if head or date_line else _PLAIN_HEADLINE.match(text)
    if plain and not _DATE_LINE.fullmatch(plain["headline"]):
        date_line = _date_line(text, plain.end())
        if date_line:
            headline = plain["headline"].strip()
    if date_line:
        published = _parse_date(date_line["date"])
        body_start = date_line.end()
    tail = _URL_BLOCK.search(text)
    if tail and tail.start() >= body_start:
        url = tail["url"]
        body_end = tail.start()
    return Article(
        article_id=article_id,
        text=text,
        headline=headline,
        published=published,
        source_url=url,
        body_start=body_start,
        body_end=body_end,
        path=path,
    )


def parse_html(html: str | bytes, article_id: str, *, path: str = "") -> Article:
    """Extract the article text and metadata from an HTML page with trafilatura.

    Its paragraphs (one per line) are set apart by blank lines, as in the text layout, so
    a heading never runs into the next paragraph; a first line repeating the title goes.
    """
    document, too_deep = _extraction(html)
    body = getattr(document, "text", None) or ""
    if not body.strip():
        reason = f" (elements nested over {_DEEPEST} deep)" if too_deep else ""
        raise ArticleError(f"{path or article_id}: no article text found in the HTML page{reason}")
    _check_length(body, path or article_id)
    title = (getattr(document, "title", None) or "").strip()
    published = _parse_date(getattr(document, "date", None) or "")
    url = getattr(document, "url", None) or ""
    prefix = f"# {title}\n\n" if title else ""
    paragraphs = [line.strip() for line in body.replace("\r\n", "\n").split("\n")]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = prefix + "\n\n".join(p for p in paragraphs if p)
    return Article(
        article_id=article_id,
        text=text,
        headline=title,
        published=published,
        source_url=url if url.startswith(("http://", "https://")) else "",
        body_start=len(prefix),
        path=path,
    )


def _extraction(html: str | bytes) -> tuple[Any, bool]:
    """trafilatura's text and metadata of a page, and whether the page was nested too deep.

    lxml stops parsing 256 elements deep, a depth that unclosed tags reach on real pages,
    so a page without text is parsed again with lxml's limit raised to its maximum.
    """
    from lxml import etree
    from lxml.html import HTMLParser, fromstring

    document = _bare_extraction(html)
    if (getattr(document, "text", None) or "").strip():
        return document, False
    text = isinstance(html, str)
    parser = HTMLParser(
        huge_tree=True, remove_comments=True, remove_pis=True, encoding="utf-8" if text else None
    )
    try:
        tree = fromstring(html.encode("utf-8") if text else html, parser=parser)
    except (etree.ParserError, ValueError):
        return document, False
    too_deep = any("depth" in error.message for error in parser.error_log)
    return _bare_extraction(tree), too_deep


def _bare_extraction(page: Any) -> Any:
    """trafilatura's text and metadata; without metadata when the date finder fails.

    htmldate's cleaner asserts on a page whose root element is `<svg>` or `<math>`.
    """
    import trafilatura

    try:
        return trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    except AssertionError:
        return trafilatura.bare_extraction(page, with_metadata=False, include_comments=False)


def is_html(raw: bytes, suffix: str) -> bool:
    """HTML by file suffix, or by the first tag of a file with a text suffix."""
    return suffix in HTML_SUFFIXES or bool(_HTML_START.match(raw[:512]))


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, for messages ("a named pipe")."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def open_error(name: str, error: OSError | ValueError) -> str:
    """The one-line reason a path cannot be opened or examined."""
    if isinstance(error, ValueError):  # os functions refuse a NUL in a path this way
        return f"{shown(name)}: a path cannot hold a NUL byte"
    reasons = {
        errno.ENOENT: "no such file",
        errno.ENAMETOOLONG: "the name is too long",
        errno.ELOOP: "a loop of symbolic links",
        errno.EISDIR: "is a directory",
    }
    reason = reasons.get(error.errno or 0) or f"cannot read ({error.strerror or error})"
    return f"{shown(name)}: {reason}"


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an ArticleError.

    The file is opened without blocking and checked before it is read, so a named pipe,
    a device such as /dev/zero or a folder is refused at once instead of hanging.
    """
    name = str(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as error:
        raise ArticleError(open_error(name, error)) from None
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise ArticleError(f"{shown(name)}: {kind_of(mode)}, not a file")
        try:
            raw = stream.read(limit + 1)
        except OSError as error:
            raise ArticleError(open_error(name, error)) from None
    if len(raw) > limit:
        raise ArticleError(f"{shown(name)}: over the {limit // 1_000_000} MB limit for one file")
    return raw


def is_own_page(raw: bytes) -> bool:
    """A page written by `timeline build` (its mark is in the head)."""
    return OWN_PAGE_MARK in raw[:1024]


def read_article(path: Path | str, *, published: date | None = None) -> Article:
    """Read one article file; `published` overrides the date found in the file.

    The article id is the file's stem (bytes that are not UTF-8 written as escapes).
    """
    path = Path(path)
    name = str(path)
    raw = read_bytes(path)
    if not raw.strip():
        raise ArticleError(f"{shown(name)}: empty file")
    if is_own_page(raw):
        raise ArticleError(f"{shown(name)}: a page written by timeline, not an article")
    article_id = printable(path.stem)
    if is_html(raw, path.suffix.lower()):
        article = parse_html(decode(raw, name), article_id, path=name)
    else:
        article = parse_text(decode(raw, name), article_id, path=name)
    if not article.text[article.body_start : article.body[1]].strip():
        raise ArticleError(f"{shown(name)}: no article text")
    if published is not None:
        article = replace(article, published=published)
    return article
