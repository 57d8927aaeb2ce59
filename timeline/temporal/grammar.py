"""Load the temporal language data (`data/time/`) and compile it, once per process.

Patterns (`patterns/*.txt`) are regex alternatives, one per line, that may refer to other
patterns as `%name`; a `# case-sensitive` line keeps them capitalised ("May" the month,
not "may" the modal). Normalisations (`norm/*.csv`) map a matched surface to its TIMEX3
piece. Rules (`rules.tsv`) are one line each: name, type, regex, value template, example.
Any bad reference, duplicate or unknown group raises `ResourceError` naming file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from timeline.resources import ResourceError, data_path, read_table
from timeline.spans import lowered_regex

_REF = re.compile(r"%(<?)([a-z_]+)")
_TEMPLATE_GROUP = re.compile(r"\{([^{}]+)\}")
_TYPES = frozenset({"DATE", "TIME", "DURATION", "SET"})

# Which normalisation table a named group is looked up in; other groups are read as-is
# (digits, clock parts) or only inform the resolver (`tlate`, `zone`).
GROUP_TABLE = {
    "month": "month",
    "weekday": "weekday",
    "num": "number",
    "minbefore": "number",
    "unit": "unit",
    "unitly": "unitly",
    "season": "season",
    "tod": "part_of_day",
    "rel": "relative",
    "yrel": "year_relative",
    "dayword": "day_word",
    "dir": "direction",
    "clockword": "clock_word",
    "decade": "decade",
    "day": "day",
    "pre": "open_prefix",
    "mod": "mod",
    "part": "part",
    "quarter": "quarter",
    "wstart": "week_start",
    "wend": "week_end",
    "half": "half",
    "holiday": "holiday",
    "century": "century",
    "ylow": "year_low",
}
RAW_GROUPS = frozenset(
    {"year", "year2", "n1", "n2", "hour", "minute", "ampm", "zone", "tlate", "clock"}
)


@dataclass(frozen=True)
class Rule:
    """One extraction rule: a compiled regex plus the value template its match fills."""

    name: str
    type: str
    anchor: str
    regex: re.Pattern[str]
    value: str
    example: str
    line: int
    scan: re.Pattern[str] | None = None
    """The regex for the lower-cased text (no re.I, which folds every character compared);
    None when a case-sensitive part ("May" the month) needs the text as written."""
    search: re.Pattern[str] | None = None
    """`scan` without its leading `(?<!\\w)` when it then opens with a literal ("the ..."):
    found by a substring search, not tried at every character (`extract.search_words`
    skips the matches inside a word)."""


def _bound_spaces(regex: str) -> str:
    """Bound `\\s+`/`\\s*` so a long run of spaces cannot make a rule backtrack quadratically."""
    return regex.replace(r"\s+", r"\s{1,4}").replace(r"\s*", r"\s{0,4}")


@cache
def _raw_patterns() -> dict[str, tuple[list[str], bool, str]]:
    """Pattern name -> (alternatives, case-sensitive?, file name)."""
    folder = data_path("time/patterns")
    found: dict[str, tuple[list[str], bool, str]] = {}
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        sensitive = any(line.strip().lower() == "# case-sensitive" for line in lines)
        alternatives: list[str] = []
        for number, line in enumerate(lines, 1):
            item = line.strip()
            if not item or item.startswith("#"):
                continue
            if item in alternatives:
                raise ResourceError(f"{path}:{number}: duplicate alternative {item!r}")
            alternatives.append(item)
        found[path.stem] = (alternatives, sensitive, str(path))
    return found


@cache
def pattern(name: str) -> str:
    """The regex (a non-capturing alternation, longest first) for pattern file `name`."""
    raw = _raw_patterns()
    if name not in raw:
        raise KeyError(name)
    alternatives, sensitive, path = raw[name]
    expanded = []
    for number, item in enumerate(alternatives, 1):
        try:
            expanded.append(_expand(item, stack=(name,)))
        except KeyError as error:
            raise ResourceError(f"{path}:{number}: unknown pattern %{error.args[0]}") from None
    # plain words as one trie (the scanner branches per letter), any regex alternatives first
    plain = [item for item in alternatives if re.fullmatch(r"[\w' -]+", item)]
    other = [e for item, e in zip(alternatives, expanded, strict=True) if item not in plain]
    body = "|".join([*sorted(other, key=len, reverse=True), *([_trie(plain)] if plain else [])])
    return f"(?-i:{body})" if sensitive else f"(?:{body})"


def _context(name: str) -> str:
    """`%<name`: the words of a pattern file as fixed-width lookbehinds ("in May")."""
    alternatives, _, _ = _raw_patterns()[name]
    looks = [
        f"(?<=\\b{re.escape(word)})" if word.endswith("-") else f"(?<=\\b{re.escape(word)}\\s)"
        for word in alternatives
    ]
    return "(?:" + "|".join(looks) + ")"


def _expand(regex: str, stack: tuple[str, ...] = ()) -> str:
    """Replace `%name` and `%<name` references; KeyError names an unknown one."""

    def substitute(match: re.Match[str]) -> str:
        lookbehind, name = match.group(1), match.group(2)
        if name not in _raw_patterns():
            raise KeyError(name)
        if name in stack:
            raise KeyError(f"{name} (circular)")
        return _context(name) if lookbehind else pattern(name)

    return _REF.sub(substitute, regex)


@cache
def norm(table: str) -> dict[str, str]:
    """A normalisation table `norm/<table>.csv` as {lower-case surface: value}."""
    path = f"time/norm/{table}.csv"
    mapping: dict[str, str] = {}
    for number, row in read_table(path):
        surface = row["surface"].lower()
        if surface in mapping:
            raise ResourceError(f"{data_path(path)}:{number}: duplicate surface {surface!r}")
        mapping[surface] = row["value"]
    return mapping


def _template_groups(template: str) -> set[str]:
    names: set[str] = set()
    for inner in _TEMPLATE_GROUP.findall(template):
        options = inner.split("|")
        names.update(option for option in options if option.islower())
    return names


@cache
def rules() -> tuple[Rule, ...]:
    """All rules of `rules.tsv`, compiled case-insensitively (patterns may opt out)."""
    path = data_path("time/rules.tsv")
    compiled: list[Rule] = []
    seen: set[str] = set()
    for number, row in read_table("time/rules.tsv"):
        where = f"{path}:{number}"
        name = row["name"]
        if name in seen:
            raise ResourceError(f"{where}: duplicate rule name {name!r}")
        seen.add(name)
        if row["type"] not in _TYPES:
            raise ResourceError(f"{where}: unknown type {row['type']!r}")
        try:
            source = r"(?<!\w)" + _bound_spaces(_expand(row["regex"]))
            regex = re.compile(source, re.IGNORECASE)
        except KeyError as error:
            raise ResourceError(f"{where}: unknown pattern %{error.args[0]}") from None
        except re.error as error:
            raise ResourceError(f"{where}: bad regex: {error}") from None
        groups = set(regex.groupindex)
        for group in groups:
            if group.rstrip("0123456789") not in GROUP_TABLE and group not in RAW_GROUPS:
                raise ResourceError(f"{where}: unknown group name {group!r}")
        derived = {"clock"} if "hour" in groups or "clockword" in groups else set()
        missing = _template_groups(row["value"]) - groups - derived
        if missing:
            raise ResourceError(f"{where}: value uses groups not in the regex: {sorted(missing)}")
        _anchor_words(row["anchor"].removeprefix("^"), where)
        lowered = lowered_regex(source)
        scan = re.compile(lowered) if lowered is not None else None
        body = scan.pattern.removeprefix(r"(?<!\w)") if scan else ""
        search = re.compile(body) if re.match(r"[a-z]{2}", body) else None
        compiled.append(
            Rule(
                name,
                row["type"],
                row["anchor"],
                regex,
                row["value"],
                row["example"],
                number,
                scan,
                search,
            )
        )
    return tuple(compiled)


@cache
def compiled(name: str, template: str) -> re.Pattern[str]:
    """Compile an engine-side regex `template` whose `%references` point at pattern files."""
    try:
        return re.compile(_bound_spaces(_expand(template)), re.IGNORECASE)
    except KeyError as error:
        raise ResourceError(f"{name}: unknown pattern %{error.args[0]}") from None


@cache
def compiled_lower(name: str, template: str) -> re.Pattern[str]:
    """`compiled`, for lower-cased text: without re.I, which folds the case of every
    character it compares. Pattern files it reads must not be case-sensitive."""
    try:
        source = _bound_spaces(_expand(template))
    except KeyError as error:
        raise ResourceError(f"{name}: unknown pattern %{error.args[0]}") from None
    if lowered_regex(source) != source:
        raise ResourceError(f"{name}: a case-sensitive pattern cannot scan lower-cased text")
    return re.compile(source)


@cache
def alternation(table: str) -> str:
    """The surfaces of normalisation table `table` as one regex alternation, longest first."""
    surfaces = sorted(norm(table), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s{1,4}") for s in surfaces) + ")"


@cache
def lookup(group: str, surface: str) -> str:
    """Normalise one matched group: table lookup, or digits read as numbers."""
    key = " ".join(surface.lower().split()).rstrip(".")
    base = group.rstrip("0123456789")
    table = GROUP_TABLE.get(base)
    if base in ("day", "month", "n") or group in ("n1", "n2"):
        digits = re.sub(r"(?:st|nd|rd|th)$", "", key)
        if digits.isdigit():
            return f"{int(digits):02d}"
    if base == "decade":
        digits = re.sub(r"\D", "", key)
        if len(digits) == 4:
            return digits[:3]
        if len(digits) == 2:
            return ("19" if int(digits) >= 30 else "20") + digits[0]
    if base == "num" and re.fullmatch(r"\d+(?:\.\d+)?", key):
        return key
    if table is None:
        return surface
    values = norm(table)
    if key not in values:
        raise ResourceError(f"{data_path(f'time/norm/{table}.csv')}: no entry for {key!r}")
    return values[key]


def _split_top(alternation: str) -> list[str]:
    """Split `a|(?:b|c)|d` on the `|` that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in alternation:
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _anchor_words(anchor: str, where: str) -> tuple[set[str], list[re.Pattern[str]]]:
    """An anchor as literal words (with `@table` expanded) plus regexes for digit tokens."""
    words: set[str] = set()
    shapes: list[re.Pattern[str]] = []
    for part in _split_top(anchor):
        if part.startswith("@"):
            try:
                words.update(s for s in norm(part[1:]) if re.fullmatch(r"\w+", s))
            except FileNotFoundError:
                raise ResourceError(f"{where}: unknown table {part}") from None
        elif re.fullmatch(r"[a-z]+", part):
            words.add(part)
        else:
            try:
                shapes.append(re.compile(part))
            except re.error as error:
                raise ResourceError(f"{where}: bad anchor {part!r}: {error}") from None
    return words, shapes


@cache
def anchors() -> tuple[dict[str, tuple[int, ...]], tuple[tuple[re.Pattern[str], int], ...]]:
    """Word -> indices of the rules it anchors, and (digit-token regex, rule index) pairs."""
    by_word: dict[str, list[int]] = {}
    shapes: list[tuple[re.Pattern[str], int]] = []
    for index, rule in enumerate(rules()):
        words, regexes = _anchor_words(rule.anchor.removeprefix("^"), rule.name)
        for word in words:
            by_word.setdefault(word, []).append(index)
        shapes.extend((regex, index) for regex in regexes)
    return {w: tuple(i) for w, i in by_word.items()}, tuple(shapes)


def _trie(words: list[str]) -> str:
    """A regex alternation of `words` factored as a trie, so the scanner branches per letter."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        optional = "" in node
        if not branches:
            return ""
        body = (
            branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        )
        if optional:
            body = f"(?:{body})?" if len(branches) > 1 else f"(?:{branches[0]})?"
        return body

    return render(tree)


@cache
def anchored() -> frozenset[int]:
    """Indices of rules whose anchor (marked `^`) is the first word of every match."""
    return frozenset(i for i, rule in enumerate(rules()) if rule.anchor.startswith("^"))


@cache
def anchor_scanner() -> re.Pattern[str]:
    """One regex finding every anchor word or digit token of lower-cased text in one pass."""
    by_word, _ = anchors()
    return re.compile(r"(?<!\w)(?:" + _trie(sorted(by_word)) + r"|\d{1,2}:\d\d|\d+[a-z]*)(?!\w)")
