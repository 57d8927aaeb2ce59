"""Step two: turn an underspecified value into a TIMEX3 value and an (earliest, latest) interval.

The resolver reads the value specs the rules emit (see `data/time/rules.tsv`):
`2019-01-23`, `XXXX-12-10` (year by tense), `R-1-12-10` (reference year - 1), `XXXX-WXX-3@-1`
(last Wednesday), `XXXX-WXX-3#27` (Wednesday the 27th), `WEEK:XXXX-03-06` (the week holding
a day), `ANC:XXXX-WXX-5@-1` (read from the text's last date, not the reference), `REF-2D`,
`REF+0W<` (earlier this week), `ANC+1D` (the following day), `ANC+1W*` (the following week, as a calendar week), `DOM14`, `PAST_REF`, `VALUE=A..B` (a range), `P3D`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from timeline.temporal.calendar import (
    add_months,
    extent,
    month_end,
    season_extent,
    shift,
    third,
    week_value,
)

_RELATIVE = re.compile(r"^(REF|ANC)([+-])(\d+(?:\.\d+)?|X)(DE|CE|TH|TM|TS|D|W|M|Q|Y)([<>*]?)$")
_DATELIKE = re.compile(
    r"^(?P<year>\d{2,4}|XXXX|[RT][+-]\d)(?:-(?P<rest>[^@#~]+))?"
    r"(?:@(?P<rel>[+-]\d))?(?:#(?P<dom>\d\d))?(?:~(?P<weekday>\d))?$"
)
_VAGUE = {"PAST_REF", "PRESENT_REF", "FUTURE_REF"}
# The shapes of a spec's rest and of duration specs, compiled once (resolving runs per mention).
_DAY_REST = re.compile(r"\d\d-\d\d")
_MONTH_REST = re.compile(r"\d\d")
_MONTH_OR_DAY_REST = re.compile(r"\d\d(?:-\d\d)?")
_QUARTER_REST = re.compile(r"Q[1-4]")
_YEAR = re.compile(r"\d{4}")
_HALF_DURATION = re.compile(r"P(\d+)\.5(TH|TM|TS|D|W|M|Y)")
_CLOCK_DURATION = re.compile(r"P([\dX.]+)T([HMS])")
NEAR_FUTURE_DAYS = 60
"""A year-less date starting this soon after the reference is this year's, whatever the tense
("completed by Dec. 10" in a November article), rather than last year's."""
DEADLINE_FUTURE_DAYS = 183
"""A year-less date closing an interval ("by February", "until June 1") is a deadline: one
starting this soon after the reference is upcoming, unless its clause is marked as past."""
QUARTER_REPORT_DAYS = 92
"""A quarter is reported on after it ends: a future clause ("third-quarter results will be
weak") still means a quarter that ended this long before the reference."""


@dataclass(frozen=True)
class Interval:
    """A resolved value with the first/last day it can denote."""

    value: str
    earliest: date | None
    latest: date | None
    precision: str


@dataclass(frozen=True)
class Context:
    """What a spec is resolved against: reference date, clause tense and text anchors."""

    reference: date | None
    future: bool = False
    anchor: date | None = None
    month: tuple[int, int] | None = None
    day_first: bool = True
    year: int | None = None
    """The year of the last date the text named ("that year")."""
    past: Callable[[], bool] = bool
    """Is the clause marked as past ("arrived", "since")? Then a date has no near-future
    reading; asked lazily, as finding clause boundaries costs time."""
    deadline: bool = False
    """Does "by", "until" or "through" close the interval at this date?"""


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _unit_extent(year: int, rest: str) -> tuple[str, date, date, str] | None:
    """Extent of a date spec's rest (`MM-DD`, `MM`, season code) in a given year."""
    if _DAY_REST.fullmatch(rest):
        day = _safe_date(year, int(rest[:2]), int(rest[3:]))
        return (day.isoformat(), day, day, "day") if day else None
    if _MONTH_REST.fullmatch(rest):
        month = int(rest)
        if not 1 <= month <= 12:
            return None
        return f"{year:04d}-{rest}", date(year, month, 1), month_end(year, month), "month"
    if rest in ("SP", "SU", "FA", "WI"):
        first, last = season_extent(year, rest)
        return f"{year:04d}-{rest}", first, last, "season"
    if _QUARTER_REST.fullmatch(rest):
        quarter = int(rest[1])
        first = date(year, quarter * 3 - 2, 1)
        return f"{year:04d}-{rest}", first, month_end(year, quarter * 3), "month"
    if rest in ("H1", "H2"):
        first = date(year, 1 if rest == "H1" else 7, 1)
        return f"{year:04d}-{rest}", first, month_end(year, 6 if rest == "H1" else 12), "month"
    return None


def _year_of_weekday(rest: str, weekday: int, ref: date) -> Interval | None:
    """The year near the reference (its own first) in which a dated weekday fits ("Saturday,
    April 25" is a Saturday in 2015), if one is near."""
    for year in (ref.year, ref.year - 1, ref.year + 1):
        day = _safe_date(year, int(rest[:2]), int(rest[3:]))
        if day and day.isoweekday() == weekday:
            return Interval(day.isoformat(), day, day, "day")
    return None


def _choose_year(rest: str, ctx: Context, rel: int | None) -> Interval | None:
    """Pick the year for a year-less date: last/next by `rel`, else by tense around the reference."""
    ref = ctx.reference
    assert ref is not None
    options = [e for y in (ref.year - 1, ref.year, ref.year + 1) if (e := _unit_extent(y, rest))]
    if not options:
        return None
    month = ctx.month
    if rel is None and month and month[0] < ref.year and rest.startswith(f"{month[1]:02d}"):
        same = _unit_extent(month[0], rest)  # "In May 2021 ... On 23 May": the story's May
        if same is not None:
            return Interval(*same)
    if rel == -1:  # "last February" in March is a year back: the month just gone is "last month"
        before = ref.replace(day=1) - timedelta(days=1) if _MONTH_REST.fullmatch(rest) else ref
        fitting = [e for e in options if e[2] < before]
        pick = fitting[-1] if fitting else options[0]
    elif rel == 1:
        fitting = [e for e in options if e[1] > ref]
        pick = fitting[0] if fitting else options[-1]
    elif (
        rel == 0
    ):  # "this September", "this winter": the one holding the reference, else its year's
        fitting = [e for e in options if e[1] <= ref <= e[2]]
        fitting = fitting or [e for e in options if e[1].year == ref.year] or options
        pick = fitting[0]
    elif ctx.future:
        lag = QUARTER_REPORT_DAYS if rest.startswith("Q") else 0
        fitting = [e for e in options if e[2] >= ref - timedelta(days=lag)]
        pick = fitting[0] if fitting else options[-1]
    else:
        ahead = DEADLINE_FUTURE_DAYS if ctx.deadline else NEAR_FUTURE_DAYS
        horizon = ref + timedelta(days=ahead)
        soon = [e for e in options if ref < e[1] <= horizon]
        soon = soon if soon and not ctx.past() else []
        fitting = [e for e in options if e[1] <= ref]
        pick = soon[0] if soon else fitting[-1] if fitting else options[0]
    return Interval(*pick)


def _weekday(iso: int, ctx: Context, rel: int | None, dom: int | None) -> Interval:
    ref = ctx.reference
    assert ref is not None
    if dom is not None:
        near = [
            ref + timedelta(days=delta)
            for delta in sorted(range(-62, 63), key=lambda d: (abs(d), d > 0))
            if (ref + timedelta(days=delta)).isoweekday() == iso
            and (ref + timedelta(days=delta)).day == dom
        ]
        if near:
            return Interval(near[0].isoformat(), near[0], near[0], "day")
    back = (ref.isoweekday() - iso) % 7
    forward = (iso - ref.isoweekday()) % 7
    if rel == -1:
        day = ref - timedelta(days=back or 7)
    elif rel == 1:
        day = ref + timedelta(days=forward or 7)
    elif ctx.future:
        day = ref + timedelta(days=forward)
    else:
        day = ref - timedelta(days=back)
    return Interval(day.isoformat(), day, day, "day")


def _weekend(ctx: Context, rel: int | None) -> Interval:
    ref = ctx.reference
    assert ref is not None
    back = (ref.isoweekday() - 6) % 7
    last_saturday = ref - timedelta(days=back)
    if rel == -1:
        saturday = (
            last_saturday
            if last_saturday + timedelta(days=1) < ref
            else last_saturday - timedelta(days=7)
        )
    elif rel == 1 or (ctx.future and last_saturday + timedelta(days=1) < ref):
        saturday = last_saturday + timedelta(days=7)
    elif not ctx.future and last_saturday == ref:
        saturday = last_saturday - timedelta(days=7)
    else:
        saturday = last_saturday
    sunday = saturday + timedelta(days=1)
    latest = sunday if ctx.future or rel == 1 else min(sunday, ref)
    return Interval(week_value(saturday) + "-WE", saturday, latest, "week")


def _placeholder(spec: str) -> str:
    """The TIMEX3 value of a relative spec that cannot be resolved (no reference date)."""
    match = _RELATIVE.match(spec)
    if match:
        unit = match.group(4)
        return {"W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX", "Y": "XXXX", "DE": "XXX"}.get(
            unit, "XXXX-XX-XX"
        )
    if spec.startswith("DOM"):
        return "XXXX-XX-" + spec[3:]
    return re.sub(r"[@#].*$", "", re.sub(r"^[RT][+-]\d", "XXXX", spec))


def _relative(spec: re.Match[str], ctx: Context, exact: bool) -> Interval | None:
    base_name, sign, amount, unit, clip = spec.groups()
    base = ctx.reference if base_name == "REF" else (ctx.anchor or ctx.reference)
    if base_name == "ANC" and unit == "M" and clip == "*" and ctx.month:
        base = date(*ctx.month, 1)  # "the following month": after the month last named
    elif base_name == "ANC" and unit == "Y" and clip == "*" and ctx.year:
        base = date(ctx.year, 1, 1)
    if base is None:
        return None
    if amount == "X":
        return (
            Interval("PAST_REF", None, base, "vague")
            if sign == "-"
            else Interval("FUTURE_REF", base, None, "vague")
        )
    count = float(amount)
    count = int(count) if count.is_integer() else count
    if isinstance(count, float):
        count = int(count) if unit in ("TH", "TM", "TS") else round(count)
    moved = shift(base, -count if sign == "-" else count, unit)
    anchored_week = base_name == "ANC" and unit == "W" and clip != "*"
    if exact or unit in ("TH", "TM", "TS", "D") or anchored_week:
        return Interval(moved.isoformat(), moved, moved, "day")
    value, first, last, precision = extent(moved, unit)
    if count == 0 and base_name == "REF":
        if clip == "<" or (not clip and not ctx.future):
            last = min(last, base)
        elif clip == ">" or ctx.future:
            first = max(first, base)
    return Interval(value, first, last, precision)


def _day_of_month(day: int, ctx: Context) -> Interval | None:
    ref = ctx.reference
    if ctx.month is None and ref is None:
        return None
    year, month = ctx.month or (ref.year, ref.month)  # type: ignore[union-attr]
    found = _safe_date(year, month, day)
    if ctx.month is None and ref is not None and found is not None:
        if not ctx.future and found > ref:
            found = _safe_date(*_year_month(add_months(ref.replace(day=1), -1)), day)
        elif ctx.future and found < ref:
            found = _safe_date(*_year_month(add_months(ref.replace(day=1), 1)), day)
    return Interval(found.isoformat(), found, found, "day") if found else None


def _year_month(day: date) -> tuple[int, int]:
    return day.year, day.month


def resolve_core(spec: str, ctx: Context, exact: bool = False) -> Interval | None:
    """Resolve one spec without ranges; None when it denotes no valid date."""
    ref = ctx.reference
    if spec in _VAGUE:
        if ref is None:
            return Interval(spec, None, None, "vague")
        return {
            "PAST_REF": Interval(spec, None, ref, "vague"),
            "PRESENT_REF": Interval(spec, ref, ref, "vague"),
            "FUTURE_REF": Interval(spec, ref, None, "vague"),
        }[spec]
    if spec.startswith("ANC:"):  # "the previous Friday": counted from the text's last date
        return resolve_core(spec[4:], replace(ctx, reference=ctx.anchor or ctx.reference), exact)
    if spec.startswith("WEEK:"):  # "the week of March 6": the calendar week holding that day
        day = resolve_core(spec[5:], ctx, exact)
        if day is None or day.precision != "day" or day.earliest is None:
            return day
        return Interval(*extent(day.earliest, "W"))
    relative = _RELATIVE.match(spec)
    if relative:
        found = _relative(relative, ctx, exact)
        return found or Interval(_placeholder(spec), None, None, "vague")
    if spec.startswith("DOM"):
        return _day_of_month(int(spec[3:]), ctx) or Interval(_placeholder(spec), None, None, "day")
    match = _DATELIKE.match(spec)
    if not match:
        return None
    year, rest = match.group("year"), match.group("rest") or ""
    rel = int(match.group("rel")) if match.group("rel") else None
    dom = int(match.group("dom")) if match.group("dom") else None
    if "/" in rest:
        first, second = (int(x) for x in rest.split("/"))
        day_first = first > 12 or (ctx.day_first and second <= 12)
        day, month = (first, second) if day_first else (second, first)
        rest = f"{month:02d}-{day:02d}"
    if _MONTH_OR_DAY_REST.fullmatch(rest) and _unit_extent(2000, rest) is None:
        return None  # "31 February", month 13: no year has it (2000 has a 29 February)
    if year.startswith("T") and ctx.year is not None:  # "that year": the text's last year
        year = str(ctx.year + int(year[1:]))
    elif year[0] in "RT":
        if ref is None:
            return Interval(_placeholder(spec), None, None, "vague")
        year = str(ref.year + int(year[1:]))
    if year == "XXXX":
        if ref is None:
            return Interval(_placeholder(spec), None, None, "vague")
        if rest.startswith("WXX-WE"):
            return _weekend(ctx, rel)
        if rest.startswith("WXX-"):
            return _weekday(int(rest[4]), ctx, rel, dom)
        if match.group("weekday") and _DAY_REST.fullmatch(rest):
            found = _year_of_weekday(rest, int(match.group("weekday")), ref)
            if found:
                return found
        return _choose_year(rest, ctx, rel)
    if len(year) == 3:
        first_year = int(year) * 10
        return Interval(year, date(first_year, 1, 1), date(first_year + 9, 12, 31), "decade")
    if len(year) == 2:  # a century: "19" is 1900-1999, the 20th century
        first_year = max(1, int(year) * 100)
        return Interval(year, date(first_year, 1, 1), date(int(year) * 100 + 99, 12, 31), "year")
    if not rest:
        number = int(year)
        return Interval(year, date(number, 1, 1), date(number, 12, 31), "year")
    found = _unit_extent(int(year), rest)
    return Interval(*found) if found else None


def _year_token(spec: str) -> str:
    match = _DATELIKE.match(spec)
    return match.group("year") if match else ""


def resolve_spec(spec: str, ctx: Context) -> Interval | None:
    """Resolve a full spec, including `VALUE=` overrides and `A..B` ranges."""
    value, _, body = spec.rpartition("=")
    first, dots, _ = body.partition("..")
    if not dots:
        found = resolve_core(first, ctx)
        if found and value:
            return Interval(value, found.earliest, found.latest, found.precision)
        return found
    parts = range_parts(body, ctx)
    if parts is None:
        return None
    start, end = parts
    same = start.precision == end.precision and value not in _VAGUE
    precision = start.precision if same else "vague"
    return Interval(value or start.value, start.earliest, end.latest, precision)


def range_parts(body: str, ctx: Context) -> tuple[Interval, Interval] | None:
    """The two ends of a range spec `A..B`, each resolved; a year-less end takes the other's
    year ("Dec. 10 and Dec. 14 2019"), moved by one when that would put the end first."""
    first, _, last = body.partition("..")
    if _MONTH_REST.fullmatch(last) and _YEAR.fullmatch(first):  # "1962-63"
        last = first[:2] + last
    a_year, b_year = _year_token(first), _year_token(last)
    inherited = ""
    if a_year == "XXXX" and b_year not in ("", "XXXX"):
        first, inherited = b_year + first[4:], "a"
    start = resolve_core(first, ctx, exact=True)
    if start is None:
        return None
    if b_year == "XXXX" and start.earliest is not None and a_year:
        if last.startswith("XXXX-WXX-"):
            gap = (int(last[9]) - start.earliest.isoweekday()) % 7
            found = start.earliest + timedelta(days=gap)
            end: Interval | None = Interval(found.isoformat(), found, found, "day")
        else:
            last, inherited = f"{start.earliest.year:04d}" + last[4:], "b"
            end = resolve_core(last, ctx, exact=True)
    else:
        end = resolve_core(last, ctx, exact=True)
    if end is None:
        return None
    if start.earliest and end.latest and start.earliest > end.latest and inherited:
        if inherited == "a":
            start = resolve_core(f"{int(first[:4]) - 1:04d}" + first[4:], ctx, exact=True) or start
        else:
            end = resolve_core(f"{int(last[:4]) + 1:04d}" + last[4:], ctx, exact=True) or end
    return start, end


_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60)}
_SMALLER.update({"TM": ("TS", 60)})


def duration_value(spec: str) -> str:
    """Normalise a duration spec: clock units move behind `T` (`P3TH` -> `PT3H`), a half
    becomes the next smaller unit (`P2.5Y` -> `P2Y6M`, `P5.5TH` -> `PT5H30M`)."""
    match = _HALF_DURATION.fullmatch(spec)
    if match:
        whole, unit = int(match.group(1)), match.group(2)
        smaller, size = _SMALLER.get(unit, ("", 0))
        if size % 2 == 0:
            parts = [(whole, unit), (size // 2, smaller)] if whole else [(size // 2, smaller)]
            date_part = "".join(f"{n}{u}" for n, u in parts if not u.startswith("T"))
            time_part = "".join(f"{n}{u[1]}" for n, u in parts if u.startswith("T"))
            return f"P{date_part}" + (f"T{time_part}" if time_part else "")
    match = _CLOCK_DURATION.fullmatch(spec)
    return f"PT{match.group(1)}{match.group(2)}" if match else spec


def apply_part(found: Interval, part: str) -> Interval:
    """Narrow to the START/MID/END third of the interval (a day keeps its extent)."""
    if not part or found.earliest is None or found.latest is None or found.precision == "day":
        return found
    first, last = third(found.earliest, found.latest, found.precision, part)
    return Interval(found.value, first, last, found.precision)


def apply_open(found: Interval, pre: str, reference: date | None) -> tuple[Interval, str]:
    """Open the interval on one side for since/until/before/after; returns the TIMEX3 mod."""
    if pre == "SINCE":
        # up to the reference date, unless the text names a start after it (a wrong date)
        latest = (
            reference if reference and (not found.earliest or reference >= found.earliest) else None
        )
        return Interval(found.value, found.earliest, latest, found.precision), "ON_OR_AFTER"
    if pre == "UNTIL":
        return Interval(found.value, None, found.latest, found.precision), "ON_OR_BEFORE"
    if pre == "BEFORE":
        latest = found.earliest - timedelta(days=1) if found.earliest else None
        return Interval(found.value, None, latest, found.precision), "BEFORE"
    if pre == "AFTER":
        return Interval(found.value, found.earliest, None, found.precision), "AFTER"
    return found, ""
