"""A large regex alternation scanned fast: at each position only the alternatives that can
begin with the character there are tried.

Python's `re` tries every branch of an alternation at every position, so a table of 75
trigger patterns costs 75 attempts per word. `Alternation` finds, once, the characters each
branch can begin with, and keeps one sub-pattern per first character holding only those
branches, in their order; a position is tried only when its character opens some branch.
The matches are the full pattern's (same spans, same named groups, same first-listed branch
wins), because a branch that cannot begin with a character cannot match there. A branch
whose first characters cannot be told (a class such as `\\w`, case-insensitive flags) makes
the whole table fall back to the plain compiled pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_MAX_RANGE = 64


def _class_chars(items: list) -> set[str] | None:  # type: ignore[type-arg]
    """The characters of a `[...]` class, or None when it is negated or names a category."""
    chars: set[str] = set()
    for op, av in items:
        if op == sre.LITERAL:
            chars.add(chr(av))
        elif op == sre.RANGE and av[1] - av[0] < _MAX_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def _first(items: list) -> tuple[set[str] | None, bool]:  # type: ignore[type-arg]
    """(characters a match of `items` can begin with, or None if unknown; whether it can be
    empty). Zero-width assertions are passed over: the set is then a superset, still safe."""
    chars: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op == sre.LITERAL:
            return chars | {chr(av)}, False
        if op == sre.IN:
            found = _class_chars(av)
            return (None, False) if found is None else (chars | found, False)
        if op == sre.SUBPATTERN:
            _, add_flags, del_flags, inner = av
            if add_flags or del_flags:
                return None, False
            found, empty = _first(inner.data)
        elif op == sre.BRANCH:
            found, empty = set(), False
            for branch in av[1]:
                part, part_empty = _first(branch.data)
                if part is None:
                    return None, False
                found |= part
                empty = empty or part_empty
        elif op in _REPEATS:
            found, empty = _first(av[2].data)
            empty = empty or av[0] == 0
        else:
            return None, False
        if found is None:
            return None, False
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of `pattern` can begin with; None when unknown or when it can
    match the empty string."""
    found, empty = _first(sre_parse.parse(pattern).data)
    return None if empty else found


class Alternation:
    """`prefix(?:branch|branch|...)suffix` compiled once whole and once per first character.

    `prefix` may only hold zero-width assertions (a lookbehind), so a match starts where a
    branch starts. `finditer`, `search` and `match` give the whole pattern's matches."""

    def __init__(self, prefix: str, branches: list[str], suffix: str, flags: int = 0) -> None:
        self.pattern = re.compile(prefix + "(?:" + "|".join(branches) + ")" + suffix, flags)
        starts = [first_chars(branch) for branch in branches]
        self._by_char: dict[str, re.Pattern[str]] | None = None
        if flags & re.IGNORECASE or any(chars is None for chars in starts):
            return
        self._by_char = {}
        for char in sorted(set().union(*starts)):  # type: ignore[arg-type]
            chosen = [b for b, chars in zip(branches, starts, strict=True) if char in chars]
            self._by_char[char] = re.compile(
                prefix + "(?:" + "|".join(chosen) + ")" + suffix, flags
            )
        opening = "".join(sorted(self._by_char))
        self._opening = re.compile(prefix + "[" + re.escape(opening) + "]") if opening else None

    @property
    def split(self) -> bool:
        """Whether the per-character sub-patterns are in use (else the whole pattern is)."""
        return self._by_char is not None

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The whole pattern's match starting at `pos`, as `Pattern.match`."""
        end = len(text) if endpos is None else endpos
        if self._by_char is None:
            return self.pattern.match(text, pos, end)
        if pos >= min(end, len(text)):
            return None
        sub = self._by_char.get(text[pos])
        return sub.match(text, pos, end) if sub is not None else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """The whole pattern's non-overlapping matches in text[pos:endpos], as `Pattern.finditer`."""
        end = len(text) if endpos is None else endpos
        if self._by_char is None:
            yield from self.pattern.finditer(text, pos, end)
            return
        if self._opening is None:
            return
        last = pos
        by_char = self._by_char
        for candidate in self._opening.finditer(text, pos, end):
            start = candidate.start()
            if start < last:
                continue
            found = by_char[text[start]].match(text, start, end)
            if found is not None:
                last = found.end()
                yield found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The whole pattern's first match in text[pos:endpos], as `Pattern.search`."""
        end = len(text) if endpos is None else endpos
        if self._by_char is None:
            return self.pattern.search(text, pos, end)
        if self._opening is None:
            return None
        by_char = self._by_char
        for candidate in self._opening.finditer(text, pos, end):
            start = candidate.start()
            found = by_char[text[start]].match(text, start, end)
            if found is not None:
                return found
        return None


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` opened by a look-ahead for the characters a match can begin with, which lets
    `re` pass over other positions at once; for a pattern that opens with an optional part
    or look-behinds ("(?:\\b[A-Z][a-z]+\\s+)?\\b(?:President|...)"), which `re` cannot skip
    by itself. The same pattern when its first characters cannot be told."""
    chars = None if pattern.flags & re.IGNORECASE else first_chars(pattern.pattern)
    if not chars:
        return pattern
    return re.compile(
        "(?=[" + re.escape("".join(sorted(chars))) + "])" + pattern.pattern, pattern.flags
    )
