"""Step one: find temporal expressions and give each an underspecified value (no dates yet).

Every rule of `rules.tsv` runs over the text; overlaps are settled by `filter_spans`
(longest, then earliest); adjacent mentions joined by "and"/"to"/"-" become one range;
signal words before a mention ("since", "about", "the end of") are folded into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from timeline.model import evolve
from timeline.spans import filter_spans, search_words
from timeline.temporal import grammar
from timeline.tokens import lower

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{([^{}]+)\}")
_WEEKDAY_SPEC = re.compile(r"^XXXX-WXX-\d(?:@[+-]\d)?$")
# How far (characters) before and after its anchor word a rule's match may reach.
_BEFORE = 45
_AFTER = 35
_DATEISH = re.compile(r"^(?:\d{4}|XXXX|[RT][+-]\d)-\d\d-\d\d$")
_DAY_SPEC = re.compile(
    r"^(?:(?:\d{4}|XXXX|[RT][+-]\d)-\d\d-\d\d|XXXX-WXX-\d|REF[+-]\d+D)(?:[@#~].*)?$"
)
"""A spec naming one day (a date, a weekday, "yesterday"): "the day before" can move it."""
_COUNTED_SHIFTS = frozenset({"ago", "anaph_shift", "anaph_shift_days"})
"""Rules whose approximation word qualifies a quantity ("nearly four years ago")."""
_RANGE_JOIN_END = re.compile(r"\s*(?:-|–|—|/|\bto|\band|\bor|\bthrough|\buntil|\btill)\s*$", re.I)


@dataclass(frozen=True)
class Candidate:
    """A found expression with its filled value template, before resolution."""

    start: int
    end: int
    rule: str
    type: str
    spec: str
    groups: dict[str, str] = field(default_factory=dict)
    pre: str = ""
    mod: str = ""
    part: str = ""
    priority: int = 0
    split: tuple[int, int] | None = None
    """For a range ("Dec. 10 and Dec. 14"): where its first part ends and its second begins."""
    shift: int = 0
    """Days "the day before/after" moves the date it precedes (`norm/day_shift.csv`)."""


def _clock(groups: dict[str, str]) -> str:
    """HH:MM from hour/minute/am-pm groups or a named time ("noon", "a minute before midnight")."""
    if groups.get("clockword"):
        hour, minute = (int(x) for x in grammar.lookup("clockword", groups["clockword"]).split(":"))
        before = groups.get("minbefore")
        if before:
            count = grammar.lookup("num", before)
            total = hour * 60 + minute - (int(count) if count.isdigit() else 0)
            hour, minute = divmod(total, 60)
        return f"{hour % 24 if hour != 24 else 24:02d}:{minute:02d}"
    raw = groups["hour"].lower()
    hour = int(raw) if raw.isdigit() else int(grammar.lookup("num", raw))
    minute = int(groups.get("minute") or 0)
    ampm = (groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def fill(template: str, groups: dict[str, str]) -> str:
    """Fill a value template: `{group}` normalised, `{a|b|LIT}` first present, `[..]` optional."""
    return _fill(template, tuple(sorted(groups.items())))


@cache
def _fill(template: str, items: tuple[tuple[str, str], ...]) -> str:
    groups = dict(items)

    def present(name: str) -> bool:
        return name == "clock" or bool(groups.get(name))

    def slot(match: re.Match[str]) -> str:
        for option in match.group(1).split("|"):
            if not option.islower():
                return option
            if option == "clock" and ("hour" in groups or "clockword" in groups):
                return _clock(groups)
            if present(option):
                return grammar.lookup(option, groups[option])
        return ""

    def optional(match: re.Match[str]) -> str:
        inner = match.group(1)
        needed = [o for s in _SLOT.findall(inner) for o in s.split("|") if o.islower()]
        return inner if all(present(n) for n in needed) else ""

    return _SLOT.sub(slot, _OPTIONAL.sub(optional, template))


@lru_cache(maxsize=4096)
def _digit_rules(token: str) -> tuple[int, ...]:
    """Indices of the rules anchored on a digit token of this shape ("2019", "14th", "11am")."""
    return tuple(i for regex, i in grammar.anchors()[1] if regex.fullmatch(token))


def _windows(text: str, low_text: str) -> dict[int, list[tuple[int, int]]]:
    """Rule index -> text windows around its anchor words, so each rule scans only there.

    A rule whose anchor is marked `^` starts at its anchor word: its window is that point.
    """
    by_word, _ = grammar.anchors()
    anchored = grammar.anchored()
    spans: dict[int, list[tuple[int, int]]] = {}
    for hit in grammar.anchor_scanner().finditer(low_text):
        token = hit.group()
        indices = by_word.get(token, ())
        if token[0].isdigit():
            indices = _digit_rules(token)
        if not indices:
            continue
        low = max(0, hit.start() - _BEFORE)
        high = text.find(" ", hit.end() + _AFTER, hit.end() + _AFTER + 20)
        if high < 0:
            high = min(len(text), hit.end() + _AFTER + 20)
        for index in indices:
            windows = spans.setdefault(index, [])
            if index in anchored:
                windows.append((hit.start(), -1))
            elif windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], high)
            else:
                windows.append((low, high))
    return spans


def _matches(text: str) -> list[Candidate]:
    """Every rule's matches near its anchor words; a rule without a case-sensitive part
    reads the lower-cased text (its groups are then lower-cased: values are normalised
    from them case-blind)."""
    found = []
    rules = grammar.rules()
    low_text = lower(text)
    for index, windows in _windows(text, low_text).items():
        rule = rules[index]
        regex, subject = (rule.scan, low_text) if rule.scan else (rule.regex, text)
        for low, high in windows:
            if high < 0:  # the anchor word, where the scanner found a word start
                single = regex.match(subject, low)
                matches: Iterable[re.Match[str]] = [single] if single else []
            elif rule.search:
                matches = search_words(rule.search, subject, low, high)
            else:
                matches = regex.finditer(subject, low, high)
            for match in matches:
                if match.end() == match.start():
                    continue
                groups = {k: v for k, v in match.groupdict().items() if v}
                found.append(
                    Candidate(
                        match.start(),
                        match.end(),
                        rule.name,
                        rule.type,
                        rule.value,
                        groups,
                        priority=index,
                        split=_rule_split(text, match) if ".." in rule.value else None,
                    )
                )
    return found


def _rule_split(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """Where a one-rule range ("Jan. 29-31", "April and May 2023") splits: before the join
    word ahead of its first second-part group (`day2`, `month2`, `year2`)."""
    seconds = [match.start(g) for g in match.groupdict() if g.endswith("2") and match.group(g)]
    if not seconds:
        return None
    second = min(seconds)
    joined = _RANGE_JOIN_END.search(text, match.start(), second)
    return (joined.start(), second) if joined and joined.start() > match.start() else None


def _join_regex() -> re.Pattern[str]:
    return grammar.compiled("range join", r"^\s*(?P<join>-|–|—|to|until|till|through|and|or)\s*$")


def _opener_regex() -> re.Pattern[str]:
    return grammar.compiled("range opener", r"(?<![\w-])(?P<open>between|from)\s+$")


def _core(spec: str) -> tuple[str, str, str]:
    """Split a filled spec into (value override, start core, end core)."""
    value, _, body = spec.rpartition("=")
    first, _, last = body.partition("..")
    return value, first, last or first


def _combinable(a: Candidate, b: Candidate, join: str, opener: str) -> bool:
    if a.type not in ("DATE", "TIME") or b.type != a.type:
        return False
    _, a_first, _ = _core(a.spec)
    _, b_first, _ = _core(b.spec)
    if opener == "between":
        return join == "and"
    if opener == "from":
        return join not in ("and", "or")
    if join in ("and", "or"):
        return bool(_WEEKDAY_SPEC.match(a_first) and _WEEKDAY_SPEC.match(b_first))
    return bool(_DATEISH.match(a_first) and _DATEISH.match(b_first)) or (
        a.type == "TIME" and b.type == "TIME"
    )


def combine_ranges(text: str, found: list[Candidate]) -> list[Candidate]:
    """Merge "between A and B", "from A to B", "A - B", "Sunday and Monday" into one range."""
    out: list[Candidate] = []
    index = 0
    while index < len(found):
        a = found[index]
        if index + 1 < len(found):
            b = found[index + 1]
            join = _join_regex().match(text[a.end : b.start]) if b.start - a.end < 12 else None
            before = text[max(0, a.start - 12) : a.start]
            opened = _opener_regex().search(before)
            opener = opened.group("open").lower() if opened else ""
            if join and _combinable(a, b, join.group("join").lower(), opener):
                value, a_first, _ = _core(a.spec)
                _, _, b_last = _core(b.spec)
                spec = f"{value + '=' if value else ''}{a_first}..{b_last}"
                if a.spec.startswith("XXXX-XX-XXT"):
                    spec = a.spec
                start = a.start - len(before) + opened.start() if opened else a.start
                out.append(
                    replace(
                        a,
                        start=start,
                        end=b.end,
                        rule=f"{a.rule}+range",
                        spec=spec,
                        split=(a.end, b.start),
                    )
                )
                index += 2
                continue
        out.append(a)
        index += 1
    return out


def _prefix_regex(mods: str) -> re.Pattern[str]:
    """Signal words before a mention; `mods` names the table of allowed approximation words."""
    return grammar.compiled(
        f"signal prefix ({mods})",
        r"(?<![\w-])(?:(?P<pre>"
        + grammar.alternation("open_prefix")
        + r")\s+(?:the\s+)?)?(?:(?P<mod>"
        + grammar.alternation(mods)
        + r")\s+)?(?:(?:the\s+)?(?P<part>"
        + grammar.alternation("part")
        + r")(?:\s+|-)(?:of\s+)?)?$",
    )


@cache
def _day_shift_regex() -> re.Pattern[str]:
    return grammar.compiled(
        "day shift", r"(?<![\w-])(?P<shift>" + grammar.alternation("day_shift") + r")\s+$"
    )


@cache
def _day_shift_last_words() -> frozenset[str]:
    return frozenset(surface.split()[-1] for surface in grammar.norm("day_shift"))


@cache
def _prefix_last_words() -> frozenset[str]:
    """Words a signal prefix can end with: a mention not preceded by one needs no regex."""
    surfaces = [s for t in ("open_prefix", "mod", "mod_date", "part") for s in grammar.norm(t)]
    return frozenset(s.split()[-1] for s in surfaces) | {"the", "of"}


def extend_prefixes(text: str, found: list[Candidate]) -> list[Candidate]:
    """Fold "since/until/before/after", "about/more than" and "early/the end of" into mentions."""
    out: list[Candidate] = []
    previous_end = 0
    last_words = _prefix_last_words()
    for cand in found:
        window_start = max(previous_end, cand.start - 40)
        window = text[window_start : cand.start]
        words = window.split()
        last = words[-1].lower().rstrip("-") if words else ""
        counted = cand.rule in _COUNTED_SHIFTS
        mods = "mod_date" if cand.type in ("DATE", "SET") and not counted else "mod"
        match = _prefix_regex(mods).search(window) if last in last_words else None
        shifted = _day_shift_regex().search(window) if last in _day_shift_last_words() else None
        if shifted and cand.type == "DATE" and _DAY_SPEC.match(cand.spec):
            surface = " ".join(shifted.group("shift").lower().split())
            cand = evolve(
                cand,
                start=window_start + shifted.start(),
                shift=int(grammar.norm("day_shift")[surface]),
            )
        elif match and match.start() < len(window):
            pre, mod, part = match.group("pre"), match.group("mod"), match.group("part")
            if cand.type == "DURATION":
                pre = part = None
            if ".." in cand.spec:
                pre = None
            if pre or mod or part:
                offset = match.start() if pre or part else match.start("mod")
                cand = evolve(
                    cand,
                    start=window_start + offset,
                    pre=grammar.lookup("pre", pre) if pre else "",
                    mod=grammar.norm(mods)[" ".join(mod.lower().split())] if mod else "",
                    part=grammar.lookup("part", part) if part else "",
                )
        out.append(cand)
        previous_end = cand.end
    return out


def find_candidates(text: str) -> list[Candidate]:
    """All temporal expressions of `text` with filled (still relative) value specs, in order."""
    found = [
        Candidate(c.start, c.end, c.rule, c.type, fill(c.spec, c.groups), c.groups, split=c.split)
        for c in filter_spans(_matches(text), rank=lambda c: c.priority)
    ]
    return extend_prefixes(text, combine_ranges(text, found))
