"""The aircraft mention finder: types, generic phrases and registrations in running text.

Matching works on tokens (runs of letters or of digits), so "An-124" can never be read
as "An-12" and "A-50" never matches inside "RA-82078". Overlaps are settled by the one
policy of `timeline.spans`: the longest span wins, then the earliest.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from timeline.aircraft.loading import (
    _HYPHENS,
    _POSSESSIVE,
    CUE,
    MAKER,
    NUMBER,
    Catalogue,
    _Alias,
    _Generic,
    _Span,
    catalogue,
)
from timeline.model import AircraftMention, AircraftType
from timeline.spans import filter_spans
from timeline.tokens import Tokens


class _Text:
    """The letter and digit pieces of one text with the separator text before each."""

    def __init__(self, stream: Tokens) -> None:
        text = self.text = stream.text
        self.tokens = stream.pieces
        self.keys = [t.key for t in self.tokens]
        self.gaps = [
            text[(self.tokens[i - 1].end if i else 0) : t.start] for i, t in enumerate(self.tokens)
        ]

    def spaced(self, index: int) -> bool:
        """Token `index` is separated from the previous one by one space or hyphen."""
        gap = self.gaps[index]
        return index > 0 and len(gap) == 1 and (gap.isspace() or gap in _HYPHENS)

    def inner_gap_ok(self, index: int, relaxed: bool) -> bool:
        """Whether the separator before token `index` may sit inside one aircraft name."""
        gap, prev, this = self.gaps[index], self.tokens[index - 1], self.tokens[index]
        if gap == "":
            return True
        if relaxed and (gap.isspace() or all(c in _HYPHENS for c in gap)):
            return True
        if len(gap) != 1:
            return False
        if gap in _HYPHENS:
            return True
        if gap == "/":
            return not prev.digit and not this.digit
        if not gap.isspace():
            return False
        if prev.digit and this.digit:
            return False
        if this.digit and not prev.digit:
            return len(prev.raw) >= 3 and not prev.raw.islower()
        return True

    def ends_with(self, index: int, phrases: frozenset[tuple[str, ...]]) -> bool:
        """Some phrase ends at the token before `index`, separated from it by whitespace."""
        if index == 0 or not self.gaps[index].isspace():
            return False
        for phrase in phrases:
            start = index - len(phrase)
            if start >= 0 and tuple(self.keys[start:index]) == phrase:
                return True
        return False


def _absorb_variant(doc: _Text, end: int) -> tuple[int, bool] | None:
    """Extend a code past attached variant letters/digits ("Il-76MD-90A", "C-17s").

    Returns the new end token and whether a plural "s" was seen, or None when an attached
    token shows the code is part of something else ("737th").
    """
    tokens, gaps, plural = doc.tokens, doc.gaps, False
    while end < len(tokens):
        token = tokens[end]
        if gaps[end] == "":
            raw = token.raw
            if token.digit:
                end += 1
            elif raw == "s":
                return end + 1, True
            elif raw.lower() in catalogue().generic.ordinals:
                return None
            elif raw[0].isupper():
                if len(raw) > 1 and raw.endswith("s") and raw[:-1].isupper():
                    plural = True
                end += 1
            else:
                return None
        elif len(gaps[end]) == 1 and gaps[end] in _HYPHENS and token.digit:
            end += 1
        else:
            break
    return end, plural


def _maker_before(doc: _Text, cat: Catalogue, index: int, alias: _Alias, relaxed: bool) -> int:
    """Start token of a manufacturer name written just before `index` ("Boeing C-17"), or -1."""
    if not doc.spaced(index):
        return -1
    for maker in cat.makers.get(alias.aircraft.icao_type, ()):
        start = index - len(maker)
        if start < 0 or tuple(doc.keys[start:index]) != maker:
            continue
        if start > 0 and doc.gaps[start] == "":
            continue
        if not all(doc.gaps[i].isspace() for i in range(start + 1, index)):
            continue
        if relaxed or doc.tokens[start].raw[0].isupper():
            return start
    return -1


def _written_as_name(doc: _Text, index: int, last: int, alias: _Alias) -> bool:
    """Codes are written with a capital ("Il-76", not "il-76") and a one-letter, one-digit
    code needs its hyphen ("B-1", not "B1"), which keeps hashes, grades and sizes out."""
    first = doc.tokens[index]
    if alias.words or first.digit:
        return True
    if not any(c.isupper() for c in first.raw):
        return False
    second = index + 1
    return not (
        len(first.raw) == 1
        and second < last
        and doc.tokens[second].digit
        and len(doc.tokens[second].raw) == 1
        and doc.gaps[second] == ""
    )


def _match_type(
    doc: _Text,
    cat: Catalogue,
    index: int,
    noun_at: set[int],
    relaxed: bool,
    named: frozenset[str] = frozenset(),
) -> _Span | None:
    """The longest acceptable type alias starting at token `index`."""
    tokens = doc.tokens
    if index > 0 and doc.gaps[index] == "":
        return None
    for length in cat.lengths.get(doc.keys[index], ()):
        last = index + length
        if last > len(tokens):
            continue
        key = tuple(doc.keys[index:last])
        alias, plural = cat.aliases.get(key), False
        if alias is None and not tokens[last - 1].digit and key[-1].endswith("s"):
            alias = cat.aliases.get((*key[:-1], key[-1][:-1]))
            variant = last - index >= 2 and tokens[last - 2].digit  # "A400Ms", "C-130Js"
            plural = alias is not None and (alias.words or variant)
            if not plural:
                alias = None
        if alias is None:
            continue
        if not all(doc.inner_gap_ok(i, relaxed) for i in range(index + 1, last)):
            continue
        span = _accept(doc, cat, alias, index, last, plural, noun_at, relaxed, named)
        if span is not None:
            return span
    return None


def _accept(
    doc: _Text,
    cat: Catalogue,
    alias: _Alias,
    index: int,
    last: int,
    plural: bool,
    noun_at: set[int],
    relaxed: bool,
    named: frozenset[str] = frozenset(),
) -> _Span | None:
    """Apply the boundary, capitalisation and cue rules to one alias occurrence; a bare
    number ("the 747") counts after "the" when its family was named in the text before."""
    tokens = doc.tokens
    if not alias.words:
        absorbed = _absorb_variant(doc, last)
        if absorbed is None:
            return None
        last, plural = absorbed[0], plural or absorbed[1]
    elif last < len(tokens) and doc.gaps[last] == "":
        return None
    start = _maker_before(doc, cat, index, alias, relaxed)
    if start < 0 and index > 0 and doc.gaps[index] in _HYPHENS:
        return None
    if not relaxed and not _written_as_name(doc, index, last, alias):
        return None
    if not relaxed and start < 0:
        if alias.words and not tokens[index].raw[0].isupper():
            return None
        noun = last in noun_at and doc.gaps[last].isspace()
        if alias.words and last < len(tokens) and not noun and doc.gaps[last] == " ":
            following = tokens[last].raw
            if len(following) > 1 and following[0].isupper() and following[1:].islower():
                return None
        if alias.gate == MAKER:
            return None
        if alias.gate == CUE and not (
            noun
            or doc.ends_with(index, cat.generic.cues)
            or (plural and _plural_before(doc, cat.generic, index))  # "four Lancers"
        ):
            return None
        if alias.gate == NUMBER and not (
            noun
            or (plural and len(doc.keys[index]) == 3)
            or (alias.aircraft.family in named and doc.ends_with(index, cat.generic.family_cues))
        ):
            return None
    first = start if start >= 0 else index
    rule = f"type-{alias.source}"
    return _Span(first, last, alias.aircraft, alias.aircraft.role, plural, rule)


def _match_generic(doc: _Text, generic: _Generic, index: int) -> _Span | None:
    """A head noun at `index` with the aircraft modifiers written before it."""
    head = generic.heads.get(doc.keys[index])
    if head is None:
        return None
    if doc.spaced(index) and (doc.keys[index - 1], head.singular) in generic.block_before:
        return None
    after = index + 1
    if (
        after < len(doc.tokens)
        and doc.spaced(after)
        and (head.singular, doc.keys[after]) in generic.block_after
    ):
        return None
    if after < len(doc.tokens) and (doc.gaps[after] == "" or doc.gaps[after] in _HYPHENS):
        return None
    first, roles, aircraft = index, [head.role], head.aircraft
    while doc.spaced(first):
        for length in generic.modifier_lengths:
            start = first - length
            if start < 0 or not all(doc.spaced(i) for i in range(start + 1, first)):
                continue
            modifier = generic.modifiers.get(tuple(doc.keys[start:first]))
            if modifier is None or (start > 0 and doc.gaps[start] == ""):
                continue
            roles.insert(0, modifier[0])
            aircraft = aircraft or modifier[1]
            first = start
            break
        else:
            break
    role = " ".join(dict.fromkeys(r for r in roles if r))
    return _Span(first, index + 1, aircraft, role, head.plural, "generic")


def _plural_before(doc: _Text, generic: _Generic, index: int) -> bool:
    """A number above one or a plural quantifier stands just before token `index`."""
    if index > 0 and doc.gaps[index].isspace():
        previous = doc.tokens[index - 1]
        if previous.digit and int(previous.raw) > 1:
            return True
    return doc.ends_with(index, generic.plurals)


def _spans(
    doc: _Text, cat: Catalogue, relaxed: bool, named: frozenset[str] = frozenset()
) -> list[_Span]:
    heads = cat.generic.heads
    generic = [
        g
        for i, key in enumerate(doc.keys)
        if key in heads and (g := _match_generic(doc, cat.generic, i))
    ]
    starts = {g.first: g for g in generic}
    noun_at = set(starts)
    types = [
        t
        for i, key in enumerate(doc.keys)
        if key in cat.lengths and (t := _match_type(doc, cat, i, noun_at, relaxed, named))
    ]
    by_first = {t.first: t for t in types}
    merged: list[_Span] = []
    for span in types:
        nickname = by_first.get(span.last)
        if (
            nickname is not None
            and nickname.aircraft == span.aircraft
            and doc.gaps[span.last].isspace()
        ):
            span = replace(span, last=nickname.last, plural=span.plural or nickname.plural)
        noun = starts.get(span.last)
        if noun is not None and doc.gaps[span.last].isspace():
            span = replace(
                span,
                last=noun.last,
                role=span.role or noun.role,
                plural=span.plural or noun.plural,
                rule=span.rule + "+noun",
            )
        merged.append(span)
    return filter_spans(merged + generic, bounds=lambda span: (span.first, span.last))


def find_aircraft(text: str, tokens: Tokens | None = None) -> list[AircraftMention]:
    """Aircraft types, generic aircraft phrases and registrations in `text`, sorted and
    non-overlapping; `tokens` is the text's token stream when another stage has made it."""
    cat = catalogue()
    doc = _Text(tokens or Tokens(text))
    spans = _spans(doc, cat, relaxed=False)
    named = frozenset(s.aircraft.family for s in spans if s.aircraft is not None)
    if named & cat.number_families and any(key in cat.numbers for key in doc.keys):
        spans = _spans(doc, cat, relaxed=False, named=named)
    mentions = []
    for span in spans:
        start, end = doc.tokens[span.first].start, doc.tokens[span.last - 1].end
        plural = span.plural or _plural_before(doc, cat.generic, span.first)
        mentions.append(
            AircraftMention(
                start, end, text[start:end], span.aircraft, span.role, plural, span.rule
            )
        )
    return _with_registrations(text, mentions)


_REGISTRATION = re.compile(
    r"(?<![\w-])(?:[A-Z]-[A-Z]{4}|[A-Z]{2}-(?=[A-Z]*\d|[A-Z]{3})[A-Z\d]{3,5}"
    r"|[A-Z]\d-[A-Z\d]{3,4}|\d[A-Z]-[A-Z\d]{3,4})(?![\w-])"
)
"""A civil or state aircraft registration: ICAO nationality mark, hyphen, tail letters or
digits ("RA-86496", "VT-JRK", "A7-HHE", "G-EUPT"); type designators are matched first."""


def is_registration(text: str) -> bool:
    """Whether `text` is an aircraft registration as a whole ("RA-86496"), not a type."""
    return bool(_REGISTRATION.fullmatch(text.strip())) and not resolve(text.strip())


_REGISTRATION_GAP = re.compile(
    r"\s*,?\s*\(?\s*(?:(?:registered|registration|reg\.|tail number)"
    r"(?:\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?\s+(?:as\s+|number\s+)?)?"
)
"""Between a type and its registration: "Il-62M RA-86496", "An-124 registered RA-82078",
"Il-76TD, registered in Kyrgyzstan as EX-76012"."""


def _with_registrations(text: str, mentions: list[AircraftMention]) -> list[AircraftMention]:
    """Registrations as aircraft mentions. One written right after a type ("Il-62M RA-86496")
    joins that mention and gives its type to every other mention of the same registration."""
    starts = [m.start for m in mentions]
    types: dict[str, AircraftType] = {}
    found: list[re.Match[str]] = []
    for match in _REGISTRATION.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index >= 0 and match.start() < mentions[index].end:
            continue  # inside a type ("KC-135R")
        mention = mentions[index] if index >= 0 else None
        if (
            mention is not None
            and mention.aircraft is not None
            and _REGISTRATION_GAP.fullmatch(text, mention.end, match.start())
        ):
            end = match.end() + (text[match.end() : match.end() + 1] == ")")
            mentions[index] = replace(
                mention, end=end, text=text[mention.start : end], registration=match.group()
            )
            types.setdefault(match.group(), mention.aircraft)
            continue
        found.append(match)
    if not found:
        return mentions
    for match in found:
        aircraft = types.get(match.group())
        mentions.append(
            AircraftMention(
                match.start(),
                match.end(),
                match.group(),
                aircraft,
                aircraft.role if aircraft else "",
                rule="registration",
                registration=match.group(),
            )
        )
    return sorted(mentions, key=lambda m: m.start)


def resolve(name: str) -> AircraftType | None:
    """The type one surface form names ("Il-76MD" -> IL76), or None.

    The whole string must be the name, so nicknames need no cue here ("Voyager" -> A332).
    """
    cat = catalogue()
    doc = _Text(Tokens(_POSSESSIVE.sub("", name.strip())))
    if not doc.tokens:
        return None
    for span in _spans(doc, cat, relaxed=True):
        if span.first == 0 and span.last == len(doc.tokens) and span.aircraft is not None:
            return span.aircraft
    return None
