"""Tests for the temporal engine: file-based cases, every rule's example, data integrity, speed."""

from __future__ import annotations

import csv
import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from timeline import resources
from timeline.resources import ResourceError
from timeline.spans import search_words
from timeline.temporal import find_times, grammar
from timeline.temporal.calendar import third
from timeline.temporal.resolve import Context, resolve_spec

CASES = Path(__file__).parent / "cases"


def _load_cases() -> list[dict[str, str]]:
    rows = []
    for path in sorted(CASES.glob("timex*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if not line.startswith("#")]
        for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), 2):
            row["where"] = f"{path.name}:{number}"
            rows.append(row)
    return rows


def _day(text: str) -> date | None:
    return None if text == "none" else date.fromisoformat(text)


@pytest.mark.parametrize("case", _load_cases(), ids=lambda case: case["where"])
def test_file_case(case: dict[str, str]) -> None:
    reference = _day(case["reference"])
    mentions = find_times(case["sentence"], reference)
    span = case["span"]
    if span == "-":
        assert mentions == [], [m.text for m in mentions]
        return
    if span.startswith("!"):
        start = case["sentence"].index(span[1:])
        end = start + len(span) - 1
        assert not [m for m in mentions if m.start < end and start < m.end]
        return
    found = [m for m in mentions if m.text == span]
    assert found, f"no mention {span!r}; got {[m.text for m in mentions]}"
    mention = found[0]
    for field in ("type", "value", "mod"):
        if case[field]:
            assert getattr(mention, field) == case[field], field
    for field in ("earliest", "latest"):
        if case[field]:
            assert getattr(mention, field) == _day(case[field]), field


def test_there_are_enough_file_cases() -> None:
    assert len(_load_cases()) >= 250


@pytest.mark.parametrize("rule", grammar.rules(), ids=lambda rule: rule.name)
def test_rule_example_is_found(rule: grammar.Rule) -> None:
    """The example must yield a mention covering what the rule matches in it.

    Context words a rule only looks behind at ("in" of "in October") may stay outside.
    """
    own = rule.regex.search(rule.example)
    assert own, "the rule's own regex must match its example"
    text = f"Officials said that {rule.example} was important."
    start = text.index(rule.example) + own.start()
    end = text.index(rule.example) + own.end()
    mentions = find_times(text, date(2019, 1, 26))
    assert any(m.start <= start and m.end >= end for m in mentions), [m.text for m in mentions]


def test_mentions_are_sorted_non_overlapping_and_sliced() -> None:
    text = (
        "On Monday, two days after the crash, a jet left at 3 p.m. local time. "
        "It returned the following day and stayed for 14 days until Dec. 10."
    )
    mentions = find_times(text, date(2019, 1, 26))
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for before, after in itertools.pairwise(mentions):
        assert before.end <= after.start
    assert all(m.text == text[m.start : m.end] for m in mentions)
    assert all(m.rule for m in mentions)


def test_longest_match_wins_over_parts() -> None:
    mentions = find_times("It landed on January 26, 2019.", date(2019, 2, 1))
    assert [m.text for m in mentions] == ["January 26, 2019"]


def test_durations_carry_no_dates() -> None:
    text = "It was a 10-hour flight after two decades and about 10 minutes of delay."
    durations = find_times(text, date(2019, 1, 26))
    assert {m.type for m in durations} == {"DURATION"}
    assert all(m.earliest is None and m.latest is None for m in durations)


def test_anchor_follows_the_most_recent_day() -> None:
    text = "The jet landed on Oct. 2. It flew out on Oct. 8 and returned the next day."
    last = find_times(text, date(2018, 10, 11))[-1]
    assert last.text == "the next day"
    assert last.earliest == date(2018, 10, 9)


def _span(text: str, surface: str, published: date) -> tuple[date | None, date | None]:
    mention = next(m for m in find_times(text, published) if m.text == surface)
    return mention.earliest, mention.latest


def test_past_perfect_resolves_a_year_less_month_back_from_the_narrative_date() -> None:
    text = "In June 2022, a judge signed a warrant. The jet had been parked in Dubai since March."
    assert _span(text, "since March", date(2023, 6, 12)) == (date(2022, 3, 1), date(2022, 6, 30))
    future = "In June 2022, a judge signed a warrant. The jet will be parked in Dubai in March."
    assert _span(future, "March", date(2023, 6, 12))[0] == date(2024, 3, 1)


def test_past_perfect_weekday_is_the_one_before_the_narrative_day() -> None:
    text = "On Friday, June 4, police said the plane had landed on Tuesday."
    assert _span(text, "Tuesday", date(2021, 6, 12)) == (date(2021, 6, 1), date(2021, 6, 1))
    plain = "On Friday, June 4, police said the plane landed on Tuesday."
    assert _span(plain, "Tuesday", date(2021, 6, 12)) == (date(2021, 6, 8), date(2021, 6, 8))


def test_deictic_dates_stay_anchored_to_publication_in_the_past_perfect() -> None:
    text = "In June 2022, a judge signed a warrant. This month the jet had been moved to Dubai."
    assert _span(text, "This month", date(2023, 6, 12)) == (date(2023, 6, 1), date(2023, 6, 12))


def test_clock_time_attaches_to_nearest_date_in_sentence() -> None:
    text = "On Monday the jet left. It landed at about 3 a.m. on Oct. 2."
    clock = next(m for m in find_times(text, date(2018, 10, 11)) if m.type == "TIME")
    assert clock.value == "2018-10-02T03:00"
    assert clock.time_of_day == "03:00"


def test_time_of_day_words_are_kept() -> None:
    mention = find_times("Jets landed late on Sunday night.", date(2019, 1, 26))[0]
    assert "late" in mention.time_of_day and "night" in mention.time_of_day


def test_reference_none_keeps_placeholders_for_weekday_with_tense() -> None:
    mention = find_times("The plane will land on Friday.", None)[0]
    assert (mention.value, mention.earliest, mention.latest) == ("XXXX-WXX-5", None, None)


def test_week_thirds_and_month_thirds() -> None:
    assert third(date(2019, 1, 21), date(2019, 1, 27), "week", "START") == (
        date(2019, 1, 21),
        date(2019, 1, 22),
    )
    assert third(date(2019, 2, 1), date(2019, 2, 28), "month", "END") == (
        date(2019, 2, 21),
        date(2019, 2, 28),
    )


def test_resolve_spec_range_inherits_year_across_new_year() -> None:
    found = resolve_spec("XXXX-12-28..XXXX-01-03", Context(date(2019, 1, 26)))
    assert found is not None
    assert (found.earliest, found.latest) == (date(2018, 12, 28), date(2019, 1, 3))


def test_resolve_spec_rejects_impossible_dates() -> None:
    assert resolve_spec("2019-02-30", Context(date(2019, 3, 1))) is None
    assert find_times("It landed on Feb. 30, 2019.", date(2019, 3, 1)) == []


@pytest.mark.parametrize(
    "text",
    ["Dec. " * 40000, "1" * 200000, " " * 100000 + "Dec", "May " * 30000, "10:36 " * 20000],
    ids=["months", "digits", "spaces", "mays", "clocks"],
)
def test_adversarial_inputs_give_well_formed_mentions(text: str) -> None:
    for mention in find_times(text, date(2019, 1, 26)):  # growth: benchmarks/bench_pathological.py
        assert text[mention.start : mention.end] == mention.text


def test_every_plain_pattern_word_has_a_normalisation() -> None:
    """Words a rule can capture must be in the table the resolver looks them up in."""
    pairs = {
        "month_long": "month",
        "weekday": "weekday",
        "number_word": "number",
        "unit": "unit",
        "unit_second": "unit",
        "unit_plural": "unit",
        "season": "season",
        "part_of_day": "part_of_day",
        "day_ordinal": "day",
        "day_word": "day_word",
        "relative": "relative",
        "clock_word": "clock_word",
        "year_relative": "year_relative",
    }
    for pattern_name, table in pairs.items():
        words = resources.read_lines(f"time/patterns/{pattern_name}.txt")
        for word in words:
            if word.replace(" ", "").replace("-", "").isalpha():
                assert word.lower() in grammar.norm(table), (pattern_name, word)


@pytest.fixture
def scratch_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of data/time in a temp dir, with the grammar caches cleared around the test."""
    import shutil

    shutil.copytree(resources.data_path("time"), tmp_path / "time")
    monkeypatch.setattr(resources, "data_dir", lambda: tmp_path)
    caches = [grammar._raw_patterns, grammar.pattern, grammar.norm, grammar.rules, grammar.anchors]
    for cached in caches:
        cached.cache_clear()
    yield tmp_path / "time"
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def _append_rule(folder: Path, line: str) -> None:
    with (folder / "rules.tsv").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_bad_pattern_reference_names_file_and_line(scratch_data: Path) -> None:
    _append_rule(scratch_data, "broken\tDATE\tday\t%no_such_pattern\tREF+0D\tday")
    with pytest.raises(ResourceError, match=r"rules\.tsv:\d+: unknown pattern %no_such_pattern"):
        grammar.rules()


def test_duplicate_rule_name_is_an_error(scratch_data: Path) -> None:
    _append_rule(scratch_data, "weekday\tDATE\tday\tday\tREF+0D\tday")
    with pytest.raises(ResourceError, match="duplicate rule name 'weekday'"):
        grammar.rules()


def test_template_group_missing_from_regex_is_an_error(scratch_data: Path) -> None:
    _append_rule(scratch_data, "broken\tDATE\tday\tday\t{month}-01\tday")
    with pytest.raises(ResourceError, match="value uses groups not in the regex"):
        grammar.rules()


def test_tense_markers_scan_lower_cased_text_and_refuse_case_sensitive_patterns() -> None:
    """Clause markers run without re.I over lower-cased text; a pattern that needs the
    text as written ("May" the month) cannot be used that way and is refused."""
    markers = grammar.compiled_lower("test", r"(?<!\w)(?:%future_marker)(?!\w)")
    assert markers.search("the jets will land") and not markers.search("the jets WILL land")
    with pytest.raises(ResourceError, match="case-sensitive"):
        grammar.compiled_lower("test", "%month")
    with pytest.raises(ResourceError, match="unknown pattern %no_such"):
        grammar.compiled_lower("test", "%no_such")


def test_duplicate_normalisation_is_an_error(scratch_data: Path) -> None:
    with (scratch_data / "norm" / "month.csv").open("a", encoding="utf-8") as handle:
        handle.write("jan,02\n")
    with pytest.raises(ResourceError, match=r"month\.csv:\d+: duplicate surface 'jan'"):
        grammar.norm("month")


@pytest.mark.parametrize("rule", grammar.rules(), ids=lambda rule: rule.name)
def test_rule_anchor_occurs_in_its_match(rule: grammar.Rule) -> None:
    """A rule only runs near its anchor word, so its example's match must contain one;
    a `^` anchor must be the match's first word."""
    words, shapes = grammar._anchor_words(rule.anchor.removeprefix("^"), rule.name)
    own = rule.regex.search(rule.example)
    assert own
    tokens = [m.group() for m in grammar.anchor_scanner().finditer(own.group().lower())]
    hits = [t for t in tokens if t in words or any(s.fullmatch(t) for s in shapes)]
    assert hits, (rule.anchor, tokens)
    if rule.anchor.startswith("^"):
        assert tokens[0] == hits[0] and own.group().lower().startswith(tokens[0])


def test_a_clock_time_ending_a_sentence_does_not_take_the_next_sentences_date() -> None:
    text = (
        "The first jet landed on Oct. 2. A second jet touched down at around 5:15 p.m. "
        "A newspaper on Wednesday printed the names."
    )
    clock = next(m for m in find_times(text, date(2018, 10, 11)) if "5:15" in m.text)
    assert clock.earliest == date(2018, 10, 2)


def test_days_after_an_event_clause_is_a_duration_not_a_shift() -> None:
    text = "They arrived on Friday, two days after Russian drones crossed the border."
    assert [m.rule for m in find_times(text, date(2024, 9, 14))] == ["weekday", "duration"]


@pytest.mark.parametrize(
    "text",
    [
        "Two C-17s landed at RAF Lakenheath on 2 March, and more will follow.",
        "The jet will stay in Windhoek, the aviation authority said on 2 March.",
    ],
)
def test_a_future_in_another_clause_does_not_move_a_past_date(text: str) -> None:
    assert _span(text, "2 March", date(2025, 4, 5)) == (date(2025, 3, 2), date(2025, 3, 2))


def test_a_future_in_a_where_clause_does_not_move_the_main_clause_weekday() -> None:
    text = "The jet carried 229 people to Cyprus on Thursday, from where they will fly home."
    assert _span(text, "Thursday", date(2024, 10, 5)) == (date(2024, 10, 3), date(2024, 10, 3))


def test_a_past_perfect_in_a_closed_relative_clause_leaves_the_main_clause_alone() -> None:
    text = (
        "Talks began on 13 November. The minister, who had met the king in Amman, flew to Cairo "
        "on Tuesday."
    )
    assert _span(text, "Tuesday", date(2024, 11, 21)) == (date(2024, 11, 19), date(2024, 11, 19))


def test_an_age_is_not_a_decade() -> None:
    text = "A woman in her 60s and two men in their late 20s flew home in the 1960s style."
    assert [m.text for m in find_times(text, date(2024, 8, 6))] == ["the 1960s"]


@pytest.mark.parametrize(
    ("text", "surface", "span"),
    [
        (
            "In April and May last year, jets flew.",
            "April and May last year",
            ((2023, 4, 1), (2023, 5, 31)),
        ),
        ("In April and May 2022, jets flew.", "April and May 2022", ((2022, 4, 1), (2022, 5, 31))),
        (
            "In the first week of March, troops arrived.",
            "the first week of March",
            ((2024, 3, 1), (2024, 3, 7)),
        ),
        (
            "In 2022 talks began. In September that year, jets flew.",
            "September that year",
            ((2022, 9, 1), (2022, 9, 30)),
        ),
    ],
)
def test_months_sharing_a_year_weeks_of_a_month_and_that_year(
    text: str, surface: str, span: tuple[tuple[int, int, int], tuple[int, int, int]]
) -> None:
    assert _span(text, surface, date(2024, 10, 8)) == (date(*span[0]), date(*span[1]))


def test_a_day_in_the_month_the_story_is_telling_takes_that_months_year() -> None:
    text = "In May 2021, a jet was diverted. On 23 May, it landed in Minsk. A week later it left."
    assert _span(text, "23 May", date(2024, 8, 6)) == (date(2021, 5, 23), date(2021, 5, 23))
    assert _span(text, "A week later", date(2024, 8, 6))[0] == date(2021, 5, 30)
    fresh = "In May 2021, a jet was diverted. On 23 June, another landed in Minsk."
    assert _span(fresh, "23 June", date(2024, 8, 6))[0] == date(2024, 6, 23)


def test_since_a_year_after_the_reference_is_open_ended_not_reversed():
    [since] = find_times("The jets have been there since 2019.", date(2018, 1, 1))
    assert (since.earliest, since.latest) == (date(2019, 1, 1), None)
    [since] = find_times("The jets have been there since 2019.", date(2020, 5, 1))
    assert (since.earliest, since.latest) == (date(2019, 1, 1), date(2020, 5, 1))


def test_search_words_finds_what_a_word_start_look_behind_finds() -> None:
    """Searching without the look-behind and skipping matches inside a word gives the
    matches `(?<!\\w)` gives, including one that starts inside a skipped match."""
    text = "bathe the year; the theme of the year"
    for pattern in (r"the\s+\w+", r"the\w*\s+year", r"\w*e"):
        bare = re.compile(pattern)
        found = [(m.start(), m.group()) for m in search_words(bare, text, 0, len(text))]
        expected = [(m.start(), m.group()) for m in re.finditer(r"(?<!\w)" + pattern, text)]
        assert found == expected
    apostrophe = re.compile(r"ll\b")
    assert [m.start() for m in search_words(apostrophe, "we'll ll", 0, 8)] == [3, 6]
    assert [m.start() for m in search_words(apostrophe, "we'll ll", 0, 8, "'")] == [6]
