"""Write N unique news articles for scale benchmarks, varied from real ones.

Usage: python benchmarks/gen_corpus.py N OUT [--from FOLDER] [--seed S]

OUT ending in .jsonl gets one JSON record per line (`id`, `title`, `published`, `url`,
`text`), as news dumps have; any other OUT is a folder of seed-layout .txt files.
The templates are the development articles (../shared/corpus/dev beside the repo, or
--from FOLDER), else the bundled seed. Each copy shifts the years and days of the
month, renames the people, swaps capitals and changes the numbers, so every text
differs and date resolution, name lookup and place lookup all do real work.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from timeline.ingest import read_article
from timeline.model import Article
from timeline.resources import seeds_dir

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
FIRST = [
    "Anna",
    "Boris",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hassan",
    "Irina",
    "Jonas",
    "Karim",
    "Lena",
    "Marco",
    "Nadia",
    "Oskar",
]
LAST = [
    "Abel",
    "Brandt",
    "Castro",
    "Dorn",
    "Ekman",
    "Falk",
    "Grau",
    "Horvat",
    "Ilic",
    "Jansen",
    "Kovac",
    "Lind",
    "Moreau",
    "Novak",
    "Ortiz",
]
CAPITALS = [
    "Moscow",
    "Havana",
    "Caracas",
    "Istanbul",
    "Rome",
    "Beijing",
    "Berlin",
    "Paris",
    "Minsk",
    "Ankara",
    "Cairo",
    "Doha",
    "Riyadh",
    "Dubai",
    "Kyiv",
    "Warsaw",
    "Vienna",
    "Madrid",
]
_TITLED = re.compile(
    r"\b(?:President|Minister|spokesman|spokeswoman|General|Gen\.|Mr\.|Ms\.|Dr\.)"
    r" ([A-Z][a-z]+) ([A-Z][a-z]{2,})\b"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_DAY_OR_NUMBER = re.compile(
    r"\b(?P<month>(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? )"
    r"(?P<day>[1-9]|1\d|2[0-8])\b"
    r"|(?P<word>\b[a-z]+ )(?P<number>[1-9]\d{1,2})(?= [a-z])"
)
"""A day after a month name, or a count between lower-case words ("about 200 people",
not "Boeing 747"), so aircraft designators and times stay intact."""


def templates(folder: Path | None) -> list[Article]:
    """The articles to vary: FOLDER's, else the development set's, else the bundled seed."""
    for candidate in (folder, DEV, seeds_dir()):
        if candidate is not None and candidate.is_dir():
            paths = sorted(candidate.glob("*.txt"))
            if paths:
                return [read_article(path) for path in paths]
    raise SystemExit("no template articles found")


def vary(article: Article, rng: random.Random) -> tuple[str, str, date | None]:
    """A new (headline, body, publication date) from one template."""
    start, end = article.body
    body, headline = article.text[start:end].strip(), article.headline
    years = rng.randint(-6, 6)
    days = rng.randint(-3, 3)

    def shift_year(match: re.Match[str]) -> str:
        return str(int(match.group(1)) + years)

    def day_or_number(match: re.Match[str]) -> str:
        if match["number"]:
            return f"{match['word']}{rng.randint(10, 999)}"
        return f"{match['month']}{min(28, max(1, int(match['day']) + days))}"

    body = _DAY_OR_NUMBER.sub(day_or_number, _YEAR.sub(shift_year, body))
    names: dict[str, str] = {}
    for first, last in _TITLED.findall(body):
        names.setdefault(first, rng.choice(FIRST))
        names.setdefault(last, rng.choice(LAST))
    present = [c for c in CAPITALS if re.search(rf"\b{c}\b", body)]
    names.update(zip(present, rng.sample(CAPITALS, len(present)), strict=True))
    if names:
        words = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
        body = words.sub(lambda m: names[m.group(1)], body)
        headline = words.sub(lambda m: names[m.group(1)], headline)
    published = None
    if article.published is not None:
        moved = article.published + timedelta(days=days)
        published = moved.replace(year=moved.year + years, day=min(moved.day, 28))
    return headline, body, published


def records(n: int, folder: Path | None = None, seed: int = 8) -> Iterator[dict[str, str]]:
    """N records with different texts (`id`, `title`, `published`, `url`, `text`)."""
    rng = random.Random(seed)
    sources = templates(folder)
    seen: set[bytes] = set()
    repeats = 0
    while len(seen) < n:
        headline, body, published = vary(sources[len(seen) % len(sources)], rng)
        digest = hashlib.blake2b(body.encode(), digest_size=16).digest()
        if digest in seen:
            repeats += 1
            if repeats > 1000:
                raise SystemExit(f"the templates give only {len(seen)} different articles")
            continue
        seen.add(digest)
        yield {
            "id": f"gen-{len(seen):06d}",
            "title": headline,
            "published": published.isoformat() if published else "",
            "url": f"https://news.example.org/{len(seen):06d}",
            "text": body,
        }


def write_jsonl(path: Path, n: int, folder: Path | None = None, seed: int = 8) -> None:
    """N generated articles as a JSON Lines corpus."""
    with path.open("w", encoding="utf-8") as stream:
        for record in records(n, folder, seed):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_files(out: Path, n: int, folder: Path | None = None, seed: int = 8) -> None:
    """N generated articles as seed-layout .txt files in OUT."""
    out.mkdir(parents=True, exist_ok=True)
    for record in records(n, folder, seed):
        day = date.fromisoformat(record["published"]) if record["published"] else None
        dateline = f"{day:%B} {day.day}, {day.year}\n\n" if day else ""
        text = f"# {record['title']}\n\n{dateline}{record['text']}\n"
        (out / f"{record['id']}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--from", dest="folder", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    write = write_jsonl if args.out.suffix == ".jsonl" else write_files
    write(args.out, args.n, args.folder, args.seed)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
