"""Time choice: which time expression dates a trigger's clause, and how the story's clock
fills or narrows it ("at 11 p.m." on the previous event's day, "has been stuck" until
publication, a departure and an arrival days apart as one span)."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date, timedelta

from timeline.events.lexicon import phrase
from timeline.events.memory import LOOKBACK
from timeline.events.sentence import SentenceState
from timeline.model import Sentence, TimeMention

ONE_DAY = timedelta(days=1)
_ONGOING = phrase("ongoing")
_HOT_NEWS = phrase("hot_news")
_DAY_AFTER_GAP = phrase("day_after_gap")
_AFTER_CLAUSE = phrase("after_clause")
_WHEN_AFTER_TIME = phrase("when_after_time")
_AND_TIME = phrase("and_time")
_TIME_OWNER = phrase("time_owner")


class TimeStage(SentenceState):
    """Chooses the time of each trigger's clause."""

    def time_for(
        self, trigger_start: int, trigger_end: int, window_end: int, *, after_only: bool = False
    ) -> TimeMention | None:
        """The time expression of the trigger's clause: after it, else before it.

        On each side, among a clause's times a calendar date beats a bare clock time, which beats an
        anaphoric one; a time inside an earlier, wider one ("this year ... in mid-October")
        is the more precise reading of the same clause.
        """
        starts = self.dated_starts
        after = [
            t
            for t in self.dated[
                bisect.bisect_left(starts, trigger_end) : bisect.bisect_left(starts, window_end)
            ]
            if not _TIME_OWNER.search(self.low, trigger_end, t.start)
        ]
        last = bisect.bisect_left(starts, trigger_start)
        before = (
            []
            if after_only
            else [
                t
                for t in reversed(self.dated[max(0, last - LOOKBACK) : last])
                if t.end <= trigger_start
            ]
        )
        for side in (after, before):
            for tier in (0, 1, 2):
                candidates = [t for t in side if time_tier(t) == tier]
                if candidates:
                    joined = self._joined(self._day_after(candidates[0]))
                    if joined.end > candidates[0].end:
                        return joined
                    return self._joined(_narrowest(candidates))
        return None

    def _next_dated(self, offset: int) -> TimeMention | None:
        """The first dated time of the sentence starting at or after `offset`."""
        index = bisect.bisect_left(self.dated_starts, offset)
        return self.dated[index] if index < len(self.dated) else None

    def _day_after(self, first: TimeMention) -> TimeMention:
        """ "at dawn the previous day", "at 11 p.m. on Oct. 2": a part of a day or a clock time
        written just before a day takes that day."""
        if first.reading not in ("clock", "day_part"):
            return first
        other = self._next_dated(first.end)
        if other is not None and _DAY_AFTER_GAP.match(self.text[first.end : other.start]):
            return replace(other, start=first.start, text=self.text[first.start : other.end])
        return first

    def _joined(self, first: TimeMention) -> TimeMention:
        """Join "on Monday evening and on Tuesday" into one interval; read "X, when ..." as X."""
        result = first
        while (other := self._next_dated(result.end + 1)) is not None:
            if not _AND_TIME.match(self.text[result.end : other.start]):
                break
            result = replace(
                result,
                end=other.end,
                text=self.text[result.start : other.end],
                earliest=min(filter(None, (result.earliest, other.earliest)), default=None),
                latest=max(filter(None, (result.latest, other.latest)), default=None),
            )
        return result

    def when_clause_time(self, trigger_start: int) -> TimeMention | None:
        """In "since October 2019, when he went to ...", the event is at October 2019 itself."""
        last = bisect.bisect_left(self.time_starts, trigger_start)
        for time in self.times[max(0, last - LOOKBACK) : last]:
            if time.end <= trigger_start and _WHEN_AFTER_TIME.match(
                self.text[time.end : trigger_start]
            ):
                interval = value_interval(time.value)
                if interval:
                    return replace(time, earliest=interval[0], latest=interval[1], mod="")
        return None

    def ongoing(self, trigger_start: int) -> bool:
        """Whether the verb is in the present perfect or "is still" ("has been stuck")."""
        before = max(self.sentence.start, trigger_start - 40)
        return bool(_ONGOING.search(self.low, before, trigger_start))

    def hot_news(self, trigger_start: int) -> bool:
        """Whether the verb is a completed movement in the present perfect ("have landed")."""
        before = max(self.sentence.start, trigger_start - 40)
        return bool(_HOT_NEWS.search(self.low, before, trigger_start))

    def told_after(self, trigger_start: int) -> bool:
        """Whether the trigger tells what happened before the event ("after taking off")."""
        before = max(self.sentence.start, trigger_start - 40)
        return bool(_AFTER_CLAUSE.search(self.low, before, trigger_start))


def time_tier(time: TimeMention) -> int:
    """Preference among a clause's times: own calendar date, then clock time, then anaphoric."""
    if time.reading in ("anaphoric", "day_part", "same_day"):
        return 2
    return 1 if time.reading == "clock" else 0


def until_published(when: TimeMention | None, published: date, sentence: Sentence) -> TimeMention:
    """A state reported in the present perfect ("has been stuck there") lasts until publication."""
    if when is not None:
        if when.earliest is not None and when.earliest > published:
            return when
        return replace(when, latest=published)
    return TimeMention(
        start=sentence.start,
        end=sentence.start,
        text="",
        type="DATE",
        value="PRESENT_REF",
        latest=published,
        rule="ongoing",
    )


def on_publication_day(published: date, sentence: Sentence) -> TimeMention:
    """The publication day, for news told in the present perfect with no date of its own."""
    return TimeMention(
        start=sentence.start,
        end=sentence.start,
        text="",
        type="DATE",
        value=published.isoformat(),
        earliest=published,
        latest=published,
        precision="day",
        rule="hot_news",
    )


def on_event_day(when: TimeMention, previous: TimeMention | None) -> TimeMention:
    """Put a time that only names a part of "the day" ("at 11 p.m.", "in the afternoon",
    "later that day", "overnight": the night after) on the day of the previous event: the story's clock, which a date
    mentioned in passing ("a newspaper on Wednesday printed ...") does not move."""
    same_day = when.reading in ("day_part", "same_day", "overnight") or (
        when.reading == "clock" and when.value.startswith("XXXX")
    )
    if not same_day or previous is None or previous.earliest is None:
        return when
    if previous.earliest != previous.latest:
        return when
    if when.reading == "overnight":
        return replace(when, earliest=previous.earliest, latest=previous.earliest + ONE_DAY)
    return replace(when, earliest=previous.earliest, latest=previous.earliest)


def _narrowest(candidates: list[TimeMention]) -> TimeMention:
    """The first candidate, unless a later one lies within its interval (and is narrower)."""
    first = candidates[0]
    for other in candidates[1:]:
        if (
            first.earliest
            and first.latest
            and other.earliest
            and other.latest
            and first.earliest <= other.earliest
            and other.latest <= first.latest
            and (other.earliest, other.latest) != (first.earliest, first.latest)
        ):
            return other
    return first


def value_interval(value: str) -> tuple[date, date] | None:
    """First and last day of a TIMEX3 calendar value (YYYY, YYYY-MM or YYYY-MM-DD)."""
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value)
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(3):
        day = date(year, int(match.group(2)), int(match.group(3)))
        return day, day
    if match.group(2):
        month = int(match.group(2))
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)
        return first, date.fromordinal(last.toordinal() - 1)
    return date(year, 1, 1), date(year, 12, 31)


def arrives_later(left: TimeMention, arrived: TimeMention) -> bool:
    """An arrival dated a few days after the departure it completes ("took off late on
    Wednesday and landed early on Thursday"): the flight spans both days."""
    if None in (left.earliest, left.latest, arrived.earliest, arrived.latest):
        return False
    gap = arrived.earliest - left.latest  # type: ignore[operator]
    return timedelta(0) < gap <= 3 * ONE_DAY


def spanning(left: TimeMention, arrived: TimeMention) -> TimeMention:
    """One time from a departure's to an arrival's, written as both are."""
    return replace(left, latest=arrived.latest, text=f"{left.text} … {arrived.text}")
