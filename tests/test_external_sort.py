"""The external sort: rows spilled to disk in sorted runs and merged give the in-memory table."""

import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import external_sort
from timeline.external_sort import SortedTable
from timeline.table import COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, to_frame

BLANK = {c: None if c in INT_COLUMNS | FLOAT_COLUMNS else "" for c in COLUMNS}


def row(article: str, start: int, number: int, **values: object) -> dict[str, object]:
    return BLANK | {
        "article_id": article,
        "char_start": start,
        "event_id": f"{article}-{number:03d}",
        **values,
    }


def rows(n: int, seed: int = 0) -> list[dict[str, object]]:
    """n rows in random order, with repeated keys (told apart by `subject`), NA and NaN cells."""
    chance = random.Random(seed)
    made = [
        row(
            f"a{chance.randrange(n // 4 + 1):03d}",
            chance.randrange(50),
            chance.randrange(3),
            subject=f"s{i}",
            count=chance.choice([None, 1, 40]),
            origin_lat=chance.choice([None, -33.5, 12.25]),
        )
        for i in range(n)
    ]
    chance.shuffle(made)
    return made


def sorted_in(table: SortedTable, added: list[dict[str, object]], step: int = 7) -> pd.DataFrame:
    for start in range(0, len(added), step):
        table.add(added[start : start + step])
    return pd.concat(list(table.chunks()), ignore_index=True)


def test_spilled_runs_merge_into_the_in_memory_table(tmp_path: Path) -> None:
    added = rows(300)
    with SortedTable(memory_rows=20, chunk_rows=64, folder=str(tmp_path)) as table:
        result = sorted_in(table, added)
        assert table.spilled > 1
        assert table.rows == 300
    pd.testing.assert_frame_equal(result, to_frame(added))
    assert list(tmp_path.iterdir()) == []


def test_equal_keys_keep_the_order_they_were_added_in(tmp_path: Path) -> None:
    added = [row("b", 5, 1, subject=f"tie {i}") for i in range(12)] + [row("a", 9, 1)]
    with SortedTable(memory_rows=3, folder=str(tmp_path)) as table:
        result = sorted_in(table, added, step=2)
    assert result["subject"].tolist() == ["", *(f"tie {i}" for i in range(12))]


def digit_sum(number: int, base: int) -> int:
    return number % base + digit_sum(number // base, base) if number else 0


def test_runs_are_merged_in_levels_so_few_are_open_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(external_sort, "FAN_IN", 3)
    monkeypatch.setattr(external_sort, "BLOCK_ROWS", 4)
    added = rows(400, seed=3)
    with SortedTable(memory_rows=10, chunk_rows=50, folder=str(tmp_path)) as table:
        for spills, start in enumerate(range(0, len(added), 10), 1):
            table.add(added[start : start + 10])
            assert table.spilled == digit_sum(spills, 3)  # a counter in base FAN_IN
        chunks = list(table.chunks())
        assert len(list(tmp_path.glob("*/run-*"))) <= 3
    assert [len(chunk) for chunk in chunks] == [50] * 8
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), to_frame(added))


def test_small_tables_stay_in_memory_and_come_in_chunks(tmp_path: Path) -> None:
    added = rows(30, seed=5)
    with SortedTable(chunk_rows=8, folder=str(tmp_path)) as table:
        table.add(added)
        first, again = list(table.chunks()), list(table.chunks())
        assert table.spilled == 0 and list(tmp_path.iterdir()) == []
    assert [len(chunk) for chunk in first] == [8, 8, 8, 6]
    for chunk, repeated in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(chunk, repeated)
    pd.testing.assert_frame_equal(pd.concat(first, ignore_index=True), to_frame(added))


def test_an_empty_table_is_one_empty_typed_chunk() -> None:
    with SortedTable() as table:
        [chunk] = list(table.chunks())
    assert list(chunk.columns) == list(COLUMNS) and len(chunk) == 0
    assert str(chunk["count"].dtype) == "Int64"


@settings(max_examples=40, deadline=None)
@given(
    keys=st.lists(
        st.tuples(st.sampled_from(["x", "y", "zz", "Ä"]), st.integers(0, 9), st.integers(0, 2)),
        max_size=60,
    ),
    memory=st.integers(1, 25),
    chunk=st.integers(1, 30),
)
def test_any_rows_and_bounds_give_the_sorted_table(
    keys: list[tuple[str, int, int]], memory: int, chunk: int
) -> None:
    added = [row(a, s, n, subject=str(i)) for i, (a, s, n) in enumerate(keys)]
    with SortedTable(memory_rows=memory, chunk_rows=chunk) as table:
        result = sorted_in(table, added, step=3)
    pd.testing.assert_frame_equal(result, to_frame(added))
