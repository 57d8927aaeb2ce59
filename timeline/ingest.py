"""Read an article file (plain text, Markdown, the seed layout, or an HTML page) into an Article.

The seed layout is: `# headline`, blank line, publication date line, body, and an
`Original url:` block. HTML goes through trafilatura, a maintained article
extractor, rather than hand-made regexes. The publication date comes from the
date line or the page metadata; a caller's `published` overrides both.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from charset_normalizer import from_bytes
from dateutil import parser as date_parser

from timeline.model import Article

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES

_HEADLINE = re.compile(r"\A\s*#[ \t]+(?P<headline>[^\n]+)\n")
_URL_BLOCK = re.compile(r"\n[ \t]*Original url:[ \t]*\n\s*<?(?P<url>https?://[^\s>]+)>?\s*\Z", re.I)
_DATE_LINE = re.compile(
    r"^[ \t]*(?:by[ \t][^\n|·•]{1,60}[|·•][ \t]*)?(?:(?:published|updated|posted|date)[ \t]*:?[ \t]*)?"
    r"(?P<date>[A-Za-z]{3,9}\.?[ \t]+\d{1,2},?[ \t]+\d{4}"
    r"|\d{1,2}[ \t]+[A-Za-z]{3,9}\.?,?[ \t]+\d{4}"
    r"|\d{4}-\d{2}-\d{2})[^\n]{0,40}$",
    re.I | re.M,
)
_BYLINES = re.compile(r"\s*(?:by[ \t][^\n]{1,80}\n\s*)?", re.I)
_HTML_START = re.compile(rb"\A\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)


class ArticleError(ValueError):
    """An input file cannot be read as an article; the message says which file and why."""


def decode(raw: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else the detected legacy charset."""
    if b"\x00" in raw[:4096]:
        raise ArticleError(f"{name}: binary data, not an article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise ArticleError(f"{name}: cannot detect the text encoding") from None
        return str(best)


def _parse_date(value: str) -> date | None:
    try:
        return date_parser.parse(value, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def parse_text(text: str, article_id: str, *, path: str = "") -> Article:
    """Split a plain-text or Markdown article into headline, date line, body and URL block."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    headline, published, url = "", None, ""
    body_start, body_end = 0, len(text)
    head = _HEADLINE.match(text)
    if head:
        headline = head["headline"].strip()
        body_start = head.end()
    date_line = _DATE_LINE.search(text, body_start, min(len(text), body_start + 300))
    if date_line and _BYLINES.fullmatch(text[body_start : date_line.start()]):
        published = _parse_date(date_line["date"])
        if published is not None:
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
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    body = getattr(document, "text", None) or ""
    if not body.strip():
        raise ArticleError(f"{path or article_id}: no article text found in the HTML page")
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


def is_html(raw: bytes, suffix: str) -> bool:
    """HTML by file suffix, or by the first tag of a file with a text suffix."""
    return suffix in HTML_SUFFIXES or bool(_HTML_START.match(raw[:512]))


def read_article(path: Path | str, *, published: date | None = None) -> Article:
    """Read one article file; `published` overrides the date found in the file."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{name}: is a directory") from None
    except OSError as error:
        raise ArticleError(f"{name}: cannot read ({error.strerror})") from None
    if not raw.strip():
        raise ArticleError(f"{name}: empty file")
    if is_html(raw, path.suffix.lower()):
        article = parse_html(decode(raw, name), path.stem, path=name)
    else:
        article = parse_text(decode(raw, name), path.stem, path=name)
    if not article.text[article.body_start : article.body[1]].strip():
        raise ArticleError(f"{name}: no article text")
    if published is not None:
        article = replace(article, published=published)
    return article


def collect_paths(inputs: list[Path]) -> list[Path]:
    """Expand directories (recursively) into their article files, sorted for determinism."""
    paths: list[Path] = []
    for item in inputs:
        if item.is_dir():
            paths.extend(
                sorted(
                    p
                    for p in item.rglob("*")
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                )
            )
        else:
            paths.append(item)
    return paths
