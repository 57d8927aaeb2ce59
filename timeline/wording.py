"""How a row's sentence words its mover: determiners ("a C-17", "the plane", "four
KC-135s"), ordinals ("the first flight"), a quoted speaker, the headline, and names that
mean one mover in any article (a registration, a type, a person's surname). Read by
`timeline.clusters` to tell a retelling from a new mover.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

from timeline.aircraft import is_registration
from timeline.events.lexicon import lexicon
from timeline.resources import ResourceError, read_table

MAX_NAME_WORDS = 4
"""How many words of a name may stand between a determiner and its mover ("another Indian
Air Force's C-17")."""


QUOTES = {'"': 0, "“": 1, "”": -1}
"""Quotation marks: straight ones toggle, curly ones open (+1) or close (-1)."""


@cache
def determiners() -> dict[str, str]:
    """`data/events/determiners.tsv`: word → `new` (introduces a referent) or `old`."""
    table = {row["word"].lower(): row["kind"] for _, row in read_table("events/determiners.tsv")}
    for word, kind in table.items():
        if kind not in ("new", "old"):
            raise ResourceError(f"events/determiners.tsv: {word}: kind must be new or old")
    return table


@cache
def _ordinals() -> dict[str, int]:
    """`data/events/ordinals.tsv`: an ordinal word → its rank ("second" → 2)."""
    try:
        return {
            row["word"].lower(): int(row["rank"]) for _, row in read_table("events/ordinals.tsv")
        }
    except ValueError as error:
        raise ResourceError(f"events/ordinals.tsv: rank must be a whole number ({error})") from None


def rank(subject: str, evidence: str) -> int | None:
    """The rank an ordinal before the subject gives it ("the first RAF plane" → 1), read past
    a name that qualifies the subject; None without one."""
    at = evidence.find(subject) if subject else -1
    if at <= 0:
        return None
    words = [w.lower().strip(",;:(\"“'‘") for w in _before_names(evidence[:at].split())[-2:]]
    return next((_ordinals()[w] for w in words if w in _ordinals()), None)


@cache
def plural_nouns() -> frozenset[str]:
    """Aircraft nouns whose plural differs from the singular ("planes", "bombers"), from
    `data/aircraft_generic.csv`: a mention ending in one tells of several aircraft."""
    return frozenset(
        row["plural"].lower()
        for _, row in read_table("aircraft_generic.csv")
        if row["kind"] == "head" and row["plural"].lower() != row["phrase"].lower()
    )


def _folded(text: str) -> str:
    """A name without its accents, as outlets spell it either way: 'Çavuşoğlu' → 'cavusoglu'."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )


def _quoted(text: str) -> bool:
    """Whether the end of `text` lies inside a quotation (a quotation mark left open)."""
    depth = 0
    for char in text:
        if char in QUOTES:
            depth = (1 - depth) if char == '"' else max(0, depth + QUOTES[char])
    return depth > 0


def determined(subject: str, evidence: str) -> str:
    """How the writer determines the subject: `new` when introduced as new ("a C-17",
    "another Il-76", "two planes", "42 people"), `old` when referred back to ("the second
    plane"), '' without a determiner."""
    return kind(determiner_word(subject, evidence))


def determiner_word(subject: str, evidence: str) -> str:
    """The word that determines the subject, lower case ('' without one): the first
    determiner of the two words before it, read back through the determiners before it
    ("the other eight planes": "the"), a name that qualifies the subject read past
    ("another Indian Air Force C-17"). A speaker quoted introduces afresh what the writer
    already told: ''."""
    at = evidence.find(subject) if subject else -1
    if at <= 0 or _quoted(evidence[:at]):
        return ""
    words = _before_names(evidence[:at].split())
    window = range(max(0, len(words) - 2), len(words))
    first = next((n for n in window if kind(_word(words[n]))), None)
    if first is None:
        return ""
    while first > 0 and kind(_word(words[first - 1])):
        first -= 1
    return _word(words[first])


def _word(word: str) -> str:
    """A word before a subject as a determiner is read: lower case, without quotes or an
    opening bracket; '' when punctuation ends it ("March 3: US President ..."), as a
    determiner stands right before what it determines."""
    return "" if word.endswith((",", ";", ":")) else word.lower().strip("(\"“'‘")


def number(word: str) -> bool:
    """Whether a determiner is a number above one ("four", "1,200")."""
    value = (
        lexicon().numbers.get(word)
        if not word.replace(",", "").isdigit()
        else int(word.replace(",", ""))
    )
    return value is not None and value > 1


def kind(word: str) -> str:
    """A determiner's kind (`new`, `old`), a number written in digits being `new` ("42
    people", "1,200 troops"); '' for any other word."""
    return "new" if word.replace(",", "").isdigit() else determiners().get(word, "")


def _before_names(words: list[str]) -> list[str]:
    """The words before a subject without the name that qualifies it, if any: capitalised
    words or possessives ending the list ("Indian Air Force's") that are no determiner."""
    end = len(words)
    while end > 0 and len(words) - end < MAX_NAME_WORDS:
        word = words[end - 1]
        if word.lower() in determiners() or not (word[:1].isupper() or _possessive(word)):
            break
        end -= 1
    return words[:end] if end < len(words) and end > 0 and _determiner_at(words, end) else words


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _determiner_at(words: list[str], end: int) -> bool:
    """Whether the word before a name is a determiner (else the name is not a modifier)."""
    return words[end - 1].lower().strip(",;:(\"“'‘") in determiners()


@lru_cache(maxsize=1 << 12)
def _spaced(text: str) -> str:
    """Text with its runs of white space made single spaces (a headline, read per row)."""
    return " ".join(text.split())


def in_headline(subject: str, evidence: str, headline: str) -> bool:
    """Whether the row's subject is read in the article's headline (which the sentence
    splitter may have joined to the first sentence): a headline retells the story's lead."""
    title = _spaced(headline)
    if not title or not evidence:
        return False
    said = " ".join(evidence.split())
    if said in title:
        return True
    at, mover = said.find(title), said.find(subject)
    return at >= 0 and at <= mover < at + len(title)


def mover_names(record: dict[str, object]) -> tuple[str, ...]:
    """What moved, as names that mean one thing in any article: a registration and its
    type, a type, or a named person (a name of two capitalised words or more ending in a
    surname, read without a possessive: "President Ann Example's" → person:example)."""
    subject = str(record.get("subject") or "")
    if record["subject_kind"] == "aircraft":
        names = [f"reg:{subject.upper()}"] if is_registration(subject) else []
        return (*names, f"type:{record['icao_type']}") if record.get("icao_type") else tuple(names)
    entity = str(record.get("entity") or subject)
    capitals = [w for w in entity.split() if w[:1].isupper()]
    if len(capitals) >= 2 and capitals[-1] == entity.split()[-1] and _surname(capitals[-1]):
        return (f"person:{_folded(_bare(capitals[-1]))}",)
    return ()


def _bare(word: str) -> str:
    """A word without its possessive ending ("Example's" → "Example")."""
    return word.removesuffix("'s").removesuffix("’s")


def _surname(word: str) -> bool:
    """Whether a name's last word can be a person's: not a title ("Turkish Foreign
    Minister") nor a noun for people ("Stranded Indians", "Chinese People")."""
    lex, bare = lexicon(), _bare(word)
    return not (
        lex.title_noun.fullmatch(bare)
        or lex.personnel.pattern.fullmatch(bare.lower())
        or lex.demonym_people.pattern.fullmatch(bare.lower())
    )
