"""Sort the event table of a whole corpus in bounded memory.

Rows come from workers in any order; the table must come out sorted by
`table.SORT_KEY` whatever the number of workers. Holding it all before sorting
makes memory grow with the corpus, so rows are kept in memory only up to
`memory_rows`: then they are sorted and spilled to a temporary file as one sorted
run, and the runs are merged at the end, as external merge sorts do. Runs are
merged `FAN_IN` at a time as they pile up (like a binary counter), so no merge
reads more than `FAN_IN` runs at once and each row is rewritten O(log n) times.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from pathlib import Path

import pandas as pd

from timeline.table import COLUMNS, SORT_KEY, concat_tables, to_frame

FOLD_ROWS = 2000
"""Rows kept as dicts before they are folded into a compact typed table chunk."""
MEMORY_ROWS = 10_000
"""Rows held in memory (about 1 kB each) before they are spilled to disk as a sorted run."""
CHUNK_ROWS = 5000
"""Rows per chunk of the sorted table handed to the writers."""
BLOCK_ROWS = 1000
"""Rows per block of a run file: a merge holds one block of each run it reads."""
FAN_IN = 16
"""Runs merged at once."""

Row = dict[str, object]
_key = itemgetter(*(COLUMNS.index(column) for column in SORT_KEY))
"""The sort key of a row read back from a run, a tuple in column order."""


class SortedTable:
    """Rows added in any order, given back as one sorted, typed table in chunks.

    The result equals `to_frame` of every row added (a stable sort, so rows with equal
    keys keep the order they were added in). Bounds default to the module's constants.
    Spilled runs live in a temporary folder (under `folder`, else the system's) that
    `close` removes, as does leaving the table's `with` block.
    """

    def __init__(
        self,
        *,
        memory_rows: int | None = None,
        chunk_rows: int | None = None,
        folder: str | None = None,
    ) -> None:
        self.memory_rows = memory_rows or MEMORY_ROWS
        self._fold_rows = min(FOLD_ROWS, self.memory_rows)
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self.rows = 0
        self._folder = folder
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._pending: list[Row] = []
        self._frames: list[pd.DataFrame] = []
        self._held = 0
        self._runs: list[tuple[int, Path]] = []
        self._names = 0

    def __enter__(self) -> SortedTable:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the spilled runs and forget the rows."""
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None
        self._pending, self._frames, self._runs, self._held = [], [], [], 0

    @property
    def spilled(self) -> int:
        """How many sorted runs are on disk now."""
        return len(self._runs)

    def add(self, rows: Iterable[Row]) -> None:
        """Take rows (table-row dicts, as `table.event_row` makes them)."""
        for row in rows:
            self._pending.append(row)
            self.rows += 1
            if len(self._pending) >= self._fold_rows:
                self._fold()

    def _fold(self) -> None:
        if self._pending:
            self._frames.append(to_frame(self._pending))
            self._held += len(self._pending)
            self._pending = []
        if self._held >= self.memory_rows:
            self._spill()

    def _spill(self) -> None:
        """Write the rows in memory as one sorted run, then merge runs that piled up."""
        run = concat_tables(self._frames)
        self._frames, self._held = [], 0
        self._runs.append((0, self._write(_blocks_of(run))))
        while len(self._runs) >= FAN_IN and len({lvl for lvl, _ in self._runs[-FAN_IN:]}) == 1:
            self._runs[-FAN_IN:] = [self._merged(self._runs[-FAN_IN:])]

    def _merged(self, runs: list[tuple[int, Path]]) -> tuple[int, Path]:
        """One run, a level up, for consecutive runs (whose files are then removed)."""
        path = self._write(_blocks_of_rows(_merge([p for _, p in runs])))
        for _, old in runs:
            old.unlink()
        return max(level for level, _ in runs) + 1, path

    def _write(self, blocks: Iterable[pd.DataFrame]) -> Path:
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="timeline-sort-", dir=self._folder)
        self._names += 1
        path = Path(self._temporary.name) / f"run-{self._names:06d}.pickle"
        with path.open("wb") as stream:
            for block in blocks:
                pickle.dump(block, stream, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    def chunks(self) -> Iterator[pd.DataFrame]:
        """The sorted table in chunks of `chunk_rows` rows (one empty chunk if no rows)."""
        self._fold()
        if not self._runs:
            table = concat_tables(self._frames)
            yield from (
                table.iloc[start : start + self.chunk_rows].reset_index(drop=True)
                for start in range(0, max(len(table), 1), self.chunk_rows)
            )
            return
        if self._frames:
            self._spill()
        while len(self._runs) > FAN_IN:
            self._runs[:FAN_IN] = [self._merged(self._runs[:FAN_IN])]
        rows = _merge([path for _, path in self._runs])
        while block := list(islice(rows, self.chunk_rows)):
            yield to_frame(block)

    def frame(self) -> pd.DataFrame:
        """The whole sorted table in memory (for outputs that need it at once)."""
        return concat_tables(self.chunks())


def _blocks_of(table: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for start in range(0, len(table), BLOCK_ROWS):
        yield table.iloc[start : start + BLOCK_ROWS]


def _blocks_of_rows(rows: Iterator[tuple[object, ...]]) -> Iterator[pd.DataFrame]:
    while block := list(islice(rows, BLOCK_ROWS)):
        yield to_frame(block)


def _read(path: Path) -> Iterator[tuple[object, ...]]:
    """The rows of a run file as tuples in column order, one block in memory at a time."""
    with path.open("rb") as stream:
        while True:
            try:
                block = pickle.load(stream)  # our own file, written by _write
            except EOFError:
                return
            yield from block.itertuples(index=False, name=None)


def _merge(paths: list[Path]) -> Iterator[tuple[object, ...]]:
    """The rows of sorted runs in one sorted stream; ties keep the runs' order (stable)."""
    return heapq.merge(*(_read(path) for path in paths), key=_key)
