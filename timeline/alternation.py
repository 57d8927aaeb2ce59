"""A large regex alternation scanned fast: only positions where some branch's first few
characters are written are tried, and there only the branches that begin with that character.

Python's `re` tries every branch of an alternation at every position, so a table of 75
trigger patterns costs 75 attempts per word. `Alternation` finds, once, the strings of up to
four characters each branch can begin with, and scans for them with one compiled look-ahead
(a trie of them, which `re` runs in C), so a word such as "the" or "said" costs nothing when
no branch begins so. At each position it finds, it tries one sub-pattern per first character
holding only the branches that can begin with it, in their order. The matches are the full
pattern's (same spans, same named groups, same first-listed branch wins), because a branch
cannot match where none of its opening strings is written. A branch whose opening cannot be
told (a class such as `\\w`, case-insensitive flags) makes the whole table fall back to the
plain compiled pattern.
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


_OPENING = 4
"""How many characters of each branch's opening the scan looks for."""
_MAX_OPENINGS = 400
"""More opening strings than this for one branch (a class in each of its first characters)
and fewer characters are looked for."""


def _openings(items: list, n: int) -> set[str] | None:  # type: ignore[type-arg]
    """The strings of `n` characters a match of `items` can begin with, and its whole text
    when it can be shorter; None when unknown or too many. Zero-width assertions are passed
    over: the set is then a superset, still safe."""
    done: set[str] = set()
    heads = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        grown: set[str] = set()
        tails_for: dict[int, set[str] | None] = {}
        for head in heads:
            need = n - len(head)
            if need not in tails_for:
                tails_for[need] = _item_openings(op, av, need)
            tails = tails_for[need]
            if tails is None:
                return None
            for tail in tails:
                (done if len(head) + len(tail) == n else grown).add(head + tail)
        heads = grown
        if len(done) + len(heads) > _MAX_OPENINGS:
            return None
        if not heads:
            break
    return done | heads


def _item_openings(op: object, av: object, n: int) -> set[str] | None:
    """`_openings` of one parsed item: a character, a class, a group, a choice or a repeat."""
    if op == sre.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    if op == sre.IN:
        return _class_chars(av)  # type: ignore[arg-type]
    if op == sre.SUBPATTERN:
        _, add_flags, del_flags, inner = av  # type: ignore[misc]
        return None if add_flags or del_flags else _openings(inner.data, n)
    if op == sre.BRANCH:
        found: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            part = _openings(branch.data, n)
            if part is None:
                return None
            found |= part
        return found
    if op in _REPEATS:
        return _repeat_openings(*av, n)  # type: ignore[misc]
    return None


def _repeat_openings(least: int, most: int, item: object, n: int) -> set[str] | None:
    """`_openings` of `item` repeated `least` to `most` times."""
    found = {""} if least == 0 else set()
    heads = {""}
    count = 0
    while heads and count < most:
        count += 1
        grown: set[str] = set()
        for head in heads:
            tails = _openings(item.data, n - len(head))  # type: ignore[attr-defined]
            if tails is None or "" in tails:  # a repeat of what may be empty: not told
                return None
            for tail in tails:
                (found if len(head) + len(tail) == n else grown).add(head + tail)
        heads = grown
        if count >= least:
            found |= heads
        if len(found) + len(heads) > _MAX_OPENINGS:
            return None
    return found


def openings(pattern: str, n: int = _OPENING) -> set[str] | None:
    """The strings a match of `pattern` can begin with, of `n` characters or fewer when the
    possible ones are too many; None when unknown or when it can match the empty string."""
    parsed = sre_parse.parse(pattern).data
    for length in range(n, 0, -1):
        found = _openings(parsed, length)
        if found is not None:
            return None if "" in found else found
    return None


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of `pattern` can begin with; None when unknown or when it can
    match the empty string."""
    found = openings(pattern, 1)
    return None if found is None else {opening[0] for opening in found}


_FOLD_TO_ASCII = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
"""The characters `re` matches to an ASCII letter, case ignored, that `str.lower` does not
lower to it ("İ" lowers to two characters)."""


def folded(text: str) -> str:
    """`text` lower-cased as `re.I` reads letters: every character re matches to an ASCII
    letter, case ignored, is that letter."""
    if text.isascii() or not ("İ" in text or "ı" in text or "ſ" in text):
        return text.lower()
    return text.translate(_FOLD_TO_ASCII).lower()  # slow, char by char: seldom needed


def _trie(strings: set[str]) -> str:
    """A pattern matching any of `strings`, nested by character so that `re` turns a position
    down on its first character; a string another one begins with stands for both."""
    by_first: dict[str, set[str]] = {}
    for string in strings:
        by_first.setdefault(string[0], set()).add(string[1:])
    parts = []
    for char, rests in sorted(by_first.items()):
        if "" in rests or not rests:
            parts.append(re.escape(char))
        else:
            parts.append(re.escape(char) + _trie(rests))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


class Alternation:
    """`prefix(?:branch|branch|...)suffix` compiled once whole and once per first character.

    `prefix` may only hold zero-width assertions (a lookbehind), so a match starts where a
    branch starts. `finditer`, `search` and `match` give the whole pattern's matches."""

    def __init__(self, prefix: str, branches: list[str], suffix: str, flags: int = 0) -> None:
        self.pattern = re.compile(prefix + "(?:" + "|".join(branches) + ")" + suffix, flags)
        found = [openings(branch) for branch in branches]
        self._by_char: dict[str, re.Pattern[str]] | None = None
        if flags & re.IGNORECASE or any(strings is None for strings in found):
            return
        opened = set().union(*found)  # type: ignore[arg-type]
        self._by_char = {}
        for char in sorted({opening[0] for opening in opened}):
            chosen = [
                branch
                for branch, strings in zip(branches, found, strict=True)
                if any(opening[0] == char for opening in strings)  # type: ignore[union-attr]
            ]
            self._by_char[char] = re.compile(
                prefix + "(?:" + "|".join(chosen) + ")" + suffix, flags
            )
        self._opening = re.compile(prefix + "(?=" + _trie(opened) + ")") if opened else None

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
