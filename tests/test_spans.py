"""The one overlap policy and the one accent folding every finder shares."""

from typing import NamedTuple

from timeline.spans import SpanIndex, filter_spans, fold


class Candidate(NamedTuple):
    start: int
    end: int
    rank: int = 0


def test_the_longest_span_wins_then_the_earliest() -> None:
    spans = [Candidate(0, 4), Candidate(2, 9), Candidate(8, 12), Candidate(10, 12)]
    assert filter_spans(spans) == [Candidate(2, 9), Candidate(10, 12)]


def test_equal_spans_are_settled_by_rank_and_kept_in_text_order() -> None:
    spans = [Candidate(5, 8, rank=2), Candidate(5, 8, rank=1), Candidate(0, 3)]
    assert filter_spans(spans, rank=lambda span: span.rank) == [
        Candidate(0, 3),
        Candidate(5, 8, rank=1),
    ]


def test_bounds_may_be_token_indices() -> None:
    spans = [("a", 0, 2), ("b", 1, 3), ("c", 3, 4)]
    kept = filter_spans(spans, bounds=lambda span: (span[1], span[2]))
    assert [name for name, *_ in kept] == ["a", "c"]


def test_span_index_answers_overlap_and_cover() -> None:
    index = SpanIndex([(0, 5), (3, 8), (10, 12)])
    assert index.spans == [(0, 5), (10, 12)]
    assert index.overlaps(4, 6) and index.overlaps(11, 20) and not index.overlaps(5, 10)
    assert index.covers(1, 4) and not index.covers(4, 11)
    index.add(6, 9)
    assert index.overlaps(8, 9)


def test_fold_drops_case_accents_and_curly_apostrophes() -> None:
    assert fold("Phénix") == "phenix"
    assert fold("Côte d’Ivoire") == "cote d'ivoire"
    assert fold("IL-76") == "il-76"
