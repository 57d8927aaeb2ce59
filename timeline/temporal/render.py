"""TimeML rendering of resolved mentions, where TIMEX3 markup differs from the event table's view.

Signal prepositions stay outside the TIMEX3 ("in the past two months" -> "the past two months");
a range is two TIMEX3s ("Dec. 10 and Dec. 14"); some rules have another TIMEX3 type and value
or none (`data/time/timeml.tsv`: "the past two months" is DURATION P2M, while the event table
reads it as the days up to publication; an age is no TIMEX3); "a year ago" after a quarter is
that quarter a year back; "two years later" holds the duration P2Y, while "two weeks later" is
the duration "two weeks" with its signal outside; a clock time takes the day the text is on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from timeline.model import TimeMention
from timeline.resources import ResourceError, data_path, read_table
from timeline.temporal import grammar
from timeline.temporal.extract import Candidate, fill, find_candidates
from timeline.temporal.resolve import Context, duration_value, range_parts, resolve_spec

_ANCHORED_SHIFTS = frozenset({"ago", "anaph_shift", "anaph_shift_days"})
_PERIOD_BACK = _ANCHORED_SHIFTS | {"year_earlier_adj"}
"""Rules counting years back, which TimeML renders as the period just named ("a year ago")."""
_PERIOD_OF_YEAR = frozenset({"year_period"})
"""Rules naming a year's period ("the 1988 quarter"): the kind of period just named."""
_SIGNAL_MODS = frozenset({"ON_OR_AFTER", "ON_OR_BEFORE", "BEFORE", "AFTER"})
"""Mods our engine derives from a signal word ("since"), which TimeML leaves to the SIGNAL."""


@cache
def overrides() -> dict[str, tuple[str, str, str, str]]:
    """Rule name -> (TIMEX3 type, value template, example sentence, expected `text=value`)."""
    path = data_path("time/timeml.tsv")
    names = {rule.name for rule in grammar.rules()}
    found: dict[str, tuple[str, str, str, str]] = {}
    for number, row in read_table("time/timeml.tsv"):
        if row["rule"] not in names or row["rule"] in found:
            raise ResourceError(f"{path}:{number}: unknown or repeated rule {row['rule']!r}")
        found[row["rule"]] = (row["type"], row["value"], row["example"], row["expected"])
    return found


def _signal() -> re.Pattern[str]:
    """Leading signal words of a mention ("since", "in the"), but not "at" of "at least"."""
    return grammar.compiled(
        "timeml signal",
        r"^(?:(?:" + grammar.alternation("open_prefix") + r"|%timeml_signal)\s+)+"
        r"(?:the\s+(?=(?-i:[A-Z])))?(?=\w)(?!least\b|most\b)",
    )


def split_range(cand: Candidate, ctx: Context, whole: TimeMention, text: str) -> list[TimeMention]:
    """A range mention as its two ends, each with its own span and value (else the mention)."""
    value, _, body = cand.spec.rpartition("=")
    if cand.split is not None and body.startswith("XXXX-XX-XXT") and "T" in whole.value:
        return _split_clocks(cand.split, whole, text)
    if cand.split is None or value or ".." not in body or cand.type not in ("DATE", "TIME"):
        return [whole]
    first, _, last = body.partition("..")
    joined = text[cand.split[0] : cand.split[1]].split()
    if (
        first.startswith("XXXX-WXX-")
        and last.startswith("XXXX-WXX-")
        and joined in (["and"], ["or"])
    ):
        # "Friday and Thursday": each weekday on its own, not the second after the first
        one, other = resolve_spec(first, ctx), resolve_spec(last, ctx)
        parts = (one, other) if one and other else None
    else:
        parts = range_parts(body, ctx)
    if parts is None:
        return [whole]
    first_end, second_start = cand.split
    out = []
    for (start, end), part in zip(
        ((whole.start, first_end), (second_start, whole.end)), parts, strict=True
    ):
        out.append(
            replace(
                whole, start=start, end=end, text=text[start:end], value=part.value,
                earliest=part.earliest, latest=part.latest, precision=part.precision, mod="",
            )
        )  # fmt: skip
    return out


def is_anchored_shift(mention: TimeMention) -> bool:
    """Is the mention a date counted from another ("a year ago", "two years later", "the 1988
    quarter")? Such a mention does not become the period later ones are compared with."""
    return mention.rule in _PERIOD_BACK or mention.rule in _PERIOD_OF_YEAR


def _split_clocks(split: tuple[int, int], whole: TimeMention, text: str) -> list[TimeMention]:
    """Split a clock range ("9 a.m. to 5 p.m.") into two TIME TIMEX3s on the same day."""
    tail = find_candidates(text[split[1] : whole.end])
    if not tail or not tail[0].spec.startswith("XXXX-XX-XXT"):
        return [whole]
    day = whole.value.rpartition("T")[0]
    first = replace(whole, end=split[0], text=text[whole.start : split[0]], mod="")
    second = replace(
        whole, start=split[1], text=text[split[1] : whole.end], mod="",
        value=f"{day}T{tail[0].spec.rpartition('T')[2]}",
    )  # fmt: skip
    return [first, second]


def timeml_view(
    cand: Candidate, mention: TimeMention, ctx: Context, previous: TimeMention | None
) -> TimeMention | None:
    """The mention as one TIMEX3: leading signal words dropped, the rule's TimeML value used,
    "a year ago" as precise as the period just named (see `_same_period_back`); None when
    TimeML marks no TIMEX3 there (type NONE in timeml.tsv: ages, "a 6-year-old")."""
    signal = _signal().match(mention.text)
    if signal:
        cut = signal.end()
        mod = (cand.mod or cand.part) if mention.mod in _SIGNAL_MODS else mention.mod
        mention = replace(mention, start=mention.start + cut, text=mention.text[cut:], mod=mod)
    rule = cand.rule.split("+")[0]
    if rule in overrides() and "+range" not in cand.rule:  # a range part keeps its own value
        kind, template, _, _ = overrides()[rule]
        if kind == "NONE":
            return None
        value = fill(template, cand.groups)
        if kind == "DURATION":
            value = duration_value(value)
            mention = _without_trailing_signal(mention)
        elif kind in ("DATE", "TIME"):
            found = resolve_spec(value, ctx)
            value = found.value if found else value
        mention = replace(mention, type=kind, value=value)
    if mention.type == "DURATION":
        mention = replace(mention, value=_in_years(mention.value))
    elif (
        mention.value.startswith("XXXX-XX-XXT")
        and mention.earliest is not None
        and mention.earliest == mention.latest
    ):  # "killed Thursday evening ... around 7:15 p.m.": TimeML dates the clock time by the
        # day the text is on; the event table keeps that day in earliest/latest only
        mention = replace(mention, value=mention.earliest.isoformat() + mention.value[10:])
    return _same_period_back(cand, mention, previous)


def _without_trailing_signal(mention: TimeMention) -> TimeMention:
    """A duration without the word anchoring it ("three days later" -> "three days")."""
    trailing = grammar.compiled("timeml trailing signal", r"\s+(?:%timeml_trailing_signal)$")
    found = trailing.search(mention.text)
    if found is None:
        return mention
    text = mention.text[: found.start()]
    return replace(mention, text=text, end=mention.start + len(text))


_DECADES = re.compile(r"^P(\d+|X)(DE|CE)$")


def _in_years(value: str) -> str:
    """TimeML writes decades and centuries of a duration in years (P2DE -> P20Y, "decades"
    PXDE -> PXY)."""
    match = _DECADES.match(value)
    if not match:
        return value
    if match.group(1) == "X":
        return "PXY"
    return f"P{int(match.group(1)) * (10 if match.group(2) == 'DE' else 100)}Y"


_YEARS_BACK = re.compile(r"^(?:REF|ANC)-(\d+)Y$")
_PERIOD = re.compile(r"^(\d{4})(-(?:Q[1-4]|H[12]))$")


def _same_period_back(
    cand: Candidate, mention: TimeMention, previous: TimeMention | None
) -> TimeMention:
    """TimeML gives "a year ago" the granularity of the period it is compared with:
    "third-quarter profit ... from a year earlier" is last year's third quarter (1988-Q3)."""
    period = _PERIOD.match(previous.value) if previous and previous.type == "DATE" else None
    if cand.rule in _PERIOD_OF_YEAR and period and re.fullmatch(r"\d{4}", mention.value):
        return replace(mention, value=mention.value + period.group(2))
    back = _YEARS_BACK.match(cand.spec) if cand.rule in _PERIOD_BACK else None
    if not back or not period:
        return mention
    year = int(period.group(1)) - int(back.group(1))
    return replace(mention, value=f"{year:04d}{period.group(2)}")


def embedded_duration(mention: TimeMention) -> str | None:
    """The duration inside an anchored date ("two weeks earlier" -> P2W), else None."""
    if mention.rule not in _ANCHORED_SHIFTS or mention.type not in ("DATE", "TIME"):
        return None
    duration = next(r for r in grammar.rules() if r.name == "duration")
    match = duration.regex.search(mention.text.rsplit(None, 1)[0])  # without "ago", "later"
    if match is None:
        return None
    groups = {k: v for k, v in match.groupdict().items() if v}
    return duration_value(fill(duration.value, groups))
