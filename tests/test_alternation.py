"""The first-character alternation gives exactly the plain compiled pattern's matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.alternation import Alternation, first_chars, guarded, openings
from timeline.events.lexicon import lexicon

BRANCHES = [
    "(?P<t0>land|lands|landed)",
    "(?P<t1>fl(?:y|ew)(?: (?:back|in))?)",
    "(?P<t2>(?:took|take) off)",
    "(?P<t3>left|leave)",
    "(?P<t4>(?:was|were) (?:[a-z]+ly )?seen)",
    "(?P<t5>flew in(?= from\\b))",
    "(?P<t6>la)",
]
WORDS = ["land", "landed", "flew", "back", "in", "from", "took", "off", "left", "was", "seen"]
WORDS += ["quickly", "centre-left", "la", "fly", "were", "-", " ", ",", "X"]


def spans(matches: object) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in matches]  # type: ignore[attr-defined]


def test_first_characters_follow_groups_options_and_repeats() -> None:
    assert first_chars("(?:took|take) off") == {"t"}
    assert first_chars("(?:re)?deploy") == {"r", "d"}
    assert first_chars("(?=x)b[cd]") == {"b"}
    assert first_chars("[a-c]x|z") == {"a", "b", "c", "z"}
    assert first_chars(r"\w+") is None
    assert first_chars("a?") is None  # may match nothing


def test_openings_are_the_first_characters_or_the_whole_match() -> None:
    assert openings("(?:took|take) off", 3) == {"too", "tak"}
    assert openings("(?:re)?deploy", 3) == {"red", "dep"}
    assert openings("go|gone", 3) == {"go", "gon"}
    assert openings("x{2}y|(?<!a)b", 3) == {"xxy", "b"}
    assert openings("[ab][cd]e", 3) == {"ace", "ade", "bce", "bde"}
    assert openings("[a-z]+", 3) == set("abcdefghijklmnopqrstuvwxyz")  # too many longer ones
    assert openings("a\\w", 3) == {"a"}
    assert openings("(?:a|)b?", 3) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.integers(0, 6), st.integers(0, 6))
def test_matches_are_the_whole_patterns(words: list[str], cut_start: int, cut_end: int) -> None:
    text = " ".join(words)
    alternation = Alternation(r"(?<![\w-])", BRANCHES, r"(?![\w-])")
    whole = alternation.pattern
    pos, endpos = min(cut_start, len(text)), max(0, len(text) - cut_end)
    assert spans(alternation.finditer(text, pos, endpos)) == spans(
        whole.finditer(text, pos, endpos)
    )
    for start in range(len(text)):
        assert spans(filter(None, [alternation.search(text, start)])) == spans(
            filter(None, [whole.search(text, start)])
        )
        assert spans(filter(None, [alternation.match(text, start)])) == spans(
            filter(None, [whole.match(text, start)])
        )


def test_a_branch_of_unknown_start_falls_back_to_the_whole_pattern() -> None:
    alternation = Alternation("", ["cat", r"\d+"], "")
    assert not alternation.split
    assert [m.group() for m in alternation.finditer("cat 42 cat")] == ["cat", "42", "cat"]
    folded = Alternation("", ["cat"], "", re.I)
    assert folded.search("a CAT") is not None


def test_the_trigger_table_is_split_by_first_character() -> None:
    """Every trigger row starts with a known letter, so the fast path is in use."""
    pattern = lexicon().trigger_pattern
    assert pattern.split
    assert pattern.search("the jet landed at dawn") is not None
    assert pattern.match("x landed", 2) is not None
    assert pattern.match("x landed", 3) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["President", "Joe", "Biden", "envoy", "Smith", ",", "and"]), max_size=10
    )
)
def test_a_guarded_pattern_finds_what_the_pattern_finds(words: list[str]) -> None:
    text = " ".join(words)
    plain = re.compile(r"(?:\b[A-Z][a-z]+\s+)?\b(?:President|envoy)(?:\s+[A-Z][a-z]+){1,2}")
    fast = guarded(plain)
    assert fast.pattern.startswith("(?=[")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert guarded(re.compile("envoy", re.I)).pattern == "envoy"
