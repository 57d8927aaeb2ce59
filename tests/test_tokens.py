"""The article's token stream: words, pieces, the lower-cased text and shared scans."""

from __future__ import annotations

import re

from timeline.tokens import Tokens, lower, name_key, piece_keys, tokenize


def test_words_carry_offsets_and_capitalisation() -> None:
    text = "Jets left Rome. NATO's planes flew"
    words = tokenize(text)
    assert [(w.start, w.end, w.norm) for w in words][:3] == [
        (0, 4, "jets"),
        (5, 9, "left"),
        (10, 14, "rome"),
    ]
    nato, owner = words[3], words[4]
    assert (nato.norm, nato.upper, nato.initial) == ("nato", True, True)
    assert (owner.norm, text[owner.start : owner.end]) == ("'s", "'s")
    assert words[5].joined and not words[5].initial


def test_offset_shifts_every_word() -> None:
    assert [w.start for w in tokenize("to Kyiv", 100)] == [100, 103]


def test_saint_abbreviation_joins_the_name_it_opens() -> None:
    words = tokenize("flew to St. Martin")
    martin = words[-1]
    assert martin.joined and not martin.initial


def test_pieces_split_letters_from_digits() -> None:
    found = Tokens("Il-76MD and C-17s").pieces
    assert [p.raw for p in found] == ["Il", "76", "MD", "and", "C", "17", "s"]
    assert [p.digit for p in found][:3] == [False, True, False]
    assert found[1].start == 3 and found[1].end == 5


def test_a_run_goes_on_across_words_with_nothing_between() -> None:
    # "f.f" is a dotted word and "bq" the next, but the letters "fbq" are one run
    assert [p.raw for p in Tokens("if(f.fbq) Putin's").pieces] == ["if", "f", "fbq", "Putin", "s"]
    assert [p.key for p in Tokens("Ilyushin's ÉCOLE").pieces] == ["ilyushin", "s", "ecole"]


def test_keys_fold_case_and_accents() -> None:
    assert piece_keys("Airbus A400M") == ("airbus", "a", "400", "m")
    assert name_key("Saint-Étienne") == "saint etienne"
    assert name_key("Putin's") == "putin 's"


def test_lower_keeps_every_offset() -> None:
    text = "İstanbul flights"
    low = lower(text)
    assert len(low) == len(text)
    assert low.endswith("flights")


def test_lower_reads_letters_as_a_case_insensitive_pattern_does() -> None:
    """re.I finds "istanbul" in "İSTANBUL" and "s" in "ſ": so must a plain pattern in `lower`."""
    text = "İSTANBUL ıt ſaid"
    assert lower(text) == "istanbul it said"
    assert re.search("istanbul", text, re.I) and re.search("said", text, re.I)


def test_stream_views_are_made_once_and_sliced() -> None:
    stream = Tokens("One. Two three.")
    assert stream.words is stream.words
    assert [w.norm for w in stream.words_in(5, 15)] == ["two", "three"]
    word = re.compile(r"\w+")
    first = stream.scan(word)
    assert first is stream.scan(word)
    assert first.texts == ["one", "two", "three"] and first.starts == [0, 5, 9]


def test_news_lines_leave_furniture_out() -> None:
    text = "Jets landed.\nPhoto: a caption line\nThey left."
    stream = Tokens(text)
    lines = stream.news_lines(0, len(text))
    kept = " ".join(text[start:end] for start, end in lines)
    assert "caption" not in kept and "Jets landed." in kept and "They left." in kept
    assert stream.news_lines(0, len(text)) is lines
