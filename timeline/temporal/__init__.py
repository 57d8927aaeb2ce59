"""The temporal engine: find TIMEX3-style time expressions and resolve them to dates.

`find_times(text, reference)` runs the data-driven rules (`data/time/`), then resolves each
mention in text order against the reference (publication) date, the tense of its clause
and the previous day-precise mention (for "the following day").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

from timeline.model import TimeMention
from timeline.spans import search_words
from timeline.temporal import grammar, render
from timeline.temporal.calendar import month_end
from timeline.temporal.extract import Candidate, find_candidates
from timeline.temporal.resolve import (
    Context,
    apply_open,
    apply_part,
    duration_value,
    resolve_spec,
)
from timeline.tokens import lower

__all__ = ["find_times"]

_CLOCK_SPEC = re.compile(r"^XXXX-XX-XXT(\d\d:\d\d)$")
_DATED_CLOCK = re.compile(r"^(.+)T(\d\d:\d\d)$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z])|\n")
_FULL_DATE = re.compile(r"^\d{4}-\d\d-\d\d$|^XXXX-WXX-\d$|^XXXX-\d\d-\d\d$")
_NUMERIC_SPEC = re.compile(r"^\d{4}-(\d\d)/(\d\d)$")
_OPEN_MOD = {"SINCE": "ON_OR_AFTER", "UNTIL": "ON_OR_BEFORE"}
_DAY_FIRST_RULES = ("date_dm", "date_dmy", "date_wd_dm", "date_dm_range")
_MONTH_FIRST_RULES = ("date_md", "date_mdy", "date_wd_md", "date_wd_mdy", "date_md_range")


def _sentences(text: str, found: list[Candidate]) -> list[int]:
    """Sentence start offsets, ignoring breaks inside a mention ("3 p.m. Moscow time").

    A mention that ends with the full stop ("at 5:15 p.m. The next...") does not hide it.
    """
    starts = [0]
    begins = [c.start for c in found]
    for match in _SENTENCE_END.finditer(text):
        index = bisect.bisect_left(begins, match.start()) - 1
        if index < 0 or found[index].end <= match.start() + 1:
            starts.append(match.end())
    return starts


class _Tense:
    """Clause tense lookup; a sentence is scanned for each marker kind, and for clause
    boundaries (only when it holds a marker), at most once."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text = text
        self.low = lower(text)
        self.starts = starts
        self.markers: dict[tuple[int, str], list[int]] = {}
        self.edges: dict[int, list[int]] = {}

    def _bounds(self, index: int) -> tuple[int, int]:
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.starts[index], end

    def _markers(self, index: int, name: str) -> list[int]:
        key = (index, name)
        if key not in self.markers:
            # no leading look-behind: "would", "had" are then found by a substring search
            regex = grammar.compiled_lower(name, rf"(?:%{name})(?!\w)")
            found = search_words(regex, self.low, *self._bounds(index), word="_'’")
            self.markers[key] = [m.start() for m in found]
        return self.markers[key]

    def _edges(self, index: int) -> list[int]:
        if index not in self.edges:
            boundary = grammar.compiled_lower("clause boundary", "%clause_boundary")
            found = boundary.finditer(self.low, *self._bounds(index))
            self.edges[index] = [e for m in found for e in (m.start(), m.end())]
        return self.edges[index]

    def is_future(self, cand: Candidate) -> bool:
        """Does the clause holding the mention speak about the future ("will", "is due to")?"""
        return self._marked(cand, "future_marker")

    def is_past(self, cand: Candidate) -> bool:
        """Does a plain past-tense word ("arrived", "was") mark the mention's clause?"""
        return self._marked(cand, "past_marker")

    def follows_past_verb(self, cand: Candidate) -> bool:
        """Does a past-tense verb stand right before the mention ("said Friday", "died on
        Sunday", "closed in May")? The date is then when that happened."""
        start = max(self.starts[bisect.bisect_right(self.starts, cand.start) - 1], cand.start - 40)
        regex = grammar.compiled_lower(
            "past verb", r"(?<![\w'’])(?:%past_verb)\s+(?:(?:on|in)\s+)?$"
        )
        return regex.search(self.low, start, cand.start) is not None

    def is_past_perfect(self, cand: Candidate) -> bool:
        """Does a past perfect ("had been parked") govern the mention?"""
        return self._governs(cand, "past_perfect_marker")

    def is_future_in_past(self, cand: Candidate) -> bool:
        """Does a future seen from the past ("said the jets would arrive Thursday") govern it?"""
        return self._governs(cand, "future_in_past_marker")

    def _governs(self, cand: Candidate, name: str) -> bool:
        """Is a marker before the mention in its clause, with no comma between (a closed
        relative clause keeps its tense)?"""
        if not self._marked(cand, name):
            return False
        markers = self._markers(bisect.bisect_right(self.starts, cand.start) - 1, name)
        index = bisect.bisect_left(markers, cand.start) - 1
        return index >= 0 and "," not in self.text[markers[index] : cand.start]

    def _marked(self, cand: Candidate, name: str) -> bool:
        index = bisect.bisect_right(self.starts, cand.start) - 1
        markers = self._markers(index, name)
        if not markers:
            return False
        edges = self._edges(index)
        before = bisect.bisect_right(edges, cand.start) - 1
        left = edges[before] if before >= 0 else self.starts[index]
        after = bisect.bisect_left(edges, cand.end)
        right = edges[after] if after < len(edges) else len(self.text)
        first = bisect.bisect_left(markers, left)
        return first < len(markers) and markers[first] < right


def _marked_past(tense: _Tense, cand: Candidate) -> bool:
    """Is the mention's clause marked as past ("arrived", "since")? Asked only when it matters."""
    return cand.pre == "SINCE" or tense.is_past(cand)


def _needs_tense(spec: str) -> bool:
    """Only year-less dates, weekdays and "this week/month/year" depend on the clause tense."""
    if spec.startswith("XXXX-XX-XXT"):
        return False
    return "XXXX" in spec or "+0" in spec or spec.startswith("DOM")


def _year_less(spec: str) -> bool:
    """A date without a year (a month, a weekday, "the 5th"), not a deictic "this month"."""
    return _needs_tense(spec) and "+0" not in spec


def _day_first(found: list[Candidate]) -> bool:
    """The text's numeric-date convention, judged from how it writes its other dates."""
    day_first = sum(c.rule.split("+")[0] in _DAY_FIRST_RULES for c in found)
    month_first = sum(c.rule.split("+")[0] in _MONTH_FIRST_RULES for c in found)
    for cand in found:
        numeric = _NUMERIC_SPEC.match(cand.spec)
        if numeric:
            day_first += int(numeric.group(1)) > 12
            month_first += int(numeric.group(2)) > 12
    return day_first >= month_first


def _time_of_day(cand: Candidate) -> str:
    words = [cand.groups.get("tlate", ""), cand.groups.get("tod", "")]
    return " ".join(w.lower() for w in words if w)


_READINGS = {"anaph_tod": "day_part", "anaph_same": "same_day", "overnight": "overnight"}


def _reading(rule: str) -> str:
    """How events must anchor a mention of this rule (`TimeMention.reading`)."""
    if rule in _READINGS:
        return _READINGS[rule]
    if rule.startswith("anaph"):
        return "anaphoric"
    return "clock" if rule.startswith("clock") else ""


def _resolve(cand: Candidate, ctx: Context, surface: str) -> TimeMention | None:
    """One candidate to a TimeMention (clock times get their day later)."""
    base = {
        "start": cand.start,
        "end": cand.end,
        "text": surface,
        "rule": cand.rule,
        "reading": _reading(cand.rule),
    }
    if cand.type in ("DURATION", "SET"):
        value = duration_value(cand.spec)
        return TimeMention(**base, type=cand.type, value=value, mod=cand.mod)
    clock = _CLOCK_SPEC.match(cand.spec)
    if clock:
        mod = _OPEN_MOD.get(cand.pre, cand.pre) or cand.mod
        return TimeMention(
            **base, type="TIME", value=cand.spec, mod=mod, precision="day",
            time_of_day=clock.group(1),
        )  # fmt: skip
    dated = _DATED_CLOCK.match(cand.spec)
    if dated:  # "10 p.m. Wednesday", "1999-01-22 13:06": a clock time on a named day
        day = resolve_spec(dated.group(1), ctx)
        if day is None or day.precision != "day" or not _FULL_DATE.match(day.value):
            return None
        mod = _OPEN_MOD.get(cand.pre, cand.pre) or cand.mod
        return TimeMention(
            **base, type="TIME", value=f"{day.value}T{dated.group(2)}", mod=mod,
            earliest=day.earliest, latest=day.latest, precision="day",
            time_of_day=dated.group(2),
        )  # fmt: skip
    found = resolve_spec(cand.spec, ctx)
    if found is None:
        return None
    if (
        cand.shift
        and found.precision == "day"
        and found.earliest == found.latest
        and found.earliest
    ):
        day = found.earliest + timedelta(days=cand.shift)  # "the day before last Tuesday"
        found = replace(found, value=day.isoformat(), earliest=day, latest=day)
    found = apply_part(found, cand.part)
    found, open_mod = apply_open(found, cand.pre, ctx.reference)
    kind, value = cand.type, found.value
    tod = cand.groups.get("tod")
    if tod and _FULL_DATE.match(value):
        value = f"{value}T{grammar.lookup('tod', tod)}"
        kind = "TIME"
    elif cand.type == "TIME" and not tod:
        kind = "DATE"
    time_of_day = _time_of_day(cand)
    if cand.part and found.precision == "day" and not time_of_day:
        time_of_day = {"START": "early", "MID": "midday", "END": "late"}[cand.part]
    return TimeMention(
        **base, type=kind, value=value, mod=open_mod or cand.mod or cand.part,
        earliest=found.earliest, latest=found.latest, precision=found.precision,
        time_of_day=time_of_day,
    )  # fmt: skip


def _attach_clock(mention: TimeMention, day: date) -> TimeMention:
    value = mention.value
    if value.startswith("XXXX-XX-XX"):
        value = day.isoformat() + value[10:]
    return replace(mention, value=value, earliest=day, latest=day)


def _day_of(mention: TimeMention) -> date | None:
    """The single day a mention denotes, if it denotes exactly one."""
    if mention.precision == "day" and mention.earliest and mention.earliest == mention.latest:
        return mention.earliest
    return None


def find_times(text: str, reference: date | None, timeml: bool = False) -> list[TimeMention]:
    """Every temporal expression of `text`, resolved against `reference` (publication date).

    Mentions are sorted, non-overlapping; relative ones stay underspecified (X values,
    no dates) when `reference` is None. `timeml=True` gives them as TimeML TIMEX3s instead
    (see `render`): signal words outside, a range as two mentions, TimeML durations.
    """
    found = find_candidates(text)
    starts = _sentences(text, found)
    tense = _Tense(text, starts)
    day_first = _day_first(found)
    anchor: date | None = None
    month: tuple[int, int] | None = None
    year: int | None = None
    resolved: list[tuple[TimeMention, date | None, int]] = []
    sources: list[tuple[Candidate, Context]] = []
    for cand in found:
        future = (
            _needs_tense(cand.spec)
            and (tense.is_future(cand) or tense.is_future_in_past(cand))
            and not tense.follows_past_verb(cand)
        )
        past = partial(_marked_past, tense, cand)
        ctx = Context(
            reference, future, anchor or reference, month, day_first, year, past,
            deadline=cand.pre == "UNTIL",
        )  # fmt: skip
        if not future and month and _year_less(cand.spec) and tense.is_past_perfect(cand):
            ctx = _before_past_point(ctx, anchor, month)
        try:
            mention = _resolve(cand, ctx, text[cand.start : cand.end])
        except (OverflowError, ValueError):  # the date falls outside the years 1 to 9999
            mention = None
        if mention is None:
            continue
        sentence = bisect.bisect_right(starts, cand.start) - 1
        resolved.append((mention, anchor or reference, sentence))
        sources.append((cand, ctx))
        day = _day_of(mention)
        if day and not cand.pre and mention.type != "DURATION":
            anchor = day
        elif (
            mention.precision in ("day", "week")
            and mention.latest
            and mention.earliest
            and not cand.pre
            and mention.value not in ("PAST_REF", "FUTURE_REF", "PRESENT_REF")
        ):
            anchor = mention.latest
        if mention.earliest and mention.precision in ("day", "month") and not cand.pre:
            month = (mention.earliest.year, mention.earliest.month)
        if mention.earliest and mention.latest and mention.earliest.year == mention.latest.year:
            year = mention.earliest.year
    mentions = _with_clock_days(text, resolved)
    if not timeml:
        return mentions
    out: list[TimeMention] = []
    period: TimeMention | None = None  # the last mention not counted from another
    for (cand, ctx), mention in zip(sources, mentions, strict=True):
        for part in render.split_range(cand, ctx, mention, text):
            shown = render.timeml_view(cand, part, ctx, period)
            if shown is not None:
                out.append(shown)
                period = period if render.is_anchored_shift(shown) else shown
    return out


def _before_past_point(ctx: Context, anchor: date | None, month: tuple[int, int]) -> Context:
    """The context of a past-perfect clause: its reference point is the last date the text
    named (its day, else its month's last day) when that is before publication."""
    point = anchor if anchor and (anchor.year, anchor.month) == month else month_end(*month)
    if ctx.reference is not None and point >= ctx.reference:
        return ctx
    return replace(ctx, reference=point, anchor=point)


def _with_clock_days(
    text: str, resolved: list[tuple[TimeMention, date | None, int]]
) -> list[TimeMention]:
    """Give each clock time the day of the nearest same-sentence date, else the running anchor.

    The value only gets that date when no clause boundary ("that", ";") separates the two.
    """
    days_by_sentence: dict[int, list[tuple[int, date]]] = {}
    for mention, _, sentence in resolved:
        day = _day_of(mention)
        if day and not _CLOCK_SPEC.match(mention.value):
            days_by_sentence.setdefault(sentence, []).append((mention.start, day))
    out = []
    for mention, anchor, sentence in resolved:
        if _CLOCK_SPEC.match(mention.value):
            same = days_by_sentence.get(sentence)
            if same:
                position, nearest = min(same, key=lambda pair: abs(pair[0] - mention.start))
                low, high = sorted((position, mention.start))
                boundary = grammar.compiled("clause boundary", "%clause_boundary")
                if boundary.search(text, low, high):
                    mention = replace(mention, earliest=nearest, latest=nearest)
                else:
                    mention = _attach_clock(mention, nearest)
            else:
                mention = replace(mention, earliest=anchor, latest=anchor)
        out.append(mention)
    return out
