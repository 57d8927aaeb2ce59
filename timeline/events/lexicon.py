"""The event extractor's language knowledge, compiled once from `data/events/`.

Each table is a data file with a note on its source; this module only turns them
into compiled patterns and lookups so the stages of `timeline.events` hold no word lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from timeline.alternation import Alternation, guarded
from timeline.resources import ResourceError, data_path, read_lines, read_table

_RULE_NAME = re.compile(r"[a-z][a-z0-9_]*")
ROLES = ("origin", "via", "destination", "location", "container", "overflight", "")
EVENT_TYPES = ("arrival", "departure", "flight", "presence", "loss", "via", "carry")


@dataclass(frozen=True)
class Trigger:
    """One movement trigger row of `data/events/triggers.tsv`; `name` is its stable name."""

    name: str
    event_type: str
    object_role: str
    kind: str
    mover: str
    example: str


@dataclass(frozen=True)
class Cue:
    """A negation/modality cue: a pattern, the reason it cancels an event, and its reach."""

    pattern: re.Pattern[str]
    reason: str
    scope: int
    inherited: bool = False


@dataclass(frozen=True)
class Phrase:
    """One named phrase pattern of `data/events/phrases.tsv`, with the example it must find."""

    name: str
    stage: str
    pattern: re.Pattern[str]
    example: str
    meaning: str


_PHRASE_COLUMNS = ["name", "stage", "flags", "pattern", "example", "meaning"]
_LIST_REFERENCE = re.compile(r"\{@([a-z_]+/[a-z_]+)\}")
"""`{@places/place_nouns}` in a phrase pattern: the words of that shared list, as one group."""


def word_list(relative: str) -> list[str]:
    """The `word` column of a shared word table (`data/<relative>.tsv`), longest first."""
    words = [row["word"] for _, row in read_table(f"{relative}.tsv")]
    return sorted(words, key=len, reverse=True)


def _expand_lists(pattern: str, where: str) -> str:
    """A pattern with each `{@list}` replaced by its words; an unknown list names the line."""

    def words(match: re.Match[str]) -> str:
        if not data_path(f"{match[1]}.tsv").is_file():
            raise ResourceError(f"{where}: no word list data/{match[1]}.tsv")
        return "(?:" + "|".join(re.escape(word) for word in word_list(match[1])) + ")"

    return _LIST_REFERENCE.sub(words, pattern)


# a numeral, its thousands set apart by commas or by spaces ("1,700", "1 700")
_NUMERAL = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,])|\d(?:[\d,]*\d)?"

_FLAGS = {"": 0, "i": re.I, "m": re.M, "im": re.I | re.M}


@cache
def phrases() -> dict[str, Phrase]:
    """Every phrase rule by name; a malformed row fails naming the file and line. Read
    without the csv module, so a pattern may hold quotes."""
    path = data_path("events/phrases.tsv")
    table: dict[str, Phrase] = {}
    header = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            if cells != _PHRASE_COLUMNS:
                raise ResourceError(f"{path}:{number}: header must be {' '.join(_PHRASE_COLUMNS)}")
            header = cells
            continue
        if len(cells) != len(_PHRASE_COLUMNS):
            raise ResourceError(f"{path}:{number}: {len(cells)} fields, expected 6")
        name, stage, flags, pattern, example, meaning = cells
        if not _RULE_NAME.fullmatch(name) or name in table:
            raise ResourceError(f"{path}:{number}: name {name!r} is not a new lower-case word")
        if flags not in _FLAGS:
            raise ResourceError(f"{path}:{number}: flags must be one of i, m, im or empty")
        try:
            compiled = re.compile(_expand_lists(pattern, f"{path}:{number}"), _FLAGS[flags])
        except re.error as error:
            raise ResourceError(f"{path}:{number}: bad pattern ({error})") from None
        table[name] = Phrase(name, stage, compiled, example.replace("␣", " "), meaning)
    return table


def phrase(name: str) -> re.Pattern[str]:
    """The compiled pattern of phrase rule `name` (a stage's English, kept as data)."""
    found = phrases().get(name)
    if found is None:
        raise ResourceError(f"data/events/phrases.tsv: no phrase rule named {name!r}")
    return found.pattern


def _items(parsed: list) -> Iterator[tuple[object, object]]:  # type: ignore[type-arg]
    """Every (op, argument) of a parsed pattern, nested ones and class members included."""
    for op, av in parsed:
        yield op, av
        for child in av if isinstance(av, (tuple, list)) else (av,):
            for part in child if isinstance(child, list) else (child,):
                if isinstance(part, sre_parse.SubPattern):
                    yield from _items(part.data)
                elif isinstance(part, tuple):
                    yield part


def _names_a_capital(pattern: re.Pattern[str]) -> bool:
    """Whether a pattern holds a capital letter, a class reaching one or case flags of its
    own: what it matches would then change with the case of the text."""
    for op, av in _items(sre_parse.parse(pattern.pattern, pattern.flags).data):
        if op in (sre.LITERAL, sre.NOT_LITERAL) and chr(av) != chr(av).lower():  # type: ignore[arg-type]
            return True
        if op == sre.RANGE and any(chr(c) != chr(c).lower() for c in range(av[0], av[1] + 1)):  # type: ignore[index]
            return True
        if op == sre.SUBPATTERN and (av[1] or av[2]):  # type: ignore[index]
            return True
    return False


@cache
def lowered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern as it matches the lower-cased text (`Tokens.low`), without
    `re.I`, which costs `re` half its speed; same spans, since `lower` keeps offsets and
    lower-cases as re.I reads letters.
    A pattern naming a capital letter would match other words there, so it is refused."""
    if _names_a_capital(pattern):
        raise ResourceError(f"{pattern.pattern[:60]!r}: names a capital, cannot match lower case")
    return re.compile(pattern.pattern, pattern.flags & ~re.I)


@dataclass(frozen=True)
class Lexicon:
    """All compiled tables the event extractor reads."""

    triggers: tuple[Trigger, ...]
    trigger_pattern: Alternation
    prepositions: tuple[tuple[re.Pattern[str], dict[str, str]], ...]
    personnel: Alternation
    demonym_people: Alternation
    titles: re.Pattern[str]
    title_noun: re.Pattern[str]
    clause_marker: Alternation
    clause_end: re.Pattern[str]
    cues: tuple[Cue, ...]
    cue_scopes: dict[int, re.Pattern[str]]
    attribution_after: re.Pattern[str]
    attribution_before: re.Pattern[str]
    place_anaphora: dict[str, str]
    distinct_roles: frozenset[str]
    own_roles: frozenset[str]
    not_names: frozenset[str]
    denial: re.Pattern[str]
    anaphora_preposition: dict[str, str]
    place_anaphora_pattern: re.Pattern[str]
    numbers: dict[str, int | None]
    number_pattern: re.Pattern[str]
    members_pattern: re.Pattern[str]


def _compile(relative: str, line: int, pattern: str, flags: int = re.I) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as error:
        raise ResourceError(f"data/{relative}:{line}: bad pattern ({error})") from None


PRONOUN_ROWS = tuple(row for _, row in read_table("events/pronouns.tsv"))
"""The pronouns that can stand for a mover or a source (data/events/pronouns.tsv)."""
PRONOUNS = {row["pronoun"]: row["refers_to"] for row in PRONOUN_ROWS}
"""Each pronoun and what it refers to: person, plural, singular or any."""


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _triggers() -> tuple[tuple[Trigger, ...], Alternation]:
    rows: list[Trigger] = []
    groups = []
    for number, row in read_table("events/triggers.tsv"):
        if row["event_type"] not in EVENT_TYPES or row["object_role"] not in ROLES:
            raise ResourceError(f"data/events/triggers.tsv:{number}: unknown type or role")
        if not _RULE_NAME.fullmatch(row["name"]) or row["name"] in {t.name for t in rows}:
            raise ResourceError(
                f"data/events/triggers.tsv:{number}: name {row['name']!r} is not a new "
                "lower-case word (a-z, 0-9, _)"
            )
        _compile("events/triggers.tsv", number, row["pattern"])
        rows.append(
            Trigger(
                row["name"],
                row["event_type"],
                row["object_role"],
                row["kind"],
                row["mover"],
                row["example"],
            )
        )
        groups.append(f"(?P<t{len(groups)}>{row['pattern']})")
    # Matched against lower-cased text, so without re.I (which costs a third of the scan).
    # Not the end of a hyphenated word ("centre-left"), which no trigger is.
    return tuple(rows), Alternation(r"(?<![\w-])", groups, r"(?![\w-])")


def _prepositions() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    table = []
    for number, row in read_table("events/prepositions.tsv"):
        roles = {kind: row[kind] for kind in EVENT_TYPES}
        if any(role not in ROLES for role in roles.values()):
            raise ResourceError(f"data/events/prepositions.tsv:{number}: unknown role")
        pattern = _compile(
            "events/prepositions.tsv",
            number,
            r"\b(?:"
            + row["preposition"]
            + r")\s+(?:the\s+|a\s+|an\s+)?"
            + phrase("place_owner").pattern
            + "?"
            + phrase("place_adjective").pattern
            + "?"
            + phrase("place_noun").pattern
            + r"?$",
        )
        table.append((pattern, roles))
    return tuple(table)


def _cues() -> tuple[Cue, ...]:
    """The cues, matched against windows of the lower-cased words before a trigger."""
    cues = []
    for number, row in read_table("events/cues.tsv"):
        pattern = _compile("events/cues.tsv", number, r"(?<!\w)(?:" + row["cue"] + r")(?!\w)")
        try:
            pattern = lowered(pattern)
        except ResourceError as error:
            raise ResourceError(f"data/events/cues.tsv:{number}: {error}") from None
        if row["inherited"] not in ("yes", "no"):
            raise ResourceError(f"data/events/cues.tsv:{number}: inherited must be yes or no")
        cues.append(Cue(pattern, row["reason"], int(row["scope"]), row["inherited"] == "yes"))
    return tuple(cues)


def _cue_scopes(cues: tuple[Cue, ...]) -> dict[int, re.Pattern[str]]:
    """The cues of each scope as one pattern: a window that none of them matches (most are)
    is passed over in one search instead of one per cue."""
    scopes: dict[int, list[str]] = {}
    for cue in cues:
        scopes.setdefault(cue.scope, []).append(cue.pattern.pattern)
    return {scope: re.compile(_alternation(patterns)) for scope, patterns in scopes.items()}


def _attribution() -> tuple[re.Pattern[str], re.Pattern[str]]:
    after, before = [], []
    for _, row in read_table("events/attribution.tsv"):
        (after if row["side"] == "after" else before).append(row["cue"])
    # a source after its cue runs to the clause's end, past the period of a title or
    # initialism ("said Col. Ana Ruiz", "according to U.S. officials")
    shortened = "|".join(
        re.escape(w) for w in sorted(read_lines("abbreviations.txt"), key=len)[::-1]
    )
    unit = r"(?:\b(?:" + shortened + r")\.\s*|[^,.;:])"
    return (
        re.compile(r"\b(?:" + _alternation(after) + r")\s+(?P<source>" + unit + "{2,80})", re.I),
        re.compile(r"\b(?P<cue>" + _alternation(before) + r")\b", re.I),
    )


def _regular_demonym_nouns() -> list[str]:
    """The nouns for a nation's people formed from the demonyms of `data/demonyms.csv` by
    the endings of `data/events/demonym_nouns.tsv` ("Nigerians", "Pakistanis", "Sudanese")."""
    endings = [(row["ending"], row["add"]) for _, row in read_table("events/demonym_nouns.tsv")]
    nouns = []
    for _, row in read_table("demonyms.csv"):
        word = row["demonym"]
        add = next((add for ending, add in endings if word.endswith(ending)), None)
        if add is not None:
            nouns.append(word + add)
    return nouns


def _demonym_people(words: list[str]) -> Alternation:
    """Plural demonyms as nouns. One spelled like its adjective ("French", "Chinese") is a
    noun only at the end of its phrase: before punctuation, a verb or "who"/"and".

    Matched against lower-cased text, so without re.I (which costs a third of the scan)."""
    plural = [f"(?:{w.lower()})\\b" for w in words if w.endswith("s")]
    noun_end = phrase("demonym_noun_end").pattern
    same = [f"(?:{w.lower()})\\b{noun_end}" for w in words if not w.endswith("s")]
    return Alternation(r"\b", plural + same, "")


@cache
def lexicon() -> Lexicon:
    """Load and compile every table once per process."""
    triggers, trigger_pattern = _triggers()
    attribution_after, attribution_before = _attribution()
    anaphora_rows = [row for _, row in read_table("events/place_anaphora.tsv")]
    anaphora = {row["phrase"].lower(): row["kind"] for row in anaphora_rows}
    numbers = {
        row["word"].lower(): int(row["value"]) if row["value"] else None
        for _, row in read_table("events/numbers.csv")
    }
    number_words = sorted(numbers, key=len, reverse=True)
    titles = _alternation(read_lines("events/titles.txt"))
    cues = _cues()
    return Lexicon(
        triggers=triggers,
        trigger_pattern=trigger_pattern,
        prepositions=_prepositions(),
        personnel=Alternation(
            r"\b", [f"(?:{p})" for p in read_lines("events/personnel.txt")], r"\b"
        ),
        demonym_people=_demonym_people(
            read_lines("events/demonym_people.txt") + _regular_demonym_nouns()
        ),
        titles=guarded(
            re.compile(
                r"(?:\b[A-Z][a-z]+\s+)?\b(?:" + titles + r")(?:\s+(?:[A-Z][\w'’-]+|[A-Z]\.)){1,3}"
            )
        ),
        title_noun=re.compile(titles, re.I),
        # matched against lower-cased text, so without re.I (which costs two fifths of the scan)
        clause_marker=Alternation(
            "", [f"(?:{p})" for p in read_lines("events/clause_markers.txt")], r"(?!\w)"
        ),
        clause_end=re.compile(_alternation(read_lines("events/clause_ends.txt")), re.I),
        cues=cues,
        cue_scopes=_cue_scopes(cues),
        attribution_after=attribution_after,
        attribution_before=attribution_before,
        place_anaphora=anaphora,
        distinct_roles=frozenset(read_lines("events/distinct_roles.txt")),
        own_roles=frozenset(read_lines("events/own_roles.txt")),
        not_names=frozenset(
            read_lines("events/not_names.txt")
            + read_lines("time/patterns/month_long.txt")
            + read_lines("time/patterns/weekday.txt")
        ),
        denial=re.compile(
            r"\b(?:"
            + _alternation(read_lines("events/denials.txt"))
            + r")"
            + phrase("denial_object").pattern,
            re.I,
        ),
        anaphora_preposition={
            row["phrase"].lower(): row["preposition"] for row in anaphora_rows if row["preposition"]
        },
        place_anaphora_pattern=re.compile(
            r"\b(?:"
            + "|".join(re.escape(p) for p in sorted(anaphora, key=len, reverse=True))
            + r")\b",
            re.I,
        ),
        numbers=numbers,
        members_pattern=re.compile(
            r"\s+of\s+(?:" + phrase("number_modifier").pattern + r"\s+)?"
            r"(?P<number>" + _NUMERAL + "|" + "|".join(re.escape(w) for w in number_words) + r")\b",
            re.I,
        ),
        # matched against lower-cased text, so without re.I (which costs half of the search)
        number_pattern=re.compile(
            r"(?:\b" + phrase("number_modifier").pattern + r"\s+)?"
            r"\b(?P<number>"
            + _NUMERAL
            + "|"
            + "|".join(re.escape(w) for w in number_words)
            + r")"
            + phrase("number_tail").pattern
        ),
    )
