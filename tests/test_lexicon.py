"""The event rule tables: stable rule names, checked files, and names that reach the table."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from timeline import resources
from timeline.events import DECISIONS
from timeline.events import lexicon as lexicon_module
from timeline.events.lexicon import Phrase, lexicon, lowered, phrase, phrases
from timeline.explain import explain_lines
from timeline.model import Article
from timeline.pipeline import process
from timeline.places import find_places
from timeline.resources import ResourceError

STORY = (
    "An Il-76 took off from Moscow on Monday and landed in Minsk. The aircraft is owned by "
    "Volga-Dnepr. Three Russian engineers flew home on Tuesday. The Il-76 left on Wednesday."
)


def article(text: str) -> Article:
    return Article(article_id="t", text=text, published=date(2021, 6, 10))


@pytest.fixture
def scratch_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of data/events in a temp dir, with the lexicon cache cleared around the test."""
    shutil.copytree(resources.data_path("events"), tmp_path / "events")
    shutil.copytree(resources.data_path("time"), tmp_path / "time")
    shutil.copytree(resources.data_path("places"), tmp_path / "places")
    shutil.copy(resources.data_path("demonyms.csv"), tmp_path / "demonyms.csv")
    shutil.copy(resources.data_path("abbreviations.txt"), tmp_path / "abbreviations.txt")
    monkeypatch.setattr(resources, "data_dir", lambda: tmp_path)
    lexicon_module.lexicon.cache_clear()
    yield tmp_path / "events"
    monkeypatch.undo()
    lexicon_module.lexicon.cache_clear()


def test_trigger_names_are_unique_words_apart_from_the_decisions() -> None:
    names = [trigger.name for trigger in lexicon().triggers]
    assert len(names) == len(set(names))
    assert not set(names) & set(DECISIONS)
    assert {"land", "take_off", "fly"} <= set(names)


def test_rule_column_lists_trigger_and_decision_names() -> None:
    events = process(article(STORY)).events
    assert [(e.subject, e.rule) for e in events] == [
        ("Il-76", "take_off+land+operator_clause"),
        ("engineers", "fly+home"),
        ("Il-76", "leave+prior_origin"),
    ]
    known = {trigger.name for trigger in lexicon().triggers} | set(DECISIONS)
    assert all(set(e.rule.split("+")) <= known for e in events)


def test_every_rule_name_the_sentence_cases_produce_is_a_trigger_or_a_decision() -> None:
    known = {trigger.name for trigger in lexicon().triggers} | set(DECISIONS)
    cases = Path(__file__).parent / "cases" / "events"
    texts = [
        line.split("\t")[1]
        for path in sorted(cases.glob("*.tsv"))
        for line in path.read_text(encoding="utf-8").splitlines()[1:]
        if line and not line.startswith("#") and line.split("\t")[1:2] != [""]
    ]
    names = {
        name
        for text in texts
        for event in process(article(text)).events
        for name in event.rule.split("+")
    }
    assert names and names <= known, names - known


def test_a_source_holds_for_the_sentences_after_it() -> None:
    events = process(
        article(
            "Two Il-76s landed in Bamako on Monday, the defence ministry said. "
            "Another Il-76 landed there on Tuesday."
        )
    ).events
    assert [e.attribution for e in events] == ["the defence ministry"] * 2
    assert events[-1].rule.endswith("+story_source")


def test_explain_shows_the_same_rule_names() -> None:
    lines = "\n".join(explain_lines(process(article(STORY), explain=True)))
    assert "found   trigger 'took off' → departure (take_off)" in lines
    assert "EVENT   flight aircraft 'Il-76' Moscow → Minsk [take_off+land]" in lines


def test_a_nameless_trigger_row_names_file_and_line(scratch_events: Path) -> None:
    with (scratch_events / "triggers.tsv").open("a", encoding="utf-8") as handle:
        handle.write("\tsoar(?:s|ed)?\tflight\t\tverb\t\tThe jet soared to the coast.\n")
    with pytest.raises(ResourceError, match=r"triggers\.tsv:\d+: name '' is not a new"):
        lexicon()


def test_a_duplicate_trigger_name_is_an_error(scratch_events: Path) -> None:
    with (scratch_events / "triggers.tsv").open("a", encoding="utf-8") as handle:
        handle.write("land\tsoar(?:s|ed)?\tflight\t\tverb\t\tThe jet soared to the coast.\n")
    with pytest.raises(ResourceError, match=r"triggers\.tsv:\d+: name 'land' is not a new"):
        lexicon()


@pytest.mark.parametrize("rule", list(phrases().values()), ids=lambda rule: rule.name)
def test_every_phrase_rule_finds_its_example(rule: Phrase) -> None:
    assert rule.pattern.search(rule.example), f"{rule.name} does not find {rule.example!r}"


def test_each_stage_asks_for_phrase_rules_that_exist() -> None:
    stages = {"reference", "subjects", "roles", "timing", "conjuncts", "cues", "attribution"}
    assert stages <= {rule.stage for rule in phrases().values()}
    with pytest.raises(ResourceError, match="no phrase rule named 'no_such_rule'"):
        phrase("no_such_rule")


def test_a_lowered_pattern_finds_in_lower_case_what_the_pattern_finds_in_the_text() -> None:
    text = "HE said They flew; Both of them LEFT, and the Others were late."
    pronoun = phrase("pronoun")
    fast = lowered(pronoun)
    assert not fast.flags & re.I
    found = [text[slice(*m.span())] for m in fast.finditer(text.lower())]
    assert found == ["HE", "They", "Both of them", "the Others"]
    assert found == [m.group() for m in pronoun.finditer(text)]


@pytest.mark.parametrize("pattern", ["Paris", "(?-i:[a-z])", "[^A]", "x(?<=Q)"])
def test_a_pattern_naming_a_capital_cannot_be_lowered(pattern: str) -> None:
    with pytest.raises(ResourceError, match="names a capital"):
        lowered(re.compile(pattern, re.I))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("broken\troles\ti\t(?:unclosed\tunclosed\ta pattern that does not compile", "bad pattern"),
        ("short\troles", "2 fields, expected 6"),
        ("listed\troles\ti\t{@places/no_such_list}\tx\ta list that does not exist", "no word list"),
    ],
)
def test_a_bad_phrase_row_names_file_and_line(scratch_events: Path, row: str, message: str) -> None:
    lexicon_module.phrases.cache_clear()
    with (scratch_events / "phrases.tsv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    try:
        with pytest.raises(ResourceError, match=rf"phrases\.tsv:\d+: {message}"):
            lexicon_module.phrases()
    finally:
        lexicon_module.phrases.cache_clear()


PLACE_NOUNS = [row for _, row in resources.read_table("places/place_nouns.tsv")]


@pytest.mark.parametrize("row", PLACE_NOUNS, ids=lambda row: row["word"])
def test_every_place_noun_example_reads_as_a_named_place(row: dict[str, str]) -> None:
    """The one place-noun list serves both readers: the event stages' "the <noun> of" and,
    for settlements, the place finder's town after it."""
    example = row["example"]
    assert phrase("place_noun").search(example), example
    named = example.split(f"{row['word']} of ")[1].split()[0]
    found = [p.text for p in find_places(example)]
    if row["settlement"] == "yes":
        assert named in found
    assert row["settlement"] in ("yes", "no")


ATTRIBUTION_CUES = [row for _, row in resources.read_table("events/attribution.tsv")]


@pytest.mark.parametrize("row", ATTRIBUTION_CUES, ids=lambda row: row["cue"][:20])
def test_every_attribution_cue_names_the_source_of_its_example(row: dict[str, str]) -> None:
    events = process(article(row["example"])).events
    assert [e.attribution for e in events] == [row["source"]], row["example"]


OPERATOR_NOUNS = [row for _, row in resources.read_table("events/operator_nouns.tsv")]


@pytest.mark.parametrize("row", OPERATOR_NOUNS, ids=lambda row: row["word"])
def test_every_operator_noun_ends_the_owner_its_example_names(row: dict[str, str]) -> None:
    example = row["example"].replace("␣", " ")
    owned = phrase("operator_possessive").search(example)
    assert owned and owned["op"].endswith(row["word"]), example


def test_each_demonym_ending_rule_forms_its_example() -> None:
    nouns = set(lexicon_module._regular_demonym_nouns())
    examples = [row["example"] for _, row in resources.read_table("events/demonym_nouns.tsv")]
    assert examples and set(examples) <= nouns


def test_a_cue_row_must_say_whether_a_tenseless_clause_inherits_it(scratch_events: Path) -> None:
    with (scratch_events / "cues.tsv").open("a", encoding="utf-8") as handle:
        handle.write("perhaps\tmodal\t3\tmaybe\n")
    with pytest.raises(ResourceError, match=r"cues\.tsv:\d+: inherited must be yes or no"):
        lexicon()
