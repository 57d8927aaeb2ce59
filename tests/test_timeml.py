"""Tests for TimeML output and scoring: inline TIMEX3 tags, .tml re-annotation, evaluation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from timeline.temporal import find_times, render
from timeline.timeml import (
    annotate,
    annotate_tml,
    document_creation_time,
    evaluate_tml,
    gold_timexes,
    plain_text,
    summarize,
)

MINI = Path(__file__).parent / "cases" / "timebank_mini.tml"

TINY = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="2019-01-26" functionInDocument="CREATION_TIME">2019-01-26</TIMEX3></DCT>
<TEXT>
The jet <EVENT eid="e1" class="OCCURRENCE">left</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2019-01-23">Wednesday</TIMEX3> &amp; returned <TIMEX3 tid="t2" type="DATE" value="2019-01-24">the next day</TIMEX3>.
It flew <TIMEX3 tid="t3" type="DURATION" value="PT3H">for three hours</TIMEX3> over <TIMEX3 tid="t4" type="DATE" value="2019-W03">the week</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_annotate_wraps_mentions_and_escapes_text() -> None:
    out = annotate("The jet left on Wednesday & came back <soon>.", date(2019, 1, 26))
    assert '<TIMEX3 tid="t1" type="DATE" value="2019-01-23">Wednesday</TIMEX3>' in out
    assert "&amp;" in out and "&lt;" in out
    assert (
        re.sub(r"<[^>]+>", "", out).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        == "The jet left on Wednesday & came back <soon>."
    )


def test_annotate_writes_mod_attribute() -> None:
    out = annotate("It will stay there until about three weeks from now.", date(2019, 1, 26))
    assert 'mod="APPROX">about three weeks</TIMEX3>' in out


def test_annotate_leaves_signal_words_outside() -> None:
    """TimeML: "since" and "in" are SIGNALs, not part of the TIMEX3 (nor its mod)."""
    out = annotate("It has been parked there since March.", date(2019, 1, 26))
    assert 'since <TIMEX3 tid="t1" type="DATE" value="2018-03">March</TIMEX3>' in out
    out = annotate("It flew twice in the past two months.", date(2019, 1, 26))
    assert 'in <TIMEX3 tid="t1" type="DURATION" value="P2M">the past two months</TIMEX3>' in out


def test_annotate_gives_a_range_as_two_timexes() -> None:
    out = annotate("The jets flew between Dec. 10 and Dec. 14 last year.", date(2019, 1, 26))
    assert 'between <TIMEX3 tid="t1" type="DATE" value="2018-12-10">Dec. 10</TIMEX3>' in out
    assert 'and <TIMEX3 tid="t2" type="DATE" value="2018-12-14">Dec. 14 last year</TIMEX3>' in out
    out = annotate("The talks ran from 2014-2015.", date(2019, 1, 26))
    assert '<TIMEX3 tid="t1" type="DATE" value="2014">2014</TIMEX3>-' in out
    assert '<TIMEX3 tid="t2" type="DATE" value="2015">2015</TIMEX3>.' in out


def test_plain_text_and_dct() -> None:
    assert document_creation_time(TINY) == date(2019, 1, 26)
    text = plain_text(TINY)
    assert "<" not in text
    assert "left on Wednesday & returned the next day." in text


def test_gold_offsets_point_into_plain_text() -> None:
    text = plain_text(TINY)
    spans = [text[g.start : g.end] for g in gold_timexes(TINY)]
    assert spans == ["Wednesday", "the next day", "for three hours", "the week"]


def test_annotate_tml_replaces_tags_and_keeps_dct() -> None:
    out = annotate_tml(TINY)
    dct = re.search(r"<DCT>.*?</DCT>", TINY, re.DOTALL)
    assert dct and dct.group(0) in out
    body = re.search(r"<TEXT>(.*)</TEXT>", out, re.DOTALL)
    assert body is not None
    assert "<EVENT" not in body.group(1)
    assert 'tid="t0"' not in body.group(1)
    assert '<TIMEX3 tid="t1" type="DATE" value="2019-01-23">Wednesday</TIMEX3>' in body.group(1)
    assert "&amp;" in body.group(1)


def test_evaluate_tml_counts_strict_relaxed_and_value() -> None:
    result = evaluate_tml(TINY)
    # Wednesday and "the next day" match exactly; "three hours" overlaps "for three hours"
    # with the right value; "the week" is not an expression we find.
    assert result["gold"] == 4
    assert result["predicted"] == 3
    assert result["relaxed"] == 3
    assert result["strict"] == 2
    assert result["value"] == 3
    assert abs(float(result["relaxed_recall"]) - 0.75) < 1e-9
    assert abs(float(result["relaxed_precision"]) - 1.0) < 1e-9


def test_summarize_micro_averages() -> None:
    summary = summarize([evaluate_tml(TINY), evaluate_tml(TINY)])
    assert summary["gold"] == 8
    assert abs(summary["relaxed_f1"] - 2 * 0.75 / 1.75) < 1e-9


def test_timebank_mini_scores() -> None:
    """Our own TimeBank-style document: spans and values must stay mostly right."""
    result = evaluate_tml(MINI.read_text(encoding="utf-8"))
    assert result["gold"] >= 30
    assert float(result["relaxed_f1"]) >= 0.9
    assert float(result["value_f1"]) >= 0.85


def test_evaluate_tml_scores_type_and_value_as_te3() -> None:
    """TE3: value/type F1 = accuracy on relaxed matches x relaxed F1."""
    result = evaluate_tml(TINY)
    # the three matches have the gold type; relaxed F1 = 2 * 1 * 0.75 / 1.75
    assert result["type"] == 3
    assert abs(float(result["type_f1"]) - 1.5 / 1.75) < 1e-9
    assert result["strict_found"] == 2
    assert abs(float(result["strict_precision"]) - 2 / 3) < 1e-9


@pytest.mark.parametrize("rule", sorted(render.overrides()))
def test_timeml_rendering_example(rule: str) -> None:
    """Each row of data/time/timeml.tsv: its example gives the expected TIMEX3 text and value."""
    kind, _, example, expected = render.overrides()[rule]
    found = [(m.text, m.value) for m in find_times(example, date(2019, 1, 26), timeml=True)]
    if kind == "NONE":
        assert found == []
        assert find_times(example, date(2019, 1, 26)), "the event table still sees it"
        return
    text, _, value = expected.partition("=")
    assert (text, value) in found, found


def test_a_year_ago_takes_the_granularity_of_the_period_compared() -> None:
    text = "Third-quarter profit fell to $5 million from $8 million a year ago."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 11, 2), timeml=True)]
    assert found == [("Third-quarter", "2019-Q3"), ("a year ago", "2018-Q3")]
    # the event table keeps the whole year
    plain = find_times(text, date(2019, 11, 2))
    assert plain[1].value == "2018" and plain[1].earliest == date(2018, 1, 1)


def test_a_year_named_with_period_or_year_earlier_takes_the_period_just_named() -> None:
    text = "Third-quarter sales rose from the 2018 quarter; year-earlier profit was thin."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 11, 2), timeml=True)]
    assert found == [
        ("Third-quarter", "2019-Q3"), ("the 2018 quarter", "2018-Q3"), ("year-earlier", "2018-Q3")
    ]  # fmt: skip
    # without a period before them they stay years
    found = [(m.text, m.value) for m in find_times("The 2017 period was calm.", date(2019, 11, 2))]
    assert found == [("The 2017 period", "2017")]


def test_anchored_date_carries_its_duration_as_a_non_consuming_timex() -> None:
    out = annotate("The jet left on May 3, 2015 and returned two years later.", date(2019, 6, 1))
    assert '<TIMEX3 tid="t2" type="DATE" value="2017">two years later</TIMEX3>' in out
    assert '<TIMEX3 tid="t3" type="DURATION" value="P2Y" endPoint="t2"/>' in out
    out = annotate("It crashed three years ago.", date(2019, 6, 1))
    assert '<TIMEX3 tid="t2" type="DURATION" value="P3Y" beginPoint="t1"/>' in out


def test_days_weeks_or_months_later_are_a_duration_with_the_signal_outside() -> None:
    out = annotate("The jet left on May 3 and returned two weeks later.", date(2019, 6, 1))
    assert '<TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3> later.' in out
    # the event table still dates the return
    mentions = find_times("The jet left on May 3 and returned two weeks later.", date(2019, 6, 1))
    assert mentions[1].value == "2019-05-17"


def test_gold_reading_skips_non_consuming_timexes() -> None:
    document = TINY.replace(
        "</TIMEX3> &amp;", '</TIMEX3><TIMEX3 tid="t9" type="DURATION" value="P1D"/> &amp;'
    )
    assert [g.value for g in gold_timexes(document)] == [g.value for g in gold_timexes(TINY)]


def test_last_year_stays_a_year_after_a_quarter() -> None:
    text = "Third-quarter profit rose from a year earlier. A year ago, the plant was shut."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 11, 2), timeml=True)]
    assert ("a year earlier", "2018-Q3") in found
    assert ("A year ago", "2018-Q3") in found  # still compared with the quarter, not 2017-Q3
    text = "Third-quarter profit rose. Last year was hard."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 11, 2), timeml=True)]
    assert ("Last year", "2018") in found


def test_weekdays_joined_by_and_resolve_each_on_their_own() -> None:
    text = "Statements made Friday and Thursday were read out."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 1, 26), timeml=True)]
    assert found == [("Friday", "2019-01-25"), ("Thursday", "2019-01-24")]
    text = "The base was shut from Monday to Wednesday."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 1, 26), timeml=True)]
    assert found == [("Monday", "2019-01-21"), ("Wednesday", "2019-01-23")]


def test_clock_range_is_two_times_on_the_same_day() -> None:
    out = annotate("From 9 a.m. to 5 p.m. on Friday the base was shut.", date(2019, 1, 26))
    assert '<TIMEX3 tid="t1" type="TIME" value="2019-01-25T09:00">9 a.m.</TIMEX3> to ' in out
    assert '<TIMEX3 tid="t2" type="TIME" value="2019-01-25T17:00">5 p.m.</TIMEX3>' in out


def test_vague_decades_are_written_in_years() -> None:
    text = "For decades the base was a decades-long dispute; it closed after two decades."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 1, 26), timeml=True)]
    assert found == [("decades", "PXY"), ("decades-long", "PXY"), ("two decades", "P20Y")]


def test_a_clock_time_takes_the_day_the_text_is_on() -> None:
    text = "The jet landed on Thursday. The crew left around 7:15 p.m., police said."
    found = [(m.text, m.value) for m in find_times(text, date(2019, 1, 26), timeml=True)]
    assert ("around 7:15 p.m.", "2019-01-24T19:15") in found
    table = [(m.text, m.value) for m in find_times(text, date(2019, 1, 26))]
    assert ("around 7:15 p.m.", "XXXX-XX-XXT19:15") in table  # the event table's own view


def test_the_day_before_a_date_is_one_timex_of_the_day_before() -> None:
    """TimeML marks "the day before last Tuesday" as one DATE, the Monday, and a date
    counted from it ("the next morning") is counted from that Monday."""
    text = "The day before last Tuesday's launch, the crew rested. They flew the next morning."
    found = [(m.text, m.type, m.value) for m in find_times(text, date(2019, 1, 26), timeml=True)]
    assert found == [
        ("The day before last Tuesday", "DATE", "2019-01-21"),
        ("the next morning", "TIME", "2019-01-22TMO"),
    ]
