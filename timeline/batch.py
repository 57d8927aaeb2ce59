"""Run the pipeline over a corpus: in this process, on local cores, or on a Dask cluster.

Workers reduce articles to table rows (`pipeline.extract_source`); the parent takes
the results in input order and folds the rows into typed table chunks as they come,
so memory follows the table rather than the texts, and the table is the same for any
number of workers or engine.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import TextIO

import pandas as pd
from tqdm import tqdm

from timeline.corpus import Source
from timeline.pipeline import Extracted, extract_source
from timeline.table import concat_tables, to_frame

TASK_ARTICLES = 16
"""Articles per task sent to a worker: enough to make inter-process traffic negligible."""
FOLD_ROWS = 5000
"""Rows kept as dicts before they are folded into a compact typed table chunk."""

Outcomes = list[Extracted | str]


class EngineError(RuntimeError):
    """The chosen engine cannot run: Dask is not installed or the scheduler cannot be reached."""


@dataclass
class Batch:
    """A corpus's event table (in chunks), its articles' summaries and its failures."""

    articles: list[Extracted] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    tables: list[pd.DataFrame] = field(default_factory=list)
    _rows: list[dict[str, object]] = field(default_factory=list, repr=False)

    def add(self, outcomes: Outcomes) -> None:
        """Keep one task's failures, article summaries and rows (folded in chunks)."""
        for outcome in outcomes:
            if isinstance(outcome, str):
                self.failures.append(outcome)
                continue
            self._rows.extend(outcome.rows)
            self.articles.append(replace(outcome, rows=()))
        if len(self._rows) >= FOLD_ROWS:
            self._fold()

    def _fold(self) -> None:
        if self._rows:
            self.tables.append(to_frame(self._rows))
            self._rows = []

    def frame(self) -> pd.DataFrame:
        """The event table of every article in the batch, sorted deterministically."""
        self._fold()
        self.tables = [concat_tables(self.tables)]
        return self.tables[0]


def default_jobs() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run(
    sources: Sequence[Source],
    *,
    published: date | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: TextIO | None = None,
) -> Batch:
    """Extract every source; `progress` is the stream to draw a progress bar on (None: none).

    `engine` "local" uses `jobs` processes (1: this process only); "dask" uses the Dask
    scheduler at `scheduler`, or a local Dask cluster of `jobs` worker processes.
    """
    tasks = _tasks(sources)
    work = partial(_run_task, published=published)
    if not tasks:
        results: Iterator[Outcomes] = iter(())
    elif engine == "dask":
        results = _on_dask(tasks, work, jobs, scheduler)
    elif jobs > 1 and len(tasks) > 1:
        results = _on_pool(tasks, work, jobs)
    else:
        results = map(work, tasks)
    batch = Batch()
    total = sum(source.count for source in sources)
    with tqdm(
        total=total, unit="article", file=progress, disable=progress is None, mininterval=0.5
    ) as bar:
        for task, outcomes in zip(tasks, results, strict=True):
            batch.add(outcomes)
            bar.update(sum(source.count for source in task))
    return batch


def _tasks(sources: Sequence[Source]) -> list[list[Source]]:
    """Consecutive sources grouped into tasks of about TASK_ARTICLES articles."""
    tasks: list[list[Source]] = []
    size = TASK_ARTICLES
    for source in sources:
        if size >= TASK_ARTICLES:
            tasks.append([])
            size = 0
        tasks[-1].append(source)
        size += source.count
    return tasks


def _run_task(task: list[Source], *, published: date | None) -> Outcomes:
    return [outcome for source in task for outcome in extract_source(source, published=published)]


def _on_pool(tasks: list[list[Source]], work: partial[Outcomes], jobs: int) -> Iterator[Outcomes]:
    """Results in task order from a pool of processes, with a bounded number of tasks in flight.

    The pool uses the platform's default start method (fork on Linux before Python 3.14),
    and its workers are started here, before the progress bar starts a thread. Each
    worker loads the knowledge tables once, on its first article.
    """
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)))
    window = 4 * jobs
    pending = deque(pool.submit(work, task) for task in tasks[:window])
    return _in_order(pool, pending, tasks[window:], work)


def _in_order(
    pool: ProcessPoolExecutor,
    pending: deque[Future[Outcomes]],
    rest: list[list[Source]],
    work: partial[Outcomes],
) -> Iterator[Outcomes]:
    try:
        for task in rest:
            done = pending.popleft().result()
            pending.append(pool.submit(work, task))
            yield done
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(cancel_futures=True)


def _on_dask(
    tasks: list[list[Source]], work: partial[Outcomes], jobs: int, scheduler: str | None
) -> Iterator[Outcomes]:
    """Results in task order from a Dask bag of tasks, computed on a cluster.

    Without a scheduler address a LocalCluster of `jobs` worker processes is started and
    closed afterwards. Workers read the sources themselves, so on a real cluster the
    input paths must be visible to every worker (a shared file system).
    """
    try:
        import dask.bag
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError(
            "the dask engine needs Dask: pip install 'flight-timeline[dask]'"
        ) from None
    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler))
            except (OSError, TimeoutError) as error:
                raise EngineError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}"
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        bag = dask.bag.from_sequence(tasks, npartitions=len(tasks)).map(work)
        futures = deque(client.compute(bag.to_delayed()))
        while futures:
            yield from futures.popleft().result()
