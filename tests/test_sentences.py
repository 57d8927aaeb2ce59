"""Sentence splitting: abbreviations, broken paragraphs, headings, banners and datelines."""

import pytest

from timeline.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "The jet landed on Dec. 10 at 3 a.m. on a U.S. Air Force base. Gen. Smith said so."
    assert texts(text) == [
        "The jet landed on Dec. 10 at 3 a.m. on a U.S. Air Force base.",
        "Gen. Smith said so.",
    ]


def test_offsets_point_into_the_text() -> None:
    text = "  First one here.  Second one?\n\nThird!"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
    assert texts(text) == ["First one here.", "Second one?", "Third!"]


def test_paragraph_broken_mid_sentence_is_rejoined() -> None:
    text = "He said there was a group\n\nin the city but gave no details.\n\nNext paragraph."
    result = texts(text)
    assert result[0].startswith("He said there was a group")
    assert result[0].endswith("gave no details.")
    assert result[1] == "Next paragraph."


def test_headings_banners_and_captions_are_dropped() -> None:
    text = (
        "### Air bridge\n\n**Related article:** [Other story](#)\n\n"
        "Photo: a plane on the tarmac.\n\nThe plane landed."
    )
    assert texts(text) == ["The plane landed."]


@pytest.mark.parametrize(
    "caption",
    [
        "A B-52H taxis at RAF Fairford. (U.S. Air Force photo by Senior Airman Jane Roe)",
        "Evacuees board an A400M at the airfield. Photograph: Jane Roe/PA",
        "Soldiers unload an Il-76 in Bamako. Photo: social media",
        "Freed prisoners leave an Il-76 in Kyiv. (Presidential Office / Telegram)",
        "Satellite image of the airfield. Planet Labs PBC/Handout via REUTERS",
        "A cargo plane at Damascus airport. (Jane Roe/AFP)",
        "• ASSOCIATED PRESS An airliner taxis past a hangar at Boeing Field, May 2, 2019.",
    ],
)
def test_captions_ending_in_a_photo_credit_are_dropped(caption: str) -> None:
    assert texts(f"{caption}\n\nThe plane landed.") == ["The plane landed."]


def test_a_bulleted_line_opened_by_one_capitalised_word_is_news() -> None:
    text = "• NATO Secretary General Jane Roe flew to Vilnius on Monday."
    assert texts(text) == [text]


def test_dateline_is_not_part_of_the_sentence() -> None:
    text = "KYIV — Two planes landed on Monday."
    assert texts(text) == ["Two planes landed on Monday."]


def test_quote_closing_a_sentence() -> None:
    text = 'He said: "We arrived." Then they left.'
    assert texts(text) == ['He said: "We arrived."', "Then they left."]


def test_a_sentence_ending_in_a_parenthesis_is_kept() -> None:
    text = "The plane landed in Riga (the capital).\n\nIt left."
    assert texts(text) == ["The plane landed in Riga (the capital).", "It left."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The jet landed at 9:40 a.m. The crew left on Friday.",
            ["The jet landed at 9:40 a.m.", "The crew left on Friday."],
        ),
        ("The jet landed at 9:40 a.m. Moscow time.", ["The jet landed at 9:40 a.m. Moscow time."]),
        ("Gen. Smith flew to the U.S. It landed.", ["Gen. Smith flew to the U.S.", "It landed."]),
    ],
)
def test_an_abbreviation_ends_a_sentence_before_a_word_that_only_opens_one(
    text: str, expected: list[str]
) -> None:
    assert [s.text for s in split_sentences(text)] == expected


@pytest.mark.parametrize(
    ("post", "kept"),
    [
        ("Jets over the base today https://t.co/Ab12", False),
        ("Jets over the base today pic.twitter.com/Ab12", False),
        ("A post shared by Base Spotters", False),
        ("The airline's site, fly.bit.co/news, lists the new route.", True),
    ],
)
def test_a_paragraph_with_an_embed_marker_is_dropped(post: str, kept: bool) -> None:
    """A pasted post's paragraph is no news; 't.co/' only counts at a word start."""
    assert texts(f"The plane landed.\n\n{post}\n\nThe crew left.")[1:-1] == ([post] if kept else [])


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Crews load a transport jet. REUTERS/Jane Doe", True),
        ("Crews load a transport jet. Photo: Air Force", True),
        ("Crews wave to the pilots via Reuters", True),
        ("The AFREUTERS/index data was not published.", False),
        ("Crews load a transport jet at the base.", False),
    ],
)
def test_a_caption_is_known_by_the_credit_at_its_end(line: str, furniture: bool) -> None:
    """Credits close a caption line whatever their case; a name inside a word is none."""
    kept = texts(f"The plane landed.\n\n{line}\n\nThe crew left.")
    assert (line not in " ".join(kept)) == furniture
